"""Personal access tokens of the API.

A token is ``kbg_<prefix>_<secret>``: ``prefix`` (8 hex characters) is public and finds the row, the
secret is 32 random bytes (``secrets.token_urlsafe``). Only the SHA-256 of the whole token is stored:
with 256 random bits no offline search is feasible, so a fast hash is enough and checking a request
costs nothing measurable (as ``kesbang.core.onetime`` argues for recovery codes). The clear token is
shown once, on the page that made it.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccessToken(models.Model):
    """A named, expiring, revocable token a login made for itself, read-only or read-write."""

    class Scope(models.TextChoices):
        READ = "read", _("Baca saja")
        WRITE = "write", _("Baca dan tulis")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("akun"), on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("nama"), max_length=80)
    prefix = models.CharField(_("awalan"), max_length=8, unique=True, editable=False)
    token_hash = models.CharField(_("hash SHA-256"), max_length=64, unique=True, editable=False)
    scope = models.CharField(_("cakupan"), max_length=5, choices=Scope.choices, default=Scope.READ)
    created_at = models.DateTimeField(_("dibuat"), default=timezone.now)
    expires_at = models.DateTimeField(_("berlaku sampai"))
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)
    # The session that made it had passed the second factor: a token of a login that must use two-factor
    # works only when this is true (kesbang.api.authentication).
    second_factor = models.BooleanField(_("dibuat dari sesi terverifikasi dua langkah"), default=False)
    created_from = models.GenericIPAddressField(_("dibuat dari alamat"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    last_used_from = models.GenericIPAddressField(_("terakhir dipakai dari"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("token akses API")
        verbose_name_plural = _("token akses API")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "name"], condition=Q(revoked_at__isnull=True), name="accesstoken_name_once_per_user",
                violation_error_message=_("Anda sudah memiliki token aktif dengan nama ini."),
            ),
            models.CheckConstraint(
                condition=Q(expires_at__gt=models.F("created_at")), name="accesstoken_expires_after_creation",
                violation_error_message=_("Token harus berlaku setelah dibuat."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix})"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()

    @property
    def is_active(self) -> bool:
        return not self.is_revoked and not self.is_expired

    @property
    def can_write(self) -> bool:
        return self.scope == self.Scope.WRITE
