"""The national submission package: for one reporting period (``kesbang.office.reports.periods``),
a zip for Kemendagri with three members:

- ``rencana-aksi-terpadu-<year>.xlsx``: the Kemendagri action-plan workbook (``teams.plan_selectors``),
  one sheet per Rencana Aksi Terpadu of the province and its regencies/cities for the period's year;
- ``insiden-snpk-<period>.xlsx``: the incidents that occurred in the period with their SNPK codes
  (``incidents.taxonomy.snpk_code``) and a summary sheet;
- ``paket-nasional-<period>.json``: the same as data in the REST API's representations
  (``NationalPackageDocument`` in its OpenAPI document, built by ``kesbang.api.serializers``; also
  served at ``/api/v1/national-packages/<id>/document/``), with the SHA-256 of the two workbooks.

Confidentiality: the package leaves the office for another government body, so every incident goes
through the policy's ``external`` audience (``biasa`` in full, ``terbatas`` by reference only,
``rahasia`` only counted, never named), and only incidents the requesting login may read
(``Incident.objects.restrict``) are in it at all. Drafts and rejected reports are not incidents.
Who may request and download: ``integrations.add_nationalpackage`` / ``view_nationalpackage`` with a
province-wide scope (Staf Provinsi requests; Staf Provinsi and Pimpinan download).

Built in the background like the periodic reports: the request makes a row (a new version per
request), the task claims it, writes progress, stores the zip as a private file with its SHA-256;
a worker killed mid-way is redone by the sweeper (``packages_stuck``) on the same row.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import logging
import zipfile

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from rest_framework.utils.encoders import JSONEncoder

from incidents.classification import CLASSES, Audience, Disclosure, classes_for, disclosure
from incidents.taxonomy import snpk_code
from kesbang.api.serializers import NationalPackageDocumentSerializer
from kesbang.core.builds import BuildRunner, discard_files
from kesbang.core.tasks import enqueue_after_commit
from kesbang.core.uploads import private_storage
from kesbang.integrations import payloads
from kesbang.integrations.models import NationalPackage, package_upload_to
from kesbang.office.reports.periods import parse_period
from teams.models import Region

logger = logging.getLogger(__name__)

AUDIENCE = Audience.EXTERNAL
BUILD_TASK = "kesbang.integrations.tasks.package_build"


def province() -> Region | None:
    return Region.office_province()


# --- Request ---------------------------------------------------------------------------------------


@transaction.atomic
def package_request(*, kind: str, period: str, user, enqueue: bool = True) -> NationalPackage:
    """A new version of the package for (kind, period), built after commit (``enqueue=False``: the
    caller builds it, as the tests do)."""
    if user is not None and not (user.has_perm("integrations.add_nationalpackage") and _province_wide(user)):
        raise PermissionDenied
    try:
        parsed = parse_period(kind, period)
    except ValidationError as exc:
        raise ValidationError({"period": exc.messages}) from exc
    if parsed.start > timezone.localdate():
        raise ValidationError({"period": _("Periode %(p)s belum dimulai.") % {"p": parsed.code}})
    region = province()
    if region is None:
        raise ValidationError(_("Wilayah provinsi belum dimuat; hubungi administrator."))
    # The province row serialises the version numbers of concurrent requests.
    Region.objects.select_for_update().filter(pk=region.pk).first()
    latest = NationalPackage.objects.filter(kind=parsed.kind, period=parsed.code).aggregate(v=Max("version"))["v"]
    package = NationalPackage(
        kind=parsed.kind, period=parsed.code, period_start=parsed.start, period_end=parsed.end, region=region,
        version=(latest or 0) + 1, requested_by=user if getattr(user, "is_authenticated", False) else None,
        progress_at=timezone.now(),
    )
    package.full_clean()
    package.save()
    if enqueue:
        enqueue_after_commit(BUILD_TASK, package.pk)
    return package


def _province_wide(user) -> bool:
    from teams.access import scope_of

    return getattr(user, "is_superuser", False) or scope_of(user).all_regions


# --- What goes in ------------------------------------------------------------------------------------


def package_incidents(package: NationalPackage):
    """The incidents of the package: occurred in the period, in the province, reported (not draft nor
    rejected), of the classes the external audience may at least count, and readable by the login
    that asked for the package."""
    from incidents.models import Incident

    qs = Incident.objects.filter(
        occurred_on__gte=package.period_start, occurred_on__lte=package.period_end,
        region__parent=package.region, classification__in=classes_for(AUDIENCE),
    ).exclude(status__in=[Incident.Status.DRAF, Incident.Status.DITOLAK])
    readable = _readable_by_requester(package)
    if readable is not None:
        qs = qs.filter(pk__in=readable.values("pk"))
    return payloads.incident_queryset(qs).order_by("occurred_on", "reference")


def _readable_by_requester(package: NationalPackage):
    """The incidents the login that asked for the package may read (None: asked by the system)."""
    from incidents.models import Incident

    if package.requested_by_id is None:
        return None
    return Incident.objects.restrict(package.requested_by, "view")


def package_document(package: NationalPackage) -> dict | None:
    """The JSON member of a finished package's zip, parsed (None when its file is missing)."""
    if not package.file:
        return None
    name = f"paket-nasional-{package.period}.json"
    try:
        with package.file.open("rb") as handle, zipfile.ZipFile(handle) as archive:
            return json.loads(archive.read(name))
    except (FileNotFoundError, KeyError, zipfile.BadZipFile):
        return None


def package_plans(package: NationalPackage):
    from teams.models import ActionPlan

    code = package.region.code
    return list(ActionPlan.objects.filter(year=package.period_start.year)
                .filter(Q(team__region__code=code) | Q(team__region__code__startswith=code + "."))
                .select_related("team__region").order_by("team__region__code", "pk"))


INCIDENT_COLUMNS = [
    (_("Nomor"), 20), (_("Keterangan pengungkapan"), 22), (_("Jenis"), 16), (_("Status"), 14),
    (_("Tanggal kejadian"), 13), (_("Kode wilayah"), 10), (_("Kabupaten/kota"), 22), (_("Kecamatan"), 18),
    (_("Desa/kelurahan"), 18), (_("Judul"), 36), (_("Sumber konflik (UU 7/2012)"), 22), (_("Kode SNPK"), 12),
    (_("Kategori SNPK"), 26), (_("Sub-jenis isu"), 24), (_("Bentuk kekerasan"), 16), (_("Tahap"), 13),
    (_("Keparahan"), 11), (_("Meninggal"), 10), (_("Luka-luka"), 10), (_("Hilang"), 9), (_("Pengungsi"), 10),
    (_("Bangunan rusak"), 10), (_("Bangunan hancur"), 10), (_("Korban perempuan"), 10), (_("Korban anak"), 10),
    (_("Kerugian (Rp)"), 16), (_("Klasifikasi"), 12),
]


def _labels():
    from incidents.models import Incident
    from teams.models import Phase

    enums = {"kind": Incident.Kind, "status": Incident.Status, "source": Incident.Source,
             "violence_form": Incident.ViolenceForm, "severity": Incident.Severity,
             "classification": Incident.Classification, "phase": Phase}
    return {name: {c.value: str(c.label) for c in enum} for name, enum in enums.items()}


def _incident_row(obj, shown: Disclosure, labels) -> list:
    label = lambda field, value: labels[field].get(value, value)  # noqa: E731
    if shown is Disclosure.REFERENCE:
        return [obj.reference, _("hanya nomor (terbatas)"), label("kind", obj.kind), "", None, obj.region.code,
                obj.region.name, "", "", "", "", "", "", "", "", "", label("severity", obj.severity),
                *[None] * 9, label("classification", obj.classification)]
    cat = obj.category
    parent = cat.parent if cat is not None else None
    top, sub = (parent, cat) if parent is not None else (cat, None)
    code = snpk_code(cat.name, parent.name if parent else None) if cat is not None else ""
    return [
        obj.reference, _("lengkap"), label("kind", obj.kind), label("status", obj.status), obj.occurred_on,
        obj.region.code, obj.region.name, obj.kecamatan.name if obj.kecamatan else "",
        obj.desa.name if obj.desa else "", obj.title, label("source", obj.source), code,
        top.name if top else "", sub.name if sub else "", label("violence_form", obj.violence_form),
        label("phase", obj.phase), label("severity", obj.severity), obj.killed, obj.injured, obj.missing,
        obj.displaced, obj.buildings_damaged, obj.buildings_destroyed, obj.women_victims, obj.children_victims,
        int(obj.estimated_loss or 0), label("classification", obj.classification),
    ]


def incidents_workbook(package: NationalPackage, incidents: list, *, counts: dict) -> bytes:
    from openpyxl import Workbook

    from kesbang.core.spreadsheets import workbook_bytes, write_table_sheet

    labels = _labels()
    wb = Workbook()
    ws = wb.active
    ws.title = _("Insiden")
    rows = []
    for obj in incidents:
        shown = disclosure(obj.classification, AUDIENCE)
        if shown.named:
            rows.append(_incident_row(obj, shown, labels))
    period = package.report_period
    write_table_sheet(
        ws, title=_("Tabel Insiden dan Potensi Konflik dengan Kode SNPK — Provinsi %(p)s — %(period)s")
        % {"p": package.region.name, "period": period.label},
        headers=[str(h) for h, _w in INCIDENT_COLUMNS], rows=rows, widths=[w for _h, w in INCIDENT_COLUMNS],
        filters=[(_("Periode"), f"{package.period_start:%d/%m/%Y} – {package.period_end:%d/%m/%Y}"),
                 (_("Cakupan"), _("insiden yang terjadi dalam periode; draf dan laporan ditolak tidak termasuk"))],
    )
    summary = wb.create_sheet(_("Ringkasan"))
    labels_cls = labels["classification"]
    summary_rows = [
        [_("Insiden dalam periode (semua klasifikasi)"), counts["total"]],
        [_("Dirinci lengkap (biasa)"), counts["full"]],
        [_("Hanya nomor (terbatas)"), counts["reference"]],
        [_("Hanya dihitung, tidak dirinci (rahasia)"), counts["counted"]],
        *[[_("Klasifikasi %(c)s") % {"c": labels_cls.get(c, c)}, counts["by_classification"].get(c, 0)]
          for c in CLASSES],
    ]
    write_table_sheet(summary, title=_("Ringkasan paket pengiriman nasional — %(period)s") % {"period": period.label},
                      headers=[_("Uraian"), _("Jumlah")], rows=summary_rows, widths=[48, 12])
    return workbook_bytes(wb)


def build_members(package: NationalPackage, *, on_step=None) -> tuple[dict[str, bytes], dict]:
    """The three members (name → bytes) and the summary stored on the row."""
    from teams.plan_selectors import plan_summary, plans_workbook

    step = on_step or (lambda percent, note: None)
    period = package.report_period
    step(10, _("Rencana aksi"))
    details = [plan_summary(plan) for plan in package_plans(package)]
    plans_xlsx = plans_workbook(details)
    step(40, _("Insiden"))
    incidents = list(package_incidents(package))
    by_class: dict[str, int] = {}
    shown_counts = {Disclosure.FULL: 0, Disclosure.REFERENCE: 0, Disclosure.COUNT: 0}
    full, by_reference = [], []
    for obj in incidents:
        by_class[obj.classification] = by_class.get(obj.classification, 0) + 1
        shown = disclosure(obj.classification, AUDIENCE)
        shown_counts[shown] = shown_counts.get(shown, 0) + 1
        {Disclosure.FULL: full, Disclosure.REFERENCE: by_reference}.get(shown, []).append(obj)
    counts = {"total": len(incidents), "full": shown_counts[Disclosure.FULL],
              "reference": shown_counts[Disclosure.REFERENCE], "counted": shown_counts[Disclosure.COUNT],
              "by_classification": by_class}
    incidents_xlsx = incidents_workbook(package, incidents, counts=counts)
    step(70, "JSON")
    names = {
        "plans": f"rencana-aksi-terpadu-{period.year}.xlsx",
        "incidents": f"insiden-snpk-{period.code}.xlsx",
        "json": f"paket-nasional-{period.code}.json",
    }
    generated_at = timezone.now()
    source = {
        "schema_version": payloads.SCHEMA_VERSION,
        "generated_at": generated_at,
        "audience": str(AUDIENCE),
        "province": package.region,
        "period": {"kind": period.kind, "code": period.code, "label": str(period.label),
                   "start": period.start, "end": period.end,
                   "action_plan_periods": period.action_plan_periods()},
        "package": {"id": package.pk, "version": package.version},
        "counts": counts,
        "incidents": full,
        "incidents_by_reference": by_reference,
        "action_plans": details,
        "files": {
            names["plans"]: {"sha256": hashlib.sha256(plans_xlsx).hexdigest(), "size": len(plans_xlsx)},
            names["incidents"]: {"sha256": hashlib.sha256(incidents_xlsx).hexdigest(), "size": len(incidents_xlsx)},
        },
        "notes": _("Klasifikasi: insiden biasa dirinci lengkap, terbatas hanya nomornya, rahasia hanya dihitung."),
    }
    # An escalation's other end is named only when the package shows it in full to the same reader
    # (one query for all the links).
    readable = payloads.full_ids(AUDIENCE, among=_readable_by_requester(package))
    context = {"readable_ids": payloads.known_ids(readable, payloads.link_ids(full)), "without_logins": True}
    document = NationalPackageDocumentSerializer(source, context=context).data
    json_bytes = json.dumps(document, cls=JSONEncoder, ensure_ascii=False, indent=2).encode("utf-8")
    members = {names["plans"]: plans_xlsx, names["incidents"]: incidents_xlsx, names["json"]: json_bytes}
    summary = {"members": {name: len(data) for name, data in members.items()}, "counts": counts,
               "plans": len(details), "generated_at": generated_at.isoformat()}
    return members, summary


def zip_members(members: dict[str, bytes], *, at: datetime.datetime) -> bytes:
    local = timezone.localtime(at)
    stamp = (max(local.year, 1980), local.month, local.day, local.hour, local.minute, local.second // 2 * 2)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            archive.writestr(info, data)
    return buffer.getvalue()


# --- Building (body of the Celery task) -------------------------------------------------------------------


RUNNER = BuildRunner(
    NationalPackage, label="national package", select_related=("region", "requested_by"),
    timeout_reason=_lazy("Waktu pembuatan paket habis. Minta paket baru; jika berulang, hubungi administrator."),
    error_reason=_lazy("Terjadi kesalahan saat membuat paket (%(error)s). Minta paket baru; jika berulang, hubungi "
                       "administrator."),
)


def package_claim(package_id: int, *, stale_after: datetime.timedelta | None = None) -> NationalPackage | None:
    """Take the package for this worker (``BuildRunner.claim``)."""
    return RUNNER.claim(package_id, stale=stale_after)


def _build(package: NationalPackage) -> dict:
    members, summary = build_members(package, on_step=lambda pct, note: RUNNER.progress(package, pct, note))
    RUNNER.progress(package, 90, "ZIP")
    data = zip_members(members, at=timezone.now())
    name = private_storage.save(package_upload_to(package, "paket.zip"), ContentFile(data))
    return {"name": name, "sha256": hashlib.sha256(data).hexdigest(), "size": len(data), "summary": summary}


def _apply(current: NationalPackage, built: dict) -> list[str]:
    old = current.file.name
    current.file.name = built["name"]
    current.sha256, current.size, current.summary = built["sha256"], built["size"], built["summary"]
    return [old] if old and old != built["name"] else []


def package_build(*, package_id: int) -> NationalPackage | None:
    """Build, zip and store one package (``BuildRunner.run``); a failure is recorded on the row."""
    return RUNNER.run(package_id, build=_build, apply=_apply, discard=lambda built: discard_files([built["name"]]))


def packages_stuck(*, stale_after: datetime.timedelta | None = None) -> list[int]:
    return RUNNER.stuck(stale=stale_after)
