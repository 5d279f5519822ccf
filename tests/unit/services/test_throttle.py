"""Sign-in throttling per (account, address), per address and account-wide, on an injected clock.

The rule under test: nobody can lock someone else out. Only the pair that failed slows down
(doubling waits), one address cannot guess across accounts, and many addresses together only
slow the account down for addresses it has not signed in from lately.
"""

from __future__ import annotations

import pytest
from sqlmodel import Session

from orangeweb.services.accounts import auth
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import AuthenticationError, ThrottledError

from .support import PASSWORD, FakeClock

ATTACKER = "203.0.113.66"
HOME = "198.51.100.1"


def _fail(session: Session, email: str, ip: str, clock: FakeClock) -> None:
    with pytest.raises(AuthenticationError):
        auth.sign_in(session, email, "wrong password", ip, "ua", clock=clock)


def _refused_for(session: Session, email: str, ip: str, clock: FakeClock, password: str) -> int:
    """The wait a throttled attempt is told to observe."""
    with pytest.raises(ThrottledError) as throttled:
        auth.sign_in(session, email, password, ip, "ua", clock=clock)
    return throttled.value.retry_after


def _attempt(session: Session, email: str, ip: str, clock: FakeClock) -> str:
    """One wrong-password attempt: "failed" (checked and wrong) or "refused" (throttled)."""
    try:
        auth.sign_in(session, email, "wrong password", ip, "ua", clock=clock)
    except ThrottledError:
        return "refused"
    except AuthenticationError:
        return "failed"
    raise AssertionError("a wrong password signed in")


def test_fifty_attempts_from_an_attacker_do_not_lock_the_owner_out(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)  # the usual address
    outcomes = []
    for _ in range(50):
        outcomes.append(_attempt(session, owner.email, ATTACKER, clock))
        clock.advance(seconds=1)
    # 5 free failures at 0-4 s, the 6th once the 30 s wait is over (34 s); the 60 s wait after it
    # outlasts the remaining attempts.
    assert outcomes.count("failed") == 6 and outcomes.count("refused") == 44
    assert outcomes[:5] == ["failed"] * 5 and outcomes[34] == "failed"
    # The right password, at once: from the usual address, and from one never seen before.
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
    auth.sign_in(session, owner.email, PASSWORD, "192.0.2.44", "ua", clock=clock)


def test_the_failing_pair_waits_twice_as_long_after_each_further_failure(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(5):
        _fail(session, owner.email, ATTACKER, clock)
    waits = []
    for _ in range(9):
        wait = _refused_for(session, owner.email, ATTACKER, clock, "wrong password")
        waits.append(wait)
        clock.advance(seconds=wait - 1)
        assert _refused_for(session, owner.email, ATTACKER, clock, "wrong password") == 1
        clock.advance(seconds=1)
        _fail(session, owner.email, ATTACKER, clock)
    assert waits == [30, 60, 120, 240, 480, 960, 1920, 3600, 3600]  # doubling, capped at 1 h
    # A wait, not a lock: once it is over, the right password from that pair works too.
    wait = _refused_for(session, owner.email, ATTACKER, clock, PASSWORD)
    assert wait == 3600
    clock.advance(seconds=wait)
    auth.sign_in(session, owner.email, PASSWORD, ATTACKER, "ua", clock=clock)


def test_the_wait_is_told_in_seconds_then_minutes(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(5):
        _fail(session, owner.email, ATTACKER, clock)
    with pytest.raises(ThrottledError, match="Try again in 30 seconds"):
        auth.sign_in(session, owner.email, PASSWORD, ATTACKER, "ua", clock=clock)
    clock.advance(seconds=30)
    _fail(session, owner.email, ATTACKER, clock)
    with pytest.raises(ThrottledError, match="Try again in 1 minute\\."):
        auth.sign_in(session, owner.email, PASSWORD, ATTACKER, "ua", clock=clock)


def test_success_resets_only_its_own_pair(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(5):
        _fail(session, owner.email, ATTACKER, clock)
    for _ in range(4):
        _fail(session, owner.email, HOME, clock)
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
    for _ in range(5):  # the owner's typos count from zero again
        _fail(session, owner.email, HOME, clock)
    assert _refused_for(session, owner.email, HOME, clock, PASSWORD) == 30
    # ...but the owner's success handed the attacker's pair no fresh allowance.
    assert _refused_for(session, owner.email, ATTACKER, clock, "wrong password") == 30


def test_unknown_emails_are_throttled_like_known_ones(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    def waits_after_six_failures(email: str, ip: str) -> list[int]:
        for _ in range(6):
            _fail(session, email, ip, clock)
            clock.advance(seconds=30)
        # The normalised email is what counts, whatever its case.
        return [_refused_for(session, email.upper(), ip, clock, "whatever") for _ in range(2)]

    ghost = waits_after_six_failures("ghost@example.com", "198.51.100.20")
    assert ghost == waits_after_six_failures(owner.email, "198.51.100.21") == [30, 30]


def test_twenty_failures_from_one_address_lock_that_address_across_accounts(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for number in range(20):
        _fail(session, f"guess{number}@example.com", ATTACKER, clock)
        clock.advance(seconds=10)
    # Even the right password of an account it never tried: the address itself is held back.
    wait = _refused_for(session, owner.email, ATTACKER, clock, PASSWORD)
    assert wait == 15 * 60 - 20 * 10  # until the first of the 20 failures ages out
    # The account itself is fine from anywhere else.
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
    clock.advance(seconds=wait)
    auth.sign_in(session, owner.email, PASSWORD, ATTACKER, "ua", clock=clock)


def test_many_addresses_together_only_slow_the_account_down(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
    clock.advance(hours=1)
    for number in range(20):  # a botnet: one guess per address, the account's ceiling
        _fail(session, owner.email, f"203.0.113.{number}", clock)
    # A fresh address now waits a few seconds after the account's latest failure...
    assert _refused_for(session, owner.email, "203.0.113.200", clock, "wrong password") == 10
    clock.advance(seconds=4)
    assert _refused_for(session, owner.email, "192.0.2.44", clock, PASSWORD) == 6
    # ...the owner's usual address does not wait at all...
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
    # ...and it is a slowdown, not a lock: after the wait, one attempt goes through.
    clock.advance(seconds=6)
    auth.sign_in(session, owner.email, PASSWORD, "192.0.2.44", "ua", clock=clock)
    _fail(session, owner.email, "203.0.113.201", clock)
    assert _refused_for(session, owner.email, "203.0.113.202", clock, "wrong password") == 10


def test_an_address_is_known_for_thirty_days_after_a_sign_in(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
    clock.advance(days=31)
    for number in range(20):
        _fail(session, owner.email, f"203.0.113.{number}", clock)
    assert _refused_for(session, owner.email, HOME, clock, PASSWORD) == 10


def test_pair_failures_are_forgotten_after_a_day(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(5):
        _fail(session, owner.email, HOME, clock)
    assert _refused_for(session, owner.email, HOME, clock, PASSWORD) == 30
    clock.advance(hours=24)
    for _ in range(4):
        _fail(session, owner.email, HOME, clock)
    auth.sign_in(session, owner.email, PASSWORD, HOME, "ua", clock=clock)
