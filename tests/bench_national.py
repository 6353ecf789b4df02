"""National volume for ``make bench`` (``BENCH_SCALE=national``, issue 15): every region of Indonesia
from the national file the project ships (``teams/data/wilayah-kepmendagri-2025.csv.gz``, Kepmendagri
300.2.2-2430/2025: 38 provinces, 514 regencies/cities, 7,285 kecamatan, 83,762 desa/kelurahan), an
active team for each province and regency/city with its members, institutions and this year's
action plan; the apps' seeders then add ``BENCH_INCIDENTS`` (1,000,000 at this scale) incidents and
``BENCH_MEETINGS`` (50,000) meetings across them (``tests/bench.py`` sets those defaults).

Bulk inserts only (no history records: the pages measured read none of these tables' history);
idempotent by a marker in the decree numbers. Heavy: run it on a quiet machine (README, Benchmarks).

The role model is the province's (issue 15): Staf Provinsi and Pimpinan read every region of the
database, so in a national database they are nation-wide readers; a reader scoped to one province
is not expressible yet (``teams.access.scope_of``), and the bench measures nation-wide and
regency-scoped logins.
"""

import datetime
import random
import time
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

MARK = "NASIONAL"
PEOPLE_PER_REGION = 30
MEMBERS = {"provinsi": 60, "kabupaten": 40, "kota": 40}
INSTITUTIONS = ["Badan Kesbangpol", "Polres", "Kodim", "Kejaksaan Negeri", "Kantor Kementerian Agama"]


def seed_regions() -> dict:
    """Every region of the national file not in the database yet, level by level (parents first)."""
    from teams.models import Region
    from teams.regions import NATIONAL_FILE, level_of, parent_code, read_rows

    started = time.perf_counter()
    rows = sorted(read_rows(NATIONAL_FILE), key=lambda r: (r[0].count("."), r[0]))
    ids = dict(Region.objects.values_list("code", "pk"))
    created = 0
    for depth in range(4):
        batch = [Region(code=code, name=name, level=level_of(code),
                        parent_id=ids[parent_code(code)] if parent_code(code) else None)
                 for code, name in rows if code.count(".") == depth and code not in ids]
        with transaction.atomic():
            Region.objects.bulk_create(batch, batch_size=5000)
        created += len(batch)
        ids = dict(Region.objects.values_list("code", "pk"))
    print(f"regions: {created:,} added in {time.perf_counter() - started:.1f} s ({len(ids):,} in all)", flush=True)
    return {"regions": len(ids), "added": created}


def seed_teams() -> dict:
    """An active team per province and regency/city that has none, with institutions, people,
    members (60 on a provincial team, 40 otherwise) and this year's plan of 30 activities."""
    from teams.models import (
        ActionPlan,
        Activity,
        ActivityPeriod,
        Institution,
        Membership,
        Person,
        Region,
        Team,
    )
    from tests.bench_seed import ACTIVITY_NAMES, POSITIONS, _name

    started = time.perf_counter()
    if Team.objects.filter(decree_number__contains=MARK).exists():
        return {"teams": "reused"}
    rng = random.Random(38514)
    covered = set(Team.objects.filter(status=Team.Status.AKTIF).values_list("region_id", flat=True))
    regions = [r for r in Region.objects.filter(level__in=["provinsi", "kabupaten", "kota"]).order_by("code")
               if r.pk not in covered]
    today = timezone.localdate()
    year = today.year
    with transaction.atomic():
        Institution.objects.bulk_create(
            [Institution(name=f"{base} {r.name} ({r.code})", short_name=f"{base.split()[-1]} {r.code}",
                         region=r) for r in regions for base in INSTITUTIONS], batch_size=5000)
        institutions: dict[int, list[int]] = {}
        for pk, region_id in Institution.objects.filter(region__in=regions).values_list("pk", "region_id"):
            institutions.setdefault(region_id, []).append(pk)
        Person.objects.bulk_create(
            [Person(name=_name(rng), position=rng.choice(POSITIONS), institution_id=rng.choice(institutions[r.pk]),
                    region=r, phone=f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                    email=f"nasional.{r.code}.{i}@example.go.id", nip="")
             for r in regions for i in range(PEOPLE_PER_REGION)], batch_size=5000)
        people: dict[int, list[int]] = {}
        for pk, region_id in Person.objects.filter(region__in=regions).values_list("pk", "region_id"):
            people.setdefault(region_id, []).append(pk)
        Team.objects.bulk_create(
            [Team(level=r.level, region=r, name=f"Tim Terpadu Penanganan Konflik Sosial {r.name}",
                  decree_number=f"188.45/{r.code}/{MARK}/{year}", decree_date=datetime.date(year, 1, 10),
                  decree_signed_by="Kepala Daerah", period_start=datetime.date(year, 1, 10),
                  status=Team.Status.AKTIF) for r in regions], batch_size=2000)
        teams = list(Team.objects.filter(decree_number__contains=MARK).select_related("region"))
        by_code = {r.code: r.pk for r in regions}
        memberships = []
        for team in teams:
            pool = list(people.get(team.region_id, []))
            province = by_code.get(team.region.code[:2])
            if province and province != team.region_id:
                pool += people.get(province, [])
            rng.shuffle(pool)
            for n, person_id in enumerate(pool[:MEMBERS[team.level]]):
                memberships.append(Membership(
                    team=team, person_id=person_id, role="ketua" if n == 0 else "sekretaris" if n == 1 else "anggota",
                    start_date=team.period_start, decree_number=team.decree_number))
        Membership.objects.bulk_create(memberships, batch_size=5000)
        ActionPlan.objects.bulk_create(
            [ActionPlan(team=t, year=year, legal_basis_number=f"188.44/{MARK}/{year}") for t in teams], batch_size=2000)
        plans = list(ActionPlan.objects.filter(legal_basis_number__contains=MARK).select_related("team"))
        Activity.objects.bulk_create(
            [Activity(plan=plan, phase=["pencegahan", "penghentian", "pemulihan"][n % 3], number=n // 3 + 1,
                      name=f"{rng.choice(ACTIVITY_NAMES)} ({n + 1})", indicator="Terlaksana", unit="kegiatan",
                      responsible_institution_id=rng.choice(institutions[plan.team.region_id]),
                      budget=Decimal(rng.randint(5, 150) * 1_000_000), budget_source="APBD")
             for plan in plans for n in range(30)], batch_size=5000)
        periods = []
        for activity_id in Activity.objects.filter(plan__in=plans).values_list("pk", flat=True):
            for code, month in (("B04", 4), ("B08", 8), ("B12", 12)):
                over = datetime.date(year, month, 28) < today
                periods.append(ActivityPeriod(
                    activity_id=activity_id, period=code, target=Decimal(rng.randint(1, 4)),
                    realisation=Decimal(rng.randint(0, 4)) if over and rng.random() < 0.8 else None,
                    narrative="Terlaksana sesuai jadwal." if over else ""))
        ActivityPeriod.objects.bulk_create(periods, batch_size=10000)
    from tests.bench_copy import analyze

    analyze("teams_region", "teams_team", "teams_person", "teams_membership", "teams_institution",
            "teams_actionplan", "teams_activity", "teams_activityperiod")
    print(f"national teams: {len(teams):,} teams, {len(memberships):,} members, {len(periods):,} plan periods "
          f"in {time.perf_counter() - started:.1f} s", flush=True)
    return {"teams": len(teams), "memberships": len(memberships)}


def seed() -> dict:
    return {**seed_regions(), **seed_teams()}
