"""Accounts in the admin without a back door: a non-superuser Administrator grants no superuser or
staff status, no direct permission and no role at or above its own, edits no superuser's, staff's or
higher role's account (nor its own roles), edits no group; the rule holds on save, not only in the form.
Every grant and revocation is audited. Two-factor secrets are shown to nobody."""

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesbang.accounts import grants
from kesbang.accounts.models import AuditEvent
from kesbang.accounts.roles import ROLE_ORDER, grantable_roles
from teams.access import Role
from tests.factories import make_user
from tests.otp import enrol

pytestmark = pytest.mark.django_db


@pytest.fixture
def administrator(db):
    return make_user("Administrator", username="admin.biasa", region_code="19")


@pytest.fixture
def staf_kab(db):
    return make_user("Staf Kabupaten/Kota", username="staf.kab", region_code="19.01")


def _group(role) -> Group:
    return Group.objects.get(name=str(role))


def _change_data(user, **overrides) -> dict:
    data = {
        "username": user.username, "first_name": user.first_name, "last_name": user.last_name,
        "email": user.email, "is_active": "on", "date_joined_0": "01/12/2026", "date_joined_1": "10:00:00",
        "last_login_0": "", "last_login_1": "", "groups": list(user.groups.values_list("pk", flat=True)),
    }
    data.update(overrides)
    return data


def _access(user):
    user.refresh_from_db()
    return grants.access_of(user)


def _events(kind=None, **filters):
    qs = AuditEvent.objects.filter(kind__in=[grants.GRANTED, grants.REVOKED] if kind is None else [kind], **filters)
    return list(qs.order_by("id").values_list("kind", "username", "detail"))


# --- the order of roles --------------------------------------------------------------------------


def test_the_role_order_decides_what_each_login_may_grant(administrator, admin_user, pimpinan, staf_kab):
    assert ROLE_ORDER == (Role.PIMPINAN, Role.STAF_PROVINSI, Role.ADMINISTRATOR, Role.STAF_KABKOTA, Role.ANGGOTA_TIM)
    assert grantable_roles(admin_user) == frozenset(Role)
    assert grantable_roles(administrator) == {Role.STAF_KABKOTA, Role.ANGGOTA_TIM}
    assert grantable_roles(pimpinan) == frozenset()  # may not change users at all
    assert grantable_roles(staf_kab) == frozenset()


def test_who_may_manage_which_account(administrator, admin_user, pimpinan, staf_provinsi, staf_kab, anggota_tim):
    other_admin = make_user("Administrator", username="admin.lain")
    assert grants.may_manage(administrator, staf_kab) and grants.may_manage(administrator, anggota_tim)
    for target in (admin_user, pimpinan, staf_provinsi, other_admin, administrator):
        assert not grants.may_manage(administrator, target), target
    assert all(grants.may_manage(admin_user, t) for t in (pimpinan, other_admin, administrator))


# --- the user admin as a non-superuser Administrator ----------------------------------------------


def test_change_page_offers_only_lower_roles_and_no_superuser_switch(client, administrator, staf_kab):
    client.force_login(administrator)
    response = client.get(reverse("admin:auth_user_change", args=[staf_kab.pk]))
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert "is_superuser" not in form.fields and "is_staff" not in form.fields
    assert "user_permissions" not in form.fields
    assert set(form.fields["groups"].queryset.values_list("name", flat=True)) == {
        Role.STAF_KABKOTA, Role.ANGGOTA_TIM}
    html = response.content.decode()
    assert 'name="is_superuser"' not in html and "hanya diubah oleh superuser" in html


def test_escalation_in_the_form_is_refused_and_nothing_changes(client, administrator, staf_kab):
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[staf_kab.pk])
    before = _access(staf_kab)
    perm = Permission.objects.get(codename="view_incident")
    # Flags and direct permissions are read-only: posted values are ignored.
    response = client.post(url, _change_data(staf_kab, is_superuser="on", is_staff="on", user_permissions=[perm.pk]))
    assert response.status_code == 302
    assert _access(staf_kab) == before
    # A role at or above its own is not a choice.
    for role in (Role.ADMINISTRATOR, Role.PIMPINAN, Role.STAF_PROVINSI):
        response = client.post(url, _change_data(staf_kab, groups=[_group(role).pk]))
        assert response.status_code == 200 and "groups" in response.context["adminform"].form.errors, role
        assert _access(staf_kab) == before
    assert not _events(user=administrator)


def test_allowed_role_changes_are_saved_and_audited(client, administrator, staf_kab):
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[staf_kab.pk])
    response = client.post(url, _change_data(staf_kab, groups=[_group(Role.ANGGOTA_TIM).pk]))
    assert response.status_code == 302
    assert _access(staf_kab).groups == {Role.ANGGOTA_TIM}
    events = _events(username="admin.biasa")
    assert (grants.GRANTED, "admin.biasa", "staf.kab: peran Anggota Tim (melalui admin)") in events
    assert (grants.REVOKED, "admin.biasa", "staf.kab: peran Staf Kabupaten/Kota (melalui admin)") in events
    event = AuditEvent.objects.filter(kind=grants.GRANTED, user=administrator).get()
    assert event.path == url and event.method == "POST"


def test_the_rule_holds_on_save_even_when_the_form_lets_it_through(client, administrator, staf_kab, monkeypatch):
    """A form that forgot the rule (simulated: every field editable, every group a choice) still
    cannot grant: the save is undone and answered 403."""
    from django.contrib.auth.admin import UserAdmin

    from kesbang.accounts.admin_accounts import KesbangUserAdmin

    monkeypatch.setattr(KesbangUserAdmin, "get_readonly_fields", UserAdmin.get_readonly_fields)
    monkeypatch.setattr(KesbangUserAdmin, "formfield_for_manytomany", UserAdmin.formfield_for_manytomany)
    client.force_login(administrator)
    url = reverse("admin:auth_user_change", args=[staf_kab.pk])
    before = _access(staf_kab)
    perm = Permission.objects.get(codename="view_incident")
    for data in (_change_data(staf_kab, is_superuser="on"), _change_data(staf_kab, is_staff="on"),
                 _change_data(staf_kab, user_permissions=[perm.pk]),
                 _change_data(staf_kab, groups=[_group(Role.STAF_PROVINSI).pk])):
        response = client.post(url, data)
        assert response.status_code == 403
        assert _access(staf_kab) == before
    assert not _events(username="admin.biasa")
    assert AuditEvent.objects.filter(kind="denied", user=administrator).count() == 4


def test_own_account_superusers_staff_and_higher_roles_are_read_only(client, administrator, admin_user, pimpinan):
    other_admin = make_user("Administrator", username="admin.lain")
    client.force_login(administrator)
    for target in (administrator, admin_user, pimpinan, other_admin):
        before = _access(target)
        change = reverse("admin:auth_user_change", args=[target.pk])
        response = client.get(change)
        assert response.status_code == 200 and 'name="groups"' not in response.content.decode(), target
        groups = [g.pk for g in Group.objects.all()]
        assert client.post(change, _change_data(target, groups=groups, is_superuser="on")).status_code == 403
        assert client.get(reverse("admin:auth_user_password_change", args=[target.pk])).status_code == 403
        assert client.post(reverse("admin:auth_user_password_change", args=[target.pk]),
                           {"password1": "sandi-baru-987!", "password2": "sandi-baru-987!"}).status_code == 403
        assert client.get(reverse("admin:auth_user_delete", args=[target.pk])).status_code == 403
        assert client.post(reverse("admin:auth_user_changelist"), {
            "action": "delete_selected", "_selected_action": [target.pk], "post": "yes"}).status_code == 403
        assert _access(target) == before and target.check_password("rahasia-uji-123")
    assert _events(username="admin.biasa") == []


def test_groups_are_read_only_for_the_administrator(client, administrator):
    group = _group(Role.ANGGOTA_TIM)
    permissions = set(group.permissions.values_list("pk", flat=True))
    client.force_login(administrator)
    url = reverse("admin:auth_group_change", args=[group.pk])
    assert client.get(url).status_code == 200
    everything = list(Permission.objects.values_list("pk", flat=True))
    assert client.post(url, {"name": group.name, "permissions": everything}).status_code == 403
    assert client.post(reverse("admin:auth_group_add"), {"name": "Semua", "permissions": everything}
                       ).status_code == 403
    assert set(group.permissions.values_list("pk", flat=True)) == permissions
    assert not Group.objects.filter(name="Semua").exists()


def test_the_administrator_still_sets_up_a_regency_account(client, administrator):
    client.force_login(administrator)
    response = client.post(reverse("admin:auth_user_add"), {
        "username": "staf.baru", "password1": "sandi-baru-987!", "password2": "sandi-baru-987!",
        "usable_password": "true"})
    assert response.status_code == 302
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username="staf.baru")
    response = client.post(reverse("admin:auth_user_change", args=[user.pk]),
                           _change_data(user, groups=[_group(Role.STAF_KABKOTA).pk]))
    assert response.status_code == 302
    assert _access(user).groups == {Role.STAF_KABKOTA} and not user.is_staff and not user.is_superuser
    assert _events(grants.GRANTED, user=administrator) == [
        (grants.GRANTED, "admin.biasa", "staf.baru: peran Staf Kabupaten/Kota (melalui admin)")]


# --- a superuser, commands --------------------------------------------------------------------------


def test_a_superuser_grants_superuser_and_administrator_and_it_is_audited(client, admin_user, staf_kab):
    client.force_login(admin_user)
    data = _change_data(staf_kab, is_superuser="on", is_staff="on", groups=[_group(Role.ADMINISTRATOR).pk])
    assert client.post(reverse("admin:auth_user_change", args=[staf_kab.pk]), data).status_code == 302
    access = _access(staf_kab)
    assert access.superuser and access.staff and access.groups == {Role.ADMINISTRATOR}
    details = {detail for _kind, _who, detail in _events(user=admin_user)}
    assert details >= {
        "staf.kab: status superuser (melalui admin)", "staf.kab: status staf (situs admin) (melalui admin)",
        "staf.kab: peran Administrator (melalui admin)", "staf.kab: peran Staf Kabupaten/Kota (melalui admin)"}


def test_ensure_admin_and_other_paths_are_audited(monkeypatch, staf_kab):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "sandi-awal-987!")
    call_command("ensure_admin", username="admin.pertama", stdout=__import__("io").StringIO())
    details = [detail for _kind, who, detail in _events(detail__startswith="admin.pertama")]
    assert set(details) == {
        "admin.pertama: status superuser (melalui manage.py ensure_admin)",
        "admin.pertama: status staf (situs admin) (melalui manage.py ensure_admin)",
        "admin.pertama: peran Administrator (melalui manage.py ensure_admin)",
    }
    # Outside the admin and commands (the shell, a service): still recorded, from either side.
    _group(Role.PIMPINAN).user_set.add(staf_kab)
    staf_kab.groups.clear()
    perm = Permission.objects.get(codename="view_incident")
    staf_kab.user_permissions.add(perm)
    staf_kab.user_permissions.remove(perm)
    assert _events(detail__startswith="staf.kab")[-5:] == [
        (grants.GRANTED, "(sistem)", "staf.kab: peran Pimpinan (melalui sistem)"),
        (grants.REVOKED, "(sistem)", "staf.kab: peran Pimpinan (melalui sistem)"),
        (grants.REVOKED, "(sistem)", "staf.kab: peran Staf Kabupaten/Kota (melalui sistem)"),
        (grants.GRANTED, "(sistem)", "staf.kab: izin incidents.view_incident (melalui sistem)"),
        (grants.REVOKED, "(sistem)", "staf.kab: izin incidents.view_incident (melalui sistem)"),
    ]
    # A login saves last_login only: no extra query, no event.
    count = AuditEvent.objects.count()
    staf_kab.last_login = datetime.datetime(2026, 12, 1, tzinfo=datetime.UTC)
    staf_kab.save(update_fields=["last_login"])
    assert AuditEvent.objects.count() == count


# --- two-factor devices ----------------------------------------------------------------------------


@pytest.fixture
def devices(staf_kab, admin_user):
    totp = enrol(staf_kab)
    static = StaticDevice.objects.create(user=staf_kab, name="Kode pemulihan", confirmed=True)
    StaticToken.objects.create(device=static, token="kodepulih1")
    return totp, static, enrol(admin_user)


@pytest.mark.parametrize("who", ["administrator", "admin_user"])
def test_no_admin_sees_a_totp_key_qr_code_or_recovery_code(client, request, who, devices):
    totp, static, _ = devices
    client.force_login(request.getfixturevalue(who))
    pages = [reverse("admin:otp_totp_totpdevice_changelist"),
             reverse("admin:otp_totp_totpdevice_change", args=[totp.pk]),
             reverse("admin:otp_static_staticdevice_changelist"),
             reverse("admin:otp_static_staticdevice_change", args=[static.pk])]
    for url in pages:
        response = client.get(url)
        html = response.content.decode()
        assert response.status_code == 200, url
        assert totp.key not in html and "kodepulih1" not in html and "qrcode" not in html.lower(), url
    for name in ("otp_totp_totpdevice_config", "otp_totp_totpdevice_qrcode"):
        assert client.get(reverse(f"admin:{name}", args=[totp.pk])).status_code == 403, name
    # Nobody adds a device (with a key of its choosing) or edits one here.
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403
    assert client.get(reverse("admin:otp_static_staticdevice_add")).status_code == 403
    assert client.post(reverse("admin:otp_totp_totpdevice_change", args=[totp.pk]),
                       {"user": totp.user_id, "name": "x", "key": "00" * 20}).status_code == 403
    totp.refresh_from_db()
    assert totp.name == "Uji"


def test_a_lost_phone_is_reset_by_deleting_the_device(client, administrator, devices):
    totp, static, superuser_totp = devices
    client.force_login(administrator)
    for device, name in ((totp, "otp_totp_totpdevice"), (static, "otp_static_staticdevice")):
        assert client.post(reverse(f"admin:{name}_delete", args=[device.pk]), {"post": "yes"}).status_code == 302
    assert not TOTPDevice.objects.filter(pk=totp.pk).exists()
    assert not StaticDevice.objects.filter(pk=static.pk).exists()
    # ... but not a superuser's (nor its own: another administrator's account is the superuser's).
    url = reverse("admin:otp_totp_totpdevice_delete", args=[superuser_totp.pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert TOTPDevice.objects.filter(pk=superuser_totp.pk).exists()
