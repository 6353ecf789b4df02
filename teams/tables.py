"""The register lists (core ``ListTable``): teams, people, memberships. Cells read only annotated or
select_related data, so a page costs the same number of queries whatever its length (house style 3);
each cell is a ``render_<column>`` method building ``format_html`` markup, joined in Python (fast,
see ``make bench``); detail links come from one ``reverse()`` per table."""

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kesbang.core.tables import Column, ListTable
from teams.models import Team

RIGHT = {"th": {"class": "text-end"}, "td": {"class": "text-end"}}
WIDE_ONLY = {"th": {"class": "d-none d-md-table-cell"}, "td": {"class": "d-none d-md-table-cell"}}  # hidden on phones
NAME = {"td": {"class": "kb-cell-name"}}
SM_UP = {"th": {"class": "d-none d-sm-table-cell"}, "td": {"class": "d-none d-sm-table-cell"}}

NONE = mark_safe('<span class="kb-none">—</span>')  # noqa: S308 (constant markup)


def status_badge(team: Team, label: str | None = None) -> str:
    if team.status == Team.Status.AKTIF:
        markup = '<span class="badge text-bg-success"><i class="bi bi-check-circle" aria-hidden="true"></i> {}</span>'
    else:
        markup = '<span class="badge text-bg-secondary"><i class="bi bi-archive" aria-hidden="true"></i> {}</span>'
    return format_html(markup, team.get_status_display() if label is None else label)


class TeamTable(ListTable):
    name = Column(_("Tim"), order_by=("name",), attrs=NAME, card="title")
    level = Column(_("Tingkat"), order_by=("level", "region__code"), attrs=WIDE_ONLY)
    decree = Column(_("SK"), order_by=("decree_date", "decree_number"), attrs=WIDE_ONLY)
    period = Column(_("Masa tugas"), order_by=("period_start",), attrs=SM_UP)
    active_members = Column(_("Anggota aktif"), order_by=("active_members",), attrs=RIGHT)
    status = Column(_("Status"), order_by=("status",), attrs=SM_UP)  # on phones the badge sits under the name

    detail_view = "teams:team_detail"
    default_order = ("name",)
    empty_text = _("Tidak ada tim yang cocok dengan filter.")
    caption = _("Daftar tim terpadu")

    def render_name(self, record):
        return format_html(
            '<a class="fw-semibold text-decoration-none" href="{}">{}</a>\n'
            '<div class="small text-secondary"><i class="bi bi-geo-alt" aria-hidden="true"></i> {}</div>\n'
            '<div class="d-sm-none mt-1">{}</div>',
            self.url_for(record.pk), record.name, record.region.name, self.render_status(record),
        )

    def render_level(self, record):
        return format_html('<span class="badge rounded-pill text-bg-light border fw-medium">{}</span>',
                           self.choice(record, "level"))

    def render_decree(self, record):
        return format_html('<div class="text-nowrap">{}</div>\n<div class="small text-secondary text-nowrap">{}</div>',
                           record.decree_number, self.date(record.decree_date))

    def render_period(self, record):
        end = self.date(record.period_end) if record.period_end else gettext("sekarang")
        return format_html('<span class="text-nowrap">{}</span> –\n<span class="text-nowrap">{}</span>',
                           self.date(record.period_start), end)

    def render_active_members(self, record):
        return format_html('<span class="fw-semibold">{}</span>', record.active_members)

    def render_status(self, record):
        return status_badge(record, self.choice(record, "status"))


class PersonTable(ListTable):
    name = Column(_("Nama"), order_by=("name",), attrs=NAME, card="title")
    institution = Column(_("Instansi"), order_by=("institution__name", "name"))
    region = Column(_("Wilayah tugas"), accessor="region.name", order_by=("region__code", "name"), attrs=WIDE_ONLY)
    nip = Column(_("NIP"), order_by=("nip",), attrs=WIDE_ONLY)
    contact = Column(_("Kontak"), attrs=WIDE_ONLY)
    active_memberships = Column(_("Tim aktif"), order_by=("active_memberships",), attrs=RIGHT)

    detail_view = "teams:person_detail"
    default_order = ("name",)
    empty_text = _("Tidak ada orang yang cocok dengan pencarian.")
    caption = _("Daftar orang")

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
                '<div class="text-nowrap"><i class="bi bi-telephone text-secondary" aria-hidden="true"></i> '
                '<a class="text-decoration-none" href="tel:{}">{}</a></div>', record.phone, record.phone))
        if record.email:
            parts.append(format_html(
                '<div class="small text-nowrap"><i class="bi bi-envelope text-secondary" aria-hidden="true"></i> '
                '<a class="text-decoration-none" href="mailto:{}">{}</a></div>', record.email, record.email))
        if not parts:
            return NONE
        return mark_safe("\n".join(parts))  # noqa: S308 (each part escaped by format_html)

    def render_active_memberships(self, record):
        if record.active_memberships:
            return format_html('<span class="badge rounded-pill text-bg-primary">{}</span>', record.active_memberships)
        return mark_safe('<span class="kb-none">0</span>')  # noqa: S308 (constant markup)


class MembershipTable(ListTable):
    """The member register across teams (also the order of its exports). On a phone a card shows
    name, institution, role, team and phone; the export has every column."""

    no = Column(pgettext_lazy("nomor urut", "No"), attrs={"td": {"class": "text-secondary"}}, card="hide")
    name = Column(_("Nama"), accessor="person.name", order_by=("person__name",), card="title")
    nip = Column(_("NIP"), accessor="person.nip", order_by=("person__nip",),
                 attrs={"td": {"class": "font-monospace small text-nowrap"}}, card="hide")
    position = Column(_("Jabatan"), accessor="person.position", order_by=("person__position",), card="hide")
    institution = Column(_("Instansi"), order_by=("person__institution__name",))
    role = Column(_("Kedudukan"), order_by=("role_order", "person__name"))
    team = Column(_("Tim"), order_by=("team__name",))
    region = Column(_("Wilayah"), accessor="team.region.name", order_by=("team__region__code",), card="hide")
    start_date = Column(_("Mulai"), order_by=("start_date",), attrs={"td": {"class": "text-nowrap"}}, card="hide")
    end_date = Column(_("Berakhir"), order_by=("end_date",), attrs={"td": {"class": "text-nowrap"}}, card="hide")
    phone = Column(_("Telepon"), accessor="person.phone", order_by=("person__phone",),
                   attrs={"td": {"class": "text-nowrap"}})
    email = Column(_("Email"), accessor="person.email", order_by=("person__email",), card="hide")

    detail_view = "teams:team_detail"
    empty_text = _("Tidak ada anggota yang cocok dengan filter.")
    caption = _("Daftar anggota tim terpadu")
    css_class = "kb-member-table"

    def render_no(self, record):
        return self.row_number

    def render_institution(self, record):
        institution = record.person.institution
        if institution.short_name:
            return format_html('<span title="{}">{}</span>', institution.name, institution.short_name)
        return institution.name

    def render_role(self, record):
        return self.choice(record, "role")

    def render_team(self, record):
        return format_html('<a href="{}">{}</a>', self.url_for(record.team_id), record.team.name)

    def render_start_date(self, record):
        return self.date(record.start_date) or NONE

    def render_end_date(self, record):
        return self.date(record.end_date) or NONE

    def render_email(self, record):
        if not record.person.email:
            return NONE
        return format_html('<a href="mailto:{}">{}</a>', record.person.email, record.person.email)
