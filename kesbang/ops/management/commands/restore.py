from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from kesbang.ops import backup


class Command(BaseCommand):
    help = ("Pulihkan basis data dan berkas unggahan dari folder cadangan (menimpa data sekarang). Semua checksum "
            "dan (bila terenkripsi) autentikasi diperiksa dulu, sebelum basis data disentuh.")

    def add_arguments(self, parser):
        parser.add_argument("folder", help="folder cadangan, mis. var/backups/20260101-020000")
        parser.add_argument("--noinput", "--no-input", action="store_true", help="tanpa konfirmasi")
        parser.add_argument("--allow-unencrypted", action="store_true",
                            help="terima cadangan tidak terenkripsi walaupun BACKUP_ENCRYPTION_KEY diisi")

    def handle(self, *args, folder, noinput=False, allow_unencrypted=False, **options):
        self.stdout.write("Memeriksa cadangan (checksum, dekripsi) sebelum mengubah apa pun...")
        try:
            verified = backup.open_verified(Path(folder), allow_unencrypted=allow_unencrypted)
        except backup.BackupError as exc:
            raise CommandError(f"Cadangan ditolak, tidak ada yang diubah: {exc}") from exc
        with verified:
            for line in verified.summary():
                self.stdout.write(line)
            if not noinput:
                answer = input("Ketik 'ya' untuk mengganti data sekarang dengan isi cadangan ini: ")
                if answer.strip().lower() != "ya":
                    raise CommandError("Dibatalkan.")
            try:
                result = backup.restore_verified(verified)
            except backup.BackupError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(
            f"Dipulihkan dari {folder}: {result['tables']} tabel, {result['rows']} baris, {result['files']} berkas; "
            "cocok dengan manifest."
        ))
