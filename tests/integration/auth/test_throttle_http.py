"""Sign-in throttling through the route: an attacker hammering someone's account slows only
their own (account, address) pair, with a `Retry-After` that doubles; the owner signs in as usual;
one address guessing across accounts is still stopped."""

from __future__ import annotations

from collections import Counter

import httpx

from orangeweb.services.accounts.cookies import SESSION_COOKIE
from orangeweb.services.accounts.identity import CurrentUser
from tests.unit.services.support import PASSWORD, FakeClock

from .conftest import SITE, Browser

ATTACKER = "203.0.113.66"
HOME = "198.51.100.1"


async def _sign_in(client: httpx.AsyncClient, email: str, password: str) -> httpx.Response:
    return await client.post(
        "/auth/sign-in", data={"email": email, "password": password}, headers={"Origin": SITE}
    )


def _retry_after(response: httpx.Response) -> int:
    """The wait of a 429, which the header and the JSON body both give."""
    assert response.status_code == 429, response.text
    assert response.json()["retry_after"] == int(response.headers["retry-after"])
    return int(response.headers["retry-after"])


async def test_fifty_wrong_passwords_from_an_attacker_leave_the_owner_signing_in(
    owner: CurrentUser, browser: Browser, clock: FakeClock
) -> None:
    home, attacker = browser(HOME), browser(ATTACKER)
    assert (await _sign_in(home, owner.email, PASSWORD)).status_code == 200
    statuses: Counter[int] = Counter()
    for _ in range(50):
        response = await _sign_in(attacker, owner.email, "guess")
        statuses[response.status_code] += 1
        if response.status_code == 429:
            assert 0 < _retry_after(response) <= 30
    assert statuses == {401: 5, 429: 45}  # the clock stood still: 5 free failures, then waits
    response = await _sign_in(home, owner.email, PASSWORD)
    assert response.status_code == 200 and response.cookies[SESSION_COOKIE]
    # The attacker's pair stays held back, even with the right password.
    assert _retry_after(await _sign_in(attacker, owner.email, PASSWORD)) == 30


async def test_the_attackers_retry_after_doubles(
    owner: CurrentUser, browser: Browser, clock: FakeClock
) -> None:
    attacker = browser(ATTACKER)
    for _ in range(5):
        assert (await _sign_in(attacker, owner.email, "guess")).status_code == 401
    waits = []
    for _ in range(5):
        wait = _retry_after(await _sign_in(attacker, owner.email, "guess"))
        waits.append(wait)
        clock.advance(seconds=wait)
        assert (await _sign_in(attacker, owner.email, "guess")).status_code == 401
    assert waits == [30, 60, 120, 240, 480]
    assert (await _sign_in(browser(HOME), owner.email, PASSWORD)).status_code == 200


async def test_one_address_is_still_limited_across_accounts(
    owner: CurrentUser, browser: Browser, clock: FakeClock
) -> None:
    attacker = browser(ATTACKER)
    for number in range(20):
        response = await _sign_in(attacker, f"guess{number}@example.com", "guess")
        assert response.status_code == 401
    assert _retry_after(await _sign_in(attacker, owner.email, PASSWORD)) == 15 * 60
    assert (await _sign_in(browser(HOME), owner.email, PASSWORD)).status_code == 200
