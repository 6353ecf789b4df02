"""Abstract models shared by the apps (no concrete model lives in core)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Delivery(models.Model):
    """A claim-before-send record: one row per thing to deliver exactly once (a reminder, an alert,
    a weekly summary). A subclass adds its key fields and a UniqueConstraint over them; sending goes
    through ``kesbang.core.delivery.deliver``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING,
                              db_index=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    claimed_at = models.DateTimeField(_("diklaim"), null=True, blank=True)
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    last_error = models.TextField(_("galat terakhir"), blank=True)
    recipient = models.TextField(_("penerima"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_sent(self) -> bool:
        return self.status == self.Status.SENT
