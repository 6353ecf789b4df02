"""Report sections from the incidents app: incidents by region, source and severity with impact
totals; handling and recovery status; Status Keadaan Konflik. Incidents count by occurrence date
in the period (drafts excluded), for the report's region."""

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext as _

from incidents.classification import Audience, classes_for
from incidents.models import ConflictStatus, FollowUp, Incident
from incidents.selectors import incident_stats
from kesbang.office.reports.registry import ReportContext, Section, Table, section

IMPACT = ("killed", "injured", "missing", "displaced", "buildings_damaged", "buildings_destroyed", "estimated_loss")


def incidents_in_scope(ctx: ReportContext):
    """The report's incidents: drafts left out, and the classes its audience may count
    (``incidents.classification``: a regency/city report, read by the regency's staff, leaves
    ``rahasia`` out entirely; the province report counts it without naming it)."""
    audience = Audience.PROVINCE_REPORT if ctx.region.is_province else Audience.REGENCY_REPORT
    return Incident.objects.filter(ctx.region_q("region__code"), classification__in=classes_for(audience)).exclude(
        status=Incident.Status.DRAF)


@section("insiden", order=20)
def incidents_section(ctx: ReportContext) -> Section:
    base = incidents_in_scope(ctx)
    p = ctx.period
    stats = incident_stats(base, p.start, p.end)
    rows_qs = base.filter(occurred_on__gte=p.start, occurred_on__lte=p.end)
    by_region = list(
        rows_qs.values("region__code", "region__name").annotate(
            total=Count("id"), potensi=Count("id", filter=Q(kind="potensi")),
            peristiwa=Count("id", filter=Q(kind="peristiwa")), **{k: Sum(k) for k in IMPACT},
        ).order_by("region__code")
    )
    region_rows = [
        [r["region__name"], r["total"], r["potensi"], r["peristiwa"], r["killed"] or 0, r["injured"] or 0,
         r["missing"] or 0, r["displaced"] or 0, (r["buildings_damaged"] or 0) + (r["buildings_destroyed"] or 0),
         r["estimated_loss"] or 0]
        for r in by_region
    ]
    totals = [_("Jumlah"), *[sum(row[i] for row in region_rows) for i in range(1, 10)]]
    by_source = dict(rows_qs.values_list("source").annotate(n=Count("id")).order_by())
    by_severity = dict(rows_qs.values_list("severity").annotate(n=Count("id")).order_by())
    return Section(
        key="insiden",
        title=_("Insiden dan Potensi Konflik"),
        intro=_("Insiden yang terjadi dalam periode laporan (menurut tanggal kejadian; draf tidak dihitung)."),
        figures=[
            (_("Insiden dalam periode"), stats.total),
            (_("Potensi konflik"), stats.potensi),
            (_("Peristiwa konflik"), stats.peristiwa),
            (_("Insiden tingkat tinggi/kritis"), stats.high_severity),
            (_("Korban meninggal"), stats.killed),
            (_("Korban luka-luka"), stats.injured),
            (_("Pengungsi"), stats.displaced),
        ],
        tables=[
            Table(
                title=_("Menurut kabupaten/kota, dengan dampak"),
                headers=[_("Wilayah"), _("Jumlah"), _("Potensi"), _("Peristiwa"), _("Meninggal"), _("Luka"),
                         _("Hilang"), _("Pengungsi"), _("Bangunan rusak/hancur"), _("Perkiraan kerugian (Rp)")],
                rows=region_rows, totals=totals, numeric=tuple(range(1, 10)),
                empty_text=_("Tidak ada insiden dalam periode ini."),
            ),
            Table(
                title=_("Menurut sumber konflik (UU 7/2012 Pasal 5)"),
                headers=[_("Sumber konflik"), _("Jumlah")],
                rows=[[str(label), by_source.get(code, 0)] for code, label in Incident.Source.choices],
                totals=[_("Jumlah"), stats.total], numeric=(1,),
            ),
            Table(
                title=_("Menurut tingkat keparahan"),
                headers=[_("Tingkat keparahan"), _("Jumlah")],
                rows=[[str(label), by_severity.get(code, 0)] for code, label in Incident.Severity.choices],
                totals=[_("Jumlah"), stats.total], numeric=(1,),
            ),
        ],
    )


@section("penanganan", order=30)
def handling_section(ctx: ReportContext) -> Section:
    base = incidents_in_scope(ctx)
    p = ctx.period
    by_status = dict(base.filter(occurred_on__gte=p.start, occurred_on__lte=p.end)
                     .values_list("status").annotate(n=Count("id")).order_by())
    open_at_end = base.filter(occurred_on__lte=p.end, status__in=Incident.OPEN_STATUSES).count()
    followups = dict(
        FollowUp.objects.filter(incident__in=base, date__gte=p.start, date__lte=p.end)
        .values_list("kind").annotate(n=Count("id")).order_by()
    )
    statuses = [s for s in Incident.Status.choices if s[0] != Incident.Status.DRAF]
    done = by_status.get(Incident.Status.SELESAI, 0)
    total = sum(by_status.get(code, 0) for code, _label in statuses)
    return Section(
        key="penanganan",
        title=_("Penanganan dan Pemulihan"),
        intro=_("Status penanganan insiden periode ini dan tindakan (penghentian, rekonsiliasi, rehabilitasi, "
                "rekonstruksi) yang dicatat dalam periode."),
        figures=[(_("Insiden selesai ditangani"), done), (_("Insiden masih terbuka (seluruhnya)"), open_at_end),
                 (_("Tindakan penanganan dicatat"), sum(followups.values()))],
        tables=[
            Table(title=_("Status penanganan insiden periode ini"), headers=[_("Status"), _("Jumlah")],
                  rows=[[str(label), by_status.get(code, 0)] for code, label in statuses],
                  totals=[_("Jumlah"), total], numeric=(1,)),
            Table(title=_("Tindakan penanganan dan pemulihan"), headers=[_("Jenis tindakan"), _("Jumlah")],
                  rows=[[str(label), followups.get(code, 0)] for code, label in FollowUp.Kind.choices],
                  totals=[_("Jumlah"), sum(followups.values())], numeric=(1,)),
        ],
    )


@section("status_keadaan", order=40)
def conflict_status_section(ctx: ReportContext) -> Section:
    p = ctx.period
    statuses = list(
        ConflictStatus.objects.filter(incident__in=incidents_in_scope(ctx), start_date__lte=p.end,
                                      end_date__gte=p.start)
        .select_related("incident__region").order_by("start_date")
    )
    rows = [[s.incident.region.name, s.get_scale_display(), s.decree_number, s.decree_date, s.start_date,
             s.end_date, s.dprd_consulted_on] for s in statuses]
    return Section(
        key="status_keadaan",
        title=_("Status Keadaan Konflik"),
        intro=_("Status Keadaan Konflik (UU 7/2012 Bab IV) yang berlaku dalam periode laporan."),
        figures=[(_("Status Keadaan Konflik berlaku"), len(statuses))],
        tables=[Table(
            title="", headers=[_("Wilayah"), _("Skala"), _("Nomor keputusan"), _("Tanggal keputusan"), _("Mulai"),
                               _("Berakhir"), _("Konsultasi DPRD")],
            rows=rows, empty_text=_("Tidak ada Status Keadaan Konflik dalam periode ini."),
        )],
    )
