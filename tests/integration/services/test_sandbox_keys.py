""" "Create a sandbox key" over the sandbox's admin HTTP API, with the admin token both sides agree
on: from the environment, or the generated file the mounted sandbox is given."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlmodel import Session, select

from orangeweb.models import ApiKey, Environment, KeyScope, Tier
from orangeweb.sandbox import SandboxConfig
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import DomainError, SandboxUnavailable
from orangeweb.services.keys.sandbox import create_sandbox_key, sandbox_admin_token
from orangeweb.services.keys.secrets import get_secret_box
from orangeweb.settings import Settings, get_settings
from tests.support.sandbox_server import SandboxServer

UsingSandbox = Callable[..., Settings]


@pytest.fixture
def using_sandbox(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> UsingSandbox:
    """Point the dashboard's settings at `base_url` (and give it `admin_token`, if any)."""

    def point(base_url: str, admin_token: str | None = None) -> Settings:
        monkeypatch.setenv("ORANGEWEB_SANDBOX_URL", base_url)
        if admin_token is None:
            monkeypatch.delenv("ORANGEWEB_SANDBOX_ADMIN_TOKEN", raising=False)
        else:
            monkeypatch.setenv("ORANGEWEB_SANDBOX_ADMIN_TOKEN", admin_token)
        monkeypatch.delenv("ORANGEWEB_SANDBOX_DATA_DIR", raising=False)
        get_settings.cache_clear()
        return get_settings()

    return point


def _stored_secret(session: Session, key_id: int) -> str:
    row = session.get(ApiKey, key_id)
    assert row is not None
    return get_secret_box().decrypt(row.ciphertext)


async def test_a_key_is_issued_over_http_with_the_configured_token(
    session: Session,
    owner: CurrentUser,
    sandbox: SandboxServer,
    using_sandbox: UsingSandbox,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    using_sandbox(sandbox.base_url, sandbox.admin_token)
    view = await create_sandbox_key(
        session, owner, "One click", Tier.PRO, KeyScope.TEAM, credits=321
    )
    assert (view.environment, view.tier, view.scope) == (
        Environment.SANDBOX,
        Tier.PRO,
        KeyScope.TEAM,
    )
    secret = _stored_secret(session, view.id)
    assert view.last4 == secret[-4:]
    info = sandbox.key_info(secret)
    assert (info["tier"], info["credits"], info["label"]) == ("pro", 321, "One click")
    assert sandbox.admin_token not in caplog.text  # httpx logs every request, never its headers


async def test_the_mounted_sandbox_and_the_dashboard_share_the_generated_token(
    session: Session,
    owner: CurrentUser,
    data_dir: Path,
    sandbox_factory: Callable[..., SandboxServer],
    using_sandbox: UsingSandbox,
) -> None:
    """What orangeweb.py does: no token in the environment, the mounted sandbox is given the
    dashboard's (kept in the file the sandbox's own CLI reads)."""
    settings = using_sandbox("http://127.0.0.1:9/api")
    token = sandbox_admin_token(settings)
    assert token == sandbox_admin_token(settings)  # generated once, then read back
    token_file = data_dir / "sandbox" / "admin-token"
    assert token_file.stat().st_mode & 0o777 == 0o600
    assert SandboxConfig(data_dir=data_dir / "sandbox").resolved_admin_token() == token

    mounted = sandbox_factory(admin_token=token)
    using_sandbox(mounted.base_url)
    view = await create_sandbox_key(session, owner, "Mounted", Tier.FREE, KeyScope.PERSONAL)
    assert mounted.credits(_stored_secret(session, view.id)) == 1000


async def test_a_wrong_token_is_refused_in_words_without_showing_it(
    session: Session, owner: CurrentUser, sandbox: SandboxServer, using_sandbox: UsingSandbox
) -> None:
    using_sandbox(sandbox.base_url, "not-the-admin-token-4242")
    with pytest.raises(SandboxUnavailable, match="refused the dashboard's admin token") as caught:
        await create_sandbox_key(session, owner, "Nope", Tier.FREE, KeyScope.TEAM)
    assert "4242" not in str(caught.value)
    assert session.exec(select(ApiKey)).all() == []


async def test_an_unreachable_sandbox_is_a_clear_domain_error(
    session: Session, owner: CurrentUser, using_sandbox: UsingSandbox
) -> None:
    with socket.socket() as unused:
        unused.bind(("127.0.0.1", 0))
        port = unused.getsockname()[1]
    using_sandbox(f"http://127.0.0.1:{port}/api", "some-token-9876")
    with pytest.raises(DomainError, match=r"sandbox is not reachable at 127\.0\.0\.1") as caught:
        await create_sandbox_key(session, owner, "Nope", Tier.FREE, KeyScope.TEAM)
    assert isinstance(caught.value, SandboxUnavailable)
    assert "9876" not in str(caught.value)
