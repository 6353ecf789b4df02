"""Grants of access (superuser and staff status, roles, direct permissions): who may give which, and
an audit event for every grant and revocation.

Policy (the order of roles is ``kesbang.accounts.roles.ROLE_ORDER``):

- Only a superuser grants or revokes superuser status, staff status (the admin site), a direct
  permission, the Administrator role, or a role above it (Pimpinan, Staf Provinsi: they read
  ``rahasia`` incidents).
- A login that may change users (the Administrator role) grants and revokes the roles below its own
  (``grantable_roles``) and manages only accounts it could have set up itself (``may_manage``): not a
  superuser's, not a staff account (other administrators), not its own, and none holding a role or
  group it cannot grant. Managing covers the profile, the password, the active flag, the roles and
  the two-factor devices: changing the password or devices of an account above one's own would be
  taking that account, with its rights.

``refused_changes`` compares an account's access before and after a save; the user admin calls it
after the form and the related objects are saved and raises ``PermissionDenied`` (the admin's
transaction then undoes everything), so the rule holds even for a hand-made POST, not only in the form.

The audit: every change of those four things is written to the audit log (``kesbang.accounts.audit.record``,
kinds ``access_granted`` / ``access_revoked``) by the receivers below, whatever made it: the admin, a
management command (``ensure_admin``, ``createsuperuser``, ``seed_demo``), a service or the shell.
They are signal receivers because a signal is the one place every one of those paths passes (the
auth events of ``kesbang.accounts.audit`` are received the same way); ``acting(...)`` tells them who is acting
and through what, otherwise the event says the command (or "sistem").
"""

import contextvars
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from django.contrib.auth import get_user_model
from django.utils.translation import gettext as _

from kesbang.accounts import audit
from kesbang.accounts.roles import grantable_roles

GRANTED = "access_granted"
REVOKED = "access_revoked"


@dataclass(frozen=True)
class Access:
    """What an account may do: its two flags, its groups (roles) and its direct permissions."""

    superuser: bool = False
    staff: bool = False
    groups: frozenset = field(default_factory=frozenset)
    permissions: frozenset = field(default_factory=frozenset)


def access_of(user) -> Access:
    """The account's access as stored now (two queries)."""
    if user.pk is None:
        return Access(superuser=user.is_superuser, staff=user.is_staff)
    return Access(
        superuser=user.is_superuser,
        staff=user.is_staff,
        groups=frozenset(user.groups.values_list("name", flat=True)),
        permissions=frozenset(
            f"{app}.{codename}"
            for app, codename in user.user_permissions.values_list("content_type__app_label", "codename")
        ),
    )


def may_manage(actor, target) -> bool:
    """Whether ``actor`` may change ``target``'s account (see the module doc). Cached on ``actor``."""
    if getattr(actor, "is_superuser", False):
        return True
    if target.pk is None:
        return bool(grantable_roles(actor))
    cache = actor.__dict__.setdefault("_grants_may_manage", {})
    if target.pk not in cache:
        grantable = grantable_roles(actor)
        cache[target.pk] = bool(
            grantable
            and target.pk != actor.pk
            and not target.is_superuser
            and not target.is_staff
            and all(name in grantable for name in target.groups.values_list("name", flat=True))
        )
    return cache[target.pk]


def refused_changes(actor, before: Access, after: Access) -> list[str]:
    """The changes from ``before`` to ``after`` that ``actor`` may not make (empty: all allowed)."""
    if getattr(actor, "is_superuser", False):
        return []
    refused = []
    if before.superuser != after.superuser:
        refused.append(_("status superuser"))
    if before.staff != after.staff:
        refused.append(_("status staf"))
    if before.permissions != after.permissions:
        refused.append(_("izin langsung"))
    grantable = grantable_roles(actor)
    refused += [_("peran %(role)s") % {"role": name}
                for name in sorted(before.groups ^ after.groups) if name not in grantable]
    return refused


# --- who is acting ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Acting:
    user: object = None
    request: object = None
    via: str = ""


_acting: contextvars.ContextVar[Acting | None] = contextvars.ContextVar("kesbang_grants_acting", default=None)


@contextmanager
def acting(user=None, *, request=None, via: str = ""):
    """Changes of access inside this block are audited as made by ``user`` through ``via``."""
    token = _acting.set(Acting(user=user, request=request, via=via))
    try:
        yield
    finally:
        _acting.reset(token)


def _current() -> Acting:
    current = _acting.get()
    if current is not None:
        return current
    program = Path(sys.argv[0]).name if sys.argv else ""
    if program in ("manage.py", "django-admin") and len(sys.argv) > 1:
        return Acting(via=f"{program} {sys.argv[1]}")
    return Acting(via="sistem")


def _record(kind: str, target, what: str) -> None:
    current = _current()
    user = current.user if getattr(current.user, "is_authenticated", False) else None
    audit.record(
        kind, request=current.request, user=user, username="" if user else "(sistem)",
        detail=f"{target.get_username()}: {what} (melalui {current.via or 'sistem'})",
    )


# --- receivers (connected in KesbangConfig.ready) ----------------------------------------------------

FLAGS = {"is_superuser": "status superuser", "is_staff": "status staf (situs admin)"}


def before_user_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None:
        return
    if update_fields is not None and not set(update_fields) & set(FLAGS):
        return  # e.g. last_login on every login: no query
    instance._grants_flags_before = (
        sender._default_manager.filter(pk=instance.pk).values(*FLAGS).first()
    )


def after_user_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    before = None if created else getattr(instance, "_grants_flags_before", None)
    if not created and before is None:
        return
    for flag, what in FLAGS.items():
        old, new = (before or {}).get(flag, False), getattr(instance, flag)
        if old != new:
            _record(GRANTED if new else REVOKED, instance, what)
    instance._grants_flags_before = None


def _labels(model, pks) -> dict:
    if model._meta.label_lower == "auth.permission":
        rows = model._default_manager.filter(pk__in=pks).values_list("pk", "content_type__app_label", "codename")
        return {pk: f"izin {app}.{codename}" for pk, app, codename in rows}
    return {pk: f"peran {name}" for pk, name in model._default_manager.filter(pk__in=pks).values_list("pk", "name")}


def access_m2m_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    """``User.groups`` and ``User.user_permissions``, changed from either side (``user.groups.add``
    or ``group.user_set.add``)."""
    User = get_user_model()
    name = "groups" if sender is User.groups.through else "user_permissions"
    if action == "pre_clear":
        related = (getattr(instance, name).all() if not reverse
                   else User._default_manager.filter(**{name: instance}))
        instance._grants_clearing = set(related.values_list("pk", flat=True))
        return
    if action not in ("post_add", "post_remove", "post_clear"):
        return
    if action == "post_clear":
        pk_set, instance._grants_clearing = getattr(instance, "_grants_clearing", set()), set()
    if not pk_set:
        return
    kind = GRANTED if action == "post_add" else REVOKED
    if not reverse:
        for label in sorted(_labels(model, pk_set).values()):
            _record(kind, instance, label)
    else:
        label = _labels(type(instance), [instance.pk]).get(instance.pk, str(instance))
        for user in User._default_manager.filter(pk__in=pk_set).order_by("pk"):
            _record(kind, user, label)


def connect() -> None:
    from django.db.models.signals import m2m_changed, post_save, pre_save

    User = get_user_model()
    pre_save.connect(before_user_save, sender=User, dispatch_uid="kesbang-grants-flags-before")
    post_save.connect(after_user_save, sender=User, dispatch_uid="kesbang-grants-flags-after")
    for through in (User.groups.through, User.user_permissions.through):
        m2m_changed.connect(access_m2m_changed, sender=through, dispatch_uid=f"kesbang-grants-{through.__name__}")
