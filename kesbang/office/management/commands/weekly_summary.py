"""manage.py weekly_summary [--week 2026-W47] [--dry-run]

Plans and sends a week's summary by hand (a missed Monday, a re-run), through the same delivery
rows as the scheduled run: a recipient who already received it is not sent it again."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from kesbang.office.recipients import recipients_for
from kesbang.office.weekly import services
from kesbang.office.weekly.weeks import last_complete_week, parse_week


class Command(BaseCommand):
    help = "Kirim ringkasan mingguan (default: minggu lengkap terakhir), sekali per penerima."

    def add_arguments(self, parser):
        parser.add_argument("--week", help="Minggu ISO, mis. 2026-W47 (default: minggu lengkap terakhir)")
        parser.add_argument("--dry-run", action="store_true", help="Tampilkan penerima dan isi tanpa mengirim")

    def handle(self, *args, week=None, dry_run=False, **options):
        try:
            target = parse_week(week) if week else last_complete_week()
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        self.stdout.write(f"Minggu {target.code}: {target.start:%d-%m-%Y} s.d. {target.end:%d-%m-%Y}")
        if dry_run:
            content = services.weekly_summary_build(target)
            recipients = recipients_for("weekly_summary")
            self.stdout.write(f"Penerima ({len(recipients)}): {', '.join(recipients) or '-'}")
            message = services.weekly_summary_email(content, to=recipients or ["-"])
            self.stdout.write(f"Subjek: {message.subject}\n")
            self.stdout.write(message.body)
            self.stdout.write("Uji coba: tidak ada yang dikirim atau dicatat.")
            return
        summary = services.weekly_summary_plan(week=target)
        counts = {"terkirim": 0, "sudah": 0, "gagal": 0}
        for row in summary.deliveries.order_by("email"):
            if row.is_sent:
                counts["sudah"] += 1
                self.stdout.write(f"  sudah terkirim sebelumnya: {row.email}")
                continue
            try:
                sent = services.weekly_summary_send(delivery_id=row.pk)
            except Exception as exc:  # noqa: BLE001 - reported per recipient; the sweeper retries
                counts["gagal"] += 1
                self.stderr.write(f"  gagal: {row.email} ({type(exc).__name__}: {exc})")
                continue
            if sent:
                counts["terkirim"] += 1
                self.stdout.write(f"  terkirim: {row.email}")
            else:
                counts["sudah"] += 1
                self.stdout.write(f"  sedang/sudah dikirim proses lain: {row.email}")
        self.stdout.write(
            f"Selesai: {counts['terkirim']} terkirim, {counts['sudah']} sudah terkirim, {counts['gagal']} gagal."
        )
        if counts["gagal"]:
            raise CommandError("Sebagian gagal; jalankan lagi atau tunggu penyapu (sweeper).")
