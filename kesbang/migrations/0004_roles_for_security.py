"""Re-apply the roles: administrators manage two-factor devices and read the audit log."""

from django.db import migrations

from kesbang.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("kesbang", "0003_audit_event"),
        ("otp_totp", "0003_add_timestamps"),
        ("otp_static", "0003_add_timestamps"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
