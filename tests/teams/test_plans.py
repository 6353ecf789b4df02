"""Rencana Aksi services and selectors: targets, realisation, achievement maths, deadlines, evidence."""

import datetime
import io
import zipfile
from decimal import Decimal
from pathlib import PurePath

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from teams import services
from teams.deadlines import period_deadline
from teams.models import ActionPlan as _Plan
from teams.models import ActivityPeriod, Evidence, ReportingDeadline
from teams.plan_selectors import activity_achievement, mean_achievement, plan_list, plan_summary
from tests.factories import InstitutionFactory, make_team

D = Decimal
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
JPEG = b"\xff\xd8\xff\xe0" + b"\x00" * 64


def office_file(kind: str) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml" if kind == "xlsx" else "word/document.xml", "<x/>")
    return buffer.getvalue()


def make_plan(region_code: str = "19", *, year: int = 2026, activities: int = 0, team=None, institution=None):
    """A plan through the services, with ``activities`` activities (targets 1/2/1) spread over phases."""
    team = team or make_team(region_code)
    plan = services.plan_create(team=team, year=year, legal_basis_number="188.44/1/2026", user=None)
    institution = institution or InstitutionFactory()
    phases = ["pencegahan", "penghentian", "pemulihan"]
    for i in range(activities):
        services.activity_create(
            plan=plan, phase=phases[i % 3], name=f"Kegiatan {i + 1}", indicator="Terlaksana", unit="kali",
            responsible_institution=institution, budget=D("1000000"), budget_source="APBD",
            targets={"B04": D(1), "B08": D(2), "B12": D(1)},
        )
    return plan


def period_of(activity, code: str) -> ActivityPeriod:
    return activity.periods.get(period=code)


@pytest.fixture
def plan(db):
    return make_plan()


@pytest.fixture
def activity(plan):
    return services.activity_create(
        plan=plan, phase="pencegahan", name="Pemetaan potensi konflik sosial", indicator="Dokumen",
        unit="dokumen", responsible_institution=InstitutionFactory(), budget=D("75000000"), budget_source="APBD",
        targets={"B04": D(2), "B08": D(4)},
    )


# --- Plans and activities ---------------------------------------------------------------------------


def test_plan_create_refuses_a_second_plan_for_the_same_year(plan):
    with pytest.raises(ValidationError) as exc:
        services.plan_create(team=plan.team, year=plan.year, user=None)
    assert "sudah memiliki Rencana Aksi" in str(exc.value)


def test_plan_year_must_be_in_range(db):
    with pytest.raises(ValidationError):
        services.plan_create(team=make_team("19"), year=1990, user=None)


def test_plan_update_changes_fields(plan):
    services.plan_update(plan=plan, legal_basis_number="  188.44/2/2026 ", notes="x")
    plan.refresh_from_db()
    assert plan.legal_basis_number == "188.44/2/2026" and plan.notes == "x"
    with pytest.raises(TypeError):
        services.plan_update(plan=plan, team=None)


def test_activity_create_makes_three_periods_with_missing_targets_as_zero(activity):
    targets = dict(activity.periods.values_list("period", "target"))
    assert targets == {"B04": D(2), "B08": D(4), "B12": D(0)}
    assert activity.number == 1


def test_activity_numbers_run_per_phase(plan):
    inst = InstitutionFactory()
    a = services.activity_create(plan=plan, phase="pencegahan", name="A", responsible_institution=inst, targets={})
    b = services.activity_create(plan=plan, phase="pencegahan", name="B", responsible_institution=inst, targets={})
    c = services.activity_create(plan=plan, phase="pemulihan", name="C", responsible_institution=inst, targets={})
    assert (a.number, b.number, c.number) == (1, 2, 1)


@pytest.mark.parametrize(
    "targets, message",
    [({"B04": D(-1)}, "tidak boleh negatif"), ({"B04": "abc"}, "harus berupa angka"), ({"B16": D(1)}, "Periode")],
)
def test_activity_create_refuses_bad_targets_and_writes_nothing(plan, targets, message):
    with pytest.raises(ValidationError) as exc:
        services.activity_create(plan=plan, phase="pencegahan", name="X", responsible_institution=InstitutionFactory(),
                                 targets=targets)
    assert message in str(exc.value)
    assert not plan.activities.exists()


def test_activity_update_changes_targets_but_keeps_realisation(activity):
    ap = period_of(activity, "B04")
    services.realisation_record(activity_period=ap, realisation=D(1), narrative="", user=None)
    services.activity_update(activity=activity, name="Baru", targets={"B04": D(3), "B08": D(4), "B12": D(1)})
    ap.refresh_from_db()
    assert ap.target == D(3) and ap.realisation == D(1)
    activity.refresh_from_db()
    assert activity.name == "Baru"


def test_activity_update_moving_phase_renumbers(plan):
    inst = InstitutionFactory()
    services.activity_create(plan=plan, phase="pemulihan", name="P1", responsible_institution=inst, targets={})
    a = services.activity_create(plan=plan, phase="pencegahan", name="A", responsible_institution=inst, targets={})
    services.activity_update(activity=a, phase="pemulihan")
    assert a.number == 2


def test_activity_delete_removes_periods_evidence_and_files(activity, django_capture_on_commit_callbacks):
    ap = period_of(activity, "B04")
    ev = services.evidence_add(activity_period=ap, uploaded_file=SimpleUploadedFile("a.pdf", PDF), user=None)
    name = ev.file.name
    assert default_storage.exists(name)
    with django_capture_on_commit_callbacks(execute=True):
        services.activity_delete(activity=activity)
    assert not ActivityPeriod.objects.filter(pk=ap.pk).exists() and not Evidence.objects.exists()
    assert not default_storage.exists(name)


# --- Realisation ------------------------------------------------------------------------------------


def test_realisation_record_sets_reporter_and_time(activity, staf_provinsi):
    ap = period_of(activity, "B04")
    services.realisation_record(activity_period=ap, realisation=D("1.5"), narrative=" Rakor ", user=staf_provinsi)
    ap.refresh_from_db()
    assert ap.realisation == D("1.5") and ap.narrative == "Rakor"
    assert ap.reported_by == staf_provinsi and ap.reported_at is not None


def test_realisation_can_be_cleared(activity):
    ap = period_of(activity, "B04")
    services.realisation_record(activity_period=ap, realisation=D(1), narrative="", user=None)
    services.realisation_record(activity_period=ap, realisation=None, narrative="", user=None)
    ap.refresh_from_db()
    assert ap.realisation is None and ap.reported_at is None


def test_negative_realisation_is_refused(activity):
    with pytest.raises(ValidationError) as exc:
        services.realisation_record(activity_period=period_of(activity, "B04"), realisation=D(-1), narrative="",
                                    user=None)
    assert "tidak boleh negatif" in str(exc.value)


def test_refused_evidence_leaves_realisation_unchanged(activity):
    ap = period_of(activity, "B04")
    with pytest.raises(ValidationError):
        services.realisation_record(activity_period=ap, realisation=D(2), narrative="", user=None,
                                    evidence_files=[SimpleUploadedFile("x.pdf", b"MZ not a pdf")])
    ap.refresh_from_db()
    assert ap.realisation is None and not Evidence.objects.exists()


# --- Achievement ------------------------------------------------------------------------------------


def test_period_achievement_is_capped_and_none_without_target(activity):
    b04, b12 = period_of(activity, "B04"), period_of(activity, "B12")
    services.realisation_record(activity_period=b04, realisation=D(5), narrative="", user=None)
    services.realisation_record(activity_period=b12, realisation=D(3), narrative="", user=None)
    b04.refresh_from_db()
    b12.refresh_from_db()
    assert b04.achievement == D(100)
    assert b12.achievement is None  # target 0: no percentage, not 0 % and no division error


def test_activity_achievement_is_sum_realised_over_sum_target_capped():
    assert activity_achievement([(D(2), D(1)), (D(4), D(2)), (D(0), None)]) == D("50.0")
    assert activity_achievement([(D(1), D(5)), (D(1), None)]) == D(100)
    assert activity_achievement([(D(0), D(3)), (D(0), None)]) is None
    assert activity_achievement([(D(3), None)]) == D(0)
    assert mean_achievement([D(100), D(50), None]) == D(75)
    assert mean_achievement([None]) is None


def test_plan_detail_phases_and_overall_are_means_of_activities(plan, staf_provinsi):
    inst = InstitutionFactory()
    a = services.activity_create(plan=plan, phase="pencegahan", name="A", responsible_institution=inst,
                                 targets={"B04": D(2), "B08": D(2)})
    b = services.activity_create(plan=plan, phase="pencegahan", name="B", responsible_institution=inst,
                                 targets={"B04": D(1)})
    c = services.activity_create(plan=plan, phase="pemulihan", name="C", responsible_institution=inst,
                                 targets={"B12": D(4)})
    services.activity_create(plan=plan, phase="penghentian", name="Zero", responsible_institution=inst, targets={})
    services.realisation_record(activity_period=period_of(a, "B04"), realisation=D(2), narrative="", user=None)
    services.realisation_record(activity_period=period_of(b, "B04"), realisation=D(3), narrative="", user=None)
    services.realisation_record(activity_period=period_of(c, "B12"), realisation=D(1), narrative="", user=None)
    detail = plan_summary(_load(pk=plan.pk), today=datetime.date(2026, 5, 1))
    phases = {g.code: g for g in detail.phases}
    assert [r.achievement for r in phases["pencegahan"].rows] == [D(50), D(100)]
    assert phases["pencegahan"].achievement == D(75)
    assert phases["penghentian"].achievement is None  # only a zero-target activity
    assert phases["pemulihan"].achievement == D(25)
    assert detail.overall == D("58.3")  # (50 + 100 + 25) / 3: the zero-target activity is left out
    assert detail.activity_count == 4
    b04 = detail.deadlines[0]
    assert (b04.period, b04.due_date, b04.days_left, b04.missing) == ("B04", datetime.date(2026, 5, 10), 9, 2)
    [listed] = plan_list(_Plan.objects.restrict(staf_provinsi))
    assert listed.overall == D("58.3") and listed.activity_count == 4


def _load(pk):
    return _Plan.objects.select_related("team__region").get(pk=pk)


def test_plan_detail_query_count_does_not_grow_with_activities(staf_provinsi, django_assert_max_num_queries):
    small, big = make_plan("19.01", activities=2), make_plan("19.02", activities=15)
    plan_summary(_load(pk=small.pk))
    counts = []
    for p in (small, big):
        with CaptureQueriesContext(connection) as ctx:
            plan_summary(_load(pk=p.pk))
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(6):
        plan_summary(_load(pk=big.pk))
    with django_assert_max_num_queries(4):
        plan_list(_Plan.objects.restrict(staf_provinsi))


# --- Deadlines --------------------------------------------------------------------------------------


def test_period_deadline_defaults_to_ten_days_after_period_end(db):
    assert period_deadline(2026, "B04") == datetime.date(2026, 5, 10)
    assert period_deadline(2026, "B08") == datetime.date(2026, 9, 10)
    assert period_deadline(2026, "B12") == datetime.date(2027, 1, 10)


def test_period_deadline_follows_setting_and_override(db, settings):
    settings.ACTION_PLAN_DEADLINE_DAYS = 5
    assert period_deadline(2026, "B08") == datetime.date(2026, 9, 5)
    ReportingDeadline.objects.create(year=2026, period="B08", due_date=datetime.date(2026, 9, 20))
    assert period_deadline(2026, "B08") == datetime.date(2026, 9, 20)
    assert period_deadline(2025, "B08") == datetime.date(2025, 9, 5)
    with pytest.raises(ValueError):
        period_deadline(2026, "B06")


# --- Evidence ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, content, content_type",
    [
        ("Notulen Rakor.PDF", PDF, "application/pdf"),
        ("foto.jpg", JPEG, "image/jpeg"),
        ("foto.jpeg", JPEG, "image/jpeg"),
        ("peta.png", PNG, "image/png"),
        ("rekap.xlsx", office_file("xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("laporan.docx", office_file("docx"),
         "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_evidence_add_accepts_allowed_types_by_content(activity, staf_provinsi, settings, name, content, content_type):
    ap = period_of(activity, "B04")
    ev = services.evidence_add(activity_period=ap, uploaded_file=SimpleUploadedFile(name, content, "text/plain"),
                               user=staf_provinsi)
    assert ev.content_type == content_type and ev.original_name == name and ev.size == len(content)
    assert ev.uploaded_by == staf_provinsi
    # a random name under private storage, with the extension of the content's kind (never the upload's name)
    assert ev.file.name.startswith("evidence/") and PurePath(name).stem not in ev.file.name
    assert ev.file.name.endswith({"image/jpeg": ".jpg"}.get(content_type, PurePath(name).suffix.lower()))
    assert default_storage.exists(ev.file.name)
    assert default_storage.path(ev.file.name).startswith(str(settings.MEDIA_ROOT))


@pytest.mark.parametrize(
    "name, content, message",
    [
        ("virus.pdf", b"MZ\x90\x00 this is an exe", "tidak diizinkan"),
        ("script.png", b"<script>alert(1)</script>", "tidak diizinkan"),
        ("foto.pdf", PNG, "tidak sesuai"),
        ("arsip.xlsx", b"PK\x03\x04" + b"\x00" * 40, "tidak diizinkan"),
        ("kosong.pdf", b"", "kosong"),
        ("halaman.html", b"<html></html>", "tidak diizinkan"),
    ],
)
def test_evidence_add_refuses_disguised_or_unknown_files(activity, name, content, message):
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(activity_period=period_of(activity, "B04"),
                              uploaded_file=SimpleUploadedFile(name, content, "application/pdf"), user=None)
    assert message in str(exc.value)
    assert not Evidence.objects.exists()


def test_evidence_add_refuses_more_than_10_mb(activity):
    big = SimpleUploadedFile("besar.pdf", PDF + b"0" * (10 * 1024 * 1024), "application/pdf")
    with pytest.raises(ValidationError) as exc:
        services.evidence_add(activity_period=period_of(activity, "B04"), uploaded_file=big, user=None)
    assert "maksimal 10 MB" in str(exc.value)
    exactly = SimpleUploadedFile("pas.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)), "application/pdf")
    services.evidence_add(activity_period=period_of(activity, "B04"), uploaded_file=exactly, user=None)


def test_evidence_delete_removes_row_and_file(activity, django_capture_on_commit_callbacks):
    ev = services.evidence_add(activity_period=period_of(activity, "B04"),
                               uploaded_file=SimpleUploadedFile("a.pdf", PDF), user=None)
    name = ev.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.evidence_delete(evidence=ev)
    assert not Evidence.objects.exists() and not default_storage.exists(name)


@pytest.mark.django_db
def test_plan_change_log_shows_who_changed_a_realisation(client, staf_provinsi, django_assert_max_num_queries):
    """History of the plan, its activities and realisations is on the plan page (who, when, what)."""
    from django.urls import reverse

    from teams.plan_selectors import plan_change_log

    plan = services.plan_create(team=make_team("19"), year=2026, user=staf_provinsi)
    activity = services.activity_create(
        plan=plan, phase="pencegahan", name="Pemetaan potensi konflik", unit="dokumen",
        responsible_institution=InstitutionFactory(),
        targets={"B04": Decimal(2), "B08": Decimal(1), "B12": Decimal(1)},
    )
    client.force_login(staf_provinsi)
    response = client.post(
        reverse("teams:realisation_update", args=[activity.pk, "B04"]),
        {"realisation": "1", "narrative": "Pemetaan di dua kabupaten"},
    )
    assert response.status_code == 302
    change = next(e for e in plan_change_log(plan) if e.title.startswith("B04"))
    assert change.type == "~" and change.who
    fields = {c.field: c for c in change.changes}
    assert fields["realisasi"].old == "—" and fields["realisasi"].new.startswith("1")
    history_url = reverse("teams:plan_history", args=[plan.pk])
    assert history_url in client.get(reverse("teams:plan_detail", args=[plan.pk])).content.decode()
    with django_assert_max_num_queries(30):
        body = client.get(history_url).content.decode()
    assert "Riwayat perubahan" in body and "Pemetaan di dua kabupaten" in body


@pytest.mark.django_db
def test_only_ended_periods_count_as_missing_realisation(staf_provinsi):
    """Red 'not reported' marks are for periods that have ended, not for B12 in May."""
    plan = services.plan_create(team=make_team("19"), year=2026, user=staf_provinsi)
    services.activity_create(
        plan=plan, phase="pencegahan", name="Rakor", responsible_institution=InstitutionFactory(),
        targets={"B04": Decimal(1), "B08": Decimal(1), "B12": Decimal(1)},
    )
    detail = plan_summary(_load(pk=plan.pk), today=datetime.date(2026, 6, 1))
    cells = {c.period: c for c in detail.phases[0].rows[0].cells}
    assert cells["B04"].overdue_missing and not cells["B08"].overdue_missing and not cells["B12"].overdue_missing
