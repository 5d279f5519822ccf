"""The alembic migrations, applied with `reflex db migrate` as `make run` does, on SQLite and on
PostgreSQL (the scaled set-up), give a schema the services work on."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import inspect
from sqlmodel import Session, SQLModel

from orangeweb.db import make_engine
from orangeweb.services.accounts import auth, sessions
from tests.support.database import fresh_postgres_database

REPO = Path(__file__).resolve().parents[3]


def _migrate(db_url: str, data_dir: Path) -> None:
    env = {
        **os.environ,
        "REFLEX_DB_URL": db_url,
        "ORANGEWEB_DATA_DIR": str(data_dir),
        "REFLEX_TELEMETRY_ENABLED": "false",
    }
    result = subprocess.run(
        [str(REPO / ".venv" / "bin" / "reflex"), "db", "migrate"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def _assert_schema_serves_the_app(db_url: str) -> None:
    engine = make_engine(db_url)
    try:
        tables = set(inspect(engine).get_table_names())
        assert set(SQLModel.metadata.tables) <= tables
        with Session(engine, expire_on_commit=False) as session:
            owner = auth.sign_up_first(
                session, "Migrated Team", "owner@example.com", "Owner", "a long password 1"
            )
            raw_id, user = auth.sign_in(
                session, "owner@example.com", "a long password 1", "127.0.0.1", "pytest"
            )
            assert user.user_id == owner.user_id
            assert sessions.resolve_session(session, raw_id) == user
    finally:
        engine.dispose()


@pytest.fixture
def postgres_url() -> Iterator[str]:
    with fresh_postgres_database("orangeweb_test") as url:
        yield url


def test_migrations_on_sqlite(tmp_path: Path) -> None:
    db_url = f"sqlite:///{tmp_path / 'orangeweb.db'}"
    _migrate(db_url, tmp_path)
    _assert_schema_serves_the_app(db_url)


@pytest.mark.postgres
def test_migrations_on_postgresql(postgres_url: str, tmp_path: Path) -> None:
    _migrate(postgres_url, tmp_path)
    _assert_schema_serves_the_app(postgres_url)
