"""Forms of the incidents pages. Plain forms built from the model fields (no ``form.save()``): the
views hand ``cleaned_data`` to one service (house style 2)."""

from crispy_forms.layout import HTML, Column, Div, Field, Fieldset, Row
from django import forms
from django.utils.translation import gettext_lazy as _

from incidents.models import Category, ConflictStatus, FollowUp, Incident
from kesbang.core.forms import MultipleUploadField, UploadField, date_widget, form_helper, model_field
from teams.models import Institution, Person, Region, Team

# The minimum a report needs (first on the phone), then everything optional.
QUICK_FIELDS = ("title", "kind", "occurred_on", "region", "kecamatan", "desa", "chronology", "source",
                "category", "severity")
DETAIL_FIELDS = (
    "occurred_time", "date_precision", "latitude", "longitude", "violence_form", "phase",
    "party_a_type", "party_a_name", "party_a_size", "party_b_type", "party_b_name", "party_b_size",
    "killed", "injured", "missing", "displaced", "buildings_damaged", "buildings_destroyed",
    "women_victims", "children_victims", "estimated_loss", "info_source", "classification",
    "handling_team", "handler",
)
FIGURES = ("killed", "injured", "missing", "displaced", "buildings_damaged", "buildings_destroyed",
           "women_victims", "children_victims")


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.parent.name} › {obj.name}" if obj.parent_id else obj.name


def category_choices():
    """Active categories grouped under their parent: each category, then its sub-types."""
    from django.db.models import F
    from django.db.models.functions import Coalesce

    return (
        Category.objects.filter(is_active=True)
        .select_related("parent")
        .annotate(group_order=Coalesce(F("parent__sort_order"), F("sort_order")),
                  is_sub=Coalesce(F("parent_id"), 0))
        .order_by("group_order", "is_sub", "sort_order", "name")
    )


def pick_label(form: forms.Form) -> None:
    """"— pilih —" as the empty choice of the model's choice fields, not Django's "---------"."""
    for field in form.fields.values():
        choices = getattr(field, "choices", None)
        if isinstance(field, forms.TypedChoiceField) and choices and list(choices)[0][0] == "":
            field.choices = [("", _("— pilih —"))] + list(choices)[1:]


# The incident form's attachments: core ``MultipleUploadField`` (the name kept for its callers).
MultipleFileField = MultipleUploadField


class IncidentForm(forms.Form):
    """Create (quick entry) and edit. ``regions``: the regencies/cities the login may report in.
    The kecamatan and desa choices follow the chosen region (dependent selects, static/js/incidents.js)."""

    def __init__(self, *args, regions, teams=None, instance: Incident | None = None, collapse_details=False,
                 **kwargs):
        super().__init__(*args, **kwargs)
        model = Incident
        for name in QUICK_FIELDS + DETAIL_FIELDS:
            if name in ("region", "kecamatan", "desa", "category", "handling_team", "handler"):
                continue
            field = model_field(model, name)
            self.fields[name] = field
        self.fields["region"] = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=regions,
                                                       empty_label=_("— pilih —"))
        region_code = self._value("region", instance.region_id if instance else None)
        kecamatan_id = self._value("kecamatan", instance.kecamatan_id if instance else None)
        kecamatan_qs = Region.objects.filter(level=Region.Level.KECAMATAN, parent_id=region_code or 0)
        desa_qs = Region.objects.filter(level__in=[Region.Level.DESA, Region.Level.KELURAHAN],
                                        parent_id=kecamatan_id or 0)
        self.fields["kecamatan"] = forms.ModelChoiceField(
            label=_("Kecamatan"), queryset=kecamatan_qs, required=False, empty_label=_("— pilih —")
        )
        self.fields["desa"] = forms.ModelChoiceField(
            label=_("Desa/kelurahan"), queryset=desa_qs, required=False, empty_label=_("— pilih —")
        )
        self.fields["category"] = CategoryChoiceField(
            label=_("Kategori"), empty_label=_("— pilih —"),
            queryset=category_choices(),
        )
        self.fields["handling_team"] = forms.ModelChoiceField(
            label=_("Tim penanganan"), required=False, queryset=teams if teams is not None else Team.objects.none(),
            empty_label=_("— belum ditentukan —"),
        )
        team_id = self._value("handling_team", instance.handling_team_id if instance else None)
        self.fields["handler"] = forms.ModelChoiceField(
            label=_("Petugas penanganan"), required=False, empty_label=_("— belum ditentukan —"),
            queryset=Person.objects.filter(memberships__team_id=team_id or 0, memberships__end_date__isnull=True)
            .distinct().order_by("name"),
        )
        self.fields["title"].widget.attrs.update(placeholder=_("mis. Sengketa lahan tambang di Desa Air Duren"))
        self.fields["chronology"].widget.attrs.update(rows=4)
        self.fields["chronology"].help_text = _("Apa yang terjadi, siapa yang terlibat, di mana, bagaimana sekarang.")
        for name, limit in (("latitude", 90), ("longitude", 180)):
            self.fields[name] = forms.DecimalField(
                label=Incident._meta.get_field(name).verbose_name.capitalize(), required=False,
                min_value=-limit, max_value=limit, max_digits=9, decimal_places=6,
            )
        self.fields["latitude"].widget.attrs.update(step="0.000001", placeholder="-2.1291")
        self.fields["longitude"].widget.attrs.update(step="0.000001", placeholder="106.1090")
        self.fields["occurred_time"].widget = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
        self.fields["estimated_loss"].widget.attrs.update(min=0, step=1000)
        for name in FIGURES + ("party_a_size", "party_b_size"):
            self.fields[name].widget.attrs.update(min=0, inputmode="numeric")
            if name in FIGURES:
                self.fields[name].required = False
        self.fields["estimated_loss"].required = False
        for name in ("region", "kecamatan", "desa"):
            self.fields[name].widget.attrs["data-region-select"] = name
        self.fields["handling_team"].widget.attrs["data-team-select"] = "1"
        pick_label(self)
        # A hidden idempotency key (quick entry) and the version the form was opened with (edit).
        self.fields["client_key"] = forms.UUIDField(required=False, widget=forms.HiddenInput)
        self.fields["version"] = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
        self.helper = form_helper(
            Div(
                "title",
                Row(Column("kind", css_class="col-sm-6"), Column("occurred_on", css_class="col-sm-6")),
                Row(Column("region", css_class="col-md-4"), Column("kecamatan", css_class="col-md-4"),
                    Column("desa", css_class="col-md-4")),
                HTML('<div id="duplicate-notice" class="alert alert-warning d-none" role="status" '
                     'aria-live="polite"></div>'),
                "chronology",
                Row(Column("source", css_class="col-md-4"), Column("category", css_class="col-md-4"),
                    Column("severity", css_class="col-md-4")),
                css_class="kb-quick",
            ),
            Fieldset(
                _("Rincian (boleh dilengkapi nanti)"),
                Row(Column("occurred_time", css_class="col-6 col-md-3"),
                    Column("date_precision", css_class="col-6 col-md-3"),
                    Column("latitude", css_class="col-6 col-md-3"), Column("longitude", css_class="col-6 col-md-3")),
                Row(Column("violence_form", css_class="col-sm-6"), Column("phase", css_class="col-sm-6")),
                Row(Column("party_a_type", css_class="col-md-4"), Column("party_a_name", css_class="col-md-5"),
                    Column("party_a_size", css_class="col-md-3")),
                Row(Column("party_b_type", css_class="col-md-4"), Column("party_b_name", css_class="col-md-5"),
                    Column("party_b_size", css_class="col-md-3")),
                Row(*[Column(name, css_class="col-6 col-md-3") for name in FIGURES]),
                Row(Column("estimated_loss", css_class="col-md-4"), Column("info_source", css_class="col-md-4"),
                    Column("classification", css_class="col-md-4")),
                Row(Column("handling_team", css_class="col-md-6"), Column("handler", css_class="col-md-6")),
                css_class="kb-details" + (" collapse" if collapse_details and not self.is_bound else ""),
                id="incident-details",
            ),
            Field("client_key"),
            Field("version"),
        )
        if instance is None:  # quick entry: "use my location" fills the coordinates (static/js/location-picker.js)
            from django.utils.html import format_html

            self.helper.layout[1].insert(1, HTML(format_html(
                '<div class="d-flex flex-wrap align-items-center gap-2 mb-3" data-location-picker '
                'data-lat="#id_latitude" data-lng="#id_longitude"><button type="button" class="btn btn-outline-primary '
                'btn-sm" data-locate id="use-location"><i class="bi bi-crosshair" aria-hidden="true"></i> {}</button>'
                '<button type="button" class="btn btn-link btn-sm" data-clear-point>{}</button>'
                '<span class="small" data-location-status role="status" aria-live="polite"></span></div>',
                _("Gunakan lokasi saya"), _("Hapus titik"))))
        if instance is None:  # quick entry: photos/documents can come with the report
            self.fields["attachments"] = MultipleFileField(
                label=_("Lampiran (foto/dokumen)"), required=False,
                help_text=_("Boleh lebih dari satu: JPG, PNG, PDF, DOCX, XLSX; maks. 10 MB per berkas."),
            )
            self.fields["attachments"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"
            self.helper.layout[0].append("attachments")

    def _value(self, name, default):
        if self.is_bound:
            value = self.data.get(self.add_prefix(name))
            try:
                return int(value) if value else None
            except (TypeError, ValueError):
                return None
        value = self.initial.get(name, default)
        return getattr(value, "pk", value)

    def clean(self):
        data = super().clean()
        # The hidden fields cannot show an error beside them: say it at the top instead of a bare
        # "check the fields marked red" with nothing marked.
        if any(self._errors.pop(name, None) for name in ("client_key", "version")):
            self.add_error(None, _("Formulir ini tidak utuh (data tersembunyi rusak). Muat ulang halaman, "
                                   "lalu kirim kembali."))
        for name in FIGURES:
            if data.get(name) is None and name in self.fields:
                data[name] = 0
        if data.get("estimated_loss") is None:
            data["estimated_loss"] = 0
        return data

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k not in ("client_key", "version", "attachments")}


class RejectForm(forms.Form):
    reason = forms.CharField(label=_("Alasan penolakan"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class TransitionNoteForm(forms.Form):
    note = forms.CharField(label=_("Catatan"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class FollowUpForm(forms.Form):
    date = model_field(FollowUp, "date")
    kind = model_field(FollowUp, "kind")
    institution = forms.ModelChoiceField(label=_("Instansi"), queryset=Institution.objects.order_by("name"),
                                         required=False, empty_label=_("— pilih —"))
    description = model_field(FollowUp, "description", widget=forms.Textarea(attrs={"rows": 3}))
    transition = forms.ChoiceField(label=_("Ubah status sekaligus"), required=False)

    def __init__(self, *args, transitions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["transition"].choices = [("", _("— tidak —"))] + list(transitions)
        pick_label(self)
        self.helper = form_helper(
            Row(Column("date", css_class="col-sm-4"), Column("kind", css_class="col-sm-4"),
                Column("institution", css_class="col-sm-4")),
            "description", "transition",
        )


class ConflictStatusForm(forms.Form):
    scale = model_field(ConflictStatus, "scale")
    decree_number = model_field(ConflictStatus, "decree_number")
    decree_date = model_field(ConflictStatus, "decree_date")
    start_date = model_field(ConflictStatus, "start_date")
    end_date = model_field(ConflictStatus, "end_date", help_text=_("Paling lama 90 hari sejak mulai berlaku."))
    dprd_consulted_on = model_field(ConflictStatus, "dprd_consulted_on")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        pick_label(self)
        self.helper = form_helper(
            Row(Column("scale", css_class="col-sm-4"), Column("decree_number", css_class="col-sm-4"),
                Column("decree_date", css_class="col-sm-4")),
            Row(Column("start_date", css_class="col-sm-4"), Column("end_date", css_class="col-sm-4"),
                Column("dprd_consulted_on", css_class="col-sm-4")),
        )


class AttachmentForm(forms.Form):
    file = UploadField(label=_("Berkas"), help_text=_("Foto atau dokumen: JPG, PNG, PDF, DOCX, XLSX; maks. 10 MB."))
    description = forms.CharField(label=_("Keterangan"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].widget.attrs["accept"] = ".jpg,.jpeg,.png,.pdf,.docx,.xlsx"
        self.helper = form_helper(
            Row(Column("file", css_class="col-md-6"), Column("description", css_class="col-md-6"))
        )


__all__ = ["IncidentForm", "RejectForm", "TransitionNoteForm", "FollowUpForm", "ConflictStatusForm",
           "AttachmentForm", "date_widget"]
