"""SecretBox, the key file, rotation (service and CLI), and no plaintext key in the database."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import Engine
from sqlmodel import Session, select

from orangeweb import db
from orangeweb.__main__ import main
from orangeweb.models import ApiKey, Environment, KeyScope, Tier
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.keys import secrets
from orangeweb.services.keys.secrets import SecretBox, SecretUnreadable
from orangeweb.services.keys.store import add_api_key
from orangeweb.settings import Settings, get_settings

PLAINTEXT_KEYS = [f"oc_live_{number:02d}_ZmFrZS1zZWNyZXQta2V5LXZhbHVl" for number in range(3)]


async def _accept_any_key(secret: str, environment: Environment, tier: Tier) -> None:
    return None


async def _store_keys(session: Session, owner: CurrentUser) -> list[int]:
    ids = []
    for number, secret in enumerate(PLAINTEXT_KEYS):
        view = await add_api_key(
            session,
            owner,
            f"key {number}",
            secret,
            Environment.SANDBOX,
            Tier.FREE,
            KeyScope.TEAM,
            _accept_any_key,
        )
        ids.append(view.id)
    return ids


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_box_round_trip_and_repr_hides_keys() -> None:
    key = Fernet.generate_key().decode()
    box = SecretBox([key])
    token = box.encrypt("my secret")
    assert "my secret" not in token and box.decrypt(token) == "my secret"
    assert key not in repr(box) and key not in str(box)
    with pytest.raises(SecretUnreadable):
        SecretBox([Fernet.generate_key().decode()]).decrypt(token)


def test_key_file_is_generated_once_with_mode_0600(settings: Settings, data_dir: Path) -> None:
    box = secrets.get_secret_box(settings)
    key_file = data_dir / "secret.keys"
    assert _mode(key_file) == 0o600
    keys = secrets.load_secret_keys(settings)
    assert len(keys) == 1
    Fernet(keys[0].encode())  # a valid Fernet key
    assert secrets.get_secret_box(settings) is box
    assert secrets.load_secret_keys(settings) == keys


def test_keys_from_the_environment_take_precedence(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newest, older = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("ORANGEWEB_SECRET_KEYS", f"{newest}, {older}")
    get_settings.cache_clear()
    token_under_older = SecretBox([older]).encrypt("v")
    box = secrets.get_secret_box()
    assert box.decrypt(token_under_older) == "v"
    assert SecretBox([newest]).decrypt(box.encrypt("w")) == "w"  # newest encrypts
    assert not (data_dir / "secret.keys").exists()


async def test_rotation_adds_a_key_and_re_encrypts_every_row(
    session: Session, owner: CurrentUser, settings: Settings, data_dir: Path
) -> None:
    await _store_keys(session, owner)
    before = {row.id: row.ciphertext for row in session.exec(select(ApiKey))}
    old_keys = secrets.load_secret_keys(settings)

    report = secrets.rotate_secrets(session, settings)

    assert (report.key_source, report.rows_reencrypted, report.key_count) == ("file", 3, 2)
    new_keys = secrets.load_secret_keys(settings)
    assert new_keys[1:] == old_keys and new_keys[0] not in old_keys
    assert _mode(data_dir / "secret.keys") == 0o600
    only_newest = SecretBox(new_keys[:1])
    rows = session.exec(select(ApiKey).order_by(ApiKey.id)).all()
    assert [only_newest.decrypt(row.ciphertext) for row in rows] == PLAINTEXT_KEYS
    assert all(before[row.id] != row.ciphertext for row in rows)
    # During and after rotation, ciphertexts made with the old key still open.
    current_box = secrets.get_secret_box(settings)
    assert [current_box.decrypt(token) for token in before.values()] == PLAINTEXT_KEYS


async def test_rotation_with_environment_keys_moves_rows_to_the_newest(
    session: Session, owner: CurrentUser, monkeypatch: pytest.MonkeyPatch, data_dir: Path
) -> None:
    older, newest = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    monkeypatch.setenv("ORANGEWEB_SECRET_KEYS", older)
    get_settings.cache_clear()
    await _store_keys(session, owner)
    monkeypatch.setenv("ORANGEWEB_SECRET_KEYS", f"{newest},{older}")
    get_settings.cache_clear()
    report = secrets.rotate_secrets(session)
    assert (report.key_source, report.rows_reencrypted) == ("environment", 3)
    rows = session.exec(select(ApiKey).order_by(ApiKey.id)).all()
    assert [SecretBox([newest]).decrypt(row.ciphertext) for row in rows] == PLAINTEXT_KEYS


async def test_database_file_holds_no_plaintext_key(
    session: Session, owner: CurrentUser, settings: Settings, db_path: Path, engine: Engine
) -> None:
    await _store_keys(session, owner)
    secrets.rotate_secrets(session, settings)
    session.close()
    engine.dispose()
    stored = b"".join(path.read_bytes() for path in db_path.parent.glob(f"{db_path.name}*"))
    assert b"key 0" in stored  # the labels are there, so we are reading the right bytes
    for secret in PLAINTEXT_KEYS:
        assert secret.encode() not in stored
        assert secret[:20].encode() not in stored


@pytest.fixture
def cli_database(data_dir: Path, tmp_path: Path) -> Iterator[Engine]:
    """The process-wide engine, pointed by REFLEX_DB_URL at this test's database."""
    db.get_engine.cache_clear()
    engine = db.get_engine()
    db.create_tables(engine)
    yield engine
    engine.dispose()
    db.get_engine.cache_clear()


async def test_cli_rotate_secrets(
    cli_database: Engine, capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    with Session(cli_database) as session:
        from orangeweb.services.accounts import auth

        owner = auth.sign_up_first(session, "Team", "o@example.com", "O", "long enough pw")
        await _store_keys(session, owner)
    assert main(["rotate-secrets"]) == 0
    assert "re-encrypted 3 API key(s)" in capsys.readouterr().out
    newest = secrets.load_secret_keys(get_settings())[0]
    with Session(cli_database) as session:
        rows = session.exec(select(ApiKey).order_by(ApiKey.id)).all()
        assert [SecretBox([newest]).decrypt(row.ciphertext) for row in rows] == PLAINTEXT_KEYS
