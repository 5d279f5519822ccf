"""The dashboard's database engine and sessions.

The URL is the one rxconfig.py gives Reflex (`REFLEX_DB_URL`, else the SQLite file in the data
directory), so services and Reflex always talk to the same database. Services take a
`sqlmodel.Session` argument; `open_session()` is how callers outside tests get one.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from functools import lru_cache
from typing import Any

from sqlalchemy import Engine, event
from sqlmodel import Session, SQLModel, create_engine

import orangeweb.models  # noqa: F401  (registers every table on the default metadata)
from orangeweb.settings import get_settings

SQLITE_BUSY_TIMEOUT_MS = 5000


def database_url() -> str:
    """The database URL, exactly as rxconfig.py computes it."""
    return os.environ.get("REFLEX_DB_URL", get_settings().default_db_url)


@event.listens_for(Engine, "connect")
def _apply_sqlite_pragmas(dbapi_connection: Any, _connection_record: Any) -> None:
    """Every SQLite connection (ours or Reflex's): WAL, enforced foreign keys, wait when busy."""
    if not isinstance(dbapi_connection, sqlite3.Connection):
        return
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        # Safe with WAL (a crash can lose the last commit, never corrupt the file), and faster.
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def make_engine(url: str) -> Engine:
    """A new engine for `url` (SQLite connections may be used from Reflex's worker threads)."""
    connect_args: dict[str, Any] = {}
    if url.startswith("sqlite"):
        connect_args = {"check_same_thread": False, "timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
    return create_engine(url, connect_args=connect_args, pool_pre_ping=True)


@lru_cache(maxsize=1)
def get_engine() -> Engine:
    """The process-wide engine."""
    return make_engine(database_url())


@contextmanager
def open_session(engine: Engine | None = None) -> Iterator[Session]:
    """A session on the process-wide engine (or `engine`); services commit their own work.

    `expire_on_commit=False`: rows returned by a service stay readable after it commits.
    """
    with Session(engine or get_engine(), expire_on_commit=False) as session:
        yield session


def create_tables(engine: Engine | None = None) -> None:
    """Create missing tables (tests and first runs; deployments use alembic migrations)."""
    SQLModel.metadata.create_all(engine or get_engine())
