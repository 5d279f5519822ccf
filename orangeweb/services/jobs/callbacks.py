"""Batch callbacks: the dashboard's own hook URL, and the rules for a user-given one.

The dashboard's hook is `{ORANGEWEB_PUBLIC_URL}/hooks/batch/{token}` with a random 256-bit
token per batch; only its SHA-256 is stored. The hook wakes the tracker, which re-fetches the
status: the body is never trusted. A user-given URL must be https and resolve only to public
addresses, so the vendor cannot be pointed at our own network (SSRF by proxy).
"""

from __future__ import annotations

import asyncio
import hashlib
import ipaddress
import secrets
import socket
from collections.abc import Awaitable, Callable
from urllib.parse import urlsplit

from orangeweb.services.errors import ValidationError

Resolver = Callable[[str, int], Awaitable[list[str]]]
"""Host, port -> the IP addresses it resolves to."""

CALLBACK_URL_MAX = 2000
RESOLVE_TIMEOUT_SECONDS = 5.0


def new_callback_token() -> str:
    return secrets.token_urlsafe(32)


def hash_callback_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hook_url(public_url: str, token: str) -> str:
    return f"{public_url.rstrip('/')}/hooks/batch/{token}"


async def system_resolver(host: str, port: int) -> list[str]:
    loop = asyncio.get_running_loop()
    infos = await asyncio.wait_for(
        loop.getaddrinfo(host, port, type=socket.SOCK_STREAM), RESOLVE_TIMEOUT_SECONDS
    )
    return [str(info[4][0]) for info in infos]


# NAT64 (RFC 6052): the well-known prefix carries an IPv4 address in its last 32 bits; the
# local-use prefix (RFC 8215) is never a public destination, whatever it carries.
NAT64_WELL_KNOWN = ipaddress.IPv6Network("64:ff9b::/96")
NAT64_LOCAL_USE = ipaddress.IPv6Network("64:ff9b:1::/48")
IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")  # deprecated ::a.b.c.d (RFC 4291)


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 form reaches: mapped, 6to4, Teredo, NAT64, IPv4-compatible."""
    if ip.ipv4_mapped or ip.sixtofour:
        return ip.ipv4_mapped or ip.sixtofour
    if ip.teredo:
        return ip.teredo[1]
    if ip in NAT64_WELL_KNOWN or (ip in IPV4_COMPATIBLE and int(ip) > 1):  # not :: or ::1
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public_address(address: str) -> bool:
    """Whether `address` is a globally routable unicast address (no private, loopback,
    link-local, reserved, multicast or carrier-grade NAT range, also inside IPv6 wrappers)."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone id
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        if ip in NAT64_LOCAL_USE:
            return False
        # An IPv4 address inside IPv6 is judged as the IPv4 address it reaches.
        embedded = _embedded_ipv4(ip)
        if embedded is not None:
            return is_public_address(str(embedded))
    return ip.is_global and not ip.is_multicast


async def validate_callback_url(url: str, *, resolver: Resolver = system_resolver) -> str:
    """`url` if it is an https URL whose host resolves only to public addresses, else a
    `ValidationError` saying why."""
    cleaned = url.strip()
    if not cleaned:
        raise ValidationError("Enter the callback URL, or leave it empty.")
    if len(cleaned) > CALLBACK_URL_MAX or any(char.isspace() for char in cleaned):
        raise ValidationError("That callback URL is not valid.")
    parts = urlsplit(cleaned)
    if parts.scheme.lower() != "https":
        raise ValidationError("The callback URL must start with https://.")
    if parts.username is not None or parts.password is not None:
        raise ValidationError("The callback URL must not carry a user name or password.")
    host = parts.hostname
    try:
        port = parts.port or 443
    except ValueError:
        raise ValidationError("The callback URL has an invalid port.") from None
    if not host:
        raise ValidationError("The callback URL needs a host name.")
    try:
        addresses = [host] if _is_ip_literal(host) else await resolver(host, port)
    except (OSError, TimeoutError, UnicodeError):
        raise ValidationError(f"Could not find {host}; check the callback URL.") from None
    if not addresses:
        raise ValidationError(f"Could not find {host}; check the callback URL.")
    if not all(is_public_address(address) for address in addresses):
        raise ValidationError(
            "The callback URL points at a private, local or reserved address; "
            "use a public https endpoint."
        )
    return cleaned


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.split("%", 1)[0])
    except ValueError:
        return False
    return True
