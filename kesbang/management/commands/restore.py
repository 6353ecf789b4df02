from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kesbang import backup


class Command(BaseCommand):
    help = "Pulihkan basis data dan berkas unggahan dari folder cadangan (menimpa data sekarang)."

    def add_arguments(self, parser):
        parser.add_argument("folder", help="folder cadangan, mis. var/backups/20260101-020000")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="tanpa konfirmasi")

    def handle(self, *args, folder, noinput=False, **options):
        path = Path(folder)
        if not (path / backup.MANIFEST).is_file():
            raise CommandError(f"{folder} bukan folder cadangan Kesbang (tidak ada {backup.MANIFEST}).")
        if not noinput:
            answer = input(f"Semua data sekarang akan diganti dengan isi {folder}. Ketik 'ya' untuk lanjut: ")
            if answer.strip().lower() != "ya":
                raise CommandError("Dibatalkan.")
        try:
            result = backup.restore(path)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Dipulihkan dari {folder}: {result['tables']} tabel, {result['rows']} baris, {result['files']} berkas; "
            "cocok dengan manifest."
        ))
