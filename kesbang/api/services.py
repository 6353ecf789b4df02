"""Writes of the API app: personal access tokens (house style 2: keyword-only, atomic, validated).

- ``token_create``: a new token for the login itself; returns the row and the clear token, which is
  never stored and never shown again.
- ``token_revoke``: the owner (or an administrator in the admin) withdraws it; a revoked token is
  refused from the next request on.
- ``tokens_revoke_all``: every token of a login at once (its password changed: ``kesbang.api.signals``).

Creating and revoking are written to the audit log (``kesbang.accounts.audit``, kinds ``token_created``
and ``token_revoked``): who acted, the token's name, prefix and scope, whose it is, and the request's
client address, path and browser when there is a request.
- ``token_touch``: records a use (time and client address), at most once a minute per token and
  address, so a busy client does not write a row per request.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac
import secrets

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kesbang.api.models import AccessToken
from kesbang.core.validation import validated_save

PREFIX = "kbg_"
PREFIX_CHARS = 8
# The choices of the token page (days); the longest a token may live.
LIFETIMES = (30, 90, 180, 365)
MAX_ACTIVE = 20
TOUCH_EVERY = datetime.timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def split_token(raw: str) -> tuple[str, str] | None:
    """``kbg_<prefix>_<secret>`` → (prefix, whole token), or None when it is not shaped like one."""
    raw = (raw or "").strip()
    if not raw.startswith(PREFIX) or len(raw) < len(PREFIX) + PREFIX_CHARS + 2 or len(raw) > 200:
        return None
    prefix = raw[len(PREFIX):len(PREFIX) + PREFIX_CHARS]
    if raw[len(PREFIX) + PREFIX_CHARS] != "_" or not all(c in "0123456789abcdef" for c in prefix):
        return None
    return prefix, raw


def matches(token: AccessToken, raw: str) -> bool:
    return hmac.compare_digest(token.token_hash, token_hash(raw))


def _audit(kind: str, token: AccessToken, *, user, request=None, why: str = "") -> None:
    from kesbang.accounts import audit

    owner = token.user.get_username()
    detail = f"token \u201c{token.name}\u201d ({PREFIX}{token.prefix}\u2026), cakupan {token.scope}"
    if getattr(user, "pk", None) != token.user_id:
        detail += f", milik {owner}"
    if kind == "token_created":
        detail += f", berlaku sampai {timezone.localdate(token.expires_at):%d/%m/%Y}"
    if why:
        detail += f"; {why}"
    acting = user if getattr(user, "is_authenticated", False) else None
    audit.record(kind, request=request, user=acting, username="" if acting else owner, detail=detail)


@transaction.atomic
def token_create(*, user, name: str, scope: str, days: int, second_factor: bool,
                 created_from: str | None = None, request=None) -> tuple[AccessToken, str]:
    """A token for ``user`` named ``name`` (unique among its active tokens), valid ``days`` days
    (one of ``LIFETIMES``). ``second_factor``: the session that asks has passed two-factor
    verification; the caller (the token page) decides it from the session. Returns (row, clear token)."""
    name = " ".join((name or "").split())
    errors = {}
    if not name:
        errors["name"] = _("Beri nama token, mis. nama aplikasi yang memakainya.")
    if scope not in AccessToken.Scope.values:
        errors["scope"] = _("Pilih cakupan token.")
    if days not in LIFETIMES:
        errors["days"] = _("Pilih masa berlaku token.")
    if errors:
        raise ValidationError(errors)
    active = AccessToken.objects.filter(user=user, revoked_at__isnull=True, expires_at__gt=timezone.now())
    if active.count() >= MAX_ACTIVE:
        raise ValidationError(_("Paling banyak %(n)s token aktif; cabut yang tidak dipakai lagi.") % {"n": MAX_ACTIVE})
    prefix = secrets.token_hex(PREFIX_CHARS // 2)
    while AccessToken.objects.filter(prefix=prefix).exists():  # one in four billion: draw again
        prefix = secrets.token_hex(PREFIX_CHARS // 2)
    raw = f"{PREFIX}{prefix}_{secrets.token_urlsafe(32)}"
    now = timezone.now()
    token = AccessToken(
        user=user, name=name, prefix=prefix, token_hash=token_hash(raw), scope=scope, created_at=now,
        expires_at=now + datetime.timedelta(days=days), second_factor=second_factor, created_from=created_from,
    )
    validated_save(token)
    _audit("token_created", token, user=user, request=request)
    return token, raw


@transaction.atomic
def token_revoke(*, token: AccessToken, user, request=None) -> AccessToken:
    """Withdraw ``token``: only its owner (``user``), or an administrator through the admin."""
    if token.user_id != getattr(user, "pk", None) and not user.has_perm("api.change_accesstoken"):
        raise PermissionDenied
    if token.revoked_at is None:
        token.revoked_at = timezone.now()
        token.save(update_fields=["revoked_at"])
        _audit("token_revoked", token, user=user, request=request)
    return token


@transaction.atomic
def tokens_revoke_all(*, owner, why: str) -> int:
    """Withdraw every token of ``owner`` not yet revoked (expired ones too), each audited with ``why``;
    returns how many."""
    tokens = list(AccessToken.objects.select_for_update().filter(user=owner, revoked_at__isnull=True).order_by("pk"))
    now = timezone.now()
    AccessToken.objects.filter(pk__in=[t.pk for t in tokens]).update(revoked_at=now)
    for token in tokens:
        token.revoked_at = now
        token.user = owner
        _audit("token_revoked", token, user=owner, why=why)
    return len(tokens)


def token_touch(*, token: AccessToken, address: str | None, now: datetime.datetime | None = None) -> bool:
    """Record a use of ``token`` from ``address``: written when the last record is more than a minute
    old or from another address (one UPDATE then, none otherwise). True when it wrote."""
    now = now or timezone.now()
    fresh = token.last_used_at is not None and now - token.last_used_at < TOUCH_EVERY
    if fresh and token.last_used_from == address:
        return False
    AccessToken.objects.filter(pk=token.pk).update(last_used_at=now, last_used_from=address)
    token.last_used_at, token.last_used_from = now, address
    return True
