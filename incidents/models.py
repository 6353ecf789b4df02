"""Incident and conflict-potential reports (UU 7/2012 early warning), from first report to closure.

- ``Category``: the admin-editable taxonomy, seeded with the SNPK categories and their issue sub-types.
- ``Incident``: one report: a potential (potensi konflik) or an open conflict (peristiwa konflik),
  with its place, source, category, parties, impact, classification, workflow status and handling team.
- ``IncidentTransition``: every workflow step, who and when (one row per transition service call).
- ``FollowUp``: the handling timeline (tindak lanjut).
- ``ConflictStatus``: a declared Status Keadaan Konflik (at most 90 days).
- ``Attachment``: photos and documents, private files served through a permission-checked view.
- ``ReferenceCounter``: the per regency/city and year sequence behind the reference numbers.
- ``PublicReport`` and ``PublicReportPhoto``: reports from the public (``/lapor/``, no account) waiting
  for triage by the verifiers (``incidents.intake``), with a tracking code for the reporter.
- Delivery records (exactly-once emails) live in ``incidents.deliveries`` models below.

Authorisation is ``Incident.objects.restrict(user, action)`` (see ``IncidentQuerySet``).
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q, Subquery
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from incidents.classification import hidden_classes_q
from kesbang.core.models import PrivateFile
from kesbang.core.querysets import RestrictedQuerySet
from teams.models import Institution, Person, Phase, Region, Team

MAX_CONFLICT_STATUS_DAYS = 90


class Category(models.Model):
    """A category of the SNPK taxonomy (``parent`` empty) or an issue sub-type under one."""

    name = models.CharField(_("nama"), max_length=120)
    parent = models.ForeignKey(
        "self", verbose_name=_("kategori induk"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="children",
    )
    social_conflict = models.BooleanField(
        _("konflik sosial"), default=True,
        help_text=_("Kosongkan untuk kategori di luar konflik sosial (kriminalitas, KDRT) yang tetap dicatat."),
    )
    sort_order = models.PositiveSmallIntegerField(_("urutan"), default=0)
    is_active = models.BooleanField(_("aktif"), default=True)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("kategori insiden")
        verbose_name_plural = _("kategori insiden")
        constraints = [
            models.UniqueConstraint(
                fields=["parent", "name"], name="category_unique_name_per_parent",
                violation_error_message=_("Nama kategori ini sudah ada."),
            ),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="category_unique_top_name",
                violation_error_message=_("Nama kategori ini sudah ada."),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class IncidentQuerySet(RestrictedQuerySet):
    """``restrict(user, action)``: the incidents a login may see ("view") or manage ("change").

    The one authorisation model of the project: the login's permissions (granted to its groups by
    ``kesbang.accounts.roles``), its scope (``teams.access.scope_of``) and the classification policy; no role
    name is tested here.

    - "view" (``incidents.view_incident``): every region for a province-wide scope, the regency/city
      for a regency scope, the incidents handled by a team it sits on for a team scope, and its own.
    - Classes (``incidents.classification.CLEARANCE``): ``terbatas`` needs
      ``incidents.view_terbatas_incident`` (not the Administrator role), ``rahasia``
      ``incidents.view_rahasia_incident`` (Pimpinan and Staf Provinsi); the reporter always reads its
      own (superusers read everything).
    - Drafts: only their reporter.
    - "change": ``incidents.change_incident`` manages the readable non-drafts of its scope;
      ``incidents.add_incident`` alone (Anggota Tim) changes only its own reports while draf/dilaporkan.
    Anonymous logins and logins without ``incidents.view_incident`` (no role) see nothing. Never raises
    Http404 (views turn "absent" into 404).
    """

    def _restrict(self, user, action: str):
        from teams.access import scope_of

        if not user.has_perm("incidents.view_incident"):
            return self.none()
        own = Q(reporter=user)
        # The classes the login's roles may not read (incidents.classification, the one policy).
        hidden = hidden_classes_q(user)
        not_draft = ~Q(status=Incident.Status.DRAF)
        scope = scope_of(user)
        if action == "view":
            visible = None  # Q() | x is just x (teams.access): build the alternatives explicitly
            if scope.all_regions:
                visible = not_draft
            elif scope.regency_code:
                visible = not_draft & Q(region_id=_regency_id(scope.regency_code))
            if scope.teams:
                team_q = not_draft & Q(handling_team__in=_active_team_ids(user))
                visible = team_q if visible is None else visible | team_q
            if visible is None:
                return self.filter(own)
            if hidden is not None:
                visible &= hidden
            return self.filter(visible | own)
        # change
        manage = None
        if user.has_perm("incidents.change_incident"):
            if scope.all_regions:
                manage = not_draft
            elif scope.regency_code:
                manage = not_draft & Q(region_id=_regency_id(scope.regency_code))
        if manage is not None and hidden is not None:
            manage &= hidden
        own_editable = None
        if user.has_perm("incidents.add_incident"):
            own_editable = own & Q(status__in=[Incident.Status.DRAF, Incident.Status.DILAPORKAN])
        if manage is None and own_editable is None:
            return self.none()
        if manage is None or own_editable is None:
            return self.filter(manage if own_editable is None else own_editable)
        return self.filter(manage | own_editable)


def reads_every_incident(user) -> bool:
    """True when ``restrict(user, "view")`` is every non-draft incident (plus the login's own drafts):
    superusers, and province-wide logins cleared for every class (today Pimpinan, Staf Provinsi). Callers
    that cache figures over non-draft incidents may share them between such logins."""
    from incidents.classification import CLASSES, readable_classes
    from teams.access import scope_of

    if getattr(user, "is_superuser", False):
        return True
    return readable_classes(user) == frozenset(CLASSES) and scope_of(user).all_regions


def _regency_id(regency_code: str):
    """The regency/city row's id (an incident's ``region`` is always a regency/city) as a scalar
    subquery: ``region_id = (SELECT …)`` is an InitPlan whose value the incident table's indexes take as
    a condition, even OR-ed with the login's own reports (a bitmap OR of two index scans: 0.5 ms
    for a regency's count in a national database). ``region_id IN (SELECT …)`` became a hashed
    subplan there, filtered row by row over every incident of the country (``make bench-explain``)."""
    return Subquery(Region.objects.filter(code=regency_code).values("id")[:1])


def _active_team_ids(user):
    from teams.models import Membership

    return Membership.objects.filter(person__user=user, end_date__isnull=True).values("team_id")


class Incident(models.Model):
    """A report of a conflict potential or of an open conflict."""

    class Kind(models.TextChoices):
        POTENSI = "potensi", _("Potensi konflik")
        PERISTIWA = "peristiwa", _("Peristiwa konflik")

    class Status(models.TextChoices):
        DRAF = "draf", _("Draf")
        DILAPORKAN = "dilaporkan", _("Dilaporkan")
        TERVERIFIKASI = "terverifikasi", _("Terverifikasi")
        DITANGANI = "ditangani", _("Ditangani")
        PEMULIHAN = "pemulihan", _("Pemulihan")
        SELESAI = "selesai", _("Selesai")
        DITOLAK = "ditolak", _("Ditolak")

    OPEN_STATUSES = ("dilaporkan", "terverifikasi", "ditangani", "pemulihan")

    class Source(models.TextChoices):
        """UU 7/2012 Pasal 5."""

        POLITIK = "politik", _("Politik")
        EKONOMI = "ekonomi", _("Ekonomi")
        SOSIAL_BUDAYA = "sosial_budaya", _("Sosial budaya")
        SARA = "sara", _("Antarumat beragama / antarsuku / antaretnis")
        BATAS_WILAYAH = "batas_wilayah", _("Sengketa batas wilayah")
        SDA = "sda", _("Sengketa sumber daya alam")
        DISTRIBUSI_SDA = "distribusi_sda", _("Distribusi sumber daya alam tidak seimbang")

    class ViolenceForm(models.TextChoices):
        DEMONSTRASI = "demonstrasi", _("Demonstrasi")
        BLOKADE = "blokade", _("Blokade")
        KERUSUHAN = "kerusuhan", _("Kerusuhan")
        BENTROKAN = "bentrokan", _("Bentrokan")
        PERKELAHIAN = "perkelahian", _("Perkelahian")
        PENGEROYOKAN = "pengeroyokan", _("Pengeroyokan")
        SERANGAN_TEROR = "serangan_teror", _("Serangan teror")
        PENGRUSAKAN = "pengrusakan", _("Pengrusakan")
        PENGANIAYAAN = "penganiayaan", _("Penganiayaan")
        SWEEPING = "sweeping", _("Sweeping")
        PENCULIKAN = "penculikan", _("Penculikan")
        PERAMPOKAN = "perampokan", _("Perampokan")
        TANPA_KEKERASAN = "tanpa_kekerasan", _("Belum ada kekerasan")
        LAINNYA = "lainnya", _("Lainnya")
        TIDAK_JELAS = "tidak_jelas", _("Tidak jelas")

    class Severity(models.TextChoices):
        RENDAH = "rendah", _("Rendah")
        SEDANG = "sedang", _("Sedang")
        TINGGI = "tinggi", _("Tinggi")
        KRITIS = "kritis", _("Kritis")

    SEVERITY_RANK = {"rendah": 1, "sedang": 2, "tinggi": 3, "kritis": 4}

    class Precision(models.TextChoices):
        EXACT = "tepat", _("Tanggal tepat")
        WEEK = "minggu", _("Dalam minggu itu")
        MONTH = "bulan", _("Dalam bulan itu")

    class InfoSource(models.TextChoices):
        ANGGOTA_TIM = "anggota_tim", _("Anggota tim")
        MASYARAKAT = "masyarakat", _("Masyarakat")
        MEDIA = "media", _("Media")
        INTELIJEN = "intelijen", _("Intelijen")
        APARAT = "aparat", _("Aparat")

    class Classification(models.TextChoices):
        BIASA = "biasa", _("Biasa")
        TERBATAS = "terbatas", _("Terbatas")
        RAHASIA = "rahasia", _("Rahasia")

    class ActorType(models.TextChoices):
        WARGA = "warga", _("Warga")
        KELOMPOK_MASYARAKAT = "kelompok", _("Kelompok masyarakat/adat")
        NELAYAN = "nelayan", _("Nelayan")
        PENAMBANG = "penambang", _("Penambang")
        PERUSAHAAN = "perusahaan", _("Perusahaan swasta")
        PEMERINTAH = "pemerintah", _("Afiliasi pemerintah")
        PARTAI = "partai", _("Partai politik/massa pendukung")
        LEMBAGA_PEMILIHAN = "lembaga_pemilihan", _("Lembaga pemilihan")
        AGAMA = "agama", _("Afiliasi agama")
        ORMAS = "ormas", _("Ormas non-keagamaan")
        SERIKAT_BURUH = "buruh", _("Serikat buruh")
        MAHASISWA = "mahasiswa", _("Siswa/mahasiswa")
        LSM = "lsm", _("LSM")
        TNI = "tni", _("TNI")
        POLRI = "polri", _("Polri")
        MILISI = "milisi", _("Milisi")
        TIDAK_JELAS = "tidak_jelas", _("Tidak jelas")
        LAINNYA = "lainnya", _("Lainnya")

    reference = models.CharField(_("nomor"), max_length=32, unique=True, editable=False)
    title = models.CharField(_("judul"), max_length=200)
    chronology = models.TextField(_("kronologi"))
    kind = models.CharField(_("jenis"), max_length=10, choices=Kind.choices, default=Kind.POTENSI)
    escalated_from = models.OneToOneField(
        "self", verbose_name=_("eskalasi dari"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="escalated_to",
    )
    occurred_on = models.DateField(_("tanggal kejadian"))
    occurred_time = models.TimeField(_("jam kejadian"), null=True, blank=True)
    date_precision = models.CharField(
        _("ketepatan tanggal"), max_length=6, choices=Precision.choices, default=Precision.EXACT
    )
    reported_at = models.DateTimeField(_("waktu laporan"), default=timezone.now)
    region = models.ForeignKey(
        Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT, related_name="incidents"
    )
    kecamatan = models.ForeignKey(
        Region, verbose_name=_("kecamatan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    desa = models.ForeignKey(
        Region, verbose_name=_("desa/kelurahan"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    latitude = models.DecimalField(
        _("lintang"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-90), MaxValueValidator(90)],
    )
    longitude = models.DecimalField(
        _("bujur"), max_digits=9, decimal_places=6, null=True, blank=True,
        validators=[MinValueValidator(-180), MaxValueValidator(180)],
    )
    source = models.CharField(_("sumber konflik"), max_length=16, choices=Source.choices)
    category = models.ForeignKey(
        Category, verbose_name=_("kategori"), on_delete=models.PROTECT, related_name="incidents"
    )
    violence_form = models.CharField(
        _("bentuk kekerasan"), max_length=16, choices=ViolenceForm.choices, default=ViolenceForm.TANPA_KEKERASAN
    )
    phase = models.CharField(_("tahap"), max_length=12, choices=Phase.choices, default=Phase.PENCEGAHAN)
    severity = models.CharField(_("tingkat keparahan"), max_length=8, choices=Severity.choices, default=Severity.RENDAH)
    party_a_type = models.CharField(_("jenis pihak pertama"), max_length=20, choices=ActorType.choices, blank=True)
    party_a_name = models.CharField(_("pihak pertama"), max_length=200, blank=True)
    party_a_size = models.PositiveIntegerField(_("perkiraan jumlah pihak pertama"), null=True, blank=True)
    party_b_type = models.CharField(_("jenis pihak kedua"), max_length=20, choices=ActorType.choices, blank=True)
    party_b_name = models.CharField(_("pihak kedua"), max_length=200, blank=True)
    party_b_size = models.PositiveIntegerField(_("perkiraan jumlah pihak kedua"), null=True, blank=True)
    killed = models.PositiveIntegerField(_("meninggal"), default=0)
    injured = models.PositiveIntegerField(_("luka-luka"), default=0)
    missing = models.PositiveIntegerField(_("hilang"), default=0)
    displaced = models.PositiveIntegerField(_("pengungsi"), default=0)
    buildings_damaged = models.PositiveIntegerField(_("bangunan rusak"), default=0)
    buildings_destroyed = models.PositiveIntegerField(_("bangunan hancur"), default=0)
    women_victims = models.PositiveIntegerField(_("korban perempuan"), default=0)
    children_victims = models.PositiveIntegerField(_("korban anak"), default=0)
    estimated_loss = models.DecimalField(
        _("perkiraan kerugian (Rp)"), max_digits=16, decimal_places=0, default=0,
        validators=[MinValueValidator(0)],
    )
    info_source = models.CharField(
        _("sumber informasi"), max_length=12, choices=InfoSource.choices, default=InfoSource.ANGGOTA_TIM
    )
    classification = models.CharField(
        _("klasifikasi"), max_length=10, choices=Classification.choices, default=Classification.BIASA
    )
    handling_team = models.ForeignKey(
        Team, verbose_name=_("tim penanganan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="incidents",
    )
    handler = models.ForeignKey(
        Person, verbose_name=_("petugas penanganan"), null=True, blank=True, on_delete=models.PROTECT,
        related_name="handled_incidents",
    )
    status = models.CharField(_("status"), max_length=14, choices=Status.choices, default=Status.DRAF)
    rejection_reason = models.TextField(_("alasan penolakan"), blank=True)
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("pelapor"), on_delete=models.PROTECT, related_name="reported_incidents"
    )
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    updated_at = models.DateTimeField(_("diubah"), auto_now=True)
    version = models.PositiveIntegerField(_("versi"), default=1, editable=False)
    client_key = models.UUIDField(_("kunci pengiriman"), null=True, blank=True, unique=True, editable=False)
    history = HistoricalRecords(excluded_fields=["version", "updated_at", "client_key"])

    objects = IncidentQuerySet.as_manager()

    class Meta:
        ordering = ["-occurred_on", "-id"]
        verbose_name = _("insiden")
        verbose_name_plural = _("insiden")
        # The classification policy's clearances (incidents.classification.CLEARANCE; biasa is
        # view_incident), granted to roles in kesbang/accounts/roles.py.
        permissions = [
            ("view_terbatas_incident", "Dapat membaca insiden terbatas"),
            ("view_rahasia_incident", "Dapat membaca insiden rahasia"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(estimated_loss__gte=0),
                name="incident_loss_not_negative",
                violation_error_message=_("Perkiraan kerugian tidak boleh negatif."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="incident_coordinates_pair",
                violation_error_message=_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."),
            ),
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(rejection_reason=""),
                name="incident_rejection_has_reason",
                violation_error_message=_("Laporan yang ditolak harus memiliki alasan."),
            ),
            models.CheckConstraint(
                condition=Q(escalated_from__isnull=True) | Q(kind="peristiwa"),
                name="incident_escalation_is_peristiwa",
                violation_error_message=_("Hasil eskalasi harus berjenis peristiwa konflik."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "-occurred_on"], name="incident_status_date"),
            models.Index(fields=["region", "-occurred_on"], name="incident_region_date"),
            models.Index(fields=["-occurred_on", "-id"], name="incident_date_id"),
            # Status and severity together (the list's and the API's usual pair) in the list's order: the
            # first page read from the index, not 5,000 rows joined and sorted (API 3 filters 100 -> 80 ms).
            models.Index(fields=["status", "severity", "-occurred_on", "-id"], name="incident_status_severity_date"),
            models.Index(fields=["desa", "occurred_on"], name="incident_desa_date"),
            # Severity/kind with a date range: the map's and the dashboard's usual filters (3 ms, not 150).
            models.Index(fields=["severity", "kind", "occurred_on"], name="incident_severity_kind_date"),
            models.Index(fields=["kecamatan", "status"], name="incident_kecamatan_status"),
            # Covers the visibility filter and the map's counts: counting 100,000 rows is an index-only
            # scan of this narrow index instead of a pass over the wide rows (make bench).
            # (Measured: INCLUDE-ing the filter columns made the index a quarter of the table, and the
            # planner went back to sequential scans; the narrow index keeps counts index-only.)
            models.Index(fields=["region", "kecamatan", "status", "classification", "reporter", "handling_team"],
                         name="incident_scope_cover"),
        ]

    def __str__(self) -> str:
        return f"{self.reference} {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("incidents:incident_detail", args=[self.pk])

    # Early-warning levels (alerts go out once per incident and level): severity tinggi/kritis, peristiwa.
    ALERT_LEVELS = ("tinggi", "kritis", "peristiwa")

    def alert_levels(self) -> list[str]:
        """The alert levels the incident is at: its severity when tinggi/kritis, and peristiwa."""
        levels = []
        if self.severity in (Incident.Severity.TINGGI, Incident.Severity.KRITIS):
            levels.append(self.severity)
        if self.kind == Incident.Kind.PERISTIWA:
            levels.append("peristiwa")
        return levels

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def victims(self) -> int:
        return self.killed + self.injured + self.missing

    def clean(self) -> None:
        errors = {}
        if self.region_id:
            region = self.region
            if region.level not in (Region.Level.KABUPATEN, Region.Level.KOTA):
                errors["region"] = _("Pilih kabupaten atau kota.")
            if self.kecamatan_id and self.kecamatan.parent_id != self.region_id:
                errors["kecamatan"] = _("Kecamatan ini tidak berada di %(region)s.") % {"region": region.name}
        if self.kecamatan_id and self.kecamatan.level != Region.Level.KECAMATAN:
            errors["kecamatan"] = _("Pilih sebuah kecamatan.")
        if self.desa_id:
            if self.desa.level not in (Region.Level.DESA, Region.Level.KELURAHAN):
                errors["desa"] = _("Pilih sebuah desa atau kelurahan.")
            elif not self.kecamatan_id:
                errors["desa"] = _("Pilih kecamatan sebelum desa/kelurahan.")
            elif self.desa.parent_id != self.kecamatan_id:
                errors["desa"] = _("Desa/kelurahan ini tidak berada di kecamatan yang dipilih.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
        if self.occurred_on and self.occurred_on > timezone.localdate() + datetime.timedelta(days=1):
            errors["occurred_on"] = _("Tanggal kejadian tidak boleh di masa depan.")
        if self.occurred_on and self.occurred_on.year < 2000:
            errors["occurred_on"] = _("Tanggal kejadian paling awal tahun 2000.")
        if self.escalated_from_id and self.kind != self.Kind.PERISTIWA:
            errors["kind"] = _("Hasil eskalasi harus berjenis peristiwa konflik.")
        if self.women_victims > self.killed + self.injured + self.missing + self.displaced and self.women_victims:
            errors["women_victims"] = _("Korban perempuan melebihi jumlah korban dan pengungsi.")
        if self.children_victims > self.killed + self.injured + self.missing + self.displaced and self.children_victims:
            errors["children_victims"] = _("Korban anak melebihi jumlah korban dan pengungsi.")
        if self.handler_id and self.handling_team_id:
            from teams.models import Membership

            if not Membership.objects.filter(
                team_id=self.handling_team_id, person_id=self.handler_id, end_date__isnull=True
            ).exists():
                errors["handler"] = _("Petugas penanganan harus anggota aktif tim penanganan.")
        if self.handling_team_id and self.region_id and self.handling_team.region_id not in (
            self.region_id, self.region.parent_id
        ):
            errors["handling_team"] = _("Tim penanganan harus tim kabupaten/kota ini atau tim provinsi.")
        if self.status == self.Status.DITOLAK and not (self.rejection_reason or "").strip():
            errors["rejection_reason"] = _("Laporan yang ditolak harus memiliki alasan.")
        if errors:
            raise ValidationError(errors)


class IncidentTransition(models.Model):
    """One workflow step of an incident: from which status to which, who, when, with what note."""

    incident = models.ForeignKey(
        Incident, verbose_name=_("insiden"), on_delete=models.CASCADE, related_name="transitions"
    )
    from_status = models.CharField(_("dari status"), max_length=14, choices=Incident.Status.choices, blank=True)
    to_status = models.CharField(_("ke status"), max_length=14, choices=Incident.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(_("waktu"), default=timezone.now)
    note = models.TextField(_("catatan"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("perubahan status insiden")
        verbose_name_plural = _("perubahan status insiden")
        indexes = [models.Index(fields=["incident", "at"], name="transition_incident_at")]

    def __str__(self) -> str:
        return f"{self.incident_id}: {self.from_status} → {self.to_status}"


class FollowUp(models.Model):
    """One entry of the handling timeline (tindak lanjut)."""

    class Kind(models.TextChoices):
        PENGHENTIAN = "penghentian", _("Penghentian")
        REKONSILIASI = "rekonsiliasi", _("Rekonsiliasi")
        REHABILITASI = "rehabilitasi", _("Rehabilitasi")
        REKONSTRUKSI = "rekonstruksi", _("Rekonstruksi")
        KOORDINASI = "koordinasi", _("Koordinasi")
        PEMANTAUAN = "pemantauan", _("Pemantauan")
        LAINNYA = "lainnya", _("Lainnya")

    incident = models.ForeignKey(
        Incident, verbose_name=_("insiden"), on_delete=models.CASCADE, related_name="follow_ups"
    )
    date = models.DateField(_("tanggal"))
    kind = models.CharField(_("jenis tindakan"), max_length=14, choices=Kind.choices)
    institution = models.ForeignKey(
        Institution, verbose_name=_("instansi"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    description = models.TextField(_("uraian tindakan"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("tindak lanjut")
        verbose_name_plural = _("tindak lanjut")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.date}"

    def clean(self) -> None:
        if self.date and self.date > timezone.localdate() + datetime.timedelta(days=1):
            raise ValidationError({"date": _("Tanggal tindak lanjut tidak boleh di masa depan.")})
        if self.date and self.incident_id and self.date < self.incident.occurred_on - datetime.timedelta(days=31):
            raise ValidationError({"date": _("Tanggal tindak lanjut jauh sebelum tanggal kejadian.")})


class ConflictStatus(models.Model):
    """Status Keadaan Konflik declared for an incident (UU 7/2012 Bab IV): at most 90 days."""

    class Scale(models.TextChoices):
        KABKOTA = "kabkota", _("Kabupaten/kota")
        PROVINSI = "provinsi", _("Provinsi")
        NASIONAL = "nasional", _("Nasional")

    incident = models.ForeignKey(
        Incident, verbose_name=_("insiden"), on_delete=models.CASCADE, related_name="conflict_statuses"
    )
    scale = models.CharField(_("skala"), max_length=10, choices=Scale.choices)
    decree_number = models.CharField(_("nomor keputusan"), max_length=120)
    decree_date = models.DateField(_("tanggal keputusan"))
    start_date = models.DateField(_("mulai berlaku"))
    end_date = models.DateField(_("berakhir"))
    dprd_consulted_on = models.DateField(_("tanggal konsultasi DPRD"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("dicatat oleh"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("dicatat"), auto_now_add=True)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("status keadaan konflik")
        verbose_name_plural = _("status keadaan konflik")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")),
                name="conflictstatus_dates_ordered",
                violation_error_message=_("Tanggal berakhir tidak boleh sebelum tanggal mulai."),
            ),
        ]
        indexes = [models.Index(fields=["end_date"], name="conflictstatus_end")]

    def __str__(self) -> str:
        return f"{self.get_scale_display()} {self.decree_number}"

    @property
    def days(self) -> int:
        return (self.end_date - self.start_date).days + 1

    def is_active_on(self, day: datetime.date) -> bool:
        return self.start_date <= day <= self.end_date

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date:
            if self.end_date < self.start_date:
                errors["end_date"] = _("Tanggal berakhir tidak boleh sebelum tanggal mulai.")
            elif self.days > MAX_CONFLICT_STATUS_DAYS:
                errors["end_date"] = _(
                    "Status Keadaan Konflik berlaku paling lama %(max)s hari (UU 7/2012); yang diisi %(days)s hari."
                ) % {"max": MAX_CONFLICT_STATUS_DAYS, "days": self.days}
        if self.decree_date and self.start_date and self.decree_date > self.start_date:
            errors["decree_date"] = _("Tanggal keputusan tidak boleh setelah mulai berlaku.")
        if self.dprd_consulted_on and self.decree_date and self.dprd_consulted_on > self.decree_date:
            errors["dprd_consulted_on"] = _("Konsultasi DPRD dilakukan sebelum keputusan ditetapkan.")
        if errors:
            raise ValidationError(errors)


class Attachment(PrivateFile):
    """A photo or document of an incident (core ``PrivateFile``: private media, a random name)."""

    upload_folder = "insiden"

    incident = models.ForeignKey(
        Incident, verbose_name=_("insiden"), on_delete=models.CASCADE, related_name="attachments"
    )
    description = models.CharField(_("keterangan"), max_length=200, blank=True)

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("lampiran")
        verbose_name_plural = _("lampiran")

    def get_absolute_url(self) -> str:
        return reverse("incidents:attachment_download", args=[self.incident_id, self.pk])


class ReferenceCounter(models.Model):
    """The last sequence number handed out for one regency/city and year (INS-19.71-2026-0042)."""

    region_code = models.CharField(max_length=13)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("penomoran insiden")
        verbose_name_plural = _("penomoran insiden")
        constraints = [
            models.UniqueConstraint(fields=["region_code", "year"], name="referencecounter_unique_region_year")
        ]

    def __str__(self) -> str:
        return f"{self.region_code}/{self.year}: {self.last}"


# --- Public intake: reports from the public (/lapor/) and their triage -----------------------------------

# Crockford's base32 (no I, L, O, U): a tracking code read aloud or typed from a poster is not mistaken.
TRACKING_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
TRACKING_LENGTH = 10  # 50 bits: unguessable with the lookup rate limit, short enough to type


def tracking_display(code: str) -> str:
    """``ABCDE12345`` → ``ABCDE-12345`` (how the code is shown and printed)."""
    return f"{code[:5]}-{code[5:]}" if len(code) == TRACKING_LENGTH else code


def tracking_normalise(text: str) -> str | None:
    """What a reporter typed (``abcde 12345``, ``ABCDE-I2345``) as a stored code, or None when it cannot
    be one. Spaces and dashes are dropped; O reads as 0, I and L as 1 (Crockford's rule)."""
    raw = "".join(ch for ch in (text or "").upper() if ch.isalnum())
    raw = raw.translate(str.maketrans({"O": "0", "I": "1", "L": "1"}))
    if len(raw) != TRACKING_LENGTH or any(ch not in TRACKING_ALPHABET for ch in raw):
        return None
    return raw


class PublicReportQuerySet(RestrictedQuerySet):
    """``restrict(user, action)``: the public reports a verifier may see ("view") or triage ("change").

    Permissions on groups (``incidents.view_publicreport`` / ``incidents.change_publicreport``, granted
    to Staf Provinsi and Staf Kabupaten/Kota by ``kesbang.accounts.roles``) and the login's region scope
    (``teams.access.scope_of``): province-wide sees every regency/city, a regency scope its own. No role
    name is tested here; a login without the permission sees nothing."""

    def _restrict(self, user, action: str):
        from teams.access import scope_of

        if not user.has_perm(f"incidents.{'view' if action == 'view' else 'change'}_publicreport"):
            return self.none()
        scope = scope_of(user)
        if scope.all_regions:
            return self.all()
        if scope.regency_code:
            return self.filter(region_id=_regency_id(scope.regency_code))
        return self.none()


class PublicReport(models.Model):
    """A report sent by a member of the public through the public form, without an account.

    Triage (``incidents.intake``): accepted (a draft incident is made, source "masyarakat"), merged into
    an existing incident, or rejected with a reason category. The reporter's name and contact are
    personal data (UU 27/2022): only verifiers see them, and ``personal_data_erased_at`` records when
    they (and photos still held) were erased, once, after the retention period."""

    class Status(models.TextChoices):
        BARU = "baru", _("Menunggu pemeriksaan")
        DITERIMA = "diterima", _("Diterima menjadi insiden")
        DIGABUNG = "digabung", _("Digabung ke insiden lain")
        DITOLAK = "ditolak", _("Ditolak")

    class Situation(models.TextChoices):
        POTENSI = "potensi", _("Ada ketegangan, belum ada kekerasan")
        PERISTIWA = "peristiwa", _("Sudah terjadi bentrokan atau kekerasan")

    class RejectReason(models.TextChoices):
        SPAM = "spam", _("Spam atau laporan iseng")
        BUKAN_KONFLIK = "bukan_konflik", _("Bukan konflik sosial")
        DUPLIKAT = "duplikat", _("Duplikat laporan lain")

    class PublicStatus(models.TextChoices):
        """What the tracking page shows (never the content, the incident or an official's name)."""

        DITERIMA = "diterima", _("Diterima")
        DIVERIFIKASI = "diverifikasi", _("Sedang diverifikasi")
        DITANGANI = "ditangani", _("Ditangani")
        SELESAI = "selesai", _("Selesai")
        DITUTUP = "ditutup", _("Ditutup")

    tracking_code = models.CharField(_("kode pelacakan"), max_length=TRACKING_LENGTH, unique=True, editable=False)
    client_key = models.UUIDField(_("kunci pengiriman"), null=True, blank=True, unique=True, editable=False)
    description = models.TextField(_("apa yang terjadi"))
    situation = models.CharField(_("keadaan"), max_length=10, choices=Situation.choices, default=Situation.POTENSI)
    occurred_on = models.DateField(_("tanggal kejadian"))
    occurred_time = models.TimeField(_("jam kejadian"), null=True, blank=True)
    region = models.ForeignKey(Region, verbose_name=_("kabupaten/kota"), on_delete=models.PROTECT,
                               related_name="public_reports")
    kecamatan = models.ForeignKey(Region, verbose_name=_("kecamatan"), null=True, blank=True,
                                  on_delete=models.PROTECT, related_name="+")
    desa = models.ForeignKey(Region, verbose_name=_("desa/kelurahan"), null=True, blank=True,
                             on_delete=models.PROTECT, related_name="+")
    place_detail = models.CharField(_("lokasi atau patokan"), max_length=200, blank=True)
    latitude = models.DecimalField(_("lintang"), max_digits=9, decimal_places=6, null=True, blank=True,
                                   validators=[MinValueValidator(-90), MaxValueValidator(90)])
    longitude = models.DecimalField(_("bujur"), max_digits=9, decimal_places=6, null=True, blank=True,
                                    validators=[MinValueValidator(-180), MaxValueValidator(180)])
    anonymous = models.BooleanField(_("anonim"), default=True)
    reporter_name = models.CharField(_("nama pelapor"), max_length=120, blank=True)
    reporter_phone = models.CharField(_("telepon/WhatsApp pelapor"), max_length=30, blank=True)
    reporter_email = models.EmailField(_("email pelapor"), blank=True)
    consent_at = models.DateTimeField(_("persetujuan data pribadi"))
    submitted_at = models.DateTimeField(_("diterima"), default=timezone.now)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.BARU)
    decided_at = models.DateTimeField(_("diperiksa"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("diperiksa oleh"), null=True,
                                   blank=True, on_delete=models.SET_NULL, related_name="+")
    reject_reason = models.CharField(_("alasan penolakan"), max_length=14, choices=RejectReason.choices,
                                     blank=True)
    decision_note = models.TextField(_("catatan pemeriksa"), blank=True)
    incident = models.ForeignKey(Incident, verbose_name=_("insiden"), null=True, blank=True,
                                 on_delete=models.SET_NULL, related_name="public_reports")
    personal_data_erased_at = models.DateTimeField(_("data pribadi dihapus"), null=True, blank=True)

    objects = PublicReportQuerySet.as_manager()

    class Meta:
        ordering = ["submitted_at", "id"]
        verbose_name = _("laporan masyarakat")
        verbose_name_plural = _("laporan masyarakat")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="ditolak") | ~Q(reject_reason=""),
                name="publicreport_rejection_has_reason",
                violation_error_message=_("Laporan yang ditolak harus memiliki alasan."),
            ),
            models.CheckConstraint(
                condition=Q(latitude__isnull=True, longitude__isnull=True)
                | Q(latitude__isnull=False, longitude__isnull=False),
                name="publicreport_coordinates_pair",
                violation_error_message=_("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "region", "submitted_at"], name="publicreport_queue"),
            models.Index(fields=["personal_data_erased_at", "status"], name="publicreport_retention"),
        ]

    def __str__(self) -> str:
        return tracking_display(self.tracking_code)

    def get_absolute_url(self) -> str:
        return reverse("incidents:public_report_detail", args=[self.pk])

    @property
    def tracking_display(self) -> str:
        return tracking_display(self.tracking_code)

    @property
    def has_contact(self) -> bool:
        return bool(self.reporter_name or self.reporter_phone or self.reporter_email)

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.BARU

    def public_status(self) -> str:
        """The tracking page's status: received while waiting for triage, then the coarse state of the
        incident it became (or was merged into); closed when rejected or the incident was."""
        P, S = self.PublicStatus, Incident.Status
        if self.status == self.Status.BARU:
            return P.DITERIMA
        if self.status == self.Status.DITOLAK or self.incident_id is None:
            return P.DITUTUP
        status = self.incident.status
        if status in (S.DITANGANI, S.PEMULIHAN):
            return P.DITANGANI
        if status == S.SELESAI:
            return P.SELESAI
        if status == S.DITOLAK:
            return P.DITUTUP
        return P.DIVERIFIKASI

    def clean(self) -> None:
        errors = {}
        if self.region_id:
            if self.region.level not in (Region.Level.KABUPATEN, Region.Level.KOTA):
                errors["region"] = _("Pilih kabupaten atau kota.")
            elif self.kecamatan_id and self.kecamatan.parent_id != self.region_id:
                errors["kecamatan"] = _("Kecamatan ini tidak berada di %(region)s.") % {"region": self.region.name}
        if self.kecamatan_id and self.kecamatan.level != Region.Level.KECAMATAN:
            errors["kecamatan"] = _("Pilih sebuah kecamatan.")
        if self.desa_id:
            if self.desa.level not in (Region.Level.DESA, Region.Level.KELURAHAN):
                errors["desa"] = _("Pilih sebuah desa atau kelurahan.")
            elif not self.kecamatan_id:
                errors["desa"] = _("Pilih kecamatan sebelum desa/kelurahan.")
            elif self.desa.parent_id != self.kecamatan_id:
                errors["desa"] = _("Desa/kelurahan ini tidak berada di kecamatan yang dipilih.")
        if (self.latitude is None) != (self.longitude is None):
            errors["longitude"] = _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya.")
        if self.occurred_on and self.occurred_on > timezone.localdate() + datetime.timedelta(days=1):
            errors["occurred_on"] = _("Tanggal kejadian tidak boleh di masa depan.")
        if self.occurred_on and self.occurred_on.year < 2000:
            errors["occurred_on"] = _("Tanggal kejadian paling awal tahun 2000.")
        if self.anonymous and self.has_contact and not self.personal_data_erased_at:
            errors["anonymous"] = _("Laporan anonim tidak menyimpan nama atau kontak.")
        if self.status == self.Status.DITOLAK and not self.reject_reason:
            errors["reject_reason"] = _("Pilih alasan penolakan.")
        if errors:
            raise ValidationError(errors)


class PublicReportPhoto(PrivateFile):
    """A photo sent with a public report (core ``PrivateFile``: private media, random name, content
    checked). Copied to the incident's attachments when the report is accepted or merged, then
    removed here; a rejected report's photos go with its personal data after the retention period."""

    upload_folder = "laporan-masyarakat"

    report = models.ForeignKey(PublicReport, verbose_name=_("laporan masyarakat"), on_delete=models.CASCADE,
                               related_name="photos")

    class Meta:
        ordering = ["uploaded_at", "id"]
        verbose_name = _("foto laporan masyarakat")
        verbose_name_plural = _("foto laporan masyarakat")

    def get_absolute_url(self) -> str:
        return reverse("incidents:public_report_photo", args=[self.report_id, self.pk])


# --- Delivery records (exactly-once emails through kesbang.core.delivery.deliver) ---------------------

from kesbang.core.models import Delivery  # noqa: E402 - kept beside the records that use it


class IncidentAlert(Delivery):
    """Early-warning email: one per incident, level (tinggi, kritis, peristiwa) and recipient."""

    incident = models.ForeignKey(Incident, verbose_name=_("insiden"), on_delete=models.CASCADE, related_name="alerts")
    level = models.CharField(_("tingkat peringatan"), max_length=10)
    email = models.EmailField(_("alamat surel"))

    class Meta:
        verbose_name = _("peringatan dini terkirim")
        verbose_name_plural = _("peringatan dini terkirim")
        # Who gets this email (incidents.alerts), granted to roles in kesbang/accounts/roles.py.
        permissions = [("receive_incidentalert", "Menerima peringatan dini setiap insiden")]
        constraints = [
            models.UniqueConstraint(fields=["incident", "level", "email"], name="incidentalert_once")
        ]

    def __str__(self) -> str:
        return f"{self.incident_id} {self.level} → {self.email}"


class VerificationDigest(Delivery):
    """The daily list of reports awaiting verification: one per day and verifier."""

    day = models.DateField(_("tanggal"))
    email = models.EmailField(_("alamat surel"))
    count = models.PositiveIntegerField(_("jumlah laporan"), default=0)

    class Meta:
        verbose_name = _("ringkasan verifikasi harian")
        verbose_name_plural = _("ringkasan verifikasi harian")
        # Who gets this email (incidents.alerts), granted to roles in kesbang/accounts/roles.py.
        permissions = [("receive_verificationdigest", "Menerima ringkasan harian laporan yang menunggu verifikasi")]
        constraints = [models.UniqueConstraint(fields=["day", "email"], name="verificationdigest_once")]

    def __str__(self) -> str:
        return f"{self.day} → {self.email}"


class ConflictStatusReminder(Delivery):
    """Reminder to the team leaders 14 or 3 days before a Status Keadaan Konflik ends."""

    conflict_status = models.ForeignKey(
        ConflictStatus, verbose_name=_("status keadaan konflik"), on_delete=models.CASCADE, related_name="reminders"
    )
    days_before = models.PositiveSmallIntegerField(_("hari sebelum berakhir"))
    email = models.EmailField(_("alamat surel"))

    class Meta:
        verbose_name = _("pengingat status keadaan konflik")
        verbose_name_plural = _("pengingat status keadaan konflik")
        # Who gets this email (incidents.alerts), granted to roles in kesbang/accounts/roles.py.
        permissions = [("receive_conflictstatusreminder", "Menerima pengingat berakhirnya Status Keadaan Konflik")]
        constraints = [
            models.UniqueConstraint(fields=["conflict_status", "days_before", "email"],
                                    name="conflictstatusreminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.conflict_status_id} H-{self.days_before} → {self.email}"
