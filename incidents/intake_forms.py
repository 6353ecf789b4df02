"""Forms of the public intake: the public report form (``/lapor/``), the tracking-code look-up, and the
verifiers' triage forms (accept, merge, reject). Plain forms; the views hand ``cleaned_data`` to the
``incidents.intake`` services.

The public form carries its own abuse checks, none of which asks another server: a honeypot field
people never see, and a signed time stamp of when the form was served (too soon: a program; too old:
served again). Rate limits need the request and live in the view."""

from __future__ import annotations

import re
import time

from django import forms
from django.conf import settings
from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incidents.forms import CategoryChoiceField, category_choices, pick_label
from incidents.models import Incident, PublicReport, tracking_normalise
from kesbang.core.forms import MultipleFileInput, date_widget, model_field
from teams.models import Region

STAMP_SALT = "kesbang.lapor.formulir"
HONEYPOT = "situs_web"  # never shown to people (hidden by the stylesheet, out of the tab order)
REGENCY_LEVELS = [Region.Level.KABUPATEN, Region.Level.KOTA]
PHONE = re.compile(r"^\+?[\d\s().-]{8,20}$")


def form_stamp(*, backdate: int = 0) -> str:
    """When the form was served, signed (the page carries it back). ``backdate``: seconds earlier (a form
    served again to a person who already filled it in)."""
    return signing.dumps({"t": int(time.time()) - backdate}, salt=STAMP_SALT, compress=True)


def stamp_age(value: str) -> float | None:
    """Seconds since ``form_stamp`` made ``value``; None when it is not ours or older than
    ``PUBLIC_REPORT_FORM_MAX_AGE_DAYS``."""
    max_age = settings.PUBLIC_REPORT_FORM_MAX_AGE_DAYS * 86400
    try:
        data = signing.loads(value or "", salt=STAMP_SALT, max_age=max_age)
    except signing.BadSignature:
        return None
    return time.time() - float(data.get("t", 0))


class PhotoField(forms.FileField):
    """Up to ``PUBLIC_REPORT_MAX_PHOTOS`` photos (JPG/PNG by content, at most
    ``PUBLIC_REPORT_PHOTO_MAX_MB`` each): the core upload checks before anything is stored; the service
    checks again."""

    widget = MultipleFileInput

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.widget.attrs.update(accept="image/jpeg,image/png,image/*")

    def clean(self, data, initial=None):
        from incidents.intake import check_photo, max_photos

        files = [f for f in (data if isinstance(data, (list, tuple)) else [data]) if f]
        if len(files) > max_photos():
            raise forms.ValidationError(_("Paling banyak %(max)s foto.") % {"max": max_photos()})
        cleaned = [forms.FileField.clean(self, f, initial) for f in files]
        for f in cleaned:
            check_photo(f, field=None)
        return cleaned


def regencies():
    return Region.objects.filter(level__in=REGENCY_LEVELS).order_by("code")


class RegionFieldsMixin:
    """Kabupaten/kota → kecamatan → desa selects whose choices follow the posted parent."""

    def add_region_fields(self, regions):
        self.fields["region"] = forms.ModelChoiceField(label=_("Kabupaten/kota"), queryset=regions,
                                                       empty_label=_("— pilih —"))
        region_id = self._posted_id("region")
        kecamatan_id = self._posted_id("kecamatan")
        self.fields["kecamatan"] = forms.ModelChoiceField(
            label=_("Kecamatan"), required=False, empty_label=_("— pilih —"),
            queryset=Region.objects.filter(level=Region.Level.KECAMATAN, parent_id=region_id or 0).order_by("code"))
        self.fields["desa"] = forms.ModelChoiceField(
            label=_("Desa/kelurahan"), required=False, empty_label=_("— pilih —"),
            queryset=Region.objects.filter(level__in=[Region.Level.DESA, Region.Level.KELURAHAN],
                                           parent_id=kecamatan_id or 0).order_by("code"))
        for name in ("region", "kecamatan", "desa"):
            self.fields[name].widget.attrs["data-region-select"] = name

    def _posted_id(self, name):
        value = self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
        value = getattr(value, "pk", value)
        try:
            return int(value) if value else None
        except (TypeError, ValueError):
            return None


class PublicReportForm(RegionFieldsMixin, forms.Form):
    """The public report form. ``cleaned_data`` minus the check fields goes to ``public_report_submit``
    (``service_fields``)."""

    IDENTITY_CHOICES = [
        ("anonim", _("Kirim tanpa identitas (anonim)")),
        ("identitas", _("Sertakan nama dan kontak saya")),
    ]

    description = forms.CharField(
        label=_("Apa yang terjadi?"), min_length=20, max_length=4000,
        widget=forms.Textarea(attrs={"rows": 5, "placeholder": _(
            "Contoh: Sejak pagi puluhan warga berkumpul di lokasi tambang dan menghadang alat berat; suasana "
            "memanas.")}),
        help_text=_("Siapa yang terlibat, apa yang terjadi, dan bagaimana keadaannya sekarang. Paling sedikit 20 "
                    "karakter."),
        error_messages={"min_length": _("Ceritakan sedikit lebih lengkap (paling sedikit 20 karakter)."),
                        "required": _("Ceritakan apa yang terjadi.")},
    )
    situation = forms.ChoiceField(label=_("Keadaan saat ini"), choices=PublicReport.Situation.choices,
                                  widget=forms.RadioSelect, initial=PublicReport.Situation.POTENSI)
    occurred_on = forms.DateField(label=_("Tanggal kejadian"), widget=date_widget(),
                                  error_messages={"required": _("Isi tanggal kejadian."),
                                                  "invalid": _("Tanggal tidak dikenali.")})
    occurred_time = forms.TimeField(label=_("Jam (bila tahu)"), required=False,
                                    widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    place_detail = forms.CharField(
        label=_("Lokasi atau patokan"), required=False, max_length=200,
        widget=forms.TextInput(attrs={"placeholder": _("mis. dekat jembatan Sungai Selan, Dusun II")}))
    latitude = forms.DecimalField(label=_("Lintang"), required=False, min_value=-90, max_value=90, max_digits=9,
                                  decimal_places=6, widget=forms.NumberInput(attrs={"step": "0.000001"}))
    longitude = forms.DecimalField(label=_("Bujur"), required=False, min_value=-180, max_value=180, max_digits=9,
                                   decimal_places=6, widget=forms.NumberInput(attrs={"step": "0.000001"}))
    photos = PhotoField(label=_("Foto (boleh dikosongkan)"))
    identity = forms.ChoiceField(
        label=_("Identitas pelapor"), choices=IDENTITY_CHOICES, widget=forms.RadioSelect,
        error_messages={"required": _("Pilih: kirim tanpa identitas, atau sertakan nama dan kontak.")})
    reporter_name = forms.CharField(label=_("Nama"), required=False, max_length=120,
                                    widget=forms.TextInput(attrs={"autocomplete": "name"}))
    reporter_phone = forms.CharField(label=_("Nomor telepon/WhatsApp"), required=False, max_length=30,
                                     widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}))
    reporter_email = forms.EmailField(label=_("Email"), required=False,
                                      widget=forms.EmailInput(attrs={"autocomplete": "email"}),
                                      error_messages={"invalid": _("Alamat email tidak sah.")})
    consent = forms.BooleanField(
        label=_("Saya telah membaca pemberitahuan pelindungan data pribadi di atas dan setuju laporan ini (beserta "
                "nama dan kontak bila saya isi) diproses untuk penanganan konflik sosial."),
        error_messages={"required": _("Centang persetujuan pelindungan data pribadi untuk mengirim laporan.")})
    started = forms.CharField(required=False, widget=forms.HiddenInput)
    client_key = forms.UUIDField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_region_fields(regencies())
        self.fields[HONEYPOT] = forms.CharField(
            label=_("Jangan diisi"), required=False,
            widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}))
        pick_label(self)
        self.refusal = None  # "honeypot" | "too_fast" | "expired": the view answers these itself

    def clean_reporter_phone(self):
        phone = (self.cleaned_data.get("reporter_phone") or "").strip()
        if phone and not PHONE.match(phone):
            raise forms.ValidationError(_("Nomor telepon hanya berisi angka (boleh diawali +62), 8 sampai 15 digit."))
        return phone

    def clean_occurred_on(self):
        day = self.cleaned_data["occurred_on"]
        if day > timezone.localdate():
            raise forms.ValidationError(_("Tanggal kejadian tidak boleh di masa depan."))
        return day

    def clean(self):
        data = super().clean()
        if data.get(HONEYPOT):
            self.refusal = "honeypot"
            raise forms.ValidationError(
                _("Laporan tidak dapat diterima: kolom tersembunyi untuk program otomatis ikut terisi. Bila Anda "
                  "mengisi sendiri, matikan pengisian otomatis peramban, muat ulang halaman, lalu kirim lagi."),
                code="honeypot")
        age = stamp_age(data.get("started", ""))
        if age is None:
            self.refusal = "expired"
            raise forms.ValidationError(
                _("Formulir ini sudah terlalu lama terbuka atau tidak utuh. Isian Anda sudah dipulihkan di bawah; "
                  "periksa lalu tekan Kirim sekali lagi."), code="expired")
        if age < settings.PUBLIC_REPORT_MIN_FILL_SECONDS:
            self.refusal = "too_fast"
            raise forms.ValidationError(
                _("Laporan terkirim terlalu cepat setelah formulir dibuka (kurang dari %(s)s detik), seperti "
                  "kiriman program otomatis. Periksa isian Anda, lalu tekan Kirim lagi.")
                % {"s": settings.PUBLIC_REPORT_MIN_FILL_SECONDS}, code="too_fast")
        if data.get("identity") == "identitas" and not (data.get("reporter_phone") or data.get("reporter_email")):
            self.add_error("reporter_phone", _(
                "Isi nomor telepon/WhatsApp atau email agar petugas dapat menghubungi Anda, atau pilih "
                "\"Kirim tanpa identitas\"."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."))
        return data

    def service_fields(self) -> dict:
        data = self.cleaned_data
        anonymous = data["identity"] != "identitas"
        fields = {name: data.get(name) for name in (
            "description", "situation", "occurred_on", "occurred_time", "region", "kecamatan", "desa",
            "place_detail", "latitude", "longitude")}
        fields["place_detail"] = fields["place_detail"] or ""
        fields.update(anonymous=anonymous, reporter_name="" if anonymous else data.get("reporter_name", ""),
                      reporter_phone="" if anonymous else data.get("reporter_phone", ""),
                      reporter_email="" if anonymous else data.get("reporter_email", ""))
        return fields


class TrackingLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Kode pelacakan"), max_length=20,
        widget=forms.TextInput(attrs={"placeholder": "ABCDE-12345", "autocomplete": "off", "autocapitalize":
                                      "characters", "spellcheck": "false", "inputmode": "text"}),
        error_messages={"required": _("Masukkan kode pelacakan Anda.")})

    def clean_code(self):
        normal = tracking_normalise(self.cleaned_data["code"])
        if normal is None:
            raise forms.ValidationError(_(
                "Kode pelacakan terdiri atas 10 huruf dan angka, misalnya ABCDE-12345. Periksa kembali kode Anda."))
        return normal


# --- Triage (verifiers) ---------------------------------------------------------------------------------


class AcceptForm(RegionFieldsMixin, forms.Form):
    """The incident a report becomes: what the verifier checked and completed (prefilled from the report)."""

    title = model_field(Incident, "title")
    kind = model_field(Incident, "kind")
    occurred_on = model_field(Incident, "occurred_on")
    chronology = model_field(Incident, "chronology", widget=forms.Textarea(attrs={"rows": 5}))
    source = model_field(Incident, "source")
    severity = model_field(Incident, "severity")
    classification = model_field(Incident, "classification")
    note = forms.CharField(label=_("Catatan pemeriksaan (untuk petugas)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, regions, **kwargs):
        super().__init__(*args, **kwargs)
        self.add_region_fields(regions)
        self.fields["category"] = CategoryChoiceField(label=_("Kategori"), empty_label=_("— pilih —"),
                                                      queryset=category_choices())
        self.order_fields(["title", "kind", "occurred_on", "region", "kecamatan", "desa", "chronology", "source",
                           "category", "severity", "classification", "note"])
        pick_label(self)

    def service_fields(self) -> dict:
        return {k: v for k, v in self.cleaned_data.items() if k != "note"}


class MergeForm(forms.Form):
    incident = forms.ModelChoiceField(label=_("Gabungkan ke insiden"), queryset=Incident.objects.none(),
                                      empty_label=_("— pilih insiden —"),
                                      error_messages={"required": _("Pilih insiden tujuan."),
                                                      "invalid_choice": _("Insiden ini tidak dapat dipilih.")})
    reference = forms.CharField(label=_("atau nomor insiden"), required=False, max_length=32,
                                widget=forms.TextInput(attrs={"placeholder": "INS-19.01-2026-0001"}))
    note = forms.CharField(label=_("Catatan pemeriksaan (untuk petugas)"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, candidates, changeable, **kwargs):
        super().__init__(*args, **kwargs)
        self.changeable = changeable
        self.fields["incident"].queryset = candidates
        self.fields["incident"].required = False
        self.fields["incident"].label_from_instance = lambda i: f"{i.reference} · {i.title} ({i.occurred_on:%d/%m/%Y})"

    def clean(self):
        data = super().clean()
        reference = (data.get("reference") or "").strip()
        if reference and not data.get("incident"):
            found = self.changeable.filter(reference__iexact=reference).first()
            if found is None:
                self.add_error("reference", _("Tidak ada insiden bernomor %(ref)s yang dapat Anda ubah.")
                               % {"ref": reference})
            data["incident"] = found
        elif not data.get("incident") and "incident" not in self.errors:
            self.add_error("incident", _("Pilih insiden tujuan atau tulis nomornya."))
        return data


class RejectForm(forms.Form):
    reason = forms.ChoiceField(label=_("Alasan"), choices=PublicReport.RejectReason.choices,
                               widget=forms.RadioSelect,
                               error_messages={"required": _("Pilih alasan penolakan.")})
    note = forms.CharField(label=_("Catatan (untuk petugas, tidak diperlihatkan kepada pelapor)"), required=False,
                           max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
