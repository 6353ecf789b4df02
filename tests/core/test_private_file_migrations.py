"""The private-file migrations keep every row: teams 0007 turns Evidence.content_type (a MIME type)
into ``kind`` and back; incidents 0008 widens the attachment's name columns. Each test migrates the
app back, writes rows through the historical models, migrates forward and reads them again."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"

# Transactional (migrations cannot run inside the test's transaction); no serialized rollback: on
# SQLite it re-inserted the role groups a previous flush had re-created. The reference data a flush
# removes is reloaded by tests.factories.ensure_reference_data, which every factory calls.
pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.migrations]


def migrate(*targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(list(targets))
    return executor.loader.project_state(list(targets)).apps


def latest():
    return MigrationExecutor(connection).loader.graph.leaf_nodes()


@pytest.fixture
def back_to_latest():
    yield
    migrate(*latest())
    from tests.factories import ensure_reference_data

    ensure_reference_data()


def test_evidence_content_type_becomes_kind_and_back(back_to_latest):
    from tests.factories import ActivityPeriodFactory, make_user

    period = ActivityPeriodFactory().pk  # tables other than Evidence are the same before and after
    user = make_user(None, username="pengunggah").pk
    old = migrate(("teams", "0006_evidence_private_storage"))
    Evidence = old.get_model("teams", "Evidence")
    rows = {
        "application/pdf": ("evidence/2026/a.pdf", "laporan.pdf", "pdf"),
        "image/jpeg": ("evidence/2026/b.jpg", "foto.jpg", "jpeg"),
        "image/png": ("evidence/2026/c.png", "foto.png", "png"),
        XLSX: ("evidence/2026/d.xlsx", "data.xlsx", "xlsx"),
        DOCX: ("evidence/2026/e.docx", "nota.docx", "docx"),
        "application/octet-stream": ("evidence/2026/f.pdf", "lama.pdf", "pdf"),  # by the stored name
        "text/plain": ("evidence/2026/g", "catatan", "plain"),  # unknown: kept, cut to 10
    }
    ids = {}
    for content_type, (file_name, original, _kind) in rows.items():
        ids[content_type] = Evidence.objects.create(
            activity_period_id=period, file=file_name, original_name=original, content_type=content_type,
            size=123, uploaded_by_id=user).pk

    new = migrate(("teams", "0007_evidence_private_file"))
    Evidence = new.get_model("teams", "Evidence")
    for content_type, (file_name, original, kind) in rows.items():
        row = Evidence.objects.get(pk=ids[content_type])
        assert (row.kind, row.file.name, row.original_name, row.size, row.activity_period_id, row.uploaded_by_id) == (
            kind, file_name, original, 123, period, user), content_type

    back = migrate(("teams", "0006_evidence_private_storage"))
    Evidence = back.get_model("teams", "Evidence")
    assert Evidence.objects.get(pk=ids["image/png"]).content_type == "image/png"
    assert Evidence.objects.get(pk=ids["application/octet-stream"]).content_type == "application/pdf"


def test_attachment_rows_survive_and_take_longer_names(back_to_latest):
    from tests.factories import make_incident

    incident = make_incident().pk
    old = migrate(("incidents", "0007_severity_kind_date_index"))
    Attachment = old.get_model("incidents", "Attachment")
    pk = Attachment.objects.create(incident_id=incident, file="insiden/2026/x.jpg", original_name="foto.jpg",
                                   kind="jpeg", size=9, description="Lokasi").pk
    new = migrate(("incidents", "0008_attachment_private_file"))
    Attachment = new.get_model("incidents", "Attachment")
    row = Attachment.objects.get(pk=pk)
    assert (row.file.name, row.original_name, row.kind, row.size, row.description) == (
        "insiden/2026/x.jpg", "foto.jpg", "jpeg", 9, "Lokasi")
    row.original_name = "n" * 251 + ".jpg"
    row.save()
    assert len(Attachment.objects.get(pk=pk).original_name) == 255
