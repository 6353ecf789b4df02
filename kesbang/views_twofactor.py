"""Two-factor pages: set up an authenticator (QR code drawn on the server as SVG), verify after the
password, recovery codes. The rules are in ``kesbang.twofactor``; these views only adapt."""

import base64

import segno
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters

from kesbang import audit, twofactor


class TokenForm(forms.Form):
    token = forms.CharField(
        label=gettext_lazy("Kode verifikasi"), max_length=20, strip=True,
        widget=forms.TextInput(attrs={
            "autocomplete": "one-time-code", "inputmode": "text", "autocapitalize": "none",
            "class": "form-control form-control-lg kb-otp-input", "autofocus": True,
        }),
    )


def _next_url(request, default="dashboard"):
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    from django.urls import reverse

    return reverse(default)


def qr_svg(data: str) -> str:
    """The QR code of ``data`` as inline SVG markup (no style attributes: fine under the CSP)."""
    return segno.make(data, error="m").svg_inline(scale=5, border=2, dark="#12355b", title=_("Kode QR"))


@method_decorator([never_cache, sensitive_post_parameters("token")], name="dispatch")
class OtpSetupView(View):
    """Set up (or replace) the login's authenticator. Replacing needs a verified session."""

    template_name = "kesbang/twofactor/setup.html"

    def dispatch(self, request, *args, **kwargs):
        if twofactor.state(request) == twofactor.REQUIRED and twofactor.has_device(request.user):
            # Someone with only the password must not swap the authenticator for their own.
            return redirect(f"{_verify_url()}?next={request.get_full_path()}")
        return super().dispatch(request, *args, **kwargs)

    def render_setup(self, request, form, status=200):
        device = twofactor.pending_device(request.user)
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
        return self.render_setup(request, TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        device = twofactor.pending_device(request.user)
        if form.is_valid() and device.verify_token("".join(form.cleaned_data["token"].split())):
            codes = twofactor.confirm_device(device)
            twofactor.mark_verified(request.session, device)
            audit.record("otp_enrolled", request=request, user=request.user)
            return render(request, "kesbang/twofactor/codes.html", {"codes": codes, "next": _next_url(request)})
        if form.is_valid():
            form.add_error("token", _(
                "Kode tidak cocok. Pastikan jam ponsel tepat, lalu masukkan kode yang sedang tampil."
            ))
        return self.render_setup(request, form)


def _verify_url():
    from django.urls import reverse

    return reverse("otp_verify")


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
                audit.record("otp_verified", request=request, user=request.user,
                             detail="recovery" if device.__class__.__name__ == "StaticDevice" else "totp")
                if device.__class__.__name__ == "StaticDevice":
                    messages.warning(request, _("Anda masuk dengan kode cadangan. Sisa kode cadangan: %(n)s.")
                                     % {"n": twofactor.recovery_codes_left(request.user)})
                return redirect(_next_url(request))
            audit.record("otp_failed", request=request, user=request.user)
            form.add_error("token", _("Kode tidak valid atau sudah dipakai. Coba lagi dengan kode yang sedang tampil."))
        return render(request, self.template_name, {"form": form, "next": _next_url(request)}, status=200)


@method_decorator(never_cache, name="dispatch")
class OtpStatusView(View):
    """The login's two-factor status: set up or not, recovery codes left; new codes; switch off."""

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
        if action == "codes" and enrolled:
            codes = twofactor.new_recovery_codes(request.user)
            return render(request, "kesbang/twofactor/codes.html", {"codes": codes, "next": _next_url(request)})
        if action == "remove" and enrolled:
            if twofactor.must_use_otp(request.user):
                messages.error(request, _("Administrator wajib memakai verifikasi dua langkah; tidak dapat dimatikan."))
            else:
                twofactor.remove_devices(request.user)
                request.session[twofactor.SESSION_KEY] = twofactor.OFF
                messages.success(request, _("Verifikasi dua langkah dimatikan."))
        return redirect("otp_status")
