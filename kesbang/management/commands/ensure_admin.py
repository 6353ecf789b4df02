import os
import secrets

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand

from kesbang import grants
from teams.access import Role


class Command(BaseCommand):
    help = "Buat akun administrator 'admin' bila belum ada; kata sandinya dicetak sekali."

    def add_arguments(self, parser):
        parser.add_argument("--username", default=os.environ.get("DJANGO_SUPERUSER_USERNAME", "admin"))

    def handle(self, *args, username: str, **options):
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(f"Administrator '{username}' sudah ada (kata sandinya dicetak saat pertama dibuat).")
            return
        password = os.environ.get("DJANGO_SUPERUSER_PASSWORD") or secrets.token_urlsafe(12)
        with grants.acting(via="manage.py ensure_admin"):  # the grants are audited (kesbang.grants)
            user = User.objects.create_superuser(username=username, email="", password=password)
            user.groups.add(Group.objects.get(name=Role.ADMINISTRATOR))
        line = "=" * 64
        self.stdout.write(self.style.SUCCESS(
            f"{line}\n Administrator dibuat.  Nama pengguna: {username}   Kata sandi: {password}\n"
            f" Simpan kata sandi ini: tidak akan dicetak lagi.\n"
            f" Saat pertama masuk, pasang verifikasi dua langkah (aplikasi autentikator di ponsel).\n{line}"
        ))
