"""Seed the SNPK categories and issue sub-types (incidents.taxonomy); later edits happen in the admin."""

from django.db import migrations


def seed(apps, schema_editor):
    from incidents.taxonomy import SNPK_CATEGORIES

    Category = apps.get_model("incidents", "Category")
    for order, (name, social, subtypes) in enumerate(SNPK_CATEGORIES, start=1):
        parent, _ = Category.objects.get_or_create(
            parent=None, name=name, defaults={"social_conflict": social, "sort_order": order * 10}
        )
        for sub_order, sub in enumerate(subtypes, start=1):
            Category.objects.get_or_create(
                parent=parent, name=sub, defaults={"social_conflict": social, "sort_order": sub_order}
            )


class Migration(migrations.Migration):
    dependencies = [("incidents", "0001_initial")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
