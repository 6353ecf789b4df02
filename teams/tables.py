"""django-tables2 tables of the register pages. Cells read only annotated or select_related data,
so a page costs the same number of queries whatever its length (house style 3).

Cells are ``render_<column>`` methods building their markup with ``format_html`` rather than a
``TemplateColumn`` per cell: a template per cell was most of a list page's time (``make bench``).
Each detail link is built from one ``reverse()`` per table (``_url_for``), not one per row.
"""


import django_tables2 as tables
from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from teams.models import Person, Team

TABLE_TEMPLATE = "teams/includes/table.html"


class BoundedPaginator(Paginator):
    """``?per_page=`` from the address is kept between 1 and 100 (a negative or huge value is no error)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), 100), *args, **kwargs)


PAGINATION = {"per_page": 25, "paginator_class": BoundedPaginator}

RIGHT = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}  # hidden on phones
NAME = {"td": {"class": "kb-cell-name"}}
SM_UP = {"th": {"class": "d-none d-sm-table-cell"}, "td": {"class": "d-none d-sm-table-cell"}}

DATE = "j F Y"
NONE = mark_safe('<span class="text-secondary">—</span>')  # noqa: S308 (constant markup)


def cell(label, **kwargs) -> tables.Column:
    """A column drawn by the table's ``render_<name>`` for every row, empty values included."""
    return tables.Column(verbose_name=label, empty_values=(), **kwargs)


def _date(value) -> str:
    return date_format(value, DATE) if value else ""


class DetailLinks:
    """``url_for(pk)``: the detail address of a row from one ``reverse()`` per table."""

    detail_view = ""

    def url_for(self, pk) -> str:
        template = getattr(self, "_detail_url", None)
        if template is None:
            marker = 987654321
            template = self._detail_url = reverse(self.detail_view, args=[marker]).replace(str(marker), "{}", 1)
        return template.format(pk)


class TeamTable(DetailLinks, tables.Table):
    name = cell(_("Tim"), order_by=("name",), attrs=NAME)
    level = cell(_("Tingkat"), order_by=("level", "region__code"), attrs=WIDE_ONLY)
    decree = cell(_("SK"), order_by=("decree_date", "decree_number"), attrs=WIDE_ONLY)
    period = cell(_("Masa tugas"), order_by=("period_start",), attrs=SM_UP)
    active_members = cell(_("Anggota aktif"), attrs=RIGHT)
    status = cell(_("Status"), attrs=SM_UP)  # on phones the badge sits under the name instead

    detail_view = "teams:team_detail"

    class Meta:
        model = Team
        fields = ("name", "level", "decree", "period", "active_members", "status")
        template_name = TABLE_TEMPLATE
        empty_text = _("Tidak ada tim yang cocok dengan filter.")
        order_by = ("name",)

    def render_name(self, record):
        return format_html(
            '<a class="fw-semibold text-decoration-none" href="{}">{}</a>\n'
            '<div class="small text-secondary"><i class="bi bi-geo-alt"></i> {}</div>\n'
            '<div class="d-sm-none mt-1">{}</div>',
            self.url_for(record.pk), record.name, record.region.name, self.render_status(record),
        )

    def render_level(self, record):
        return format_html('<span class="badge rounded-pill text-bg-light border fw-medium">{}</span>',
                           record.get_level_display())

    def render_decree(self, record):
        return format_html('<div class="text-nowrap">{}</div>\n<div class="small text-secondary text-nowrap">{}</div>',
                           record.decree_number, _date(record.decree_date))

    def render_period(self, record):
        end = _date(record.period_end) if record.period_end else gettext("sekarang")
        return format_html('<span class="text-nowrap">{}</span> –\n<span class="text-nowrap">{}</span>',
                           _date(record.period_start), end)

    def render_active_members(self, record):
        return format_html('<span class="fw-semibold">{}</span>', record.active_members)

    def render_status(self, record):
        if record.status == Team.Status.AKTIF:
            markup = '<span class="badge text-bg-success"><i class="bi bi-check-circle"></i> {}</span>'
        else:
            markup = '<span class="badge text-bg-secondary"><i class="bi bi-archive"></i> {}</span>'
        return format_html(markup, record.get_status_display())


class PersonTable(DetailLinks, tables.Table):
    name = cell(_("Nama"), order_by=("name",), attrs=NAME)
    institution = cell(_("Instansi"), order_by=("institution__name", "name"))
    region = tables.Column(verbose_name=_("Wilayah tugas"), accessor="region__name", order_by=("region__code", "name"),
                           attrs=WIDE_ONLY)
    nip = cell(_("NIP"), order_by=("nip",), attrs=WIDE_ONLY)
    contact = cell(_("Kontak"), orderable=False, attrs=WIDE_ONLY)
    active_memberships = cell(_("Tim aktif"), attrs=RIGHT)

    detail_view = "teams:person_detail"

    class Meta:
        model = Person
        fields = ("name", "institution", "region", "nip", "contact", "active_memberships")
        template_name = TABLE_TEMPLATE
        empty_text = _("Tidak ada orang yang cocok dengan pencarian.")
        order_by = ("name",)

    def render_name(self, record):
        link = format_html('<a class="fw-semibold text-decoration-none" href="{}">{}</a>',
                           self.url_for(record.pk), record.name)
        if not record.position:
            return link
        return format_html('{}\n<div class="small text-secondary">{}</div>', link, record.position)

    def render_institution(self, record):
        institution = record.institution
        return format_html('<span title="{}">{}</span>', institution.name, institution)

    def render_nip(self, record):
        if record.nip:
            return format_html('<span class="font-monospace small">{}</span>', record.nip)
        return NONE

    def render_contact(self, record):
        parts = []
        if record.phone:
            parts.append(format_html(
                '<div class="text-nowrap"><i class="bi bi-telephone text-secondary"></i> '
                '<a class="text-decoration-none" href="tel:{}">{}</a></div>', record.phone, record.phone))
        if record.email:
            parts.append(format_html(
                '<div class="small text-nowrap"><i class="bi bi-envelope text-secondary"></i> '
                '<a class="text-decoration-none" href="mailto:{}">{}</a></div>', record.email, record.email))
        if not parts:
            return NONE
        return mark_safe("\n".join(parts))  # noqa: S308 (each part escaped by format_html)

    def render_active_memberships(self, record):
        if record.active_memberships:
            return format_html('<span class="badge rounded-pill text-bg-primary">{}</span>', record.active_memberships)
        return mark_safe('<span class="text-secondary">0</span>')  # noqa: S308 (constant markup)
