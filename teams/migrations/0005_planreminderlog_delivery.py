"""PlanReminderLog becomes a core Delivery (claim-before-send record); existing rows were sent."""

import django.utils.timezone
from django.db import migrations, models


def mark_existing_sent(apps, schema_editor):
    PlanReminderLog = apps.get_model("teams", "PlanReminderLog")
    for row in PlanReminderLog.objects.all():
        row.status = "sent"
        row.attempts = 1
        row.created_at = row.sent_at or django.utils.timezone.now()
        row.save(update_fields=["status", "attempts", "created_at"])


class Migration(migrations.Migration):
    dependencies = [("teams", "0004_team_no_overlapping_active_postgres")]

    operations = [
        migrations.RenameField("planreminderlog", "recipients", "recipient"),
        migrations.AlterField(
            "planreminderlog", "recipient", models.TextField(blank=True, verbose_name="penerima")
        ),
        migrations.AlterField(
            "planreminderlog", "sent_at", models.DateTimeField(blank=True, null=True, verbose_name="dikirim")
        ),
        migrations.AddField(
            "planreminderlog", "status",
            models.CharField(choices=[("pending", "Menunggu"), ("sent", "Terkirim"), ("failed", "Gagal")],
                             db_index=True, default="pending", max_length=10, verbose_name="status"),
        ),
        migrations.AddField(
            "planreminderlog", "attempts", models.PositiveSmallIntegerField(default=0, verbose_name="percobaan")
        ),
        migrations.AddField(
            "planreminderlog", "claimed_at", models.DateTimeField(blank=True, null=True, verbose_name="diklaim")
        ),
        migrations.AddField("planreminderlog", "last_error", models.TextField(blank=True, verbose_name="galat terakhir")),
        migrations.AddField(
            "planreminderlog", "created_at",
            models.DateTimeField(auto_now_add=True, default=django.utils.timezone.now, verbose_name="dibuat"),
            preserve_default=False,
        ),
        migrations.RunPython(mark_existing_sent, migrations.RunPython.noop),
        migrations.AlterModelOptions(
            "planreminderlog",
            options={"ordering": ["-created_at"], "verbose_name": "log pengingat rencana aksi",
                     "verbose_name_plural": "log pengingat rencana aksi"},
        ),
    ]
