"""Speaking rates learned from finished takes, and the estimates and words built on them."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone.models import VoiceStatus
from orangeweb.services import jobs
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs import speech_rates
from orangeweb.services.jobs.estimates import (
    DEFAULT_SECONDS_PER_CHAR,
    DIALOGUE_TURN_GAP_SECONDS,
    TYPICAL,
    SpeechRate,
    basis_words,
    estimate_voice,
    spoken_chars,
)
from orangeweb.services.jobs.kinds import voice as voice_kind

TEXT = "a" * 100  # 100 timed characters: a letter each, and the text's end (6)
CHARS = spoken_chars(TEXT)


def voice_job(owner: CurrentUser, key: int, text: str, character_ids: list[int]) -> Job:
    return Job(
        team_id=owner.team_id,
        created_by_id=owner.user_id,
        api_key_id=key,
        kind="dialogue" if len(character_ids) > 1 else "voice",
        status="processing",
        submission_key=f"k{len(text)}{character_ids}",
        title="t",
        request={"text": text, "character_ids": character_ids},
    )


def finished(seconds: float) -> VoiceStatus:
    return VoiceStatus.model_validate(
        {"jobId": "j", "status": "completed", "duration": seconds, "cost": 1}
    )


def test_timed_characters_count_letters_and_pauses() -> None:
    assert spoken_chars("   ") == 0
    assert spoken_chars("Hi there") == 7 + 6  # the end of the text is a sentence end
    assert spoken_chars("Hi, there.") == 7 + 7 + 6


def test_a_finished_take_teaches_its_character_once(
    session: Session, owner: CurrentUser, team_key: int, alex: int
) -> None:
    job = voice_job(owner, team_key, TEXT, [alex])
    session.add(job)
    session.commit()
    assert jobs.read_rates(session, owner.team_id) == {}
    voice_kind.apply(session, job, finished(CHARS * 0.08))
    voice_kind.apply(session, job, finished(CHARS * 0.08))  # polled again: not counted twice
    session.commit()
    rate = jobs.read_rates(session, owner.team_id)[alex]
    assert rate.takes == 1
    assert rate.seconds_per_char == pytest.approx(0.08)
    # A second take adds to the totals: the rate is seconds over characters of both.
    speech_rates.record_take(session, alex, CHARS, CHARS * 0.06)
    assert jobs.read_rates(session, owner.team_id)[alex] == SpeechRate(pytest.approx(0.07), 2)


def test_an_implausible_take_is_not_learned(
    session: Session, owner: CurrentUser, alex: int
) -> None:
    assert speech_rates.record_take(session, alex, 100, 0.2) is False  # near-empty audio
    assert speech_rates.record_take(session, alex, 100, 0.0) is False
    assert jobs.read_rates(session, owner.team_id) == {}


def test_a_dialogue_is_shared_among_its_voices_after_the_pauses(
    session: Session, owner: CurrentUser, team_key: int, alex: int, bea: int
) -> None:
    text = f"Speaker 1: {TEXT}\nSpeaker 2: {TEXT}"
    job = voice_job(owner, team_key, text, [alex, bea])
    job.status, job.succeeded, job.duration_s = "completed", True, 20.0
    assert speech_rates.learn_from_take(session, job) == 2
    rates = jobs.read_rates(session, owner.team_id)
    # Both typical so far: the speech (20 s less one pause) is split evenly.
    expected = (20.0 - DIALOGUE_TURN_GAP_SECONDS) / 2 / CHARS
    assert rates[alex].seconds_per_char == pytest.approx(expected)
    assert rates[bea] == SpeechRate(pytest.approx(expected), 1)


def test_the_estimate_uses_the_learned_rate_else_the_default() -> None:
    default = estimate_voice(TEXT, 1)
    assert default.seconds == pytest.approx(CHARS * DEFAULT_SECONDS_PER_CHAR)
    assert estimate_voice(TEXT, 1, [TYPICAL]) == default
    slow = estimate_voice(TEXT, 1, [SpeechRate(0.2, 3)])
    assert slow.seconds == pytest.approx(CHARS * 0.2)
    assert slow.credits == 3  # 21.2 s: three started 10 s blocks
    dialogue = estimate_voice(f"Speaker 1: {TEXT}\nSpeaker 2: {TEXT}", 2, [SpeechRate(0.2, 1)])
    typical_turn = CHARS * DEFAULT_SECONDS_PER_CHAR
    assert dialogue.seconds == pytest.approx(CHARS * 0.2 + typical_turn + 0.35)
    assert dialogue.credits == 2 * 3  # several voices: 2 credits per block


def test_the_estimate_says_what_it_is_based_on() -> None:
    nora = ("Nora", SpeechRate(0.07, 3))
    assert basis_words([nora]) == "from 3 takes of Nora"
    assert basis_words([("Nora", SpeechRate(0.07, 1))]) == "from 1 take of Nora"
    assert basis_words([("Nora", TYPICAL)]) == "first take of Nora: a typical rate"
    both = basis_words([nora, ("Sam", TYPICAL), ("Ada", TYPICAL), nora])
    assert both == "from 3 takes of Nora; first takes of Sam and Ada: a typical rate"
