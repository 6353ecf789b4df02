"""Weekly summary section from the incidents app: the week's new and escalated incidents by
regency/city and severity, and the incidents still open and high.

"New" is by the time of the report (reported_at in Monday 00:00 - next Monday 00:00 WIB): an
incident that happened earlier but was reported late appears in the week it was reported, flagged as
late, since last week's summary has already gone out. Reports from the public (``/lapor/``) are
counted: received in the week, taken into an incident, and still waiting for triage. The summary goes
to addresses without a login too, so it shows each class as ``incidents.classification`` says for
``Audience.WEEKLY_SUMMARY``: ``terbatas`` by reference only, ``rahasia`` counted but never named."""

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import formats
from django.utils.translation import gettext as _

from incidents import classification
from incidents.classification import Audience, Disclosure
from incidents.models import Incident, PublicReport
from incidents.selectors import public_report_week
from kesbang.core.email import absolute_url
from kesbang.office.weekly.registry import figure, link, summary_section
from kesbang.office.weekly.weeks import Week

SEVERITIES = Incident.Severity.values


def _title(incident: Incident) -> str:
    if classification.disclosure(incident.classification, Audience.WEEKLY_SUMMARY) is Disclosure.FULL:
        return incident.title
    return _("[Berklasifikasi %(label)s]") % {"label": incident.get_classification_display().lower()}


@summary_section("insiden", order=10)
def incidents(week: Week) -> dict:
    qs = Incident.objects.exclude(status=Incident.Status.DRAF)
    new = qs.filter(reported_at__gte=week.start_at, reported_at__lt=week.end_at)
    per_region = list(
        new.values("region__name").annotate(
            n=Count("id"), **{s: Count("id", filter=Q(severity=s)) for s in SEVERITIES},
        ).order_by("region__code")
    )
    agg = new.aggregate(
        n=Count("id"), late=Count("id", filter=Q(occurred_on__lt=week.start)),
        escalated=Count("id", filter=Q(escalated_from__isnull=False)),
    )
    high = qs.filter(status__in=Incident.OPEN_STATUSES, severity__in=["tinggi", "kritis"])
    # Narrow rows and a plain ordering ("kritis" sorts before "tinggi"): the top 25 of tens of
    # thousands of open incidents without sorting whole rows.
    named = classification.classes_for(Audience.WEEKLY_SUMMARY, at_least=Disclosure.REFERENCE)
    high_open = list(
        high.filter(classification__in=named)
        .select_related("region").only("id", "reference", "title", "severity", "occurred_on", "status", "region__name",
                                       "classification")
        .order_by("severity", "-occurred_on", "-id")[:25]
    )
    high_count = high.count()
    list_url = absolute_url(reverse("incidents:incident_list"))
    # By the time of the report, as counted above; drafts left out, as above.
    week_url = (f"{list_url}?tanpa_draf=1&dilaporkan_dari={week.start.isoformat()}"
                f"&dilaporkan_sampai={week.end.isoformat()}")
    high_url = f"{list_url}?tanpa_draf=1&terbuka=on&severity=tinggi&severity=kritis"
    public = public_report_week(PublicReport.objects.all(), week.start_at, week.end_at)
    rows = [[r["region__name"], str(r["n"]), *[str(r[s]) for s in SEVERITIES]] for r in per_region]
    if rows:
        rows.append([_("Jumlah"), str(agg["n"]), *[str(sum(r[s] for r in per_region)) for s in SEVERITIES]])
    return {
        "key": "insiden",
        "title": _("Insiden"),
        "figures": [
            figure(_("Insiden baru dilaporkan"), agg["n"], week_url),
            figure(_("di antaranya terjadi sebelum minggu ini (terlambat dilaporkan)"), agg["late"]),
            figure(_("Eskalasi potensi menjadi peristiwa konflik"), agg["escalated"]),
            figure(_("Insiden terbuka tingkat tinggi/kritis"), high_count, high_url),
            # Reports from the public (/lapor/): counts only, never their words or the reporter; no link (the
            # queue opens to verifiers only, and most recipients are not).
            figure(_("Laporan masyarakat masuk"), public["received"]),
            figure(_("di antaranya diterima atau digabung ke insiden"), public["taken"]),
            figure(_("Laporan masyarakat menunggu pemeriksaan"), public["waiting"]),
        ],
        "tables": [
            {
                "title": _("Insiden baru per kabupaten/kota dan tingkat keparahan"),
                "headers": [_("Wilayah"), _("Jumlah"), *[str(label) for label in Incident.Severity.labels]],
                "rows": rows,
                "empty": _("Tidak ada insiden baru minggu ini."),
            },
            {
                "title": _("Masih terbuka dan tingkat tinggi/kritis"),
                "headers": [_("Insiden"), _("Nomor"), _("Wilayah"), _("Keparahan"), _("Terjadi"), _("Status")],
                # Six columns do not fit a phone: the email shows each row as a title and one line.
                "stacked": True,
                "rows": [[link(_title(i), absolute_url(i.get_absolute_url())), i.reference, i.region.name,
                          i.get_severity_display(), formats.date_format(i.occurred_on, "j F Y"),
                          i.get_status_display()] for i in high_open],
                "empty": _("Tidak ada insiden terbuka tingkat tinggi/kritis."),
            },
        ],
    }
