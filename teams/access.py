"""The roles (groups) and each login's region scope (DESIGN.md house style 4).

The one authorisation model: what a login may do is the Django permissions its groups hold (granted
per role in ``kesbang.accounts.roles``, the one permission matrix), where it may do it is its scope
(``scope_of``, below), and which incidents it may read is the classification policy
(``incidents.classification``, itself asking permissions). Role names appear here (the enum and the
scope rules), in the matrix, and in data setup only; everything else asks ``user.has_perm(...)``,
``kesbang.core.auth.users_with_perm(...)`` or ``scope_of(user)``, and ``tests/test_role_names.py``
fails on a role name used anywhere else. Selectors turn a scope into a queryset filter, so a
forbidden object is a 404 exactly like a missing one.
"""

from dataclasses import dataclass
from enum import StrEnum

from django.db.models import Q


class Role(StrEnum):
    ADMINISTRATOR = "Administrator"
    PIMPINAN = "Pimpinan"
    STAF_PROVINSI = "Staf Provinsi"
    STAF_KABKOTA = "Staf Kabupaten/Kota"
    ANGGOTA_TIM = "Anggota Tim"


# Roles that see every region whatever their person's region is.
PROVINCE_WIDE_ROLES = {Role.ADMINISTRATOR, Role.PIMPINAN, Role.STAF_PROVINSI}
# Roles whose scope is only the teams the login's person sits on, whatever the person's region.
TEAM_ONLY_ROLES = {Role.ANGGOTA_TIM}


@dataclass(frozen=True)
class Scope:
    """``all_regions``: sees the whole province. Otherwise ``regency_code`` ("19.01") or nothing."""

    all_regions: bool = False
    regency_code: str | None = None
    teams: bool = False  # also what the teams the login sits on handle (Anggota Tim)

    @property
    def empty(self) -> bool:
        """No region at all (a team scope may still reach the teams' own records)."""
        return not self.all_regions and not self.regency_code

    def q(self, field: str = "region__code") -> Q:
        """A filter on a region code field: the region itself and everything below it.

        For ``all_regions`` this is ``Q()``, which matches everything only on its own: ``Q() | x`` is
        just ``x``, so callers test ``all_regions`` before OR-ing it with another condition."""
        if self.all_regions:
            return Q()
        if not self.regency_code:
            return Q(pk__in=[])
        return Q(**{field: self.regency_code}) | Q(**{f"{field}__startswith": self.regency_code + "."})

    def covers(self, code: str) -> bool:
        if self.all_regions:
            return True
        return bool(self.regency_code) and (code == self.regency_code or code.startswith(self.regency_code + "."))


def role_names(user) -> set[str]:
    """The login's roles (group names), for the scope below and for who may grant which role
    (``kesbang.accounts.roles.grantable_roles``); any other question is a permission."""
    if not getattr(user, "is_authenticated", False):
        return set()
    if getattr(user, "_kesbang_roles", None) is None:
        # Loaded with the user by kesbang.core.auth.KesbangBackend; otherwise one query (roles + permissions).
        from kesbang.core.auth import load_access

        load_access(user)
    return user._kesbang_roles


def _person_of(user):
    """The login's Person with its region: from the request's user row when it came with it."""
    from django.apps import apps
    from django.contrib.auth import get_user_model

    Person = apps.get_model("teams", "Person")  # through the registry: teams.models imports access

    if get_user_model().person.is_cached(user):
        return getattr(user, "person", None)
    return Person.objects.select_related("region").filter(user=user).first()


def scope_of(user) -> Scope:
    """The regions a login may see. Cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return Scope()
    cached = getattr(user, "_kesbang_scope", None)
    if cached is not None:
        return cached
    roles = role_names(user)
    person = _person_of(user) if roles else None
    if user.is_superuser or roles & PROVINCE_WIDE_ROLES:
        scope = Scope(all_regions=True)
    elif not roles or person is None:  # a login without a role sees nothing, whatever its region
        scope = Scope()
    elif roles <= TEAM_ONLY_ROLES:
        # A team member reads the teams they sit on (selectors add those), not their region's register:
        # a provincial Polda officer on the provincial team must not see every regency's people.
        scope = Scope(teams=True)
    elif person.region.is_province:
        scope = Scope(all_regions=True)
    else:
        scope = Scope(regency_code=person.region.code[:5], teams=bool(roles & TEAM_ONLY_ROLES))
    user._kesbang_scope = scope
    return scope
