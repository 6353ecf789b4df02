"""The classification policy: what each class of incident (``biasa``, ``terbatas``, ``rahasia``) shows
on every channel. The one module every page, email, document, export and admin view asks.

The classes follow the security classification of dynamic records that Indonesian government offices
use (Biasa/Terbuka, Terbatas, Rahasia, Sangat Rahasia). ``sangat rahasia`` is deliberately not offered:
it is for information whose disclosure endangers the state's sovereignty or safety at national level,
which stays in the originating agency's (BIN, Polri, TNI) own channels and is never entered into a
networked office application; such a case is recorded here as ``rahasia`` with its reference only.

Who may read (pages, tabs, lists, exports, map, admin site, and later the API), on top of the login's
region or team scope (``Incident.objects.restrict``): the holders of the class's clearance
(``CLEARANCE``, a Django permission the roles' groups hold as ``kesbang.accounts.roles`` grants it),
and the reporter. With the roles of today:

- ``biasa`` (``incidents.view_incident``): every role in scope (Administrator, Pimpinan, Staf
  Provinsi, Staf Kabupaten/Kota for its regency/city, Anggota Tim for its teams' incidents);
- ``terbatas`` (``incidents.view_terbatas_incident``, need to know): the Tim Terpadu's staff in scope
  (Pimpinan, Staf Provinsi, Staf Kabupaten/Kota, Anggota Tim of the handling team); not the
  Administrator role, which manages accounts and reference data and has no need to know;
- ``rahasia`` (``incidents.view_rahasia_incident``): Pimpinan and Staf Provinsi; superusers, being
  outside the roles, read everything (there are no superusers in normal operation: see the README).

Every other channel takes its ``Disclosure`` from ``TABLE`` through ``disclosure(class, audience)``:

============================  ===========  ===========  ===========
audience                      biasa        terbatas     rahasia
============================  ===========  ===========  ===========
a reader (page, export)       full         full         full
email to a login that reads   full         full         reference
email to an address without   full         reference    none
a login (team leaders, report
recipients, invitees)
meeting page, to a login      full         count        none
that sees the meeting but
may not read the incident
province report (PDF, .xlsx)  full         reference    count
regency/city report           full         reference    none
weekly summary email          full         reference    count
webhook, endpoint biasa       full         none         none
webhook, endpoint terbatas    full         full         none
webhook, endpoint rahasia     full         full         reference
external (national package)   full         reference    count
public pages                  none         none         none
============================  ===========  ===========  ===========

A webhook is a message leaving Kesbang for another system, like an email: an endpoint hears of the
classes up to its declared clearance and never more than an email to a reader gets (``rahasia``: its
reference only); a class above its clearance is not sent at all (no event, so neither its existence
nor its timing leaks). A login registers an endpoint only up to the classes it reads itself
(``kesbang.integrations``), so no one obtains through a webhook what the pages refuse them. The
national package goes to another government body: as the province's report, ``terbatas`` by reference
and ``rahasia`` only counted.

``full``: reference, title, place and content; ``reference``: the reference number, kind, severity and
regency/city, never the title, chronology or place below the regency; ``count``: only counted in
figures ("1 insiden terbatas"), never named; ``none``: neither named nor counted, so its existence
cannot be inferred from that channel. Dashboard and map figures are computed over what the login may
read, so a login counts exactly what it may read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

from django.apps import apps
from django.db.models import Q

BIASA, TERBATAS, RAHASIA = "biasa", "terbatas", "rahasia"
CLASSES = (BIASA, TERBATAS, RAHASIA)


class Disclosure(StrEnum):
    FULL = "full"
    REFERENCE = "reference"
    COUNT = "count"
    NONE = "none"

    @property
    def named(self) -> bool:
        """The incident is named (at least by its reference)."""
        return self in (Disclosure.FULL, Disclosure.REFERENCE)

    @property
    def counted(self) -> bool:
        return self is not Disclosure.NONE


class Audience(StrEnum):
    READER = "reader"
    READER_MAIL = "reader_mail"
    PERSON_MAIL = "person_mail"
    MEETING_NON_READER = "meeting_non_reader"
    PROVINCE_REPORT = "province_report"
    REGENCY_REPORT = "regency_report"
    WEEKLY_SUMMARY = "weekly_summary"
    WEBHOOK_BIASA = "webhook_biasa"
    WEBHOOK_TERBATAS = "webhook_terbatas"
    WEBHOOK_RAHASIA = "webhook_rahasia"
    EXTERNAL = "external"
    PUBLIC = "public"


F, R, C, N = Disclosure.FULL, Disclosure.REFERENCE, Disclosure.COUNT, Disclosure.NONE

# The policy table (see the module docstring and the README's "Classification policy").
TABLE: dict[str, dict[Audience, Disclosure]] = {
    BIASA: {
        Audience.READER: F, Audience.READER_MAIL: F, Audience.PERSON_MAIL: F, Audience.MEETING_NON_READER: F,
        Audience.PROVINCE_REPORT: F, Audience.REGENCY_REPORT: F, Audience.WEEKLY_SUMMARY: F, Audience.PUBLIC: N,
        Audience.WEBHOOK_BIASA: F, Audience.WEBHOOK_TERBATAS: F, Audience.WEBHOOK_RAHASIA: F, Audience.EXTERNAL: F,
    },
    TERBATAS: {
        Audience.READER: F, Audience.READER_MAIL: F, Audience.PERSON_MAIL: R, Audience.MEETING_NON_READER: C,
        Audience.PROVINCE_REPORT: R, Audience.REGENCY_REPORT: R, Audience.WEEKLY_SUMMARY: R, Audience.PUBLIC: N,
        Audience.WEBHOOK_BIASA: N, Audience.WEBHOOK_TERBATAS: F, Audience.WEBHOOK_RAHASIA: F, Audience.EXTERNAL: R,
    },
    RAHASIA: {
        Audience.READER: F, Audience.READER_MAIL: R, Audience.PERSON_MAIL: N, Audience.MEETING_NON_READER: N,
        Audience.PROVINCE_REPORT: C, Audience.REGENCY_REPORT: N, Audience.WEEKLY_SUMMARY: C, Audience.PUBLIC: N,
        Audience.WEBHOOK_BIASA: N, Audience.WEBHOOK_TERBATAS: N, Audience.WEBHOOK_RAHASIA: R, Audience.EXTERNAL: C,
    },
}

# The audience of a webhook endpoint by its declared clearance (kesbang.integrations).
WEBHOOK_AUDIENCES: dict[str, Audience] = {
    BIASA: Audience.WEBHOOK_BIASA, TERBATAS: Audience.WEBHOOK_TERBATAS, RAHASIA: Audience.WEBHOOK_RAHASIA,
}


def webhook_audience(clearance: str) -> Audience:
    """The audience of an endpoint declared ``clearance`` (unknown: the lowest, biasa)."""
    return WEBHOOK_AUDIENCES.get(clearance, Audience.WEBHOOK_BIASA)


# The clearance each class needs: a permission, held through the login's groups (who holds which is
# kesbang/accounts/roles.py). The region/team scope applies on top, in restrict(). A missing permission
# row (a database not yet migrated) means nobody but superusers reads that class: it fails closed.
CLEARANCE: dict[str, str] = {
    BIASA: "incidents.view_incident",
    TERBATAS: "incidents.view_terbatas_incident",
    RAHASIA: "incidents.view_rahasia_incident",
}


def reader_note(classification: str) -> str:
    """One sentence for the incident page: what this class means for who reads and hears of it."""
    from django.utils.translation import gettext as _

    if classification == TERBATAS:
        return _("Terbatas: hanya petugas Tim Terpadu yang berwenang di wilayahnya yang dapat membaca laporan ini "
                 "(bukan Administrator). Email kepada penerima tanpa akun hanya memuat nomornya; halaman rapat "
                 "menyebutnya hanya sebagai jumlah kepada yang tidak berwenang.")
    if classification == RAHASIA:
        return _("Rahasia: hanya Pimpinan, Staf Provinsi dan pelapornya yang dapat membaca laporan ini. Email hanya "
                 "memuat nomornya dan hanya dikirim kepada yang berwenang; laporan kabupaten/kota tidak "
                 "menghitungnya.")
    return ""


def disclosure(classification: str, audience: Audience) -> Disclosure:
    """What ``audience`` may be shown of an incident of ``classification`` (unknown class: as rahasia)."""
    return TABLE.get(classification, TABLE[RAHASIA])[audience]


def classes_for(audience: Audience, *, at_least: Disclosure = Disclosure.COUNT) -> list[str]:
    """The classes ``audience`` is shown at least ``at_least`` of (e.g. the classes a report counts)."""
    order = [Disclosure.NONE, Disclosure.COUNT, Disclosure.REFERENCE, Disclosure.FULL]
    return [c for c in CLASSES if order.index(TABLE[c][audience]) >= order.index(at_least)]


def readable_classes(user) -> frozenset[str]:
    """The classes a login is cleared for (whatever the scope). Superusers read every class. The
    permissions come with the user (``kesbang.core.auth``): no query."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    if getattr(user, "is_superuser", False):
        return frozenset(CLASSES)
    return frozenset(c for c in CLASSES if user.has_perm(CLEARANCE[c]))


def hidden_classes_q(user) -> Q | None:
    """A filter excluding the classes ``user`` may not read, or None when it reads them all."""
    hidden = [c for c in CLASSES if c not in readable_classes(user)]
    return ~Q(classification__in=hidden) if hidden else None


def _incidents():
    # The model through the app registry: incidents.models imports this module (restrict), so this
    # module does not import it back.
    return apps.get_model("incidents", "Incident").objects


def can_read(user, incident) -> bool:
    """``incident`` is in ``Incident.objects.restrict(user, "view")`` (one query)."""
    return _incidents().restrict(user, "view").filter(pk=incident.pk).exists()


def readable_ids(user, ids: Iterable[int]) -> set[int]:
    """The ids among ``ids`` the login may read (one query)."""
    ids = [i for i in ids if i is not None]
    if not ids:
        return set()
    return set(_incidents().restrict(user, "view").filter(pk__in=ids).values_list("pk", flat=True))


# --- Meeting pages: linked incidents ---------------------------------------------------------------

@dataclass(frozen=True)
class LinkedIncidents:
    """What a meeting page shows of its linked incidents to one login."""

    readable: list  # incidents the login may read: reference, title and link
    named: list  # incidents it may not read but whose reference and title the policy lets it see
    counted: dict[str, int]  # {class label: n} of incidents only counted for it

    @property
    def counted_total(self) -> int:
        return sum(self.counted.values())


def linked_incidents(user, incidents: Iterable) -> LinkedIncidents:
    incidents = list(incidents)
    readable_pks = readable_ids(user, [i.pk for i in incidents])
    readable, named, counted = [], [], {}
    for incident in incidents:
        if incident.pk in readable_pks:
            readable.append(incident)
            continue
        shown = disclosure(incident.classification, Audience.MEETING_NON_READER)
        if shown is Disclosure.FULL:
            named.append(incident)
        elif shown.counted:
            label = incident.get_classification_display()
            counted[label] = counted.get(label, 0) + 1
    return LinkedIncidents(readable=readable, named=named, counted=counted)


def keep_unreadable(user, current: Iterable, submitted: Iterable) -> list:
    """The related set to save when ``user`` edited ``current`` into ``submitted``: the submitted items
    plus the current ones the editor may not read (a form never drops what its editor cannot see)."""
    current = list(current)
    readable = readable_ids(user, [i.pk for i in current])
    kept = [i for i in current if i.pk not in readable]
    submitted = list(submitted)
    seen = {i.pk for i in submitted}
    return submitted + [i for i in kept if i.pk not in seen]


# --- Email -----------------------------------------------------------------------------------------

def login_for_address(email: str):
    """The active login behind an email address (its own or its person's), or None."""
    from django.contrib.auth import get_user_model

    email = (email or "").strip()
    if not email:
        return None
    users = get_user_model().objects.filter(is_active=True)
    return (users.filter(email__iexact=email).first()
            or users.filter(person__email__iexact=email).first())


def mail_disclosure(incident, *, user=None) -> Disclosure:
    """What an email about ``incident`` may contain for a recipient: a login (``user``), which must be
    able to read the incident on the pages, or an address without a login (``user=None``)."""
    if user is None:
        return disclosure(incident.classification, Audience.PERSON_MAIL)
    if not can_read(user, incident):
        return Disclosure.NONE
    return disclosure(incident.classification, Audience.READER_MAIL)


def mail_disclosure_for_address(incident, email: str) -> Disclosure:
    """``mail_disclosure`` for an address: as its login when it has one, else as an address without one."""
    user = login_for_address(email)
    if user is None:
        return mail_disclosure(incident)
    return mail_disclosure(incident, user=user)


# --- History ---------------------------------------------------------------------------------------

def history_redactor(user, incident):
    """For ``kesbang.core.history.change_log(redact=...)``: a historical record is shown only when the
    reader may, right now, read an incident of the class the record had then (a downgraded incident's
    earlier values stay hidden from its new readers). The reporter reads its own report's history."""
    if incident.reporter_id is not None and incident.reporter_id == getattr(user, "pk", None):
        return None
    allowed = readable_classes(user)
    if allowed == frozenset(CLASSES):
        return None
    return lambda record: getattr(record, "classification", RAHASIA) not in allowed
