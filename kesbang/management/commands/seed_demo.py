from django.core.management.base import BaseCommand

from kesbang.demo import DEMO_PASSWORD, seed_demo


class Command(BaseCommand):
    help = "Isi data demo (instansi, orang, tim, akun per peran). Aman dijalankan berulang kali."

    def handle(self, *args, **options):
        counts = seed_demo()
        self.stdout.write(self.style.SUCCESS(
            "Data demo siap: {institutions} instansi, {people} orang, {logins} akun demo.".format(**counts)
        ))
        self.stdout.write(
            f"Akun demo (kata sandi: {DEMO_PASSWORD}): administrator, pimpinan, staf.provinsi, staf.bangka, anggota.tim"
        )
