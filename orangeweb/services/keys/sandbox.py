""" "Create a sandbox key" in one click: issued by the built-in sandbox, stored like any key.

The dashboard may import the sandbox (never the other way round). The new key goes through
`add_api_key`, so it is verified over HTTP against the mounted sandbox and stored encrypted; its
clear value lives only inside this call.
"""

from __future__ import annotations

import asyncio

from sqlmodel import Session

from orangeweb.models import Environment, KeyScope, Tier
from orangeweb.sandbox import SandboxConfig, issue_key
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.keys.store import ApiKeyView, add_api_key

SANDBOX_STARTING_CREDITS = 1000


async def create_sandbox_key(
    session: Session,
    actor: CurrentUser,
    label: str,
    tier: Tier,
    scope: KeyScope,
    credits: int = SANDBOX_STARTING_CREDITS,
) -> ApiKeyView:
    """Issue a sandbox key with `credits` and add it for the actor. Commits."""
    secret = await asyncio.to_thread(issue_key, SandboxConfig(), Tier(tier).value, credits, label)
    return await add_api_key(
        session,
        actor,
        label=label,
        secret=secret,
        environment=Environment.SANDBOX,
        tier=Tier(tier),
        scope=KeyScope(scope),
    )
