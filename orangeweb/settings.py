"""One typed settings object for the dashboard, read from the environment.

Every setting is documented in README.md. The sandbox has its own settings
(`orangeweb.sandbox.config`) because it imports nothing from the dashboard.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict

REAL_ORANGECLONE_URL = "https://orangeclone.web.app/api"


class Settings(BaseSettings):
    """Dashboard settings; environment variables are `ORANGEWEB_<NAME>`."""

    model_config = SettingsConfigDict(env_prefix="ORANGEWEB_", extra="ignore")

    data_dir: Path = Field(default=Path("data"), description="Where every file lives.")
    orangeclone_url: str = Field(
        default=REAL_ORANGECLONE_URL, description="Base URL of the real OrangeClone API."
    )
    sandbox_enabled: bool = Field(
        default=True, description="Mount the built-in sandbox at /sandbox."
    )
    public_url: str | None = Field(
        default=None, description="The dashboard's public URL (enables batch callbacks)."
    )
    port: int = Field(default=3000, description="Port the dashboard serves on.")
    sandbox_url: str | None = Field(
        default=None,
        description="How the server reaches the built-in sandbox (default: this process's).",
    )
    # The same variables the sandbox reads (`ORANGEWEB_SANDBOX_<NAME>`), so the dashboard and the
    # sandbox agree on the admin token; the dashboard hands it to the sandbox it mounts.
    sandbox_admin_token: SecretStr | None = Field(
        default=None,
        description="Bearer token of the sandbox's /admin API; default: a generated 0600 file.",
    )
    sandbox_data_dir: Path | None = Field(
        default=None, description="The sandbox's data dir (default: <data dir>/sandbox)."
    )
    secret_keys: str | None = Field(
        default=None,
        description="Comma-separated Fernet keys, newest first; default: a generated key file.",
    )
    upload_max_bytes: int = Field(
        default=2 * 1024**3, description="Largest media file accepted for dubbing."
    )

    @property
    def data_path(self) -> Path:
        """The data directory as an absolute path, created on first use."""
        path = self.data_dir.expanduser().resolve()
        path.mkdir(parents=True, exist_ok=True)
        return path

    @property
    def sandbox_api_url(self) -> str:
        """Base URL of the built-in sandbox, as the dashboard's server calls it."""
        return self.sandbox_url or f"http://127.0.0.1:{self.port}/sandbox/api"

    @property
    def sandbox_admin_url(self) -> str:
        """The sandbox's admin API, beside its OrangeClone API (`.../api` -> `.../admin`)."""
        return self.sandbox_api_url.rstrip("/").removesuffix("/api") + "/admin"

    @property
    def sandbox_admin_token_path(self) -> Path:
        """Where the generated admin token is kept: the file the sandbox itself would use."""
        sandbox_dir = self.sandbox_data_dir or self.data_dir / "sandbox"
        return sandbox_dir.expanduser().resolve() / "admin-token"

    @property
    def default_db_url(self) -> str:
        return f"sqlite:///{self.data_path / 'orangeweb.db'}"


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    """The process-wide settings (read once)."""
    return Settings()
