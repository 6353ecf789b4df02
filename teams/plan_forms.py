"""Forms for the Rencana Aksi pages. They only bind and clean input; writes are services.

Numbers accept Indonesian notation ("1.250.000", "2,5") as well as "2.5"."""

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesbang.core.forms import UploadField
from teams.models import Institution, Period, Phase

NUMBER_ERRORS = {
    "invalid": _("Masukkan angka, mis. 4 atau 2,5."),
    "min_value": _("Nilai tidak boleh negatif."),
    "max_digits": _("Angka terlalu besar."),
    "max_decimal_places": _("Paling banyak dua angka di belakang koma."),
    "max_whole_digits": _("Angka terlalu besar."),
}


def number_field(label, *, required=True, max_digits=12, initial=None, help_text=""):
    return forms.DecimalField(
        label=label,
        required=required,
        min_value=Decimal(0),
        max_digits=max_digits,
        decimal_places=2,
        localize=True,
        initial=initial,
        help_text=help_text,
        error_messages=NUMBER_ERRORS,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )


class ActionPlanForm(forms.Form):
    year = forms.IntegerField(
        label=_("Tahun"),
        min_value=2000,
        max_value=2100,
        error_messages={
            "invalid": _("Tahun harus berupa angka, mis. 2026."),
            "min_value": _("Tahun harus antara 2000 dan 2100."),
            "max_value": _("Tahun harus antara 2000 dan 2100."),
        },
        widget=forms.NumberInput(attrs={"min": 2000, "max": 2100}),
    )
    legal_basis_number = forms.CharField(
        label=_("Nomor dasar hukum"), max_length=120, required=False,
        help_text=_("Mis. Keputusan Gubernur tentang Rencana Aksi Terpadu."),
    )
    legal_basis_date = forms.DateField(
        label=_("Tanggal dasar hukum"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": _("Tanggal tidak sah.")},
    )
    notes = forms.CharField(label=_("Catatan"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound and "year" not in self.initial:
            self.initial["year"] = timezone.localdate().year


class ActivityForm(forms.Form):
    phase = forms.ChoiceField(label=_("Tahap"), choices=Phase.choices)
    name = forms.CharField(label=_("Kegiatan"), max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    indicator = forms.CharField(label=_("Indikator"), max_length=500, required=False)
    unit = forms.CharField(label=_("Satuan"), max_length=50, initial="kegiatan")
    responsible_institution = forms.ModelChoiceField(
        label=_("Instansi penanggung jawab"), queryset=Institution.objects.order_by("name"),
        empty_label=_("— pilih instansi —"),
        error_messages={"invalid_choice": _("Pilih instansi dari daftar.")},
    )
    budget = number_field(_("Anggaran (Rp)"), required=False, max_digits=16)
    budget_source = forms.CharField(label=_("Sumber anggaran"), max_length=120, required=False,
                                    help_text=_("Mis. APBD Provinsi, APBN, hibah."))
    target_B04 = number_field(_("Target B04 (Jan–Apr)"), initial=Decimal(0))
    target_B08 = number_field(_("Target B08 (Mei–Agu)"), initial=Decimal(0))
    target_B12 = number_field(_("Target B12 (Sep–Des)"), initial=Decimal(0))

    TARGET_FIELDS = {code: f"target_{code}" for code in Period.values}

    def targets(self) -> dict:
        return {code: self.cleaned_data[name] for code, name in self.TARGET_FIELDS.items()}

    def activity_fields(self) -> dict:
        names = ("phase", "name", "indicator", "unit", "responsible_institution", "budget", "budget_source")
        return {n: self.cleaned_data[n] for n in names}

    @classmethod
    def initial_for(cls, activity) -> dict:
        initial = {n: getattr(activity, n) for n in ("phase", "name", "indicator", "unit", "budget", "budget_source")}
        initial["responsible_institution"] = activity.responsible_institution_id
        for ap in activity.periods.all():
            initial[f"target_{ap.period}"] = ap.target
        return initial


class RealisationForm(forms.Form):
    realisation = number_field(_("Realisasi"), help_text=_("Jumlah yang tercapai pada periode ini."))
    narrative = forms.CharField(
        label=_("Uraian realisasi"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Apa yang dilaksanakan, di mana, kapan, dan hasilnya."),
    )
    evidence = UploadField(
        label=_("Unggah bukti"), required=False,
        help_text=_("PDF, JPG, PNG, XLSX atau DOCX; maksimal 10 MB."),
    )
