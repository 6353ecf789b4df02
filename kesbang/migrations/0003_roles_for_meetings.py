"""Re-apply the roles now that the meetings capability has its models."""

from django.db import migrations

from kesbang.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [("kesbang", "0002_roles_for_teams"), ("meetings", "0001_initial")]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
