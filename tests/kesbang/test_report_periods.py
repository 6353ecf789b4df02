import datetime

import pytest
from django.core.exceptions import ValidationError

from kesbang.reports.periods import current_period, parse_period, periods_due, periods_ending_on


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
