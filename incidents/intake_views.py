"""Pages of the public intake.

Public (marked ``login_not_required``; no login, no classified data, no official's name):

- ``/lapor/``: the report form. Abuse checks without any outside service: a signed device cookie and
  rate limits per device and per client address (``kesbang.accounts.client_address.client_ip``,
  django-ratelimit counters in the cache), a honeypot field, a minimum fill time (a signed time
  stamp) and the core photo checks; each refusal is a page that says why in Indonesian (400/429)
  with what was typed kept. Geolocation is allowed on this page only (Permissions-Policy).
- ``/lapor/status/`` and ``/lapor/status/<kode>/``: the tracking page: the report's public status
  (``PublicReport.public_status``) and the day it was received, nothing else; look-ups are limited
  per address.
- ``/lapor/privasi/``: the personal-data notice (UU 27/2022); ``/lapor/wilayah.json``: the province's
  regions for the form's selects (public reference data; the offline form reads it from the cache).

Verifiers (``incidents.view_publicreport``; rows through ``PublicReport.objects.restrict``):

- ``/insiden/laporan-masyarakat/``: the triage queue (waiting reports of the login's scope first);
- ``/insiden/laporan-masyarakat/<id>/``: one report with its photos and the reporter's contact, the
  possible duplicates, and three forms: accept (a draft incident), merge, reject.
"""

from __future__ import annotations

import logging
import secrets
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import FormView, TemplateView

from incidents import access, intake, selectors
from incidents.intake_forms import (
    HONEYPOT,
    AcceptForm,
    MergeForm,
    PublicReportForm,
    RejectForm,
    TrackingLookupForm,
    form_stamp,
)
from incidents.models import Incident, PublicReport, PublicReportPhoto, tracking_display, tracking_normalise
from kesbang.accounts.client_address import client_ip
from kesbang.accounts.security import permissions_policy
from kesbang.core.forms import add_service_errors
from kesbang.core.views import ListTableView, MultiFormView, ProtectedView, ScopedObjectMixin
from teams.models import Region

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "kb_perangkat"
DEVICE_SALT = "kesbang.lapor.perangkat"
DEVICE_MAX_AGE = 365 * 24 * 3600
GEOLOCATION = permissions_policy(allow=("geolocation",))
public = method_decorator([login_not_required, never_cache], name="dispatch")


# --- Abuse limits ----------------------------------------------------------------------------------------


def device_id(request) -> str | None:
    """The signed random id this browser got with the form (None: none, or not ours)."""
    return request.get_signed_cookie(DEVICE_COOKIE, default=None, salt=DEVICE_SALT) or None


def give_device_id(request, response) -> None:
    if device_id(request) is None:
        response.set_signed_cookie(
            DEVICE_COOKIE, secrets.token_urlsafe(16), salt=DEVICE_SALT, max_age=DEVICE_MAX_AGE, path="/lapor/",
            httponly=True, samesite="Lax", secure=bool(getattr(settings, "SESSION_COOKIE_SECURE", False)))


def over_limit(request, group: str, value: str, rate: str, *, increment: bool) -> int | None:
    """Seconds until ``value`` (an address or a device id, hashed in the cache key by django-ratelimit)
    may again do ``group``, or None while under ``rate``. Counting without ``increment`` asks whether
    one more is allowed. A cache that fails lets the request through (logged): the public form is an
    early-warning channel and must not close because a cache is down."""
    from django_ratelimit.core import get_usage

    try:
        usage = get_usage(request, group=group, key=lambda _g, _r: value, rate=rate, increment=increment)
    except Exception:  # noqa: BLE001 - the cache is down or refuses: fail open, and say so in the log
        logger.warning("rate limit %s not checked (cache error)", group, exc_info=True)
        return None
    if usage is None:
        return None
    count, limit = usage["count"], usage["limit"]
    if (count > limit) if increment else (count >= limit):
        return max(int(usage["time_left"]), 60)
    return None


def _minutes(seconds: int) -> int:
    return max(1, (seconds + 59) // 60)


# --- Public form -------------------------------------------------------------------------------------------


def _consent_context() -> dict:
    return {"retention_days": intake.retention_days(), "office_name": settings.KESBANG_OFFICE_NAME,
            "office_contact": settings.KESBANG_OFFICE_CONTACT, "office_address": settings.KESBANG_OFFICE_ADDRESS,
            "office_government": settings.KESBANG_OFFICE_GOVERNMENT,
            "office_letterhead": settings.KESBANG_LETTERHEAD_OFFICE}


def outbox_messages() -> dict:
    return {
        "offline": _("Tidak ada sinyal. Laporan Anda tersimpan di perangkat ini dan akan dikirim sekali begitu "
                     "koneksi kembali. Jangan tutup halaman ini bila bisa; bila tertutup, buka lagi alamat ini "
                     "saat ada sinyal."),
        "sending": _("Koneksi ada: mengirim laporan yang tersimpan..."),
        "restored": _("Isian yang belum terkirim dipulihkan dari perangkat ini."),
        "resizing": _("Memperkecil foto sebelum dikirim..."),
        "locating": _("Mencari lokasi Anda..."),
        "located": _("Titik lokasi terisi dari perangkat Anda. Geser peta atau ketuk untuk memperbaiki."),
        "locationDenied": _("Lokasi tidak dapat dibaca (izin ditolak atau tidak tersedia). Ketuk peta untuk memilih "
                            "titik, atau lewati."),
        "pointSet": _("Titik dipilih di peta."),
        "pointCleared": _("Titik dihapus."),
        "tooManyPhotos": _("Paling banyak %(max)s foto.") % {"max": intake.max_photos()},
        "notImage": _("Berkas ini bukan foto yang dapat dibaca: %(name)s"),
        "removePhoto": _("Hapus"),
        "sent": _("Laporan terkirim. Kode pelacakan: %(code)s"),
    }


def location_config() -> dict:
    """What static/js/location-picker.js reads: the offline map's boundaries and its messages."""
    from django.templatetags.static import static

    texts = outbox_messages()
    return {
        "regenciesUrl": static("incidents/geo/batas-kabkota-19.geojson"),
        "tilesUrl": settings.INCIDENT_MAP_TILES_URL, "tilesAttribution": settings.INCIDENT_MAP_TILES_ATTRIBUTION,
        "messages": {k: texts[k] for k in ("locating", "located", "locationDenied", "pointSet", "pointCleared")},
    }


@public
class PublicReportCreateView(FormView):
    template_name = "public/report_form.html"
    form_class = PublicReportForm

    def get_initial(self):
        return {"occurred_on": timezone.localdate(), "started": form_stamp(), "client_key": uuid.uuid4()}

    def get_context_data(self, **kwargs):
        from django.templatetags.static import static

        map_config = {
            "regenciesUrl": static("incidents/geo/batas-kabkota-19.geojson"),
            "kecamatanUrl": static("incidents/geo/batas-kecamatan-19.geojson"),
            "tilesUrl": settings.INCIDENT_MAP_TILES_URL, "tilesAttribution": settings.INCIDENT_MAP_TILES_ATTRIBUTION,
            "regionsUrl": reverse("lapor:regions"),
            "maxPhotos": intake.max_photos(), "photoMaxBytes": intake.photo_max_bytes(),
            "statusUrl": reverse("lapor:status", args=["KODE000000"]),
        }
        context = super().get_context_data(
            outbox_messages=outbox_messages(), map_config=map_config, location_config=location_config(),
            min_fill=settings.PUBLIC_REPORT_MIN_FILL_SECONDS, max_photos=intake.max_photos(),
            photo_max_mb=settings.PUBLIC_REPORT_PHOTO_MAX_MB, **_consent_context(), **kwargs)
        context["honeypot_field"] = context["form"][HONEYPOT]
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        response["Permissions-Policy"] = GEOLOCATION
        give_device_id(self.request, response)
        return response

    def refuse(self, form, message: str, status: int):
        """The form again, what was typed kept, with ``message`` on top and a fresh time stamp."""
        form.data = form.data.copy()
        form.data["started"] = form_stamp()
        form.refused = message
        return self.render_to_response(self.get_context_data(form=form, refused=message), status=status)

    def post(self, request, *args, **kwargs):
        form = self.get_form()
        address = client_ip(request) or "tanpa-alamat"
        wait = over_limit(request, "lapor-percobaan", address, settings.PUBLIC_REPORT_RATE_ATTEMPTS, increment=True)
        if wait:
            return self.refuse(form, _(
                "Terlalu banyak percobaan pengiriman dari jaringan Anda. Coba lagi dalam %(min)s menit. Dalam keadaan "
                "darurat hubungi polisi di 110.") % {"min": _minutes(wait)}, 429)
        device = device_id(request)
        if device is None:
            return self.refuse(form, _(
                "Perangkat Anda belum dikenali oleh formulir ini (cookie diblokir atau halaman dibuka dari tautan "
                "lain). Izinkan cookie untuk situs ini, lalu tekan Kirim sekali lagi."), 400)
        if not form.is_valid():
            if form.refusal:
                if form.refusal == "expired":
                    form.data = form.data.copy()
                    form.data["started"] = form_stamp(backdate=settings.PUBLIC_REPORT_MIN_FILL_SECONDS)
                    return self.render_to_response(self.get_context_data(form=form), status=400)
                return self.refuse(form, form.non_field_errors()[0], 400)
            return self.render_to_response(self.get_context_data(form=form))
        key = form.cleaned_data.get("client_key")
        done = PublicReport.objects.filter(client_key=key).first() if key else None
        if done is None:
            for group, value, rate in (("lapor-perangkat", device, settings.PUBLIC_REPORT_RATE_DEVICE),
                                       ("lapor-alamat", address, settings.PUBLIC_REPORT_RATE_ADDRESS)):
                wait = over_limit(request, group, value, rate, increment=False)
                if wait:
                    return self.refuse(form, _(
                        "Sudah terlalu banyak laporan dari perangkat atau jaringan ini dalam waktu singkat. Laporan "
                        "ini belum terkirim; coba lagi dalam %(min)s menit. Dalam keadaan darurat hubungi polisi di "
                        "110.") % {"min": _minutes(wait)}, 429)
            try:
                done, created = intake.public_report_submit(
                    client_key=key, photos=form.cleaned_data.get("photos") or [], **form.service_fields())
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.render_to_response(self.get_context_data(form=form))
            if created:
                over_limit(request, "lapor-perangkat", device, settings.PUBLIC_REPORT_RATE_DEVICE, increment=True)
                over_limit(request, "lapor-alamat", address, settings.PUBLIC_REPORT_RATE_ADDRESS, increment=True)
        url = reverse("lapor:status", args=[tracking_display(done.tracking_code)]) + "?baru=1"
        if request.headers.get("X-Requested-With") == "fetch":
            # The offline outbox (static/js/public-report.js) sent it: where to go, and the code to keep.
            return JsonResponse({"url": url, "code": tracking_display(done.tracking_code)})
        return redirect(url)


@public
class PublicReportLookupView(FormView):
    template_name = "public/report_lookup.html"
    form_class = TrackingLookupForm

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_consent_context(), **kwargs)

    def form_valid(self, form):
        return redirect("lapor:status", tracking_display(form.cleaned_data["code"]))


@public
class PublicReportStatusView(TemplateView):
    """The report's public status only: never its content, place, incident, reference or any official."""

    template_name = "public/report_status.html"

    def get(self, request, code):
        address = client_ip(request) or "tanpa-alamat"
        wait = over_limit(request, "lapor-lacak", address, settings.PUBLIC_TRACKING_RATE, increment=True)
        if wait:
            return self.render_to_response(self.get_context_data(limited=_minutes(wait), form=TrackingLookupForm(),
                                                                 **_consent_context()), status=429)
        normal = tracking_normalise(code)
        report = (PublicReport.objects.select_related("incident").only("tracking_code", "submitted_at", "status",
                                                                       "incident__status")
                  .filter(tracking_code=normal).first() if normal else None)
        if report is None:
            form = TrackingLookupForm(initial={"code": code[:20]})
            return self.render_to_response(self.get_context_data(not_found=True, form=form, **_consent_context()),
                                           status=404)
        if normal and tracking_display(normal) != code:
            return redirect("lapor:status", tracking_display(normal))
        status = report.public_status()
        steps = []
        order = [PublicReport.PublicStatus.DITERIMA, PublicReport.PublicStatus.DIVERIFIKASI,
                 PublicReport.PublicStatus.DITANGANI, PublicReport.PublicStatus.SELESAI]
        reached = order.index(status) if status in order else len(order)
        for i, step in enumerate(order):
            steps.append({"label": step.label, "done": i < reached, "current": i == reached})
        return self.render_to_response(self.get_context_data(
            report=report, code=tracking_display(report.tracking_code), status=status,
            status_label=PublicReport.PublicStatus(status).label, steps=steps,
            closed=status == PublicReport.PublicStatus.DITUTUP, status_page=True,
            just_sent=request.GET.get("baru") == "1",
            received=intake.received_label(report), **_consent_context()))


@public
class PublicPrivacyView(TemplateView):
    template_name = "public/privacy.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(**_consent_context(), **kwargs)


REGIONS_CACHE_KEY = "kesbang:lapor:wilayah:v1"


@method_decorator(login_not_required, name="dispatch")
class PublicRegionsView(View):
    """Every regency/city, kecamatan and desa/kelurahan of the province (public reference data, as
    published by Kemendagri): ``{"regencies": [...], "children": {parent id: [...]}}``. The public form's
    selects and, offline, the quick entry's read it from the browser's cache."""

    def get(self, request):
        data = cache.get(REGIONS_CACHE_KEY)
        if data is None:
            rows = Region.objects.filter(level__in=[Region.Level.KABUPATEN, Region.Level.KOTA, Region.Level.KECAMATAN,
                                                    Region.Level.DESA, Region.Level.KELURAHAN]).order_by("code")
            regencies, children = [], {}
            for pk, code, name, level, parent_id in rows.values_list("id", "code", "name", "level", "parent_id"):
                item = {"id": pk, "code": code, "name": name}
                if level in (Region.Level.KABUPATEN, Region.Level.KOTA):
                    regencies.append(item)
                else:
                    children.setdefault(str(parent_id), []).append(item)
            data = {"regencies": regencies, "children": children}
            cache.set(REGIONS_CACHE_KEY, data, 3600)
        response = JsonResponse(data)
        response["Cache-Control"] = "public, max-age=3600"
        return response


# --- Triage (verifiers) ------------------------------------------------------------------------------------


class PublicReportListView(ListTableView):
    permission_required = "incidents.view_publicreport"
    template_name = "incidents/public_report_list.html"

    @property
    def table_class(self):
        from incidents.intake_tables import PublicReportTable

        return PublicReportTable

    @property
    def filterset_class(self):
        from incidents.intake_tables import PublicReportFilter

        return PublicReportFilter

    def filter_data(self):
        data = self.request.GET.copy()
        data.setdefault("status", PublicReport.Status.BARU)  # the queue: waiting reports unless asked otherwise
        return data

    def get_queryset(self):
        return selectors.public_report_list_queryset(PublicReport.objects.restrict(self.request.user, "view"))

    @property
    def is_filtered(self) -> bool:
        """Only what the visitor chose counts (the queue's own "waiting" default is not a filter)."""
        filters = self.filterset.filters if self.filterset is not None else {}
        return any(self.request.GET.get(name) for name in filters)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            waiting=selectors.public_reports_waiting(PublicReport.objects.restrict(self.request.user, "view")),
            **kwargs)


class PublicReportDetailView(ScopedObjectMixin, MultiFormView):
    """One report and its triage: ``which`` = terima (accept), gabung (merge) or tolak (reject)."""

    permission_required = "incidents.view_publicreport"
    template_name = "incidents/public_report_detail.html"
    model = PublicReport
    form_names = {"terima": "accept_form", "gabung": "merge_form", "tolak": "reject_form"}
    success_messages = {}

    def get_scoped_queryset(self):
        return PublicReport.objects.select_related("region", "kecamatan", "desa", "incident", "decided_by")

    def has_permission(self):
        ok = super().has_permission()
        if ok and self.request.method == "POST":
            return self.request.user.has_perm("incidents.change_publicreport")
        return ok

    def may_change(self, obj) -> bool:
        return intake.may_triage(self.request.user, obj)

    def changeable_incidents(self):
        return intake.merge_candidates(Incident.objects.restrict(self.request.user, "change"))

    def duplicates(self):
        """Incidents the login may read at the report's place within 3 days (only while it waits)."""
        report = self.object
        if not report.is_open:
            return []
        return list(selectors.possible_duplicates(
            intake.merge_candidates(Incident.objects.restrict(self.request.user, "view")),
            desa_id=report.desa_id, kecamatan_id=report.kecamatan_id, region_id=report.region_id,
            occurred_on=report.occurred_on).select_related("region"))

    def make_form(self, which, data=None, files=None):
        report = self.object
        if which == "terima":
            initial = {
                "title": _first_sentence(report.description), "kind": report.situation,
                "occurred_on": report.occurred_on, "region": report.region_id, "kecamatan": report.kecamatan_id,
                "desa": report.desa_id, "chronology": _chronology(report), "severity": "sedang",
                "classification": "biasa",
            }
            return AcceptForm(data, regions=access.reportable_regions(self.request.user), initial=initial,
                              prefix="terima")
        if which == "gabung":
            dup_ids = [i.pk for i in self._duplicates]
            candidates = self.changeable_incidents().filter(pk__in=dup_ids).order_by("-occurred_on")
            return MergeForm(data, candidates=candidates, changeable=self.changeable_incidents(), prefix="gabung")
        return RejectForm(data, prefix="tolak")

    def get(self, request, *args, **kwargs):
        self._duplicates = self.duplicates()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._duplicates = self.duplicates()
        return super().post(request, *args, **kwargs)

    def perform_terima(self, form):
        submit = self.request.POST.get("action") == "laporkan"
        report = self.object
        # The point and the hour the reporter gave go along (the officer may correct them on the incident).
        fields = {"latitude": report.latitude, "longitude": report.longitude, "occurred_time": report.occurred_time,
                  **form.service_fields()}
        incident = intake.public_report_accept(report=report, user=self.request.user, submit=submit,
                                               note=form.cleaned_data.get("note", ""), **fields)
        self.result_message = _("Laporan masyarakat %(code)s diterima menjadi %(ref)s (%(status)s). Lengkapi "
                                "rinciannya.") % {"code": self.object.tracking_display, "ref": incident.reference,
                                                   "status": incident.get_status_display().lower()}
        self.next_url = reverse("incidents:incident_update", args=[incident.pk]) if not submit \
            else incident.get_absolute_url()
        return incident

    def perform_gabung(self, form):
        incident = intake.public_report_merge(report=self.object, user=self.request.user,
                                              incident=form.cleaned_data["incident"],
                                              note=form.cleaned_data.get("note", ""))
        self.result_message = _("Laporan masyarakat %(code)s digabung ke %(ref)s.") % {
            "code": self.object.tracking_display, "ref": incident.reference}
        self.next_url = incident.get_absolute_url()
        return incident

    def perform_tolak(self, form):
        intake.public_report_reject(report=self.object, user=self.request.user, reason=form.cleaned_data["reason"],
                                    note=form.cleaned_data.get("note", ""))
        self.result_message = _("Laporan masyarakat %(code)s ditolak.") % {"code": self.object.tracking_display}
        self.next_url = reverse("incidents:public_report_list")
        return self.object

    def get_success_message(self, result) -> str:
        return self.result_message

    def get_success_url_for(self, result) -> str:
        return self.next_url

    def get_context_data(self, **kwargs):
        report = self.object
        can_triage = report.is_open and self.request.user.has_perm("incidents.change_publicreport") \
            and self.may_change(report)
        readable = set()
        if report.incident_id:
            from incidents import classification

            readable = classification.readable_ids(self.request.user, [report.incident_id])
        return super().get_context_data(
            report=report, photos=list(report.photos.all()), duplicates=self._duplicates, can_triage=can_triage,
            incident_readable=report.incident_id in readable, retention_days=intake.retention_days(), **kwargs)


def _first_sentence(text: str) -> str:
    head = " ".join((text or "").split())
    for stop in (". ", "! ", "? ", "; "):
        if stop in head[:200]:
            head = head.split(stop, 1)[0]
            break
    return head[:200] or _("Laporan masyarakat")


def _chronology(report: PublicReport) -> str:
    place = f"\n\n{_('Lokasi/patokan')}: {report.place_detail}" if report.place_detail else ""
    return _("Laporan masyarakat diterima %(day)s:") % {"day": intake.received_label(report)} + \
        f"\n{report.description}{place}"


class PublicReportPhotoView(ProtectedView, ScopedObjectMixin, View):
    """A photo of a report the login may see (404 otherwise); ``?lihat=1`` shows it in the page."""

    permission_required = "incidents.view_publicreport"
    model = PublicReport

    def get(self, request, pk, photo_pk):
        photo = PublicReportPhoto.objects.filter(pk=photo_pk, report=self.object).first()
        if photo is None:
            raise Http404
        return photo.file_response(inline=request.GET.get("lihat") == "1")


__all__ = ["PublicReportCreateView", "PublicReportLookupView", "PublicReportStatusView", "PublicPrivacyView",
           "PublicRegionsView", "PublicReportListView", "PublicReportDetailView", "PublicReportPhotoView"]
