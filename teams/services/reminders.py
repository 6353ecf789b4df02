"""Action-plan reminders: email each responsible institution whose activities lack a realisation,
14 and 3 days before a period's deadline, exactly once (core ``deliver`` on PlanReminderLog)."""

import logging
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import get_connection
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from kesbang.core.delivery import deliver
from kesbang.core.email import absolute_url, send_email
from teams.deadlines import due_reminders
from teams.models import ActivityPeriod, Membership, Period, Phase, PlanReminderLog, Team

logger = logging.getLogger(__name__)


class ReminderDeliveryError(ConnectionError):
    """Some reminders could not be delivered; their records stay unsent and are tried again."""


@dataclass
class ReminderResult:
    sent: int = 0
    already_sent: int = 0
    skipped_no_email: int = 0
    failed: list[str] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"sent": self.sent, "already_sent": self.already_sent,
                "skipped_no_email": self.skipped_no_email, "failed": list(self.failed)}


def _missing_realisations(due) -> dict[tuple, list[ActivityPeriod]]:
    """{(year, period, plan_id, institution_id): [ActivityPeriod ...]} for every due period, in one
    query: periods with a target (a zero target asks nothing) and no realisation, of active teams."""
    from django.db.models import Q

    wanted = Q(pk__in=[])
    for year, period, _deadline, _days_before, _days_left in due:
        wanted |= Q(period=period, activity__plan__year=year)
    rows = (
        ActivityPeriod.objects.filter(wanted, realisation__isnull=True, target__gt=0,
                                      activity__plan__team__status=Team.Status.AKTIF)
        .select_related("activity__plan__team__region", "activity__responsible_institution")
        .order_by("activity__plan_id", "activity__responsible_institution_id", "activity__phase",
                  "activity__number", "activity_id")
    )
    groups: dict[tuple, list[ActivityPeriod]] = defaultdict(list)
    for ap in rows:
        key = (ap.activity.plan.year, ap.period, ap.activity.plan_id, ap.activity.responsible_institution_id)
        groups[key].append(ap)
    return groups


def _recipients_by_group(pairs: set[tuple[int, int]]) -> dict[tuple[int, int], list[str]]:
    """{(team_id, institution_id): emails of the institution's people active on the team}, one query."""
    if not pairs:
        return {}
    team_ids = {t for t, _i in pairs}
    institution_ids = {i for _t, i in pairs}
    rows = (
        Membership.objects.filter(team_id__in=team_ids, person__institution_id__in=institution_ids,
                                  end_date__isnull=True)
        .exclude(person__email="")
        .order_by("person__name", "person_id")
        .values_list("team_id", "person__institution_id", "person__email")
    )
    found: dict[tuple[int, int], list[str]] = defaultdict(list)
    for team_id, institution_id, address in rows:
        if address not in found[(team_id, institution_id)]:
            found[(team_id, institution_id)].append(address)
    return found


def _already_sent(due) -> set[tuple]:
    """(plan_id, period, institution_id, days_before) of reminders already sent, one query."""
    from django.db.models import Q

    wanted = Q(pk__in=[])
    for _year, period, _deadline, days_before, _days_left in due:
        wanted |= Q(period=period, days_before=days_before)
    return set(
        PlanReminderLog.objects.filter(wanted, status=PlanReminderLog.Status.SENT)
        .values_list("plan_id", "period", "institution_id", "days_before")
    )


def plan_reminders_send(*, today) -> ReminderResult:
    """Email each institution whose activities (with a target) lack a realisation, 14 and 3 days
    before a deadline (``settings.ACTION_PLAN_REMINDER_DAYS``), once.

    A fixed number of queries to find what is due, whatever the number of plans and institutions;
    then per email ``deliver`` (claim the PlanReminderLog row, send outside any transaction, mark it
    sent). A second run or a concurrent worker sends nothing again; a failed send leaves the row
    unsent and, after trying every reminder, raises ReminderDeliveryError (the task retries)."""
    result = ReminderResult()
    due = due_reminders(today)
    if not due:
        return result
    groups = _missing_realisations(due)
    if not groups:
        return result
    window = {(year, period): (deadline, days_before, days_left)
              for year, period, deadline, days_before, days_left in due}
    sent_before = _already_sent(due)
    recipients_of = _recipients_by_group({(rows[0].activity.plan.team_id, inst) for (_y, _p, _pl, inst), rows
                                          in groups.items()})
    phase_labels = dict(Phase.choices)
    connection = get_connection(fail_silently=False)
    first_error: Exception | None = None
    for (year, period, plan_id, institution_id), rows in groups.items():
        deadline, days_before, days_left = window[(year, period)]
        plan = rows[0].activity.plan
        institution = rows[0].activity.responsible_institution
        if (plan_id, period, institution_id, days_before) in sent_before:
            result.already_sent += 1
            continue
        recipients = recipients_of.get((plan.team_id, institution_id)) or (
            [institution.email] if institution.email else []
        )
        if not recipients:
            logger.warning("plan reminder skipped: no email for %s (plan %s, %s, H-%s)",
                           institution, plan_id, period, days_before)
            result.skipped_no_email += 1
            continue
        context = {
            "plan": plan, "team": plan.team, "period": period, "period_label": Period(period).label,
            "deadline": deadline, "days_before": days_left, "institution": institution,
            "activities": [
                {"number": ap.activity.number, "name": ap.activity.name, "phase": phase_labels[ap.activity.phase],
                 "target": ap.target, "unit": ap.activity.unit}
                for ap in rows
            ],
            "plan_url": absolute_url(plan.get_absolute_url()),
        }

        def send(_row, context=context, recipients=recipients):
            with translation.override(settings.LANGUAGE_CODE):
                subject = render_to_string("emails/plan_reminder_subject.txt", context)
            send_email(to=recipients, subject=subject, template="plan_reminder", context=context,
                       connection=connection, language=settings.LANGUAGE_CODE)

        key = {"plan": plan, "period": period, "institution": institution, "days_before": days_before}
        try:
            delivered = deliver(PlanReminderLog, key=key, send=send, recipient=", ".join(recipients))
        except OSError as exc:  # smtplib.SMTPException is an OSError
            logger.warning("plan reminder to %s (plan %s, %s, H-%s) failed: %s",
                           institution, plan_id, period, days_before, exc)
            result.failed.append(f"{plan_id}/{period}/{institution_id}/H-{days_before}")
            first_error = first_error or exc
            continue
        if delivered:
            result.sent += 1
            logger.info("plan reminder sent to %s (%s) for plan %s, %s, H-%s",
                        institution, ", ".join(recipients), plan_id, period, days_before)
        else:
            result.already_sent += 1
    if result.failed:
        raise ReminderDeliveryError(
            _("Pengingat gagal dikirim: %(items)s") % {"items": ", ".join(result.failed)}
        ) from first_error
    return result
