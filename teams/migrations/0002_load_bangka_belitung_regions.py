"""Seed the regions of Provinsi Kepulauan Bangka Belitung (448 rows) from the file the project carries."""

from django.db import migrations

from teams import regions


def load(apps, schema_editor):
    Region = apps.get_model("teams", "Region")
    rows = regions.province_rows("19", regions.read_rows(regions.PROVINCE_FILE))
    regions.load_into(Region, rows)


class Migration(migrations.Migration):
    dependencies = [("teams", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
