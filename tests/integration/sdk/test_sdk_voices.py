"""`client.voices` against the sandbox: single voice and dialogue jobs polled to `completed`,
their audio downloaded and checked, and the failed path."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from orangeweb.orangeclone import OrangeClone, VoiceJob
from orangeweb.orangeclone.dialogue import parse_dialogue
from tests.integration.sdk.conftest import AlexAndJordan
from tests.integration.sdk.helpers import assert_real_speech, download, wait_voice
from tests.support.sandbox_server import SandboxServer

SINGLE_TEXT = "The quick brown fox jumps over the lazy dog near the river bank today."
DIALOGUE_LINES = [
    "Hello, how are you?",
    "I'm doing great, thanks for asking!",
    "That's wonderful to hear.",
]
DIALOGUE_TEXT = "\n".join(
    f"Speaker {speaker}: {line}" for speaker, line in zip((1, 2, 1), DIALOGUE_LINES, strict=True)
)


async def test_single_voice_job_completes_with_real_audio(
    sandbox: SandboxServer, key: str, client: OrangeClone, voice_wav: Path, tmp_path: Path
) -> None:
    alex = await client.characters.create("Alex Voice", "adventurer", voice_wav)

    job = await client.voices.clone(SINGLE_TEXT, [alex.character_id])
    assert isinstance(job, VoiceJob)
    assert job.status == "queued" and job.speaker_count == 1
    assert job.estimated_cost is not None and job.estimated_cost >= 1

    status = await wait_voice(client, job.job_id)
    assert status.status == "completed" and status.succeeded, status
    assert status.error is None and status.audio_url is not None
    assert status.completed_at is not None and status.created_at is not None
    assert status.completed_at >= status.created_at

    audio = await download(status.audio_url, tmp_path / "single.mp3")
    assert_real_speech(audio, [SINGLE_TEXT], status.duration)
    # Documented price: 1 credit per started 10 s for one speaker, charged to the key.
    assert status.duration is not None
    assert status.cost == math.ceil(status.duration / 10)
    assert sandbox.credits(key) == 500 - status.cost


async def test_dialogue_job_completes_with_both_speakers(
    sandbox: SandboxServer,
    key: str,
    client: OrangeClone,
    alex_and_jordan: AlexAndJordan,
    tmp_path: Path,
) -> None:
    alex, jordan = alex_and_jordan

    job = await client.voices.clone(DIALOGUE_TEXT, [alex.character_id, jordan.character_id])
    assert job.status == "queued" and job.speaker_count == 2
    assert job.estimated_cost is not None and job.estimated_cost % 2 == 0  # 2 per 10 s

    status = await wait_voice(client, job.job_id)
    assert status.status == "completed", status
    assert status.audio_url is not None
    audio = await download(status.audio_url, tmp_path / "dialogue.mp3")
    assert_real_speech(audio, DIALOGUE_LINES, status.duration)
    assert status.duration is not None
    assert status.cost == 2 * math.ceil(status.duration / 10)
    assert sandbox.credits(key) == 500 - status.cost


async def test_failed_voice_job_reports_its_error_and_is_not_charged(
    sandbox: SandboxServer, key: str, client: OrangeClone, voice_wav: Path
) -> None:
    alex = await client.characters.create("Alex", "adventurer", voice_wav)
    sandbox.fail_next_jobs(1, message="voice engine crashed", key=key)

    job = await client.voices.clone(SINGLE_TEXT, [alex.character_id])
    status = await wait_voice(client, job.job_id)

    assert status.status == "failed" and status.failed and status.is_final
    assert not status.succeeded
    assert status.error == "voice engine crashed"
    assert status.audio_url is None
    assert sandbox.credits(key) == 500  # the hold was refunded


@pytest.mark.parametrize(
    "text",
    [
        # The SDK reads "Speaker2:" as a turn of Speaker 2 (dialogue.py: "optional spaces");
        # the sandbox needs a space, so it voices one speaker saying "Speaker2: ..." aloud.
        "Speaker 1: Hello there.\nSpeaker2: Hi, nice to meet you.",
        # A full-width digit: the SDK deliberately reads ASCII digits only ("not a prefix the
        # server would read"), but the sandbox's `\d` matches it and makes it Speaker 2.
        "Speaker 1: Hello there.\nSpeaker \uff12: Hi, nice to meet you.",
    ],
    ids=["no-space-prefix", "fullwidth-digit"],
)
async def test_sdk_and_server_agree_on_who_speaks(
    client: OrangeClone, alex_and_jordan: AlexAndJordan, text: str
) -> None:
    """The SDK validates dialogue and estimates its price (1 vs 2 credits per 10 s) from its
    own parse; the server voices the text by its parse. They must see the same speakers."""
    alex, jordan = alex_and_jordan
    sdk_speakers = parse_dialogue(text).speakers

    job = await client.voices.clone(text, [alex.character_id, jordan.character_id])
    await wait_voice(client, job.job_id)

    assert job.speaker_count == len(sdk_speakers), (
        f"the SDK reads speakers {sdk_speakers} in {text!r}; "
        f"the server made a {job.speaker_count}-speaker job"
    )
