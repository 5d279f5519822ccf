"""A stand-in dashboard server process for crash tests: the real job tracker (as the app's
lifespan runs it) and, in "submit" mode, a burst of real voice submissions at once, as many
people clicking together would make. It runs until it is killed.

    python -m tests.integration.jobs.submit_harness submit '{"count": 14, ...}'
    python -m tests.integration.jobs.submit_harness serve '{}'

Configuration comes from the environment like the app's (REFLEX_DB_URL, ORANGEWEB_DATA_DIR,
ORANGEWEB_SANDBOX_URL, ORANGEWEB_STALE_SUBMISSION_SECONDS); the JSON names the actor, key and
character of the submissions.
"""

from __future__ import annotations

import asyncio
import json
import logging
import sys
from typing import Any

from orangeweb.db import open_session
from orangeweb.models import Role
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.tracker.loop import tracker_lifespan

logger = logging.getLogger("submit_harness")


def submission_text(number: int) -> str:
    return f"Crash test line number {number}."


async def submit_one(actor: CurrentUser, key_id: int, character_id: int, number: int) -> None:
    with open_session() as session:
        view = await jobs.submit_voice(
            session,
            actor,
            key_id,
            submission_text(number),
            [character_id],
            submission_key=f"crash-{number}",
        )
    logger.info("submission %s: %s", number, view.status)


async def main(mode: str, options: dict[str, Any]) -> None:
    async with tracker_lifespan():
        if mode == "submit":
            actor = CurrentUser(**{**options["actor"], "role": Role(options["actor"]["role"])})
            await asyncio.gather(
                *(
                    submit_one(actor, options["key_id"], options["character_id"], number)
                    for number in range(options["count"])
                ),
                return_exceptions=True,
            )
        await asyncio.Event().wait()  # serve (track) until killed


if __name__ == "__main__":
    logging.basicConfig(level=logging.INFO, stream=sys.stderr, format="%(asctime)s %(message)s")
    asyncio.run(main(sys.argv[1], json.loads(sys.argv[2])))
