"""Role names in one place: the project authorises with Django permissions held through the groups,
plus the region scope and the classification policy (issue 14). A role's name is read only where the
roles are defined (``teams/access.py``: the enum and the scope rules), where they get their rights
(``kesbang/accounts/roles.py``: the matrix, the admin-site flag and who may grant which role), where roles
are granted (``kesbang/accounts/grants.py``, ``admin_accounts.py``), and in data setup (demo data, the
command that creates the first administrator; migrations and tests are not scanned). Anywhere else a
check asks ``user.has_perm("app.codename")``, ``kesbang.core.auth.users_with_perm(...)`` or
``teams.access.scope_of(user)``.

What counts as reading a role name (ast, so comments and docstrings are free to name roles):
``Role.<login role>`` (not ``Membership.Role``, a team member's position), importing ``Role``,
``role_names``, ``has_any_role``, a ``*_ROLES`` set or the matrix's role aliases, calling
``role_names``/``has_any_role``, a string equal to a role's name, and a ``groups__name`` lookup."""

import ast
from pathlib import Path

from django.conf import settings

from teams.access import Role

PACKAGES = ("kesbang", "teams", "incidents", "meetings")
ALLOWED = {
    "teams/access.py",
    "kesbang/accounts/roles.py",
    "kesbang/accounts/grants.py",
    "kesbang/accounts/admin_accounts.py",
    "kesbang/accounts/management/commands/ensure_admin.py",
}
ALLOWED_FOLDERS = ("kesbang/demo/",)

ROLE_MEMBERS = set(Role.__members__)
ROLE_VALUES = {role.value for role in Role}
ROLE_FUNCTIONS = {"role_names", "has_any_role"}
ROLE_MODULES = {"teams.access", "kesbang.accounts.roles"}
ROLE_ALIASES = {"ADMIN", "PIMPINAN", "STAF_PROV", "STAF_KAB", "ANGGOTA", "ROLE_ORDER", "ADMIN_SITE_ROLES"}


def _docstrings(tree) -> set[int]:
    ids = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                ids.add(id(first.value))
    return ids


def role_name_uses(source: str) -> list[str]:
    """Each place ``source`` reads a role name, as "line: what"."""
    tree = ast.parse(source)
    docstrings = _docstrings(tree)
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", 0)
        if isinstance(node, ast.ImportFrom) and node.module in ROLE_MODULES:
            for alias in node.names:
                name = alias.name
                if name == "Role" or name in ROLE_FUNCTIONS or name.endswith("_ROLES") or name in ROLE_ALIASES:
                    found.append(f"{line}: imports {name} from {node.module}")
        elif isinstance(node, ast.Attribute):
            if node.attr in ROLE_MEMBERS:
                owner = node.value
                if (isinstance(owner, ast.Name) and owner.id == "Role") or (
                        isinstance(owner, ast.Attribute) and owner.attr == "Role"):
                    found.append(f"{line}: Role.{node.attr}")
            if node.attr in ROLE_FUNCTIONS:
                found.append(f"{line}: {node.attr}")
        elif isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name) and node.func.id in ROLE_FUNCTIONS:
                found.append(f"{line}: {node.func.id}(...)")
            for keyword in node.keywords:
                if keyword.arg and keyword.arg.startswith("groups__name"):
                    found.append(f"{line}: {keyword.arg}=")
        elif isinstance(node, ast.Constant) and node.value in ROLE_VALUES and id(node) not in docstrings:
            found.append(f"{line}: the string {node.value!r}")
    return found


def _our_modules():
    base = Path(settings.BASE_DIR)
    for package in PACKAGES:
        for path in sorted((base / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            yield path.relative_to(base).as_posix(), path


def _allowed(name: str) -> bool:
    return name in ALLOWED or name.startswith(ALLOWED_FOLDERS)


def test_role_names_are_read_only_where_the_roles_are_defined_granted_or_set_up():
    offenders = {}
    for name, path in _our_modules():
        if _allowed(name):
            continue
        uses = role_name_uses(path.read_text(encoding="utf-8"))
        if uses:
            offenders[name] = uses
    assert not offenders, (
        "Role names read outside teams/access.py, kesbang/accounts/roles.py and data setup:\n"
        + "\n".join(f"  {name}: {'; '.join(uses)}" for name, uses in offenders.items())
        + "\nAsk a permission instead: user.has_perm('app.codename') for one login, "
        "kesbang.core.auth.users_with_perm('app.codename') for recipients, teams.access.scope_of(user) for "
        "regions. A right a model's actions do not express is a custom permission: declare it in the "
        "model's Meta.permissions as <action>_<modelname> and grant the action per role in kesbang/accounts/roles.py."
    )


def test_every_allowed_module_exists():
    base = Path(settings.BASE_DIR)
    for name in sorted(ALLOWED):
        assert (base / name).exists(), f"{name} is listed in tests/test_role_names.py but does not exist"


def test_the_scan_finds_each_kind_of_role_name_and_nothing_else():
    source = '''
"""Docstrings may say Pimpinan."""
from teams.access import Role, role_names, has_any_role, PROVINCE_WIDE_ROLES, scope_of
from kesbang.accounts.roles import STAF_PROV, grants_for
from teams.models import Membership


def f(user):
    """Staf Provinsi in a docstring is fine."""
    a = Role.PIMPINAN in role_names(user)
    b = access.has_any_role(user)
    c = User.objects.filter(groups__name__in=["Staf Provinsi"])
    d = Membership.Role.KETUA, Role.KETUA  # a team position, not a login role
    e = teams.access.Role.ADMINISTRATOR
    return user.has_perm("incidents.view_rahasia_incident") and scope_of(user)
'''
    uses = role_name_uses(source)
    text = " | ".join(uses)
    for expected in ("imports Role from teams.access", "imports role_names", "imports has_any_role",
                     "imports PROVINCE_WIDE_ROLES", "imports STAF_PROV from kesbang.accounts.roles",
                     "Role.PIMPINAN", "role_names(...)", ": has_any_role", "groups__name__in=",
                     "the string 'Staf Provinsi'", "Role.ADMINISTRATOR"):
        assert expected in text, (expected, uses)
    for absent in ("scope_of", "grants_for", "KETUA", "Pimpinan", "Membership", "has_perm"):
        assert absent not in text, (absent, uses)
