from django.core.management.base import BaseCommand, CommandError

from kesbang.demo.seed import DEMO_PASSWORD, demo_enrolment_codes, production_signals, real_data_signals, seed_demo


class Command(BaseCommand):
    help = ("Isi data demo (instansi, orang, tim, akun per peran). Aman dijalankan berulang kali. Menolak basis "
            "data yang berisi data sungguhan atau konfigurasi produksi, kecuali dengan --force-demo-on-real-data.")

    def add_arguments(self, parser):
        parser.add_argument(
            "--force-demo-on-real-data", action="store_true",
            help="Tetap isi data demo walaupun basis data berisi data sungguhan atau konfigurasinya produksi.",
        )

    def handle(self, *args, force_demo_on_real_data: bool = False, **options):
        reasons = production_signals() + real_data_signals()
        if reasons and not force_demo_on_real_data:
            raise CommandError(
                "seed_demo dihentikan: sistem ini tampak sungguhan ("
                + "; ".join(reasons)
                + "). Data demo membuat akun dengan kata sandi yang diumumkan dan insiden fiktif, sehingga tidak "
                "boleh masuk ke data sungguhan. Bila Anda yakin, jalankan lagi dengan --force-demo-on-real-data."
            )
        counts = seed_demo()
        self.stdout.write(self.style.SUCCESS(
            "Data demo siap: {institutions} instansi, {people} orang, {logins} akun demo.".format(**counts)
        ))
        self.stdout.write(
            f"Akun demo (kata sandi: {DEMO_PASSWORD}): administrator, pimpinan, staf.provinsi, staf.bangka, anggota.tim"
        )
        codes = demo_enrolment_codes()
        if codes:
            self.stdout.write(
                "Akun berikut wajib verifikasi dua langkah. Saat pertama masuk, masukkan kode pendaftaran ini "
                "(sekali pakai) lalu pindai kode QR dengan aplikasi autentikator di ponsel:"
            )
            for username, code in codes.items():
                self.stdout.write(f"  {username:<15} {code}")
