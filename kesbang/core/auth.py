"""Authentication backend that loads a login's access in the same query as the login itself.

Django's ``ModelBackend`` costs every logged-in page three queries after loading the user (its own
permissions, its groups' permissions, and the groups' names for ``teams.access.role_names``), and
``teams.access.scope_of`` a fourth (the login's Person and region). Here the user row comes with its
Person and region (``select_related``) and three correlated subqueries: group names, group
permissions and user permissions. Nothing is cached across requests: a permission or group change
is effective on the very next request. Superusers keep ``ModelBackend``'s own path (every permission).
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import Group, Permission
from django.db import connection
from django.db.models.expressions import RawSQL

SEP = "\x1f"  # unit separator: never part of a group name or a permission codename


def _agg(expr: str) -> str:
    if connection.vendor == "postgresql":
        return f"STRING_AGG({expr}, %s)"
    return f"GROUP_CONCAT({expr}, %s)"  # SQLite (tests)


def access_annotations() -> dict:
    """Three correlated subqueries on the user table: group names, group and user permissions."""
    q = connection.ops.quote_name
    user = q(get_user_model()._meta.db_table)
    group = q(Group._meta.db_table)
    user_groups = q(get_user_model().groups.through._meta.db_table)
    group_perms = q(Group.permissions.through._meta.db_table)
    user_perms = q(get_user_model().user_permissions.through._meta.db_table)
    perm = q(Permission._meta.db_table)
    ct = q(Permission._meta.get_field("content_type").related_model._meta.db_table)
    perm_name = "ct.app_label || '.' || p.codename"
    return {
        "_kesbang_role_list": RawSQL(
            f"SELECT {_agg('g.name')} FROM {group} g INNER JOIN {user_groups} ug ON ug.group_id = g.id "
            f"WHERE ug.user_id = {user}.id", [SEP]),
        "_kesbang_group_perm_list": RawSQL(
            f"SELECT {_agg(perm_name)} FROM {perm} p INNER JOIN {ct} ct ON ct.id = p.content_type_id "
            f"WHERE p.id IN (SELECT gp.permission_id FROM {group_perms} gp INNER JOIN {user_groups} ug "
            f"ON ug.group_id = gp.group_id WHERE ug.user_id = {user}.id)", [SEP]),
        "_kesbang_user_perm_list": RawSQL(
            f"SELECT {_agg(perm_name)} FROM {perm} p INNER JOIN {ct} ct ON ct.id = p.content_type_id "
            f"WHERE p.id IN (SELECT up.permission_id FROM {user_perms} up WHERE up.user_id = {user}.id)", [SEP]),
    }


def _split(value) -> set[str]:
    return set(value.split(SEP)) if value else set()


def apply_access(user, row) -> None:
    """Put the loaded roles and permissions where ``role_names`` and ``ModelBackend`` look for them."""
    user._kesbang_roles = _split(row._kesbang_role_list)
    if not user.is_superuser:  # superusers: ModelBackend's own path (every permission)
        user._user_perm_cache = _split(row._kesbang_user_perm_list)
        user._group_perm_cache = _split(row._kesbang_group_perm_list)
        user._perm_cache = user._user_perm_cache | user._group_perm_cache


def load_access(user) -> None:
    """For a user object not loaded by ``KesbangBackend.get_user`` (at login, in tasks): one query, or
    none when the row came with ``access_annotations()`` (``users_with_perm``)."""
    if hasattr(user, "_kesbang_group_perm_list"):
        apply_access(user, user)
        return
    row = get_user_model()._default_manager.filter(pk=user.pk).annotate(**access_annotations()).only("pk").first()
    if row is None:
        user._kesbang_roles = set()
        return
    apply_access(user, row)


class KesbangBackend(ModelBackend):
    """``ModelBackend`` whose ``get_user`` (once per request) also loads Person, region, roles and permissions.

    A user object that did not come through ``get_user`` (the one ``authenticate`` returns, a row a task
    reads) gets its permissions in the same single query as its roles (``load_access``) on the first
    ``has_perm``, not in ``ModelBackend``'s two."""

    def _get_permissions(self, user_obj, obj, from_name):
        if (obj is None and user_obj.is_active and not user_obj.is_anonymous and not user_obj.is_superuser
                and not hasattr(user_obj, f"_{from_name}_perm_cache")):
            load_access(user_obj)
        return super()._get_permissions(user_obj, obj, from_name)

    def get_user(self, user_id):
        user_model = get_user_model()
        user = (
            user_model._default_manager.select_related("person__region")
            .annotate(**access_annotations())
            .filter(pk=user_id)
            .first()
        )
        if user is None or not self.user_can_authenticate(user):
            return None
        apply_access(user, user)
        return user


def users_with_perm(perm: str):
    """The active logins holding ``perm`` ("app_label.codename") through a group (their role) or as a
    direct permission: the one way to ask "who" by a right (mail recipients). A superuser is counted only
    when it holds ``perm`` like anyone else. Each row comes with its person and region, its roles and its
    permissions, so ``has_perm``, ``scope_of`` and ``restrict`` on it cost no further query."""
    return (
        KesbangBackend().with_perm(perm, is_active=True, include_superusers=False)
        .select_related("person__region")
        .annotate(**access_annotations())
        .order_by("pk")
    )
