"""Incidents at volume for ``make bench`` (issue 7 item 9): 100,000 incidents over 10 years, bulk-inserted.

``seed()`` is idempotent (the rows carry references ``BENCH-…``): PostgreSQL gets them through ``COPY``
(a few seconds), another database through ``bulk_create``. Only the incident rows are bulk-made (no
history records, no reference counters: the services make those for real reports); a few hundred
incidents also get follow-ups and transitions so the detail page has a timeline. ``bench_pages()``
names the pages ``tests/bench.py`` measures: list unfiltered and with three filters, detail, map
data, and the export of about 10,000 rows (one year) as .xlsx and .csv.

Run alone: ``DATABASE_URL=postgres://postgres@127.0.0.1:5432/kesbang_incidents python -m tests.bench``.
"""

import csv
import datetime
import io
import os
import random
import time

COUNT = int(os.environ.get("BENCH_INCIDENTS", "100000"))
YEARS = 10
MARK = "BENCH-"
EXPORT_YEAR = 2022

TITLES = [
    "Sengketa lahan tambang timah", "Penolakan kapal isap produksi", "Sengketa batas desa", "Unjuk rasa harga lada",
    "Bentrok penambang dan nelayan", "Ketegangan pilkades", "Perkelahian antarpemuda", "Sengketa lahan sawit",
    "Demo tolak tambang dekat pantai", "Isu hoaks antaretnis", "Blokade jalan kebun", "Protes ganti rugi lahan",
]


def _rows(rng, regions, kecamatan_of, desa_of, categories, reporter_id, team_of):
    kinds = ["potensi", "peristiwa"]
    statuses = ["dilaporkan", "terverifikasi", "ditangani", "pemulihan", "selesai", "selesai", "selesai", "ditolak"]
    severities = ["rendah", "rendah", "sedang", "sedang", "tinggi", "kritis"]
    sources = ["politik", "ekonomi", "sosial_budaya", "sara", "batas_wilayah", "sda", "distribusi_sda"]
    forms = ["demonstrasi", "blokade", "kerusuhan", "bentrokan", "perkelahian", "pengrusakan", "tanpa_kekerasan"]
    start = datetime.date.today() - datetime.timedelta(days=365 * YEARS)
    now = datetime.datetime.now(datetime.UTC)
    for i in range(COUNT):
        region_id, code = regions[i % len(regions)]
        kecs = kecamatan_of[region_id]
        kec_id, lat, lng = kecs[rng.randrange(len(kecs))]
        desas = desa_of.get(kec_id) or [None]
        day = start + datetime.timedelta(days=rng.randrange(365 * YEARS))
        status = statuses[rng.randrange(len(statuses))]
        has_point = rng.random() < 0.6
        yield {
            "reference": f"{MARK}{code}-{day.year}-{i:06d}", "title": f"{TITLES[i % len(TITLES)]} {i}",
            "chronology": "Laporan uji beban: warga berkumpul, aparat dan Tim Terpadu memantau situasi.",
            "kind": kinds[i % 2], "occurred_on": day.isoformat(), "date_precision": "tepat",
            "reported_at": now.isoformat(), "region_id": region_id, "kecamatan_id": kec_id,
            "desa_id": desas[rng.randrange(len(desas))],
            "latitude": f"{lat + rng.uniform(-0.05, 0.05):.6f}" if has_point else None,
            "longitude": f"{lng + rng.uniform(-0.05, 0.05):.6f}" if has_point else None,
            "source": sources[rng.randrange(len(sources))], "category_id": categories[rng.randrange(len(categories))],
            "violence_form": forms[rng.randrange(len(forms))], "phase": "pencegahan",
            "severity": severities[rng.randrange(len(severities))], "party_a_type": "warga", "party_a_name": "Warga",
            "party_b_type": "perusahaan", "party_b_name": "Perusahaan", "killed": 0,
            "injured": rng.randrange(4), "missing": 0, "displaced": 0, "buildings_damaged": rng.randrange(3),
            "buildings_destroyed": 0, "women_victims": 0, "children_victims": 0,
            "estimated_loss": rng.randrange(0, 50) * 1_000_000, "info_source": "anggota_tim",
            "classification": "rahasia" if i % 50 == 0 else "biasa",
            "handling_team_id": team_of.get(region_id) if status in ("ditangani", "pemulihan", "selesai") else None,
            "status": status, "rejection_reason": "Tidak terbukti." if status == "ditolak" else "",
            "reporter_id": reporter_id, "created_at": now.isoformat(), "updated_at": now.isoformat(), "version": 1,
            "client_key": None,
        }


def seed() -> dict:
    from django.contrib.auth import get_user_model
    from django.db import connection, transaction

    from incidents.models import Category, FollowUp, Incident, IncidentTransition
    from teams.models import Region, Team

    existing = Incident.objects.filter(reference__startswith=MARK).count()
    if existing >= COUNT:
        return {"incidents": existing, "inserted": 0}
    rng = random.Random(7)
    regions = list(Region.objects.filter(level__in=["kabupaten", "kota"]).order_by("code").values_list("id", "code"))
    import json
    from pathlib import Path

    points = {}
    geo = Path(__file__).resolve().parents[1] / "static" / "incidents" / "geo" / "batas-kecamatan-19.geojson"
    for feature in json.loads(geo.read_text())["features"]:
        p = feature["properties"]
        points[p["kode"]] = (float(p["lat"]), float(p["lng"]))
    kecamatan_of = {}
    for pk, code, parent in Region.objects.filter(level="kecamatan").values_list("id", "code", "parent_id"):
        lat, lng = points.get(code, (-2.1, 106.1))
        kecamatan_of.setdefault(parent, []).append((pk, lat, lng))
    desa_of = {}
    for pk, parent in Region.objects.filter(level__in=["desa", "kelurahan"]).values_list("id", "parent_id"):
        desa_of.setdefault(parent, []).append(pk)
    categories = list(Category.objects.values_list("id", flat=True))
    reporter = get_user_model().objects.filter(is_superuser=True).first() or get_user_model().objects.first()
    team_of = dict(Team.objects.filter(status="aktif").values_list("region_id", "id"))
    rows = _rows(rng, regions, kecamatan_of, desa_of, categories, reporter.pk, team_of)
    timings = {}
    started = time.perf_counter()
    with transaction.atomic():
        Incident.objects.filter(reference__startswith=MARK).delete()
        if connection.vendor == "postgresql":
            columns = None
            buffer = io.StringIO()
            writer = None
            for row in rows:
                if writer is None:
                    columns = list(row)
                    writer = csv.DictWriter(buffer, fieldnames=columns)
                writer.writerow({k: "\\N" if v is None else v for k, v in row.items()})
            buffer.seek(0)
            timings["generate_s"] = round(time.perf_counter() - started, 1)
            with connection.cursor() as cursor:
                # GIN (trigram) indexes are far cheaper to build once than to update row by row.
                cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = 'incidents_incident' "
                               "AND indexname LIKE '%%_trgm'")
                trigram = [r[0] for r in cursor.fetchall()]
                cursor.execute("DROP INDEX IF EXISTS incident_title_trgm, incident_chronology_trgm")
                copy_started = time.perf_counter()
                cursor.cursor.copy_expert(
                    f"COPY incidents_incident ({', '.join(columns)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
                timings["copy_s"] = round(time.perf_counter() - copy_started, 1)
                index_started = time.perf_counter()
                for statement in trigram:
                    cursor.execute(statement)
                timings["trigram_index_s"] = round(time.perf_counter() - index_started, 1)
        else:
            batch = []
            for row in rows:
                batch.append(Incident(**row))
                if len(batch) >= 5000:
                    Incident.objects.bulk_create(batch)
                    batch = []
            Incident.objects.bulk_create(batch)
        inserted_s = time.perf_counter() - started
        # A timeline for a few hundred of them (the detail page).
        sample = list(Incident.objects.filter(reference__startswith=MARK, status="selesai").values_list(
            "id", "occurred_on")[:300])
        steps = [("", "dilaporkan"), ("dilaporkan", "terverifikasi"), ("terverifikasi", "ditangani"),
                 ("ditangani", "selesai")]
        IncidentTransition.objects.bulk_create([
            IncidentTransition(incident_id=pk, from_status=a, to_status=b, by_id=reporter.pk)
            for pk, _day in sample for a, b in steps
        ])
        FollowUp.objects.bulk_create([
            FollowUp(incident_id=pk, date=day + datetime.timedelta(days=n), kind=kind, description=text,
                     created_by_id=reporter.pk)
            for pk, day in sample
            for n, (kind, text) in enumerate([("koordinasi", "Rapat koordinasi Tim Terpadu."),
                                              ("penghentian", "Pengamanan lokasi oleh Polres dan Kodim."),
                                              ("rekonsiliasi", "Pertemuan perdamaian para pihak.")])
        ])
    if connection.vendor == "postgresql":
        # Fresh bulk rows: set the visibility map so counts are index-only scans (autovacuum does this
        # in production a while after such a load).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE incidents_incident")
    return {"incidents": Incident.objects.filter(reference__startswith=MARK).count(),
            "insert_s": round(inserted_s, 1), **timings}


def bench_pages() -> list[tuple[str, str]]:
    from django.urls import reverse

    from incidents.models import Incident
    from teams.models import Region

    bangka = Region.objects.get(code="19.01")
    detail = Incident.objects.filter(reference__startswith=MARK, follow_ups__isnull=False).order_by("id").first() \
        or Incident.objects.order_by("id").first()
    year = f"date_from={EXPORT_YEAR}-01-01&date_to={EXPORT_YEAR}-12-31"
    return [
        ("incident list", reverse("incidents:incident_list")),
        ("incident list (3 filters)",
         reverse("incidents:incident_list") + f"?status=ditangani&region={bangka.pk}&severity=tinggi"),
        ("incident detail", reverse("incidents:incident_detail", args=[detail.pk])),
        ("map data", reverse("incidents:incident_map_data")),
        ("map data (3 filters)", reverse("incidents:incident_map_data") + "?kind=peristiwa&severity=kritis&" + year),
        ("incident list (search)", reverse("incidents:incident_list") + "?q=kapal+isap"),
        ("incident export .csv (1 year)", reverse("incidents:incident_export", args=["csv"]) + "?" + year),
        ("incident export .xlsx (1 year)", reverse("incidents:incident_export", args=["xlsx"]) + "?" + year),
    ]
