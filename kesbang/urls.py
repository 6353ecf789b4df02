from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.i18n import set_language

from incidents import pwa
from kesbang.accounts import views_twofactor
from kesbang.accounts.forms import LoginForm
from kesbang.api import views_tokens as api_tokens
from kesbang.office import views
from kesbang.ops import views as ops_views

admin.site.site_header = _("Kesbang — Administrasi")
admin.site.site_title = _("Kesbang — Administrasi")
admin.site.index_title = _("Pengaturan data")

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("healthz/", ops_views.healthz, name="healthz"),
    # The service worker at the root, so its scope covers /lapor/ and /insiden/lapor/ (incidents.pwa).
    path("sw.js", pwa.service_worker, name="service_worker"),
    path("lapor/", include("incidents.public_urls")),
    # Same address and name as django.contrib.auth's login, listed first so it is the one served.
    path(
        "akun/login/",
        auth_views.LoginView.as_view(authentication_form=LoginForm, redirect_authenticated_user=True),
        name="login",
    ),
    path("akun/dua-langkah/", views_twofactor.OtpStatusView.as_view(), name="otp_status"),
    path("akun/dua-langkah/pasang/", views_twofactor.OtpSetupView.as_view(), name="otp_setup"),
    path("akun/dua-langkah/verifikasi/", views_twofactor.OtpVerifyView.as_view(), name="otp_verify"),
    path("akun/dua-langkah/konfirmasi/", views_twofactor.OtpReauthView.as_view(), name="otp_reauth"),
    path("akun/token/", api_tokens.TokenPageView.as_view(), name="api_tokens"),
    path("akun/token/<id:pk>/cabut/", api_tokens.TokenRevokeView.as_view(), name="api_token_revoke"),
    path("akun/", include("django.contrib.auth.urls")),
    path("i18n/setlang/", login_not_required(set_language), name="set_language"),
    path("tim/", include("teams.urls")),
    path("laporan/paket-nasional/", include("kesbang.integrations.urls")),
    path("laporan/", include("kesbang.office.reports.urls")),
    path("insiden/", include("incidents.urls")),
    path("rapat/", include("meetings.urls")),
    path("api/v1/", include("kesbang.api.urls")),
    path("admin/", admin.site.urls),
]
