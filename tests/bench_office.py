"""The office layer in the benchmark (``tests/bench.py``): the weekly summary build and the caturwulan
report build (PDF + xlsx). Offered only once the office app (``kesbang.weekly``, ``kesbang.reports``)
is there; until then the benchmark prints NA for them."""

import datetime
import importlib.util

from django.utils import timezone

HAS_WEEKLY = importlib.util.find_spec("kesbang.weekly") is not None
HAS_REPORTS = importlib.util.find_spec("kesbang.reports") is not None


def last_caturwulan(today: datetime.date | None = None) -> str:
    """The last complete four-month period, e.g. 2026-B08 on 28 November 2026."""
    today = today or timezone.localdate()
    done = [(today.year, m) for m in (4, 8, 12) if datetime.date(today.year, m, 28) < today]
    year, month = done[-1] if done else (today.year - 1, 12)
    return f"{year}-B{month:02d}"


if HAS_WEEKLY:

    def build_summary() -> dict:
        """Build last complete week's summary and render its email (what the Monday task does before
        sending), without sending or recording anything."""
        from kesbang.weekly import services
        from kesbang.weekly.weeks import last_complete_week

        content = services.weekly_summary_build(last_complete_week())
        services.weekly_summary_email(content, to=["pimpinan@example.go.id"])
        return content


if HAS_REPORTS:

    def build_report() -> None:
        """Build a new version of the province's caturwulan report (PDF + xlsx) in this process, as the
        worker does (``manage.py build_report``). Run by the benchmark in a subprocess for its peak memory."""
        from django.core.management import call_command

        call_command("build_report", "caturwulan", last_caturwulan(), verbosity=0)
