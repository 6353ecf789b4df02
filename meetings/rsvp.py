"""The personal answer link of an invitation: no login, signed, expiring, good for that invitation only.

The token is ``TimestampSigner.sign_object({"i": invitation_id, "m": meeting_id})`` under its own salt:
changing any character breaks the signature (``BadSignature``), and after
``settings.MEETINGS_RSVP_MAX_AGE_DAYS`` days it is refused (``SignatureExpired``). The view also refuses
a token whose invitation is gone or belongs to another meeting.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "kesbang.meetings.rsvp"


def max_age() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "MEETINGS_RSVP_MAX_AGE_DAYS", 30))


def token_for(invitation) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"i": invitation.pk, "m": invitation.meeting_id},
                                                          compress=True)


def read_token(token: str) -> tuple[int, int]:
    """(invitation id, meeting id); raises ``signing.SignatureExpired`` or ``signing.BadSignature``."""
    data = signing.TimestampSigner(salt=SALT).unsign_object(token, max_age=max_age())
    if not isinstance(data, dict) or not isinstance(data.get("i"), int) or not isinstance(data.get("m"), int):
        raise signing.BadSignature("malformed")
    return data["i"], data["m"]


def rsvp_path(invitation) -> str:
    return reverse("meetings:rsvp", args=[token_for(invitation)])
