"""Forms of the teams register. They only bind and validate input; every write is a service
(DESIGN.md house style 2), and a service's ValidationError is put back on the form with
``kesbang.core.forms.add_service_errors``.

Forms are plain ``forms.Form`` built from the model fields (labels, max lengths, validators), never
ModelForms: a ModelForm would run model validation on a half-built instance and invite ``form.save()``.
"""

import datetime

from crispy_forms.layout import Column, Field, Row
from django import forms
from django.core.exceptions import ValidationError
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from kesbang.core.forms import add_service_errors, date_field, form_helper, model_field, today  # noqa: F401
from teams.models import Institution, Membership, Person, Region, Team, nip_validator

# --- Teams ------------------------------------------------------------------------------------------


class TeamForm(forms.Form):
    """Register or edit a team. Region choices are limited to the regions the login's scope covers;
    the level follows from the region (service). Ending a team is its own form (TeamEndForm)."""

    region = forms.ModelChoiceField(
        label=_("Wilayah"),
        queryset=Region.objects.none(),
        empty_label=_("— pilih wilayah —"),
        help_text=_("Provinsi untuk tim tingkat provinsi, atau kabupaten/kota."),
    )
    name = model_field(Team, "name")
    decree_number = model_field(Team, "decree_number")
    decree_date = model_field(Team, "decree_date")
    decree_signed_by = model_field(Team, "decree_signed_by")
    period_start = model_field(Team, "period_start")
    period_end = model_field(Team, "period_end")
    notes = model_field(Team, "notes", widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions
        self.fields["name"].widget.attrs["placeholder"] = _("Tim Terpadu Penanganan Konflik Sosial Kabupaten ...")
        self.fields["decree_number"].widget.attrs["placeholder"] = _("mis. 188.45/123/KESBANGPOL/2025")
        self.fields["period_end"].help_text = _("Kosongkan bila masa tugas belum ditentukan.")
        self.helper = form_helper(
            Row(Column("region", css_class="col-md-5"), Column("name", css_class="col-md-7")),
            Row(
                Column("decree_number", css_class="col-md-5"),
                Column("decree_date", css_class="col-md-3"),
                Column("decree_signed_by", css_class="col-md-4"),
            ),
            Row(Column("period_start", css_class="col-md-6"), Column("period_end", css_class="col-md-6")),
            "notes",
        )

    def clean(self):
        data = super().clean()
        start, end = data.get("period_start"), data.get("period_end")
        if start and end and end < start:
            self.add_error("period_end", _("Akhir masa tugas tidak boleh sebelum awalnya."))
        return data


class TeamEndForm(forms.Form):
    end_date = date_field(_("Tanggal berakhir"))
    reason = forms.CharField(
        label=_("Alasan"),
        max_length=255,
        required=False,
        help_text=_("Mis. masa tugas selesai, diganti SK baru. Dicatat pada keanggotaan yang diakhiri."),
    )

    def __init__(self, *args, team: Team, **kwargs):
        kwargs.setdefault("initial", {"end_date": max(today(), team.period_start)})
        super().__init__(*args, **kwargs)
        self.team = team
        self.helper = form_helper(Row(Column("end_date", css_class="col-md-4"), Column("reason", css_class="col-md-8")))

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.team.period_start:
            raise ValidationError(_("Tanggal berakhir tidak boleh sebelum awal masa tugas."))
        return end_date


# --- Memberships ------------------------------------------------------------------------------------


class PersonByInstitutionIterator(ModelChoiceIterator):
    """Choices grouped by institution (<optgroup>), in one query (queryset ordered by institution)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        groups: dict[str, list] = {}
        for person in self.queryset:
            label = str(person.institution)
            groups.setdefault(label, []).append(self.choice(person))
        yield from groups.items()


class PersonChoiceField(forms.ModelChoiceField):
    iterator = PersonByInstitutionIterator

    def label_from_instance(self, obj: Person) -> str:
        return f"{obj.name} — {obj.position}" if obj.position else obj.name


def person_queryset_for_choices(queryset):
    return queryset.select_related("institution").order_by("institution__name", "name")


class MembershipAddForm(forms.Form):
    person = PersonChoiceField(
        label=_("Orang"),
        queryset=Person.objects.none(),
        empty_label=_("— pilih orang —"),
        help_text=_("Belum terdaftar? Tambahkan dulu di daftar orang."),
    )
    role = forms.ChoiceField(label=_("Kedudukan dalam tim"), choices=Membership.Role.choices,
                             initial=Membership.Role.ANGGOTA)
    start_date = date_field(_("Mulai"))
    decree_number = model_field(Membership, "decree_number")

    def __init__(self, *args, team: Team, people=None, **kwargs):
        initial = kwargs.setdefault("initial", {})
        initial.setdefault("start_date", min(max(today(), team.period_start), team.period_end or datetime.date.max))
        initial.setdefault("decree_number", team.decree_number)
        super().__init__(*args, **kwargs)
        self.team = team
        if people is not None:
            self.fields["person"].queryset = person_queryset_for_choices(people)
        self.fields["person"].widget.attrs["data-kb-filterable"] = "1"
        self.fields["decree_number"].help_text = _("Nomor SK pengangkatan; bawaan: SK pembentukan tim.")
        self.helper = form_helper(
            Field("person"),
            Row(
                Column("role", css_class="col-md-4"),
                Column("start_date", css_class="col-md-3"),
                Column("decree_number", css_class="col-md-5"),
            ),
        )


class MembershipEndForm(forms.Form):
    end_date = date_field(_("Tanggal berakhir"))
    reason = forms.CharField(
        label=_("Alasan"), max_length=255, required=False, help_text=_("Mis. pensiun, mutasi jabatan, meninggal dunia.")
    )

    def __init__(self, *args, membership: Membership, **kwargs):
        kwargs.setdefault("initial", {"end_date": max(today(), membership.start_date)})
        super().__init__(*args, **kwargs)
        self.membership = membership
        self.helper = form_helper(Row(Column("end_date", css_class="col-md-4"), Column("reason", css_class="col-md-8")))

    def clean_end_date(self):
        end_date = self.cleaned_data["end_date"]
        if end_date < self.membership.start_date:
            raise ValidationError(_("Tanggal berakhir tidak boleh sebelum tanggal mulai."))
        return end_date


class MembershipReplaceForm(forms.Form):
    """Mutasi: the new person takes the same role from ``start_date``; the old membership ends that day."""

    person = PersonChoiceField(label=_("Pengganti"), queryset=Person.objects.none(), empty_label=_("— pilih orang —"))
    start_date = date_field(_("Mulai menjabat"), help_text=_("Keanggotaan lama berakhir pada tanggal yang sama."))
    decree_number = model_field(Membership, "decree_number")
    reason = forms.CharField(label=_("Alasan penggantian"), max_length=255, required=False,
                             initial=_("Mutasi / penggantian"))

    def __init__(self, *args, membership: Membership, people=None, **kwargs):
        kwargs.setdefault("initial", {}).setdefault("start_date", max(today(), membership.start_date))
        super().__init__(*args, **kwargs)
        self.membership = membership
        if people is not None:
            self.fields["person"].queryset = person_queryset_for_choices(people.exclude(pk=membership.person_id))
        self.fields["person"].widget.attrs["data-kb-filterable"] = "1"
        self.helper = form_helper(
            Field("person"),
            Row(Column("start_date", css_class="col-md-4"), Column("decree_number", css_class="col-md-8")),
            "reason",
        )

    def clean_start_date(self):
        start_date = self.cleaned_data["start_date"]
        if start_date < self.membership.start_date:
            raise ValidationError(_("Tanggal mulai pengganti tidak boleh sebelum anggota lama mulai menjabat."))
        return start_date


# --- People -----------------------------------------------------------------------------------------


class NipField(forms.CharField):
    """NIP as written on paper ("19750101 200003 1 001") is accepted: spaces are removed before the
    18-digit check, and an over-long value gets the NIP message rather than a length message."""

    def __init__(self, **kwargs):
        super().__init__(required=False, validators=[nip_validator], **kwargs)

    def to_python(self, value):
        return "".join(super().to_python(value).split())


class PersonForm(forms.Form):
    """Create or edit a person. On create the view may ask to confirm a possible duplicate
    (``confirm_duplicate`` becomes a visible checkbox only then)."""

    name = model_field(Person, "name")
    nip = NipField(label=_("NIP"))
    position = model_field(Person, "position")
    institution = forms.ModelChoiceField(
        label=_("Instansi"), queryset=Institution.objects.order_by("name"), empty_label=_("— pilih instansi —")
    )
    region = forms.ModelChoiceField(
        label=_("Wilayah tugas"),
        queryset=Region.objects.none(),
        empty_label=_("— pilih wilayah —"),
        help_text=Person._meta.get_field("region").help_text,
    )
    phone = model_field(Person, "phone")
    email = model_field(Person, "email")
    confirm_duplicate = forms.BooleanField(
        label=_("Tetap simpan: ini orang yang berbeda"), required=False, widget=forms.HiddenInput
    )

    def __init__(self, *args, regions=None, **kwargs):
        super().__init__(*args, **kwargs)
        if regions is not None:
            self.fields["region"].queryset = regions
        self.fields["nip"].help_text = _("Opsional. 18 angka tanpa spasi.")
        self.fields["nip"].widget.attrs.update({"inputmode": "numeric", "autocomplete": "off"})
        self.fields["phone"].widget.attrs["inputmode"] = "tel"
        self.helper = form_helper(
            Row(Column("name", css_class="col-md-8"), Column("nip", css_class="col-md-4")),
            Row(Column("position", css_class="col-md-6"), Column("institution", css_class="col-md-6")),
            Row(Column("region", css_class="col-md-6"), Column("phone", css_class="col-md-3"),
                Column("email", css_class="col-md-3")),
            "confirm_duplicate",
        )

    def ask_duplicate_confirmation(self) -> None:
        self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
