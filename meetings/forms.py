"""Forms of the meetings app: they bind and validate input; every write is a service (house style 2)."""

import datetime

from crispy_forms.layout import HTML, Column, Row
from django import forms
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from kesbang.core.forms import UploadField
from meetings.models import ActionItem, Attendance, Invitation, Meeting, Resolution
from teams.forms import PersonChoiceField, add_service_errors, date_field, form_helper  # noqa: F401
from teams.models import Institution, Membership, Person, Team

DATETIME_FORMAT = "%Y-%m-%dT%H:%M"
YEARS = (1900, 2100)


def sensible_year(value: datetime.date) -> None:
    """Dates of meetings, letters and due dates lie in 1900–2100. Year 1 at 00:00 WIB is year 0 in UTC:
    PostgreSQL stores it but psycopg cannot read it back, so one such meeting made every page that lists it
    fail; far years also overflow the reminder and calendar arithmetic."""
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise forms.ValidationError(_("Tahun harus di antara 1900 dan 2100."), code="year_range")


def ranged_date(label, **kwargs) -> forms.DateField:
    field = date_field(label, **kwargs)
    field.validators = [*field.validators, sensible_year]
    return field


def datetime_field(label, **kwargs) -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        input_formats=[DATETIME_FORMAT, "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format=DATETIME_FORMAT),
        validators=[sensible_year],
        **kwargs,
    )


class TeamChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Team) -> str:
        return obj.name


class MeetingForm(forms.Form):
    title = forms.CharField(label=_("Judul rapat"), max_length=255)
    kind = forms.ChoiceField(label=_("Jenis rapat"), choices=Meeting.Kind.choices)
    team = TeamChoiceField(label=_("Tim penyelenggara"), queryset=Team.objects.none())
    start = datetime_field(_("Mulai"))
    end = datetime_field(_("Selesai"))
    venue = forms.CharField(label=_("Tempat"), max_length=255)
    venue_city = forms.CharField(label=_("Kota"), max_length=100, initial="Pangkalpinang")
    chair = PersonChoiceField(label=_("Pimpinan rapat"), queryset=Person.objects.none(), required=False)
    opener = PersonChoiceField(label=_("Dibuka oleh"), queryset=Person.objects.none(), required=False)
    description = forms.CharField(label=_("Keterangan"), widget=forms.Textarea(attrs={"rows": 3}), required=False)
    letter_number = forms.CharField(label=_("Nomor surat undangan"), max_length=120, required=False)
    letter_date = ranged_date(_("Tanggal surat"), required=False)
    letter_nature = forms.CharField(label=_("Sifat"), max_length=60, initial="Penting", required=False)
    letter_attachment = forms.CharField(label=_("Lampiran"), max_length=120, initial="-", required=False)
    signatory = PersonChoiceField(label=_("Penanda tangan surat"), queryset=Person.objects.none(), required=False)
    copies = forms.CharField(
        label=_("Tembusan"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Satu penerima tembusan per baris."),
    )
    linked_incidents = forms.ModelMultipleChoiceField(
        label=_("Insiden yang dibahas"), queryset=Team.objects.none(), required=False,
        widget=forms.SelectMultiple(attrs={"size": 4}),
        help_text=_("Tahan Ctrl (atau Cmd) untuk memilih beberapa insiden."),
    )
    agenda = forms.CharField(
        label=_("Susunan acara"), required=False, widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Satu mata acara per baris; tambahkan penyaji dan durasi di tab Acara."),
    )

    def __init__(self, *args, teams=None, people=None, incidents=None, with_agenda=True, hidden_linked=0, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        if incidents is None:
            del self.fields["linked_incidents"]
        else:
            self.fields["linked_incidents"].queryset = incidents
            self.fields["linked_incidents"].label_from_instance = lambda i: f"{i.reference} — {i.title}"
            if hidden_linked:
                self.fields["linked_incidents"].help_text = format_lazy(
                    "{} {}", self.fields["linked_incidents"].help_text, ngettext(
                        "%(n)s insiden lain yang dibahas tidak dapat Anda lihat; tautannya tetap tersimpan.",
                        "%(n)s insiden lain yang dibahas tidak dapat Anda lihat; tautannya tetap tersimpan.",
                        hidden_linked) % {"n": hidden_linked})
        people = people if people is not None else Person.objects.none()
        for name in ("chair", "opener", "signatory"):
            self.fields[name].queryset = people.select_related("institution")
        if not with_agenda:
            del self.fields["agenda"]
        layout = [
            Row(Column("title", css_class="col-md-8"), Column("kind", css_class="col-md-4")),
            Row(Column("team", css_class="col-md-12")),
            Row(Column("start", css_class="col-md-3 col-6"), Column("end", css_class="col-md-3 col-6"),
                Column("venue", css_class="col-md-3"), Column("venue_city", css_class="col-md-3")),
            Row(Column("chair", css_class="col-md-6"), Column("opener", css_class="col-md-6")),
            "description",
            HTML('<h2 class="h6 mt-2 mb-2 text-uppercase kb-meta">' + str(_("Surat undangan")) + "</h2>"),
            Row(Column("letter_number", css_class="col-md-4"), Column("letter_date", css_class="col-md-3"),
                Column("letter_nature", css_class="col-md-2 col-6"),
                Column("letter_attachment", css_class="col-md-3 col-6")),
            Row(Column("signatory", css_class="col-md-6"), Column("copies", css_class="col-md-6")),
        ]
        if incidents is not None:
            layout.append("linked_incidents")
        if with_agenda:
            layout.append("agenda")
        self.helper = form_helper(*layout)

    def clean(self):
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end <= start:
            self.add_error("end", _("Waktu selesai harus setelah waktu mulai."))
        return data

    def service_kwargs(self) -> dict:
        data = dict(self.cleaned_data)
        agenda = data.pop("agenda", None)
        if "agenda" in self.fields:
            data["agenda"] = [{"title": line.strip()[:255]} for line in (agenda or "").splitlines() if line.strip()]
        data["letter_nature"] = data.get("letter_nature") or "Penting"
        data["letter_attachment"] = data.get("letter_attachment") or "-"
        return data


class MeetingCancelForm(forms.Form):
    reason = forms.CharField(label=_("Alasan pembatalan"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("reason")


class AgendaItemForm(forms.Form):
    title = forms.CharField(label=_("Mata acara"), max_length=255)
    presenter = PersonChoiceField(label=_("Penyaji"), queryset=Person.objects.none(), required=False)
    presenter_name = forms.CharField(label=_("Penyaji lain (nama)"), max_length=200, required=False)
    duration_minutes = forms.IntegerField(label=_("Durasi (menit)"), min_value=1, max_value=720, initial=30)

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["presenter"].queryset = (people if people is not None else Person.objects.none()).select_related(
            "institution")
        self.helper = form_helper(
            Row(Column("title", css_class="col-md-5"), Column("presenter", css_class="col-md-3"),
                Column("presenter_name", css_class="col-md-2 col-7"),
                Column("duration_minutes", css_class="col-md-2 col-5")),
        )


class InviteTeamForm(forms.Form):
    team = TeamChoiceField(label=_("Tim"), queryset=Team.objects.none())
    roles = forms.MultipleChoiceField(
        label=_("Hanya kedudukan"), choices=Membership.Role.choices, required=False,
        widget=forms.CheckboxSelectMultiple, help_text=_("Kosongkan untuk mengundang seluruh anggota aktif."),
    )

    def __init__(self, *args, teams=None, **kwargs):
        super().__init__(*args, prefix="tim", **kwargs)
        self.fields["team"].queryset = teams if teams is not None else Team.objects.none()
        self.helper = form_helper("team", "roles")


class InvitePeopleForm(forms.Form):
    people = forms.ModelMultipleChoiceField(
        label=_("Orang"), queryset=Person.objects.none(), widget=forms.SelectMultiple(attrs={"size": 8}),
        help_text=_("Tahan Ctrl (atau Cmd) untuk memilih beberapa orang."),
    )

    def __init__(self, *args, people=None, **kwargs):
        super().__init__(*args, prefix="orang", **kwargs)
        qs = (people if people is not None else Person.objects.none()).select_related("institution")
        self.fields["people"].queryset = qs
        self.fields["people"].label_from_instance = lambda p: f"{p.name} — {p.institution}"
        self.helper = form_helper("people")


class GuestForm(forms.Form):
    name = forms.CharField(label=_("Nama tamu"), max_length=200)
    institution = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)
    email = forms.EmailField(label=_("Email"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="tamu", **kwargs)
        self.helper = form_helper(
            Row(Column("name", css_class="col-md-6"), Column("institution", css_class="col-md-6")),
            Row(Column("position", css_class="col-md-6"), Column("email", css_class="col-md-6")),
        )


class RsvpForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Jawaban Anda"), widget=forms.RadioSelect,
        choices=[c for c in Invitation.Response.choices if c[0] != Invitation.Response.PENDING],
    )
    delegate_name = forms.CharField(
        label=_("Diwakilkan kepada (nama dan jabatan)"), max_length=200, required=False
    )
    note = forms.CharField(label=_("Catatan"), max_length=500, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper("response", "delegate_name", "note")

    def clean(self):
        data = super().clean()
        if data.get("response") == Invitation.Response.DELEGATE and not (data.get("delegate_name") or "").strip():
            self.add_error("delegate_name", _("Sebutkan nama yang mewakili."))
        return data


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(label=_("Kehadiran"), choices=Attendance.Status.choices)
    representative_name = forms.CharField(label=_("Diwakili oleh"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == Attendance.Status.REPRESENTED and not (data.get("representative_name") or "").strip():
            self.add_error("representative_name", _("Sebutkan nama yang mewakili."))
        return data


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Nama"), max_length=200)
    institution = forms.CharField(label=_("Instansi"), max_length=200, required=False)
    position = forms.CharField(label=_("Jabatan"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="tamu", **kwargs)
        self.helper = form_helper(
            Row(Column("name", css_class="col-md-4"), Column("institution", css_class="col-md-4"),
                Column("position", css_class="col-md-4")),
        )


class MinutesForm(forms.Form):
    note_taker = forms.CharField(label=_("Notulis"), max_length=200, required=False)
    opening = forms.CharField(label=_("Pembukaan"), required=False, widget=forms.Textarea(attrs={"rows": 4}))
    discussion = forms.CharField(
        label=_("Jalannya rapat dan pembahasan"), required=False, widget=forms.Textarea(attrs={"rows": 8})
    )
    conclusions = forms.CharField(label=_("Kesimpulan"), required=False, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="notulen", **kwargs)
        self.helper = form_helper("note_taker", "opening", "discussion", "conclusions")


class ResolutionForm(forms.Form):
    kind = forms.ChoiceField(label=_("Jenis"), choices=Resolution.Kind.choices)
    text = forms.CharField(label=_("Isi rumusan/rekomendasi"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, prefix="rumusan", **kwargs)
        self.helper = form_helper(Row(Column("kind", css_class="col-md-3"), Column("text", css_class="col-md-9")))


class ResolutionDeleteForm(forms.Form):
    """The delete button of one resolution (its id; an unknown one is a 404 in the view)."""

    resolution = forms.CharField(required=False)


class ActionItemForm(forms.Form):
    description = forms.CharField(label=_("Uraian tindak lanjut"), widget=forms.Textarea(attrs={"rows": 2}))
    owner_person = PersonChoiceField(label=_("Penanggung jawab"), queryset=Person.objects.none(), required=False)
    owner_institution = forms.ModelChoiceField(
        label=_("Instansi penanggung jawab"), queryset=Institution.objects.all(), required=False
    )
    due_date = ranged_date(_("Batas waktu"))
    resolution = forms.ModelChoiceField(label=_("Rumusan terkait"), queryset=Resolution.objects.none(), required=False)

    def __init__(self, *args, people=None, resolutions=None, **kwargs):
        super().__init__(*args, prefix="tl", **kwargs)
        self.fields["owner_person"].queryset = (people if people is not None else Person.objects.none()).select_related(
            "institution")
        self.fields["resolution"].queryset = resolutions if resolutions is not None else Resolution.objects.none()
        self.fields["resolution"].label_from_instance = lambda r: f"{r.number}. {r.text[:60]}"
        self.helper = form_helper(
            "description",
            Row(Column("owner_person", css_class="col-md-4"), Column("owner_institution", css_class="col-md-3"),
                Column("due_date", css_class="col-md-2"), Column("resolution", css_class="col-md-3")),
        )

    def clean(self):
        data = super().clean()
        if not data.get("owner_person") and not data.get("owner_institution"):
            self.add_error("owner_person", _("Tentukan penanggung jawab: orang dan/atau instansi."))
        return data


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Catatan kemajuan"), widget=forms.Textarea(attrs={"rows": 3}))
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
    evidence = UploadField(label=_("Bukti penyelesaian (PDF, gambar, dokumen)"), required=False)

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        if item is not None:
            self.fields["status"].initial = item.status
        self.helper = form_helper("text", Row(Column("status", css_class="col-md-4"),
                                              Column("evidence", css_class="col-md-8")))


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Judul dokumen"), max_length=255, required=False)
    file = UploadField(label=_("Berkas (PDF, gambar, Word, Excel)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = form_helper(Row(Column("title", css_class="col-md-6"), Column("file", css_class="col-md-6")))
