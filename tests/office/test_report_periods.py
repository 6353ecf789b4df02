import datetime

import pytest
from django.core.exceptions import ValidationError

from kesbang.office.reports.periods import current_period, parse_period, periods_due, periods_ending_on


@pytest.mark.parametrize(("kind", "text", "code", "start", "end", "ap"), [
    ("bulanan", "2026-05", "2026-05", datetime.date(2026, 5, 1), datetime.date(2026, 5, 31), ["B08"]),
    ("bulanan", "2024-02", "2024-02", datetime.date(2024, 2, 1), datetime.date(2024, 2, 29), ["B04"]),
    ("caturwulan", "2026-b12", "2026-B12", datetime.date(2026, 9, 1), datetime.date(2026, 12, 31), ["B12"]),
    ("semester", "2026-S1", "2026-S1", datetime.date(2026, 1, 1), datetime.date(2026, 6, 30), ["B04", "B08"]),
    ("semester", "2026-S2", "2026-S2", datetime.date(2026, 7, 1), datetime.date(2026, 12, 31), ["B08", "B12"]),
    ("tahunan", "2026", "2026", datetime.date(2026, 1, 1), datetime.date(2026, 12, 31), ["B04", "B08", "B12"]),
])
def test_parse(kind, text, code, start, end, ap):
    p = parse_period(kind, text)
    assert (p.code, p.start, p.end, p.action_plan_periods()) == (code, start, end, ap)


@pytest.mark.parametrize(("kind", "text"), [
    ("caturwulan", "2026-B13"), ("caturwulan", "2026-05"), ("bulanan", "2026-13"), ("bulanan", "2026-00"),
    ("semester", "2026-S3"), ("tahunan", "26"), ("tahunan", "1999"), ("mingguan", "2026"), ("bulanan", ""),
    ("caturwulan", "2026-B12; DROP"),
])
def test_parse_refuses_in_indonesian(kind, text):
    with pytest.raises(ValidationError) as exc:
        parse_period(kind, text)
    assert any(w in " ".join(exc.value.messages) for w in ("Periode", "Jenis", "Bulan", "Tahun"))


def test_labels():
    assert parse_period("caturwulan", "2026-B12").label == "Caturwulan B12 (September–Desember) 2026"
    assert parse_period("bulanan", "2026-05").label == "Mei 2026"


@pytest.mark.django_db
def test_first_working_day_after_and_due():
    # 31 August 2026 is a Monday: B08 and August end; the first working day after is Tuesday 1 September.
    b08 = parse_period("caturwulan", "2026-B08")
    assert b08.first_working_day_after() == datetime.date(2026, 9, 1)
    # 31 October 2026 is a Saturday: the October report is due Monday 2 November.
    assert parse_period("bulanan", "2026-10").first_working_day_after() == datetime.date(2026, 11, 2)
    year_end = [p.code for p in periods_ending_on(datetime.date(2026, 12, 31))]
    assert year_end == ["2026-12", "2026-B12", "2026-S2", "2026"]
    assert "2026-10" not in [p.code for p in periods_due(datetime.date(2026, 11, 1))]
    assert "2026-10" in [p.code for p in periods_due(datetime.date(2026, 11, 2))]
    assert current_period("caturwulan", datetime.date(2026, 11, 28)).code == "2026-B08"


# --- National holidays and cuti bersama (kesbang.office.workdays) ----------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("kind", "text", "due"), [
    # March 2025 ends on Monday 31 March, Idul Fitri; 1 April is its second day, 2-4 and 7 April cuti
    # bersama (SKB 3 Menteri 2025), 5-6 April a weekend: Tuesday 8 April.
    ("bulanan", "2025-03", datetime.date(2025, 4, 8)),
    # 2025 ends on Wednesday 31 December; 1 January is New Year's Day: Friday 2 January 2026.
    ("tahunan", "2025", datetime.date(2026, 1, 2)),
    ("caturwulan", "2025-B12", datetime.date(2026, 1, 2)),
    # B12 2026 ends on Thursday 31 December; Friday 1 January 2027 is New Year's Day: Monday 4 January.
    ("caturwulan", "2026-B12", datetime.date(2027, 1, 4)),
    # November 2026 ends on Monday 30 November, an ordinary day before Christmas: Tuesday 1 December.
    ("bulanan", "2026-11", datetime.date(2026, 12, 1)),
])
def test_first_working_day_skips_national_holidays_and_cuti_bersama(kind, text, due):
    assert parse_period(kind, text).first_working_day_after() == due


@pytest.mark.django_db
def test_admin_days_add_and_cancel_holidays():
    """Cuti bersama decided after the library's release (an SKB for 2 January 2026), and one
    cancelled (7 April 2025 made a working day again)."""
    from tests.factories import NonWorkingDayFactory

    NonWorkingDayFactory(date=datetime.date(2026, 1, 2), name="Cuti bersama Tahun Baru (SKB revisi)")
    NonWorkingDayFactory(date=datetime.date(2025, 4, 7), name="Cuti bersama dibatalkan", kind="masuk")
    assert parse_period("tahunan", "2025").first_working_day_after() == datetime.date(2026, 1, 5)
    assert parse_period("bulanan", "2025-03").first_working_day_after() == datetime.date(2025, 4, 7)
    assert "2025" not in [p.code for p in periods_due(datetime.date(2026, 1, 2))]
    assert "2025" in [p.code for p in periods_due(datetime.date(2026, 1, 5))]


@pytest.mark.django_db
def test_scheduled_reports_wait_for_the_first_working_day(django_capture_on_commit_callbacks, monkeypatch):
    """The year-end reports of 2026 are not generated on New Year's Day 2027 nor over the weekend,
    but on Monday 4 January; the Lebaran month of 2025 on Tuesday 8 April."""
    from django.utils import timezone

    from kesbang.office.reports import services

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: datetime.date(2027, 1, 4))  # "not started yet"
    with django_capture_on_commit_callbacks(execute=False):
        for day in (1, 2, 3):
            made = services.reports_schedule_due(today=datetime.date(2027, 1, day))
            assert not [r for r in made if r.period_end == datetime.date(2026, 12, 31)], day
        monday = services.reports_schedule_due(today=datetime.date(2027, 1, 4))
        assert {("caturwulan", "2026-B12"), ("tahunan", "2026"), ("semester", "2026-S2"),
                ("bulanan", "2026-12")} <= {(r.kind, r.period) for r in monday}
        services.reports_schedule_due(today=datetime.date(2025, 4, 7))
        from kesbang.office.models import Report

        assert not Report.objects.filter(period="2025-03").exists()
        assert [r.period for r in services.reports_schedule_due(today=datetime.date(2025, 4, 8))] == ["2025-03"]


def test_days_off_come_from_the_library_without_a_query():
    from kesbang.office.workdays import national_days_off

    off = national_days_off([2026])
    assert datetime.date(2026, 3, 20) in off  # cuti bersama Idul Fitri
    assert datetime.date(2026, 12, 25) in off and datetime.date(2026, 12, 24) in off
    assert datetime.date(2026, 12, 28) not in off
