"""`client.scripts` against the sandbox: single and dialogue scripts (1 credit each); the
dialogue parses into `Speaker N` lines and can be voiced as it is."""

from __future__ import annotations

from pathlib import Path

from orangeweb.orangeclone import GeneratedScript, OrangeClone, ScriptCharacter
from orangeweb.orangeclone.dialogue import parse_dialogue
from tests.integration.sdk.conftest import AlexAndJordan
from tests.integration.sdk.helpers import download, wait_voice
from tests.support.media import decode_mono, rms
from tests.support.sandbox_server import SandboxServer


async def test_single_script(sandbox: SandboxServer, key: str, client: OrangeClone) -> None:
    script = await client.scripts.generate(
        "single",
        "A short advert for a neighbourhood coffee shop",
        [ScriptCharacter(id="1", name="Alex")],
        template="youtube_ad",
        tone="Casual",
        length="Short (<30s)",
    )
    assert isinstance(script, GeneratedScript)
    assert script.generation_id
    assert len(script.script.split()) >= 10
    assert "Alex" in script.script
    assert "Speaker 1:" not in script.script  # a monologue has no speaker prefixes
    assert sandbox.credits(key) == 499  # documented: 1 credit


async def test_dialogue_script_parses_into_speaker_lines_and_can_be_voiced(
    sandbox: SandboxServer,
    key: str,
    client: OrangeClone,
    alex_and_jordan: AlexAndJordan,
    tmp_path: Path,
) -> None:
    script = await client.scripts.generate(
        "dialogue",
        "A tech podcast discussing the future of AI",
        [{"id": "1", "name": "Alex"}, {"id": "2", "name": "Jordan"}],
        template="podcast_intro",
        tone="Professional",
        length="Short (<30s)",
    )
    assert script.generation_id
    dialogue = parse_dialogue(script.script, character_count=2)
    assert dialogue.ok, dialogue.problems
    assert dialogue.speakers == (1, 2)
    assert len(dialogue.lines) >= 2
    assert all(line.text.strip() for line in dialogue.lines)
    assert [line.speaker for line in dialogue.lines[:2]] == [1, 2]
    assert sandbox.credits(key) == 499

    # "Ready for /voices_clone": the script is voiced as generated.
    alex, jordan = alex_and_jordan
    job = await client.voices.clone(script.script, [alex.character_id, jordan.character_id])
    assert job.speaker_count == 2
    status = await wait_voice(client, job.job_id)
    assert status.status == "completed", status
    assert status.audio_url is not None
    audio = decode_mono(await download(status.audio_url, tmp_path / "podcast.mp3"))
    assert rms(audio) > 0.02
    words = sum(len(line.text.split()) for line in dialogue.lines)
    assert words * 60 / 300 <= len(audio) / 16_000 <= words * 60 / 100 + 2
