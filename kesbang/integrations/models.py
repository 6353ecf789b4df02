"""The integration records: webhook endpoints, the events raised for them, one delivery per event and
endpoint (the core claim-before-send record), and the national submission packages."""

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kesbang.core.events import EVENTS
from kesbang.core.models import BackgroundBuild, Delivery
from kesbang.core.querysets import RestrictedQuerySet
from kesbang.core.uploads import get_private_storage
from kesbang.office.reports import periods as P

CLEARANCE_CHOICES = [("biasa", _("Biasa")), ("terbatas", _("Terbatas")), ("rahasia", _("Rahasia"))]


class WebhookEndpointQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action: str) -> "WebhookEndpointQuerySet":
        """The endpoints of a clearance the login reads itself (``incidents.classification``): an
        Administrator (who reads ``biasa`` only) neither sees nor redirects an endpoint that hears of
        ``terbatas`` or ``rahasia`` incidents; "change" needs the change permission as well."""
        from incidents.classification import readable_classes

        perm = "integrations.view_webhookendpoint" if action == "view" else "integrations.change_webhookendpoint"
        if not user.has_perm(perm):
            return self.none()
        return self.filter(clearance__in=sorted(readable_classes(user)))


class WebhookEndpoint(models.Model):
    """A system that wants to hear of events: its address, the events, its declared clearance and the
    shared secret that signs every delivery (stored encrypted, ``kesbang.integrations.sealing``)."""

    name = models.CharField(_("nama"), max_length=120, help_text=_("mis. Sistem Informasi Polda Babel"))
    url = models.URLField(_("alamat URL"), max_length=500,
                          help_text=_("http:// atau https://; pengalihan (redirect) tidak diikuti."))
    events = models.JSONField(_("peristiwa"), default=list, blank=True)
    clearance = models.CharField(
        _("klasifikasi yang diizinkan"), max_length=10, choices=CLEARANCE_CHOICES, default="biasa",
        help_text=_("Kelas insiden tertinggi yang boleh diterima sistem ini. Insiden di atasnya tidak dikirim sama "
                    "sekali; insiden rahasia hanya dikirim nomornya."),
    )
    active = models.BooleanField(_("aktif"), default=True)
    description = models.TextField(_("keterangan"), blank=True)
    secret_sealed = models.TextField(_("rahasia bersama (terenkripsi)"), editable=False)
    secret_hint = models.CharField(_("petunjuk rahasia"), max_length=12, editable=False, blank=True,
                                   help_text=_("Empat karakter terakhir, untuk mencocokkan dengan penerima."))
    secret_set_at = models.DateTimeField(_("rahasia dibuat"), null=True, editable=False)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("didaftarkan oleh"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+", editable=False)
    created_at = models.DateTimeField(_("didaftarkan"), auto_now_add=True)

    objects = WebhookEndpointQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("endpoint webhook")
        verbose_name_plural = _("endpoint webhook")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        unknown = [e for e in self.events or [] if e not in EVENTS]
        if unknown:
            raise ValidationError({"events": _("Peristiwa tidak dikenal: %(e)s.") % {"e": ", ".join(unknown)}})
        if self.url:
            from kesbang.integrations.transport import check_url

            check_url(self.url, field="url")

    def wants(self, event_name: str) -> bool:
        return self.active and event_name in (self.events or [])

    def event_labels(self) -> list[str]:
        return [str(EVENTS[e]) for e in self.events or [] if e in EVENTS]


class WebhookEvent(models.Model):
    """One event a service emitted while at least one active endpoint wanted it (the outbox row,
    written in the service's transaction). ``uid`` is the id receivers deduplicate on."""

    uid = models.UUIDField(_("id peristiwa"), default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("peristiwa"), max_length=40, choices=list(EVENTS.items()))
    object_id = models.PositiveBigIntegerField(_("id objek"))
    data = models.JSONField(_("data"), default=dict, blank=True)
    occurred_at = models.DateTimeField(_("terjadi"))
    dispatched_at = models.DateTimeField(_("dibagikan ke endpoint"), null=True, blank=True)

    class Meta:
        ordering = ["-occurred_at", "-pk"]
        verbose_name = _("peristiwa webhook")
        verbose_name_plural = _("peristiwa webhook")
        indexes = [models.Index(fields=["dispatched_at", "occurred_at"], name="webhookevent_dispatch")]

    def __str__(self) -> str:
        return f"{self.get_name_display()} #{self.object_id}"


class WebhookDelivery(Delivery):
    """One event to one endpoint, exactly once (``kesbang.core.delivery.deliver`` claims the row before
    the request). The log keeps the last body sent and the receiver's answer."""

    event = models.ForeignKey(WebhookEvent, verbose_name=_("peristiwa"), on_delete=models.CASCADE,
                              related_name="deliveries")
    endpoint = models.ForeignKey(WebhookEndpoint, verbose_name=_("endpoint"), on_delete=models.CASCADE,
                                 related_name="deliveries")
    response_status = models.PositiveSmallIntegerField(_("kode jawaban"), null=True, blank=True)
    response_excerpt = models.CharField(_("cuplikan jawaban"), max_length=500, blank=True)
    body = models.TextField(_("isi terakhir yang dikirim"), blank=True)
    last_attempt_at = models.DateTimeField(_("percobaan terakhir"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("lama (ms)"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("log pengiriman webhook")
        constraints = [models.UniqueConstraint(fields=["event", "endpoint"], name="webhookdelivery_once")]

    def __str__(self) -> str:
        return f"{self.event} → {self.endpoint}"


# --- The national submission package -----------------------------------------------------------------


class NationalPackageQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action: str) -> "NationalPackageQuerySet":
        """The packages are the province's: logins with the permission and a province-wide scope (Staf
        Provinsi, Pimpinan) see them all; anyone else none."""
        from teams.access import scope_of

        perm = "integrations.view_nationalpackage" if action == "view" else "integrations.add_nationalpackage"
        if not user.has_perm(perm) or not scope_of(user).all_regions:
            return self.none()
        return self


def package_upload_to(instance, filename: str) -> str:
    import secrets

    return f"paket-nasional/{instance.period_start:%Y}/{secrets.token_urlsafe(18)}.zip"


class NationalPackage(BackgroundBuild):
    """One version of the national submission package of one period: the Kemendagri action-plan
    workbook, the incident table with SNPK codes and the JSON, zipped; built in the background."""

    kind = models.CharField(_("jenis periode"), max_length=12, choices=[
        (P.BULANAN, _("Bulanan")), (P.CATURWULAN, _("Caturwulan (B04/B08/B12)")), (P.SEMESTER, _("Semester")),
        (P.TAHUNAN, _("Tahunan"))])
    period = models.CharField(_("periode"), max_length=8)
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    region = models.ForeignKey("teams.Region", verbose_name=_("provinsi"), on_delete=models.PROTECT,
                               related_name="+")
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), null=True,
                                     blank=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    file = models.FileField(_("berkas zip"), upload_to=package_upload_to, storage=get_private_storage,
                            max_length=255, blank=True)
    sha256 = models.CharField(_("checksum (SHA-256)"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("ukuran (bita)"), default=0)
    summary = models.JSONField(_("ringkasan isi"), default=dict, blank=True)

    objects = NationalPackageQuerySet.as_manager()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("paket pengiriman nasional")
        verbose_name_plural = _("paket pengiriman nasional")
        constraints = [
            models.UniqueConstraint(fields=["kind", "period", "version"], name="nationalpackage_version_unique",
                                    violation_error_message=_("Versi paket ini sudah ada; coba lagi.")),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="nationalpackage_progress_range",
                                   violation_error_message=_("Kemajuan harus antara 0 dan 100.")),
            models.CheckConstraint(condition=models.Q(period_end__gte=models.F("period_start")),
                                   name="nationalpackage_period_ordered",
                                   violation_error_message=_("Akhir periode tidak boleh sebelum awalnya.")),
        ]
        indexes = [models.Index(fields=["status", "progress_at"], name="nationalpackage_status")]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("integrations:package_detail", args=[self.pk])

    @property
    def report_period(self) -> P.ReportPeriod:
        return P.parse_period(self.kind, self.period)

    def download_name(self) -> str:
        return f"paket-nasional-{self.region.code.replace('.', '')}-{self.period}-v{self.version}.zip"
