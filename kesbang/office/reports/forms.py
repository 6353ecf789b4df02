"""Forms of the report pages."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesbang.office.models import Report
from kesbang.office.reports.periods import CATURWULAN, current_period


class ReportRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis laporan"), choices=Report.Kind.choices, initial=CATURWULAN)
    period = forms.CharField(
        label=_("Periode"), max_length=8,
        help_text=_("Bulanan 2026-05 · caturwulan 2026-B04, 2026-B08, 2026-B12 · semester 2026-S1, 2026-S2 · "
                    "tahunan 2026"),
    )
    region = forms.ModelChoiceField(label=_("Cakupan wilayah"), queryset=None, empty_label=None)

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions
        self.fields["region"].label_from_instance = lambda r: (
            _("Provinsi %(name)s") % {"name": r.name} if r.is_province else r.name)
        self.fields["period"].widget.attrs.update({"placeholder": "2026-B12", "autocomplete": "off",
                                                   "class": "text-uppercase"})
        if not self.is_bound:
            self.initial.setdefault("period", current_period(CATURWULAN, timezone.localdate()).code)


class NarrativeForm(forms.Form):
    narrative = forms.CharField(
        label=_("Narasi: analisis, kesimpulan dan rekomendasi"), required=False, max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=_("Pisahkan paragraf dengan satu baris kosong. Dapat diubah sampai laporan difinalkan."),
    )
