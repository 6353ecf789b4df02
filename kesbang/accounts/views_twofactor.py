"""Two-factor pages: set up an authenticator (enrolment code first, then the QR code drawn on the
server as SVG), verify after the password, re-authenticate before sensitive changes, recovery codes.
The rules are in ``kesbang.accounts.twofactor``; these views only adapt."""

import base64
from urllib.parse import urlencode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth import authenticate
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from kesbang.accounts import audit, twofactor

_CODE_INPUT = {
    "autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none", "spellcheck": "false",
    "class": "form-control form-control-lg kb-otp-input", "autofocus": True,
}


class TokenForm(forms.Form):
    token = forms.CharField(label=gettext_lazy("Kode verifikasi"), max_length=32, strip=True,
                            widget=forms.TextInput(attrs=_CODE_INPUT))


class EnrolmentCodeForm(forms.Form):
    enrolment_code = forms.CharField(
        label=gettext_lazy("Kode pendaftaran"), max_length=40, strip=True,
        widget=forms.TextInput(attrs={**_CODE_INPUT, "autocomplete": "off", "autocapitalize": "characters"}),
        error_messages={"required": gettext_lazy("Masukkan kode pendaftaran dari administrator.")},
    )


class ReauthForm(forms.Form):
    password = forms.CharField(
        label=gettext_lazy("Kata sandi"), strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password", "class": "form-control"}),
        error_messages={"required": gettext_lazy("Masukkan kata sandi Anda.")},
    )
    token = forms.CharField(
        label=gettext_lazy("Kode dari aplikasi autentikator atau kode cadangan"), max_length=32, strip=True,
        required=False,
        widget=forms.TextInput(attrs={**_CODE_INPUT, "autofocus": False}),
    )

    def __init__(self, *args, enrolled: bool, **kwargs):
        super().__init__(*args, **kwargs)
        if enrolled:
            self.fields["token"].required = True
            self.fields["token"].error_messages["required"] = _("Masukkan kode yang sedang tampil di aplikasi.")
        else:
            del self.fields["token"]


def _next_url(request, default="dashboard"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse(default)


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG markup (no style attributes: fine under the CSP)."""
    return segno.make(data, error="m").svg_inline(scale=5, border=2, dark="#12355b", title=_("Kode QR"))


@method_decorator([never_cache, sensitive_post_parameters("token", "enrolment_code")], name="dispatch")
class OtpSetupView(View):
    """Set up the login's first authenticator (after an administrator's enrolment code), or replace
    it (verified session plus a fresh re-authentication)."""

    template_name = "kesbang/twofactor/setup.html"
    code_template_name = "kesbang/twofactor/setup_code.html"

    def dispatch(self, request, *args, **kwargs):
        if twofactor.has_device(request.user):
            if twofactor.state(request) == twofactor.REQUIRED:
                # Someone with only the password must not swap the authenticator for their own.
                return redirect(f"{reverse('otp_verify')}?{urlencode({'next': request.get_full_path()})}")
            if not twofactor.reauth_fresh(request.session):
                messages.info(request, _("Untuk mengganti aplikasi autentikator, konfirmasi dulu identitas Anda."))
                return twofactor.reauth_redirect(request.get_full_path())
        return super().dispatch(request, *args, **kwargs)

    def render_code_step(self, request, form, status=200):
        return render(request, self.code_template_name, {
            "form": form, "required": twofactor.must_use_otp(request.user), "next": _next_url(request),
            "hours": twofactor.enrolment_hours(),
        }, status=status)

    def render_setup(self, request, form, status=200):
        device = twofactor.pending_device(request)
        secret = base64.b32encode(device.bin_key).decode()
        context = {
            "form": form,
            "qr_svg": mark_safe(qr_svg(device.config_url)),  # noqa: S308 - segno output, no user text
            "secret_groups": " ".join(secret[i:i + 4] for i in range(0, len(secret), 4)),
            "required": twofactor.must_use_otp(request.user),
            "replacing": twofactor.has_device(request.user),
            "next": _next_url(request),
        }
        return render(request, self.template_name, context, status=status)

    def get(self, request):
        if not twofactor.may_see_new_secret(request):
            return self.render_code_step(request, EnrolmentCodeForm())
        return self.render_setup(request, TokenForm())

    def post(self, request):
        if not twofactor.may_see_new_secret(request):
            form = EnrolmentCodeForm(request.POST)
            if form.is_valid():
                if twofactor.enrolment_code_redeem(user=request.user, code=form.cleaned_data["enrolment_code"],
                                                   request=request):
                    request.session[twofactor.ENROL_OK_KEY] = True
                    request.session.pop(twofactor.PENDING_KEY, None)  # a fresh secret for this enrolment
                    return redirect(f"{reverse('otp_setup')}?{urlencode({'next': _next_url(request)})}")
                form.add_error("enrolment_code", _(
                    "Kode pendaftaran tidak cocok, sudah dipakai, atau sudah kedaluwarsa. Minta kode baru kepada "
                    "administrator Kesbangpol."
                ))
            return self.render_code_step(request, form)
        form = TokenForm(request.POST)
        device = twofactor.pending_device(request)
        if form.is_valid() and device.verify_token("".join(form.cleaned_data["token"].split())):
            replacing = twofactor.has_device(request.user)
            codes = twofactor.confirm_device(device)
            twofactor.mark_verified(request.session, device)
            for key in (twofactor.ENROL_OK_KEY, twofactor.PENDING_KEY):
                request.session.pop(key, None)
            audit.record("otp_enrolled", request=request, user=request.user, detail="ganti" if replacing else "")
            return render(request, "kesbang/twofactor/codes.html", {"codes": codes, "next": _next_url(request)})
        if form.is_valid():
            form.add_error("token", _(
                "Kode tidak cocok. Pastikan jam ponsel tepat, lalu masukkan kode yang sedang tampil."
            ))
        return self.render_setup(request, form)


@method_decorator([never_cache, sensitive_post_parameters("token")], name="dispatch")
class OtpVerifyView(View):
    """The second step after the password: a code from the authenticator or a recovery code."""

    template_name = "kesbang/twofactor/verify.html"

    def dispatch(self, request, *args, **kwargs):
        if twofactor.state(request) != twofactor.REQUIRED:
            return redirect(_next_url(request))
        if not twofactor.has_device(request.user):
            return redirect("otp_setup")
        return super().dispatch(request, *args, **kwargs)

    def get(self, request):
        return render(request, self.template_name, {"form": TokenForm(), "next": _next_url(request)})

    def post(self, request):
        form = TokenForm(request.POST)
        if form.is_valid():
            device = twofactor.verify(request.user, form.cleaned_data["token"])
            if device is not None:
                request.session.cycle_key()
                twofactor.mark_verified(request.session, device)
                recovery = twofactor.is_recovery_device(device)
                audit.record("otp_verified", request=request, user=request.user,
                             detail="recovery" if recovery else "totp")
                if recovery:
                    messages.warning(request, _("Anda masuk dengan kode cadangan. Sisa kode cadangan: %(n)s.")
                                     % {"n": twofactor.recovery_codes_left(request.user)})
                return redirect(_next_url(request))
            audit.record("otp_failed", request=request, user=request.user)
            form.add_error("token", _("Kode tidak valid atau sudah dipakai. Coba lagi dengan kode yang sedang tampil."))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)}, status=200)


@method_decorator([never_cache, sensitive_post_parameters("password", "token")], name="dispatch")
class OtpReauthView(View):
    """Prove it is still you (password, plus a current code when enrolled) before removing or
    replacing a factor or renewing recovery codes; fresh for ``KESBANG_REAUTH_MINUTES`` minutes."""

    template_name = "kesbang/twofactor/reauth.html"

    def context(self, request, form):
        return {"form": form, "next": _next_url(request, "otp_status"), "minutes": twofactor.reauth_minutes(),
                "enrolled": "token" in form.fields}

    def get(self, request):
        form = ReauthForm(enrolled=twofactor.has_device(request.user))
        return render(request, self.template_name, self.context(request, form))

    def post(self, request):
        user = request.user
        form = ReauthForm(request.POST, enrolled=twofactor.has_device(user))
        if form.is_valid():
            checked = authenticate(request, username=user.get_username(), password=form.cleaned_data["password"])
            if checked is None or checked.pk != user.pk:
                form.add_error("password", _("Kata sandi salah."))
            elif "token" in form.fields and twofactor.verify(user, form.cleaned_data["token"]) is None:
                form.add_error("token", _("Kode tidak valid atau sudah dipakai. Masukkan kode yang sedang tampil."))
            else:
                twofactor.mark_reauthenticated(request.session)
                audit.record("reauth", request=request, user=user)
                return redirect(_next_url(request, "otp_status"))
            audit.record("reauth_failed", request=request, user=user)
        return render(request, self.template_name, self.context(request, form))


@method_decorator(never_cache, name="dispatch")
class OtpStatusView(View):
    """The login's two-factor status: set up or not, recovery codes left; new codes; switch off.
    Renewing codes and switching off need a fresh re-authentication."""

    template_name = "kesbang/twofactor/status.html"

    def get(self, request):
        return render(request, self.template_name, {
            "enrolled": twofactor.has_device(request.user),
            "required": twofactor.must_use_otp(request.user),
            "codes_left": twofactor.recovery_codes_left(request.user),
        })

    def post(self, request):
        action = request.POST.get("action")
        enrolled = twofactor.has_device(request.user)
        if action not in ("codes", "remove") or not enrolled:
            return redirect("otp_status")
        if action == "remove" and twofactor.must_use_otp(request.user):
            messages.error(request, _("Akun Anda wajib memakai verifikasi dua langkah; tidak dapat dimatikan."))
            return redirect("otp_status")
        if not twofactor.reauth_fresh(request.session):
            messages.info(request, _("Demi keamanan, konfirmasi dulu identitas Anda, lalu ulangi tindakan tadi."))
            return twofactor.reauth_redirect(reverse("otp_status"))
        if action == "codes":
            codes = twofactor.new_recovery_codes(request.user)
            audit.record("otp_recovery_new", request=request, user=request.user)
            return render(request, "kesbang/twofactor/codes.html", {"codes": codes, "next": reverse("otp_status")})
        twofactor.remove_devices(request.user)
        request.session[twofactor.SESSION_KEY] = twofactor.OFF
        audit.record("otp_removed", request=request, user=request.user)
        messages.success(request, _("Verifikasi dua langkah dimatikan."))
        return redirect("otp_status")
