from django.core.management.base import BaseCommand

from kesbang import backup


class Command(BaseCommand):
    help = "Cadangkan basis data dan berkas unggahan ke var/backups/<waktu>/ (atau BACKUP_DIR)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", help="folder induk cadangan (bawaan var/backups atau BACKUP_DIR)")

    def handle(self, *args, dir=None, **options):
        folder = backup.backup(dir)
        manifest = backup.json.loads((folder / backup.MANIFEST).read_text(encoding="utf-8"))
        self.stdout.write(self.style.SUCCESS(
            f"Cadangan dibuat: {folder}  ({sum(manifest['tables'].values())} baris, "
            f"{len(manifest['media'])} berkas)"
        ))
        self.stdout.write(f"backup: {folder}")
