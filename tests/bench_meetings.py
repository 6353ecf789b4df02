"""Meetings in the benchmark and the load test (``tests/bench.py``, ``tests/loadtest/run.py``).

``seed()`` loads by PostgreSQL COPY (``tests/bench_copy.py``; invitees and attendance derived by
PostgreSQL) ``BENCH_MEETINGS`` (5,000) meetings over the last 10 years, organised by the teams of
every region, each with 40 invitees (attendance recorded for past meetings), minutes with two
resolutions, and ``BENCH_ACTION_ITEMS`` (20,000) action items in all; plus one meeting with 200
invitees for the detail page, and a "created" history record for each meeting and minutes (the
detail page's history tab reads them). Reused once there. Prints how long it took.
"""

import datetime
import os
import random
import time

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
    """COPY the meetings with their minutes, resolutions and action items, and a "created" history
    record for each meeting and minutes (the detail page's history reads them); PostgreSQL derives the
    invitations and attendance from them. Prints the time it took. Returns the table counts."""
    from meetings.models import ActionItem, Attendance, Invitation, Meeting, Minutes, Resolution
    from teams.models import Institution, Person, Team
    from tests.bench_copy import Table, analyze, bulk_load_settings

    if Meeting.objects.filter(description__startswith=MARK).exists():
        return {"meetings": Meeting.objects.count(), "reused": True}
    started = time.perf_counter()
    rng = random.Random(11)
    team_ids = list(Team.objects.filter(status="aktif").order_by("pk").values_list("pk", flat=True))
    people = list(Person.objects.order_by("pk").values_list("pk", flat=True))
    institutions = list(Institution.objects.order_by("pk").values_list("pk", flat=True))
    now = timezone.now()
    start = now - datetime.timedelta(days=3650)
    today = timezone.localdate()
    kinds = [k.value for k in Meeting.Kind]
    tables = {model: Table(model) for model in (Meeting, Meeting.history.model, Invitation, Attendance, Minutes,
                                                 Minutes.history.model, Resolution, ActionItem)}
    with transaction.atomic():
        bulk_load_settings()
        ids = {model: table.next_id() for model, table in tables.items()}
        meetings = []
        for i in range(MEETINGS):
            # Spread over ten years and the coming two months.
            at = start + datetime.timedelta(minutes=rng.randint(0, (3650 + 60) * 24 * 60))
            at = at.replace(hour=rng.choice([8, 9, 10, 13, 14]), minute=0, second=0, microsecond=0)
            past = at < now
            status = (Meeting.Status.SELESAI.value if rng.random() < 0.95 else Meeting.Status.DIBATALKAN.value) \
                if past else Meeting.Status.DIRENCANAKAN.value
            meetings.append({
                "title": f"{rng.choice(TITLES)} {at.year}", "kind": rng.choice(kinds),
                "team_id": team_ids[i % len(team_ids)],
                "start": at, "end": at + datetime.timedelta(hours=3), "venue": "Ruang Rapat Kesbangpol",
                "description": f"{MARK} Rapat uji beban.", "status": status,
                "cancel_reason": "Bentrok jadwal." if status == Meeting.Status.DIBATALKAN else "",
                "letter_number": f"005/{i}/Kesbangpol/{at.year}", "letter_date": at.date() - datetime.timedelta(days=7),
                "created_at": min(at - datetime.timedelta(days=10), now),
            })
        # The detail page's meeting: next week, 200 invitees.
        at = now + datetime.timedelta(days=7)
        meetings.append({
            "title": "Rakor Besar Tim Terpadu Provinsi (200 undangan)", "kind": "rakor", "team_id": team_ids[0],
            "start": at, "end": at + datetime.timedelta(hours=4), "venue": "Aula Kantor Gubernur",
            "description": f"{MARK} Rapat besar.", "status": Meeting.Status.DIRENCANAKAN.value, "created_at": now,
        })
        for n, row in enumerate(meetings):
            row["id"] = ids[Meeting] + n
        big = meetings[-1]
        done = [m for m in meetings if m["status"] == Meeting.Status.SELESAI]
        minutes = [{"id": ids[Minutes] + n, "meeting_id": m["id"], "note_taker": "Sekretariat",
                    "opening": "Rapat dibuka oleh Ketua.",
                    "discussion": "Pembahasan situasi keamanan dan potensi konflik.",
                    "conclusions": "Disepakati tindak lanjut.", "updated_at": m["end"]} for n, m in enumerate(done)]
        resolutions = [{"id": ids[Resolution] + 2 * n + k, "meeting_id": m["id"], "number": k + 1,
                        "text": f"Rumusan {k + 1}: pemantauan bersama."} for n, m in enumerate(done) for k in (0, 1)]
        items = []
        for k in range(ACTION_ITEMS):
            m = done[k % len(done)] if k < ACTION_ITEMS - 20 else big
            due = timezone.localdate(m["start"]) + datetime.timedelta(days=rng.randint(7, 60))
            status = rng.choice(["selesai", "selesai", "selesai", "dalam_proses", "terbuka"]) if due < today \
                else rng.choice(["terbuka", "dalam_proses"])
            items.append({
                "id": ids[ActionItem] + k, "meeting_id": m["id"],
                "description": f"Tindak lanjut {k + 1}: koordinasi pengamanan dan laporan.",
                "owner_person_id": rng.choice(people), "owner_institution_id": rng.choice(institutions),
                "due_date": due, "status": status, "completed_at": now if status == "selesai" else None,
                "created_at": min(m["end"], now),
            })
        meeting_history = [{**m, "history_id": ids[Meeting.history.model] + n, "history_date": m["created_at"],
                            "history_type": "+"} for n, m in enumerate(meetings)]
        minutes_history = [{**m, "history_id": ids[Minutes.history.model] + n, "history_date": m["updated_at"],
                            "history_type": "+"} for n, m in enumerate(minutes)]
        generated = time.perf_counter()
        for model, rows in ((Meeting, meetings), (Meeting.history.model, meeting_history), (Minutes, minutes),
                            (Minutes.history.model, minutes_history), (Resolution, resolutions), (ActionItem, items)):
            tables[model].copy(rows)
        copied = time.perf_counter()
        # Invitees (a random sample of the register per meeting) and the attendance of the meetings held
        # are made by PostgreSQL from the meetings just copied: 400,000 rows without a Python loop.
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.11)")
            cursor.execute(_INVITATIONS_SQL.format(table=Invitation._meta.db_table, meetings=Meeting._meta.db_table,
                                                   people=Person._meta.db_table),
                           {"first": ids[Meeting], "big": big["id"], "big_n": BIG, "n": INVITEES})
            invitations = cursor.rowcount
            cursor.execute(_ATTENDANCE_SQL.format(table=Attendance._meta.db_table, meetings=Meeting._meta.db_table,
                                                  invitations=Invitation._meta.db_table), {"first": ids[Meeting]})
            attendance = cursor.rowcount
        derived = time.perf_counter()
        for table in tables.values():
            table.reset_sequence()
    analyze(*(table.name for table in tables.values()))
    finished = time.perf_counter()
    print(f"seeded {len(meetings):,} meetings ({invitations:,} invitations, {attendance:,} attendance, "
          f"{len(items):,} action items) in {finished - started:.1f} s: generated {generated - started:.1f} s, "
          f"COPY {copied - generated:.1f} s, derived rows {derived - copied:.1f} s, "
          f"ANALYZE {finished - derived:.1f} s", flush=True)
    return {"meetings": Meeting.objects.count(), "invitations": Invitation.objects.count(),
            "action_items": ActionItem.objects.count()}


# Each meeting's invitees: distinct people drawn at random (m.id in the sort keeps the draw per meeting);
# past meetings were answered (hadir twice as likely), future ones half of the time.
_INVITATIONS_SQL = """
INSERT INTO {table} (meeting_id, person_id, guest_name, guest_institution, guest_position, guest_email, source,
                     source_label, response, delegate_name, response_note, responded_at, created_at)
SELECT m.id, p.id, '', '', '', '', 'orang', '',
       CASE WHEN m.start < now() OR random() < 0.5
            THEN (ARRAY['hadir', 'hadir', 'tidak_hadir', 'belum'])[1 + floor(random() * 4)::int] ELSE 'belum' END,
       '', '', NULL, m.created_at
FROM {meetings} m
CROSS JOIN LATERAL (
    SELECT id FROM {people} ORDER BY random() + 0 * m.id
    LIMIT CASE WHEN m.id = %(big)s THEN %(big_n)s ELSE %(n)s END
) p
WHERE m.id >= %(first)s
ORDER BY m.id, p.id
"""

_ATTENDANCE_SQL = """
INSERT INTO {table} (invitation_id, status, representative_name, arrived_at, recorded_by_id, recorded_at)
SELECT i.id, CASE WHEN i.response = 'hadir' THEN 'hadir' ELSE 'tidak_hadir' END, '', NULL, NULL, m."end"
FROM {invitations} i JOIN {meetings} m ON m.id = i.meeting_id
WHERE m.id >= %(first)s AND m.status = 'selesai'
ORDER BY i.id
"""


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
