"""Create the roles (groups) with their permissions. See kesbang/accounts/roles.py."""

from django.db import migrations

from kesbang.accounts.roles import sync_roles


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("teams", "0002_load_bangka_belitung_regions"),
        ("django_celery_beat", "0001_initial"),
        ("axes", "0001_initial"),
    ]
    operations = [migrations.RunPython(sync_roles, migrations.RunPython.noop)]
