"""A user-given callback URL: https only, and only public addresses (no SSRF by proxy)."""

from __future__ import annotations

import pytest

from orangeweb.services.errors import ValidationError
from orangeweb.services.jobs.callbacks import (
    hash_callback_token,
    hook_url,
    is_public_address,
    new_callback_token,
    validate_callback_url,
)


def resolving_to(*addresses: str):  # type: ignore[no-untyped-def]
    asked: list[tuple[str, int]] = []

    async def resolve(host: str, port: int) -> list[str]:
        asked.append((host, port))
        return list(addresses)

    resolve.asked = asked  # type: ignore[attr-defined]
    return resolve


async def test_a_public_https_url_is_accepted() -> None:
    resolver = resolving_to("93.184.216.34", "2606:2800:220:1:248:1893:25c8:1946")
    url = "https://hooks.example.com:8443/done?story=1"
    assert await validate_callback_url(f"  {url} ", resolver=resolver) == url
    assert resolver.asked == [("hooks.example.com", 8443)]  # type: ignore[attr-defined]


@pytest.mark.parametrize(
    ("url", "addresses", "words"),
    [
        ("http://hooks.example.com/x", ["93.184.216.34"], "https"),
        ("ftp://hooks.example.com/x", ["93.184.216.34"], "https"),
        ("https:///nohost", ["93.184.216.34"], "host"),
        ("https://user:pw@hooks.example.com/", ["93.184.216.34"], "user name"),
        ("https://localhost/x", ["127.0.0.1", "::1"], "private"),
        ("https://intranet.example.com/", ["10.1.2.3"], "private"),
        ("https://router.example.com/", ["192.168.1.1"], "private"),
        ("https://meta.example.com/", ["169.254.169.254"], "private"),  # cloud metadata
        ("https://cgnat.example.com/", ["100.64.0.9"], "private"),
        ("https://mixed.example.com/", ["93.184.216.34", "172.16.0.1"], "private"),
        ("https://mapped.example.com/", ["::ffff:127.0.0.1"], "private"),
        ("https://ula.example.com/", ["fd00::1"], "private"),
        ("https://127.0.0.1/x", [], "private"),
        ("https://[::1]/x", [], "private"),
        ("https://0.0.0.0/x", [], "private"),
        ("https://nowhere.example.com/", [], "Could not find"),
        ("https://hooks.example.com:99999/", ["93.184.216.34"], "port"),
        ("https://hooks.example.com/a b", ["93.184.216.34"], "not valid"),
    ],
)
async def test_unsafe_or_unusable_urls_are_refused(
    url: str, addresses: list[str], words: str
) -> None:
    with pytest.raises(ValidationError, match=words):
        await validate_callback_url(url, resolver=resolving_to(*addresses))


async def test_a_name_that_does_not_resolve_is_refused() -> None:
    async def fail(host: str, port: int) -> list[str]:
        raise OSError("Name or service not known")

    with pytest.raises(ValidationError, match=r"Could not find hooks\.invalid"):
        await validate_callback_url("https://hooks.invalid/", resolver=fail)


WRAPPED_PRIVATE_IPV4 = [
    "64:ff9b::7f00:1",  # NAT64 of 127.0.0.1
    "64:ff9b::a9fe:a9fe",  # NAT64 of 169.254.169.254 (cloud metadata)
    "64:ff9b::10.0.0.1",
    "64:ff9b:1::a00:1",  # NAT64 local-use prefix
    "64:ff9b:1:ffff::8.8.8.8",
    "::127.0.0.1",  # IPv4-compatible
    "::a9fe:a9fe",
    "::192.168.1.1",
    "::ffff:10.0.0.1",  # IPv4-mapped
    "2002:7f00:1::",  # 6to4 of 127.0.0.1
    "2001:0:4136:e378:8000:63bf:f5ff:fffe",  # Teredo of 10.0.0.1
]


@pytest.mark.parametrize("address", WRAPPED_PRIVATE_IPV4)
async def test_ipv6_forms_wrapping_a_private_ipv4_are_refused(address: str) -> None:
    assert not is_public_address(address)
    with pytest.raises(ValidationError, match="private"):
        await validate_callback_url(f"https://[{address}]/hook", resolver=resolving_to())
    with pytest.raises(ValidationError, match="private"):
        await validate_callback_url("https://hooks.example.com/", resolver=resolving_to(address))


def test_ipv6_forms_wrapping_a_public_ipv4_stay_public() -> None:
    assert is_public_address("64:ff9b::808:808")  # NAT64 of 8.8.8.8
    assert is_public_address("::ffff:8.8.8.8")


def test_public_addresses() -> None:
    assert is_public_address("8.8.8.8") and is_public_address("2001:4860:4860::8888")
    for address in ("127.0.0.1", "10.0.0.1", "fe80::1%eth0", "224.0.0.1", "not-an-ip"):
        assert not is_public_address(address)


def test_hook_tokens_are_random_and_stored_hashed() -> None:
    first, second = new_callback_token(), new_callback_token()
    assert first != second and len(first) >= 43
    assert hash_callback_token(first) != first and len(hash_callback_token(first)) == 64
    assert hook_url("https://dash.example.com/", first) == (
        f"https://dash.example.com/hooks/batch/{first}"
    )
