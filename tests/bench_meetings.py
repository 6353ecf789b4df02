"""Meetings at volume for ``make bench`` (called by ``tests/bench.py``): 5,000 meetings with 40 invitees
each (200,000 invitations, attendance for the meetings already held), 20,000 action items, and one
meeting with 200 invitees, minutes, resolutions and action items for the detail page and its PDF.

Bulk inserts (``bulk_create``), idempotent by the ``BENCH`` marker in the titles; ``BENCH_RESET=1``
(tests/bench.py) starts over.
"""

import datetime
import random
import statistics
import time

from django.db import transaction
from django.utils import timezone

MARK = "BENCH"
MEETINGS = 5_000
INVITEES = 40
ACTION_ITEMS = 20_000
BIG_INVITEES = 200
BATCH = 5_000
BIG_TITLE = f"{MARK} Rakor besar dengan 200 undangan"


def _big_meeting():
    from meetings.models import Meeting

    return Meeting.objects.filter(title=BIG_TITLE).first()


@transaction.atomic
def seed() -> dict:
    from meetings.models import ActionItem, AgendaItem, Attendance, Invitation, Meeting, Minutes, Resolution
    from teams.models import Person, Team

    existing = Meeting.objects.filter(title__startswith=MARK).count()
    if existing >= MEETINGS:
        return {
            "meetings": existing,
            "invitations": Invitation.objects.count(),
            "action_items": ActionItem.objects.count(),
        }
    rng = random.Random(8)
    teams = list(Team.objects.filter(status="aktif").order_by("pk"))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    tz = timezone.get_current_timezone()
    now = timezone.now()
    today = timezone.localdate()
    first_day = today - datetime.timedelta(days=3 * 365)
    kinds = ["rakor", "teknis", "evaluasi", "sosialisasi", "monitoring"]
    meetings = []
    for i in range(MEETINGS):
        day = first_day + datetime.timedelta(days=rng.randrange(4 * 365))
        start = timezone.make_aware(datetime.datetime.combine(day, datetime.time(rng.choice([8, 9, 10, 13, 14]))), tz)
        past = start < now
        meetings.append(
            Meeting(
                title=f"{MARK} Rapat koordinasi {i}",
                kind=rng.choice(kinds),
                team=rng.choice(teams),
                start=start,
                end=start + datetime.timedelta(hours=rng.choice([2, 3, 4])),
                venue=f"Ruang Rapat {i % 17}",
                status="selesai" if past else ("dibatalkan" if i % 50 == 0 else "direncanakan"),
                cancel_reason="Ditunda" if (not past and i % 50 == 0) else "",
                letter_number=f"005/{i}/BENCH",
                letter_date=day,
            )
        )
    meetings = Meeting.objects.bulk_create(meetings, batch_size=BATCH)
    invitations = []
    for m in meetings:
        for pk in rng.sample(people, min(INVITEES, len(people))):
            answered = m.status == "selesai" or rng.random() < 0.5
            invitations.append(
                Invitation(
                    meeting=m,
                    person_id=pk,
                    response=rng.choice(["hadir", "hadir", "tidak_hadir"]) if answered else "belum",
                    source="tim",
                )
            )
        if len(invitations) >= BATCH * 4:
            Invitation.objects.bulk_create(invitations, batch_size=BATCH)
            invitations = []
    Invitation.objects.bulk_create(invitations, batch_size=BATCH)
    held = (
        Invitation.objects.filter(meeting__title__startswith=MARK, meeting__status="selesai")
        .values_list("pk", flat=True)
        .iterator(chunk_size=BATCH)
    )
    batch = []
    for pk in held:
        batch.append(Attendance(invitation_id=pk, status="hadir" if rng.random() < 0.85 else "tidak_hadir"))
        if len(batch) >= BATCH * 4:
            Attendance.objects.bulk_create(batch, batch_size=BATCH)
            batch = []
    Attendance.objects.bulk_create(batch, batch_size=BATCH)
    past_meetings = [m for m in meetings if m.status == "selesai"]
    items = []
    for i in range(ACTION_ITEMS):
        m = rng.choice(past_meetings)
        due = timezone.localdate(m.start) + datetime.timedelta(days=rng.randrange(7, 120))
        status = rng.choice(["terbuka", "dalam_proses", "selesai", "selesai"])
        items.append(
            ActionItem(
                meeting=m,
                description=f"{MARK} tindak lanjut {i}",
                owner_person_id=rng.choice(people),
                due_date=due,
                status=status,
                completed_at=now if status == "selesai" else None,
            )
        )
    ActionItem.objects.bulk_create(items, batch_size=BATCH)

    # The detail page's meeting: 200 invitees (attendance recorded), agenda, minutes, resolutions, items.
    start = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=2), datetime.time(9)), tz)
    big = Meeting.objects.create(
        title=BIG_TITLE,
        kind="rakor",
        team=teams[0],
        start=start,
        end=start + datetime.timedelta(hours=4),
        venue="Hotel Bangka City",
        status="selesai",
        chair_id=people[0],
        opener_id=people[0],
    )
    AgendaItem.objects.bulk_create([AgendaItem(meeting=big, order=n, title=f"Acara {n}") for n in range(1, 7)])
    invs = Invitation.objects.bulk_create(
        [
            Invitation(meeting=big, person_id=pk, response="hadir", source="tim")
            for pk in rng.sample(people, min(BIG_INVITEES, len(people)))
        ]
    )
    Attendance.objects.bulk_create(
        [Attendance(invitation=inv, status="hadir" if n % 9 else "tidak_hadir") for n, inv in enumerate(invs)]
    )
    Minutes.objects.create(
        meeting=big,
        note_taker="Sekretariat",
        opening="Rapat dibuka.\n" * 5,
        discussion="Pembahasan panjang.\n" * 40,
        conclusions="Kesimpulan.\n" * 5,
    )
    resolutions = Resolution.objects.bulk_create(
        [Resolution(meeting=big, number=n, text=f"Rumusan nomor {n} " * 4) for n in range(1, 16)]
    )
    ActionItem.objects.bulk_create(
        [
            ActionItem(
                meeting=big,
                resolution=resolutions[n % 15],
                description=f"Tindak lanjut {n}",
                owner_person_id=people[n],
                due_date=today + datetime.timedelta(days=n),
            )
            for n in range(30)
        ]
    )
    from django.db import connection

    if connection.vendor == "postgresql":  # fresh statistics after bulk inserts, as autovacuum would make them
        with connection.cursor() as cursor:
            for table in ("meetings_meeting", "meetings_invitation", "meetings_attendance", "meetings_actionitem"):
                cursor.execute(f"ANALYZE {table}")
    return {
        "meetings": Meeting.objects.count(),
        "invitations": Invitation.objects.count(),
        "attendance": Attendance.objects.count(),
        "action_items": ActionItem.objects.count(),
    }


def bench_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    big = _big_meeting()
    if big is None:
        return []
    month = timezone.localdate().strftime("%Y-%m")
    return [
        ("meeting list", reverse("meetings:meeting_list")),
        ("meeting list (filtered)", reverse("meetings:meeting_list") + "?kind=rakor&status=selesai"),
        ("meeting calendar (month)", reverse("meetings:meeting_calendar") + f"?bulan={month}"),
        (
            "meeting calendar (week)",
            reverse("meetings:meeting_calendar") + "?minggu=" + timezone.localdate().isoformat(),
        ),
        ("meeting detail (200 invitees)", reverse("meetings:meeting_detail", args=[big.pk])),
        ("meeting invitees tab (200)", reverse("meetings:meeting_detail", args=[big.pk]) + "?tab=undangan"),
        ("meeting check-in list (200)", reverse("meetings:meeting_checkin", args=[big.pk])),
        ("overdue action items", reverse("meetings:action_items_overdue")),
    ]


def bench_extra(client, rounds: int = 5) -> None:
    """The one-click meeting PDF of the 200-invitee meeting (goal: under 3 s)."""
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
    print(
        f"meeting PDF (200 invitees): status {response.status_code}, median {statistics.median(timings):.2f} s, "
        f"max {max(timings):.2f} s, {len(ctx.captured_queries)} queries, {len(response.content) // 1024} KiB "
        f"(goal < 3 s)"
    )
