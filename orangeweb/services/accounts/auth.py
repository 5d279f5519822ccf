"""Accounts: the first sign-up of a fresh install, sign-in (throttled), password changes.

Sessions themselves live in `accounts.sessions`; everyone after the first account joins through
an invite (`accounts.teams`).
"""

from __future__ import annotations

from contextlib import suppress

from sqlalchemy import func
from sqlmodel import Session, col, select

from orangeweb.models import Membership, Role, Team, User, utcnow
from orangeweb.services.accounts import passwords, throttle
from orangeweb.services.accounts.identity import (
    CurrentUser,
    normalize_email,
    validate_display_name,
    validate_email,
    validate_team_name,
)
from orangeweb.services.accounts.sessions import Clock, end_all_sessions, start_session
from orangeweb.services.errors import AuthenticationError, ConflictError, ValidationError

WRONG_CREDENTIALS = "That email and password do not match an account."


def needs_first_account(session: Session) -> bool:
    """True on a fresh install: nobody has signed up yet."""
    return session.exec(select(func.count()).select_from(User)).one() == 0


def sign_up_first(
    session: Session, team_name: str, email: str, display_name: str, password: str
) -> CurrentUser:
    """Create the first team and its owner. Only allowed while no account exists. Commits."""
    team_name = validate_team_name(team_name)
    email = validate_email(email)
    display_name = validate_display_name(display_name)
    password_hash = passwords.hash_password(password)
    if not needs_first_account(session):
        raise ConflictError("This dashboard is already set up. Ask a team admin for an invite.")
    team = Team(name=team_name)
    user = User(email=email, display_name=display_name, password_hash=password_hash)
    session.add(team)
    session.add(user)
    session.flush()
    assert team.id is not None and user.id is not None
    session.add(Membership(user_id=user.id, team_id=team.id, role=Role.OWNER))
    session.commit()
    return CurrentUser(
        user_id=user.id, team_id=team.id, role=Role.OWNER, email=email, display_name=display_name
    )


def _first_membership(session: Session, user_id: int) -> Membership | None:
    return session.exec(
        select(Membership)
        .where(Membership.user_id == user_id)
        .order_by(col(Membership.created_at), col(Membership.id))
    ).first()


def sign_in(
    session: Session,
    email: str,
    password: str,
    ip_address: str,
    user_agent: str,
    *,
    replaces_raw_id: str | None = None,
    clock: Clock = utcnow,
    policy: throttle.ThrottlePolicy = throttle.DEFAULT_POLICY,
) -> tuple[str, CurrentUser]:
    """Check the password and open a new session: returns (raw session id, user). Commits.

    The session `replaces_raw_id` names (the browser's previous cookie) ends with it.

    Raises `ThrottledError` when `throttle` holds the attempt back (this account from this
    address, this address, or the whole account under attack), and `AuthenticationError` (one
    message for unknown email and wrong password) otherwise.
    """
    now = clock()
    email_key = normalize_email(email)[:254]
    throttle.check_sign_in_allowed(session, email_key, ip_address, now, policy)
    user = session.exec(select(User).where(User.email == email_key)).first()
    if user is None:
        passwords.burn_verification_time()
        throttle.record_failure(session, email_key, ip_address, now, policy)
        raise AuthenticationError(WRONG_CREDENTIALS)
    if not passwords.verify_password(user.password_hash, password):
        throttle.record_failure(session, email_key, ip_address, now, policy)
        raise AuthenticationError(WRONG_CREDENTIALS)
    assert user.id is not None
    membership = _first_membership(session, user.id)
    if membership is None:
        raise AuthenticationError("This account is no longer a member of any team.")
    if passwords.needs_rehash(user.password_hash):
        # The password just verified, so it hashes without a policy surprise; if an old account
        # predates today's policy, keep the old hash rather than lock the user out.
        with suppress(ValidationError):
            user.password_hash = passwords.hash_password(password)
    throttle.record_success(session, email_key, ip_address, now, policy)
    raw_session_id = start_session(
        session,
        user.id,
        membership.team_id,
        ip_address,
        user_agent,
        replaces_raw_id=replaces_raw_id,
        clock=clock,
    )
    return raw_session_id, CurrentUser(
        user_id=user.id,
        team_id=membership.team_id,
        role=membership.role,
        email=user.email,
        display_name=user.display_name,
    )


def change_password(
    session: Session,
    actor: CurrentUser,
    current_password: str,
    new_password: str,
    *,
    keep_raw_session_id: str | None = None,
) -> None:
    """Change the actor's password and end their other sessions. Commits."""
    user = session.get(User, actor.user_id)
    if user is None or not passwords.verify_password(user.password_hash, current_password):
        raise AuthenticationError("Your current password is not right.")
    user.password_hash = passwords.hash_password(new_password)
    end_all_sessions(session, actor.user_id, keep_raw_id=keep_raw_session_id)
    session.commit()
