"""Emailing a report version to the configured recipients, once per (report, recipient)."""

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.core.delivery import deliver
from kesbang.core.email import absolute_url, send_email
from kesbang.core.spreadsheets import XLSX_CONTENT_TYPE
from kesbang.office.models import Report, ReportDelivery
from kesbang.office.recipients import recipients_for


def report_deliveries_plan(*, report: Report) -> list[int]:
    """A pending row per recipient (existing rows kept); the ids of those not yet sent."""
    for email in recipients_for("reports"):
        try:
            with transaction.atomic():
                ReportDelivery.objects.get_or_create(report=report, email=email, defaults={"recipient": email})
        except IntegrityError:
            pass
    return list(report.deliveries.exclude(status=ReportDelivery.Status.SENT).order_by("pk")
                .values_list("pk", flat=True))


def report_send_one(*, delivery_id: int, connection=None) -> bool:
    row = ReportDelivery.objects.select_related("report__region").get(pk=delivery_id)
    report = row.report
    if not report.is_done:
        return False

    def send(_claimed):
        with report.pdf_file.open("rb") as pdf, report.xlsx_file.open("rb") as xlsx:
            attachments = [(report.download_name("pdf"), pdf.read(), "application/pdf"),
                           (report.download_name("xlsx"), xlsx.read(), XLSX_CONTENT_TYPE)]
        send_email(
            to=[row.email],
            subject=_("Laporan %(kind)s %(period)s Tim Terpadu %(region)s") % {
                "kind": report.get_kind_display(), "period": report.period, "region": report.region.name},
            template="report_ready",
            context={"report": report, "label": report.report_period.label,
                     "url": absolute_url(report.get_absolute_url()), "figures": report.figures.get("figures", [])},
            attachments=attachments, connection=connection,
        )

    sent = deliver(ReportDelivery, key={"report": report, "email": row.email}, send=send, recipient=row.email)
    if sent:
        Report.objects.filter(pk=report.pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent
