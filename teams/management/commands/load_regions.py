from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from teams.services import regions_load


class Command(BaseCommand):
    help = "Muat wilayah satu provinsi (kode Kemendagri, mis. 19) dari berkas wilayah nasional."

    def add_arguments(self, parser):
        parser.add_argument("province_code", help="kode provinsi dua angka, mis. 19 atau 32")

    def handle(self, *args, province_code: str, **options):
        try:
            result = regions_load(province_code=province_code)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Provinsi {result.province_code}: {result.rows} wilayah dalam berkas, "
                f"{result.created} baru, {result.updated} diperbarui."
            )
        )
