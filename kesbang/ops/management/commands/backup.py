from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from kesbang.ops import backup


class Command(BaseCommand):
    help = ("Cadangkan basis data dan berkas unggahan ke var/backups/<waktu>/ (atau BACKUP_DIR); terenkripsi "
            "bila BACKUP_ENCRYPTION_KEY diisi.")

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="folder induk cadangan (bawaan var/backups atau BACKUP_DIR)")
        parser.add_argument("--generate-key", action="store_true",
                            help="cetak kunci acak baru untuk BACKUP_ENCRYPTION_KEY, tanpa membuat cadangan")

    def handle(self, *args, dir=None, generate_key=False, **options):
        if generate_key:
            self.stdout.write(backup.generate_key())
            return
        try:
            folder = backup.backup(dir)
        except ImproperlyConfigured as exc:
            raise CommandError(str(exc)) from exc
        manifest = backup.json.loads((folder / backup.MANIFEST).read_text(encoding="utf-8"))
        encrypted = "terenkripsi" if manifest["encryption"] else "TIDAK terenkripsi (BACKUP_ENCRYPTION_KEY kosong)"
        self.stdout.write(self.style.SUCCESS(
            f"Cadangan dibuat: {folder}  ({sum(manifest['tables'].values())} baris, "
            f"{len(manifest['media'])} berkas, {encrypted})"
        ))
        self.stdout.write(f"backup: {folder}")
