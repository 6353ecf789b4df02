"""The office's models moved from the ``kesbang`` app to ``office`` (kesbang/0011, office/0001 and 0002):
a database with rows migrates forward without losing any, the content types keep their ids under the
new label, and the roles still hold their permissions on reports."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from teams.access import Role

BEFORE = [("kesbang", "0010_audit_kinds_merged"), ("office", None)]
MOVED = ("report", "reportdelivery", "weeklysummary", "weeklysummarydelivery", "recipient", "nonworkingday")


# Migrates the test database back and forth (seconds each): in make test and CI, not make test-quick.
pytestmark = pytest.mark.migrations

def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()
    return executor.loader.project_state([t for t in targets if t[1] is not None]).apps


def _leaves():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.mark.django_db(transaction=True)
def test_rows_content_types_and_grants_survive_the_move():
    try:
        old = _migrate(BEFORE)
        # The state before the move: the models belong to the kesbang app, their content types too
        # (office/0002 run backwards gave them back), and the roles' grants are on those.
        assert "office" not in old.all_models and old.get_model("kesbang", "Report")._meta.db_table == "kesbang_report"
        old_ct = {m: ContentType.objects.get(app_label="kesbang", model=m).pk for m in MOVED}
        Region = old.get_model("teams", "Region")
        region = Region.objects.create(code="99", name="Provinsi Uji", level="provinsi")
        Report = old.get_model("kesbang", "Report")
        report = Report.objects.create(kind="bulanan", period="2026-10", period_start=datetime.date(2026, 10, 1),
                                       period_end=datetime.date(2026, 10, 31), region=region, status="selesai",
                                       progress=100, figures={"insiden": 3})
        old.get_model("kesbang", "ReportDelivery").objects.create(report=report, email="pimpinan@contoh.go.id")
        old.get_model("kesbang", "Recipient").objects.create(email="tambahan@contoh.go.id", name="Tambahan")
        summary = old.get_model("kesbang", "WeeklySummary").objects.create(
            week="2026-W47", start=datetime.date(2026, 11, 16), end=datetime.date(2026, 11, 22), content={"n": 1})
        old.get_model("kesbang", "WeeklySummaryDelivery").objects.create(summary=summary, email="a@contoh.go.id")
        old.get_model("kesbang", "NonWorkingDay").objects.create(date=datetime.date(2026, 12, 24),
                                                                 name="Cuti bersama Natal")
        assert Group.objects.get(name=str(Role.PIMPINAN)).permissions.filter(
            codename="view_report", content_type__app_label="kesbang").exists()

        _migrate(_leaves())

        from kesbang.office.models import (
            NonWorkingDay,
            Recipient,
            ReportDelivery,
            WeeklySummary,
            WeeklySummaryDelivery,
        )
        from kesbang.office.models import Report as NewReport

        moved = NewReport.objects.get(pk=report.pk)
        assert (moved.kind, moved.period, moved.region.code, moved.figures) == ("bulanan", "2026-10", "99",
                                                                               {"insiden": 3})
        assert ReportDelivery.objects.get().report_id == report.pk
        assert Recipient.objects.get().email == "tambahan@contoh.go.id"
        assert WeeklySummary.objects.get().week == "2026-W47"
        assert WeeklySummaryDelivery.objects.get().summary_id == summary.pk
        assert NonWorkingDay.objects.get().name == "Cuti bersama Natal"
        # Same content type rows, new label: permissions, groups and admin log entries follow.
        assert {m: ContentType.objects.get(app_label="office", model=m).pk for m in MOVED} == old_ct
        assert not ContentType.objects.filter(app_label="kesbang", model__in=MOVED).exists()
        assert ContentType.objects.get_for_model(NewReport).pk == old_ct["report"]
        pimpinan = Group.objects.get(name=str(Role.PIMPINAN))
        assert pimpinan.permissions.filter(codename="view_report", content_type__app_label="office").exists()
    finally:
        _migrate(_leaves())


@pytest.mark.django_db
def test_the_moved_models_keep_their_tables_and_the_accounts_app_its_label():
    from django.apps import apps

    from kesbang.accounts.models import AuditEvent
    from kesbang.office.models import Report

    assert Report._meta.db_table == "kesbang_report" and Report._meta.app_label == "office"
    assert AuditEvent._meta.db_table == "kesbang_auditevent" and AuditEvent._meta.app_label == "kesbang"
    assert apps.get_app_config("kesbang").name == "kesbang.accounts"
    assert apps.get_app_config("office").name == "kesbang.office"
    recorded = MigrationExecutor(connection).loader.applied_migrations
    assert ("kesbang", "0005_office") in recorded and ("office", "0001_initial") in recorded
