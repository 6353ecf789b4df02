"""On PostgreSQL: no two active teams of one region with overlapping periods (exclusion constraint).

SQLite (the embedded demo database) has no exclusion constraints; there Team.clean() (run by every
service) enforces the same rule.
"""

from django.db import migrations

CREATE = """
CREATE EXTENSION IF NOT EXISTS btree_gist;
ALTER TABLE teams_team ADD CONSTRAINT team_no_overlapping_active EXCLUDE USING gist (
    region_id WITH =,
    daterange(period_start, period_end, '[]') WITH &&
) WHERE (status = 'aktif');
"""
DROP = "ALTER TABLE teams_team DROP CONSTRAINT IF EXISTS team_no_overlapping_active;"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [("teams", "0003_teams_memberships_action_plans")]
    operations = [migrations.RunPython(forwards, backwards)]
