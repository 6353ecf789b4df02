"""Accounts in the admin without a back door (imported by ``kesbang.accounts.admin``).

- Users: a non-superuser (the Administrator role) sees superuser/staff status and direct permissions
  read-only, is offered only the roles it may grant (``kesbang.accounts.roles.ROLE_ORDER``), and may change,
  delete or set the password of only the accounts ``kesbang.accounts.grants.may_manage`` allows. The rule is
  checked again after the save (``grants.refused_changes``): a hand-made POST is refused (403) and the
  admin's transaction undoes it. Every grant and revocation is in the audit log (``kesbang.accounts.grants``).
- Groups (the roles) are read-only for the Administrator role (``kesbang.accounts.roles``).
- Two-factor devices (django-otp): shown without key, QR code or recovery codes to everybody
  (``OTP_ADMIN_HIDE_SENSITIVE_DATA``), never added or edited here (the owner enrols on
  /akun/dua-langkah/), deleted to reset a lost phone by someone who may manage the account.
"""

from django.contrib import admin
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_otp.plugins.otp_static.admin import StaticDeviceAdmin
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.admin import TOTPDeviceAdmin
from django_otp.plugins.otp_totp.models import TOTPDevice

from kesbang.accounts import grants, twofactor
from kesbang.accounts.roles import ROLE_ORDER, grantable_roles
from kesbang.core.admin import ConfidentialDeleteSummaryMixin

User = get_user_model()

# Only a superuser changes these (shown read-only to everyone else).
SUPERUSER_ONLY_FIELDS = ("is_staff", "is_superuser", "user_permissions")


def _unregister(model) -> None:
    if admin.site.is_registered(model):
        admin.site.unregister(model)


_unregister(User)


def _codes_page(modeladmin, request, users):
    """Issue one enrolment code per login and show them once, on this answer only (never in a
    message: messages travel in a cookie or the session). Never cached."""
    rows = [(user, twofactor.has_device(user),
             twofactor.enrolment_code_issue(user=user, issued_by=request.user, request=request)) for user in users]
    response = TemplateResponse(request, "admin/kesbang/enrolment_codes.html", {
        **modeladmin.admin_site.each_context(request),
        "title": _("Kode pendaftaran verifikasi dua langkah"),
        "rows": rows, "hours": twofactor.enrolment_hours(), "opts": modeladmin.model._meta,
    })
    add_never_cache_headers(response)
    return response


@admin.action(description=gettext_lazy("Buat kode pendaftaran verifikasi dua langkah"), permissions=["change"])
def issue_enrolment_codes(modeladmin, request, queryset):
    return _codes_page(modeladmin, request, list(queryset.order_by("username")))


@admin.register(User)
class KesbangUserAdmin(ConfidentialDeleteSummaryMixin, UserAdmin):
    """Django's user admin without a back door (see the module docstring), plus enrolment codes
    (kesbang.accounts.twofactor): an action on the list and a button on a user's page (POST only, so a link or
    a prefetch never issues a code), for the accounts the login may manage."""

    actions = [issue_enrolment_codes]

    def get_urls(self):
        from django.urls import path

        return [
            path("<int:object_id>/kode-pendaftaran/", self.admin_site.admin_view(self.enrolment_code_view),
                 name="auth_user_enrolment_code"),
            *super().get_urls(),
        ]

    def enrolment_code_view(self, request, object_id):
        from django.http import Http404, HttpResponseNotAllowed

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        user = self.get_object(request, str(object_id))
        if user is None:
            raise Http404
        if not self.has_change_permission(request, user):
            raise PermissionDenied
        return _codes_page(self, request, [user])

    def get_readonly_fields(self, request, obj=None):
        fields = tuple(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            fields += SUPERUSER_ONLY_FIELDS
        return fields

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if obj is None or request.user.is_superuser:
            return fieldsets
        roles = [str(role) for role in ROLE_ORDER if role in grantable_roles(request.user)]
        note = _("Status staf, status superuser dan izin langsung hanya diubah oleh superuser. "
                 "Peran yang dapat Anda berikan atau cabut: %(roles)s.") % {"roles": ", ".join(roles) or "—"}
        hidden = ()
        if not self.has_change_permission(request, obj):
            note = _("Akun ini hanya dapat diubah oleh superuser: akun superuser, akun staf (termasuk akun "
                     "Anda sendiri) dan akun dengan peran yang tidak dapat Anda berikan.")
            hidden = ("password",)  # its "reset password" button would only lead to a refusal
        result = []
        for name, options in fieldsets:
            fields = tuple(f for f in options.get("fields", ()) if f not in hidden)
            extra = {"description": note} if "groups" in fields else {}
            result.append((name, {**options, "fields": fields, **extra}))
        return result

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "groups" and not request.user.is_superuser:
            kwargs["queryset"] = Group.objects.filter(name__in=[str(r) for r in grantable_roles(request.user)])
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (obj is None or grants.may_manage(request.user, obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (obj is None or grants.may_manage(request.user, obj))

    def get_object(self, request, object_id, from_field=None):
        obj = super().get_object(request, object_id, from_field)
        if obj is not None:
            obj._access_before = grants.access_of(obj)  # compared after the save (save_related)
        return obj

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        with grants.acting(request.user, request=request, via="admin"):
            return super().changeform_view(request, object_id, form_url, extra_context)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        before = getattr(form.instance, "_access_before", None) or grants.Access()
        refused = grants.refused_changes(request.user, before, grants.access_of(form.instance))
        if refused:
            # Raised inside the admin's transaction: the whole save is undone (and the 403 audited).
            raise PermissionDenied(_("Hanya superuser yang dapat mengubah: %(what)s.") % {"what": ", ".join(refused)})


# --- Two-factor devices ----------------------------------------------------------------------------


class DeviceResetMixin:
    """Seen (without secrets) and deleted, never added or changed in the admin."""

    def has_add_permission(self, request):
        return False  # a device added here would carry a key someone other than its owner knows

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or grants.may_manage(request.user, obj.user))


_unregister(TOTPDevice)
_unregister(StaticDevice)
_unregister(StaticToken)


@admin.register(TOTPDevice)
class KesbangTOTPDeviceAdmin(DeviceResetMixin, TOTPDeviceAdmin):
    pass


@admin.register(StaticDevice)
class KesbangStaticDeviceAdmin(DeviceResetMixin, StaticDeviceAdmin):
    inlines = []  # the recovery codes are never listed

    def get_inline_instances(self, request, obj=None):
        return []
