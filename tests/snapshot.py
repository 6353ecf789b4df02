"""Table snapshots of the test database: the demo data (``kesbang/demo.py``) is built once per test
run (once per xdist worker) and put back in about a second wherever a test needs it.

``capture()`` reads every table of the installed models (PostgreSQL: ``COPY ... TO STDOUT``, exact
text round trip; SQLite: plain rows). ``restore(snap)`` empties those tables and writes the snapshot
back, then moves the id sequences past the restored rows. Inside a test's transaction (``db``) the
restore is rolled back with the test; in a transactional test (browser tests) it is committed and the
test's flush removes it afterwards.
"""

import io

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, transaction


def _tables() -> list[str]:
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


def capture() -> dict:
    snap = {}
    qn = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in _tables():
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                cursor.copy_expert(f"COPY {qn(table)} TO STDOUT", buffer)
                snap[table] = buffer.getvalue()
            else:
                cursor.execute(f"SELECT * FROM {qn(table)}")
                columns = [c[0] for c in cursor.description]
                snap[table] = (columns, cursor.fetchall())
    return snap


def restore(snap: dict) -> None:
    qn = connection.ops.quote_name
    tables = _tables()
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows a fixture wrote earlier in the test's transaction leave deferred foreign-key checks
        # pending, and PostgreSQL refuses to TRUNCATE a table with pending trigger events: run them now.
        connection.check_constraints()
        for sql in connection.ops.sql_flush(no_style(), tables, allow_cascade=True):
            cursor.execute(sql)
        for table in tables:
            data = snap.get(table)
            if not data:
                continue
            if connection.vendor == "postgresql":
                cursor.copy_expert(f"COPY {qn(table)} FROM STDIN", io.StringIO(data))
            else:
                columns, rows = data
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {qn(table)} ({', '.join(qn(c) for c in columns)}) "
                        f"VALUES ({', '.join(['%s'] * len(columns))})", rows)
        models = [m for m in apps.get_models(include_auto_created=True) if m._meta.db_table in tables]
        for sql in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(sql)
