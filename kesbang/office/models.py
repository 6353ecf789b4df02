"""The office's records: periodic reports, the weekly summary, their recipients and deliveries, and the
admin's corrections to the working-day calendar. The tables keep their old names (``kesbang_*``): the
models moved here from the ``kesbang`` app without moving data (``office/migrations/0001_initial.py``)."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from kesbang.core.models import BackgroundBuild, Delivery
from kesbang.core.querysets import RestrictedQuerySet
from kesbang.core.uploads import get_private_storage
from kesbang.office.reports import periods as P
from teams.access import scope_of


class ReportQuerySet(RestrictedQuerySet):
    def _restrict(self, user, action: str) -> "ReportQuerySet":
        """With ``office.view_report`` ("change": ``office.change_report``): a province-wide scope every
        report, a regency scope the reports of its own regency (not the province's), nobody else anything."""
        perm = "office.view_report" if action == "view" else "office.change_report"
        if not user.has_perm(perm):
            return self.none()
        scope = scope_of(user)
        if scope.all_regions:
            return self
        if scope.regency_code:
            return self.filter(region__code=scope.regency_code)
        return self.none()


def report_upload_to(instance, filename: str) -> str:
    import secrets
    from pathlib import PurePath

    return f"reports/{instance.period_start:%Y}/{secrets.token_urlsafe(18)}{PurePath(filename).suffix.lower()}"


class Report(BackgroundBuild):
    """One generated version of a periodic report for the province or one regency/city.

    Regenerating a period adds a version; a finalised or sent version is never rewritten."""

    class Kind(models.TextChoices):
        BULANAN = P.BULANAN, _("Bulanan")
        CATURWULAN = P.CATURWULAN, _("Caturwulan (B04/B08/B12)")
        SEMESTER = P.SEMESTER, _("Semester")
        TAHUNAN = P.TAHUNAN, _("Tahunan")

    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices)
    period = models.CharField(_("periode"), max_length=8, help_text=_("mis. 2026-05, 2026-B12, 2026-S1, 2026"))
    period_start = models.DateField(_("awal periode"))
    period_end = models.DateField(_("akhir periode"))
    region = models.ForeignKey(
        "teams.Region", verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="reports",
        help_text=_("Provinsi atau satu kabupaten/kota."),
    )
    version = models.PositiveSmallIntegerField(_("versi"), default=1)
    scheduled = models.BooleanField(_("terjadwal"), default=False)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diminta oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    requested_at = models.DateTimeField(_("diminta"), auto_now_add=True)
    narrative = models.TextField(_("narasi"), blank=True)
    finalised_at = models.DateTimeField(_("difinalkan"), null=True, blank=True)
    finalised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("difinalkan oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    sent_at = models.DateTimeField(_("dikirim"), null=True, blank=True)
    pdf_file = models.FileField(_("berkas PDF"), upload_to=report_upload_to, storage=get_private_storage,
                                max_length=255, blank=True)
    xlsx_file = models.FileField(_("berkas xlsx"), upload_to=report_upload_to, storage=get_private_storage,
                                 max_length=255, blank=True)
    pdf_sha256 = models.CharField(_("checksum PDF (SHA-256)"), max_length=64, blank=True)
    xlsx_sha256 = models.CharField(_("checksum xlsx (SHA-256)"), max_length=64, blank=True)
    figures = models.JSONField(_("angka ringkasan"), default=dict, blank=True)

    objects = ReportQuerySet.as_manager()

    class Meta:
        db_table = "kesbang_report"  # the table of the kesbang app it moved from
        ordering = ["-period_end", "kind", "region__code", "-version"]
        verbose_name = _("laporan berkala")
        verbose_name_plural = _("laporan berkala")
        # Who gets the reports by email by default (kesbang.office.recipients), granted in kesbang/accounts/roles.py.
        permissions = [("receive_report", "Menerima laporan berkala")]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "period", "region", "version"], name="report_version_unique",
                violation_error_message=_("Versi laporan ini sudah ada; coba lagi."),
            ),
            models.UniqueConstraint(
                fields=["kind", "period", "region"], condition=models.Q(scheduled=True),
                name="report_scheduled_once",
                violation_error_message=_("Laporan terjadwal untuk periode ini sudah dibuat."),
            ),
            models.CheckConstraint(
                condition=models.Q(progress__lte=100), name="report_progress_range",
                violation_error_message=_("Kemajuan harus antara 0 dan 100."),
            ),
            models.CheckConstraint(
                condition=models.Q(period_end__gte=models.F("period_start")), name="report_period_ordered",
                violation_error_message=_("Akhir periode tidak boleh sebelum awalnya."),
            ),
        ]
        indexes = [models.Index(fields=["status", "progress_at"], name="report_status_progress")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.period} · {self.region} · v{self.version}"

    def get_absolute_url(self) -> str:
        return reverse("reports:report_detail", args=[self.pk])

    @property
    def kind_title(self) -> str:
        """ "Caturwulan" rather than the choice label "Caturwulan (B04/B08/B12)"."""
        return {self.Kind.BULANAN: _("Bulanan"), self.Kind.CATURWULAN: _("Caturwulan"),
                self.Kind.SEMESTER: _("Semester"), self.Kind.TAHUNAN: _("Tahunan")}[self.kind]

    @property
    def report_period(self) -> P.ReportPeriod:
        return P.parse_period(self.kind, self.period)

    @property
    def is_province(self) -> bool:
        return self.region.is_province


    @property
    def is_locked(self) -> bool:
        """Finalised or sent: its files are never rewritten (regenerate makes a new version)."""
        return self.finalised_at is not None or self.sent_at is not None

    def download_name(self, ext: str) -> str:
        region = self.region.code.replace(".", "")
        return f"laporan-{self.kind}-{self.period}-{region}-v{self.version}.{ext}"


class Recipient(models.Model):
    """Who receives the weekly summary and the scheduled reports beyond the defaults.

    By default every login holding ``office.receive_weeklysummary`` / ``office.receive_report`` (Pimpinan
    and Staf Provinsi, with an email address) receives them; a row adds an address, or (``active`` off)
    removes one from the defaults (kesbang.office.recipients)."""

    email = models.EmailField(_("email"), unique=True)
    name = models.CharField(_("nama"), max_length=200, blank=True)
    weekly_summary = models.BooleanField(_("ringkasan mingguan"), default=True)
    reports = models.BooleanField(_("laporan berkala"), default=True)
    active = models.BooleanField(
        _("aktif"), default=True, help_text=_("Nonaktifkan untuk mengecualikan alamat ini, juga dari penerima bawaan.")
    )

    class Meta:
        db_table = "kesbang_recipient"
        ordering = ["email"]
        verbose_name = _("penerima ringkasan dan laporan")
        verbose_name_plural = _("penerima ringkasan dan laporan")

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email


class WeeklySummary(models.Model):
    """The weekly summary of one ISO week (Monday 00:00 to Monday 00:00 Asia/Jakarta).

    ``content`` is built once when the week is planned, so every recipient (and every retry) gets
    the same figures; its deliveries are the exactly-once records per recipient."""

    week = models.CharField(_("minggu ISO"), max_length=8, unique=True, help_text=_("mis. 2026-W47"))
    start = models.DateField(_("Senin"))
    end = models.DateField(_("Minggu"))
    content = models.JSONField(_("isi"), default=dict, blank=True)
    planned_at = models.DateTimeField(_("direncanakan"), auto_now_add=True)

    class Meta:
        db_table = "kesbang_weeklysummary"
        ordering = ["-start"]
        verbose_name = _("ringkasan mingguan")
        verbose_name_plural = _("ringkasan mingguan")
        # The page's "Kirim sekarang" (emails the week to every recipient who has not had it); reading
        # the preview is ``view_weeklysummary``. Who gets it by default (kesbang.office.recipients):
        # ``receive_weeklysummary``. Granted to roles in kesbang/accounts/roles.py.
        permissions = [
            ("send_weeklysummary", _("Dapat mengirim ringkasan mingguan")),
            ("receive_weeklysummary", "Menerima ringkasan mingguan"),
        ]

    def __str__(self) -> str:
        return self.week


class WeeklySummaryDelivery(Delivery):
    """One recipient's copy of one week's summary: claimed before sending, sent once."""

    summary = models.ForeignKey(WeeklySummary, verbose_name=_("ringkasan"), on_delete=models.CASCADE,
                                related_name="deliveries")
    email = models.EmailField(_("email penerima"))

    class Meta:
        db_table = "kesbang_weeklysummarydelivery"
        ordering = ["summary", "email"]
        verbose_name = _("pengiriman ringkasan mingguan")
        verbose_name_plural = _("pengiriman ringkasan mingguan")
        constraints = [models.UniqueConstraint(fields=["summary", "email"], name="weeklysummarydelivery_once")]

    def __str__(self) -> str:
        return f"{self.summary} → {self.email}"


class ReportDelivery(Delivery):
    """One recipient's email of one report version (scheduled reports, or sent from the report page)."""

    report = models.ForeignKey(Report, verbose_name=_("laporan"), on_delete=models.CASCADE, related_name="deliveries")
    email = models.EmailField(_("email penerima"))

    class Meta:
        db_table = "kesbang_reportdelivery"
        ordering = ["report", "email"]
        verbose_name = _("pengiriman laporan")
        verbose_name_plural = _("pengiriman laporan")
        constraints = [models.UniqueConstraint(fields=["report", "email"], name="reportdelivery_once")]

    def __str__(self) -> str:
        return f"{self.report} → {self.email}"


class NonWorkingDay(models.Model):
    """A day the office's calendar gets wrong: a cuti bersama set by the yearly SKB 3 Menteri (or its
    revision) that the ``holidays`` library does not know yet, a regional holiday, or a day the library
    lists as a holiday that is a working day after all. Read by ``kesbang.office.workdays``."""

    class Kind(models.TextChoices):
        LIBUR = "libur", _("Libur (cuti bersama, libur daerah)")
        MASUK = "masuk", _("Hari kerja (membatalkan libur dari kalender nasional)")

    date = models.DateField(_("tanggal"))
    name = models.CharField(
        _("keterangan"), max_length=200, help_text=_("mis. Cuti bersama Idul Fitri (SKB 3 Menteri)")
    )
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.LIBUR)

    class Meta:
        db_table = "kesbang_nonworkingday"
        ordering = ["-date"]
        verbose_name = _("hari libur tambahan")
        verbose_name_plural = _("hari libur tambahan")
        constraints = [
            models.UniqueConstraint(
                fields=["date"], name="nonworkingday_date_once",
                violation_error_message=_("Tanggal ini sudah tercatat."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.date.isoformat()} {self.name}"
