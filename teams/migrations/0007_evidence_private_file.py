"""Evidence takes the shape of core ``PrivateFile``: ``content_type`` (a MIME type) becomes ``kind``
(the sniffed kind: pdf, jpeg, png, xlsx, docx; the MIME type is derived from it), the uploader may be
empty (a system upload), the file's folder comes from ``Evidence.upload_folder``. Every row keeps its
data: the column is renamed, then its values are converted, then narrowed."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

import kesbang.core.uploads

# MIME type -> kind (the content types ever stored: core uploads' KINDS, plus common aliases).
KIND_OF_CONTENT_TYPE = {
    "application/pdf": "pdf",
    "image/jpeg": "jpeg",
    "image/jpg": "jpeg",
    "image/pjpeg": "jpeg",
    "image/png": "png",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}
KIND_OF_EXTENSION = {".pdf": "pdf", ".jpg": "jpeg", ".jpeg": "jpeg", ".png": "png", ".xlsx": "xlsx", ".docx": "docx"}
CONTENT_TYPE_OF_KIND = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def kind_for(content_type: str, file_name: str, original_name: str) -> str:
    """The kind of an old row: by its MIME type, else by its stored name's extension, else by the
    uploaded name's; what stays unknown keeps its MIME type's subtype cut to 10 characters."""
    import posixpath

    value = (content_type or "").split(";")[0].strip().lower()
    if value in KIND_OF_CONTENT_TYPE:
        return KIND_OF_CONTENT_TYPE[value]
    for name in (file_name, original_name):
        ext = posixpath.splitext((name or "").lower())[1]
        if ext in KIND_OF_EXTENSION:
            return KIND_OF_EXTENSION[ext]
    return (value.rsplit("/", 1)[-1] or "berkas")[:10]


def content_type_to_kind(apps, schema_editor):
    Evidence = apps.get_model("teams", "Evidence")
    for row in Evidence.objects.using(schema_editor.connection.alias).only("pk", "kind", "file", "original_name"):
        kind = kind_for(row.kind, row.file.name if row.file else "", row.original_name)
        if kind != row.kind:
            Evidence.objects.using(schema_editor.connection.alias).filter(pk=row.pk).update(kind=kind)


def kind_to_content_type(apps, schema_editor):
    Evidence = apps.get_model("teams", "Evidence")
    for kind, content_type in CONTENT_TYPE_OF_KIND.items():
        Evidence.objects.using(schema_editor.connection.alias).filter(kind=kind).update(kind=content_type)


class Migration(migrations.Migration):

    dependencies = [
        ('teams', '0006_evidence_private_storage'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameField(model_name='evidence', old_name='content_type', new_name='kind'),
        migrations.RunPython(content_type_to_kind, kind_to_content_type),
        migrations.AlterField(
            model_name='evidence',
            name='kind',
            field=models.CharField(max_length=10, verbose_name='jenis berkas'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='file',
            field=models.FileField(max_length=255, storage=kesbang.core.uploads.get_private_storage, upload_to=kesbang.core.uploads.private_file_upload_to, verbose_name='berkas'),
        ),
        migrations.AlterField(
            model_name='evidence',
            name='uploaded_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='diunggah oleh'),
        ),
    ]
