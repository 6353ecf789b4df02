"""The moved models' content types follow them: ``kesbang.report`` becomes ``office.report`` (same row,
same id), so the permissions on it, the groups holding them and the admin's log entries stay attached.

On a new database there is nothing to rename (content types are created after migrating, already
under ``office``)."""

from django.db import migrations

MODELS = ("report", "reportdelivery", "weeklysummary", "weeklysummarydelivery", "recipient", "nonworkingday")


def _move(apps, schema_editor, old: str, new: str) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    db = schema_editor.connection.alias
    for model in MODELS:
        moving = ContentType.objects.using(db).filter(app_label=old, model=model).first()
        if moving is None:
            continue
        # A content type already created under the new label (a migrate run with the new code before
        # this migration existed) holds no grants yet: the old one, which does, wins.
        stale = ContentType.objects.using(db).filter(app_label=new, model=model).first()
        if stale is not None:
            Permission.objects.using(db).filter(content_type=stale).delete()
            stale.delete()
        moving.app_label = new
        moving.save(update_fields=["app_label"])
    ContentType.objects.clear_cache()


def forwards(apps, schema_editor):
    _move(apps, schema_editor, "kesbang", "office")


def backwards(apps, schema_editor):
    _move(apps, schema_editor, "office", "kesbang")


class Migration(migrations.Migration):

    dependencies = [
        ("office", "0001_initial"),
        ("kesbang", "0011_office_models_moved"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
