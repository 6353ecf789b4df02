"""seed_demo: idempotent, and builds the provincial and regency teams and this year's action plan.

The first test builds the demo twice; the others read the run's demo (the ``demo`` fixture: seed_demo
built once per test run, tests/snapshot.py)."""

import pytest
from django.contrib.auth import get_user_model
from django.utils import timezone

from kesbang.demo.seed import seed_demo
from teams.models import ActionPlan, Activity, ActivityPeriod, Institution, Membership, Person, Team
from teams.plan_selectors import plan_summary

pytestmark = pytest.mark.django_db

MODELS = [Team, Membership, ActionPlan, Activity, ActivityPeriod, Institution, Person, get_user_model()]


def counts():
    return {m.__name__: m.objects.count() for m in MODELS}


def test_seed_demo_twice_changes_nothing_the_second_time():
    seed_demo()
    first = counts()
    result = seed_demo()
    assert counts() == first
    assert result["teams"] == 8 and first["Team"] == 8


def test_provincial_team_chaired_by_the_governor_with_kesbangpol_as_secretary(demo):
    team = Team.objects.get(region__code="19")
    assert team.decree_number == "188.44/123/Kesbangpol/2025"
    active = {m.role: m.person.name for m in team.memberships.filter(end_date__isnull=True).select_related("person")
              if m.role != "anggota"}
    assert active["ketua"] == "H. Hidayat Arsani, S.E., M.M."
    assert active["sekretaris"] == "Drs. H. Tarmin, M.Si."
    assert "Wakapolda" in Person.objects.get(name=active["wakil_ketua"]).position
    institutions = set(team.memberships.values_list("person__institution__short_name", flat=True))
    assert {"Polda Kep. Babel", "Korem 045/Garuda Jaya", "Kejati Babel", "BIN Daerah Babel", "Kemhan",
            "Lanal Babel", "FKUB Prov. Babel"} <= institutions


def test_every_regency_and_city_has_a_team_with_its_head_as_chair(demo):
    for team in Team.objects.exclude(region__code="19").select_related("region"):
        roles = dict(team.memberships.values_list("role", "person__position"))
        assert roles["ketua"].startswith(("Bupati", "Wali Kota")), team
        assert roles["sekretaris"] == "Analis Kewaspadaan Nasional"
        kinds = set(team.memberships.values_list("person__institution__kind", flat=True))
        assert {"polri", "tni", "kejaksaan"} <= kinds


def test_provincial_plan_for_this_year_across_three_phases(demo, admin_user):
    plan = ActionPlan.objects.get(team__region__code="19", year=timezone.localdate().year)
    assert plan.activities.count() == 9
    assert set(plan.activities.values_list("phase", flat=True)) == {"pencegahan", "penghentian", "pemulihan"}
    detail = plan_summary(plan)
    assert all(group.rows for group in detail.phases)
    assert ActivityPeriod.objects.filter(activity__plan=plan, realisation__isnull=True).exists()


def test_regency_members_have_names_with_titles_and_keep_their_position(demo):
    """Issue 6: regency team members were named by their office ("Bupati Bangka")."""
    regency_members = Membership.objects.exclude(team__region__code="19").select_related("person", "team__region")
    assert regency_members.count() >= 35
    for m in regency_members:
        name, position = m.person.name, m.person.position
        assert name != position and position.split()[0] not in name.split(), (name, position)
        assert not name.startswith(("Bupati", "Wali Kota", "Staf", "Kasat", "Pasi", "Kasi")), name
        assert "." in name, f"{name}: written without title or rank"
    chair = Membership.objects.select_related("person").get(team__region__code="19.01", role="ketua", end_date=None)
    assert chair.person.position == "Bupati Bangka" and chair.person.name == "H. Mulyadi Saputra, S.H., M.H."


def test_seed_demo_renames_officials_of_an_older_demo_in_place(demo):
    chair = Membership.objects.select_related("person").get(team__region__code="19.02", role="ketua", end_date=None)
    Person.objects.filter(pk=chair.person_id).update(name="Bupati Belitung")
    before = counts()
    seed_demo()
    assert counts() == before
    chair.person.refresh_from_db()
    assert chair.person.name == "Drs. H. Sahrul Effendi, M.Si." and chair.person.position == "Bupati Belitung"


# --- the seed_demo command: refuses real data and production, prints enrolment codes ---------------


def test_command_prints_enrolment_codes_for_the_demo_logins_that_must_use_two_factor(capsys, settings):
    import re

    from django.core.management import call_command

    from kesbang.accounts import twofactor
    from kesbang.accounts.models import AuditEvent

    settings.DEBUG = False
    settings.ALLOWED_HOSTS = ["127.0.0.1", "localhost"]  # what make run's .env writes: a local run
    call_command("seed_demo")
    out = capsys.readouterr().out
    codes = dict(re.findall(r"^\s+(\S+)\s+([0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4})$", out, re.M))
    assert set(codes) == {"administrator", "pimpinan", "staf.provinsi"}
    pimpinan = get_user_model().objects.get(username="pimpinan")
    assert twofactor.enrolment_code_redeem(user=pimpinan, code=codes["pimpinan"])
    assert AuditEvent.objects.filter(kind="otp_code_issued").count() == 3
    # a later run (make run again) issues fresh codes only for those still without an authenticator
    from tests.otp import enrol

    enrol(pimpinan)
    call_command("seed_demo")
    again = capsys.readouterr().out
    assert "administrator" in again and not re.search(r"^\s+pimpinan\s", again, re.M)


def test_command_refuses_a_database_with_real_logins(no_role_user):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match=r"sungguhan \(1 akun yang tidak dibuat oleh demo \(mis\. tanpa\.peran"):
        call_command("seed_demo")
    assert Team.objects.count() == 0
    call_command("seed_demo", force_demo_on_real_data=True)
    assert Team.objects.count() == 8


def test_command_refuses_a_production_configuration(settings):
    from django.core.management import CommandError, call_command

    settings.ALLOWED_HOSTS = ["kesbang.babelprov.go.id"]
    with pytest.raises(CommandError, match="host non-lokal \\(kesbang.babelprov.go.id\\).*--force-demo-on-real-data"):
        call_command("seed_demo")
    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    settings.SECURE_HTTPS = True
    with pytest.raises(CommandError, match="DJANGO_SECURE_HTTPS aktif"):
        call_command("seed_demo")
    assert Team.objects.count() == 0


def test_the_ensure_admin_login_is_not_real_data(monkeypatch):
    from kesbang.demo.seed import real_data_signals

    get_user_model().objects.create_superuser(username="admin", password="x-sandi-panjang-123")
    assert real_data_signals() == []
    monkeypatch.setenv("DJANGO_SUPERUSER_USERNAME", "kepala.admin")
    assert real_data_signals()


@pytest.mark.django_db
def test_demo_has_public_reports_to_triage(demo):
    from incidents.models import PublicReport

    assert PublicReport.objects.filter(status="baru", region__code="19.01").count() >= 2
    assert PublicReport.objects.filter(status="ditolak").exists()
    assert PublicReport.objects.filter(anonymous=False).exclude(reporter_phone="").exists()
