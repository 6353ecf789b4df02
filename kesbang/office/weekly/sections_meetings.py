"""Weekly summary section from the meetings app: meetings held (with attendance) and coming,
action items completed in the week and overdue."""

import datetime

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from kesbang.core.email import absolute_url
from kesbang.office.weekly.registry import figure, link, summary_section
from kesbang.office.weekly.weeks import Week
from meetings.selectors import action_items_completed, action_items_overdue, meetings_held, meetings_upcoming


def _when(value) -> str:
    return formats.date_format(timezone.localtime(value), "j F Y H.i")


@summary_section("rapat", order=40)
def meetings(week: Week) -> dict:
    held = list(meetings_held(week.start, week.end))
    next_monday = week.end + datetime.timedelta(days=1)
    coming = list(meetings_upcoming(next_monday, days=14)[:20])
    completed = action_items_completed(week.start, week.end).count()
    overdue = list(action_items_overdue(next_monday)[:20])
    overdue_count = action_items_overdue(next_monday).count()
    meetings_url = absolute_url(reverse("meetings:meeting_list"))
    overdue_url = absolute_url(reverse("meetings:action_items_overdue"))
    return {
        "key": "rapat",
        "title": _("Rapat dan Tindak Lanjut"),
        "figures": [
            figure(_("Rapat diselenggarakan"), len(held), meetings_url),
            figure(_("Rapat dalam 14 hari ke depan"), len(coming), meetings_url),
            figure(_("Tindak lanjut selesai minggu ini"), completed, meetings_url),
            figure(_("Tindak lanjut terlambat"), overdue_count, overdue_url),
        ],
        "tables": [
            {
                "title": _("Rapat yang diselenggarakan"),
                "headers": [_("Waktu"), _("Rapat"), _("Wilayah"), _("Hadir"), _("Diundang")],
                "rows": [[_when(m.start), link(m.title, absolute_url(m.get_absolute_url())),
                          m.team.region.name if m.team_id else "—", str(m.present_count + m.guest_count),
                          str(m.invited_count)] for m in held],
                "empty": _("Tidak ada rapat minggu ini."),
            },
            {
                "title": _("Rapat yang akan datang"),
                "headers": [_("Waktu"), _("Rapat"), _("Tempat")],
                "rows": [[_when(m.start), link(m.title, absolute_url(m.get_absolute_url())), m.venue]
                         for m in coming],
                "empty": _("Belum ada rapat terjadwal."),
            },
            {
                "title": _("Tindak lanjut terlambat"),
                "headers": [_("Tindak lanjut"), _("Penanggung jawab"), _("Batas waktu")],
                "rows": [[link(i.description[:120], absolute_url(i.meeting.get_absolute_url())),
                          str(i.owner_person or i.owner_institution or "—"),
                          formats.date_format(i.due_date, "j F Y")] for i in overdue],
                "empty": _("Tidak ada tindak lanjut yang terlambat."),
            },
        ],
    }
