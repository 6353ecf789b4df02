"""Abstract models shared by the apps (no concrete model lives in core)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from kesbang.core.uploads import (
    ALLOWED_KINDS,
    KIND_LABELS,
    KINDS,
    get_private_storage,
    private_file_response,
    private_file_upload_to,
    safe_display_name,
    stored_name_for,
    track_file,
    validate_upload,
)
from kesbang.core.validation import validated_save


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


class PrivateFile(models.Model):
    """An uploaded file kept in private storage (no URL serves it): evidence, attachments, meeting
    documents. A subclass adds its parent ForeignKey (and any extra field) and sets ``upload_folder``
    (the folder under MEDIA_ROOT; the stored name is random with the kind's extension).

    Filling one goes through ``take_upload`` (the core upload checks, ``kesbang.core.uploads``) and
    ``save_upload`` (inside ``atomic_with_files``: the file goes again if the transaction rolls back);
    serving one through ``file_response`` after the view has checked the login may read its parent.
    Register ``cleanup_files_for(Model, "file")`` in the app's ``ready()``.
    """

    upload_folder = "berkas"

    file = models.FileField(_("berkas"), upload_to=private_file_upload_to, storage=get_private_storage,
                            max_length=255)
    original_name = models.CharField(_("nama berkas"), max_length=255)
    kind = models.CharField(_("jenis berkas"), max_length=10)
    size = models.PositiveIntegerField(_("ukuran (bita)"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("diunggah oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    uploaded_at = models.DateTimeField(_("diunggah"), auto_now_add=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.original_name

    @property
    def content_type(self) -> str:
        return KINDS[self.kind][0] if self.kind in KINDS else "application/octet-stream"

    @property
    def kind_label(self) -> str:
        return KIND_LABELS.get(self.kind, self.kind.upper())

    @property
    def is_image(self) -> bool:
        return self.kind in ("jpeg", "png")

    def take_upload(self, uploaded_file, *, user=None, field: str | None = None, kinds=ALLOWED_KINDS) -> None:
        """Check ``uploaded_file`` (``validate_upload``: ValidationError in Indonesian, on ``field`` if
        given) and fill the file, its display name, kind, size and uploader. Nothing is stored yet."""
        kind = validate_upload(uploaded_file, kinds=kinds, field=field)
        self.original_name = safe_display_name(uploaded_file.name)
        self.kind = kind
        self.size = uploaded_file.size
        self.uploaded_by = user if getattr(user, "is_authenticated", False) else None
        uploaded_file.seek(0)
        uploaded_file.name = stored_name_for(kind)  # never the uploaded name on disk
        self.file = uploaded_file

    def save_upload(self):
        """Validate and save the row (storing the file); call inside ``atomic_with_files`` so a
        rollback removes the stored file."""
        validated_save(self)
        track_file(self.file)
        return self

    def file_response(self, *, inline: bool = False):
        """The file as a download (or shown inline); the caller has checked the permission."""
        return private_file_response(self.file, download_name=self.original_name, as_attachment=not inline,
                                     content_type=self.content_type)


class BuildStatus(models.TextChoices):
    ANTRI = "antri", _("Antri")
    DIPROSES = "diproses", _("Diproses")
    SELESAI = "selesai", _("Selesai")
    GAGAL = "gagal", _("Gagal")


class BackgroundBuild(models.Model):
    """The fields of a row built by a background task (``kesbang.core.builds.BuildRunner`` holds the
    rules: claim, progress, result swap, failure, sweeper). The model's ``Status`` is ``BuildStatus``."""

    Status = BuildStatus

    status = models.CharField(_("status"), max_length=10, choices=BuildStatus.choices,
                              default=BuildStatus.ANTRI)
    progress = models.PositiveSmallIntegerField(_("kemajuan (%)"), default=0)
    progress_note = models.CharField(_("tahap"), max_length=200, blank=True)
    progress_at = models.DateTimeField(_("kemajuan terakhir"), null=True, blank=True)
    failure_reason = models.TextField(_("alasan gagal"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("percobaan"), default=0)
    started_at = models.DateTimeField(_("mulai diproses"), null=True, blank=True)
    finished_at = models.DateTimeField(_("selesai diproses"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_running(self) -> bool:
        return self.status in (BuildStatus.ANTRI, BuildStatus.DIPROSES)

    @property
    def is_done(self) -> bool:
        return self.status == BuildStatus.SELESAI
