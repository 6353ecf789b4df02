"""Sending one signed webhook request, and the rules for where a webhook may go.

Signature (what the receiver checks, README "Webhooks")::

    X-Kesbang-Timestamp: 1767225600                 (Unix seconds when this attempt was sent)
    X-Kesbang-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<raw body>")>

Targets: only ``http``/``https`` URLs without user:password. Unless ``WEBHOOK_ALLOW_PRIVATE_TARGETS``
is on (the default in debug, off in production), an address that resolves to a loopback, private,
link-local, reserved, multicast or unspecified address is refused: a webhook must not become a way
to make the server call its own network (the database, Redis, a cloud metadata service). The check
runs when an endpoint is registered and again at every send, on the very addresses the connection
then uses (the connection goes to the checked IP; a DNS answer that changes in between cannot slip a
private address in). Redirects are never followed.
"""

from __future__ import annotations

import hashlib
import hmac
import http.client
import ipaddress
import socket
import ssl
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

USER_AGENT = "Kesbang-Webhook/1"
MAX_RESPONSE_BYTES = 64 * 1024


class WebhookSendError(Exception):
    """The receiver could not be reached or did not answer 2xx: the task retries with backoff."""


class UnsafeTarget(WebhookSendError):
    """The address resolves where webhooks may not go (not retried usefully, but recorded)."""


def sign(secret: str, timestamp: int, body: bytes) -> str:
    """``v1=<hex>``: HMAC-SHA256 with ``secret`` over ``b"<timestamp>." + body``."""
    mac = hmac.new(secret.encode("utf-8"), str(timestamp).encode("ascii") + b"." + body, hashlib.sha256)
    return "v1=" + mac.hexdigest()


def verify(secret: str, timestamp: str, body: bytes, signature: str, *, tolerance: int = 300,
           now: float | None = None) -> bool:
    """What a receiver does (README): the timestamp is recent and the signature matches (constant
    time). Kept here so the tests and the README snippet say the same thing."""
    try:
        ts = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((now if now is not None else time.time()) - ts) > tolerance:
        return False
    return hmac.compare_digest(sign(secret, ts, body), signature or "")


def _private_allowed() -> bool:
    return bool(getattr(settings, "WEBHOOK_ALLOW_PRIVATE_TARGETS", False))


def _blocked(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (ip.is_private or ip.is_loopback or ip.is_link_local or ip.is_reserved or ip.is_multicast
            or ip.is_unspecified or not ip.is_global)


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query


def parse_target(url: str) -> Target:
    """The URL's parts, or a ValidationError in Indonesian (scheme, host, credentials, port)."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValidationError(_("Alamat URL tidak sah.")) from exc
    if parts.scheme not in ("http", "https"):
        raise ValidationError(_("Alamat webhook harus diawali http:// atau https://."))
    if not parts.hostname:
        raise ValidationError(_("Alamat webhook harus memuat nama host."))
    if parts.username or parts.password:
        raise ValidationError(_("Jangan cantumkan nama pengguna atau kata sandi di alamat webhook; "
                                "penerima memeriksa tanda tangan HMAC."))
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path)


def _addresses(host: str, port: int) -> list[str]:
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(info[4][0] for info in infos))


def _refusal(host: str) -> str:
    return _("Alamat %(host)s menuju jaringan internal (loopback, privat atau khusus); webhook hanya boleh ke "
             "alamat publik.") % {"host": host}


def check_url(url: str, *, field: str | None = None) -> Target:
    """Registration check: scheme and host, and (unless private targets are allowed) no address in a
    private range. A host that does not resolve yet is accepted here: every send checks again."""
    try:
        target = parse_target(url)
        if not _private_allowed():
            try:
                literal = ipaddress.ip_address(target.host.strip("[]"))
            except ValueError:
                literal = None
            if literal is not None:
                if _blocked(literal):
                    raise ValidationError(_refusal(target.host))
            elif target.host.lower() in ("localhost",) or target.host.lower().endswith(".localhost"):
                raise ValidationError(_refusal(target.host))
            else:
                try:
                    addresses = _addresses(target.host, target.port)
                except OSError:
                    addresses = []
                if any(_blocked(ipaddress.ip_address(a.split("%")[0])) for a in addresses):
                    raise ValidationError(_refusal(target.host))
    except ValidationError as exc:
        raise ValidationError({field: exc.messages}) if field else exc from None
    return target


def resolve_for_send(target: Target) -> str:
    """The address to connect to, checked (``UnsafeTarget`` when it may not be used)."""
    try:
        addresses = _addresses(target.host, target.port)
    except OSError as exc:
        raise WebhookSendError(f"DNS: {exc}") from exc
    if not addresses:
        raise WebhookSendError("DNS: no address")
    if not _private_allowed():
        bad = [a for a in addresses if _blocked(ipaddress.ip_address(a.split("%")[0]))]
        if bad:
            raise UnsafeTarget(f"{target.host} resolves to a non-public address ({', '.join(bad)})")
    return addresses[0]


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host, port, *, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host, port, *, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self):
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


@dataclass(frozen=True)
class Answer:
    status: int
    excerpt: str
    duration_ms: int


def post(url: str, body: bytes, headers: dict[str, str], *, timeout: float | None = None) -> Answer:
    """POST ``body`` to ``url`` on a checked address; a non-2xx answer or a network error raises
    ``WebhookSendError`` (with the answer's status in the message)."""
    target = parse_target(url)
    address = resolve_for_send(target)
    timeout = timeout if timeout is not None else getattr(settings, "WEBHOOK_TIMEOUT", 10)
    if target.scheme == "https":
        connection = _PinnedHTTPSConnection(target.host, target.port, address=address, timeout=timeout,
                                            context=ssl.create_default_context())
    else:
        connection = _PinnedHTTPConnection(target.host, target.port, address=address, timeout=timeout)
    started = time.monotonic()
    try:
        connection.request("POST", target.path, body=body, headers={
            "Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT, **headers})
        response = connection.getresponse()
        excerpt = response.read(MAX_RESPONSE_BYTES).decode("utf-8", "replace")[:500]
        status = response.status
    except (OSError, http.client.HTTPException) as exc:
        raise WebhookSendError(f"{type(exc).__name__}: {exc}") from exc
    finally:
        connection.close()
    answer = Answer(status, excerpt, int((time.monotonic() - started) * 1000))
    if not 200 <= status < 300:
        error = WebhookSendError(f"HTTP {status}")
        error.answer = answer
        raise error
    return answer
