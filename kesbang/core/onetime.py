"""One-time secret codes typed by a person (recovery codes, two-factor enrolment codes).

A code is 16 characters from Crockford's base32 alphabet (32 symbols, no I, L, O or U): 80 bits of
randomness, shown in four groups of four (``7KQ2-M9XD-4HWR-TB3N``). Only a salted SHA-256 hash is
stored (``sha256$<salt>$<digest>``). A fast hash is enough here: with 80 random bits no guessing
or offline search is feasible, while a slow password hasher would make checking ten recovery codes
take seconds. Typed input is forgiving: spaces, dashes and case are ignored, and O/I/L read as 0/1/1.
"""

import hashlib
import hmac
import secrets

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 16  # 16 x 5 bits = 80 bits
_READ_AS = str.maketrans({"O": "0", "I": "1", "L": "1"})


def new_code(length: int = LENGTH) -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(length))


def normalise(typed: str) -> str:
    """What the person typed, as stored before hashing: no separators, upper case, look-alikes mapped."""
    return "".join((typed or "").split()).replace("-", "").upper().translate(_READ_AS)


def grouped(code: str, size: int = 4) -> str:
    """``7KQ2M9XD4HWRTB3N`` -> ``7KQ2-M9XD-4HWR-TB3N`` (how codes are shown)."""
    return "-".join(code[i:i + size] for i in range(0, len(code), size))


def make_hash(code: str) -> str:
    salt = secrets.token_hex(16)
    digest = hashlib.sha256(f"{salt}${normalise(code)}".encode()).hexdigest()
    return f"sha256${salt}${digest}"


def check(typed: str, stored: str) -> bool:
    """True when ``typed`` is the code whose hash is ``stored`` (constant-time comparison)."""
    try:
        algorithm, salt, digest = stored.split("$", 2)
    except ValueError:
        return False
    if algorithm != "sha256" or not typed:
        return False
    candidate = hashlib.sha256(f"{salt}${normalise(typed)}".encode()).hexdigest()
    return hmac.compare_digest(candidate, digest)
