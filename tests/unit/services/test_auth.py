"""First account, sign-in (new id each time, only the hash stored), password changes."""

from __future__ import annotations

import hashlib

import pytest
from argon2 import PasswordHasher
from sqlmodel import Session, select

from orangeweb.models import AuthSession, Membership, Role, Team, User
from orangeweb.services.accounts import auth, passwords, sessions
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import AuthenticationError, ConflictError, ValidationError

from .support import PASSWORD, FakeClock


def test_fresh_install_needs_a_first_account(session: Session) -> None:
    assert auth.needs_first_account(session)


def test_first_sign_up_creates_team_and_owner(session: Session) -> None:
    owner = auth.sign_up_first(
        session, "  Acme   Voices ", " Olivia@Example.COM ", "Olivia", PASSWORD
    )
    assert owner.role is Role.OWNER and owner.email == "olivia@example.com"
    assert not auth.needs_first_account(session)
    team = session.get(Team, owner.team_id)
    assert team is not None and team.name == "Acme Voices"
    membership = session.exec(select(Membership)).one()
    assert (membership.user_id, membership.role) == (owner.user_id, Role.OWNER)


def test_second_first_sign_up_is_refused(session: Session, owner: CurrentUser) -> None:
    with pytest.raises(ConflictError, match="already set up"):
        auth.sign_up_first(session, "Other", "eve@example.com", "Eve", PASSWORD)
    assert len(session.exec(select(Team)).all()) == 1


@pytest.mark.parametrize(
    ("email", "password", "message"),
    [
        ("not-an-email", PASSWORD, "valid email"),
        ("a@example.com", "too short", "at least 10"),
    ],
)
def test_first_sign_up_validates(session: Session, email: str, password: str, message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        auth.sign_up_first(session, "Team", email, "Name", password)
    assert auth.needs_first_account(session)


def test_email_is_unique_whatever_its_case(session: Session, owner: CurrentUser) -> None:
    user = session.exec(select(User)).one()
    assert user.email == "olivia@example.com"
    raw_id, signed_in = auth.sign_in(session, "OLIVIA@example.com", PASSWORD, "10.0.0.1", "ua")
    assert signed_in == owner and raw_id


def test_each_sign_in_issues_a_new_random_id_and_stores_only_its_hash(
    session: Session, owner: CurrentUser
) -> None:
    first_id, _ = auth.sign_in(session, owner.email, PASSWORD, "10.0.0.1", "Firefox")
    second_id, _ = auth.sign_in(session, owner.email, PASSWORD, "10.0.0.1", "Firefox")
    assert first_id != second_id
    assert len(first_id) >= 43  # 32 random bytes, URL-safe base64
    stored = session.exec(select(AuthSession)).all()
    assert {row.token_hash for row in stored} == {
        hashlib.sha256(raw.encode()).hexdigest() for raw in (first_id, second_id)
    }
    for row in stored:
        assert first_id not in repr(row.model_dump()) and second_id not in repr(row.model_dump())
    assert sessions.resolve_session(session, first_id) == owner
    assert sessions.resolve_session(session, second_id) == owner


def test_wrong_password_and_unknown_email_read_the_same(
    session: Session, owner: CurrentUser
) -> None:
    with pytest.raises(AuthenticationError) as wrong_password:
        auth.sign_in(session, owner.email, "wrong password!", "10.0.0.1", "ua")
    with pytest.raises(AuthenticationError) as unknown_email:
        auth.sign_in(session, "nobody@example.com", PASSWORD, "10.0.0.1", "ua")
    assert wrong_password.value.message == unknown_email.value.message
    assert session.exec(select(AuthSession)).all() == []


def test_sign_in_rehashes_when_parameters_changed(session: Session, owner: CurrentUser) -> None:
    user = session.get(User, owner.user_id)
    assert user is not None
    user.password_hash = PasswordHasher(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(
        PASSWORD
    )
    session.commit()
    auth.sign_in(session, owner.email, PASSWORD, "10.0.0.1", "ua")
    session.refresh(user)
    assert not passwords.needs_rehash(user.password_hash)
    assert passwords.verify_password(user.password_hash, PASSWORD)


def test_change_password_ends_other_sessions(
    session: Session, owner: CurrentUser, clock: FakeClock
) -> None:
    here, _ = auth.sign_in(session, owner.email, PASSWORD, "10.0.0.1", "ua", clock=clock)
    elsewhere, _ = auth.sign_in(session, owner.email, PASSWORD, "10.0.0.2", "ua", clock=clock)
    with pytest.raises(AuthenticationError):
        auth.change_password(session, owner, "not my password", "a brand new password")
    auth.change_password(session, owner, PASSWORD, "a brand new password", keep_raw_session_id=here)
    assert sessions.resolve_session(session, here, clock=clock) == owner
    assert sessions.resolve_session(session, elsewhere, clock=clock) is None
    with pytest.raises(AuthenticationError):
        auth.sign_in(session, owner.email, PASSWORD, "10.0.0.1", "ua", clock=clock)
    auth.sign_in(session, owner.email, "a brand new password", "10.0.0.1", "ua", clock=clock)
