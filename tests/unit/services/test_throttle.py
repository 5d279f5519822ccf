"""Sign-in throttling per account and per address, on an injected clock."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from orangeweb.services import auth
from orangeweb.services.errors import AuthenticationError, ThrottledError
from orangeweb.services.identity import CurrentUser

from .support import PASSWORD, FakeClock


def _fail(session: Session, email: str, ip: str, clock: FakeClock) -> None:
    with pytest.raises(AuthenticationError):
        auth.sign_in(session, email, "wrong password", ip, "ua", clock=clock)


def test_five_failures_lock_the_account_for_fifteen_minutes(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(5):
        _fail(session, owner.email, "198.51.100.1", clock)
        clock.advance(minutes=1)
    # Even the right password, even from another address: the account is throttled.
    with pytest.raises(ThrottledError) as throttled:
        auth.sign_in(session, owner.email, PASSWORD, "198.51.100.2", "ua", clock=clock)
    # The first failure was 5 minutes ago; it ages out 10 minutes from now.
    assert throttled.value.retry_after == 10 * 60
    assert "Try again in 10 minutes" in throttled.value.message
    clock.advance(minutes=10)
    auth.sign_in(session, owner.email, PASSWORD, "198.51.100.2", "ua", clock=clock)


def test_success_resets_the_account_count(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(4):
        _fail(session, owner.email, "198.51.100.1", clock)
    auth.sign_in(session, owner.email, PASSWORD, "198.51.100.1", "ua", clock=clock)
    for _ in range(4):
        _fail(session, owner.email, "198.51.100.1", clock)
    auth.sign_in(session, owner.email, PASSWORD, "198.51.100.1", "ua", clock=clock)


def test_unknown_emails_are_throttled_like_known_ones(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for _ in range(5):
        _fail(session, "ghost@example.com", "198.51.100.1", clock)
    with pytest.raises(ThrottledError):
        auth.sign_in(session, "Ghost@Example.com", "whatever", "198.51.100.9", "ua", clock=clock)


def test_twenty_failures_from_one_address_lock_that_address(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    attacker = "203.0.113.66"
    for number in range(20):
        _fail(session, f"guess{number}@example.com", attacker, clock)
        clock.advance(seconds=10)
    with pytest.raises(ThrottledError) as throttled:
        auth.sign_in(session, owner.email, PASSWORD, attacker, "ua", clock=clock)
    assert 0 < throttled.value.retry_after <= 15 * 60
    # The account itself is fine from anywhere else.
    auth.sign_in(session, owner.email, PASSWORD, "198.51.100.1", "ua", clock=clock)
    clock.advance(seconds=throttled.value.retry_after)
    auth.sign_in(session, owner.email, PASSWORD, attacker, "ua", clock=clock)


def test_old_failures_stop_counting(session: Session, owner: CurrentUser, clock: FakeClock) -> None:
    for _ in range(4):
        _fail(session, owner.email, "198.51.100.1", clock)
    clock.advance(minutes=16)
    for _ in range(4):
        _fail(session, owner.email, "198.51.100.1", clock)
    auth.sign_in(session, owner.email, PASSWORD, "198.51.100.1", "ua", clock=clock)
