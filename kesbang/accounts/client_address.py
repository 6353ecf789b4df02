"""``client_ip``: the one answer to "which address is this request from", behind trusted reverse
proxies (``KESBANG_TRUSTED_PROXIES``). The login lockout (``AXES_CLIENT_IP_CALLABLE``) and the audit
log both ask it; it imports nothing of ours, so both can."""

import ipaddress
from functools import lru_cache

from django.conf import settings

# Hops of X-Forwarded-For looked at, at most (a trusted chain is never this long; a longer header is a
# client's padding and is not walked further).
MAX_FORWARDED_HOPS = 20


def parse_trusted_proxies(values) -> tuple:
    """``KESBANG_TRUSTED_PROXIES`` entries (addresses or CIDR networks) as ip_network objects.
    Raises ValueError naming the entry that is not an address or network."""
    networks = []
    for value in values:
        text = str(value).strip()
        if not text:
            continue
        try:
            networks.append(ipaddress.ip_network(text, strict=False))
        except ValueError as exc:
            raise ValueError(f"KESBANG_TRUSTED_PROXIES: {text!r} bukan alamat IP atau jaringan CIDR") from exc
    return tuple(networks)


@lru_cache(maxsize=8)
def _trusted_networks(entries: tuple) -> tuple:
    return parse_trusted_proxies(entries)


def _address(text: str):
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address, networks) -> bool:
    return any(address.version == net.version and address in net for net in networks)


def client_ip(request) -> str | None:
    """The client's address: ``REMOTE_ADDR``, unless that peer is one of ``KESBANG_TRUSTED_PROXIES``;
    then X-Forwarded-For is walked from the right (the entry our own proxy wrote) to the left,
    skipping trusted proxies, and the first address that is not a trusted proxy is the client. What a
    client writes into the header itself sits to the left of that and is never believed. A malformed
    entry stops the walk at the last trusted hop (that proxy is then blamed, never a made-up address).
    Used by django-axes (``AXES_CLIENT_IP_CALLABLE``) and by the audit log."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR") or None
    entries = tuple(getattr(settings, "KESBANG_TRUSTED_PROXIES", ()) or ())
    if remote is None or not entries:
        return remote
    networks = _trusted_networks(entries)
    peer = _address(remote)
    if peer is None or not _is_trusted(peer, networks):
        return remote
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    hops = [hop for hop in forwarded.split(",") if hop.strip()][-MAX_FORWARDED_HOPS:]
    closest_trusted = peer
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            break
        if not _is_trusted(address, networks):
            return str(address)
        closest_trusted = address
    return str(closest_trusted)
