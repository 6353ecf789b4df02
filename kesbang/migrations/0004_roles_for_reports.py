"""Re-apply the roles so the report and recipient models get their permissions."""

from django.db import migrations

from kesbang.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("kesbang", "0003_reports")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
