from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from kesbang.accounts import twofactor


class Command(BaseCommand):
    help = ("Buat kode pendaftaran verifikasi dua langkah untuk satu akun (sekali pakai, berlaku "
            "KESBANG_OTP_ENROLMENT_HOURS jam). Kode dicetak sekali; yang disimpan hanya hash-nya.")

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username: str, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Akun '{username}' tidak ditemukan.")
        if not user.is_active:
            raise CommandError(f"Akun '{username}' tidak aktif.")
        code = twofactor.enrolment_code_issue(user=user)
        enrolled = twofactor.has_device(user)
        self.stdout.write(self.style.SUCCESS(
            f"Kode pendaftaran untuk {username}: {code}\n"
            f"Berlaku {twofactor.enrolment_hours()} jam, sekali pakai. Berikan kepada pemilik akun secara langsung."
        ))
        if enrolled:
            self.stdout.write(
                "Catatan: akun ini sudah memasang aplikasi autentikator; kode ini baru berguna setelah "
                "perangkat lamanya dihapus (admin: OTP TOTP devices)."
            )
