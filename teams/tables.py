"""The register lists (core ``ListTable``): teams, people, memberships. Cells read only annotated or
select_related data, so a page costs the same number of queries whatever its length (house style 3);
each cell is a ``render_<column>`` method building ``format_html`` markup, joined in Python (fast,
see ``make bench``); detail links come from one ``reverse()`` per table."""

from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from kesbang.core.tables import Column, ListTable, html_format
from teams.models import Membership, Team

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


def contact_lines(phone: str, email: str, *, line: str, email_line: str) -> list[SafeString]:
    """A person's telephone and email as tel:/mailto: links, a line each (the person list's contact
    column and the team page's member rows)."""
    lines = []
    if phone:
        lines.append(html_format(
            '<div class="{}"><i class="bi bi-telephone text-secondary" aria-hidden="true"></i> '
            '<a class="text-decoration-none" href="tel:{}">{}</a></div>', line, phone, phone))
    if email:
        lines.append(html_format(
            '<div class="{}"><i class="bi bi-envelope text-secondary" aria-hidden="true"></i> '
            '<a class="text-decoration-none" href="mailto:{}">{}</a></div>', email_line, email, email))
    return lines


class TeamTable(ListTable):
    name = Column(_("Tim"), order_by=("name",), attrs=NAME, card="title")
    level = Column(_("Tingkat"), order_by=("level", "region__code"), attrs=WIDE_ONLY)
    decree = Column(_("SK"), order_by=("decree_date", "decree_number"), attrs=WIDE_ONLY)
    period = Column(_("Masa tugas"), order_by=("period_start",), attrs=SM_UP)
    active_members = Column(_("Anggota aktif"), order_by=("active_members",), attrs=RIGHT)
    status = Column(_("Status"), order_by=("status",), attrs=SM_UP)  # on phones the badge sits under the name

    detail_view = "teams:team_detail"
    default_order = ("name",)
    count_generation = "registers"  # counted once per filter until a write of the register rows (TeamsConfig)
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
    count_generation = "registers"  # counted once per filter until a write of the register rows (TeamsConfig)
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
        parts = contact_lines(record.phone, record.email, line="text-nowrap", email_line="small text-nowrap")
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
    count_generation = "registers"  # counted once per filter until a write of the register rows (TeamsConfig)
    row_fields = ("role", "start_date", "end_date", "team_id", "team__name", "team__region__name", "person__name",
                  "person__nip", "person__position", "person__phone", "person__email",
                  "person__institution__name", "person__institution__short_name")
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


# --- The Rencana Aksi detail's activity rows --------------------------------------------------------


class PlanRows:
    """The activity rows of a plan's detail page (``plan_selectors.plan_summary``), drawn in Python as
    the lists are: per phase the wide table's ``<tr>`` rows and the phone cards' ``<li>`` items, one
    string each. The addresses come from one ``reverse()`` per kind, numbers and labels from per-page
    memos; the template only places the strings (it used to resolve ``{% url %}``, ``floatformat`` and
    ``translate`` for each of the 90 period cells twice)."""

    def __init__(self, detail, *, csrf_token: str, can_edit: bool, can_delete: bool, can_report: bool):
        from django.template.defaultfilters import floatformat

        self.detail = detail
        self.csrf_token = csrf_token
        self.can_edit, self.can_delete, self.can_report = can_edit, can_delete, can_report
        self._floatformat = floatformat
        self._numbers: dict = {}
        marker = 987654321
        self._update_url = _url_template("teams:activity_update", marker)
        self._delete_url = _url_template("teams:activity_delete", marker)
        self._report_url = _period_url_template("teams:realisation_update", marker, "B04")
        self.text = {
            "edit": gettext("Ubah"), "delete": gettext("Hapus"), "fill": gettext("Isi realisasi"),
            "fill_short": gettext("isi"), "unit": gettext("Satuan"),
            "confirm": gettext("Hapus kegiatan ini beserta realisasi dan buktinya?"),
        }

    def number(self, value, arg: str) -> str:
        """``value|floatformat:arg`` once per distinct value and format on the page."""
        key = (value, arg)
        text = self._numbers.get(key)
        if text is None:
            text = self._numbers[key] = str(self._floatformat(value, arg))
        return text

    def _actions(self, activity_pk) -> str:
        t = self.text
        parts = []
        if self.can_edit:
            parts.append(html_format('<a href="{}"><i class="bi bi-pencil"></i> {}</a>',
                                     self._update_url.format(activity_pk), t["edit"]))
        if self.can_delete:
            parts.append(html_format(
                '<form method="post" action="{}" class="d-inline" data-kb-confirm="{}">'
                '<input type="hidden" name="csrfmiddlewaretoken" value="{}">'
                '<button class="btn btn-link btn-sm p-0 text-danger" type="submit"><i class="bi bi-trash"></i> {}'
                "</button></form>",
                self._delete_url.format(activity_pk), t["confirm"], self.csrf_token, t["delete"]))
        return "\n".join(parts)

    def _percent(self, value) -> str:
        return "—" if value is None else self.number(value, "-1")

    def table_html(self, group) -> SafeString:
        """The wide table's body rows of one phase."""
        t = self.text
        out = []
        for row in group.rows:
            activity = row.activity
            pk = activity.pk
            budget = ""
            if activity.budget is not None:
                budget = html_format(' · <span class="text-nowrap">Rp {}</span>', self.number(activity.budget, "0g"))
            actions = ""
            if self.can_edit or self.can_delete:
                actions = html_format('<div class="kb-row-actions">{}</div>', mark_safe(self._actions(pk)))  # noqa: S308
            cells = []
            for cell in row.cells:
                if cell.realisation is None:
                    shown = html_format('<i class="bi bi-pencil-square"></i><span class="visually-hidden">{}</span>',
                                        t["fill_short"])
                else:
                    shown = self.number(cell.realisation, "-2g")
                if self.can_report:
                    realised = html_format(
                        '<a class="kb-report-link{}" href="{}" title="{} {}">{}</a>',
                        " kb-missing" if cell.overdue_missing else "", self._report_url.format(pk, cell.period),
                        t["fill"], cell.period, shown)
                elif cell.realisation is None:
                    realised = mark_safe('<span class="text-secondary">—</span>')  # noqa: S308 (constant)
                else:
                    realised = shown
                achieved = "—" if cell.realisation is None or cell.achievement is None else self.number(
                    cell.achievement, "-1")
                cells.append(html_format(
                    '<td class="kb-num kb-p-first">{}</td><td class="kb-num" data-period="{}">{}</td>'
                    '<td class="kb-num small text-secondary">{}</td>',
                    self.number(cell.target, "-2g"), cell.period, realised, achieved))
            evidence = (html_format('<span class="badge text-bg-light border">{}</span>', row.evidence_count)
                        if row.evidence_count else mark_safe('<span class="text-secondary">0</span>'))  # noqa: S308
            achievement = "—" if row.achievement is None else self.number(row.achievement, "-1") + "%"
            out.append(html_format(
                '<tr id="kegiatan-{}"><td class="text-secondary">{}</td>'
                '<td><div class="fw-semibold">{}</div><div class="small text-secondary">{}: {}{}</div>{}</td>'
                '<td class="small">{}</td><td class="small">{}</td>{}'
                '<td class="kb-num kb-p-first fw-semibold kb-activity-achievement">{}</td>'
                '<td class="text-center">{}</td></tr>\n',
                pk, activity.number, activity.name, t["unit"], activity.unit, budget, actions,
                activity.indicator or "—", activity.responsible_institution, mark_safe("".join(cells)),  # noqa: S308
                achievement, evidence))
        return mark_safe("".join(out))  # noqa: S308 - every part html_format

    def cards_html(self, group) -> SafeString:
        """The phone cards of one phase."""
        t = self.text
        out = []
        for row in group.rows:
            activity = row.activity
            pk = activity.pk
            periods = []
            for cell in row.cells:
                realised = "—" if cell.realisation is None else self.number(cell.realisation, "-2g")
                inner = html_format('<span class="kb-m-code">{}</span><span>{} / {}</span>',
                                    cell.period, realised, self.number(cell.target, "-2g"))
                if self.can_report:
                    periods.append(html_format('<a class="kb-m-period{}" href="{}">{}</a>',
                                               " kb-m-missing" if cell.overdue_missing else "",
                                               self._report_url.format(pk, cell.period), inner))
                else:
                    periods.append(html_format('<div class="kb-m-period">{}</div>', inner))
            actions = ""
            if self.can_edit or self.can_delete or row.evidence_count:
                parts = []
                if row.evidence_count:
                    parts.append(html_format('<span class="text-secondary"><i class="bi bi-paperclip"></i> {}</span>',
                                             row.evidence_count))
                if self.can_edit:
                    parts.append(html_format('<a href="{}"><i class="bi bi-pencil"></i> {}</a>',
                                             self._update_url.format(pk), t["edit"]))
                actions = html_format('<div class="kb-row-actions">{}</div>', mark_safe("\n".join(parts)))  # noqa: S308
            achievement = "—" if row.achievement is None else self.number(row.achievement, "-1") + "%"
            out.append(html_format(
                '<li class="list-group-item" id="kegiatan-m-{}"><div class="d-flex gap-2">'
                '<span class="text-secondary">{}.</span><div class="flex-grow-1"><div class="fw-semibold">{}</div>'
                '<div class="small text-secondary">{} · {}</div></div>'
                '<span class="fw-semibold text-nowrap">{}</span></div>'
                '<div class="kb-m-periods">{}</div>{}</li>\n',
                pk, activity.number, activity.name, activity.responsible_institution, activity.unit, achievement,
                mark_safe("".join(periods)), actions))  # noqa: S308
        return mark_safe("".join(out))  # noqa: S308 - every part html_format


def _url_template(name: str, marker: int) -> str:
    """``reverse(name, args=[pk])`` as a ``str.format`` template (one ``reverse()`` per page)."""
    return reverse(name, args=[marker]).replace(str(marker), "{}", 1)


def _period_url_template(name: str, marker: int, code: str) -> str:
    """``reverse(name, args=[pk, code])`` as a two-place ``str.format`` template."""
    return reverse(name, args=[marker, code]).replace(str(marker), "{0}", 1).replace(code, "{1}", 1)


# --- A team's detail page: its members and ended memberships ----------------------------------------

ROLE_BADGES = {"ketua": "text-bg-primary", "wakil_ketua": "text-bg-info", "sekretaris": "text-bg-warning",
               "anggota": "text-bg-light border"}


def role_badge(role: str, label) -> SafeString:
    """``teams/includes/role_badge.html`` in Python."""
    return html_format('<span class="badge {}">{}</span>', ROLE_BADGES.get(role, "text-bg-success"), label)


class TeamMemberRows:
    """A team's active members (one ``<li>`` each, grouped by role by the template) and its ended
    memberships (one ``<tr>`` each), drawn in Python with one ``reverse()`` per kind of address and
    dates formatted once per distinct day: the detail page of a 60-member team resolved a ``{% url %}``,
    a ``|date`` and a ``blocktranslate`` per member through the template."""

    def __init__(self, *, can_change: bool):
        from django.utils.formats import date_format

        self.can_change = can_change
        marker = 987654321
        self._person_url = _url_template("teams:person_detail", marker)
        self._replace_url = _url_template("teams:membership_replace", marker)
        self._end_url = _url_template("teams:membership_end", marker)
        self._date_format = date_format
        self._dates: dict = {}
        self._roles = {value: str(label) for value, label in Membership.Role.choices}
        self.text = {
            "since": gettext("Sejak %(start)s"), "decree": gettext("SK"), "replaces": gettext("menggantikan %(name)s"),
            "actions": gettext("Tindakan"), "replace": gettext("Ganti (mutasi)"),
            "end": gettext("Akhiri keanggotaan"),
        }

    def date(self, value) -> str:
        if value is None:
            return ""
        text = self._dates.get(value)
        if text is None:
            text = self._dates[value] = self._date_format(value, "j F Y")
        return text

    def members_html(self, members) -> SafeString:
        t = self.text
        out = []
        for m in members:
            person = m.person
            detail = t["since"] % {"start": self.date(m.start_date)}
            if m.decree_number:
                detail += f" · {t['decree']} {m.decree_number}"
            if m.replaces_id and m.replaces:
                detail += " · " + t["replaces"] % {"name": m.replaces.person.name}
            position = ""
            if person.position:
                position = html_format('<div class="text-body-secondary small">{}</div>', person.position)
            contact = contact_lines(person.phone, person.email, line="text-truncate", email_line="text-truncate")
            menu = ""
            if self.can_change or person.phone or person.email:
                items = []
                if person.phone:
                    items.append(html_format(
                        '<li class="d-md-none"><a class="dropdown-item" href="tel:{}">'
                        '<i class="bi bi-telephone me-2"></i>{}</a></li>', person.phone, person.phone))
                if person.email:
                    items.append(html_format(
                        '<li class="d-md-none"><a class="dropdown-item" href="mailto:{}">'
                        '<i class="bi bi-envelope me-2"></i>{}</a></li>', person.email, person.email))
                if self.can_change:
                    items.append(html_format(
                        '<li><a class="dropdown-item" href="{}"><i class="bi bi-arrow-left-right me-2"></i>{}</a></li>'
                        '<li><a class="dropdown-item text-danger" href="{}"><i class="bi bi-person-dash me-2"></i>{}'
                        "</a></li>",
                        self._replace_url.format(m.pk), t["replace"], self._end_url.format(m.pk), t["end"]))
                menu = html_format(
                    '<div class="dropdown"><button class="btn btn-sm btn-light border" type="button" '
                    'data-bs-toggle="dropdown" aria-expanded="false" aria-label="{}">'
                    '<i class="bi bi-three-dots-vertical"></i></button>'
                    '<ul class="dropdown-menu dropdown-menu-end shadow-sm">{}</ul></div>',
                    t["actions"], mark_safe("".join(items)))  # noqa: S308 (each item html_format)
            out.append(html_format(
                '<li class="list-group-item kb-member py-3" id="keanggotaan-{}">'
                '<span class="kb-initial d-none d-sm-inline-flex" aria-hidden="true">{}</span>'
                '<div class="kb-member-main"><a class="fw-semibold text-decoration-none" href="{}">{}</a>{}'
                '<div class="small"><i class="bi bi-building text-secondary"></i> {}</div>'
                '<div class="small text-secondary mt-1">{}</div></div>'
                '<div class="kb-member-contact d-none d-md-block">{}</div>{}</li>\n',
                m.pk, person.name[:1].upper(), self._person_url.format(person.pk), person.name, position,
                person.institution.name, detail, mark_safe("".join(contact)), menu))  # noqa: S308
        return mark_safe("".join(out))  # noqa: S308 - every part html_format

    def ended_html(self, ended) -> SafeString:
        out = []
        for m in ended:
            person = m.person
            if m.replacement is not None:
                replacement = html_format(
                    '<a class="text-decoration-none" href="{}"><i class="bi bi-arrow-right-short"></i>{}</a>',
                    self._person_url.format(m.replacement.person.pk), m.replacement.person.name)
            else:
                replacement = mark_safe('<span class="text-secondary">—</span>')  # noqa: S308 (constant)
            out.append(html_format(
                '<tr><td><a class="text-decoration-none fw-semibold" href="{}">{}</a>'
                '<div class="small text-secondary">{}</div></td><td>{}</td>'
                '<td class="text-nowrap">{} – {}</td><td>{}</td><td>{}</td></tr>\n',
                self._person_url.format(person.pk), person.name, person.institution,
                role_badge(m.role, self._roles.get(m.role, m.role)), self.date(m.start_date), self.date(m.end_date),
                m.end_reason or "—", replacement))
        return mark_safe("".join(out))  # noqa: S308 - every part html_format
