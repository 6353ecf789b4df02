"""Incidents in the benchmark and the load test (``tests/bench.py``, ``tests/loadtest/run.py``).

``seed()`` bulk-inserts ``BENCH_INCIDENTS`` (100,000) incidents over the last 10 years across every
regency/city, kecamatan and desa of the province, with their workflow transitions and follow-ups,
and moves the reference counters past them (so new reports get fresh numbers). Reused once there.
On PostgreSQL the trigram search indexes are dropped during the load and built once after it, and the
table is vacuumed (visibility map: the list's counts and the map's grouped counts are then index-only
scans, as autovacuum makes them in production).

``bench_pages()`` adds to the issue's four pages (list, list with three filters, detail, map data) the
free-text search, the map data with three filters and the exports of one year (about 10,000 rows).
"""

import datetime
import os
import random
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import F
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
    from django.contrib.auth import get_user_model

    from incidents.models import FollowUp, Incident, IncidentTransition, ReferenceCounter
    from teams.models import Institution, Region, Team

    done = Incident.objects.filter(chronology__startswith=MARK).count()
    if done >= count:
        return {"incidents": Incident.objects.count(), "reused": True}
    rng = random.Random(7)
    reporter = get_user_model().objects.filter(is_superuser=False, groups__name="Staf Provinsi").order_by("pk").first()
    regencies = list(Region.objects.filter(level__in=["kabupaten", "kota"]).order_by("code"))
    kecamatan = {}
    for row in Region.objects.filter(level="kecamatan"):
        kecamatan.setdefault(row.parent_id, []).append(row)
    desa = {}
    for row in Region.objects.filter(level__in=["desa", "kelurahan"]):
        desa.setdefault(row.parent_id, []).append(row)
    teams = {t.region_id: t for t in Team.objects.filter(status="aktif")}
    categories = _leaf_categories()
    institutions = list(Institution.objects.all()[:40])
    today = timezone.localdate()
    start = today - datetime.timedelta(days=365 * 10)
    span = (today - start).days
    counters: dict[tuple[str, int], int] = {
        (c.region_code, c.year): c.last for c in ReferenceCounter.objects.all()
    }
    S = Incident.Status
    path = [S.DRAF, S.DILAPORKAN, S.TERVERIFIKASI, S.DITANGANI, S.PEMULIHAN, S.SELESAI]
    severities = ["rendah"] * 50 + ["sedang"] * 30 + ["tinggi"] * 15 + ["kritis"] * 5
    sources = [c.value for c in Incident.Source]
    forms = [c.value for c in Incident.ViolenceForm]
    actors = [c.value for c in Incident.ActorType]
    batch_size = 5000
    total = count - done
    made = 0
    trigram = _drop_trigram_indexes()
    with transaction.atomic():
        while made < total:
            rows = []
            for _ in range(min(batch_size, total - made)):
                region = rng.choice(regencies)
                kec = rng.choice(kecamatan.get(region.pk) or [None])
                village = rng.choice(desa.get(kec.pk) or [None]) if kec else None
                occurred = start + datetime.timedelta(days=int(span * rng.random() ** 0.7))
                age = (today - occurred).days
                # Old reports are closed; recent ones spread over the workflow.
                if age > 365:
                    status = S.SELESAI if rng.random() < 0.9 else S.DITOLAK
                else:
                    status = rng.choice(path[1:] + [S.DITOLAK, S.DRAF] if age < 60 else path[2:])
                year = occurred.year
                key = (region.code, year)
                counters[key] = counters.get(key, 0) + 1
                kind = "peristiwa" if rng.random() < 0.3 else "potensi"
                coords = rng.random() < 0.7
                victims = kind == "peristiwa" and rng.random() < 0.4
                rows.append(Incident(
                    reference=f"INS-{region.code}-{year}-{counters[key]:04d}",
                    title=f"{rng.choice(TITLES)} di {village.name if village else region.name}",
                    chronology=f"{MARK} Laporan awal dari lapangan; para pihak telah dimintai keterangan.",
                    kind=kind, occurred_on=occurred,
                    reported_at=timezone.make_aware(datetime.datetime.combine(occurred, datetime.time(9)))
                    + datetime.timedelta(hours=rng.randint(1, 72)),
                    region=region, kecamatan=kec, desa=village,
                    latitude=Decimal(f"{rng.uniform(-3.3, -1.5):.6f}") if coords else None,
                    longitude=Decimal(f"{rng.uniform(105.2, 108.2):.6f}") if coords else None,
                    source=rng.choice(sources), category=rng.choice(categories),
                    violence_form=rng.choice(forms) if kind == "peristiwa" else "tanpa_kekerasan",
                    phase=rng.choice(["pencegahan", "penghentian", "pemulihan"]),
                    severity=rng.choice(severities), party_a_type=rng.choice(actors), party_a_name="Warga desa",
                    party_b_type=rng.choice(actors), party_b_name="Perusahaan",
                    killed=rng.randint(0, 2) if victims else 0, injured=rng.randint(0, 10) if victims else 0,
                    displaced=rng.randint(0, 50) if victims else 0,
                    estimated_loss=Decimal(rng.randint(0, 500) * 1_000_000) if victims else 0,
                    info_source=rng.choice([c.value for c in Incident.InfoSource]),
                    classification=rng.choices(["biasa", "terbatas", "rahasia"], weights=[87, 10, 3])[0],
                    handling_team=teams.get(region.pk) if status not in (S.DRAF, S.DILAPORKAN, S.DITOLAK) else None,
                    status=status, rejection_reason="Bukan konflik sosial." if status == S.DITOLAK else "",
                    reporter=reporter,
                ))
            created = Incident.objects.bulk_create(rows, batch_size=batch_size)
            transitions, follow_ups = [], []
            for incident in created:
                steps = [S.DRAF] if incident.status == S.DRAF else (
                    [S.DRAF, S.DILAPORKAN, S.DITOLAK] if incident.status == S.DITOLAK
                    else path[: path.index(incident.status) + 1])
                at = incident.reported_at
                for before, after in zip([""] + steps[:-1], steps, strict=True):
                    transitions.append(IncidentTransition(incident=incident, from_status=before, to_status=after,
                                                          by=reporter, at=at))
                    at += datetime.timedelta(hours=rng.randint(2, 96))
                if incident.status in (S.DITANGANI, S.PEMULIHAN, S.SELESAI):
                    for n in range(rng.randint(1, 3)):
                        follow_ups.append(FollowUp(
                            incident=incident, date=incident.occurred_on + datetime.timedelta(days=n * 3),
                            kind=rng.choice([c.value for c in FollowUp.Kind]), institution=rng.choice(institutions),
                            description="Koordinasi dengan para pihak dan pemantauan lapangan.", created_by=reporter))
            IncidentTransition.objects.bulk_create(transitions, batch_size=10000)
            FollowUp.objects.bulk_create(follow_ups, batch_size=10000)
            made += len(rows)
        for (code, year), last in counters.items():
            ReferenceCounter.objects.update_or_create(region_code=code, year=year, defaults={"last": last})
        # Bulk inserts stamp every row "changed now"; a real archive was last changed when reported.
        Incident.objects.filter(chronology__startswith=MARK).update(updated_at=F("reported_at"))
    with connection.cursor() as cursor:
        for statement in trigram:
            cursor.execute(statement)
        if connection.vendor == "postgresql":
            for table in ("incidents_incident", "incidents_incidenttransition", "incidents_followup"):
                cursor.execute(f"VACUUM ANALYZE {table}")
    return {"incidents": Incident.objects.count(), "transitions": IncidentTransition.objects.count(),
            "follow_ups": FollowUp.objects.count()}


def _drop_trigram_indexes() -> list[str]:
    """PostgreSQL: drop the GIN trigram indexes (cheaper built once than updated row by row); returns the
    statements that recreate them."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'incidents_incident' "
                       "AND indexname LIKE '%%_trgm'")
        statements = [row[0] for row in cursor.fetchall()]
        cursor.execute("DROP INDEX IF EXISTS incident_title_trgm, incident_chronology_trgm")
    return statements


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
