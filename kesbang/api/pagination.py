"""Keyset pagination: each page continues after the last row of the previous one, on an indexed,
unique ordering (incidents: ``-occurred_on, -id``, the list page's order and the ``incident_date_id``
index). No OFFSET and no COUNT, so page 2,000 of 100,000 incidents costs what page 1 costs.

The answer is ``{"next": <url or null>, "results": [...]}``; ``next`` carries an opaque ``cursor``
(the last row's ordering values, base64 JSON) and keeps the filters of the request. ``page_size``:
1–100 (default 50). A cursor that is not one of ours is a 400 with an Indonesian message.
"""

import base64
import binascii
import json
from collections import OrderedDict

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.pagination import BasePagination
from rest_framework.response import Response
from rest_framework.utils.urls import remove_query_param, replace_query_param

from kesbang.core.ids import MAX_ID

DEFAULT_SIZE, MAX_SIZE = 50, 100


class KeysetPagination(BasePagination):
    cursor_query_param = "cursor"
    page_size_query_param = "page_size"

    # The view's ``ordering`` (e.g. ("-occurred_on", "-id")), read when a page is cut: the last field
    # must be unique, and the fields indexed together.
    ordering: tuple[str, ...] = ("id",)

    # --- the cursor ---------------------------------------------------------------------------------
    def _encode(self, values: list) -> str:
        raw = json.dumps([v.isoformat() if hasattr(v, "isoformat") else v for v in values], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    def _decode(self, text: str) -> list:
        try:
            padded = text + "=" * (-len(text) % 4)
            values = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
        except (ValueError, binascii.Error, UnicodeError):
            values = None
        if not isinstance(values, list) or len(values) != len(self.ordering) or not all(
                (isinstance(v, str) and len(v) <= 200)
                or (isinstance(v, int) and not isinstance(v, bool) and abs(v) <= MAX_ID) for v in values):
            raise serializers.ValidationError({self.cursor_query_param: [_("Kursor halaman tidak sah.")]})
        return values

    def _after(self, values: list) -> Q:
        """Rows after ``values`` in the ordering: (a > x) or (a = x and b > y) ..., with < for descending.

        The first field's bound is repeated on its own (``a >= x``, ANDed): the OR alone is no index range
        condition, so PostgreSQL would walk the index from the top and discard every earlier row (an
        OFFSET in disguise); with the bound it starts at the cursor."""
        condition = Q(pk__in=[])
        for i, name in enumerate(self.ordering):
            field = name.lstrip("-")
            step = Q(**{f"{field}__lt" if name.startswith("-") else f"{field}__gt": values[i]})
            for earlier, value in zip(self.ordering[:i], values[:i], strict=False):
                step &= Q(**{earlier.lstrip("-"): value})
            condition |= step
        first = self.ordering[0]
        bound = Q(**{f"{first.lstrip('-')}__lte" if first.startswith("-") else f"{first.lstrip('-')}__gte": values[0]})
        return bound & condition

    def _size(self, request) -> int:
        raw = request.query_params.get(self.page_size_query_param)
        if raw in (None, ""):
            return DEFAULT_SIZE
        if not raw.isdigit() or not 1 <= int(raw) <= MAX_SIZE:
            raise serializers.ValidationError(
                {self.page_size_query_param: [_("Ukuran halaman harus 1 sampai %(max)s.") % {"max": MAX_SIZE}]})
        return int(raw)

    # --- DRF's interface ----------------------------------------------------------------------------
    def paginate_queryset(self, queryset, request, view=None):
        self.request = request
        self.ordering = tuple(getattr(view, "ordering", self.ordering))
        size = self._size(request)
        queryset = queryset.order_by(*self.ordering)
        cursor = request.query_params.get(self.cursor_query_param)
        try:
            if cursor:
                queryset = queryset.filter(self._after(self._decode(cursor)))
            rows = list(queryset[:size + 1])
        except (ValueError, TypeError, OverflowError, DjangoValidationError) as exc:  # a value of the wrong type
            raise serializers.ValidationError({self.cursor_query_param: [_("Kursor halaman tidak sah.")]}) from exc
        self.next_values = None
        if len(rows) > size:
            rows = rows[:size]
            last = rows[-1]
            self.next_values = [self._value(last, name.lstrip("-")) for name in self.ordering]
        return rows

    @staticmethod
    def _value(row, path: str):
        value = row
        for part in path.split("__"):
            value = getattr(value, part)
        return value

    def get_next_link(self):
        if self.next_values is None:
            return None
        url = self.request.build_absolute_uri()
        return replace_query_param(url, self.cursor_query_param, self._encode(self.next_values))

    def get_paginated_response(self, data):
        return Response(OrderedDict([("next", self.get_next_link()), ("results", data)]))

    def get_first_link(self):  # pragma: no cover - for symmetry in docs
        return remove_query_param(self.request.build_absolute_uri(), self.cursor_query_param)

    def get_paginated_response_schema(self, schema):
        return {
            "type": "object",
            "required": ["next", "results"],
            "properties": {
                "next": {"type": "string", "nullable": True, "format": "uri",
                         "description": _("Alamat halaman berikutnya (null di halaman terakhir).")},
                "results": schema,
            },
        }

    def get_schema_operation_parameters(self, view):
        return [
            {"name": self.cursor_query_param, "required": False, "in": "query",
             "description": _("Kursor halaman berikutnya, dari tautan `next`."), "schema": {"type": "string"}},
            {"name": self.page_size_query_param, "required": False, "in": "query",
             "description": _("Jumlah baris per halaman (1–100, bawaan 50)."),
             "schema": {"type": "integer", "minimum": 1, "maximum": MAX_SIZE}},
        ]
