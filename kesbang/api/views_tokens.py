"""The token page (``/akun/token/``): a login makes, sees and revokes its own API tokens.

A new token is shown once, in the answer to the POST that made it (never stored in clear, never put
in the session or a message). A login that must use two-factor (or has an authenticator) makes one
only from a session that passed the second factor, and the token records that; the site's
``TwoFactorMiddleware`` already keeps an unverified session away from this page, this view checks
again. Each token's last use (time, client address) is listed for its owner."""

import datetime

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.cache import never_cache

from kesbang.accounts import twofactor
from kesbang.accounts.client_address import client_ip
from kesbang.api import services
from kesbang.api.models import AccessToken
from kesbang.core.forms import add_service_errors

LIFETIME_LABELS = {30: gettext_lazy("30 hari"), 90: gettext_lazy("90 hari"), 180: gettext_lazy("180 hari"),
                   365: gettext_lazy("1 tahun")}


class TokenForm(forms.Form):
    name = forms.CharField(
        label=gettext_lazy("Nama token"), max_length=80,
        help_text=gettext_lazy("Untuk mengenalinya nanti, mis. nama aplikasi atau skrip yang memakainya."),
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off",
                                      "placeholder": gettext_lazy("mis. Dasbor Polda")}),
    )
    scope = forms.ChoiceField(label=gettext_lazy("Cakupan"), choices=AccessToken.Scope.choices,
                              initial=AccessToken.Scope.READ, widget=forms.RadioSelect)
    days = forms.TypedChoiceField(label=gettext_lazy("Berlaku"), coerce=int, initial=90,
                                  choices=[(d, LIFETIME_LABELS[d]) for d in services.LIFETIMES],
                                  widget=forms.Select(attrs={"class": "form-select"}))


def second_factor_passed(request) -> bool:
    return twofactor.state(request) == twofactor.VERIFIED


def second_factor_due(request) -> bool:
    """This login's tokens must come from a verified session (it must use two-factor, or has enrolled)."""
    return twofactor.must_use_otp(request.user) or twofactor.has_device(request.user)


@method_decorator(never_cache, name="dispatch")
class TokenPageView(View):
    template_name = "api/tokens.html"

    def tokens(self):
        return list(AccessToken.objects.filter(user=self.request.user).order_by("revoked_at", "-created_at", "-id"))

    def render_page(self, form, *, new_token: str = "", status: int = 200):
        return render(self.request, self.template_name, {
            "form": form, "tokens": self.tokens(), "new_token": new_token,
            "second_factor_due": second_factor_due(self.request),
            "second_factor_passed": second_factor_passed(self.request),
            "week_start": timezone.localdate() - datetime.timedelta(days=timezone.localdate().weekday()),
        }, status=status)

    def get(self, request):
        return self.render_page(TokenForm())

    def post(self, request):
        form = TokenForm(request.POST)
        if not form.is_valid():
            return self.render_page(form)
        if second_factor_due(request) and not second_factor_passed(request):
            form.add_error(None, _("Akun ini wajib memakai verifikasi dua langkah: masuk dengan kode terlebih dahulu, "
                                   "lalu buat token."))
            return self.render_page(form, status=403)
        try:
            token, raw = services.token_create(
                user=request.user, name=form.cleaned_data["name"], scope=form.cleaned_data["scope"],
                days=form.cleaned_data["days"], second_factor=second_factor_passed(request),
                created_from=client_ip(request), request=request)
        except services.ValidationError as exc:
            add_service_errors(form, exc)
            return self.render_page(form)
        messages.success(request, _("Token %(name)s dibuat. Salin sekarang: token ini tidak akan ditampilkan lagi.")
                         % {"name": token.name})
        return self.render_page(TokenForm(), new_token=raw)


class TokenRevokeView(View):
    http_method_names = ["post"]

    def post(self, request, pk):
        token = AccessToken.objects.filter(user=request.user, pk=pk).first()
        if token is None:
            raise Http404
        services.token_revoke(token=token, user=request.user, request=request)
        messages.success(request, _("Token %(name)s dicabut; permintaan dengan token itu kini ditolak.")
                         % {"name": token.name})
        return redirect("api_tokens")
