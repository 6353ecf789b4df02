"""django-tables2 tables of the register pages. Cells read only annotated or select_related data,
so a page costs the same number of queries whatever its length (house style 3)."""

import django_tables2 as tables
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from teams.models import Person, Team

TABLE_TEMPLATE = "teams/includes/table.html"


class BoundedPaginator(Paginator):
    """``?per_page=`` from the address is kept between 1 and 100 (a negative or huge value is no error)."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), 100), *args, **kwargs)


PAGINATION = {"per_page": 25, "paginator_class": BoundedPaginator}

TEAM_NAME = "teams/includes/cells/team_name.html"
TEAM_LEVEL = "teams/includes/cells/team_level.html"
TEAM_DECREE = "teams/includes/cells/team_decree.html"
TEAM_PERIOD = "teams/includes/cells/team_period.html"
TEAM_STATUS = "teams/includes/cells/team_status.html"
TEAM_MEMBERS = "teams/includes/cells/team_members.html"


RIGHT = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}  # hidden on phones
NAME = {"td": {"class": "kb-cell-name"}}
SM_UP = {"th": {"class": "d-none d-sm-table-cell"}, "td": {"class": "d-none d-sm-table-cell"}}


def cell(template_name: str, label, **kwargs) -> tables.TemplateColumn:
    return tables.TemplateColumn(template_name=template_name, verbose_name=label, **kwargs)


class TeamTable(tables.Table):
    name = cell(TEAM_NAME, _("Tim"), order_by=("name",), attrs=NAME)
    level = cell(TEAM_LEVEL, _("Tingkat"), order_by=("level", "region__code"), attrs=WIDE_ONLY)
    decree = cell(TEAM_DECREE, _("SK"), order_by=("decree_date", "decree_number"), attrs=WIDE_ONLY)
    period = cell(TEAM_PERIOD, _("Masa tugas"), order_by=("period_start",), attrs=SM_UP)
    active_members = cell(TEAM_MEMBERS, _("Anggota aktif"), attrs=RIGHT)
    status = cell(TEAM_STATUS, _("Status"))

    class Meta:
        model = Team
        fields = ("name", "level", "decree", "period", "active_members", "status")
        template_name = TABLE_TEMPLATE
        empty_text = _("Tidak ada tim yang cocok dengan filter.")
        order_by = ("name",)


PERSON_NAME = "teams/includes/cells/person_name.html"
PERSON_INSTITUTION = "teams/includes/cells/person_institution.html"
PERSON_CONTACT = "teams/includes/cells/person_contact.html"
PERSON_NIP = "teams/includes/cells/person_nip.html"
PERSON_TEAMS = "teams/includes/cells/person_teams.html"


class PersonTable(tables.Table):
    name = cell(PERSON_NAME, _("Nama"), order_by=("name",), attrs=NAME)
    institution = cell(PERSON_INSTITUTION, _("Instansi"), order_by=("institution__name", "name"))
    region = tables.Column(verbose_name=_("Wilayah tugas"), accessor="region__name", order_by=("region__code", "name"),
                           attrs=WIDE_ONLY)
    nip = cell(PERSON_NIP, _("NIP"), order_by=("nip",), attrs=WIDE_ONLY)
    contact = cell(PERSON_CONTACT, _("Kontak"), orderable=False, attrs=WIDE_ONLY)
    active_memberships = cell(PERSON_TEAMS, _("Tim aktif"), attrs=RIGHT)

    class Meta:
        model = Person
        fields = ("name", "institution", "region", "nip", "contact", "active_memberships")
        template_name = TABLE_TEMPLATE
        empty_text = _("Tidak ada orang yang cocok dengan pencarian.")
        order_by = ("name",)
