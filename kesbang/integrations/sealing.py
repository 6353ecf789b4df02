"""The webhook secrets: generated here, shown once, stored encrypted.

Why encrypted and not hashed: the server itself signs every delivery with the secret (HMAC), so it
must be able to read it back; a hash (as for recovery codes) could only check it. Why encrypted and not
plain: a database dump or backup alone must not let anyone forge Kesbang's signature towards a
receiver (django-otp's TOTP keys sit in plain text; these do not). The key is derived from
``WEBHOOK_SECRET_KEY`` when set, else from ``SECRET_KEY``; ``SECRET_KEY_FALLBACKS`` still decrypt
after a key rotation (``MultiFernet``), and the next secret rotation seals with the new key. Why shown
once: whoever reads the admin later (another administrator, a shoulder) cannot copy it; a lost secret
is replaced (rotation), never recovered.
"""

from __future__ import annotations

import base64
import secrets

from django.conf import settings

# ``cryptography`` is imported where a secret is sealed or read, not with this module: the admin and
# the webhook tasks import this module in every process, and the library's bindings are 9 MB of
# resident memory that a web worker or a report build otherwise carries for nothing (``make bench``'s
# report peak).

PREFIX = "whsec_"
VERSION = "v1:"


class SecretUnavailable(Exception):
    """The stored secret cannot be decrypted (the key it was sealed with is gone): rotate it."""


def _fernet(key_material: str):
    from cryptography.fernet import Fernet
    from cryptography.hazmat.primitives import hashes
    from cryptography.hazmat.primitives.kdf.hkdf import HKDF

    raw = HKDF(algorithm=hashes.SHA256(), length=32, salt=b"kesbang-webhook-secret",
               info=b"kesbang.integrations.sealing v1").derive(key_material.encode("utf-8"))
    return Fernet(base64.urlsafe_b64encode(raw))


def _keys():
    from cryptography.fernet import MultiFernet

    primary = getattr(settings, "WEBHOOK_SECRET_KEY", "") or settings.SECRET_KEY
    fallbacks = [k for k in getattr(settings, "SECRET_KEY_FALLBACKS", []) if k]
    if getattr(settings, "WEBHOOK_SECRET_KEY", ""):
        fallbacks = [settings.SECRET_KEY, *fallbacks]
    return MultiFernet([_fernet(primary), *(_fernet(k) for k in fallbacks)])


def new_secret() -> str:
    """A fresh shared secret: ``whsec_`` and 43 URL-safe characters (256 bits)."""
    return PREFIX + secrets.token_urlsafe(32)


def seal(secret: str) -> str:
    return VERSION + _keys().encrypt(secret.encode("utf-8")).decode("ascii")


def unseal(sealed: str) -> str:
    if not sealed.startswith(VERSION):
        raise SecretUnavailable("unknown sealing version")
    from cryptography.fernet import InvalidToken

    try:
        return _keys().decrypt(sealed[len(VERSION):].encode("ascii")).decode("utf-8")
    except InvalidToken as exc:
        raise SecretUnavailable("the key that sealed this secret is not configured any more") from exc


def hint(secret: str) -> str:
    """What the admin shows to match a receiver's copy: the last four characters."""
    return "…" + secret[-4:]
