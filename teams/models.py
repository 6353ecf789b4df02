"""The organisation: regions, institutions, people (and, with the teams capability, teams).

Region codes follow Kepmendagri No. 300.2.2-2430 Tahun 2025; see ``teams/data/README.md``.
"""

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

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
