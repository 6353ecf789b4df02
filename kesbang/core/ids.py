"""Integer ids from URLs, query strings and forms, bounded in one place.

A row id is a 64-bit signed integer on every backend we run on (PostgreSQL ``bigint``, SQLite's
``INTEGER``). A longer number typed into an address or posted by a tampered form must end as a 404 or
a form error, never as a 500: PostgreSQL compares it as ``numeric`` and finds nothing, but SQLite's
driver raises ``OverflowError`` before the query runs (the embedded default of ``make run``).

- ``IdConverter`` (``<id:pk>`` in every URL pattern): more than 19 digits or beyond ``MAX_ID`` does
  not match, so the resolver answers 404.
- ``parse_id(raw)``: a query-string or POST value as an id, or ``None``.
- ``BoundedIntegerIn``: the ``__in`` lookup on integer columns drops values outside the column's range
  (Django already does this for ``exact``, ``gt`` ... but not for ``in``), so a
  ``ModelMultipleChoiceField`` given a 20-digit id says "not a valid choice" on every backend.

``install()`` is called once from ``kesbang.accounts.apps.KesbangConfig.ready``.
"""

from django.db import models
from django.db.models.lookups import In
from django.urls import register_converter

MAX_ID = 2**63 - 1


def parse_id(raw) -> int | None:
    """``raw`` (str or int) as a positive row id, or None when it is not one."""
    text = str(raw).strip() if raw is not None else ""
    if not text.isascii() or not text.isdigit() or len(text) > 19:
        return None
    value = int(text)
    return value if 0 < value <= MAX_ID else None


class IdConverter:
    regex = "[0-9]{1,19}"

    def to_python(self, value: str) -> int:
        parsed = parse_id(value)
        if parsed is None:
            raise ValueError("id out of range")  # the resolver tries the next pattern, then 404
        return parsed

    def to_url(self, value) -> str:
        return str(int(value))


class BoundedIntegerIn(In):
    """``field__in=[...]`` on an integer column without the values no row can have."""

    def process_rhs(self, compiler, connection):
        if self.rhs_is_direct_value():
            low, high = connection.ops.integer_field_range(self.lhs.output_field.get_internal_type())
            self.rhs = [
                value for value in self.rhs
                if not isinstance(value, int) or ((low is None or value >= low) and (high is None or value <= high))
            ]
        return super().process_rhs(compiler, connection)


_installed = False


def install() -> None:
    global _installed
    if _installed:
        return
    register_converter(IdConverter, "id")
    models.IntegerField.register_lookup(BoundedIntegerIn)
    _installed = True
