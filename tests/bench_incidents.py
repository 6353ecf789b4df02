"""Incidents in the benchmark and the load test (``tests/bench.py``, ``tests/loadtest/run.py``).

``seed()`` loads ``BENCH_INCIDENTS`` (100,000) incidents over the last 10 years across every
regency/city, kecamatan and desa of the province by PostgreSQL COPY (``tests/bench_copy.py``), then
has PostgreSQL derive from them their workflow transitions, follow-ups and one "created" history
record each (the history page reads it), and moves the reference counters past them (so new reports
get fresh numbers). Reused once there. The plain indexes (the trigram search ones too) are dropped
during the load and built once after it, and the tables are vacuumed (visibility map: the list's
counts and the map's grouped counts are then index-only scans, as autovacuum makes them in
production). Prints how long each part took.

``bench_pages()`` adds to the issue's four pages (list, list with three filters, detail, map data) the
free-text search, the map data with three filters and the exports of one year (about 10,000 rows).
"""

import datetime
import os
import random
import time

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

INCIDENTS = int(os.environ.get("BENCH_INCIDENTS", "100000"))
MARK = "[uji beban]"
TITLES = [
    "Sengketa lahan tambang timah", "Bentrok nelayan tradisional dan kapal isap", "Penolakan tambak udang",
    "Sengketa batas desa", "Demonstrasi penolakan smelter", "Perkelahian antarpemuda", "Sengketa tanah ulayat",
    "Ketegangan jelang pilkades", "Penolakan pembangunan rumah ibadah", "Konflik buruh perkebunan sawit",
    "Pengrusakan ponton tambang inkonvensional", "Sengketa hasil pemilu", "Blokade jalan tambang",
]


def _leaf_categories():
    from incidents.models import Category

    return list(Category.objects.filter(children__isnull=True, is_active=True))


def seed(count: int = INCIDENTS) -> dict:
    """COPY ``count`` incidents (minus those already there) with their transitions, follow-ups and one
    "created" history record each; prints the time it took. Returns the table counts."""
    from django.contrib.auth import get_user_model

    from incidents.models import FollowUp, Incident, IncidentTransition, ReferenceCounter
    from teams.models import Institution, Region, Team
    from tests.bench_copy import Table, analyze, bulk_load_settings

    done = Incident.objects.filter(chronology__startswith=MARK).count()
    if done >= count:
        return {"incidents": Incident.objects.count(), "reused": True}
    started = time.perf_counter()
    rng = random.Random(7)
    reporter = get_user_model().objects.filter(is_superuser=False, groups__name="Staf Provinsi").order_by("pk").first()
    reporter_id = reporter.pk if reporter else get_user_model().objects.order_by("pk").values_list("pk", flat=True)[0]
    regencies = list(Region.objects.filter(level__in=["kabupaten", "kota"]).order_by("code"))
    kecamatan = {}
    for row in Region.objects.filter(level="kecamatan").order_by("code"):
        kecamatan.setdefault(row.parent_id, []).append(row)
    desa = {}
    for row in Region.objects.filter(level__in=["desa", "kelurahan"]).order_by("code"):
        desa.setdefault(row.parent_id, []).append(row)
    teams = {t.region_id: t.pk for t in Team.objects.filter(status="aktif")}
    category_ids = [c.pk for c in _leaf_categories()]
    institution_ids = list(Institution.objects.order_by("pk").values_list("pk", flat=True)[:40])
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * 10)
    span = (today - start).days
    tz = timezone.get_current_timezone()
    counters: dict[tuple[str, int], int] = {
        (c.region_code, c.year): c.last for c in ReferenceCounter.objects.all()
    }
    S = Incident.Status
    path = _paths(S)[S.SELESAI.value]
    recent_choices = path[1:] + [S.DITOLAK.value, S.DRAF.value]
    handled = {S.DITANGANI.value, S.PEMULIHAN.value, S.SELESAI.value}
    unassigned = {S.DRAF.value, S.DILAPORKAN.value, S.DITOLAK.value}
    severities = ["rendah"] * 50 + ["sedang"] * 30 + ["tinggi"] * 15 + ["kritis"] * 5
    sources = [c.value for c in Incident.Source]
    forms = [c.value for c in Incident.ViolenceForm]
    actors = [c.value for c in Incident.ActorType]
    info_sources = [c.value for c in Incident.InfoSource]
    follow_up_kinds = [c.value for c in FollowUp.Kind]
    phases = ["pencegahan", "penghentian", "pemulihan"]
    chronology = f"{MARK} Laporan awal dari lapangan; para pihak telah dimintai keterangan."
    total = count - done

    incidents_t = Table(Incident)
    history_t = Table(Incident.history.model)
    transitions_t = Table(IncidentTransition)
    follow_ups_t = Table(FollowUp)
    tables = (incidents_t, history_t, transitions_t, follow_ups_t)
    with transaction.atomic():
        bulk_load_settings()
        # Every plain index (the trigram search ones too) is built once after the load; back on any failure.
        rebuild = [statement for table in tables for statement in table.drop_indexes()]
        first_id = incidents_t.next_id()

        def incident_rows():  # generated while COPY streams them (a million dicts would not fit)
            for n in range(total):
                region = rng.choice(regencies)
                kec = rng.choice(kecamatan.get(region.pk) or [None])
                village = rng.choice(desa.get(kec.pk) or [None]) if kec else None
                occurred = start + datetime.timedelta(days=int(span * rng.random() ** 0.7))
                age = (today - occurred).days
                # Old reports are closed; recent ones spread over the workflow.
                if age > 365:
                    status = S.SELESAI.value if rng.random() < 0.9 else S.DITOLAK.value
                else:
                    status = rng.choice(recent_choices if age < 60 else path[2:])
                key = (region.code, occurred.year)
                counters[key] = counters.get(key, 0) + 1
                kind = "peristiwa" if rng.random() < 0.3 else "potensi"
                coords = rng.random() < 0.7
                victims = kind == "peristiwa" and rng.random() < 0.4
                reported_at = datetime.datetime(occurred.year, occurred.month, occurred.day, 9, tzinfo=tz) \
                    + datetime.timedelta(hours=rng.randint(1, 72))
                pk = first_id + n
                row = {
                    "id": pk, "reference": f"INS-{region.code}-{occurred.year}-{counters[key]:04d}",
                    "title": f"{rng.choice(TITLES)} di {village.name if village else region.name}",
                    "chronology": chronology, "kind": kind, "occurred_on": occurred, "date_precision": "tepat",
                    "reported_at": reported_at, "region_id": region.pk,
                    "kecamatan_id": kec.pk if kec else None, "desa_id": village.pk if village else None,
                    "latitude": f"{rng.uniform(-3.3, -1.5):.6f}" if coords else None,
                    "longitude": f"{rng.uniform(105.2, 108.2):.6f}" if coords else None,
                    "source": rng.choice(sources), "category_id": rng.choice(category_ids),
                    "violence_form": rng.choice(forms) if kind == "peristiwa" else "tanpa_kekerasan",
                    "phase": rng.choice(phases), "severity": rng.choice(severities),
                    "party_a_type": rng.choice(actors), "party_a_name": "Warga desa",
                    "party_b_type": rng.choice(actors), "party_b_name": "Perusahaan",
                    "killed": rng.randint(0, 2) if victims else 0, "injured": rng.randint(0, 10) if victims else 0,
                    "displaced": rng.randint(0, 50) if victims else 0,
                    "estimated_loss": rng.randint(0, 500) * 1_000_000 if victims else 0,
                    "info_source": rng.choice(info_sources),
                    "classification": rng.choices(["biasa", "terbatas", "rahasia"], weights=[87, 10, 3])[0],
                    "handling_team_id": None if status in unassigned else teams.get(region.pk),
                    "status": status, "rejection_reason": "Bukan konflik sosial." if status == S.DITOLAK else "",
                    "reporter_id": reporter_id,
                    # A real archive was created when reported and last changed then, not "now".
                    "created_at": reported_at, "updated_at": reported_at, "version": 1,
                }
                yield row
        incidents_t.copy(incident_rows())
        copied = time.perf_counter()
        # The rows that follow from each incident are made by PostgreSQL from the rows just copied: no
        # Python loop over 800,000 rows. Same distributions as before: the workflow path up to the
        # status, each step 2-96 hours after the last (never in the future), 1-3 follow-ups 3 days apart
        # for handled reports, and one "created" history record at the time of the report.
        with connection.cursor() as cursor:
            cursor.execute("SELECT setseed(0.7)")
            cursor.execute(_HISTORY_SQL.format(table=history_t.name, columns=", ".join(_history_columns(history_t))),
                           [first_id])
            steps = [(final, n, before, after) for final, seq in _paths(S).items()
                     for n, (before, after) in enumerate(zip([""] + seq[:-1], seq, strict=True))]
            cursor.execute(_TRANSITIONS_SQL.format(
                table=transitions_t.name, steps=", ".join(["(%s, %s, %s, %s)"] * len(steps))),
                [v for step in steps for v in step] + [first_id])
            transitions = cursor.rowcount
            cursor.execute(_FOLLOW_UPS_SQL.format(table=follow_ups_t.name), {
                "kinds": follow_up_kinds, "institutions": institution_ids or [None], "tz": settings.TIME_ZONE,
                "first_id": first_id, "handled": sorted(handled),
                "text": "Koordinasi dengan para pihak dan pemantauan lapangan.",
            })
            follow_ups = cursor.rowcount
        derived = time.perf_counter()
        for table in tables:
            table.reset_sequence()
        for (code, year), last in counters.items():
            ReferenceCounter.objects.update_or_create(region_code=code, year=year, defaults={"last": last})
        with connection.cursor() as cursor:  # in the transaction: with its maintenance_work_mem
            for statement in rebuild:
                cursor.execute(statement)
        indexed = time.perf_counter()
    analyze(*(table.name for table in tables), vacuum=True)
    finished = time.perf_counter()
    print(f"seeded {total:,} incidents ({transitions:,} transitions, {follow_ups:,} follow-ups, {total:,} history "
          f"records) in {finished - started:.1f} s: generated and COPY {copied - started:.1f} s, "
          f"derived rows {derived - copied:.1f} s, "
          f"{len(rebuild)} indexes {indexed - derived:.1f} s, VACUUM ANALYZE {finished - indexed:.1f} s", flush=True)
    return {"incidents": Incident.objects.count(), "transitions": IncidentTransition.objects.count(),
            "follow_ups": FollowUp.objects.count()}


def _paths(S) -> dict[str, list[str]]:
    """Final status -> the statuses it went through (the workflow of incidents/services.py)."""
    path = [S.DRAF.value, S.DILAPORKAN.value, S.TERVERIFIKASI.value, S.DITANGANI.value, S.PEMULIHAN.value,
            S.SELESAI.value]
    out = {status: path[: i + 1] for i, status in enumerate(path)}
    out[S.DITOLAK.value] = [S.DRAF.value, S.DILAPORKAN.value, S.DITOLAK.value]
    return out


def _history_columns(history_table) -> list[str]:
    return [c for c in history_table.columns if not c.startswith("history_")]


_HISTORY_SQL = """
INSERT INTO {table} ({columns}, history_date, history_change_reason, history_type, history_user_id)
SELECT {columns}, reported_at, NULL, '+', reporter_id FROM incidents_incident WHERE id >= %s ORDER BY id
"""

# Step n of an incident's path happens the sum of n random 2-96 hour gaps after the report.
_TRANSITIONS_SQL = """
INSERT INTO {table} (incident_id, from_status, to_status, by_id, at, note)
SELECT id, from_status, to_status, reporter_id, LEAST(at, now()), ''
FROM (
    SELECT i.id, s.n, s.from_status, s.to_status, i.reporter_id,
           i.reported_at + make_interval(hours => (SUM(CASE WHEN s.n = 0 THEN 0 ELSE 2 + floor(random() * 95) END)
               OVER (PARTITION BY i.id ORDER BY s.n))::int) AS at
    FROM incidents_incident i
    JOIN (VALUES {steps}) AS s(final, n, from_status, to_status) ON s.final = i.status
    WHERE i.id >= %s
) steps
ORDER BY id, n
"""

_FOLLOW_UPS_SQL = """
INSERT INTO {table} (incident_id, date, kind, institution_id, description, created_by_id, created_at)
SELECT i.id, i.occurred_on + 3 * k,
       (%(kinds)s::text[])[1 + floor(random() * cardinality(%(kinds)s::text[]))::int],
       (%(institutions)s::int[])[1 + floor(random() * cardinality(%(institutions)s::int[]))::int],
       %(text)s, i.reporter_id,
       LEAST(((i.occurred_on + 3 * k) + time '15:00') AT TIME ZONE %(tz)s, now())
FROM incidents_incident i
-- i.id in the bound keeps the count random per incident (an uncorrelated series would be drawn once).
CROSS JOIN LATERAL generate_series(0, floor(random() * 3 + 0 * i.id)::int) AS k
WHERE i.id >= %(first_id)s AND i.status = ANY(%(handled)s)
ORDER BY i.id, k
"""


def _busiest_incident():
    """An incident with a full timeline (several transitions and follow-ups), not rahasia."""
    from incidents.models import Incident

    return (Incident.objects.filter(status="selesai", classification="biasa", chronology__startswith=MARK)
            .order_by("-occurred_on").first())


def bench_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from teams.models import Region

    incident = _busiest_incident()
    region = Region.objects.filter(level="kabupaten").order_by("code").first()
    base = reverse("incidents:incident_list")
    year = timezone.localdate().year
    return [
        ("incident list", base),
        ("incident list (50 rows)", f"{base}?per_page=50"),
        ("incident list (3 filters)", f"{base}?status=selesai&region={region.pk}&date_from={year - 3}-01-01"),
        ("incident detail", reverse("incidents:incident_detail", args=[incident.pk]) if incident else None),
        ("map data", reverse("incidents:incident_map_data")),
        ("map data (3 filters)",
         f"{reverse('incidents:incident_map_data')}?kind=peristiwa&severity=tinggi&date_from={year - 3}-01-01"),
        ("incident list (search)", f"{base}?q=kapal+isap"),
        ("incident export .csv (1 year)",
         f"{reverse('incidents:incident_export', args=['csv'])}?date_from={year - 2}-01-01&date_to={year - 2}-12-31"),
        ("incident export .xlsx (1 year)",
         f"{reverse('incidents:incident_export', args=['xlsx'])}?date_from={year - 2}-01-01&date_to={year - 2}-12-31"),
    ]


def bench_extra(client, rounds: int = 15) -> None:
    """The incident list's count and the map's figures are cached until an incident-side write
    (``kesbang.core.generations``), so the page rows above time the cached read. Here the first visit
    after a write: the generation bumped before each request, so each one counts (and groups) again.
    Printed for the record, held to no target."""
    import statistics

    from django.urls import reverse

    from kesbang.core import generations

    floor_url = reverse("password_change")
    base = reverse("incidents:incident_list")
    year = timezone.localdate().year
    rows = [("incident list (search)", f"{base}?q=kapal+isap"),
            ("map data (3 filters)",
             f"{reverse('incidents:incident_map_data')}?kind=peristiwa&severity=tinggi&date_from={year - 3}-01-01")]
    for label, url in rows:
        client.get(url)
        times, ratios = [], []
        for _ in range(rounds):
            started = time.perf_counter()
            client.get(floor_url)
            floor = time.perf_counter() - started
            generations.bump("incidents")
            started = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            ratios.append(times[-1] / (floor * 1000))
        print(f"{label + ', after a write':38} median {statistics.median(times):.1f} ms, "
              f"{statistics.median(ratios):.1f}x floor (counted again: the first visit after an incident-side write)")


def loadtest_targets(user) -> dict:
    """Per login: incident pages it may open, and (for logins that may report) the write steps."""
    from django.urls import reverse

    from incidents.models import Category, Incident
    from teams.access import scope_of
    from teams.models import Region

    visible = Incident.objects.restrict(user, "view")
    ids = list(visible.order_by("-occurred_on").values_list("pk", flat=True)[:300])
    base = reverse("incidents:incident_list")
    regions = list(Region.objects.filter(level__in=["kabupaten", "kota"]).values_list("pk", "code"))
    scope = scope_of(user)
    own = [pk for pk, code in regions if scope.covers(code)]
    urls = {
        "incident_list": [base, f"{base}?status=ditangani", f"{base}?severity=tinggi&kind=peristiwa",
                          f"{base}?q=tambang", f"{base}?page=3"] + [f"{base}?region={pk}" for pk in own],
        "incident_detail": [reverse("incidents:incident_detail", args=[pk]) for pk in ids],
        "incident_map": [reverse("incidents:incident_map_data"),
                         f"{reverse('incidents:incident_map_data')}?date_from={timezone.localdate().year}-01-01"],
    }
    out = {"urls": urls}
    if user.has_perm("incidents.add_incident") and own and not user.groups.filter(name="Pimpinan").exists():
        region = Region.objects.get(pk=own[0])
        category = Category.objects.filter(children__isnull=True, is_active=True).order_by("pk").first()
        out["incident_writes"] = [{
            "name": "incident create",
            "form": reverse("incidents:incident_create"),
            "fields": {
                "title": "Uji beban: sengketa lahan", "kind": "potensi", "occurred_on": str(timezone.localdate()),
                "region": str(region.pk), "chronology": "Laporan uji beban.", "source": "sda",
                "category": str(category.pk), "severity": "rendah", "date_precision": "tepat",
                "violence_form": "tanpa_kekerasan", "phase": "pencegahan", "info_source": "anggota_tim",
                "classification": "biasa", "estimated_loss": "0",
            },
            "new_client_key": True,
        }]
        if user.has_perm("incidents.add_followup"):
            out["incident_writes"].append({
                "name": "follow-up add", "form": "{location}tindak-lanjut/",
                "fields": {"date": str(timezone.localdate()), "kind": "koordinasi",
                           "description": "Koordinasi uji beban."},
            })
    return out
