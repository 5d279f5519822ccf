"""The sandbox's configuration and store isolation (no server needed)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlmodel import SQLModel

from orangeweb.sandbox import SandboxConfig, Tier
from orangeweb.sandbox.models import SandboxModel


def test_defaults_follow_the_documented_tiers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("ORANGEWEB_DATA_DIR", str(tmp_path))
    config = SandboxConfig()
    assert config.data_dir == tmp_path / "sandbox"
    assert config.rate_limit_per_minute == {Tier.FREE: 10, Tier.PRO: 30, Tier.ENTERPRISE: None}
    assert config.max_media_seconds == {Tier.FREE: 120, Tier.PRO: 1800, Tier.ENTERPRISE: None}
    assert config.voice_file_max_bytes == 20 * 1024**2
    assert config.media_upload_max_bytes == 4 * 1024**3
    assert config.signed_url_ttl_seconds == 3600


def test_environment_overrides(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("ORANGEWEB_SANDBOX_DATA_DIR", str(tmp_path / "elsewhere"))
    monkeypatch.setenv("ORANGEWEB_SANDBOX_RATE_LIMIT_PER_MINUTE", '{"free": 3}')
    monkeypatch.setenv("ORANGEWEB_SANDBOX_ADMIN_TOKEN", "admin-from-env")
    config = SandboxConfig()
    assert config.data_dir == tmp_path / "elsewhere"
    # A partial override keeps the other tiers' documented limits.
    assert config.rate_limit_per_minute == {Tier.FREE: 3, Tier.PRO: 30, Tier.ENTERPRISE: None}
    assert config.resolved_admin_token() == "admin-from-env"


def test_secrets_are_generated_once_and_private(tmp_path: Path) -> None:
    config = SandboxConfig(data_dir=tmp_path)
    secret = config.signing_secret()
    assert secret == SandboxConfig(data_dir=tmp_path).signing_secret()
    assert (tmp_path / "signing-secret").stat().st_mode & 0o777 == 0o600
    assert config.resolved_admin_token() != secret.decode()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".")]


def test_sandbox_tables_stay_out_of_the_default_metadata() -> None:
    # The dashboard's alembic autogenerate reads SQLModel.metadata: no sandbox table there.
    assert SandboxModel.metadata is not SQLModel.metadata
    assert {"api_key", "voice_job", "dubbing_job"} <= set(SandboxModel.metadata.tables)
    for name, table in SandboxModel.metadata.tables.items():
        assert SQLModel.metadata.tables.get(name) is not table
