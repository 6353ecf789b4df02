"""Office-wide records that belong to no domain app."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    """One security-relevant event: a login, a failed login, a lockout, a logout, a denied page,
    a two-factor enrolment or failure. Written by ``kesbang.audit`` only; read-only in the admin."""

    class Kind(models.TextChoices):
        LOGIN = "login", _("Masuk")
        LOGIN_FAILED = "login_failed", _("Gagal masuk")
        LOCKED_OUT = "locked_out", _("Dikunci (terlalu banyak percobaan)")
        LOGOUT = "logout", _("Keluar")
        DENIED = "denied", _("Akses ditolak (403)")
        OTP_ENROLLED = "otp_enrolled", _("Verifikasi dua langkah dipasang")
        OTP_VERIFIED = "otp_verified", _("Verifikasi dua langkah berhasil")
        OTP_FAILED = "otp_failed", _("Verifikasi dua langkah gagal")
        SESSION_EXPIRED = "session_expired", _("Sesi berakhir (tidak aktif)")

    created_at = models.DateTimeField(_("waktu"), auto_now_add=True, db_index=True)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices, db_index=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    username = models.CharField(_("nama pengguna"), max_length=150, blank=True)
    ip_address = models.GenericIPAddressField(_("alamat IP"), null=True, blank=True)
    method = models.CharField(_("metode"), max_length=10, blank=True)
    path = models.CharField(_("alamat"), max_length=500, blank=True)
    user_agent = models.CharField(_("peramban"), max_length=300, blank=True)
    detail = models.CharField(_("keterangan"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("catatan audit")
        verbose_name_plural = _("catatan audit")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.created_at:%Y-%m-%d %H:%M:%S} {self.get_kind_display()} {self.username}"
