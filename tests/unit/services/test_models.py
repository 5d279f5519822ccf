"""Tables, engine and session helper: default metadata, SQLite pragmas, UTC round trips."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, SQLModel, select

from orangeweb import db
from orangeweb.models import ApiKey, Environment, KeyScope, Membership, Role, Team, Tier, User
from orangeweb.settings import get_settings

TABLES = {
    "teams",
    "users",
    "memberships",
    "invites",
    "auth_sessions",
    "failed_sign_ins",
    "known_sign_in_addresses",
    "api_keys",
    "user_preferences",
    "characters",
}


def test_tables_are_on_the_default_metadata() -> None:
    assert set(SQLModel.metadata.tables) >= TABLES


def test_database_url_follows_reflex_db_url(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert db.database_url().startswith("sqlite:///")
    monkeypatch.delenv("REFLEX_DB_URL")
    assert db.database_url() == get_settings().default_db_url
    monkeypatch.setenv("REFLEX_DB_URL", "postgresql+psycopg://u@h/orangeweb")
    assert db.database_url() == "postgresql+psycopg://u@h/orangeweb"


def test_sqlite_pragmas(engine: Engine) -> None:
    with engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
        assert connection.execute(text("PRAGMA busy_timeout")).scalar() == db.SQLITE_BUSY_TIMEOUT_MS


def test_foreign_keys_are_enforced(session: Session) -> None:
    session.add(Membership(user_id=999, team_id=999, role=Role.MEMBER))
    with pytest.raises(IntegrityError):
        session.commit()


def test_timestamps_come_back_aware_utc(session: Session) -> None:
    moment = datetime(2031, 5, 6, 7, 8, 9, 123456, tzinfo=UTC)
    session.add(Team(name="T", created_at=moment))
    session.commit()
    session.expunge_all()
    team = session.exec(select(Team)).one()
    assert team.created_at == moment and team.created_at.tzinfo is not None
    session.commit()
    assert team.created_at.tzinfo is not None  # after expiry and reload too


def test_emails_are_unique(session: Session) -> None:
    session.add(User(email="a@example.com", display_name="A", password_hash="h"))
    session.add(User(email="a@example.com", display_name="B", password_hash="h"))
    with pytest.raises(IntegrityError):
        session.commit()


def test_api_key_repr_has_no_ciphertext() -> None:
    api_key = ApiKey(
        team_id=1,
        owner_id=1,
        label="L",
        environment=Environment.SANDBOX,
        tier=Tier.FREE,
        scope=KeyScope.TEAM,
        ciphertext="gAAAA-secret-ciphertext",
        last4="wxyz",
    )
    assert "secret-ciphertext" not in repr(api_key) and "secret-ciphertext" not in str(api_key)


def test_open_session_uses_the_process_engine(data_dir: Path) -> None:
    db.get_engine.cache_clear()
    try:
        db.create_tables()
        with db.open_session() as session:
            session.add(Team(name="T"))
            session.commit()
        with db.open_session() as session:
            assert session.exec(select(Team.name)).all() == ["T"]
    finally:
        db.get_engine().dispose()
        db.get_engine.cache_clear()
