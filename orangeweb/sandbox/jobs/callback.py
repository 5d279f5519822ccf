"""The batch callback (assumed): POST `{"batchJobId", "storyId", "status"}` to callbackUrl.

Three tries with doubling backoff and a short timeout; any 2xx is delivery. The receiver is
expected to re-fetch the status rather than trust the body (CONTRACT.md).
"""

from __future__ import annotations

import asyncio
import logging

import httpx

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
    delivered = False
    async with httpx.AsyncClient(
        timeout=config.callback_timeout_seconds, follow_redirects=False
    ) as client:
        for attempt in range(config.callback_attempts):
            if attempt:
                await asyncio.sleep(config.callback_backoff_seconds * 2 ** (attempt - 1))
            try:
                response = await client.post(batch.callback_url, json=payload)
            except httpx.HTTPError as error:
                logger.info("batch %s callback try %d: %s", batch.id, attempt + 1, type(error))
                continue
            if response.is_success:
                delivered = True
                break
            logger.info(
                "batch %s callback try %d: HTTP %d", batch.id, attempt + 1, response.status_code
            )
    _record(runtime, batch_id, "delivered" if delivered else "failed")


async def fail(runtime: SandboxRuntime, batch_id: str, _message: str) -> None:
    _record(runtime, batch_id, "failed")


def _record(runtime: SandboxRuntime, batch_id: str, outcome: str) -> None:
    with runtime.store.session() as session:
        batch = session.get(Batch, batch_id)
        if batch is not None:
            batch.callback_status = outcome
            session.add(batch)
            session.commit()
