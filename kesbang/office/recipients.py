"""Who receives the weekly summary and the scheduled reports.

Default: every active login with the Pimpinan or the Staf Provinsi role that has an email address
(its own, else its person's). ``Recipient`` rows in the admin add addresses, or take one out of the
defaults (``active`` off)."""

from django.contrib.auth import get_user_model

from kesbang.office.models import Recipient
from teams.access import Role

DEFAULT_ROLES = (Role.PIMPINAN, Role.STAF_PROVINSI)


def recipients_for(purpose: str) -> list[str]:
    """Sorted, lower-cased, de-duplicated addresses for ``purpose`` ("weekly_summary" | "reports")."""
    if purpose not in ("weekly_summary", "reports"):
        raise ValueError(purpose)
    users = (
        get_user_model().objects.filter(is_active=True, groups__name__in=[str(r) for r in DEFAULT_ROLES])
        .select_related("person").distinct()
    )
    emails = set()
    for user in users:
        person = getattr(user, "person", None)
        email = user.email or (person.email if person else "")
        if email:
            emails.add(email.strip().lower())
    rows = list(Recipient.objects.all())
    emails |= {r.email.lower() for r in rows if r.active and getattr(r, purpose)}
    emails -= {r.email.lower() for r in rows if not r.active}
    return sorted(emails)
