"""A take finished by the real sandbox teaches its character's speaking rate, and the next
estimate of that character is timed by it."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.db import open_session
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.estimates import spoken_chars

from .conftest import Key, StartTracker, all_final, job_rows, wait_until

TEXT = "The morning was quiet, and then the phone rang twice. Nobody answered it."


async def test_a_finished_take_updates_its_characters_rate(
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    enterprise_key: Key,
    alex: int,
    trackers: StartTracker,
) -> None:
    assert jobs.read_rates(session, owner.team_id) == {}
    view = await jobs.submit_voice(
        session, owner, enterprise_key.id, TEXT, [alex], submission_key="rate-1"
    )
    assert view.status == "queued", view.error
    await trackers()
    await wait_until(lambda: all_final(engine, [view.id]), 60, "the take")

    def learned() -> jobs.SpeechRate | None:
        with open_session() as fresh:
            return jobs.read_rates(fresh, owner.team_id).get(alex)

    rate = await wait_until(learned, 30, "the learned rate")
    (row,) = job_rows(engine, [view.id])
    assert row.succeeded and row.duration_s
    assert rate.takes == 1
    assert rate.seconds_per_char == pytest.approx(row.duration_s / spoken_chars(TEXT))
    # The next estimate of Alex is timed by what the take lasted.
    estimate = jobs.estimate_voice(TEXT, 1, [rate])
    assert estimate.seconds == pytest.approx(row.duration_s)
