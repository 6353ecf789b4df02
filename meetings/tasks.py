"""Tasks of the meetings app (filled in with the delivery records)."""

from celery import shared_task


@shared_task(name="meetings.tasks.meeting_invitations_send")
def meeting_invitations_send(meeting_id: int) -> None:
    return None


@shared_task(name="meetings.tasks.meeting_change_notify")
def meeting_change_notify(meeting_id: int, sequence: int) -> None:
    return None


@shared_task(name="meetings.tasks.meeting_cancel_notify")
def meeting_cancel_notify(meeting_id: int) -> None:
    return None
