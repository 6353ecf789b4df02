"""List (and with --delete remove) files under MEDIA_ROOT that no FileField row points to."""

from django.core.management.base import BaseCommand

from kesbang.core.uploads import orphan_files, private_storage


class Command(BaseCommand):
    help = "Daftar berkas di MEDIA_ROOT yang tidak dirujuk baris mana pun; --delete menghapusnya."

    def add_arguments(self, parser):
        parser.add_argument("--delete", action="store_true", help="hapus berkas yatim yang ditemukan")

    def handle(self, *args, delete=False, **options):
        names = orphan_files()
        for name in names:
            self.stdout.write(name)
            if delete:
                private_storage.delete(name)
        verb = "dihapus" if delete else "ditemukan"
        self.stderr.write(f"{len(names)} berkas yatim {verb}.")
