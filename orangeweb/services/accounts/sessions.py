"""Signed-in sessions: a random 256-bit id in an HttpOnly cookie, its SHA-256 in the database.

A stolen database therefore yields no usable cookie. Sessions end after 7 idle days or 30 days
in all; `last_seen_at` slides at most once a minute so reads stay reads.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete
from sqlmodel import Session, col, select

from orangeweb.models import AuthSession, Membership, User, as_utc, utcnow
from orangeweb.services.accounts.identity import CurrentUser

IDLE_TIMEOUT = timedelta(days=7)
ABSOLUTE_TIMEOUT = timedelta(days=30)
LAST_SEEN_RESOLUTION = timedelta(minutes=1)
# token_urlsafe(32) is 43 characters; anything much longer is not one of ours.
_MAX_RAW_ID_LENGTH = 128

Clock = Callable[[], datetime]


def hash_session_id(raw_session_id: str) -> str:
    """What the database keeps of a session id."""
    return hashlib.sha256(raw_session_id.encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class SessionView:
    """A signed-in browser, for the "where you are signed in" list."""

    id: int
    created_at: datetime
    last_seen_at: datetime
    user_agent: str
    ip_address: str
    is_current: bool


def start_session(
    session: Session,
    user_id: int,
    team_id: int,
    ip_address: str,
    user_agent: str,
    *,
    replaces_raw_id: str | None = None,
    clock: Clock = utcnow,
) -> str:
    """Open a session and return its raw id (for the cookie; it is not stored). Commits.

    `replaces_raw_id` is the session the browser carried, whoever's it was: it ends in the same
    commit, so a cookie seen before sign-in (planted, or read off a shared machine) is worthless
    after it, and a browser never holds two live sessions.
    """
    raw_session_id = secrets.token_urlsafe(32)
    now = clock()
    replaced = _find(session, replaces_raw_id)
    if replaced is not None:
        session.delete(replaced)
    session.add(
        AuthSession(
            token_hash=hash_session_id(raw_session_id),
            user_id=user_id,
            team_id=team_id,
            created_at=now,
            last_seen_at=now,
            idle_expires_at=now + IDLE_TIMEOUT,
            absolute_expires_at=now + ABSOLUTE_TIMEOUT,
            user_agent=user_agent[:300],
            ip_address=ip_address[:64],
        )
    )
    session.commit()
    return raw_session_id


def _find(session: Session, raw_session_id: str | None) -> AuthSession | None:
    if not raw_session_id or len(raw_session_id) > _MAX_RAW_ID_LENGTH:
        return None
    return session.exec(
        select(AuthSession).where(AuthSession.token_hash == hash_session_id(raw_session_id))
    ).first()


def resolve_session(
    session: Session, raw_session_id: str | None, *, clock: Clock = utcnow
) -> CurrentUser | None:
    """The user behind a cookie, or None if it is unknown, expired or no longer a member."""
    auth_session = _find(session, raw_session_id)
    if auth_session is None:
        return None
    now = clock()
    expired = now >= as_utc(auth_session.idle_expires_at) or now >= as_utc(
        auth_session.absolute_expires_at
    )
    found = session.exec(
        select(User, Membership)
        .join(Membership, col(Membership.user_id) == col(User.id))
        .where(User.id == auth_session.user_id, Membership.team_id == auth_session.team_id)
    ).first()
    if expired or found is None:
        session.delete(auth_session)
        session.commit()
        return None
    user, membership = found
    if now - as_utc(auth_session.last_seen_at) >= LAST_SEEN_RESOLUTION:
        auth_session.last_seen_at = now
        auth_session.idle_expires_at = min(
            now + IDLE_TIMEOUT, as_utc(auth_session.absolute_expires_at)
        )
        session.commit()
    assert user.id is not None
    return CurrentUser(
        user_id=user.id,
        team_id=membership.team_id,
        role=membership.role,
        email=user.email,
        display_name=user.display_name,
    )


def sign_out(session: Session, raw_session_id: str | None) -> None:
    """End this session (deletes the row). Unknown ids are ignored. Commits."""
    auth_session = _find(session, raw_session_id)
    if auth_session is not None:
        session.delete(auth_session)
        session.commit()


def end_all_sessions(
    session: Session,
    user_id: int,
    *,
    team_id: int | None = None,
    keep_raw_id: str | None = None,
) -> None:
    """End a user's sessions (in one team, or all), except optionally the current one. No commit."""
    statement = delete(AuthSession).where(col(AuthSession.user_id) == user_id)
    if team_id is not None:
        statement = statement.where(col(AuthSession.team_id) == team_id)
    if keep_raw_id:
        statement = statement.where(col(AuthSession.token_hash) != hash_session_id(keep_raw_id))
    session.exec(statement)


def list_sessions(
    session: Session, actor: CurrentUser, current_raw_id: str | None
) -> list[SessionView]:
    """The actor's own sessions, most recently used first."""
    current_hash = hash_session_id(current_raw_id) if current_raw_id else None
    rows = session.exec(
        select(AuthSession)
        .where(AuthSession.user_id == actor.user_id)
        .order_by(col(AuthSession.last_seen_at).desc())
    ).all()
    return [
        SessionView(
            id=row.id or 0,
            created_at=as_utc(row.created_at),
            last_seen_at=as_utc(row.last_seen_at),
            user_agent=row.user_agent,
            ip_address=row.ip_address,
            is_current=row.token_hash == current_hash,
        )
        for row in rows
    ]
