"""The sandbox's SQLite database and its file area, both under the data dir."""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session, create_engine

from orangeweb.sandbox.config import SandboxConfig
from orangeweb.sandbox.models import SandboxModel


class Store:
    """Opens (and creates on first use) the database of one data dir."""

    def __init__(self, config: SandboxConfig) -> None:
        self.data_path: Path = config.data_path
        self.engine: Engine = create_engine(
            config.database_url, connect_args={"check_same_thread": False, "timeout": 30}
        )
        event.listen(self.engine, "connect", _tune_sqlite)
        SandboxModel.metadata.create_all(self.engine)

    @contextlib.contextmanager
    def session(self) -> Iterator[Session]:
        # expire_on_commit=False: rows read in a session stay usable after it closes.
        with Session(self.engine, expire_on_commit=False) as session:
            yield session

    def file(self, relative: str) -> Path:
        """The absolute path of a stored file, refusing anything outside the data dir."""
        path = (self.data_path / relative).resolve()
        if not path.is_relative_to(self.data_path):
            raise ValueError("stored file path escapes the data dir")
        return path

    def relative(self, path: Path) -> str:
        return str(path.resolve().relative_to(self.data_path))

    def area(self, *parts: str) -> Path:
        """A directory under the data dir, created on first use."""
        path = self.data_path.joinpath(*parts)
        path.mkdir(parents=True, exist_ok=True)
        return path

    def close(self) -> None:
        self.engine.dispose()


def _tune_sqlite(connection: sqlite3.Connection, _record: Any) -> None:
    # WAL lets the CLI and admin functions read and write while a server runs on the same file.
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
