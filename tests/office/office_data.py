"""A fixed dataset for the office layer (dashboard, weekly summary, reports), with the figures
worked out by hand in the docstrings so the tests compare against numbers, not against the code.

Teams: the province (2 members at every 2026 period end: Ketua + Anggota) and Bangka (1: Ketua).
Action plans 2026, targets / realisations per period:

  province  A1 pencegahan   B04 2/2  B08 2/1  B12 2/-
            A2 penghentian  B04 1/1  B08 1/0  B12 0/-
            A3 pemulihan    B04 0/-  B08 4/1  B12 4/-
  Bangka    B1 pencegahan   B04 1/1  B08 1/1  B12 1/-

Caturwulan 2026-B08 (period B08 only): A1 50.0, A2 0.0, A3 25.0 -> province plan 25.0; B1 100.0;
province report mean of plans 62.5; Bangka report 100.0.
Kemendagri table B08 (cumulative B04+B08): A1 3/4 = 75.0, A2 1/2 = 50.0, A3 1/4 = 25.0.
Tahunan 2026 (all periods): A1 3/6 = 50.0, A2 1/2 = 50.0, A3 1/8 = 12.5 -> province 37.5;
B1 2/3 = 66.7; mean 52.1 (of 37.5 and 66.7: 52.10 -> 52.1).
"""

import datetime
from decimal import Decimal

from teams import services as team_services
from teams.models import ActivityPeriod
from tests.factories import InstitutionFactory, make_member, make_team


def build_office_dataset() -> dict:
    institution = InstitutionFactory(name="Kepolisian Daerah Uji", short_name="Polda Uji")
    province = make_team("19", name="Tim Terpadu PKS Provinsi Uji", start=datetime.date(2025, 1, 1))
    bangka = make_team("19.01", name="Tim Terpadu PKS Bangka Uji", start=datetime.date(2025, 1, 1))
    make_member(province, "ketua", name="Drs. H. Ketua Provinsi, M.Si.")
    make_member(province, "anggota")
    make_member(bangka, "ketua", name="Ketua Bangka")
    plan = team_services.plan_create(team=province, year=2026, legal_basis_number="188.44/1/2026")
    bplan = team_services.plan_create(team=bangka, year=2026)

    def activity(p, phase, name, targets, realised):
        a = team_services.activity_create(
            plan=p, phase=phase, name=name, indicator="Terlaksana", unit="kegiatan",
            responsible_institution=institution, budget=Decimal("1500000"),
            targets={k: Decimal(v) for k, v in targets.items()},
        )
        for code, value in realised.items():
            team_services.realisation_record(
                activity_period=ActivityPeriod.objects.get(activity=a, period=code), realisation=Decimal(value)
            )
        return a

    activity(plan, "pencegahan", "Pemetaan potensi konflik", {"B04": 2, "B08": 2, "B12": 2}, {"B04": 2, "B08": 1})
    activity(plan, "penghentian", "Rapat koordinasi penghentian", {"B04": 1, "B08": 1, "B12": 0}, {"B04": 1, "B08": 0})
    activity(plan, "pemulihan", "Rekonsiliasi pascakonflik", {"B04": 0, "B08": 4, "B12": 4}, {"B08": 1})
    activity(bplan, "pencegahan", "Sosialisasi kerukunan", {"B04": 1, "B08": 1, "B12": 1}, {"B04": 1, "B08": 1})
    return {"province_team": province, "bangka_team": bangka, "plan": plan, "bangka_plan": bplan}
