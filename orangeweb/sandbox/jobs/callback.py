"""The batch callback (assumed): POST `{"batchJobId", "storyId", "status"}` to callbackUrl.

Three tries with doubling backoff and a short timeout; any 2xx is delivery, and a redirect is
not followed. The receiver is expected to re-fetch the status rather than trust the body
(CONTRACT.md).

Every try resolves the host again and connects to the address it checked (callback_policy.py):
a host that resolves to a private address is skipped, recorded as `refused`, never contacted.
"""

from __future__ import annotations

import asyncio
import logging

import httpx

from orangeweb.sandbox.callback_policy import CallbackRefused, CallbackTarget, resolve_target
from orangeweb.sandbox.models import Batch
from orangeweb.sandbox.runtime import SandboxRuntime

logger = logging.getLogger(__name__)


async def run(runtime: SandboxRuntime, batch_id: str) -> None:
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_id)
    if batch is None or batch.callback_status != "pending" or not batch.callback_url:
        return
    config = runtime.config
    payload = {"batchJobId": batch.id, "storyId": batch.story_id, "status": batch.status}
    outcome = "failed"
    # trust_env=False: a proxy from the environment would make the connection, not us, and
    # to whatever address it resolves; the checked address must be the one connected to.
    async with httpx.AsyncClient(
        timeout=config.callback_timeout_seconds, follow_redirects=False, trust_env=False
    ) as client:
        for attempt in range(config.callback_attempts):
            if attempt:
                await asyncio.sleep(config.callback_backoff_seconds * 2 ** (attempt - 1))
            try:
                target = await resolve_target(
                    batch.callback_url, allow_loopback=config.allow_loopback_callbacks
                )
            except CallbackRefused as refusal:
                logger.warning("batch %s callback not sent: %s", batch.id, refusal)
                outcome = "refused"
                break
            except OSError as error:  # the name does not resolve (now): try again later
                logger.info("batch %s callback try %d: %s", batch.id, attempt + 1, error)
                continue
            if await _post(client, target, payload, batch.id, attempt):
                outcome = "delivered"
                break
    _record(runtime, batch_id, outcome)


async def _post(
    client: httpx.AsyncClient,
    target: CallbackTarget,
    payload: dict[str, str],
    batch_id: str,
    attempt: int,
) -> bool:
    """One try at the pinned address; True when the receiver answered 2xx."""
    try:
        response = await client.post(
            target.url,
            json=payload,
            headers={"Host": target.host_header},
            # TLS names the original host: SNI and certificate checks are against it.
            extensions={"sni_hostname": target.server_name},
        )
    except httpx.HTTPError as error:
        logger.info("batch %s callback try %d: %s", batch_id, attempt + 1, type(error).__name__)
        return False
    if not response.is_success:
        logger.info(
            "batch %s callback try %d: HTTP %d", batch_id, attempt + 1, response.status_code
        )
    return response.is_success


async def fail(runtime: SandboxRuntime, batch_id: str, _message: str) -> None:
    _record(runtime, batch_id, "failed")


def _record(runtime: SandboxRuntime, batch_id: str, outcome: str) -> None:
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_id)
        if batch is not None:
            batch.callback_status = outcome
            session.add(batch)
            session.commit()
