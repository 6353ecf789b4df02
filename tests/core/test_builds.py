"""core.builds.BuildRunner: the one set of rules for rows built in the background (periodic reports,
national package): a worker that lost its claim keeps nothing, a failure is a readable reason."""

import datetime

import pytest
from django.utils import timezone

from kesbang.core.builds import BuildRunner
from kesbang.office.models import Report
from kesbang.office.reports import services
from tests.factories import region

pytestmark = pytest.mark.django_db

RUNNER = BuildRunner(Report, label="test", timeout_reason="habis", error_reason="gagal (%(error)s)")


def queued() -> Report:
    return services.report_request(kind="bulanan", period="2026-05", region=region("19"), enqueue=False)


def test_a_worker_taken_over_mid_build_discards_its_result_and_the_new_one_wins(django_capture_on_commit_callbacks):
    report = queued()
    discarded = []

    def build(obj):
        # This worker looked dead: the row went stale and another worker claimed it.
        Report.objects.filter(pk=obj.pk).update(progress_at=timezone.now() - datetime.timedelta(hours=1))
        assert RUNNER.claim(obj.pk) is not None
        return "file-of-the-first-worker"

    with django_capture_on_commit_callbacks(execute=True):
        assert RUNNER.run(report.pk, build=build, apply=lambda cur, res: [], discard=discarded.append) is None
    assert discarded == ["file-of-the-first-worker"]
    report.refresh_from_db()
    assert report.status == "diproses" and report.attempts == 2  # the second worker's claim stands


def test_a_failure_is_recorded_with_a_reason_and_not_raised():
    report = queued()

    def build(obj):
        raise ValueError("boom")

    assert RUNNER.run(report.pk, build=build, apply=lambda cur, res: [], discard=lambda res: None) is None
    report.refresh_from_db()
    assert report.status == "gagal" and report.failure_reason == "gagal (ValueError)"
    assert report.finished_at is not None
    assert RUNNER.claim(report.pk) is None  # failed rows are not built again (the user asks anew)


def test_progress_is_written_only_while_the_attempt_holds_the_row():
    report = queued()
    first = RUNNER.claim(report.pk)
    RUNNER.progress(first, 150, "x" * 300)
    report.refresh_from_db()
    assert report.progress == 99 and len(report.progress_note) == 200
    Report.objects.filter(pk=report.pk).update(attempts=5)
    RUNNER.progress(first, 40, "lama")
    report.refresh_from_db()
    assert report.progress == 99
