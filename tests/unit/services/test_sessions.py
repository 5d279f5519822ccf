"""Session lifetime: idle and absolute expiry, sliding last_seen, sign-out, membership loss,
and the carried session ending when a new one starts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import Session, select

from orangeweb.models import AuthSession
from orangeweb.services.accounts import auth, sessions, teams
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import AuthenticationError

from .support import PASSWORD, FakeClock


def _sign_in(session: Session, user: CurrentUser, clock: FakeClock) -> str:
    raw_id, _ = auth.sign_in(session, user.email, PASSWORD, "192.0.2.7", "Firefox/130", clock=clock)
    return raw_id


def test_unknown_or_odd_ids_resolve_to_nobody(session: Session, owner: CurrentUser) -> None:
    for raw_id in (None, "", "nope", "x" * 10_000):
        assert sessions.resolve_session(session, raw_id) is None


def test_idle_expiry(session: Session, owner: CurrentUser, clock: FakeClock) -> None:
    raw_id = _sign_in(session, owner, clock)
    clock.advance(days=6, hours=23)
    assert sessions.resolve_session(session, raw_id, clock=clock) == owner
    # Used a moment ago, so the idle window starts again from here.
    clock.advance(days=6, hours=23)
    assert sessions.resolve_session(session, raw_id, clock=clock) == owner
    clock.advance(days=7)
    assert sessions.resolve_session(session, raw_id, clock=clock) is None
    assert session.exec(select(AuthSession)).all() == []  # expired rows are removed


def test_absolute_expiry_even_when_always_active(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    raw_id = _sign_in(session, owner, clock)
    for _ in range(29):
        clock.advance(days=1)
        assert sessions.resolve_session(session, raw_id, clock=clock) == owner
    clock.advance(days=1)
    assert sessions.resolve_session(session, raw_id, clock=clock) is None


def test_last_seen_slides_at_most_once_a_minute(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    raw_id = _sign_in(session, owner, clock)
    signed_in_at = clock.now
    clock.advance(seconds=30)
    sessions.resolve_session(session, raw_id, clock=clock)
    row = session.exec(select(AuthSession)).one()
    assert row.last_seen_at == signed_in_at
    assert row.last_seen_at.tzinfo is not None  # UTC survives the SQLite round trip
    clock.advance(seconds=31)
    sessions.resolve_session(session, raw_id, clock=clock)
    session.refresh(row)
    assert row.last_seen_at == clock.now
    assert row.idle_expires_at == clock.now + sessions.IDLE_TIMEOUT


def test_idle_expiry_never_passes_the_absolute_one(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    raw_id = _sign_in(session, owner, clock)
    for _ in range(29):
        clock.advance(days=1)
        sessions.resolve_session(session, raw_id, clock=clock)
    row = session.exec(select(AuthSession)).one()
    assert row.idle_expires_at == row.absolute_expires_at


def test_sign_out_deletes_the_row(session: Session, owner: CurrentUser, clock: FakeClock) -> None:
    raw_id = _sign_in(session, owner, clock)
    other_id = _sign_in(session, owner, clock)
    sessions.sign_out(session, raw_id)
    assert sessions.resolve_session(session, raw_id, clock=clock) is None
    assert len(session.exec(select(AuthSession)).all()) == 1
    assert sessions.resolve_session(session, other_id, clock=clock) == owner
    sessions.sign_out(session, "unknown")  # harmless


def test_removed_member_loses_their_sessions(
    session: Session, owner: CurrentUser, member: CurrentUser, clock: FakeClock
) -> None:
    raw_id = _sign_in(session, member, clock)
    teams.remove_member(session, owner, member.user_id)
    assert sessions.resolve_session(session, raw_id, clock=clock) is None


def test_role_changes_apply_to_open_sessions(
    session: Session, owner: CurrentUser, member: CurrentUser, clock: FakeClock
) -> None:
    raw_id = _sign_in(session, member, clock)
    teams.change_role(session, owner, member.user_id, "admin")  # type: ignore[arg-type]
    resolved = sessions.resolve_session(session, raw_id, clock=clock)
    assert resolved is not None and resolved.role == "admin" and resolved.is_admin


def test_list_sessions_marks_the_current_one(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    first = _sign_in(session, owner, clock)
    clock.advance(minutes=5)
    _sign_in(session, owner, clock)
    listed = sessions.list_sessions(session, owner, first)
    assert [view.is_current for view in listed] == [False, True]
    assert listed[0].user_agent == "Firefox/130" and listed[0].ip_address == "192.0.2.7"
    assert listed[1].created_at == clock.now - timedelta(minutes=5)


def test_a_new_sign_in_ends_the_session_the_browser_carried(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    old_id = _sign_in(session, owner, clock)
    other_browser = _sign_in(session, owner, clock)
    new_id, _ = auth.sign_in(
        session,
        owner.email,
        PASSWORD,
        "192.0.2.7",
        "Firefox/130",
        replaces_raw_id=old_id,
        clock=clock,
    )
    assert sessions.resolve_session(session, old_id, clock=clock) is None
    assert sessions.resolve_session(session, new_id, clock=clock) == owner
    assert sessions.resolve_session(session, other_browser, clock=clock) == owner  # not this one


def test_signing_in_as_someone_else_ends_the_previous_users_session(
    session: Session, owner: CurrentUser, member: CurrentUser, clock: FakeClock
) -> None:
    owners_id = _sign_in(session, owner, clock)
    members_id, _ = auth.sign_in(
        session, member.email, PASSWORD, "192.0.2.7", "ua", replaces_raw_id=owners_id, clock=clock
    )
    assert sessions.resolve_session(session, owners_id, clock=clock) is None
    assert sessions.resolve_session(session, members_id, clock=clock) == member


def test_a_failed_sign_in_leaves_the_carried_session_alone(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    raw_id = _sign_in(session, owner, clock)
    with pytest.raises(AuthenticationError):
        auth.sign_in(
            session, owner.email, "wrong password", "192.0.2.7", "ua", replaces_raw_id=raw_id
        )
    assert sessions.resolve_session(session, raw_id, clock=clock) == owner


def test_start_session_ignores_an_unknown_replaced_id(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    for carried in (None, "", "not a session", "x" * 10_000):
        raw_id = sessions.start_session(
            session, owner.user_id, owner.team_id, "192.0.2.7", "ua", replaces_raw_id=carried
        )
        assert sessions.resolve_session(session, raw_id) == owner
