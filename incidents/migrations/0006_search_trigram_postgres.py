"""On PostgreSQL: trigram indexes for the list's free-text search (title and chronology, matched with
``icontains``, i.e. ``UPPER(col) LIKE UPPER('%…%')``), so a search over 100,000 reports does not read
every row. SQLite (the embedded demo database) searches without them."""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE INDEX IF NOT EXISTS incident_title_trgm ON incidents_incident USING gin (UPPER(title::text) gin_trgm_ops);
CREATE INDEX IF NOT EXISTS incident_chronology_trgm
    ON incidents_incident USING gin (UPPER(chronology::text) gin_trgm_ops);
"""
DROP = "DROP INDEX IF EXISTS incident_title_trgm; DROP INDEX IF EXISTS incident_chronology_trgm;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("incidents", "0005_scope_cover_index")]
    operations = [migrations.RunPython(forwards, backwards)]
