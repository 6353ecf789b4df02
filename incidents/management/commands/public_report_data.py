"""A reporter's data request under UU 27/2022: export or erase what Kesbang holds about the public
reports they sent, named by tracking code or by the phone number / email they left.

    manage.py public_report_data export --kode ABCDE-12345 [--keluaran data.json]
    manage.py public_report_data export --kontak 0812-3456-7890
    manage.py public_report_data hapus --kode ABCDE-12345 [--ya]

``export`` writes JSON (UTF-8) of every matching report (``incidents.intake.report_export``);
``hapus`` (erase) removes the reporter's name, phone, email and the photos still held of every
matching report, each exactly once (``incidents.intake.personal_data_erase``); both are recorded in
the audit log. The incident a report became is a government record: it is neither exported nor
erased here (its content is the report's text as the verifier checked it, without the contact).
"""

import json

from django.core.management.base import BaseCommand, CommandError

from incidents import intake


class Command(BaseCommand):
    help = "Ekspor atau hapus data pribadi pelapor masyarakat (UU 27/2022), menurut kode pelacakan atau kontak."

    def add_arguments(self, parser):
        parser.add_argument("aksi", choices=["export", "hapus"], help="export (JSON) atau hapus (data pribadi)")
        who = parser.add_mutually_exclusive_group(required=True)
        who.add_argument("--kode", default="", help="kode pelacakan, mis. ABCDE-12345")
        who.add_argument("--kontak", default="", help="nomor telepon/WhatsApp atau email yang ditinggalkan pelapor")
        parser.add_argument("--keluaran", default="", help="berkas JSON (export); tanpa ini: ke layar")
        parser.add_argument("--ya", action="store_true", help="hapus tanpa bertanya lagi")

    def handle(self, *args, aksi, kode, kontak, keluaran, ya, **options):
        from kesbang.accounts import audit

        reports = list(intake.reports_of_reporter(code=kode, contact=kontak))
        who = f"kode {kode}" if kode else "kontak yang diberikan"
        if not reports:
            raise CommandError(f"Tidak ada laporan masyarakat untuk {who}.")
        if aksi == "export":
            data = {"laporan": [intake.report_export(r) for r in reports]}
            text = json.dumps(data, ensure_ascii=False, indent=2)
            if keluaran:
                with open(keluaran, "w", encoding="utf-8") as fh:
                    fh.write(text + "\n")
                self.stdout.write(f"{len(reports)} laporan diekspor ke {keluaran}.")
            else:
                self.stdout.write(text)
            ids = ", ".join(f"#{r.pk}" for r in reports)
            audit.record("pdp_exported", username="(manage.py)", detail=f"laporan masyarakat {ids}: ekspor atas "
                                                                          f"permintaan pelapor ({who})"[:500])
            return
        if not ya and options.get("interactive", True):
            answer = input(f"Hapus nama, kontak, dan foto dari {len(reports)} laporan ({who})? Ketik 'ya': ")
            if answer.strip().lower() != "ya":
                raise CommandError("Dibatalkan; tidak ada yang dihapus.")
        erased = [r.pk for r in reports if intake.personal_data_erase(
            report_id=r.pk, reason="atas permintaan pelapor", actor="(manage.py)")]
        already = len(reports) - len(erased)
        self.stdout.write(f"Data pribadi dihapus dari {len(erased)} laporan"
                          + (f"; {already} laporan sudah dihapus sebelumnya." if already else "."))
