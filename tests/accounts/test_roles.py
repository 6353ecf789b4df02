"""The permission matrix (kesbang/accounts/roles.py): every model has a row, the groups hold exactly it after
every migrate, and rights are per model (an Anggota Tim who may add incidents edits no taxonomy)."""

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from kesbang.accounts import roles
from kesbang.accounts.roles import ACTIONS, MODEL_PERMISSIONS, Role, grants_for

HOW_TO_ADD = (
    "Add a row for each of them to MODEL_PERMISSIONS in kesbang/accounts/roles.py, e.g.\n"
    '    "{label}": {{ADMIN: ALL, PIMPINAN: VIEW, STAF_PROV: ALL, STAF_KAB: WRITE, ANGGOTA: VIEW}},\n'
    "(a role left out gets nothing; NOBODY = superusers only), then run manage.py migrate: the\n"
    "post_migrate handler applies the matrix, no data migration needed."
)


def project_model_labels() -> list[str]:
    return sorted(model._meta.label_lower for model in apps.get_models())


def missing_rows(labels, matrix=MODEL_PERMISSIONS) -> list[str]:
    return [label for label in labels if grants_for(label, matrix) is None]


def permission_table() -> dict[str, list[str]]:
    """Every model permission in the database with the roles that hold it ("" = superusers only)."""
    table = {
        f"{p.content_type.app_label}.{p.codename}": []
        for p in Permission.objects.select_related("content_type")
    }
    for group in Group.objects.prefetch_related("permissions__content_type"):
        for p in group.permissions.all():
            table[f"{p.content_type.app_label}.{p.codename}"].append(group.name)
    return {perm: sorted(holders) for perm, holders in sorted(table.items())}


def matrix_table() -> dict[str, list[str]]:
    table = {}
    for p in Permission.objects.select_related("content_type"):
        label = f"{p.content_type.app_label}.{p.content_type.model}"
        table[f"{p.content_type.app_label}.{p.codename}"] = sorted(
            str(role) for role in Role if p.codename in roles.wanted_codenames(role, label)
        )
    return dict(sorted(table.items()))


def format_table(table) -> str:
    return "\n".join(f"  {perm:<55} {', '.join(holders) or '(superusers only)'}" for perm, holders in table.items())


def test_every_model_of_the_project_has_a_row():
    missing = missing_rows(project_model_labels())
    assert not missing, (
        f"Models without a row in the permission matrix: {', '.join(missing)}.\n"
        + HOW_TO_ADD.format(label=missing[0])
    )


def test_a_new_model_without_a_row_is_reported():
    assert missing_rows(["incidents.brandnew", "teams.team", "teams.historicalteam"]) == ["incidents.brandnew"]
    assert missing_rows(["incidents.historicalbrandnew"]) == ["incidents.historicalbrandnew"]


def declared_actions(label: str) -> set[str]:
    """Django's four actions plus those the model declares in ``Meta.permissions`` ("send" for
    ``send_weeklysummary``)."""
    model = apps.get_model(label)
    suffix = "_" + model._meta.model_name
    return set(ACTIONS) | {codename.removesuffix(suffix) for codename, _name in model._meta.permissions
                           if codename.endswith(suffix)}


def test_every_row_names_a_real_model_roles_and_actions():
    labels = set(project_model_labels())
    stale = [label for label in MODEL_PERMISSIONS if label not in labels]
    assert not stale, f"Rows in kesbang/accounts/roles.py MODEL_PERMISSIONS for models that do not exist: {stale}"
    for label, row in MODEL_PERMISSIONS.items():
        for role, actions in row.items():
            assert isinstance(role, Role), f"{label}: {role!r} is not a teams.access.Role"
            unknown = set(actions) - declared_actions(label)
            assert not unknown, f"{label}: unknown actions {unknown} (not Django's nor in the model's Meta.permissions)"
            assert "view" in actions or not actions, f"{label}: {role} may write but not view"


@pytest.mark.django_db
def test_groups_hold_exactly_the_matrix():
    actual, expected = permission_table(), matrix_table()
    assert set(actual) == set(expected)
    differences = {perm: (actual[perm], expected[perm]) for perm in actual if actual[perm] != expected[perm]}
    assert not differences, (
        "Groups differ from kesbang/accounts/roles.py (run manage.py migrate):\n"
        + "\n".join(f"  {perm}: has {have}, matrix says {want}" for perm, (have, want) in differences.items())
        + "\n\nEvery model permission and its holders:\n" + format_table(actual)
    )
    assert {g.name for g in Group.objects.all()} >= {str(role) for role in Role}


@pytest.mark.django_db
def test_migrate_reapplies_the_matrix():
    group = Group.objects.get(name=Role.ANGGOTA_TIM)
    group.permissions.add(Permission.objects.get(codename="delete_team"))
    Group.objects.get(name=Role.STAF_KABKOTA).permissions.clear()
    call_command("migrate", verbosity=0)
    assert permission_table() == matrix_table()
    assert not group.permissions.filter(codename="delete_team").exists()


def test_custom_actions_are_the_models_own():
    assert declared_actions("office.weeklysummary") == set(ACTIONS) | {"send"}
    assert declared_actions("teams.team") == set(ACTIONS)
    assert roles.wanted_codenames(Role.ADMINISTRATOR, "office.weeklysummary") == {
        "view_weeklysummary", "delete_weeklysummary", "send_weeklysummary"}


@pytest.mark.django_db
def test_migrate_gives_an_existing_database_a_new_custom_permission():
    """A database from before ``send_weeklysummary`` (office 0003) gets it, and the Administrator
    role holds it, on the next ``migrate``: no data migration of its own."""
    Permission.objects.filter(codename="send_weeklysummary").delete()
    call_command("migrate", verbosity=0)
    holders = Group.objects.filter(permissions__codename="send_weeklysummary",
                                   permissions__content_type__app_label="office")
    assert [g.name for g in holders] == [Role.ADMINISTRATOR]


@pytest.mark.django_db
def test_rights_are_per_model():
    table = permission_table()

    def holders(perm):
        return set(table[perm])

    # Reference data: only the Administrator role edits regions and reporting deadlines.
    for perm in ("teams.change_region", "teams.add_region", "teams.change_reportingdeadline"):
        assert holders(perm) == {Role.ADMINISTRATOR}, perm
    assert holders("teams.view_region") == {str(role) for role in Role}
    # An Anggota Tim and a Pimpinan read; they write nothing in the register.
    for perm, who in table.items():
        if perm.startswith("teams.") and not perm.split(".")[1].startswith("view_"):
            assert Role.ANGGOTA_TIM not in who and Role.PIMPINAN not in who, perm
    # A regency's staff write their register but delete nothing.
    assert Role.STAF_KABKOTA in holders("teams.add_membership")
    assert not [p for p, who in table.items() if "delete_" in p and Role.STAF_KABKOTA in who]
    # History is read, never written by hand.
    assert holders("teams.view_historicalteam") == holders("teams.view_team")
    assert not holders("teams.change_historicalteam")
    # Per model, not per app: an Anggota Tim reports incidents but does not edit their taxonomy.
    if "incidents.add_incident" in table:
        assert Role.ANGGOTA_TIM in holders("incidents.add_incident")
        assert holders("incidents.change_category") == {Role.ADMINISTRATOR}
    # Users are the Administrator role's; groups (the roles, i.e. this matrix) only a superuser edits.
    assert holders("auth.change_user") == {Role.ADMINISTRATOR}
    assert holders("auth.view_group") == {Role.ADMINISTRATOR}
    assert not holders("auth.change_group") and not holders("auth.add_group") and not holders("auth.delete_group")
    # Two-factor devices: seen and deleted (a lost phone), never added or edited in the admin.
    for model in ("otp_totp.totpdevice", "otp_static.staticdevice"):
        app, name = model.split(".")
        assert holders(f"{app}.delete_{name}") == {Role.ADMINISTRATOR}
        assert not holders(f"{app}.add_{name}") and not holders(f"{app}.change_{name}")
    assert not holders("otp_static.view_statictoken")


def test_the_taxonomy_example_from_the_docstring():
    """Per-model rows: adding incidents does not grant editing their taxonomy."""
    matrix = {
        "incidents.incident": {roles.ANGGOTA: frozenset({"view", "add"})},
        "incidents.category": {roles.ANGGOTA: roles.VIEW},
    }
    assert roles.wanted_codenames(Role.ANGGOTA_TIM, "incidents.incident", matrix) == {"view_incident", "add_incident"}
    assert roles.wanted_codenames(Role.ANGGOTA_TIM, "incidents.category", matrix) == {"view_category"}
