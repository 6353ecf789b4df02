"""A database migrated from before the clearances and mail duties (issue 14: role names in one place) gets
them: ``migrate`` creates the permissions (incidents 0010, office 0004) and its post_migrate handler
grants them to the roles as kesbang/accounts/roles.py says, with no data migration and nobody losing or
gaining access to an incident on the way."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("incidents", "0009_public_reports"), ("office", "0003_weeklysummary_send_permission")]
NEW = {"view_terbatas_incident", "view_rahasia_incident", "receive_incidentalert", "receive_verificationdigest",
       "receive_conflictstatusreminder", "receive_report", "receive_weeklysummary"}


# Migrates the test database back and forth (seconds each): in make test and CI, not make test-quick.
pytestmark = pytest.mark.migrations

def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    ContentType.objects.clear_cache()


def _held() -> dict[str, set[str]]:
    return {group.name: set(group.permissions.filter(codename__in=NEW).values_list("codename", flat=True))
            for group in Group.objects.all()}


@pytest.mark.django_db(transaction=True)
def test_migrate_from_the_previous_state_grants_the_new_permissions(base_data):
    from tests.factories import make_incident, make_user

    try:
        _migrate(BEFORE)
        # The previous state: the permissions did not exist (unapplying a Meta change leaves its rows).
        Permission.objects.filter(codename__in=NEW).delete()
        assert not any(_held().values())
        call_command("migrate", verbosity=0)
        held = _held()
        assert held["Pimpinan"] == {"view_terbatas_incident", "view_rahasia_incident", "receive_report",
                                    "receive_weeklysummary"}
        assert held["Staf Provinsi"] == NEW
        assert held["Staf Kabupaten/Kota"] == {"view_terbatas_incident", "receive_verificationdigest"}
        assert held["Anggota Tim"] == {"view_terbatas_incident"}
        assert held["Administrator"] == set()

        from incidents import classification

        rahasia = make_incident(classification="rahasia")
        staf = make_user("Staf Provinsi", username="migrasi.staf", region_code="19")
        admin = make_user("Administrator", username="migrasi.admin", region_code="19")
        assert classification.can_read(staf, rahasia) and not classification.can_read(admin, rahasia)
    finally:
        _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
