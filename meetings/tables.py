"""The meeting lists (core ``ListTable``): the meetings, my action items and the overdue ones. Cells read
only annotated or select_related data (constant queries per page); each cell is a ``render_<column>``
method building ``format_html`` markup."""

from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from kesbang.core.tables import Column, ListTable, html_format
from meetings.models import ActionItem

RIGHT_WIDE = {"th": {"class": "text-end d-none d-md-table-cell"}, "td": {"class": "text-end d-none d-md-table-cell"}}
NOWRAP = {"td": {"class": "text-nowrap"}}


class MeetingTable(ListTable):
    start = Column(_("Tanggal"), order_by=("start",), attrs=NOWRAP)
    title = Column(_("Rapat"), order_by=("title",), card="title", attrs={"td": {"class": "kb-cell-name"}})
    team = Column(_("Tim penyelenggara"), order_by=("team__name",))
    venue = Column(_("Tempat"), order_by=("venue",))
    invited = Column(_("Undangan"), order_by=("invited_count",), attrs=RIGHT_WIDE)
    present = Column(_("Hadir"), attrs=RIGHT_WIDE)
    status = Column(_("Status"), order_by=("status",))

    default_order = ("-start", "-pk")
    detail_view = "meetings:meeting_detail"
    empty_text = _("Belum ada rapat.")
    filtered_empty_text = _("Tidak ada rapat yang cocok dengan filter.")
    caption = _("Rapat koordinasi")

    def render_start(self, record):
        start = timezone.localtime(record.start)
        return format_html('{} <span class="small kb-meta d-md-block">{} WIB</span>', self.date(start.date()),
                           f"{start:%H.%M}")

    def render_title(self, record):
        return format_html('<a href="{}" class="fw-semibold">{}</a><div class="small kb-meta">{}</div>',
                           self.url_for(record.pk), record.title, self.choice(record, "kind"))

    def render_team(self, record):
        return record.team.name

    def render_invited(self, record):
        return record.invited_count

    def render_present(self, record):
        return record.present_count + record.guest_count

    def render_status(self, record):
        return format_html('<span class="badge {}">{}</span><span class="small kb-meta d-md-none"> · {}</span>',
                           record.status_badge, self.choice(record, "status"),
                           gettext("%(n)s undangan") % {"n": record.invited_count})


def item_status_badge(item: ActionItem, today, label: str | None = None) -> str:
    """The action item's status; an open item past its due date is marked late."""
    label = item.get_status_display() if label is None else label
    if item.status == ActionItem.Status.DONE:
        return format_html('<span class="badge text-bg-success">{}</span>', label)
    if item.status == ActionItem.Status.CANCELLED:
        return format_html('<span class="badge text-bg-secondary">{}</span>', label)
    if item.due_date < today:
        return format_html('<span class="badge text-bg-danger">{}</span> <span class="badge text-bg-light border">'
                           '{}</span>', gettext("Terlambat"), label)
    if item.status == ActionItem.Status.IN_PROGRESS:
        return format_html('<span class="badge text-bg-warning">{}</span>', label)
    return format_html('<span class="badge text-bg-primary">{}</span>', label)


class ActionItemTable(ListTable):
    """Action items with their meeting (the selectors own the order: open first, by due date)."""

    description = Column(_("Tindak lanjut"), card="title", attrs={"td": {"class": "kb-cell-name"}})
    meeting = Column(_("Rapat"))
    owner = Column(_("Penanggung jawab"))
    due_date = Column(_("Batas waktu"), attrs=NOWRAP)
    status = Column(_("Status"))

    detail_view = "meetings:action_item_detail"
    empty_text = _("Tidak ada tindak lanjut atas nama Anda.")
    caption = _("Tindak lanjut")

    def __init__(self, *args, **kwargs):
        self.today = timezone.localdate()
        super().__init__(*args, **kwargs)

    def render_description(self, record):
        return format_html('<a href="{}" class="fw-semibold">{}</a>', self.url_for(record.pk),
                           Truncator(record.description).chars(100))

    def render_meeting(self, record):
        return format_html('{}<span class="d-md-none kb-meta"> · </span><span class="small kb-meta d-md-block">{}'
                           '</span>', Truncator(record.meeting.title).chars(60),
                           self.date(timezone.localtime(record.meeting.start).date()))

    def render_owner(self, record):
        return record.owner_label

    def render_due_date(self, record):
        return self.date(record.due_date)

    def render_status(self, record):
        return item_status_badge(record, self.today, self.choice(record, "status"))


class OverdueActionItemTable(ActionItemTable):
    empty_text = _("Tidak ada tindak lanjut yang terlambat.")


# --- A meeting's invitees: the check-in list and the Undangan tab, drawn in Python ------------------


def _csrf_input(token: str) -> SafeString:
    """``{% csrf_token %}``'s hidden input, drawn once per page and repeated in each row's form."""
    return html_format('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', token)


def _guest_badge(inv, label: str) -> SafeString | str:
    return html_format(' <span class="badge text-bg-light border">{}</span>', label) if inv.is_guest else ""


CHECKIN_BUTTONS = (  # status, class when chosen, class otherwise
    ("hadir", "btn-success", "btn-outline-success"),
    ("terlambat", "btn-warning", "btn-outline-warning text-dark"),
    ("tidak_hadir", "btn-danger", "btn-outline-danger"),
)


class CheckInRows:
    """The rows of ``meetings/checkin.html`` (one ``<form>`` per invitation), drawn in Python: a
    200-invitee list resolved about 3,300 template variables (and a failed attribute lookup with
    ``dir()`` for each missing attendance) per request, half of the page's time."""

    def __init__(self, *, csrf_token: str, locked: bool):
        self.csrf = _csrf_input(csrf_token)
        self.locked = locked
        self.text = {
            "guest": gettext("tamu"), "answer": gettext("Jawaban"), "hadir": gettext("Hadir"),
            "terlambat": gettext("Terlambat"), "tidak_hadir": gettext("Tidak hadir"),
            "rep_by": gettext("Diwakili oleh"), "rep_placeholder": gettext("Diwakili oleh…"),
            "rep": gettext("Diwakili"),
        }

    def html(self, invitations) -> SafeString:
        from django.utils.dateformat import format as date_format

        from meetings.selectors import attendance_of

        t = self.text
        out = []
        for inv in invitations:
            att = attendance_of(inv)
            status = att.status if att is not None else ""
            if att is None:
                row_class = "kb-checkin-row"
                delegate = html_format(" ({})", inv.delegate_name) if inv.delegate_name else ""
                state = html_format('<span class="kb-meta">{}: {}{}</span>', t["answer"], inv.response_text, delegate)
            else:
                row_class = "kb-checkin-row is-present" if att.counts_as_present else "kb-checkin-row is-absent"
                state = html_format(
                    "<strong>{}</strong>{}{}", att.status_text,
                    html_format(" — {}", att.representative_name) if att.representative_name else "",
                    html_format(" · {}", date_format(timezone.localtime(att.arrived_at), "H.i"))
                    if att.arrived_at else "")
            position, institution = inv.position_label, inv.institution_label
            meta = html_format("{}{}{}", position, " · " if position and institution else "", institution)
            guest = _guest_badge(inv, t["guest"])
            actions = ""
            if not self.locked:
                buttons = "".join(
                    html_format('<button type="submit" name="status" value="{}" class="btn {}">{}</button>',
                                value, chosen if status == value else other, t[value])
                    for value, chosen, other in CHECKIN_BUTTONS)
                actions = html_format(
                    '<div class="actions">{}'
                    '<label class="visually-hidden" for="rep-{}">{} ({})</label>'
                    '<input class="form-control rep" id="rep-{}" name="representative_name" placeholder="{}" '
                    'value="{}">'
                    '<button type="submit" name="status" value="diwakili" class="btn {}">{}</button></div>',
                    mark_safe(buttons), inv.pk, t["rep_by"], inv.name, inv.pk, t["rep_placeholder"],  # noqa: S308
                    (att.representative_name if att is not None else "") or inv.delegate_name,
                    "btn-info" if status == "diwakili" else "btn-outline-info text-dark", t["rep"])
            out.append(html_format(
                '<form method="post" class="{}" id="undangan-{}">{}<input type="hidden" name="invitation" value="{}">'
                '<div class="who"><div class="fw-semibold">{}{}</div><div class="small kb-meta">{}</div>'
                '<div class="small">{}</div></div>{}</form>\n',
                row_class, inv.pk, self.csrf, inv.pk, inv.name, guest, meta, state, actions))
        return mark_safe("".join(out))  # noqa: S308 - every part html_format


class InvitationRows:
    """The rows of the meeting's *Undangan* tab (``meetings/meeting_detail.html``), drawn in Python:
    about 3,000 template variables per 200 invitees, most of that page's time."""

    def __init__(self, meeting, *, csrf_token: str, can_change: bool):
        from django.urls import reverse

        self.csrf = _csrf_input(csrf_token)
        self.can_change = can_change
        self.letter_url = reverse("meetings:invitation_letter_pdf", args=[meeting.pk])
        self.meeting_url = reverse("meetings:meeting_detail", args=[meeting.pk])
        self.text = {"guest": gettext("tamu"), "no_email": gettext("tanpa email: cetak surat"), "by": gettext("oleh"),
                     "letter": gettext("Surat undangan"), "remove": gettext("Hapus undangan")}

    def html(self, invitations) -> SafeString:
        t = self.text
        out = []
        for inv in invitations:
            guest = _guest_badge(inv, t["guest"])
            no_email = ""
            if not inv.email:
                no_email = html_format('<div class="small kb-meta"><i class="bi bi-envelope-slash" aria-hidden="true">'
                                       "</i> {}</div>", t["no_email"])
            source = html_format("{}: {}", inv.source_text, inv.source_label) if inv.source_label else inv.source_text
            delegate = ""
            if inv.delegate_name:
                delegate = html_format('<div class="small kb-meta">{} {}</div>', t["by"], inv.delegate_name)
            actions = ""
            if self.can_change:
                actions = html_format(
                    '<td class="text-end text-nowrap">'
                    '<a class="btn btn-link btn-sm" href="{}?undangan={}" aria-label="{} {}">'
                    '<i class="bi bi-file-earmark-pdf" aria-hidden="true"></i></a>'
                    '<form method="post" action="{}undangan/{}/hapus/" class="d-inline">{}'
                    '<button class="btn btn-link btn-sm text-danger" type="submit" aria-label="{} {}">'
                    '<i class="bi bi-trash" aria-hidden="true"></i></button></form></td>',
                    self.letter_url, inv.pk, t["letter"], inv.name, self.meeting_url, inv.pk, self.csrf,
                    t["remove"], inv.name)
            out.append(html_format(
                '<tr><td>{}{}<div class="small kb-meta d-md-none">{}</div>{}</td>'
                '<td class="d-none d-md-table-cell">{}</td><td class="d-none d-lg-table-cell small">{}</td>'
                "<td>{}{}</td>{}</tr>\n",
                inv.name, guest, inv.institution_label, no_email, inv.institution_label, source,
                inv.response_text, delegate, actions))
        return mark_safe("".join(out))  # noqa: S308 - every part html_format
