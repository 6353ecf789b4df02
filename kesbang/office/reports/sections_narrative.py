"""The narrative the staff write before finalising a report (always the last section)."""

from django.utils.translation import gettext as _

from kesbang.office.reports.registry import ReportContext, Section, section


@section("narasi", order=900)
def narrative_section(ctx: ReportContext) -> Section:
    paragraphs = [p.strip() for p in ctx.narrative.replace("\r\n", "\n").split("\n\n") if p.strip()]
    return Section(
        key="narasi",
        title=_("Analisis, Kesimpulan dan Rekomendasi"),
        paragraphs=paragraphs or [_("(Narasi belum diisi.)")],
    )
