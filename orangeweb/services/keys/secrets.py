"""Encryption at rest for API keys: Fernet (AES-128-CBC + HMAC) through `MultiFernet`.

Keys come from `ORANGEWEB_SECRET_KEYS` (comma-separated, newest first) or, by default, from
`<data_dir>/secret.keys` (one key a line, newest first), generated on first use with mode 0600.
The newest key encrypts; every listed key decrypts, so rotation never strands a row: add a key in
front, re-encrypt every row (`rotate_secrets`), and only then may older keys be dropped.

The key file is re-read when it changes on disk, so a rotation run from the CLI is picked up by
a running dashboard without a restart.
"""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Sequence
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from threading import Lock

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from sqlmodel import Session, select

from orangeweb.models import ApiKey
from orangeweb.settings import Settings, get_settings

logger = logging.getLogger(__name__)

KEY_FILE_NAME = "secret.keys"
_KEY_FILE_HEADER = "# orangeweb secret keys (Fernet), newest first. Keep this file private.\n"


class SecretUnreadable(Exception):
    """A ciphertext no configured key can open (wrong or missing key)."""


class SecretBox:
    """Encrypts with the newest key, decrypts with any. Holds keys, never shows them."""

    def __init__(self, keys: Sequence[str]) -> None:
        if not keys:
            raise ValueError("SecretBox needs at least one key.")
        self._fernet = MultiFernet([Fernet(key.encode()) for key in keys])
        self._key_count = len(keys)

    def encrypt(self, plaintext: str) -> str:
        return self._fernet.encrypt(plaintext.encode()).decode()

    def decrypt(self, token: str) -> str:
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except InvalidToken as error:
            raise SecretUnreadable("No configured secret key can decrypt this value.") from error

    def rotate(self, token: str) -> str:
        """The same secret, re-encrypted under the newest key."""
        try:
            return self._fernet.rotate(token.encode()).decode()
        except InvalidToken as error:
            raise SecretUnreadable("No configured secret key can decrypt this value.") from error

    def __repr__(self) -> str:
        return f"SecretBox(<{self._key_count} key(s)>)"


def key_file_path(settings: Settings) -> Path:
    return settings.data_path / KEY_FILE_NAME


def _parse_keys(text: str, separator: str) -> list[str]:
    keys = [part.strip() for part in text.split(separator)]
    return [key for key in keys if key and not key.startswith("#")]


def _write_key_file(path: Path, keys: Sequence[str]) -> None:
    """Write the key file atomically, created 0600 from the start (never briefly readable)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w") as key_file:
            key_file.write(_KEY_FILE_HEADER + "".join(f"{key}\n" for key in keys))
            key_file.flush()
            os.fsync(key_file.fileno())
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _create_first_key_file(path: Path) -> None:
    """Create the first key file; fails with FileExistsError if someone else just did."""
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "w") as key_file:
        key_file.write(_KEY_FILE_HEADER + Fernet.generate_key().decode() + "\n")
        key_file.flush()
        os.fsync(key_file.fileno())


def _read_or_create_key_file(path: Path) -> list[str]:
    if not path.exists():
        with suppress(FileExistsError):  # another process just created it: use theirs
            _create_first_key_file(path)
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        logger.warning("%s is readable by others (mode %o); run chmod 600 on it.", path, mode)
    keys = _parse_keys(path.read_text(), "\n")
    if not keys:
        raise RuntimeError(f"{path} holds no key.")
    return keys


def load_secret_keys(settings: Settings) -> list[str]:
    """The configured keys, newest first (from the environment, else the key file)."""
    if settings.secret_keys:
        return _parse_keys(settings.secret_keys, ",")
    return _read_or_create_key_file(key_file_path(settings))


def _key_source_fingerprint(settings: Settings) -> tuple[object, ...] | None:
    """Changes whenever the keys may have changed (a rotation replaces the file: new inode)."""
    if settings.secret_keys:
        return ("environment", settings.secret_keys)
    path = key_file_path(settings)
    try:
        status = path.stat()
    except FileNotFoundError:
        return None
    return ("file", str(path), status.st_ino, status.st_mtime_ns, status.st_size)


_cache_lock = Lock()
_cached_box: tuple[tuple[object, ...], SecretBox] | None = None


def get_secret_box(settings: Settings | None = None) -> SecretBox:
    """The box for the current keys; rebuilt when the key file or the key setting changes."""
    global _cached_box
    settings = settings or get_settings()
    with _cache_lock:
        fingerprint = _key_source_fingerprint(settings)
        if fingerprint is None:
            load_secret_keys(settings)  # creates the key file
            fingerprint = _key_source_fingerprint(settings)
        assert fingerprint is not None
        if _cached_box is not None and _cached_box[0] == fingerprint:
            return _cached_box[1]
        box = SecretBox(load_secret_keys(settings))
        _cached_box = (fingerprint, box)
        return box


@dataclass(frozen=True, slots=True)
class RotationReport:
    key_source: str  # "file" or "environment"
    rows_reencrypted: int
    key_count: int


def rotate_secrets(session: Session, settings: Settings | None = None) -> RotationReport:
    """Put a new key in front (key file mode) and re-encrypt every API key row under it. Commits.

    With keys from the environment a new key cannot be added from here: put it in front of
    `ORANGEWEB_SECRET_KEYS` first; this then moves every row onto it.
    """
    settings = settings or get_settings()
    if settings.secret_keys:
        keys = load_secret_keys(settings)
        key_source = "environment"
    else:
        path = key_file_path(settings)
        keys = [Fernet.generate_key().decode(), *_read_or_create_key_file(path)]
        # The file first: if re-encryption fails halfway, every row is still readable.
        _write_key_file(path, keys)
        key_source = "file"
    box = SecretBox(keys)
    rows = session.exec(select(ApiKey)).all()
    for api_key in rows:
        api_key.ciphertext = box.rotate(api_key.ciphertext)
    session.commit()
    logger.info("Re-encrypted %d API key(s) under the newest of %d key(s).", len(rows), len(keys))
    return RotationReport(key_source=key_source, rows_reencrypted=len(rows), key_count=len(keys))
