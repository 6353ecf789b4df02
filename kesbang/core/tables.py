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

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.urls import reverse
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _

PER_PAGE_MIN = 10
PER_PAGE_MAX = 200
PER_PAGE_DEFAULT = 25


class BoundedPaginator(Paginator):
    """``per_page`` kept within 10..200 and a page number out of range (or not a number) clamped to
    the first/last page: a hand-edited address is never an error page."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        try:
            per_page = int(per_page)
        except (TypeError, ValueError):
            per_page = PER_PAGE_DEFAULT
        super().__init__(object_list, min(max(per_page, PER_PAGE_MIN), PER_PAGE_MAX), *args, **kwargs)

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
            self.paginator = BoundedPaginator(self.data, size)
            self.page = self.paginator.get_page(request.GET.get(self.page_param) if request is not None else 1)

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

    def cell_html(self, column: Column, record) -> str:
        render = getattr(self, f"render_{column.name}", None)
        if render is not None:
            return conditional_escape(render(record))
        value = record
        for part in (column.accessor or column.name).replace("__", ".").split("."):
            value = getattr(value, part, None)
            if value is None:
                break
        if value is None or value == "":
            return format_html('<span class="kb-none">{}</span>', column.empty)
        return conditional_escape(value)

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

    def body_html(self) -> SafeString:
        """Every row of the page as ``<tr>`` markup, in one string (the fast path)."""
        columns = [(c, conditional_escape(c.label), c.td_class, c.card) for c in self.columns]
        out = []
        first = self.page.start_index() if self.page is not None else 1
        for index, record in enumerate(self.rows):
            self.row_number = first + index  # for a "No" column
            out.append("<tr>")
            for column, label, td_class, card in columns:
                out.append(f'<td class="{td_class} kb-card-{card}" data-label="{label}">')
                out.append(self.cell_html(column, record))
                out.append("</td>")
            out.append("</tr>\n")
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
