"""`client.characters` against the sandbox: create, get, update, replace voice, delete, and
another key's character being NotFound."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from orangeweb.orangeclone import CharacterCreated, NotFound, OrangeClone
from tests.integration.sdk.conftest import ClientFactory
from tests.integration.sdk.helpers import ANALYSIS_RATE, download, file_bytes
from tests.support.media import decode_mono, rms
from tests.support.sandbox_server import SandboxServer


def _seconds(path: Path) -> float:
    return len(decode_mono(path)) / ANALYSIS_RATE


async def test_create_then_get_returns_the_stored_character(
    client: OrangeClone, voice_wav: Path, tmp_path: Path
) -> None:
    sample_seconds = _seconds(voice_wav)
    assert sample_seconds >= 3.0  # the documented minimum for a voice sample

    created = await client.characters.create("Alex Voice", "adventurer", voice_wav)
    assert isinstance(created, CharacterCreated)
    assert created.success is True  # sent as the string "true" (documented), read as a bool
    assert created.character_id

    character = await client.characters.get(created.character_id)
    assert character.id == created.character_id
    assert character.name == "Alex Voice"
    assert character.avatar_style == "adventurer"
    assert character.voice_duration == pytest.approx(sample_seconds, abs=0.1)
    assert character.created_at is not None
    assert abs(datetime.now(UTC) - character.created_at) < timedelta(minutes=5)

    # The voice URL serves the very sample that was uploaded.
    assert character.voice_url is not None
    stored = await download(character.voice_url, tmp_path / "stored.wav")
    assert file_bytes(stored) == file_bytes(voice_wav)


async def test_create_from_an_open_file_with_an_explicit_name(
    client: OrangeClone, other_voice_m4a: Path
) -> None:
    with other_voice_m4a.open("rb") as sample:
        sample.read(100)  # the SDK sends the file from its start regardless
        created = await client.characters.create(
            "Jordan", "pixel-art", sample, filename="jordan.m4a"
        )
        assert not sample.closed  # the caller's file is left open
    character = await client.characters.get(created.character_id)
    assert (character.name, character.avatar_style) == ("Jordan", "pixel-art")
    assert character.voice_duration == pytest.approx(_seconds(other_voice_m4a), abs=0.15)


async def test_update_name_and_avatar_style(client: OrangeClone, voice_wav: Path) -> None:
    created = await client.characters.create("Alex Voice", "adventurer", voice_wav)
    await client.characters.update(created.character_id, name="New Name", avatar_style="bottts")
    character = await client.characters.get(created.character_id)
    assert (character.name, character.avatar_style) == ("New Name", "bottts")

    # Only the fields given change.
    await client.characters.update(created.character_id, avatar_style="lorelei")
    character = await client.characters.get(created.character_id)
    assert (character.name, character.avatar_style) == ("New Name", "lorelei")


async def test_replace_voice_swaps_the_sample(
    client: OrangeClone, voice_wav: Path, other_voice_m4a: Path, tmp_path: Path
) -> None:
    created = await client.characters.create("Alex Voice", "adventurer", voice_wav)
    before = await client.characters.get(created.character_id)

    await client.characters.replace_voice(created.character_id, other_voice_m4a)

    after = await client.characters.get(created.character_id)
    assert after.voice_duration == pytest.approx(_seconds(other_voice_m4a), abs=0.15)
    assert after.voice_duration != pytest.approx(before.voice_duration, abs=0.15)
    assert after.voice_url is not None and after.voice_url != before.voice_url
    new_sample = await download(after.voice_url, tmp_path / "new.m4a")
    assert file_bytes(new_sample) == file_bytes(other_voice_m4a)
    assert rms(decode_mono(new_sample)) > 0.02
    # Metadata is untouched by a voice change.
    assert (after.name, after.avatar_style) == ("Alex Voice", "adventurer")


async def test_delete_makes_the_character_not_found(client: OrangeClone, voice_wav: Path) -> None:
    created = await client.characters.create("Alex Voice", "adventurer", voice_wav)
    await client.characters.delete(created.character_id)

    with pytest.raises(NotFound) as error:
        await client.characters.get(created.character_id)
    assert error.value.status_code == 404
    assert created.character_id in error.value.message
    with pytest.raises(NotFound):
        await client.characters.delete(created.character_id)  # gone: nothing to delete
    with pytest.raises(NotFound):
        await client.voices.clone("Hello there.", [created.character_id])


async def test_another_keys_character_is_not_found(
    sandbox: SandboxServer, client: OrangeClone, make_client: ClientFactory, voice_wav: Path
) -> None:
    created = await client.characters.create("Alex Voice", "adventurer", voice_wav)
    stranger = make_client(sandbox.issue_key(tier="enterprise", credits=500))

    with pytest.raises(NotFound) as error:
        await stranger.characters.get(created.character_id)
    assert error.value.status_code == 404
    with pytest.raises(NotFound):
        await stranger.characters.update(created.character_id, name="Hijacked")
    with pytest.raises(NotFound):
        await stranger.characters.replace_voice(created.character_id, voice_wav)
    with pytest.raises(NotFound):
        await stranger.characters.delete(created.character_id)
    with pytest.raises(NotFound):
        await stranger.voices.clone("Hello there.", [created.character_id])

    # The owner's character is untouched by all of that.
    character = await client.characters.get(created.character_id)
    assert character.name == "Alex Voice"
