"""Re-apply the roles now that the teams capability has its models."""

from django.db import migrations

from kesbang.accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("kesbang", "0001_roles"), ("teams", "0004_team_no_overlapping_active_postgres")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
