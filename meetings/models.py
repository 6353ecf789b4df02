"""Coordination meetings (Rakor): schedule, agenda, invitations and answers, attendance, minutes with
numbered resolutions, action items (tindak lanjut) with progress notes and evidence, documents, and
the delivery records that make every email go out exactly once.

Invariants live here as named constraints carrying their own Indonesian messages; the rules that
need more than one row (who may approve the minutes, read-only after approval) live in the services.
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kesbang.core.models import Delivery, PrivateFile
from meetings.querysets import ActionItemQuerySet, InvitationQuerySet, MeetingQuerySet
from teams.models import Institution, Person, Team


class Meeting(models.Model):
    """A meeting organised by one Tim Terpadu."""

    class Kind(models.TextChoices):
        RAKOR = "rakor", _("Rapat Koordinasi (Rakor)")
        TEKNIS = "teknis", _("Rapat teknis")
        EVALUASI = "evaluasi", _("Rapat evaluasi")
        SOSIALISASI = "sosialisasi", _("Sosialisasi")
        MONITORING = "monitoring", _("Monitoring lapangan")

    class Status(models.TextChoices):
        DIRENCANAKAN = "direncanakan", _("Direncanakan")
        BERLANGSUNG = "berlangsung", _("Berlangsung")
        SELESAI = "selesai", _("Selesai")
        DIBATALKAN = "dibatalkan", _("Dibatalkan")

    title = models.CharField(_("judul"), max_length=255)
    kind = models.CharField(_("jenis rapat"), max_length=12, choices=Kind.choices, default=Kind.RAKOR)
    team = models.ForeignKey(
        Team, verbose_name=_("tim penyelenggara"), on_delete=models.PROTECT, related_name="meetings"
    )
    start = models.DateTimeField(_("mulai"))
    end = models.DateTimeField(_("selesai"))
    venue = models.CharField(_("tempat"), max_length=255)
    venue_city = models.CharField(_("kota"), max_length=100, blank=True, default="Pangkalpinang")
    chair = models.ForeignKey(
        Person, verbose_name=_("pimpinan rapat"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    opener = models.ForeignKey(
        Person, verbose_name=_("dibuka oleh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("keterangan"), blank=True)
    linked_incidents = models.ManyToManyField(
        "incidents.Incident", verbose_name=_("insiden yang dibahas"), blank=True, related_name="meetings"
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DIRENCANAKAN)
    cancel_reason = models.CharField(_("alasan pembatalan"), max_length=500, blank=True)
    # The formal invitation letter (naskah dinas, DOMAIN.md section 4).
    letter_number = models.CharField(_("nomor surat undangan"), max_length=120, blank=True)
    letter_date = models.DateField(_("tanggal surat"), null=True, blank=True)
    letter_nature = models.CharField(_("sifat"), max_length=60, blank=True, default="Penting")
    letter_attachment = models.CharField(_("lampiran"), max_length=120, blank=True, default="-")
    signatory = models.ForeignKey(
        Person, verbose_name=_("penanda tangan surat"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="+",
    )
    copies = models.TextField(_("tembusan"), blank=True, help_text=_("Satu penerima tembusan per baris."))
    # Calendar revision: incremented on every change of time, venue or status that is emailed (.ics SEQUENCE).
    sequence = models.PositiveIntegerField(_("revisi kalender"), default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dibuat oleh"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    history = HistoricalRecords(excluded_fields=["sequence"])

    objects = MeetingQuerySet.as_manager()

    class Meta:
        ordering = ["-start", "-id"]
        verbose_name = _("rapat")
        verbose_name_plural = _("rapat")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end__gt=models.F("start")),
                name="meeting_end_after_start",
                violation_error_message=_("Waktu selesai harus setelah waktu mulai."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="dibatalkan") | ~models.Q(cancel_reason=""),
                name="meeting_cancel_has_reason",
                violation_error_message=_("Rapat yang dibatalkan harus mencantumkan alasannya."),
            ),
        ]
        indexes = [
            models.Index(fields=["start"], name="meeting_start"),
            models.Index(fields=["team", "start"], name="meeting_team_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("meetings:meeting_detail", args=[self.pk])

    STATUS_BADGE = {"direncanakan": "text-bg-primary", "berlangsung": "text-bg-warning", "selesai": "text-bg-success",
                    "dibatalkan": "text-bg-danger"}

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.DIBATALKAN

    @property
    def status_badge(self) -> str:
        """Bootstrap badge class of the status (drawn inline in lists: no include per row)."""
        return self.STATUS_BADGE.get(self.status, "text-bg-secondary")

    @property
    def is_upcoming(self) -> bool:
        return self.status == self.Status.DIRENCANAKAN and self.start > timezone.now()

    @property
    def ics_uid(self) -> str:
        return f"rapat-{self.pk}@kesbang"


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="agenda_items")
    order = models.PositiveSmallIntegerField(_("urutan"))
    title = models.CharField(_("acara"), max_length=255)
    presenter = models.ForeignKey(
        Person, verbose_name=_("penyaji"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    presenter_name = models.CharField(_("penyaji (bukan dari daftar orang)"), max_length=200, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(_("durasi (menit)"), default=30)
    discussion = models.TextField(_("pembahasan"), blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "order", "id"]
        verbose_name = _("mata acara")
        verbose_name_plural = _("mata acara")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "order"], name="agendaitem_unique_order",
                violation_error_message=_("Urutan mata acara ini sudah dipakai."),
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1, duration_minutes__lte=720),
                name="agendaitem_duration_range",
                violation_error_message=_("Durasi harus antara 1 dan 720 menit."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.order}. {self.title}"

    @property
    def presenter_label(self) -> str:
        return self.presenter.name if self.presenter_id else self.presenter_name


class Invitation(models.Model):
    """One invitee: a person from the register or a guest (name and institution only)."""

    class Source(models.TextChoices):
        TEAM = "tim", _("Tim")
        ROLE = "peran", _("Kedudukan dalam tim")
        PERSON = "orang", _("Perorangan")
        GUEST = "tamu", _("Tamu")

    class Response(models.TextChoices):
        PENDING = "belum", _("Belum menjawab")
        ATTEND = "hadir", _("Hadir")
        DECLINE = "tidak_hadir", _("Tidak hadir")
        DELEGATE = "diwakilkan", _("Diwakilkan")

    meeting = models.ForeignKey(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="invitations")
    person = models.ForeignKey(
        Person, verbose_name=_("orang"), null=True, blank=True, on_delete=models.PROTECT, related_name="invitations"
    )
    guest_name = models.CharField(_("nama tamu"), max_length=200, blank=True)
    guest_institution = models.CharField(_("instansi tamu"), max_length=200, blank=True)
    guest_position = models.CharField(_("jabatan tamu"), max_length=200, blank=True)
    guest_email = models.EmailField(_("email tamu"), blank=True)
    source = models.CharField(_("diundang melalui"), max_length=6, choices=Source.choices, default=Source.PERSON)
    source_label = models.CharField(_("keterangan undangan"), max_length=200, blank=True)
    response = models.CharField(_("jawaban"), max_length=12, choices=Response.choices, default=Response.PENDING)
    delegate_name = models.CharField(_("diwakilkan kepada"), max_length=200, blank=True)
    response_note = models.CharField(_("catatan jawaban"), max_length=500, blank=True)
    responded_at = models.DateTimeField(_("dijawab"), null=True, blank=True)
    created_at = models.DateTimeField(_("diundang"), auto_now_add=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["meeting", "id"]
        verbose_name = _("undangan")
        verbose_name_plural = _("undangan")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "person"], condition=models.Q(person__isnull=False),
                name="invitation_person_once",
                violation_error_message=_("Orang ini sudah diundang ke rapat ini."),
            ),
            models.CheckConstraint(
                condition=(models.Q(person__isnull=False) & models.Q(guest_name=""))
                | (models.Q(person__isnull=True) & ~models.Q(guest_name="")),
                name="invitation_person_or_guest",
                violation_error_message=_(
                    "Undangan untuk orang dari daftar atau tamu (isi nama tamu), bukan keduanya."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(response="diwakilkan") | ~models.Q(delegate_name=""),
                name="invitation_delegate_named",
                violation_error_message=_("Sebutkan nama yang mewakili."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} — {self.meeting}"

    @property
    def is_guest(self) -> bool:
        return self.person_id is None

    @property
    def name(self) -> str:
        return self.person.name if self.person_id else self.guest_name

    @property
    def institution_label(self) -> str:
        if self.person_id:
            return self.person.institution.short_name or self.person.institution.name
        return self.guest_institution

    @property
    def position_label(self) -> str:
        return self.person.position if self.person_id else self.guest_position

    @property
    def email(self) -> str:
        return self.person.email if self.person_id else self.guest_email


class Attendance(models.Model):
    """What the check-in list recorded for one invitation on the day."""

    class Status(models.TextChoices):
        PRESENT = "hadir", _("Hadir")
        LATE = "terlambat", _("Terlambat")
        ABSENT = "tidak_hadir", _("Tidak hadir")
        REPRESENTED = "diwakili", _("Diwakili")

    PRESENT_STATUSES = (Status.PRESENT, Status.LATE, Status.REPRESENTED)

    invitation = models.OneToOneField(
        Invitation, verbose_name=_("undangan"), on_delete=models.CASCADE, related_name="attendance"
    )
    status = models.CharField(_("kehadiran"), max_length=12, choices=Status.choices)
    representative_name = models.CharField(_("diwakili oleh"), max_length=200, blank=True)
    arrived_at = models.DateTimeField(_("waktu datang"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("dicatat"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["invitation"]
        verbose_name = _("kehadiran")
        verbose_name_plural = _("kehadiran")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="diwakili") | ~models.Q(representative_name=""),
                name="attendance_representative_named",
                violation_error_message=_("Sebutkan nama yang mewakili."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.invitation.name}: {self.get_status_display()}"

    @property
    def counts_as_present(self) -> bool:
        return self.status in self.PRESENT_STATUSES


class Minutes(models.Model):
    """The notulen of one meeting. Draft until the chair approves it; read-only afterwards."""

    class Status(models.TextChoices):
        DRAFT = "draf", _("Draf")
        APPROVED = "disetujui", _("Disetujui")

    meeting = models.OneToOneField(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="minutes")
    note_taker = models.CharField(_("notulis"), max_length=200, blank=True)
    opening = models.TextField(_("pembukaan"), blank=True)
    discussion = models.TextField(_("jalannya rapat dan pembahasan"), blank=True)
    conclusions = models.TextField(_("kesimpulan"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    approved_by = models.ForeignKey(
        Person, verbose_name=_("disetujui oleh"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("disetujui"), null=True, blank=True)
    approval_recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("persetujuan dicatat oleh"), null=True, blank=True,
        on_delete=models.SET_NULL, related_name="+",
    )
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("notulen")
        verbose_name_plural = _("notulen")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status="draf")
                | (models.Q(approved_by__isnull=False) & models.Q(approved_at__isnull=False)),
                name="minutes_approval_complete",
                violation_error_message=_("Notulen yang disetujui harus mencatat siapa dan kapan menyetujui."),
            ),
        ]

    def __str__(self) -> str:
        return _("Notulen %(meeting)s") % {"meeting": self.meeting}

    @property
    def is_approved(self) -> bool:
        return self.status == self.Status.APPROVED


class Resolution(models.Model):
    """A numbered conclusion or recommendation (rumusan/rekomendasi)."""

    class Kind(models.TextChoices):
        RUMUSAN = "rumusan", _("Rumusan")
        REKOMENDASI = "rekomendasi", _("Rekomendasi")

    meeting = models.ForeignKey(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="resolutions")
    number = models.PositiveSmallIntegerField(_("nomor"))
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.RUMUSAN)
    text = models.TextField(_("isi"))
    history = HistoricalRecords()

    class Meta:
        ordering = ["meeting", "number"]
        verbose_name = _("rumusan/rekomendasi")
        verbose_name_plural = _("rumusan/rekomendasi")
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="resolution_unique_number",
                violation_error_message=_("Nomor rumusan ini sudah dipakai dalam rapat ini."),
            ),
            models.CheckConstraint(
                condition=models.Q(number__gte=1), name="resolution_number_positive",
                violation_error_message=_("Nomor rumusan dimulai dari 1."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


class ActionItem(models.Model):
    """A follow-up (tindak lanjut) agreed in a meeting, optionally under one resolution."""

    class Status(models.TextChoices):
        OPEN = "terbuka", _("Terbuka")
        IN_PROGRESS = "dalam_proses", _("Dalam proses")
        DONE = "selesai", _("Selesai")
        CANCELLED = "dibatalkan", _("Dibatalkan")

    CLOSED_STATUSES = (Status.DONE, Status.CANCELLED)

    meeting = models.ForeignKey(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="action_items")
    resolution = models.ForeignKey(
        Resolution, verbose_name=_("rumusan"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="action_items",
    )
    description = models.TextField(_("uraian tindak lanjut"))
    owner_person = models.ForeignKey(
        Person, verbose_name=_("penanggung jawab"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="action_items",
    )
    owner_institution = models.ForeignKey(
        Institution, verbose_name=_("instansi penanggung jawab"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="meeting_action_items",
    )
    due_date = models.DateField(_("batas waktu"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.OPEN)
    completion_note = models.TextField(_("catatan penyelesaian"), blank=True)
    completed_at = models.DateTimeField(_("diselesaikan"), null=True, blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ActionItemQuerySet.as_manager()

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(owner_person__isnull=False) | models.Q(owner_institution__isnull=False),
                name="actionitem_has_owner",
                violation_error_message=_("Tentukan penanggung jawab: orang dan/atau instansi."),
            ),
            models.CheckConstraint(
                condition=~models.Q(status="selesai") | models.Q(completed_at__isnull=False),
                name="actionitem_done_has_time",
                violation_error_message=_("Tindak lanjut yang selesai harus mencatat waktu penyelesaian."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="actionitem_status_due"),
            # The overdue list (open items by due date, the first page of 50) and its count read this
            # index in order and stop; without it the 20,000 items were joined and sorted (66 ms).
            models.Index(fields=["due_date", "id"], include=["meeting"], name="actionitem_open_due",
                         condition=~models.Q(status__in=["selesai", "dibatalkan"])),
            models.Index(fields=["owner_person", "status"], name="actionitem_owner_status"),
        ]

    def __str__(self) -> str:
        return self.description[:80]

    def get_absolute_url(self) -> str:
        return reverse("meetings:action_item_detail", args=[self.pk])

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES

    @property
    def owner_label(self) -> str:
        parts = []
        if self.owner_person_id:
            parts.append(self.owner_person.name)
        if self.owner_institution_id:
            parts.append(self.owner_institution.short_name or self.owner_institution.name)
        return " — ".join(parts)

    def is_overdue(self, today=None) -> bool:
        return not self.is_closed and self.due_date < (today or timezone.localdate())


class ActionItemNote(models.Model):
    """A progress note on an action item (who, when, what; optionally the status it moved to)."""

    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("tindak lanjut"), on_delete=models.CASCADE, related_name="notes"
    )
    text = models.TextField(_("catatan kemajuan"))
    status_after = models.CharField(_("status menjadi"), max_length=12, choices=ActionItem.Status.choices, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("penulis"), null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ditulis"), default=timezone.now)

    class Meta:
        ordering = ["action_item", "created_at", "id"]
        verbose_name = _("catatan kemajuan")
        verbose_name_plural = _("catatan kemajuan")

    def __str__(self) -> str:
        return self.text[:80]


class MeetingDocument(PrivateFile):
    """A file of the meeting (materials, signed attendance sheet, photos); core ``PrivateFile``."""

    upload_folder = "meetings/documents"

    meeting = models.ForeignKey(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("judul dokumen"), max_length=255)

    class Meta:
        ordering = ["meeting", "uploaded_at", "id"]
        verbose_name = _("dokumen rapat")
        verbose_name_plural = _("dokumen rapat")

    def __str__(self) -> str:
        return self.title


class ActionItemEvidence(PrivateFile):
    """A file proving completion of an action item; core ``PrivateFile``."""

    upload_folder = "meetings/evidence"

    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("tindak lanjut"), on_delete=models.CASCADE, related_name="evidence"
    )

    class Meta:
        ordering = ["action_item", "uploaded_at", "id"]
        verbose_name = _("bukti penyelesaian")
        verbose_name_plural = _("bukti penyelesaian")


class MeetingDelivery(Delivery):
    """One email of the meetings app, sent exactly once (core ``deliver``): an invitation, a change or
    cancellation notice, or a reminder, per meeting, recipient and kind. ``dedupe_key`` spells the
    whole key ("<kind>:<meeting>:<recipient>:<revision, day or week>") under one unique constraint."""

    class Kind(models.TextChoices):
        INVITATION = "undangan", _("Undangan")
        CHANGE = "perubahan", _("Perubahan jadwal")
        CANCELLATION = "pembatalan", _("Pembatalan")
        RSVP_REMINDER = "pengingat_jawaban", _("Pengingat jawaban undangan")
        ATTENDEE_REMINDER = "pengingat_rapat", _("Pengingat rapat")
        DUE_REMINDER = "pengingat_tenggat", _("Pengingat batas waktu tindak lanjut")
        OVERDUE = "terlambat", _("Tindak lanjut terlambat")

    dedupe_key = models.CharField(_("kunci"), max_length=200)
    kind = models.CharField(_("jenis"), max_length=20, choices=Kind.choices)
    meeting = models.ForeignKey(Meeting, verbose_name=_("rapat"), on_delete=models.CASCADE, related_name="deliveries")
    invitation = models.ForeignKey(
        Invitation, verbose_name=_("undangan"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    action_item = models.ForeignKey(
        ActionItem, verbose_name=_("tindak lanjut"), null=True, blank=True, on_delete=models.CASCADE,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("pengiriman email rapat")
        verbose_name_plural = _("pengiriman email rapat")
        constraints = [models.UniqueConstraint(fields=["dedupe_key"], name="meetingdelivery_once")]

    def __str__(self) -> str:
        return self.dedupe_key
