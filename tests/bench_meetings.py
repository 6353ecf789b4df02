"""Meetings in the benchmark and the load test (``tests/bench.py``, ``tests/loadtest/run.py``).

``seed()`` bulk-inserts ``BENCH_MEETINGS`` (5,000) meetings over the last 10 years, organised by the
teams of every region, each with 40 invitees (attendance recorded for past meetings), minutes with
two resolutions, and ``BENCH_ACTION_ITEMS`` (20,000) action items in all; plus one meeting with 200
invitees for the detail page. Reused once there.
"""

import datetime
import os
import random

from django.db import connection, transaction
from django.utils import timezone

MEETINGS = int(os.environ.get("BENCH_MEETINGS", "5000"))
INVITEES = int(os.environ.get("BENCH_INVITEES", "40"))
ACTION_ITEMS = int(os.environ.get("BENCH_ACTION_ITEMS", "20000"))
BIG = 200
MARK = "[uji beban]"
TITLES = ["Rakor Tim Terpadu", "Rapat teknis pencegahan konflik", "Evaluasi penanganan konflik",
          "Sosialisasi deteksi dini", "Monitoring kawasan tambang", "Rakor persiapan pilkada"]


def seed() -> dict:
    from meetings.models import ActionItem, Attendance, Invitation, Meeting, Minutes, Resolution
    from teams.models import Institution, Person, Team

    if Meeting.objects.filter(description__startswith=MARK).exists():
        return {"meetings": Meeting.objects.count(), "reused": True}
    rng = random.Random(11)
    teams = list(Team.objects.filter(status="aktif").order_by("pk"))
    people = list(Person.objects.order_by("pk"))
    institutions = list(Institution.objects.order_by("pk"))
    now = timezone.now()
    start = now - datetime.timedelta(days=3650)
    with transaction.atomic():
        meetings = []
        for i in range(MEETINGS):
            # Spread over ten years and the coming two months.
            at = start + datetime.timedelta(minutes=rng.randint(0, (3650 + 60) * 24 * 60))
            at = at.replace(hour=rng.choice([8, 9, 10, 13, 14]), minute=0, second=0, microsecond=0)
            past = at < now
            status = (Meeting.Status.SELESAI if rng.random() < 0.95 else Meeting.Status.DIBATALKAN) if past \
                else Meeting.Status.DIRENCANAKAN
            team = teams[i % len(teams)]
            meetings.append(Meeting(
                title=f"{rng.choice(TITLES)} {at.year}", kind=rng.choice([k.value for k in Meeting.Kind]),
                team=team, start=at, end=at + datetime.timedelta(hours=3), venue="Ruang Rapat Kesbangpol",
                description=f"{MARK} Rapat uji beban.", status=status,
                cancel_reason="Bentrok jadwal." if status == Meeting.Status.DIBATALKAN else "",
                letter_number=f"005/{i}/Kesbangpol/{at.year}", letter_date=at.date() - datetime.timedelta(days=7),
            ))
        # The detail page's meeting: this month, 200 invitees.
        meetings.append(Meeting(
            title="Rakor Besar Tim Terpadu Provinsi (200 undangan)", kind="rakor", team=teams[0],
            start=now + datetime.timedelta(days=7), end=now + datetime.timedelta(days=7, hours=4),
            venue="Aula Kantor Gubernur", description=f"{MARK} Rapat besar.", status=Meeting.Status.DIRENCANAKAN,
        ))
        created = Meeting.objects.bulk_create(meetings, batch_size=2000)
        big = created[-1]
        invitations = []
        for meeting in created:
            n = BIG if meeting.pk == big.pk else INVITEES
            for person in rng.sample(people, min(n, len(people))):
                past = meeting.start < now
                invitations.append(Invitation(
                    meeting=meeting, person=person, source="orang",
                    response=rng.choice(["hadir", "hadir", "tidak_hadir", "belum"]) if past or rng.random() < 0.5
                    else "belum",
                ))
        Invitation.objects.bulk_create(invitations, batch_size=10000)
        attendance = []
        for inv in Invitation.objects.filter(meeting__status="selesai", meeting__description__startswith=MARK).only(
                "pk", "response"):
            attendance.append(Attendance(invitation_id=inv.pk,
                                         status="hadir" if inv.response == "hadir" else "tidak_hadir"))
        Attendance.objects.bulk_create(attendance, batch_size=10000)
        done = [m for m in created if m.status == Meeting.Status.SELESAI]
        Minutes.objects.bulk_create([
            Minutes(meeting=m, note_taker="Sekretariat", opening="Rapat dibuka oleh Ketua.",
                    discussion="Pembahasan situasi keamanan dan potensi konflik.",
                    conclusions="Disepakati tindak lanjut.")
            for m in done
        ], batch_size=5000)
        resolutions = []
        for m in done:
            for number in (1, 2):
                resolutions.append(Resolution(meeting=m, number=number, text=f"Rumusan {number}: pemantauan bersama."))
        Resolution.objects.bulk_create(resolutions, batch_size=10000)
        items = []
        today = timezone.localdate()
        for k in range(ACTION_ITEMS):
            m = done[k % len(done)] if k < ACTION_ITEMS - 20 else big
            due = timezone.localdate(m.start) + datetime.timedelta(days=rng.randint(7, 60))
            status = rng.choice(["selesai", "selesai", "selesai", "dalam_proses", "terbuka"]) if due < today \
                else rng.choice(["terbuka", "dalam_proses"])
            items.append(ActionItem(
                meeting=m, description=f"Tindak lanjut {k + 1}: koordinasi pengamanan dan laporan.",
                owner_person=rng.choice(people), owner_institution=rng.choice(institutions), due_date=due,
                status=status, completed_at=now if status == "selesai" else None,
            ))
        ActionItem.objects.bulk_create(items, batch_size=10000)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE meetings_meeting; ANALYZE meetings_invitation; ANALYZE meetings_attendance; "
                           "ANALYZE meetings_actionitem")
    return {"meetings": Meeting.objects.count(), "invitations": Invitation.objects.count(),
            "action_items": ActionItem.objects.count()}


def _big_meeting():
    from meetings.models import Meeting

    return Meeting.objects.filter(description__startswith=MARK, title__contains="200").first()


def bench_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    big = _big_meeting()
    today = timezone.localdate()
    detail = reverse("meetings:meeting_detail", args=[big.pk]) if big else None
    return [
        ("meeting detail (200 invitees)", detail),
        ("meeting invitees tab (200)", f"{detail}?tab=undangan" if big else None),
        ("meeting check-in list (200)", reverse("meetings:meeting_checkin", args=[big.pk]) if big else None),
        ("meeting list", reverse("meetings:meeting_list")),
        ("meeting list (2 filters)", reverse("meetings:meeting_list") + "?kind=rakor&status=selesai"),
        ("meeting calendar", reverse("meetings:meeting_calendar")),
        ("meeting calendar (week)", reverse("meetings:meeting_calendar") + f"?minggu={today.isoformat()}"),
        ("overdue action items", reverse("meetings:action_items_overdue")),
    ]


def bench_extra(client, rounds: int = 5) -> None:
    """The one-click meeting PDF of the 200-invitee meeting (goal: under 3 s), timed in seconds."""
    import statistics
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    big = _big_meeting()
    if big is None:
        return
    url = reverse("meetings:meeting_report_pdf", args=[big.pk])
    client.get(url)  # warm-up: fonts
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        response = client.get(url)
        timings.append(time.perf_counter() - started)
    with CaptureQueriesContext(connection) as ctx:
        client.get(url)
    print(f"meeting PDF (200 invitees): status {response.status_code}, median {statistics.median(timings):.2f} s, "
          f"max {max(timings):.2f} s, {len(ctx.captured_queries)} queries, {len(response.content) // 1024} KiB "
          "(goal < 3 s)")


def loadtest_targets(user) -> dict:
    from django.urls import reverse

    from meetings.models import Meeting

    ids = list(Meeting.objects.restrict(user, "view").order_by("-start").values_list("pk", flat=True)[:100])
    pages = [reverse("meetings:meeting_list"), reverse("meetings:meeting_calendar"),
             reverse("meetings:action_items_mine")]
    pages += [reverse("meetings:meeting_detail", args=[pk]) for pk in ids]
    return {"urls": {"meeting_pages": pages}}
