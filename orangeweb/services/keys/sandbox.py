""" "Create a sandbox key" in one click: issued by the sandbox's admin API, stored like any key.

The sandbox is reached only over HTTP (`POST <sandbox>/admin/keys`, bearer admin token), as any
sandbox the dashboard points at would be. The new key goes through `add_api_key`, so it is
verified against the sandbox and stored encrypted; its clear value lives only inside this call.

The admin token is a credential like an API key: it is read from the settings (or the generated
file) at the moment of the call, sent only in the `Authorization` header, and never logged,
returned or put in an error message.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

import httpx
from sqlmodel import Session

from orangeweb.models import Environment, KeyScope, Tier
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.errors import SandboxUnavailable
from orangeweb.services.keys.store import ApiKeyView, add_api_key
from orangeweb.settings import Settings, get_settings

SANDBOX_STARTING_CREDITS = 1000
# Issuing a key is one row in the sandbox's store: seconds, not minutes, even under load.
ADMIN_TIMEOUT = httpx.Timeout(10.0)


def sandbox_admin_token(settings: Settings | None = None) -> str:
    """The sandbox's admin token: `ORANGEWEB_SANDBOX_ADMIN_TOKEN`, else the generated file.

    The file is the one the sandbox itself generates by default (`<sandbox data>/admin-token`),
    so the dashboard, the sandbox it mounts and `python -m orangeweb.sandbox admin-token` agree.
    """
    settings = settings or get_settings()
    if settings.sandbox_admin_token is not None:
        return settings.sandbox_admin_token.get_secret_value()
    return _read_or_create_token(settings.sandbox_admin_token_path)


def _read_or_create_token(path: Path) -> str:
    """A random token in `path` (0600), created on first use; the same format as the sandbox's.

    Written to a private temporary file and hard-linked into place, so several workers starting
    at once all end up with the one token that won.
    """
    if path.exists():
        return path.read_text(encoding="ascii").strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    token = secrets.token_urlsafe(32)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(8)}")
    descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(descriptor, "w", encoding="ascii") as handle:
            handle.write(token)
        os.link(temporary, path)
    except FileExistsError:
        return path.read_text(encoding="ascii").strip()
    finally:
        temporary.unlink(missing_ok=True)
    return token


async def issue_sandbox_secret(tier: Tier, credits: int, label: str | None) -> str:
    """A new key from the sandbox's admin API; `SandboxUnavailable` in words when it fails."""
    settings = get_settings()
    url = f"{settings.sandbox_admin_url}/keys"
    host = httpx.URL(url).netloc.decode()
    body = {"tier": Tier(tier).value, "credits": credits, "label": label}
    try:
        async with httpx.AsyncClient(timeout=ADMIN_TIMEOUT, follow_redirects=False) as client:
            response = await client.post(
                url,
                json=body,
                headers={"Authorization": f"Bearer {sandbox_admin_token(settings)}"},
            )
    except httpx.HTTPError as error:
        raise SandboxUnavailable(
            f"The sandbox is not reachable at {host}. Check that it is running "
            "(ORANGEWEB_SANDBOX_ENABLED, ORANGEWEB_SANDBOX_URL) and try again."
        ) from error
    if response.status_code == 401:
        raise SandboxUnavailable(
            "The sandbox refused the dashboard's admin token. Give both the same "
            "ORANGEWEB_SANDBOX_ADMIN_TOKEN.",
            status_code=401,
        )
    secret = _issued_key(response) if response.status_code == 200 else None
    if not secret:
        raise SandboxUnavailable(
            f"The sandbox could not issue a key (HTTP {response.status_code}). Try again.",
            status_code=response.status_code,
        )
    return secret


def _issued_key(response: httpx.Response) -> str | None:
    """The `key` of the admin API's answer, or None if the answer is not one."""
    try:
        answer = response.json()
    except ValueError:
        return None
    key = answer.get("key") if isinstance(answer, dict) else None
    return key if isinstance(key, str) else None


async def create_sandbox_key(
    session: Session,
    actor: CurrentUser,
    label: str,
    tier: Tier,
    scope: KeyScope,
    credits: int = SANDBOX_STARTING_CREDITS,
) -> ApiKeyView:
    """Issue a sandbox key with `credits` and add it for the actor. Commits."""
    secret = await issue_sandbox_secret(Tier(tier), credits, label)
    return await add_api_key(
        session,
        actor,
        label=label,
        secret=secret,
        environment=Environment.SANDBOX,
        tier=Tier(tier),
        scope=KeyScope(scope),
    )
