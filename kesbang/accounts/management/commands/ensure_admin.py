import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from kesbang.accounts import grants, twofactor
from teams.access import Role


class Command(BaseCommand):
    help = "Buat akun administrator 'admin' bila belum ada; kata sandinya dicetak sekali."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"))

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        existing = User.objects.filter(username=username).first()
        if existing is not None:
            self.stdout.write(f"Administrator '{username}' sudah ada (kata sandinya dicetak saat pertama dibuat).")
            if not twofactor.has_device(existing):
                self.stdout.write(
                    f"Verifikasi dua langkahnya belum dipasang; kode pendaftaran baru: "
                    f"manage.py otp_enrolment_code {username}"
                )
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        with grants.acting(via="manage.py ensure_admin"):  # the grants are audited (kesbang.accounts.grants)
            user = User.objects.create_superuser(username=username, email="", password=password)
            user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
        code = twofactor.enrolment_code_issue(user=user)
        line = "=" * 64
        self.stdout.write(self.style.SUCCESS(
            f"{line}\n Administrator dibuat.  Nama pengguna: {username}   Kata sandi: {password}\n"
            f" Kode pendaftaran dua langkah: {code}  (sekali pakai, berlaku {twofactor.enrolment_hours()} jam)\n"
            f" Simpan keduanya: tidak akan dicetak lagi. Saat pertama masuk, masukkan kode pendaftaran lalu\n"
            f" pasang aplikasi autentikator di ponsel (kode baru: manage.py otp_enrolment_code {username}).\n{line}"
        ))
