"""Where the sandbox may send a batch callback: public https hosts only.

The sandbox runs inside the dashboard process by default, so a callback it sends is a request
from the dashboard host: without this policy any API key holder could make that host POST to
its own loopback services or its private network (SSRF).

Policy: the URL is absolute `https` with a host and no credentials; the host must resolve only
to public addresses (not loopback, private, link-local, CGNAT 100.64/10, multicast, reserved or
unspecified). IPv6 forms that carry an IPv4 address are judged by that IPv4 address:
IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64 `64:ff9b::/96`, 6to4
`2002::/16` and Teredo `2001::/32`; the local-use NAT64 prefix `64:ff9b:1::/48` is refused
whole (its translator is a local one). The sender connects to the address it checked, so a DNS
answer cannot change between the check and the connection, and follows no redirects.

`allow_loopback` (the `allow_loopback_callbacks` setting, for tests only) also accepts `http`
and loopback addresses; private networks stay refused.

This is the sandbox's own copy: it imports nothing from the dashboard.
"""

from __future__ import annotations

import asyncio
import re
import socket
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address
from urllib.parse import urlsplit

import httpx

CALLBACK_URL_MAX_CHARS = 2048

_CGNAT = IPv4Network("100.64.0.0/10")
_NAT64_WELL_KNOWN = IPv6Network("64:ff9b::/96")
_NAT64_LOCAL_USE = IPv6Network("64:ff9b:1::/48")
_IPV4_COMPATIBLE = IPv6Network("::/96")
# Hosts that getaddrinfo would read as a legacy IPv4 literal: `2130706433`, `0x7f.1`, `127.1`.
_LEGACY_IPV4_LITERAL = re.compile(r"^[0-9a-fx.]+$", re.IGNORECASE)
# A DNS name after IDNA encoding: dot-separated labels of letters, digits and hyphens.
_HOST_NAME = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*\.?$", re.I)

IPAddress = IPv4Address | IPv6Address


class CallbackRefused(ValueError):
    """A callback URL or address the policy refuses; the message says why."""


@dataclass(frozen=True)
class CallbackTarget:
    """Where one callback attempt goes: the checked address, and the names to present."""

    address: IPAddress
    url: str  # the callback URL with its host replaced by `address`
    host_header: str  # the original host (and port), for the Host header
    server_name: str  # the original host name, for TLS SNI and certificate checks


def address_refusal(address: IPAddress, *, allow_loopback: bool = False) -> str | None:
    """Why `address` may not receive a callback, or None when it may."""
    for embedded in _embedded_ipv4(address):
        reason = address_refusal(embedded, allow_loopback=allow_loopback)
        if reason is not None:
            return f"{address} wraps {embedded}, {reason}"
    if isinstance(address, IPv6Address) and address in _NAT64_LOCAL_USE:
        return f"{address} is a local-use NAT64 address"
    if address.is_loopback:
        return None if allow_loopback else f"{address} is a loopback address"
    if _embedded_ipv4(address):
        return None  # judged above by the IPv4 address it carries
    # Python's is_global misses multicast (and, before 3.13, some IPv6 ranges): ask each flag.
    if address.is_unspecified:
        return f"{address} is the unspecified address"
    if address.is_link_local:
        return f"{address} is a link-local address"
    if address.is_multicast:
        return f"{address} is a multicast address"
    if isinstance(address, IPv4Address) and address in _CGNAT:
        return f"{address} is a shared (CGNAT) address"
    if address.is_private or address.is_reserved or not address.is_global:
        return f"{address} is a private or reserved address"
    if isinstance(address, IPv6Address) and address.is_site_local:
        return f"{address} is a site-local address"
    return None


def _embedded_ipv4(address: IPAddress) -> list[IPv4Address]:
    """The IPv4 addresses an IPv6 transition form carries (none for a plain address)."""
    if isinstance(address, IPv4Address):
        return []
    if address.ipv4_mapped is not None:
        return [address.ipv4_mapped]
    if address.teredo is not None:
        return list(address.teredo)  # (server, client): both are contacted
    if address.sixtofour is not None:
        return [address.sixtofour]
    if address in _NAT64_WELL_KNOWN or address in _NAT64_LOCAL_USE:
        return [IPv4Address(int(address) & 0xFFFFFFFF)]
    if address in _IPV4_COMPATIBLE and int(address) > 1:  # `::` and `::1` are IPv6's own
        return [IPv4Address(int(address))]
    return []


def literal_address(host: str) -> IPAddress | None:
    """The address a URL host names literally (also legacy IPv4 forms), or None for a name."""
    try:
        return ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4_LITERAL.match(host):
        try:
            return IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def _is_localhost_name(host: str) -> bool:
    # RFC 6761: `localhost` and every name under it are loopback, whatever DNS says.
    name = host.rstrip(".").lower()
    return name == "localhost" or name.endswith(".localhost")


def check_callback_url(url: str, *, allow_loopback: bool = False) -> str:
    """`url` if it may be given as a callback (syntax, scheme, literal hosts); else
    CallbackRefused. Host names are judged when the callback is sent (`resolve_target`)."""
    schemes = ("http", "https") if allow_loopback else ("https",)
    shape = "an absolute http(s) URL" if allow_loopback else "an absolute https URL"
    if len(url) > CALLBACK_URL_MAX_CHARS:
        raise CallbackRefused(f"callbackUrl is longer than {CALLBACK_URL_MAX_CHARS} characters")
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in range
        httpx.URL(url)  # the sender's own parser must read it too
    except (ValueError, httpx.InvalidURL) as error:
        raise CallbackRefused(f"callbackUrl must be {shape} ({error})") from error
    if parts.scheme.lower() not in schemes or not parts.hostname:
        raise CallbackRefused(f"callbackUrl must be {shape}")
    if any(character.isspace() for character in url):
        raise CallbackRefused(f"callbackUrl must be {shape} (it contains white space)")
    if parts.username is not None or parts.password is not None:
        raise CallbackRefused("callbackUrl must not carry a user name or password")
    host = parts.hostname
    address = literal_address(host)
    if address is None and not _HOST_NAME.match(httpx.URL(url).raw_host.decode("ascii")):
        raise CallbackRefused(f"callbackUrl host {host!r} is not a valid host name")
    if _is_localhost_name(host) and not allow_loopback:
        raise CallbackRefused(f"callbackUrl host {host!r} is a loopback name")
    if address is not None:
        reason = address_refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise CallbackRefused(f"callbackUrl must point to a public host: {reason}")
    return url


async def resolve_target(url: str, *, allow_loopback: bool = False) -> CallbackTarget:
    """Resolve the callback host now and pick an address to connect to.

    CallbackRefused when the URL or any address the host resolves to is refused (one private
    answer is enough: a later lookup could return it); OSError when the name does not resolve.
    """
    check_callback_url(url, allow_loopback=allow_loopback)
    parsed = httpx.URL(url)
    host = parsed.raw_host.decode("ascii")  # IDNA-encoded: what DNS, SNI and Host carry
    port = parsed.port or (443 if parsed.scheme == "https" else 80)
    addresses = await _resolve(host, port)
    if not addresses:
        raise OSError(f"{host} did not resolve")
    for address in addresses:
        reason = address_refusal(address, allow_loopback=allow_loopback)
        if reason is not None:
            raise CallbackRefused(f"callback host {host!r} resolves to {reason}")
    named_host = f"[{host}]" if ":" in host else host
    return CallbackTarget(
        address=addresses[0],
        url=str(parsed.copy_with(host=str(addresses[0]), fragment=None)),
        host_header=named_host if parsed.port is None else f"{named_host}:{parsed.port}",
        server_name=host,
    )


async def _resolve(host: str, port: int) -> list[IPAddress]:
    literal = literal_address(host)
    if literal is not None:
        return [literal]
    # The system resolver in a thread (what the event loop's getaddrinfo does by default).
    infos = await asyncio.to_thread(socket.getaddrinfo, host, port, type=socket.SOCK_STREAM)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _canonical, sockaddr in infos:
        # Drop an IPv6 scope (`fe80::1%eth0`): the address is judged without it.
        address = ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in addresses:
            addresses.append(address)
    return addresses
