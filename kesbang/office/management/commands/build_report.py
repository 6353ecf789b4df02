"""manage.py build_report KIND PERIOD [--region CODE] [--send]

Makes a new version of a periodic report by hand (e.g. ``caturwulan 2026-B12``) and builds it in
this process through the same claim as the Celery task, printing the progress and the files."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kesbang.office.models import Report
from kesbang.office.reports import services
from teams.models import Region


class Command(BaseCommand):
    help = "Buat laporan berkala: KIND (bulanan|caturwulan|semester|tahunan) PERIOD (2026-05|2026-B12|2026-S1|2026)."

    def add_arguments(self, parser):
        parser.add_argument("kind")
        parser.add_argument("period")
        parser.add_argument("--region", default=None, help="Kode wilayah (default: provinsi), mis. 19.01")
        parser.add_argument("--send", action="store_true", help="Kirim ke penerima laporan setelah selesai")

    def handle(self, *args, kind, period, region=None, send=False, **options):
        if region:
            target = Region.objects.filter(code=region).first()
            if target is None:
                raise CommandError(f"Wilayah {region} tidak dikenal.")
        else:
            target = Region.office_province()
        try:
            # Not queued: this process builds it, through the same claim as the task.
            report = services.report_request(kind=kind, period=period, region=target, enqueue=False)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Laporan #{report.pk}: {report.get_kind_display()} {report.period} {target.name} "
                          f"versi {report.version}")
        services.report_generate(report_id=report.pk)
        report = Report.objects.get(pk=report.pk)
        if report.status != Report.Status.SELESAI:
            raise CommandError(f"Gagal: {report.failure_reason or report.status}")
        self.stdout.write(f"  PDF : {report.pdf_file.path} (sha256 {report.pdf_sha256})")
        self.stdout.write(f"  xlsx: {report.xlsx_file.path} (sha256 {report.xlsx_sha256})")
        for label, value in report.figures.get("figures", []):
            self.stdout.write(f"  {label}: {value}")
        if send:
            from kesbang.office.reports.delivery import report_deliveries_plan, report_send_one

            for delivery_id in report_deliveries_plan(report=report):
                sent = report_send_one(delivery_id=delivery_id)
                self.stdout.write(f"  kirim #{delivery_id}: {'terkirim' if sent else 'sudah terkirim'}")
