"""Every URL of the resolver, as every actor, against objects of each region, answers exactly as the
permission table (tests/security/permissions.py, printed in the README) says; CSRF on every POST."""

import copy
import re
from pathlib import Path

import pytest
from django.contrib import admin
from django.db import transaction
from django.test import Client
from django.urls import reverse

from tests.security import permissions as perm
from tests.security.world import build_world

pytestmark = pytest.mark.django_db
ROUTES = perm.url_routes()
APP_URLS = sorted(n for n in ROUTES if not n.startswith("admin:"))
ADMIN_URLS = sorted(n for n in ROUTES if n.startswith("admin:"))
README = Path(__file__).resolve().parents[2] / "README.md"


@pytest.fixture(autouse=True)
def _no_axes(settings):
    settings.AXES_ENABLED = False


@pytest.fixture
def world(db):
    return build_world()


def outcome(response) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        location = response["Location"]
        if location.startswith((reverse("login"), reverse("admin:login"))):
            return perm.LOGIN
        return perm.REDIRECT
    if 200 <= code < 300:
        return perm.OK
    return {403: perm.FORBIDDEN, 404: perm.NOT_FOUND, 405: perm.NOT_ALLOWED}.get(code, str(code))


def client_as(world, actor, **kwargs) -> Client:
    """A client logged in as ``actor``, one per actor and world: ``request()`` rolls back what a request
    writes (the session row included) and puts the client's cookies back, so it can serve the next URL."""
    cache = world.__dict__.setdefault("_clients", {})
    key = (actor, tuple(sorted(kwargs.items())))
    if key not in cache:
        client = Client(**kwargs)
        if world.users[actor] is not None:
            client.force_login(world.users[actor])
        cache[key] = client
    return cache[key]


def test_every_url_has_a_row():
    missing = [n for n in ROUTES if perm.lookup(n) is None]
    assert not missing, (
        "These URLs have no row in the permission table: " + ", ".join(missing)
        + ". Add one per URL to TABLE in tests/security/permissions.py (kwargs factory + expected outcome "
        "per actor), then run `make permissions-table` to refresh the README."
    )


def test_no_row_for_a_url_that_does_not_exist():
    stale = [n for n in perm.TABLE if not n.endswith("*") and n not in ROUTES]
    assert not stale, f"Rows for URLs the resolver does not know (remove or rename them): {stale}"


def test_readme_shows_the_table():
    text = README.read_text(encoding="utf-8")
    assert perm.readme_block(ROUTES) in text, (
        "The README's permission table is out of date: run `make permissions-table`."
    )


def request(client, method, url):
    """One request whose writes are rolled back, so every actor meets the same world; the client's
    cookies are put back too (a logout or language switch would otherwise follow it to the next URL)."""
    cookies = copy.deepcopy(client.cookies)
    with transaction.atomic():
        response = client.post(url, {}) if method == "POST" else client.get(url)
        transaction.set_rollback(True)
    client.cookies = cookies
    return response


def check_row(world, name, row, kwargs_for) -> list[str]:
    wrong = []
    regions = list(perm.REGIONS) if row.per_region else ["own"]
    observed: dict[str, list[str]] = {a: [] for a in perm.ACTORS}
    for region in regions:
        url = reverse(name, kwargs=kwargs_for(region))
        for actor in perm.ACTORS:
            got = outcome(request(client_as(world, actor), row.method, url))
            observed[actor].append(got)
            if not row.expect:
                continue
            want = row.outcome(actor, region)
            if got != want:
                wrong.append(f"{name} {url} as {actor} ({region}): expected {want}, got {got}")
    if not row.expect:  # discovery: print what it answers now, for the developer to review and paste
        cells = {a: (v[0] if len(set(v)) == 1 else tuple(v)) for a, v in observed.items()}
        wrong.append(f"{name} has an empty expectation; it answers now (review, then paste): {cells!r}")
    return wrong


GROUPS = sorted({n.split(":", 1)[0] if ":" in n else "kesbang" for n in APP_URLS})


@pytest.mark.parametrize("group", GROUPS)
def test_urls_answer_as_the_table_says(world, group):
    """One world per URL namespace (building it is the slow part); every mismatch is listed."""
    wrong = []
    for name in APP_URLS:
        if (name.split(":", 1)[0] if ":" in name else "kesbang") != group:
            continue
        row = perm.lookup(name)
        if row is None:
            wrong.append(f"{name} has no row in tests/security/permissions.py TABLE: add one.")
            continue
        wrong += check_row(world, name, row, lambda region, row=row: row.kwargs(world, region) if row.kwargs else {})
    assert not wrong, "\n".join(wrong)


def admin_kwargs(name: str, world) -> dict | None:
    """Arguments for an admin URL: the first row of the model for object pages."""
    route = ROUTES[name]
    params = re.findall(r"<(?:\w+:)?(\w+)>", route)
    if name.endswith("_simple_history"):  # a regex route with unnamed groups: object, then history record
        params = ["object_id", "history_id"]
    if not params:
        return {}
    short = name.split(":", 1)[1]
    if short == "app_list":
        return {"app_label": "teams"}
    if short == "view_on_site":
        from django.contrib.contenttypes.models import ContentType

        team = world.objects["own"]["team"]
        return {"content_type_id": ContentType.objects.get_for_model(team).pk, "object_id": team.pk}
    for model in admin.site._registry:
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        key = "object_id" if "object_id" in params else "pk" if "pk" in params else None
        if short.startswith(prefix) and key:  # "pk": django-otp's key and QR code pages
            first = model._default_manager.order_by("pk").first()
            if first is None:
                return None
            kwargs = {key: first.pk}
            if "history_id" in params:  # django-simple-history's "as it was" page
                record = model.history.filter(pk=first.pk).order_by("history_id").first()
                if record is None:
                    return None
                kwargs["history_id"] = record.history_id
            if set(kwargs) != set(params):
                return None
            return list(kwargs.values()) if name.endswith("_simple_history") else kwargs
    return None


def admin_refuses(name: str, user) -> bool:
    """True when the model admin itself refuses this add/delete page (a read-only record): the
    "admin:*" row then expects 403 for the administrator, as the admin class declares."""
    from django.test import RequestFactory

    short = name.split(":", 1)[1]
    for model, model_admin in admin.site._registry.items():
        prefix = f"{model._meta.app_label}_{model._meta.model_name}_"
        if short in (prefix + "add", prefix + "delete"):
            fake = RequestFactory().get("/admin/")
            fake.user = user
            if short.endswith("_add"):
                return not model_admin.has_add_permission(fake)
            return not model_admin.has_delete_permission(fake)
    return False


def test_admin_urls_answer_as_the_table_says(world):
    wrong, skipped = [], []
    for name in ADMIN_URLS:
        row = perm.lookup(name)
        assert row is not None, f"{name}: add a row"
        kwargs = admin_kwargs(name, world)
        if kwargs is None:
            skipped.append(name)
            continue
        url = reverse(name, args=kwargs) if isinstance(kwargs, list) else reverse(name, kwargs=kwargs)
        read_only = name not in perm.TABLE and admin_refuses(name, world.users["administrator"])
        for actor in perm.ACTORS:
            got = outcome(request(client_as(world, actor), row.method, url))
            want = perm.FORBIDDEN if read_only and actor == "administrator" else row.outcome(actor)
            if got != want:
                wrong.append(f"{name} {url} as {actor}: expected {want}, got {got}")
    assert not wrong, "\n".join(wrong)
    # Models without a row yet (object pages cannot be built) must stay few and are named here.
    assert len(skipped) < len(ADMIN_URLS) // 2, skipped


def test_csrf_is_enforced_on_every_post(world):
    """A POST without the CSRF token is refused (403) on every URL, as a verified administrator."""
    client = client_as(world, "administrator", enforce_csrf_checks=True)
    client.get(reverse("dashboard"))  # a CSRF cookie exists; only the token in the form is missing
    wrong = []
    for name in APP_URLS + ["admin:index", "admin:teams_team_add", "admin:auth_user_add"]:
        row = perm.lookup(name)
        kwargs = row.kwargs(world, "own") if row and row.kwargs else {}
        response = request_post(client, reverse(name, kwargs=kwargs))
        if response.status_code != 403 or "Sesi formulir kedaluwarsa" not in response.content.decode():
            wrong.append(f"{name}: {response.status_code}")  # templates/403_csrf.html
    assert not wrong, wrong


def request_post(client, url):
    with transaction.atomic():
        response = client.post(url, {"x": "1"})
        transaction.set_rollback(True)
    return response
