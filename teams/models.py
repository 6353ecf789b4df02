"""The organisation: regions, institutions, people (and, with the teams capability, teams).

Region codes follow Kepmendagri No. 300.2.2-2430 Tahun 2025; see ``teams/data/README.md``.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from kesbang.core.models import Delivery, PrivateFile
from teams.querysets import (
    ActionPlanQuerySet,
    ActivityPeriodQuerySet,
    ActivityQuerySet,
    EvidenceQuerySet,
    MembershipQuerySet,
    PersonQuerySet,
    TeamQuerySet,
)

nip_validator = RegexValidator(
    r"^\d{18}$", _("NIP harus terdiri dari 18 angka tanpa spasi."), code="invalid_nip"
)
region_code_validator = RegexValidator(
    r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$",
    _("Kode wilayah tidak sah; contoh: 19, 19.71, 19.71.01, 19.71.01.1004."),
    code="invalid_region_code",
)


class Region(models.Model):
    """A wilayah: province, regency/city, kecamatan or desa/kelurahan, by its Kemendagri code."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")
        KECAMATAN = "kecamatan", _("Kecamatan")
        KELURAHAN = "kelurahan", _("Kelurahan")
        DESA = "desa", _("Desa")

    code = models.CharField(_("kode"), max_length=13, unique=True, validators=[region_code_validator])
    name = models.CharField(_("nama"), max_length=120)
    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices, db_index=True)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("induk"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )

    class Meta:
        ordering = ["code"]
        verbose_name = _("wilayah")
        verbose_name_plural = _("wilayah")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="provinsi", parent__isnull=True)
                | (~models.Q(level="provinsi") & models.Q(parent__isnull=False)),
                name="region_parent_matches_level",
                violation_error_message=_("Hanya provinsi yang tidak memiliki wilayah induk."),
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def is_province(self) -> bool:
        return self.level == self.Level.PROVINSI

    @classmethod
    def office_province(cls) -> "Region | None":
        """The province this office serves (``KESBANG_PROVINCE_CODE``): the scheduled reports, the
        national package and ``build_report`` are its own, whatever other provinces are loaded."""
        return cls.objects.filter(level=cls.Level.PROVINSI, code=settings.KESBANG_PROVINCE_CODE).first()

    @property
    def is_regency(self) -> bool:
        return self.level in (self.Level.KABUPATEN, self.Level.KOTA)

    @property
    def province_code(self) -> str:
        return self.code[:2]


class Institution(models.Model):
    """An instansi that sends people to the teams: Kesbangpol, Polda, Korem, Kejati, BIN Daerah ..."""

    class Kind(models.TextChoices):
        KESBANGPOL = "kesbangpol", _("Kesbangpol")
        PEMDA = "pemda", _("Pemerintah daerah")
        POLRI = "polri", _("Kepolisian (Polda/Polres)")
        TNI = "tni", _("TNI (Korem/Kodim/Lanal/Lanud)")
        KEJAKSAAN = "kejaksaan", _("Kejaksaan (Kejati/Kejari)")
        INTELIJEN = "intelijen", _("BIN Daerah")
        KEMHAN = "kemhan", _("Kementerian Pertahanan")
        KEMENAG = "kemenag", _("Kementerian Agama")
        DINAS = "dinas", _("Dinas/Badan daerah")
        FORUM = "forum", _("Forum masyarakat (FKUB, FPK, FKDM)")
        LAINNYA = "lainnya", _("Lainnya")

    name = models.CharField(_("nama"), max_length=200, unique=True)
    short_name = models.CharField(_("singkatan"), max_length=60, blank=True)
    kind = models.CharField(_("jenis"), max_length=12, choices=Kind.choices, default=Kind.LAINNYA)
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="institutions",
        help_text=_("Wilayah kerja instansi (provinsi atau kabupaten/kota)."),
    )
    address = models.CharField(_("alamat"), max_length=255, blank=True)
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("instansi")
        verbose_name_plural = _("instansi")

    def __str__(self) -> str:
        return self.short_name or self.name


class Person(models.Model):
    """Somebody the office works with. A login's data scope is its person's region."""

    name = models.CharField(
        _("nama lengkap dan gelar"), max_length=200, help_text=_('Tulis seperti aslinya, mis. "Drs. H. Tarmin, M.Si."')
    )
    nip = models.CharField(_("NIP"), max_length=18, blank=True, validators=[nip_validator])
    position = models.CharField(_("jabatan"), max_length=200, blank=True)
    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), on_delete=models.PROTECT, related_name="people"
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("wilayah tugas"),
        on_delete=models.PROTECT,
        related_name="people",
        help_text=_("Menentukan cakupan data akun: provinsi melihat semua kabupaten/kota."),
    )
    phone = models.CharField(_("telepon"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("akun"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )
    history = HistoricalRecords()

    objects = PersonQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("orang")
        verbose_name_plural = _("orang")
        constraints = [
            models.UniqueConstraint(
                fields=["nip"],
                condition=~models.Q(nip=""),
                name="person_unique_nip",
                violation_error_message=_("NIP ini sudah terdaftar untuk orang lain."),
            )
        ]
        indexes = [models.Index(fields=["institution", "name"], name="person_institution_name")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:person_detail", args=[self.pk])


class Team(models.Model):
    """A Tim Terpadu Penanganan Konflik Sosial of the province or of one regency/city."""

    class Level(models.TextChoices):
        PROVINSI = "provinsi", _("Provinsi")
        KABUPATEN = "kabupaten", _("Kabupaten")
        KOTA = "kota", _("Kota")

    class Status(models.TextChoices):
        AKTIF = "aktif", _("Aktif")
        BERAKHIR = "berakhir", _("Berakhir")

    level = models.CharField(_("tingkat"), max_length=10, choices=Level.choices)
    region = models.ForeignKey(Region, verbose_name=_("wilayah"), on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(_("nama tim"), max_length=255)
    decree_number = models.CharField(_("nomor SK"), max_length=120)
    decree_date = models.DateField(_("tanggal SK"))
    decree_signed_by = models.CharField(_("ditandatangani oleh"), max_length=200, blank=True)
    period_start = models.DateField(_("masa tugas mulai"))
    period_end = models.DateField(_("masa tugas berakhir"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.AKTIF)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    history = HistoricalRecords()

    objects = TeamQuerySet.as_manager()

    # Constraints added by a migration only (PostgreSQL), with the message validated_save shows.
    extra_constraint_messages = {
        "team_no_overlapping_active": _(
            "Wilayah ini sudah memiliki tim aktif pada masa tugas yang bertumpang tindih."
        ),
    }

    class Meta:
        ordering = ["region__code", "-period_start"]
        verbose_name = _("tim terpadu")
        verbose_name_plural = _("tim terpadu")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(period_end__isnull=True) | models.Q(period_end__gte=models.F("period_start")),
                name="team_period_ordered",
                violation_error_message=_("Akhir masa tugas tidak boleh sebelum awalnya."),
            ),
        ]
        # On PostgreSQL, migration 0004 adds the exclusion constraint "team_no_overlapping_active":
        # no two active teams of one region with overlapping periods. Team.clean() states the same
        # rule with a readable message on every database.

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("teams:team_detail", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.AKTIF

    def overlapping_active_teams(self):
        if self.status != self.Status.AKTIF or not self.region_id or not self.period_start:
            return Team.objects.none()
        qs = Team.objects.filter(region_id=self.region_id, status=self.Status.AKTIF).exclude(pk=self.pk)
        if self.period_end:
            qs = qs.filter(period_start__lte=self.period_end)
        return qs.filter(models.Q(period_end__isnull=True) | models.Q(period_end__gte=self.period_start))

    def clean(self) -> None:
        from django.core.exceptions import ValidationError

        errors = {}
        if self.region_id:
            expected = {
                Region.Level.PROVINSI: self.Level.PROVINSI,
                Region.Level.KABUPATEN: self.Level.KABUPATEN,
                Region.Level.KOTA: self.Level.KOTA,
            }.get(self.region.level)
            if expected is None:
                errors["region"] = _("Tim terpadu dibentuk untuk provinsi atau kabupaten/kota.")
            elif self.level != expected:
                errors["level"] = _("Tingkat tim harus %(level)s untuk wilayah ini.") % {
                    "level": self.Level(expected).label
                }
        if self.period_start and self.period_end and self.period_end < self.period_start:
            errors["period_end"] = _("Akhir masa tugas tidak boleh sebelum awalnya.")
        elif not errors:
            other = self.overlapping_active_teams().first()
            if other is not None:
                errors["period_start"] = _(
                    "Wilayah ini sudah memiliki tim aktif pada masa tugas yang bertumpang tindih: %(team)s (SK %(sk)s)."
                ) % {"team": other.name, "sk": other.decree_number}
        if errors:
            raise ValidationError(errors)


class Membership(models.Model):
    """A person's seat on a team. Ending keeps the row as history (riwayat keanggotaan)."""

    class Role(models.TextChoices):
        KETUA = "ketua", _("Ketua")
        WAKIL_KETUA = "wakil_ketua", _("Wakil Ketua")
        SEKRETARIS = "sekretaris", _("Sekretaris")
        KOORDINATOR_PENCEGAHAN = "koord_pencegahan", _("Koordinator Bidang Pencegahan")
        KOORDINATOR_PENGHENTIAN = "koord_penghentian", _("Koordinator Bidang Penghentian")
        KOORDINATOR_PEMULIHAN = "koord_pemulihan", _("Koordinator Bidang Pemulihan")
        ANGGOTA = "anggota", _("Anggota")

    # Display and print order of the roles (lampiran SK order).
    ROLE_ORDER = [r.value for r in Role]
    SINGLE_ROLES = {Role.KETUA, Role.SEKRETARIS}

    team = models.ForeignKey(Team, verbose_name=_("tim"), on_delete=models.CASCADE, related_name="memberships")
    person = models.ForeignKey(Person, verbose_name=_("orang"), on_delete=models.PROTECT, related_name="memberships")
    role = models.CharField(_("kedudukan dalam tim"), max_length=20, choices=Role.choices, default=Role.ANGGOTA)
    start_date = models.DateField(_("mulai"))
    end_date = models.DateField(_("berakhir"), null=True, blank=True)
    decree_number = models.CharField(_("SK pengangkatan"), max_length=120, blank=True)
    end_reason = models.CharField(_("alasan berakhir"), max_length=255, blank=True)
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("menggantikan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaced_by",
    )
    history = HistoricalRecords()

    objects = MembershipQuerySet.as_manager()

    class Meta:
        ordering = ["team", "end_date", "start_date", "id"]
        verbose_name = _("keanggotaan")
        verbose_name_plural = _("keanggotaan")
        constraints = [
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(role="ketua", end_date__isnull=True),
                name="membership_one_active_ketua",
                violation_error_message=_("Tim ini sudah memiliki Ketua aktif."),
            ),
            models.UniqueConstraint(
                fields=["team"],
                condition=models.Q(role="sekretaris", end_date__isnull=True),
                name="membership_one_active_sekretaris",
                violation_error_message=_("Tim ini sudah memiliki Sekretaris aktif."),
            ),
            models.UniqueConstraint(
                fields=["team", "person"],
                condition=models.Q(end_date__isnull=True),
                name="membership_person_once_per_team",
                violation_error_message=_("Orang ini sudah menjadi anggota aktif tim ini."),
            ),
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True) | models.Q(end_date__gte=models.F("start_date")),
                name="membership_dates_ordered",
                violation_error_message=_("Tanggal berakhir tidak boleh sebelum tanggal mulai."),
            ),
        ]
        indexes = [models.Index(fields=["team", "end_date"], name="membership_team_active")]

    def __str__(self) -> str:
        return f"{self.person} — {self.get_role_display()} ({self.team})"

    @property
    def is_active(self) -> bool:
        return self.end_date is None

    @property
    def role_rank(self) -> int:
        return self.ROLE_ORDER.index(self.role)


class Phase(models.TextChoices):
    """The three fields of conflict handling under UU 7/2012."""

    PENCEGAHAN = "pencegahan", _("Pencegahan")
    PENGHENTIAN = "penghentian", _("Penghentian")
    PEMULIHAN = "pemulihan", _("Pemulihan")


class Period(models.TextChoices):
    """Kemendagri's four-monthly reporting periods."""

    B04 = "B04", _("B04 (Januari–April)")
    B08 = "B08", _("B08 (Mei–Agustus)")
    B12 = "B12", _("B12 (September–Desember)")

    @classmethod
    def last_month(cls, period: str) -> int:
        return {"B04": 4, "B08": 8, "B12": 12}[period]


class ActionPlan(models.Model):
    """Rencana Aksi Terpadu of one team for one year."""

    team = models.ForeignKey(Team, verbose_name=_("tim"), on_delete=models.CASCADE, related_name="action_plans")
    year = models.PositiveSmallIntegerField(_("tahun"))
    legal_basis_number = models.CharField(_("nomor dasar hukum"), max_length=120, blank=True)
    legal_basis_date = models.DateField(_("tanggal dasar hukum"), null=True, blank=True)
    notes = models.TextField(_("catatan"), blank=True)
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    history = HistoricalRecords()

    objects = ActionPlanQuerySet.as_manager()

    class Meta:
        ordering = ["-year", "team__region__code"]
        verbose_name = _("rencana aksi terpadu")
        verbose_name_plural = _("rencana aksi terpadu")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "year"],
                name="actionplan_one_per_team_year",
                violation_error_message=_("Tim ini sudah memiliki Rencana Aksi untuk tahun tersebut."),
            ),
            models.CheckConstraint(
                condition=models.Q(year__gte=2000, year__lte=2100),
                name="actionplan_year_range",
                violation_error_message=_("Tahun harus antara 2000 dan 2100."),
            ),
        ]

    def __str__(self) -> str:
        return _("Rencana Aksi %(team)s %(year)s") % {"team": self.team, "year": self.year}

    def get_absolute_url(self) -> str:
        return reverse("teams:plan_detail", args=[self.pk])


class Activity(models.Model):
    """One activity of an action plan, with a target and realisation per period (ActivityPeriod)."""

    plan = models.ForeignKey(
        ActionPlan, verbose_name=_("rencana aksi"), on_delete=models.CASCADE, related_name="activities"
    )
    phase = models.CharField(_("tahap"), max_length=12, choices=Phase.choices)
    number = models.PositiveSmallIntegerField(_("nomor urut"), default=1)
    name = models.CharField(_("kegiatan"), max_length=500)
    indicator = models.CharField(_("indikator"), max_length=500, blank=True)
    unit = models.CharField(_("satuan"), max_length=50, default="kegiatan")
    responsible_institution = models.ForeignKey(
        Institution, verbose_name=_("instansi penanggung jawab"), on_delete=models.PROTECT, related_name="activities"
    )
    budget = models.DecimalField(_("anggaran (Rp)"), max_digits=16, decimal_places=2, null=True, blank=True)
    budget_source = models.CharField(_("sumber anggaran"), max_length=120, blank=True)
    history = HistoricalRecords()

    objects = ActivityQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "phase", "number", "id"]
        verbose_name = _("kegiatan rencana aksi")
        verbose_name_plural = _("kegiatan rencana aksi")

    def __str__(self) -> str:
        return self.name


class ActivityPeriod(models.Model):
    """Target and realisation of one activity in one period (B04/B08/B12)."""

    activity = models.ForeignKey(Activity, verbose_name=_("kegiatan"), on_delete=models.CASCADE, related_name="periods")
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    target = models.DecimalField(_("target"), max_digits=12, decimal_places=2, default=0)
    realisation = models.DecimalField(_("realisasi"), max_digits=12, decimal_places=2, null=True, blank=True)
    narrative = models.TextField(_("uraian realisasi"), blank=True)
    reported_at = models.DateTimeField(_("dilaporkan"), null=True, blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("pelapor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    objects = ActivityPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["activity", "period"]
        verbose_name = _("target dan realisasi periode")
        verbose_name_plural = _("target dan realisasi periode")
        constraints = [
            models.UniqueConstraint(fields=["activity", "period"], name="activityperiod_unique"),
            models.CheckConstraint(
                condition=models.Q(target__gte=0) & (models.Q(realisation__isnull=True) | models.Q(realisation__gte=0)),
                name="activityperiod_non_negative",
                violation_error_message=_("Target dan realisasi tidak boleh negatif."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.activity} — {self.period}"

    @property
    def achievement(self):
        """Achievement % of this period (None when there is no target), capped at 100."""
        from decimal import Decimal

        if not self.target:
            return None
        return min(Decimal(100), (self.realisation or Decimal(0)) * 100 / self.target).quantize(Decimal("0.1"))


def evidence_upload_to(instance, filename: str) -> str:  # referenced by migration 0003 only
    import uuid
    from pathlib import PurePath

    return f"evidence/{instance.activity_period.activity.plan_id}/{uuid.uuid4().hex}{PurePath(filename).suffix.lower()}"


class Evidence(PrivateFile):
    """A file proving a realisation (core ``PrivateFile``: private media, a permission-checked view)."""

    upload_folder = "evidence"

    activity_period = models.ForeignKey(
        ActivityPeriod, verbose_name=_("periode kegiatan"), on_delete=models.CASCADE, related_name="evidence"
    )

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["uploaded_at"]
        verbose_name = _("bukti realisasi")
        verbose_name_plural = _("bukti realisasi")


class ReportingDeadline(models.Model):
    """Deadline of one period's realisation report in one year. Without a row the default is
    ``settings.ACTION_PLAN_DEADLINE_DAYS`` days after the period ends."""

    year = models.PositiveSmallIntegerField(_("tahun"))
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    due_date = models.DateField(_("batas waktu"))

    class Meta:
        ordering = ["year", "period"]
        verbose_name = _("batas waktu pelaporan")
        verbose_name_plural = _("batas waktu pelaporan")
        constraints = [models.UniqueConstraint(fields=["year", "period"], name="reportingdeadline_unique")]

    def __str__(self) -> str:
        return f"{self.period} {self.year}: {self.due_date:%d-%m-%Y}"


class PlanReminderLog(Delivery):
    """One action-plan reminder: plan, period, institution, days before the deadline.

    A core ``Delivery`` (claim-before-send): the unique constraint over the key is what makes the
    reminder task send each reminder exactly once; ``status`` says whether it went out."""

    plan = models.ForeignKey(ActionPlan, on_delete=models.CASCADE, related_name="reminders")
    period = models.CharField(_("periode"), max_length=3, choices=Period.choices)
    institution = models.ForeignKey(Institution, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField(_("hari sebelum batas"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("log pengingat rencana aksi")
        verbose_name_plural = _("log pengingat rencana aksi")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period", "institution", "days_before"], name="planreminderlog_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.plan} {self.period} {self.institution} H-{self.days_before}"
