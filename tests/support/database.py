"""Dashboard databases for tests: SQLite files with every table and the people a test asks for,
built once per session and copied per test.

Creating the tables and signing people up per test (argon2id with the production parameters,
about 0.1 s for every password, several times that on a busy 2-core machine) was most of what
the database suites spent. `DatabaseTemplates` builds each distinct start state once, with the
same service calls the fixtures make (sign-up, invite and accept), and gives every test a copy
of its own made with SQLite's backup API: each test still starts from an identical private
file, and nothing one test writes is seen by another.

A start state is a tuple of `PEOPLE` (the fixture names `owner`, `admin`, `member`, `rival`),
in the order pytest would set those fixtures up. `database_for(request, ...)` reads them from
the test's fixture closure; a person asked for later (`getfixturevalue`) is made on the copy at
that moment, as before.

`dashboard_environment` points the settings at a test's data dir and the process-wide engine at
its `app.db`, the file `SeededDatabase` is copied to. `fresh_postgres_database` is a new, empty
PostgreSQL database of the local server (the scaled set-up's), dropped afterwards.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
import pytest
from sqlmodel import Session

from orangeweb import db
from orangeweb.db import create_tables, make_engine
from orangeweb.models import Membership, Role, Team, User
from orangeweb.services.accounts import auth, teams
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.accounts.passwords import hash_password
from orangeweb.services.jobs.notices import _bus_for
from orangeweb.settings import get_settings

PASSWORD = "correct horse battery"
DATABASE_FILE = "app.db"
POSTGRES_ADMIN_DSN = "postgresql://postgres@127.0.0.1:5432/postgres"
# Set outside (a developer's shell, CI) they would change what the suites test.
_CLEARED_ENV = (
    "ORANGEWEB_SECRET_KEYS",
    "ORANGEWEB_PUBLIC_URL",
    "ORANGEWEB_UPLOAD_MAX_BYTES",
    "REFLEX_REDIS_URL",
)


@contextmanager
def dashboard_environment(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, **env: str
) -> Iterator[Path]:
    """The dashboard's settings on `tmp_path/data` (yielded), `REFLEX_DB_URL` on
    `tmp_path/app.db`, none of `_CLEARED_ENV`, `env` set; the process-wide settings, engine and
    notice bus are new inside and forgotten after."""
    directory = tmp_path / "data"
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(directory))
    monkeypatch.setenv("REFLEX_DB_URL", f"sqlite:///{tmp_path / DATABASE_FILE}")
    for name in _CLEARED_ENV:
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    _forget_process_state()
    try:
        yield directory
    finally:
        _forget_process_state()


def _forget_process_state() -> None:
    if db.get_engine.cache_info().currsize:
        db.get_engine().dispose()
    db.get_engine.cache_clear()
    get_settings.cache_clear()
    _bus_for.cache_clear()


def join(
    session: Session, inviter: CurrentUser, role: Role, email: str, name: str | None = None
) -> CurrentUser:
    """Invite someone with `role` into the inviter's team and accept it."""
    raw_token, _ = teams.create_invite(session, inviter, role)
    return teams.accept_invite(session, raw_token, email, name or email.split("@")[0], PASSWORD)


def sign_up_owner(session: Session) -> CurrentUser:
    """The first account of a fresh install: Olivia, owner of Acme Voices."""
    return auth.sign_up_first(session, "Acme Voices", "olivia@example.com", "Olivia", PASSWORD)


def add_rival_team(session: Session) -> CurrentUser:
    """The owner of a second team. (The dashboard creates one team at sign-up; a second one
    only exists in tests, to prove that no query crosses teams.)"""
    team = Team(name="Rival Studio")
    user = User(
        email="rex@rival.example", display_name="Rex", password_hash=hash_password(PASSWORD)
    )
    session.add(team)
    session.add(user)
    session.flush()
    assert team.id is not None and user.id is not None
    session.add(Membership(user_id=user.id, team_id=team.id, role=Role.OWNER))
    session.commit()
    return CurrentUser(
        user_id=user.id, team_id=team.id, role=Role.OWNER, email=user.email, display_name="Rex"
    )


def _make_person(session: Session, name: str, people: Mapping[str, CurrentUser]) -> CurrentUser:
    if name == "owner":
        return sign_up_owner(session)
    if name == "admin":
        return join(session, people["owner"], Role.ADMIN, "adam@example.com", "Adam")
    if name == "member":
        return join(session, people["owner"], Role.MEMBER, "mia@example.com", "Mia")
    if name == "rival":
        return add_rival_team(session)
    raise KeyError(name)


# Who each person's fixture needs first (their fixtures depend on `owner`).
PEOPLE: dict[str, tuple[str, ...]] = {
    "owner": (),
    "admin": ("owner",),
    "member": ("owner",),
    "rival": ("owner",),
}


def setup_order(fixture_names: Sequence[str]) -> tuple[str, ...]:
    """The people among `fixture_names`, each after those its fixture depends on (the order in
    which pytest sets the fixtures up, so ids come out as they would without a template)."""
    order: list[str] = []

    def visit(name: str) -> None:
        for needed in PEOPLE[name]:
            visit(needed)
        if name not in order:
            order.append(name)

    for name in fixture_names:
        if name in PEOPLE:
            visit(name)
    return tuple(order)


@dataclass
class SeededDatabase:
    """A test's own SQLite file and the people already in it."""

    path: Path
    people: dict[str, CurrentUser] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"sqlite:///{self.path}"

    def person(self, name: str, session: Session) -> CurrentUser:
        """The person of that fixture name: from the template, or made now."""
        if name not in self.people:
            for needed in PEOPLE[name]:
                self.person(needed, session)
            self.people[name] = _make_person(session, name, self.people)
        return self.people[name]


class DatabaseTemplates:
    """One built SQLite file per start state (the people in it), copied for every test."""

    def __init__(self, directory: Path) -> None:
        self._directory = directory
        self._built: dict[tuple[str, ...], tuple[Path, dict[str, CurrentUser]]] = {}

    def _build(self, people: tuple[str, ...]) -> tuple[Path, dict[str, CurrentUser]]:
        path = self._directory / f"template_{len(self._built)}.db"
        engine = make_engine(f"sqlite:///{path}")
        made: dict[str, CurrentUser] = {}
        try:
            create_tables(engine)
            with Session(engine) as session:
                for name in people:
                    made[name] = _make_person(session, name, made)
        finally:
            engine.dispose()
        return path, made

    def copy(self, target: Path, people: tuple[str, ...] = ()) -> SeededDatabase:
        """A new database at `target` holding every table and `people` (in that order)."""
        if people not in self._built:
            self._built[people] = self._build(people)
        source_path, made = self._built[people]
        source, copied = sqlite3.connect(source_path), sqlite3.connect(target)
        try:
            source.backup(copied)
        finally:
            copied.close()
            source.close()
        return SeededDatabase(target, dict(made))


def database_for(
    request: pytest.FixtureRequest, templates: DatabaseTemplates, tmp_path: Path
) -> SeededDatabase:
    """The test's database (`tmp_path/app.db`), with the people its fixtures will ask for."""
    callspec = getattr(request.node, "callspec", None)
    parametrized = set(callspec.params) if callspec is not None else set()  # not fixtures
    fixtures = [name for name in request.fixturenames if name not in parametrized]
    return templates.copy(tmp_path / DATABASE_FILE, setup_order(fixtures))


@contextmanager
def fresh_postgres_database(prefix: str) -> Iterator[str]:
    """A new, empty PostgreSQL database named `prefix_<random>` (its SQLAlchemy URL), dropped
    afterwards."""
    name = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"postgresql+psycopg://postgres@127.0.0.1:5432/{name}"
    finally:
        with psycopg.connect(POSTGRES_ADMIN_DSN, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
