"""Settings of the sandbox, read from the environment (`ORANGEWEB_SANDBOX_<NAME>`).

The sandbox imports nothing from the dashboard, so it reads `ORANGEWEB_DATA_DIR` itself for its
default data directory instead of using the dashboard's settings object.
"""

from __future__ import annotations

import os
import secrets
from enum import StrEnum
from pathlib import Path

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict


class Tier(StrEnum):
    """Account tiers of the documented pricing table."""

    FREE = "free"
    PRO = "pro"
    ENTERPRISE = "enterprise"


DEFAULT_RATE_LIMITS: dict[Tier, int | None] = {Tier.FREE: 10, Tier.PRO: 30, Tier.ENTERPRISE: None}
DEFAULT_MAX_MEDIA_SECONDS: dict[Tier, float | None] = {
    Tier.FREE: 120.0,
    Tier.PRO: 1800.0,
    Tier.ENTERPRISE: None,
}


def _default_data_dir() -> Path:
    return Path(os.environ.get("ORANGEWEB_DATA_DIR", "data")) / "sandbox"


class SandboxConfig(BaseSettings):
    """Everything the sandbox can be told. Defaults follow the vendor docs and CONTRACT.md."""

    model_config = SettingsConfigDict(env_prefix="ORANGEWEB_SANDBOX_", extra="ignore")

    data_dir: Path = Field(default_factory=_default_data_dir)
    voice_file_max_bytes: int = Field(default=20 * 1024**2, gt=0)
    media_upload_max_bytes: int = Field(default=4 * 1024**3, gt=0)
    signed_url_ttl_seconds: int = Field(default=3600, gt=0)
    # Requests per minute; None = unlimited (documented: Free 10, Pro 30, Enterprise unlimited).
    rate_limit_per_minute: dict[Tier, int | None] = Field(
        default_factory=lambda: dict(DEFAULT_RATE_LIMITS)
    )
    # Longest media per tier in seconds; None = unlimited (documented: 2 min, 30 min, unlimited).
    max_media_seconds: dict[Tier, float | None] = Field(
        default_factory=lambda: dict(DEFAULT_MAX_MEDIA_SECONDS)
    )
    callback_timeout_seconds: float = Field(default=5.0, gt=0)
    callback_attempts: int = Field(default=3, ge=1)
    callback_backoff_seconds: float = Field(default=0.5, ge=0)
    # For tests only: also send batch callbacks over plain http and to loopback addresses
    # (private networks stay refused). Off, callbacks go to public https hosts only: the
    # sandbox usually runs inside the dashboard, and a callback is a request from its host.
    allow_loopback_callbacks: bool = False
    worker_count: int = Field(default=2, ge=1)
    # Admin token for /admin/...; None = generated once into `admin-token` under the data dir.
    admin_token: SecretStr | None = None
    voice_sample_min_seconds: float = 3.0
    voice_text_max_chars: int = 5000
    max_character_ids: int = 10
    max_batch_scenes: int = 100
    script_context_max_chars: int = 2000
    # Transcription: one speaker's speech up to a pause this long is one segment (a phrase).
    transcription_phrase_pause_seconds: float = Field(default=0.6, ge=0, le=5)

    @field_validator("rate_limit_per_minute", mode="after")
    @classmethod
    def _every_tier_limited(cls, limits: dict[Tier, int | None]) -> dict[Tier, int | None]:
        # A partial override (e.g. only "free" from the environment) keeps the other tiers'
        # documented limits instead of leaving them unlimited.
        return {**DEFAULT_RATE_LIMITS, **limits}

    @field_validator("max_media_seconds", mode="after")
    @classmethod
    def _every_tier_capped(cls, caps: dict[Tier, float | None]) -> dict[Tier, float | None]:
        return {**DEFAULT_MAX_MEDIA_SECONDS, **caps}

    @property
    def data_path(self) -> Path:
        """The data directory as an absolute path, created on first use."""
        path = self.data_dir.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def database_url(self) -> str:
        return f"sqlite:///{self.data_path / 'sandbox.db'}"

    def signing_secret(self) -> bytes:
        """The key that signs file and upload URLs (generated once, kept 0600)."""
        return read_or_create_secret(self.data_path / "signing-secret").encode()

    def resolved_admin_token(self) -> str:
        """The admin token: from the config, else generated once into a 0600 file."""
        if self.admin_token is not None:
            return self.admin_token.get_secret_value()
        return read_or_create_secret(self.data_path / "admin-token")


def read_or_create_secret(path: Path) -> str:
    """A random secret stored in `path` (mode 0600), created on first use.

    The secret is written to a private temporary file first and then hard-linked into place:
    the link either appears complete or fails because another process won the race, so two
    processes starting on one data dir always agree on the secret.
    """
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    secret = secrets.token_urlsafe(32)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="ascii") as handle:
            handle.write(secret)
        os.link(temporary, path)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    finally:
        temporary.unlink(missing_ok=True)
    return secret


def describe_size(num_bytes: int) -> str:
    """A size limit for messages: `20 MB`, `4 GiB`, `300 KB`."""
    for unit, factor in (("GiB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if num_bytes >= factor:
            return f"{num_bytes / factor:.3g} {unit}"
    return f"{num_bytes} bytes"
