"""Paging and the light list piece every register page uses.

``ListTable`` replaces django-tables2 for lists: a row's cells are ``render_<column>(record)``
methods returning ``format_html`` markup, joined in Python into one safe string per page (no
template, no ``inspect.signature`` per cell), so a 50-row page renders in a few milliseconds
(``make bench``). ``templates/includes/list_table.html`` draws the header (sort links with
``aria-sort``), the body and the pager; on phones (< 576 px) every row is a compact card: the
``card="title"`` cell as its heading, the others as "label: value" lines, hidden columns stay hidden.

    class TeamTable(ListTable):
        name = Column(_("Tim"), order_by=("name",), card="title")
        status = Column(_("Status"))
        default_order = ("name",)
        def render_name(self, record): return format_html(...)

    table = TeamTable(queryset, request=request)      # sorts by ?sort=, pages by ?page=&per_page=
"""

from __future__ import annotations

import functools
import html

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.functional import cached_property
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

PER_PAGE_MIN = 10
PER_PAGE_MAX = 200
PER_PAGE_DEFAULT = 25


def escape(value) -> str:
    """``conditional_escape`` without its lazy-argument wrapper (the same ``html.escape``): markup
    (``format_html``, ``mark_safe``) stays as it is, anything else is escaped. For markup drawn
    row after row or option after option (the lists, the selects, the filter forms)."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_format(template: str, *args) -> SafeString:
    """``format_html`` for markup drawn row after row: the same ``str.format`` with every argument
    escaped unless it is markup already, without ``conditional_escape``'s lazy-argument wrapper."""
    return mark_safe(template.format(*[escape(arg) for arg in args]))  # noqa: S308 - arguments escaped


COUNT_CAP = 10_000


class BoundedPaginator(Paginator):
    """``per_page`` kept within 10..200 and a page number out of range (or not a number) clamped to
    the first/last page: a hand-edited address is never an error page.

    A queryset is counted up to ``COUNT_CAP`` rows (``SELECT COUNT(*) FROM (... LIMIT 10001)``): past
    that the list says "more than 10.000" (``count_capped``) and pages to the 10.000th row, as search
    engines do. Counting every match is what made a list slow at national volume (a search matching
    76,000 of 1,000,000 incidents: 179 ms for its count alone, `make bench-explain`); a reader who
    needs row 10.001 narrows the filter or sorts the other way, and the dashboard and reports give the
    exact totals.

    With ``count_generation`` (a ``kesbang.core.generations`` name) the count is kept in the cache
    under the counting query's own SQL until a write of that generation's models: paging through a
    search, or the next visit to the same filter, counts nothing again."""

    count_cap = COUNT_CAP

    def __init__(self, object_list, per_page, *args, count_generation: str = "", **kwargs):
        self.count_generation = count_generation
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE_DEFAULT
        super().__init__(object_list, min(max(per_page, PER_PAGE_MIN), PER_PAGE_MAX), *args, **kwargs)

    @cached_property
    def _counted(self) -> tuple[int, bool]:
        """(rows counted, up to the cap; whether there are more): one query for a queryset."""
        rows = self.object_list
        if isinstance(rows, QuerySet) and self.count_cap and not rows.query.is_sliced:
            bounded = rows.order_by()
            if not bounded.query.combinator:
                # Only the key is selected: the rows' annotations (a subquery per row, the columns of
                # select_related) are not computed for rows that are only counted.
                bounded = bounded.values("pk")
            bounded = bounded[: self.count_cap + 1]
            if self.count_generation:
                from kesbang.core.generations import cached_query_result

                counted = cached_query_result(self.count_generation, bounded, bounded.count, kind="count")
            else:
                counted = bounded.count()
            return min(counted, self.count_cap), counted > self.count_cap
        return super().count, False

    @cached_property
    def count(self) -> int:
        return self._counted[0]

    @property
    def count_capped(self) -> bool:
        """True when there are more rows than ``count`` says (the cap was reached)."""
        return self._counted[1]

    def validate_number(self, number):
        try:
            return super().validate_number(number)
        except PageNotAnInteger:
            return 1
        except EmptyPage:
            try:
                return self.num_pages if int(number) > 1 else 1
            except (TypeError, ValueError, OverflowError):
                return 1

    def get_page(self, number):
        return self.page(self.validate_number(number))


def per_page_from(request, default: int = PER_PAGE_DEFAULT) -> int:
    """``?per_page=`` of the request within 10..200; anything unreadable is ``default``."""
    try:
        value = int(request.GET.get("per_page", default))
    except (TypeError, ValueError, OverflowError):
        return default
    return min(max(value, PER_PAGE_MIN), PER_PAGE_MAX)


def paginate(request, queryset_or_list, per_page: int | None = None, *, param: str = "page"):
    """The requested page (``?page=``, clamped) of ``queryset_or_list``."""
    paginator = BoundedPaginator(queryset_or_list, per_page or per_page_from(request))
    return paginator.get_page(request.GET.get(param))


def page_range(page, *, on_each_side: int = 2, on_ends: int = 1) -> list:
    """Page numbers to show with "…" gaps (Django's elided range)."""
    return list(page.paginator.get_elided_page_range(page.number, on_each_side=on_each_side, on_ends=on_ends))


# --- The list piece ---------------------------------------------------------------------------------


class Record:
    """A list row read with ``values_list``: its fields as attributes, related rows nested as the
    model's instances would have them (``record.person.institution.name``, ``record.kecamatan`` None
    when the incident has none), and ``pk``. ``_meta`` is the model's (``ListTable.choice``). Why not
    model instances: building 250 of them (a member page: membership, person, institution, team,
    region per row) was 1.3 of the rows' 2.8 ms (``make bench``); these cost 0.4."""

    __slots__ = ("__dict__",)


@functools.cache
def _record_class(model) -> type:
    return type(f"{model.__name__}Record", (Record,), {"__slots__": (), "_meta": model._meta})


@functools.cache
def _record_plan(model, fields: tuple[str, ...]):
    """(the columns to read; every field's path split on "__"; each nullable relation's path with the
    position of its key's column, read too when the fields do not name it: a relation whose key is NULL
    is None on the record, as on a model instance)."""
    columns = ["pk", *fields]
    paths = [tuple(name.split("__")) for name in columns]
    nullable = {}
    for path in paths:
        current = model
        for depth, part in enumerate(path[:-1], start=1):
            field = current._meta.get_field(part)
            if field.null and path[:depth] not in nullable:
                key = "__".join((*path[:depth - 1], field.attname))
                if key not in columns:
                    columns.append(key)
                nullable[path[:depth]] = columns.index(key)
            current = field.related_model
    return tuple(columns), paths, sorted(nullable.items(), key=lambda item: len(item[0]), reverse=True)


def records(queryset: QuerySet, fields: tuple[str, ...]) -> list[Record]:
    """``queryset``'s rows as ``Record``s of ``fields`` (one query, no model instance)."""
    model = queryset.model
    columns, paths, nullable = _record_plan(model, tuple(fields))
    row_class, nested_class = _record_class(model), Record
    width = len(paths)
    out = []
    for values in queryset.values_list(*columns):
        record = row_class()
        top = record.__dict__
        for path, value in zip(paths, values[:width], strict=True):
            if len(path) == 1:
                top[path[0]] = value
                continue
            target = top
            for part in path[:-1]:
                child = target.get(part)
                if child is None:
                    child = target[part] = nested_class()
                target = child.__dict__
            target[path[-1]] = value
        for path, key_at in nullable:
            if values[key_at] is not None:
                continue
            parent = top
            for part in path[:-1]:
                parent = parent[part].__dict__ if parent.get(part) is not None else None
                if parent is None:
                    break
            if parent is not None:
                parent[path[-1]] = None
        out.append(record)
    return out


class Column:
    """A list column. ``attrs``: ``{"th": {"class": ...}, "td": {"class": ...}}`` (as django-tables2);
    ``order_by``: fields the column sorts by (None: not sortable); ``card``: its place on a phone
    card ("title", "body" or "hide"); ``accessor``: attribute path shown when there is no
    ``render_<name>`` method."""

    creation_counter = 0

    def __init__(self, label, *, order_by=None, attrs=None, accessor: str | None = None, card: str = "body",
                 empty: str = "—"):
        self.label = label
        self.order_by = tuple(order_by) if order_by else ()
        attrs = attrs or {}
        self.th_class = (attrs.get("th") or {}).get("class", "")
        self.td_class = (attrs.get("td") or {}).get("class", "")
        self.accessor = accessor
        self.card = card
        self.empty = empty
        self.name = ""
        Column.creation_counter += 1
        self._order = Column.creation_counter

    @property
    def orderable(self) -> bool:
        return bool(self.order_by)


class ListTable:
    """Declare ``Column``s as class attributes and ``render_<name>(self, record)`` methods."""

    default_order: tuple[str, ...] = ()
    empty_text = _("Tidak ada data.")
    filtered_empty_text = ""  # the empty text when a filter is in force (else ``empty_text``)
    sort_param = "sort"
    page_param = "page"
    per_page = PER_PAGE_DEFAULT
    detail_view = ""
    caption = ""
    css_class = ""  # extra classes on <table>
    count_generation = ""  # a kesbang.core.generations name: the count is cached until its models change
    # The fields the cells read (``values()`` syntax: "title", "region__name", "kecamatan_id"): the
    # page's rows are then ``Record``s read with ``values_list``, not model instances. Not the table's
    # ``data``: an export of the same table reads every column of its models.
    row_fields: tuple[str, ...] = ()

    columns: list[Column] = []

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        found = {}
        for klass in reversed(cls.__mro__):
            for name, value in vars(klass).items():
                if isinstance(value, Column):
                    value.name = name
                    found[name] = value
        cls.columns = sorted(found.values(), key=lambda c: c._order)

    def __init__(self, data, *, request=None, per_page: int | None = None, paginate: bool = True):
        self.request = request
        self.order_param = ""
        self.data = self.sorted(data, request.GET.get(self.sort_param, "") if request is not None else "")
        self.page = None
        self.paginator = None
        if paginate:
            size = per_page or (per_page_from(request, self.per_page) if request is not None else self.per_page)
            self.paginator = BoundedPaginator(self.data, size, count_generation=self.count_generation)
            self.page = self.paginator.get_page(request.GET.get(self.page_param) if request is not None else 1)
            if self.row_fields and isinstance(self.page.object_list, QuerySet):
                self.page.object_list = records(self.page.object_list, self.row_fields)

    # --- sorting ---
    def sorted(self, data, sort: str):
        by_name = {c.name: c for c in self.columns if c.orderable}
        descending = sort.startswith("-")
        column = by_name.get(sort.lstrip("-"))
        if column is None:
            return data.order_by(*self.default_order) if self.default_order and hasattr(data, "order_by") else data
        self.order_param = sort
        fields = [("-" + f.lstrip("-") if not f.startswith("-") else f.lstrip("-")) if descending else f
                  for f in column.order_by]
        if hasattr(data, "order_by"):
            return data.order_by(*fields, "pk")
        return data

    # --- rows ---
    @property
    def rows(self):
        return list(self.page.object_list) if self.page is not None else list(self.data)

    def url_for(self, pk) -> str:
        """The detail address of a row from one ``reverse()`` per table."""
        template = getattr(self, "_detail_url", None)
        if template is None:
            marker = 987654321
            template = self._detail_url = reverse(self.detail_view, args=[marker]).replace(str(marker), "{}", 1)
        return template.format(pk)

    # --- per-table memos: a page repeats the same dates and choice labels row after row ---
    def date(self, value, fmt: str = "j F Y") -> str:
        """``date_format(value, fmt)`` computed once per distinct value and format in this table
        (formatting a date looks up the format and translates the month name every time)."""
        if not value:
            return ""
        memo = self.__dict__.setdefault("_date_memo", {})
        key = (value, fmt)
        text = memo.get(key)
        if text is None:
            text = memo[key] = date_format(value, fmt)
        return text

    def choice(self, record, field_name: str) -> str:
        """``record.get_<field>_display()`` from a label map built once per table and field (Django's
        ``get_FOO_display`` hashes every lazy choice label of the field on each call)."""
        labels = self.__dict__.setdefault("_choice_memo", {})
        key = (type(record), field_name)
        mapping = labels.get(key)
        if mapping is None:
            field = type(record)._meta.get_field(field_name)
            mapping = labels[key] = {value: str(label) for value, label in field.flatchoices}
        value = getattr(record, field_name)
        return mapping.get(value, "" if value is None else str(value))

    def cell_html(self, column: Column, record) -> str:
        return self._cell_function(column)(record)

    def _cell_function(self, column: Column):
        """How a column's cell is drawn, looked up once per table (not once per cell)."""
        render = getattr(self, f"render_{column.name}", None)
        if render is not None:
            return lambda record: escape(render(record))
        path = (column.accessor or column.name).replace("__", ".").split(".")
        empty = format_html('<span class="kb-none">{}</span>', column.empty)

        def accessor_cell(record):
            value = record
            for part in path:
                value = getattr(value, part, None)
                if value is None:
                    break
            if value is None or value == "":
                return empty
            return escape(value)

        return accessor_cell

    def header(self) -> list[dict]:
        from django.utils.http import urlencode

        query = self.request.GET.copy() if self.request is not None else {}
        heads = []
        for column in self.columns:
            head = {"column": column, "label": column.label, "class": column.th_class, "url": "", "sorted": ""}
            if column.orderable:
                current = self.order_param
                if current == column.name:
                    head["sorted"], nxt = "ascending", "-" + column.name
                elif current == "-" + column.name:
                    head["sorted"], nxt = "descending", column.name
                else:
                    nxt = column.name
                params = dict(query.items()) if query else {}
                params[self.sort_param] = nxt
                params.pop(self.page_param, None)
                head["url"] = "?" + urlencode(params)
            heads.append(head)
        return heads

    def header_html(self) -> SafeString:
        """The ``<th>`` cells of ``header()``, with their sort links and ``aria-sort``, as one string
        (the markup ``includes/list_table.html`` drew with a template loop)."""
        out = []
        for head in self.header():
            sorted_ = head["sorted"]
            aria = f' aria-sort="{sorted_}"' if sorted_ else ""
            label = escape(head["label"])
            if head["url"]:
                icon = {"ascending": "bi-caret-up-fill text-primary",
                        "descending": "bi-caret-down-fill text-primary"}.get(sorted_, "bi-chevron-expand opacity-50")
                label = (f'<a href="{escape(head["url"])}" class="kb-sort">{label} '
                         f'<i class="bi {icon}" aria-hidden="true"></i></a>')
            out.append(f'<th scope="col" class="{escape(head["class"])}"{aria}>{label}</th>')
        return mark_safe("".join(out))  # noqa: S308 - every part escaped

    def body_html(self) -> SafeString:
        """Every row of the page as ``<tr>`` markup, in one string (the fast path): each column's
        opening tag and cell function are prepared once, then every row only calls them."""
        columns = [
            (f'<td class="{c.td_class} kb-card-{c.card}" data-label="{conditional_escape(c.label)}">',
             self._cell_function(c))
            for c in self.columns
        ]
        out = []
        append = out.append
        first = self.page.start_index() if self.page is not None else 1
        for index, record in enumerate(self.rows):
            self.row_number = first + index  # for a "No" column
            append("<tr>")
            for opening, cell in columns:
                append(opening)
                append(cell(record))
                append("</td>")
            append("</tr>\n")
        return mark_safe("".join(out))  # noqa: S308 - every cell escaped or format_html

    def page_links(self) -> list:
        if self.page is None or self.paginator.num_pages <= 1:
            return []
        from django.utils.http import urlencode

        params = dict(self.request.GET.items()) if self.request is not None else {}
        links = []
        for number in page_range(self.page):
            if number == self.paginator.ELLIPSIS:
                links.append({"number": None})
            else:
                params[self.page_param] = number
                links.append({"number": number, "url": "?" + urlencode(params), "current": number == self.page.number})
        return links

    def neighbour_url(self, number) -> str:
        from django.utils.http import urlencode

        params = dict(self.request.GET.items()) if self.request is not None else {}
        params[self.page_param] = number
        return "?" + urlencode(params)

    @property
    def previous_url(self) -> str:
        return self.neighbour_url(self.page.previous_page_number()) if self.page and self.page.has_previous() else ""

    @property
    def next_url(self) -> str:
        return self.neighbour_url(self.page.next_page_number()) if self.page and self.page.has_next() else ""

    @property
    def total(self) -> int:
        return self.paginator.count if self.paginator is not None else len(self.rows)

    @property
    def total_capped(self) -> bool:
        """More rows than ``total`` (``BoundedPaginator.count_cap``)."""
        return self.paginator is not None and self.paginator.count_capped
