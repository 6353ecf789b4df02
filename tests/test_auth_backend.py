"""kesbang.core.auth.KesbangBackend: roles, permissions and person come with the user (issue 10).

Nothing is cached across requests, so taking a login out of its group works on the next request."""

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from kesbang.core.auth import KesbangBackend
from teams.access import Role, role_names, scope_of

pytestmark = pytest.mark.django_db


def test_removing_a_login_from_its_group_is_effective_on_the_next_request(client, staf_provinsi):
    client.force_login(staf_provinsi)
    url = reverse("teams:team_list")
    assert client.get(url).status_code == 200
    staf_provinsi.groups.remove(Group.objects.get(name=Role.STAF_PROVINSI))
    assert client.get(url).status_code == 403
    staf_provinsi.groups.add(Group.objects.get(name=Role.STAF_PROVINSI))
    assert client.get(url).status_code == 200


def test_removing_a_permission_from_the_group_is_effective_on_the_next_request(client, staf_provinsi):
    client.force_login(staf_provinsi)
    url = reverse("teams:team_list")
    assert client.get(url).status_code == 200
    group = Group.objects.get(name=Role.STAF_PROVINSI)
    group.permissions.remove(*group.permissions.filter(codename="view_team"))
    assert client.get(url).status_code == 403


def test_get_user_loads_roles_permissions_and_person_in_one_query(staf_provinsi):
    with CaptureQueriesContext(connection) as ctx:
        user = KesbangBackend().get_user(staf_provinsi.pk)
        roles = role_names(user)
        perms = user.get_all_permissions()
        scope = scope_of(user)
        assert user.has_perm("teams.view_team")
        assert not user.has_perm("teams.no_such_permission")
    assert len(ctx.captured_queries) == 1
    assert roles == {Role.STAF_PROVINSI}
    assert "teams.view_team" in perms
    assert scope.all_regions


def test_same_permissions_as_model_backend(staf_provinsi):
    from django.contrib.auth.backends import ModelBackend
    from django.contrib.auth.models import Permission

    staf_provinsi.user_permissions.add(Permission.objects.get(codename="delete_group"))
    fresh = type(staf_provinsi).objects.get(pk=staf_provinsi.pk)
    loaded = KesbangBackend().get_user(staf_provinsi.pk)
    assert loaded.get_all_permissions() == ModelBackend().get_all_permissions(fresh)
    assert "auth.delete_group" in loaded.get_all_permissions()


def test_inactive_login_is_not_loaded(staf_provinsi):
    staf_provinsi.is_active = False
    staf_provinsi.save()
    assert KesbangBackend().get_user(staf_provinsi.pk) is None


# --- users_with_perm: "who holds this right", the one way to choose logins by a right (mail recipients) ---


def test_users_with_perm_finds_active_holders_through_groups_and_direct_permissions(
        staf_provinsi, staf_bangka, pimpinan, anggota_tim, no_role_user):
    from django.contrib.auth.models import Permission

    from kesbang.core.auth import users_with_perm
    from tests.factories import make_user

    assert set(users_with_perm("incidents.receive_verificationdigest")) == {staf_provinsi, staf_bangka}
    assert set(users_with_perm("incidents.view_rahasia_incident")) == {staf_provinsi, pimpinan}
    no_role_user.user_permissions.add(Permission.objects.get(codename="view_rahasia_incident"))
    assert set(users_with_perm("incidents.view_rahasia_incident")) == {staf_provinsi, pimpinan, no_role_user}
    staf_provinsi.is_active = False
    staf_provinsi.save()
    assert set(users_with_perm("incidents.view_rahasia_incident")) == {pimpinan, no_role_user}
    # A superuser is chosen only when it holds the right like anyone else (it reads everything anyway).
    superuser = make_user("Anggota Tim", username="super.penerima", superuser=True)
    assert superuser not in set(users_with_perm("incidents.view_rahasia_incident"))
    assert superuser in set(users_with_perm("incidents.view_terbatas_incident"))
    assert not users_with_perm("incidents.no_such_permission").exists()


def test_users_with_perm_rows_come_with_their_access(staf_provinsi, staf_bangka):
    from incidents.models import Incident
    from kesbang.core.auth import users_with_perm

    with CaptureQueriesContext(connection) as ctx:
        users = list(users_with_perm("incidents.receive_verificationdigest"))
        for user in users:
            assert user.has_perm("incidents.change_incident") and role_names(user)
            assert scope_of(user).all_regions is (user == staf_provinsi)
            str(Incident.objects.restrict(user, "change").query)  # built without a query
    assert len(ctx.captured_queries) == 1
    assert {u.pk for u in users} == {staf_provinsi.pk, staf_bangka.pk}


def test_a_user_read_in_a_task_loads_roles_and_permissions_in_one_query(staf_provinsi):
    """Not ModelBackend's two permission queries plus one for the roles."""
    user = type(staf_provinsi).objects.get(pk=staf_provinsi.pk)
    with CaptureQueriesContext(connection) as ctx:
        assert user.has_perm("incidents.view_rahasia_incident")
        assert role_names(user) == {Role.STAF_PROVINSI}
        assert "teams.view_team" in user.get_all_permissions()
    assert len(ctx.captured_queries) == 1
