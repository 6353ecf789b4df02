"""Login is required everywhere but the public pages; roles exist after migrate."""

import pytest
from django.contrib.auth.models import Group
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse

from kesbang.accounts.roles import Role

# The only pages an anonymous visitor may open (issue: login, password reset, health).
PUBLIC = {
    "login",
    "password_reset",
    "password_reset_done",
    "password_reset_complete",
    "healthz",
    "set_language",
    "admin:login",  # the admin's own login page
    # Issue 16: the public report form, its tracking and notice pages, the region list it reads, and the
    # web app's service worker and manifests (browsers fetch those without cookies).
    "lapor:form",
    "lapor:lookup",
    "lapor:privacy",
    "lapor:regions",
    "lapor:manifest",
    "incidents:quick_entry_manifest",
    "service_worker",
}


def _parameterless_urls():
    """Every named URL pattern without parameters, with its namespace."""
    found = []

    def walk(patterns, prefix_ns, route_prefix, has_params):
        for p in patterns:
            if isinstance(p, URLResolver):
                ns = p.namespace or ""
                ns_full = f"{prefix_ns}:{ns}" if prefix_ns and ns else (ns or prefix_ns)
                walk(p.url_patterns, ns_full, route_prefix + str(p.pattern), has_params or bool(p.pattern.converters))
            elif isinstance(p, URLPattern) and p.name and not p.pattern.converters and not has_params:
                name = f"{prefix_ns}:{p.name}" if prefix_ns else p.name
                try:
                    reverse(name)
                except NoReverseMatch:  # a regex pattern with unnamed groups: it takes parameters
                    continue
                found.append(name)

    walk(get_resolver().url_patterns, "", "", False)
    return sorted(set(found))


URLS = _parameterless_urls()


def test_there_are_urls_to_check():
    assert "dashboard" in URLS and "login" in URLS and "admin:index" in URLS


@pytest.mark.django_db
@pytest.mark.parametrize("name", URLS)
def test_anonymous_is_sent_to_login(client, name):
    url = reverse(name)
    response = client.get(url)
    if name in PUBLIC:
        assert response.status_code in (200, 302, 405), (name, response.status_code)
        if response.status_code == 302:
            assert "/akun/login/" not in response["Location"] or name == "login"
        return
    if name.startswith("api:") and name != "api:docs":  # the REST API: JSON, never the login page
        assert response.status_code == 401 and response["WWW-Authenticate"].startswith("Bearer"), name
        return
    assert response.status_code == 302, (name, response.status_code)
    location = response["Location"]
    assert location.startswith(reverse("login")) or location.startswith(reverse("admin:login")), (name, location)


@pytest.mark.django_db
def test_roles_and_permissions_exist_after_migrate():
    names = set(Group.objects.values_list("name", flat=True))
    assert names >= {"Administrator", "Pimpinan", "Staf Provinsi", "Staf Kabupaten/Kota", "Anggota Tim"}
    assert {str(role) for role in Role} <= names
    pimpinan = Group.objects.get(name="Pimpinan")
    codenames = set(pimpinan.permissions.values_list("codename", flat=True))
    assert "view_person" in codenames
    assert not any(c.startswith(("add_", "change_", "delete_")) for c in codenames)
    staf = set(Group.objects.get(name="Staf Kabupaten/Kota").permissions.values_list("codename", flat=True))
    assert {"add_person", "change_person", "view_region"} <= staf and "delete_person" not in staf
    admin = set(Group.objects.get(name="Administrator").permissions.values_list("codename", flat=True))
    assert {"add_user", "view_group", "delete_person"} <= admin and "change_group" not in admin  # roles are code


@pytest.mark.django_db
def test_dashboard_is_served_to_a_logged_in_user_in_indonesian(client, staf_provinsi):
    client.force_login(staf_provinsi)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "Dasbor" in body and "Kabupaten Bangka" in body and 'lang="id"' in body


@pytest.mark.django_db
def test_dashboard_of_regency_staff_shows_only_their_region(client, staf_bangka):
    client.force_login(staf_bangka)
    body = client.get(reverse("dashboard")).content.decode()
    assert "Kabupaten Bangka" in body and "Kabupaten Belitung" not in body


@pytest.mark.django_db
def test_language_switch_to_english(client, staf_provinsi):
    client.force_login(staf_provinsi)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get("/").content.decode()
    assert 'lang="en"' in body and "Dashboard" in body


@pytest.mark.django_db
def test_error_pages_are_indonesian(client, staf_provinsi):
    client.force_login(staf_provinsi)
    response = client.get("/tidak-ada/")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.content.decode()


def test_500_page_renders_without_database_or_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")
    assert "Terjadi gangguan pada server" in html


@pytest.mark.django_db
def test_indonesian_even_when_the_browser_asks_for_english(client, staf_provinsi):
    client.force_login(staf_provinsi)
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="id"' in body and "Dasbor" in body
    client.logout()
    admin_body = client.get("/akun/login/", HTTP_ACCEPT_LANGUAGE="en-US").content.decode()
    assert "Masuk" in admin_body


@pytest.mark.django_db
def test_a_login_without_a_role_is_refused_the_dashboard(client, no_role_user):
    client.force_login(no_role_user)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 403
    assert "Akses ditolak" in response.content.decode()


@pytest.mark.django_db
def test_a_login_without_a_role_has_an_empty_scope(no_role_user):
    from teams.access import scope_of

    assert scope_of(no_role_user).empty
