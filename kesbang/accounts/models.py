"""Login security records: the audit log, two-factor recovery codes and enrolment codes.

The app's label is still ``kesbang`` (``kesbang.accounts.apps``), so these tables, their migrations
history and content types are the ones they always were."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, ThrottlingMixin, TimestampMixin

from kesbang.core import onetime


class AuditEvent(models.Model):
    """One security-relevant event: a login, a failed login, a lockout, a logout, a denied page,
    a two-factor enrolment or failure, a grant or revocation of access (``kesbang.accounts.grants``: ``user``
    is who acted, the account concerned and the change are in ``detail``). Written by
    ``kesbang.accounts.audit`` only; read-only in the admin."""

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
        ACCESS_GRANTED = "access_granted", _("Hak akses diberikan")
        ACCESS_REVOKED = "access_revoked", _("Hak akses dicabut")
        SESSION_MAX_AGE = "session_max_age", _("Sesi berakhir (batas lama sesi)")
        OTP_CODE_ISSUED = "otp_code_issued", _("Kode pendaftaran dua langkah dibuat")
        OTP_CODE_USED = "otp_code_used", _("Kode pendaftaran dua langkah dipakai")
        OTP_CODE_REFUSED = "otp_code_refused", _("Kode pendaftaran dua langkah ditolak")
        OTP_REMOVED = "otp_removed", _("Verifikasi dua langkah dimatikan")
        OTP_RECOVERY_NEW = "otp_recovery_new", _("Kode cadangan baru dibuat")
        REAUTH = "reauth", _("Konfirmasi ulang identitas berhasil")
        REAUTH_FAILED = "reauth_failed", _("Konfirmasi ulang identitas gagal")
        RSVP_ANSWERED = "rsvp_answered", _("Jawaban undangan lewat tautan pribadi")
        PDP_ERASED = "pdp_erased", _("Data pribadi pelapor masyarakat dihapus")
        PDP_EXPORTED = "pdp_exported", _("Data pribadi pelapor masyarakat diekspor")
        TOKEN_CREATED = "token_created", _("Token API dibuat")
        TOKEN_REVOKED = "token_revoked", _("Token API dicabut")

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


class RecoveryCodeDevice(TimestampMixin, ThrottlingMixin, Device):
    """A login's recovery codes as a django-otp device: each code works once; only salted hashes are
    stored (``kesbang.core.onetime``). Replaces django-otp's static device, which stores codes in
    plain text. Failures are throttled like the authenticator (django-otp doubles the wait)."""

    class Meta:
        verbose_name = _("kode cadangan")
        verbose_name_plural = _("kode cadangan")

    def get_throttle_factor(self):
        return getattr(settings, "OTP_STATIC_THROTTLE_FACTOR", 1)

    def verify_token(self, token):
        """Consume the matching code (the caller holds this row locked); throttle on a miss."""
        if not self.verify_is_allowed()[0]:
            return False
        match = next((c for c in self.codes.all() if onetime.check(token, c.code_hash)), None)
        if match is None:
            self.throttle_increment()
            return False
        match.delete()
        self.throttle_reset(commit=False)
        self.set_last_used_timestamp(commit=False)
        self.save()
        return True


class RecoveryCode(models.Model):
    """One unused recovery code: its salted hash only; deleted when used."""

    device = models.ForeignKey(RecoveryCodeDevice, on_delete=models.CASCADE, related_name="codes")
    code_hash = models.CharField(_("hash kode"), max_length=128)

    class Meta:
        verbose_name = _("kode cadangan")
        verbose_name_plural = _("kode cadangan")

    def __str__(self) -> str:
        return f"{self.device.user} #{self.pk}"


class EnrolmentCode(models.Model):
    """A code an administrator issues so a login can set up its first authenticator: one use, valid
    ``KESBANG_OTP_ENROLMENT_HOURS`` hours, stored as a salted hash, shown once to the issuer. Issuing
    a new code for a login withdraws its unused older ones (``kesbang.accounts.twofactor.enrolment_code_issue``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("pengguna"), on_delete=models.CASCADE,
                             related_name="+")
    code_hash = models.CharField(_("hash kode"), max_length=128)
    issued_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True, blank=True,
                                  on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    used_at = models.DateTimeField(_("dipakai"), null=True, blank=True)

    class Meta:
        verbose_name = _("kode pendaftaran dua langkah")
        verbose_name_plural = _("kode pendaftaran dua langkah")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "used_at"], name="enrolmentcode_user_unused")]

    def __str__(self) -> str:
        return f"{self.user} {self.created_at:%Y-%m-%d %H:%M}"
