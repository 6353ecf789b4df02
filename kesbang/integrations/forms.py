"""The national package's request form."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from kesbang.integrations.models import NationalPackage
from kesbang.office.reports.periods import CATURWULAN, current_period


class PackageRequestForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis periode"), choices=NationalPackage._meta.get_field("kind").choices,
                             initial=CATURWULAN)
    period = forms.CharField(
        label=_("Periode"), max_length=8,
        help_text=_("Caturwulan 2026-B04, 2026-B08, 2026-B12 · bulanan 2026-05 · semester 2026-S1, 2026-S2 · "
                    "tahunan 2026"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].widget.attrs.update({"placeholder": "2026-B12", "autocomplete": "off",
                                                   "class": "text-uppercase"})
        if not self.is_bound:
            self.initial.setdefault("period", current_period(CATURWULAN, timezone.localdate()).code)
