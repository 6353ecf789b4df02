"""PostgreSQL ``COPY ... FROM STDIN`` for the benchmark seeders (``tests/bench_*.py``).

``bulk_create`` builds a model instance and an ``INSERT`` parameter list per row; at the benchmark's
volume (100,000 incidents, half a million workflow steps, 200,000 invitations) that is minutes. The
seeders instead generate plain rows (dicts keyed by field attname) and stream them through one
``COPY`` per table in chunks, with ids assigned here so that child rows can point at their parents
without a round trip. Afterwards the id sequence is moved past the rows (``reset_sequence``), so the
application's own inserts get fresh ids. PostgreSQL only: the benchmark never runs on SQLite.
"""

import datetime
import io
import time
from collections.abc import Iterable
from decimal import Decimal

from django.db import connection

CHUNK = 50_000


def _escape(value: str) -> str:
    # COPY text format: backslash, tab, newline and carriage return are the only specials.
    if "\\" in value:
        value = value.replace("\\", "\\\\")
    if "\t" in value or "\n" in value or "\r" in value:
        value = value.replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return value


def _text(value) -> str:
    if value is None:
        return r"\N"
    if value is True:
        return "t"
    if value is False:
        return "f"
    if isinstance(value, str):
        return _escape(value)
    if isinstance(value, (datetime.date, datetime.time)):  # datetime too; aware values carry their offset
        return value.isoformat()
    if isinstance(value, (int, Decimal, float)):
        return str(value)
    return _escape(str(value))  # UUIDs


_MISSING = object()
# Field types whose values str() writes as COPY expects (numbers, and dates/times: ISO with offset).
_PLAIN = {"AutoField", "BigAutoField", "IntegerField", "BigIntegerField", "SmallIntegerField",
          "PositiveIntegerField", "PositiveSmallIntegerField", "PositiveBigIntegerField", "ForeignKey",
          "OneToOneField", "DecimalField", "FloatField", "DateField", "TimeField", "UUIDField"}


def _nullable(convert):
    def write(value):
        return r"\N" if value is None else convert(value)
    return write


class Table:
    """The concrete columns of a model and each field's default, for rows given as partial dicts."""

    def __init__(self, model, *, exclude: Iterable[str] = ()):
        skip = set(exclude)
        self.model = model
        self.name = model._meta.db_table
        self.fields = [f for f in model._meta.concrete_fields if f.attname not in skip]
        self.columns = [f.column for f in self.fields]
        self.attnames = [f.attname for f in self.fields]
        self.pk = model._meta.pk.column
        self.defaults = {}
        for f in self.fields:
            if f.has_default() and not callable(f.default):
                self.defaults[f.attname] = f.default
            elif f.null:
                self.defaults[f.attname] = None
            elif f.blank and f.get_internal_type() in ("CharField", "TextField"):
                self.defaults[f.attname] = ""

        # Per column: how a value is written (chosen once from the field type, not per value), and the
        # text of its default for rows that leave it out.
        self.plan = []
        for f in self.fields:
            kind = f.get_internal_type()
            convert = _escape if kind in ("CharField", "TextField", "EmailField", "SlugField") else (
                str if kind in _PLAIN else _text)
            if f.null:
                convert = _nullable(convert)
            default = _text(self.defaults[f.attname]) if f.attname in self.defaults else None
            self.plan.append((f.attname, convert, default))

    def line(self, row: dict) -> str:
        out = []
        for attname, convert, default in self.plan:
            value = row.get(attname, _MISSING)
            if value is _MISSING:
                if default is None:  # a NOT NULL column without a value: a seeder bug, say which
                    raise KeyError(f"{self.name}: no value for {attname}")
                out.append(default)
            else:
                out.append(convert(value))
        return "\t".join(out) + "\n"

    def next_id(self) -> int:
        """The first free id (the sequence's next value or past the largest id, whichever is higher)."""
        with connection.cursor() as cursor:
            cursor.execute(f"LOCK TABLE {self.name} IN SHARE ROW EXCLUSIVE MODE")
            cursor.execute(
                f"SELECT GREATEST((SELECT COALESCE(MAX({self.pk}), 0) FROM {self.name}), "
                f"(SELECT last_value FROM {self.sequence()})) + 1"
            )
            return cursor.fetchone()[0]

    def sequence(self) -> str:
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [self.name, self.pk])
            return cursor.fetchone()[0]

    def copy(self, rows: Iterable, *, attnames: list[str] | None = None) -> int:
        """COPY the rows in chunks; returns how many were written. Rows are dicts (missing fields take
        their defaults) or, with ``attnames``, tuples of exactly those fields (the fast path for the
        big child tables: no dict per row)."""
        if attnames is None:
            columns = self.columns
            line = self.line
        else:
            by_attname = {f.attname: f.column for f in self.fields}
            columns = [by_attname[a] for a in attnames]
            converters = {attname: convert for attname, convert, _default in self.plan}
            plan = [converters[a] for a in attnames]

            def line(row):
                return "\t".join([convert(value) for convert, value in zip(plan, row, strict=True)]) + "\n"
        quoted = ", ".join(f'"{c}"' for c in columns)
        statement = f"COPY {self.name} ({quoted}) FROM STDIN"
        started = time.perf_counter()
        written = 0
        buffer: list[str] = []
        with connection.cursor() as cursor:
            raw = cursor.cursor  # the psycopg2 cursor under Django's wrapper
            for row in rows:
                buffer.append(line(row))
                if len(buffer) >= CHUNK:
                    raw.copy_expert(statement, io.StringIO("".join(buffer)))
                    written += len(buffer)
                    buffer = []
            if buffer:
                raw.copy_expert(statement, io.StringIO("".join(buffer)))
                written += len(buffer)
        self.seconds = time.perf_counter() - started
        return written

    def drop_indexes(self) -> list[str]:
        """Drop the table's plain indexes (not the primary key or unique ones: those are constraints the
        load relies on) and return the statements that build them again. Building an index once after
        the load is far cheaper than updating a dozen of them row by row during it."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s "
                "AND indexname NOT IN (SELECT conname FROM pg_constraint) AND indexdef NOT LIKE 'CREATE UNIQUE%%'",
                [self.name],
            )
            rows = cursor.fetchall()
            for name, _definition in rows:
                cursor.execute(f'DROP INDEX "{name}"')
        return [definition for _name, definition in rows]

    def reset_sequence(self) -> None:
        """Move the id sequence past the largest id (COPY with explicit ids does not advance it)."""
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence(%s, %s), "
                f"(SELECT COALESCE(MAX({self.pk}), 0) + 1 FROM {self.name}), false)",
                [self.name, self.pk],
            )


def bulk_load_settings() -> None:
    """Inside the seeding transaction: skip the foreign-key triggers while loading (the seeders make
    every reference from rows they just read or wrote; checking 800,000 of them one by one at COMMIT
    took most of the old seeding time) and give index builds memory. The trigger switch needs a
    superuser (the benchmark connects as postgres); without one the load is only slower."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        cursor.execute("SET LOCAL synchronous_commit = off")
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if cursor.fetchone()[0]:
            cursor.execute("SET LOCAL session_replication_role = replica")


def analyze(*tables: str, vacuum: bool = False) -> None:
    """Fresh planner statistics after a bulk load (VACUUM also sets the visibility map, so counts can be
    index-only scans; it must run outside a transaction)."""
    verb = "VACUUM ANALYZE" if vacuum else "ANALYZE"
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"{verb} {table}")
