"""Bulk seeding of the benchmark database (``make bench``): realistic volume, fast.

Every seeder is idempotent by a marker (people it made have ``bench.N@`` addresses, teams and plans
``BENCH`` in their decree numbers) so a second
``make bench`` reuses the data; ``BENCH_RESET=1`` drops the database and seeds anew.

Volumes (issue 10): 500 people, 60 teams across all regencies of the province (the demo's 8 active
teams plus ended teams of earlier periods), members, and this year's action plan for every active
team. Incidents, meetings and action items are seeded by the apps' own bench modules when they
exist (``tests/bench_incidents.py`` etc., function ``seed(volume)``); see ``tests/bench.py``.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

MARK = "BENCH"
PEOPLE = 500
TEAMS = 60

FIRST = ["Ahmad", "Budi", "Citra", "Dedi", "Eka", "Fajar", "Gita", "Hendra", "Indah", "Joko", "Kartika", "Lukman",
         "Maya", "Nur", "Oki", "Putri", "Rahmat", "Sari", "Teguh", "Umar", "Vina", "Wahyu", "Yanti", "Zainal",
         "Agus", "Bambang", "Dewi", "Fitri", "Hadi", "Irwan", "Lestari", "Rudi", "Siti", "Taufik", "Yusuf"]
LAST = ["Saputra", "Wijaya", "Pratama", "Hidayat", "Kurniawan", "Santoso", "Nugroho", "Setiawan", "Lestari",
        "Purnomo", "Siregar", "Harahap", "Hutapea", "Syahputra", "Ramadhan", "Fauzi", "Effendi", "Gunawan",
        "Hartono", "Susanto", "Rahman", "Firmansyah", "Yulianti", "Maharani", "Permana"]
TITLES = ["", "", "", "S.Sos.", "S.H.", "S.IP.", "S.E.", "M.Si.", "S.Kom.", "S.Pd.", "M.H."]
POSITIONS = ["Analis Kebijakan", "Kasat Intelkam", "Pasi Intel", "Kepala Seksi Intelijen", "Kepala Bidang",
             "Staf Ahli", "Camat", "Lurah", "Kepala Desa", "Penyuluh Agama", "Kanit Intelkam", "Sekretaris Dinas"]
ACTIVITY_NAMES = [
    "Pemetaan potensi konflik sosial", "Rapat koordinasi Tim Terpadu", "Sosialisasi pencegahan konflik",
    "Deteksi dini melalui FKDM", "Patroli terpadu kawasan tambang", "Mediasi sengketa batas desa",
    "Dialog kerukunan lintas agama", "Penyuluhan hukum di desa rawan", "Pemulihan pascakonflik",
    "Pelatihan resolusi konflik bagi aparatur desa",
]


def _name(rng: random.Random) -> str:
    title = rng.choice(TITLES)
    base = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
    return f"{base}, {title}" if title else base


def seed_teams(*, people: int = PEOPLE, teams: int = TEAMS) -> dict:
    """People, ended teams of earlier periods, memberships and one plan per active team (bulk)."""
    from simple_history.utils import bulk_create_with_history

    from kesbang.demo.seed import seed_demo
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

    if not Team.objects.exists():
        seed_demo()
    if Person.objects.filter(email__startswith="bench.").exists():
        return {"teams": "reused"}
    rng = random.Random(20260101)
    regions = list(Region.objects.filter(level__in=["provinsi", "kabupaten", "kota"]).order_by("code"))
    institutions_by_region: dict[int, list[Institution]] = {}
    for inst in Institution.objects.all():
        institutions_by_region.setdefault(inst.region_id, []).append(inst)
    fallback = list(Institution.objects.all())
    with transaction.atomic():
        existing = Person.objects.count()
        new_people = []
        for i in range(max(0, people - existing)):
            region = regions[i % len(regions)]
            institution = rng.choice(institutions_by_region.get(region.pk) or fallback)
            new_people.append(Person(
                name=_name(rng), position=rng.choice(POSITIONS), institution=institution, region=region,
                phone=f"0812-{rng.randint(1000, 9999)}-{rng.randint(1000, 9999)}",
                email=f"bench.{i}@example.go.id", nip="",
            ))
        bulk_create_with_history(new_people, Person, batch_size=1000)
        people_by_region: dict[int, list[Person]] = {}
        for person in Person.objects.all():
            people_by_region.setdefault(person.region_id, []).append(person)
        # Ended teams of earlier periods: one per region per year going back, until TEAMS in all.
        new_teams = []
        have = Team.objects.count()
        k = 0
        while have + len(new_teams) < teams:
            region = regions[k % len(regions)]
            year = 2024 - k // len(regions)
            level = region.level
            new_teams.append(Team(
                level=level, region=region, name=f"Tim Terpadu Penanganan Konflik Sosial {region.name} {year}",
                decree_number=f"188.45/{k:03d}/{MARK}/{year}", decree_date=datetime.date(year, 1, 10),
                decree_signed_by="Kepala Daerah", period_start=datetime.date(year, 1, 10),
                period_end=datetime.date(year, 12, 31), status=Team.Status.BERAKHIR,
                notes="Tim periode sebelumnya.",
            ))
            k += 1
        bulk_create_with_history(new_teams, Team, batch_size=500)
        # Members: active teams get 40 (the provincial one 60) active seats; ended teams 25 ended seats.
        memberships = []
        for team in Team.objects.all():
            seated = set(team.memberships.filter(end_date__isnull=True).values_list("person_id", flat=True))
            pool = people_by_region.get(team.region_id, []) + people_by_region.get(regions[0].pk, [])
            rng.shuffle(pool)
            if team.status == Team.Status.AKTIF:
                want = 60 if team.level == "provinsi" else 40
                start = team.period_start
                end = None
            else:
                want = 25
                start, end = team.period_start, team.period_end
            roles = ([] if seated or end is None else ["ketua", "sekretaris"])
            for person in pool:
                if len(seated) >= want:
                    break
                if person.pk in seated:
                    continue
                seated.add(person.pk)
                role = roles.pop(0) if roles else "anggota"
                memberships.append(Membership(team=team, person=person, role=role, start_date=start, end_date=end,
                                              decree_number=team.decree_number,
                                              end_reason="Masa tugas berakhir" if end else ""))
        bulk_create_with_history(memberships, Membership, batch_size=2000)
        # This year's plan for every active team (30 activities), with last periods' realisation.
        year = timezone.localdate().year
        plans = []
        for team in Team.objects.filter(status=Team.Status.AKTIF):
            if not ActionPlan.objects.filter(team=team, year=year).exists():
                plans.append(ActionPlan(team=team, year=year, legal_basis_number=f"188.44/{MARK}/{year}",
                                        notes="Rencana aksi uji beban."))
        ActionPlan.objects.bulk_create(plans)
        activities = []
        for plan in ActionPlan.objects.filter(legal_basis_number__contains=MARK):
            insts = institutions_by_region.get(plan.team.region_id) or fallback
            for n in range(30):
                activities.append(Activity(
                    plan=plan, phase=["pencegahan", "penghentian", "pemulihan"][n % 3], number=n // 3 + 1,
                    name=f"{rng.choice(ACTIVITY_NAMES)} ({n + 1})", indicator="Terlaksana", unit="kegiatan",
                    responsible_institution=rng.choice(insts), budget=Decimal(rng.randint(5, 150) * 1_000_000),
                    budget_source="APBD",
                ))
        Activity.objects.bulk_create(activities, batch_size=2000)
        today = timezone.localdate()
        periods = []
        for activity in Activity.objects.filter(plan__legal_basis_number__contains=MARK):
            for code, month in (("B04", 4), ("B08", 8), ("B12", 12)):
                over = datetime.date(year, month, 28) < today
                periods.append(ActivityPeriod(
                    activity=activity, period=code, target=Decimal(rng.randint(1, 4)),
                    realisation=Decimal(rng.randint(0, 4)) if over and rng.random() < 0.8 else None,
                    narrative="Terlaksana sesuai jadwal." if over else "",
                ))
        ActivityPeriod.objects.bulk_create(periods, batch_size=5000)
    return {"people": Person.objects.count(), "teams": Team.objects.count(),
            "memberships": Membership.objects.count(), "activities": Activity.objects.count()}


def bench_users() -> dict:
    """One non-admin login per role (created once), password ``BENCH_PASSWORD``; returns username → user."""
    from django.contrib.auth import get_user_model

    from teams import services
    from teams.access import Role
    from teams.models import Person, Region

    wanted = {
        "bench.provinsi": (Role.STAF_PROVINSI, "19"),
        "bench.pimpinan": (Role.PIMPINAN, "19"),
        "bench.bangka": (Role.STAF_KABKOTA, "19.01"),
    }
    User = get_user_model()
    out = {}
    for username, (role, code) in wanted.items():
        user = User.objects.filter(username=username).first()
        if user is None:
            region = Region.objects.get(code=code)
            person = Person.objects.filter(region=region, user__isnull=True, email__startswith="bench.").first()
            user = services.account_create(username=username, password=BENCH_PASSWORD, role=role, person=person)
        out[username] = user
    return out


BENCH_PASSWORD = "bench-kesbang-2026"
