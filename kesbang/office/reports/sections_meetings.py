"""Report sections from the meetings app: meetings held with attendance and resolutions, and the
completion of their action items."""

from django.db.models import Count, Q
from django.utils.translation import gettext as _

from kesbang.office.reports.registry import ReportContext, Section, Table, section
from meetings.models import ActionItem, Meeting, Resolution
from meetings.selectors import meetings_held
from teams.plan_selectors import HUNDRED, ONE_DECIMAL


def meetings_in_scope(ctx: ReportContext):
    return Meeting.objects.filter(ctx.region_q("team__region__code"))


@section("rapat", order=50)
def meetings_section(ctx: ReportContext) -> Section:
    p = ctx.period
    held = list(meetings_held(p.start, p.end, meetings_in_scope(ctx)))
    rows = [[m.start, m.title, m.get_kind_display(), m.team.region.name if m.team_id else "—", m.invited_count,
             m.present_count, m.guest_count, m.present_count + m.guest_count, m.resolution_count] for m in held]
    resolutions = list(
        Resolution.objects.filter(meeting__in=[m.pk for m in held]).select_related("meeting").order_by(
            "meeting__start", "number")
    )
    attendance = sum(r[7] for r in rows)
    by_region: dict[str, list] = {}
    for r in rows:
        line = by_region.setdefault(r[3], [r[3], 0, 0, 0, 0, 0, 0])
        line[1] += 1
        for i, value in enumerate(r[4:9], start=2):
            line[i] += value
    region_rows = sorted(by_region.values(), key=lambda line: -line[1])
    return Section(
        key="rapat",
        title=_("Rapat Koordinasi dan Kehadiran"),
        figures=[(_("Rapat diselenggarakan"), len(held)), (_("Jumlah kehadiran rapat"), attendance),
                 (_("Rumusan/rekomendasi rapat"), len(resolutions))],
        tables=[
            Table(
                title=_("Rapat menurut wilayah tim penyelenggara"),
                headers=[_("Wilayah"), _("Rapat"), _("Diundang"), _("Anggota hadir"), _("Tamu hadir"),
                         _("Jumlah hadir"), _("Rumusan")],
                rows=region_rows, totals=[_("Jumlah"), *[sum(line[i] for line in region_rows) for i in range(1, 7)]],
                numeric=(1, 2, 3, 4, 5, 6), empty_text=_("Tidak ada rapat dalam periode ini."),
            ),
            Table(
                title=_("Rapat yang diselenggarakan"),
                headers=[_("Tanggal"), _("Rapat"), _("Jenis"), _("Wilayah"), _("Diundang"), _("Anggota hadir"),
                         _("Tamu hadir"), _("Jumlah hadir"), _("Rumusan")],
                rows=rows, totals=[_("Jumlah"), "", "", "", sum(r[4] for r in rows), sum(r[5] for r in rows),
                                   sum(r[6] for r in rows), attendance, sum(r[8] for r in rows)],
                numeric=(4, 5, 6, 7, 8), empty_text=_("Tidak ada rapat dalam periode ini."), print_limit=40,
            ),
            Table(
                title=_("Rumusan dan rekomendasi"),
                headers=[_("Rapat"), _("No"), _("Isi")],
                rows=[[r.meeting.title, r.number, r.text] for r in resolutions],
                empty_text=_("Belum ada rumusan yang dicatat."), print_limit=40,
            ),
        ],
    )


@section("tindak_lanjut", order=55)
def action_items_section(ctx: ReportContext) -> Section:
    """Action items due in the period (from any meeting in scope): done, still open, overdue at the
    period's end; completion rate = done / (due in the period, not cancelled)."""
    p = ctx.period
    items = ActionItem.objects.filter(meeting__in=meetings_in_scope(ctx), due_date__gte=p.start, due_date__lte=p.end)
    closed = list(ActionItem.CLOSED_STATUSES)
    agg = items.aggregate(
        due=Count("id", filter=~Q(status=ActionItem.Status.CANCELLED)),
        done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
        open=Count("id", filter=~Q(status__in=closed)),
    )
    rate = (min(HUNDRED, agg["done"] * HUNDRED / agg["due"]).quantize(ONE_DECIMAL) if agg["due"] else None)
    open_rows = [
        [i.meeting.title, i.description, str(i.owner_person or i.owner_institution or "—"), i.due_date,
         i.get_status_display()]
        for i in items.exclude(status__in=closed).select_related("meeting", "owner_person", "owner_institution")
        .order_by("due_date")[:5000]
    ]
    per_region = list(
        items.values("meeting__team__region__code", "meeting__team__region__name").annotate(
            due=Count("id", filter=~Q(status=ActionItem.Status.CANCELLED)),
            done=Count("id", filter=Q(status=ActionItem.Status.DONE)),
            open=Count("id", filter=~Q(status__in=closed)),
        ).order_by("meeting__team__region__code")
    )
    region_rows = [[r["meeting__team__region__name"], r["due"], r["done"], r["open"]] for r in per_region]
    return Section(
        key="tindak_lanjut",
        title=_("Tindak Lanjut Rapat"),
        intro=_("Tindak lanjut yang jatuh tempo dalam periode laporan."),
        figures=[(_("Tindak lanjut jatuh tempo"), agg["due"]), (_("Tindak lanjut selesai"), agg["done"]),
                 (_("Tingkat penyelesaian tindak lanjut"), "—" if rate is None else f"{rate:.1f} %".replace(".", ","))],
        tables=[
            Table(
                title=_("Tindak lanjut menurut wilayah tim penyelenggara rapat"),
                headers=[_("Wilayah"), _("Jatuh tempo"), _("Selesai"), _("Belum selesai")],
                rows=region_rows, totals=[_("Jumlah"), agg["due"], agg["done"], agg["open"]], numeric=(1, 2, 3),
                empty_text=_("Tidak ada tindak lanjut yang jatuh tempo dalam periode ini."),
            ),
            Table(
                title=_("Tindak lanjut yang belum selesai"),
                headers=[_("Rapat"), _("Tindak lanjut"), _("Penanggung jawab"), _("Batas waktu"), _("Status")],
                rows=open_rows, empty_text=_("Semua tindak lanjut periode ini selesai."), print_limit=40,
            ),
        ],
    )
