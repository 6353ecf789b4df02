"""Who receives the weekly summary and the scheduled reports.

Default: every active login holding the purpose's permission (``DEFAULT_PERMS``: granted to the Pimpinan
and Staf Provinsi roles in ``kesbang.accounts.roles``) that has an email address (its own, else its
person's).
``Recipient`` rows in the admin add addresses, or take one out of the defaults (``active`` off)."""

from kesbang.core.auth import users_with_perm
from kesbang.office.models import Recipient

DEFAULT_PERMS = {"weekly_summary": "office.receive_weeklysummary", "reports": "office.receive_report"}


def recipients_for(purpose: str) -> list[str]:
    """Sorted, lower-cased, de-duplicated addresses for ``purpose`` ("weekly_summary" | "reports")."""
    if purpose not in DEFAULT_PERMS:
        raise ValueError(purpose)
    emails = set()
    for user in users_with_perm(DEFAULT_PERMS[purpose]):
        person = getattr(user, "person", None)
        email = user.email or (person.email if person else "")
        if email:
            emails.add(email.strip().lower())
    rows = list(Recipient.objects.all())
    emails |= {r.email.lower() for r in rows if r.active and getattr(r, purpose)}
    emails -= {r.email.lower() for r in rows if not r.active}
    return sorted(emails)
