"""The sandbox's callback policy: which callback URLs and addresses it refuses (SSRF), and
that a send goes to the address it checked."""

from __future__ import annotations

import socket
from ipaddress import ip_address
from typing import Any

import pytest

from orangeweb.sandbox.callback_policy import (
    CallbackRefused,
    address_refusal,
    check_callback_url,
    resolve_target,
)

# IPv6 forms that carry an IPv4 address, each wrapping a non-public one.
WRAPPED_PRIVATE_IPV6 = [
    "::ffff:127.0.0.1",  # IPv4-mapped loopback
    "::ffff:7f00:1",  # the same, written in hex
    "::ffff:10.0.0.1",  # IPv4-mapped private
    "::ffff:169.254.169.254",  # IPv4-mapped cloud metadata
    "::127.0.0.1",  # IPv4-compatible loopback
    "::a00:1",  # IPv4-compatible 10.0.0.1
    "64:ff9b::127.0.0.1",  # NAT64 well-known prefix, loopback
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254
    "64:ff9b:1::808:808",  # local-use NAT64: refused even around a public address
    "2002:7f00:1::1",  # 6to4 of 127.0.0.1
    "2002:c0a8:101::1",  # 6to4 of 192.168.1.1
    "2001:0:4136:e378:8000:63bf:80ff:fffe",  # Teredo, client 127.0.0.1
    "2001:0:a00:1:8000:63bf:3f57:fefd",  # Teredo, server 10.0.0.1
]
PRIVATE_ADDRESSES = [
    "127.0.0.1",
    "127.8.9.10",
    "10.1.2.3",
    "172.16.0.1",
    "192.168.0.10",
    "169.254.169.254",  # link-local (cloud metadata)
    "100.64.0.1",  # CGNAT
    "100.127.255.254",
    "224.0.0.1",  # multicast
    "239.255.255.250",
    "240.0.0.1",  # reserved
    "255.255.255.255",
    "0.0.0.0",
    "192.0.2.1",  # documentation
    "::1",
    "::",
    "fe80::1",
    "fc00::1",
    "fd12:3456::1",
    "ff02::1",
    "fec0::1",  # site-local
    "2001:db8::1",  # documentation
    *WRAPPED_PRIVATE_IPV6,
]
PUBLIC_ADDRESSES = [
    "8.8.8.8",
    "93.184.215.14",
    "2606:4700:4700::1111",
    "::ffff:8.8.8.8",  # wrapped public addresses are judged by what they wrap
    "64:ff9b::808:808",
    "2002:808:808::1",
]


@pytest.mark.parametrize("address", PRIVATE_ADDRESSES)
def test_non_public_addresses_are_refused(address: str) -> None:
    assert address_refusal(ip_address(address)) is not None


@pytest.mark.parametrize("address", PUBLIC_ADDRESSES)
def test_public_addresses_are_allowed(address: str) -> None:
    assert address_refusal(ip_address(address)) is None


@pytest.mark.parametrize("address", ["127.0.0.1", "::1", "::ffff:127.0.0.1", "2002:7f00:1::"])
def test_the_test_setting_allows_loopback_only(address: str) -> None:
    assert address_refusal(ip_address(address), allow_loopback=True) is None
    for private in ("10.0.0.1", "169.254.169.254", "::ffff:192.168.0.1", "fc00::1"):
        assert address_refusal(ip_address(private), allow_loopback=True) is not None


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("http://example.com/hook", "https"),
        ("ftp://example.com/hook", "https"),
        ("javascript:alert(1)", "https"),
        ("/relative/hook", "https"),
        ("https:///no-host", "https"),
        ("https://example.com:99999/hook", "https"),
        ("https://[::1/hook", "https"),
        ("https://exa mple.com/hook", "https"),
        ("https://%00/hook", "host name"),
        ("https://user:secret@example.com/hook", "user name"),
        ("https://example.com@127.0.0.1/hook", "user name"),
        ("https://localhost/hook", "loopback"),
        ("https://api.localhost./hook", "loopback"),
        ("https://127.0.0.1/hook", "loopback"),
        ("https://127.1/hook", "loopback"),  # legacy forms getaddrinfo reads as 127.0.0.1
        ("https://2130706433/hook", "loopback"),
        ("https://0x7f000001/hook", "loopback"),
        ("https://169.254.169.254/latest/meta-data", "link-local"),
        ("https://100.64.1.1/hook", "CGNAT"),
        (f"https://example.com/{'x' * 2048}", "longer"),
        *[(f"https://[{address}]:8443/hook", "wraps") for address in WRAPPED_PRIVATE_IPV6[:8]],
    ],
)
def test_bad_callback_urls_are_refused_at_submit(url: str, fragment: str) -> None:
    with pytest.raises(CallbackRefused, match=fragment):
        check_callback_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.com/hooks/batch?token=abc",
        "HTTPS://Example.COM:8443/hook",
        "https://8.8.8.8/hook",
        "https://[2606:4700:4700::1111]/hook",
        "https://bücher.example/hook",
    ],
)
def test_public_https_urls_are_accepted(url: str) -> None:
    assert check_callback_url(url) == url


def test_the_test_setting_allows_http_and_loopback_urls() -> None:
    for url in ("http://127.0.0.1:8080/hook", "http://localhost:9/x", "https://[::1]/x"):
        assert check_callback_url(url, allow_loopback=True) == url
    with pytest.raises(CallbackRefused, match="private"):
        check_callback_url("http://10.0.0.5/hook", allow_loopback=True)
    with pytest.raises(CallbackRefused, match="http"):
        check_callback_url("ftp://127.0.0.1/hook", allow_loopback=True)


@pytest.fixture
def fake_dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names to resolve, name -> addresses; other names fail. Counts lookups under `_calls`."""
    answers: dict[str, list[str]] = {"_calls": []}

    def getaddrinfo(host: str, port: Any, *_args: Any, **_kwargs: Any) -> list[Any]:
        answers["_calls"].append(host)
        if host not in answers:
            raise socket.gaierror(socket.EAI_NONAME, "unknown name")
        return [
            (
                socket.AF_INET6 if ":" in address else socket.AF_INET,
                socket.SOCK_STREAM,
                6,
                "",
                (address, port, 0, 0) if ":" in address else (address, port),
            )
            for address in answers[host]
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return answers


async def test_a_name_is_pinned_to_the_address_checked(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["hooks.example.com"] = ["93.184.215.14", "2606:4700:4700::1111"]
    target = await resolve_target("https://hooks.example.com:8443/batch?t=1#frag")
    assert str(target.address) == "93.184.215.14"
    assert target.url == "https://93.184.215.14:8443/batch?t=1"
    assert target.host_header == "hooks.example.com:8443"
    assert target.server_name == "hooks.example.com"

    fake_dns["v6.example.com"] = ["2606:4700:4700::1111"]
    target = await resolve_target("https://v6.example.com/batch")
    assert target.url == "https://[2606:4700:4700::1111]/batch"
    assert target.host_header == "v6.example.com"


async def test_a_name_with_any_private_answer_is_refused(fake_dns: dict[str, list[str]]) -> None:
    fake_dns["rebind.example.com"] = ["93.184.215.14", "127.0.0.1"]
    fake_dns["mapped.example.com"] = ["::ffff:10.0.0.7"]
    fake_dns["metadata.example.com"] = ["169.254.169.254"]
    for name in ("rebind.example.com", "mapped.example.com", "metadata.example.com"):
        with pytest.raises(CallbackRefused, match="resolves to"):
            await resolve_target(f"https://{name}/hook")
    # The test setting lets loopback through, never a private network.
    target = await resolve_target("http://rebind.example.com/hook", allow_loopback=True)
    assert target.url == "http://93.184.215.14/hook"
    with pytest.raises(CallbackRefused):
        await resolve_target("https://mapped.example.com/hook", allow_loopback=True)


async def test_an_unknown_name_is_an_os_error(fake_dns: dict[str, list[str]]) -> None:
    with pytest.raises(OSError):
        await resolve_target("https://nowhere.example.com/hook")
