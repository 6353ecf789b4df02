"""Office-wide forms."""

from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


class LoginForm(AuthenticationForm):
    """Django's own Indonesian message repeats the field label ("nama pengguna nama pengguna");
    this one reads as an office would write it."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _(
            "Nama pengguna atau kata sandi salah. Perhatikan huruf besar dan kecil, lalu coba lagi."
        ),
        "inactive": _("Akun ini tidak aktif. Hubungi administrator Kesbangpol."),
    }
