"""Tolerant reading: documented shapes and the plausible variants the CONTRACT lists."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
import respx

from orangeweb.orangeclone import (
    BatchStatus,
    DubbingStatus,
    OrangeClone,
    UnexpectedResponse,
    VoiceStatus,
)

CHARACTER = {"id": "abc", "name": "Alex", "avatarStyle": "micah", "futureField": [1, 2]}


@pytest.mark.parametrize("success", [True, "true", "TRUE", None])
async def test_character_create_accepts_success_as_bool_or_string(
    api: respx.MockRouter, client: OrangeClone, success: object
) -> None:
    body: dict[str, Any] = {"characterId": "abc"}
    if success is not None:
        body["success"] = success
    api.post("/characters/create").respond(200, json=body)

    created = await client.characters.create("Alex", "micah", io.BytesIO(b"RIFF"))

    assert created.character_id == "abc"


@pytest.mark.parametrize(
    "body",
    [
        {"success": True, "data": CHARACTER},
        {"success": True, "character": CHARACTER},
        {"success": True, **CHARACTER},
        {"data": {"character": CHARACTER}},
        {"success": True, "data": {k: v for k, v in CHARACTER.items() if k != "id"}},
        {"success": True, "data": {"id": "abc", "name": "Alex", "avatar_style": "micah"}},
    ],
    ids=["data", "character", "top-level", "data.character", "no-id", "snake_case"],
)
async def test_character_get_finds_the_object_wherever_it_is(
    api: respx.MockRouter, client: OrangeClone, body: dict[str, Any]
) -> None:
    api.get("/characters/abc").respond(200, json=body)

    character = await client.characters.get("abc")

    assert (character.id, character.name, character.avatar_style) == ("abc", "Alex", "micah")


@pytest.mark.parametrize(
    "body",
    [
        {"success": True, "data": {"status": "processing"}},
        {"status": "processing"},
        {"success": "true", "data": {"status": "processing", "somethingNew": {"x": 1}}},
    ],
)
async def test_status_calls_read_with_or_without_the_data_wrapper(
    api: respx.MockRouter, client: OrangeClone, body: dict[str, Any]
) -> None:
    api.get("/voices/j").respond(200, json=body)
    api.get("/dubbing/j").respond(200, json=body)
    api.get("/batch_tts_status").respond(200, json=body)

    for result in (
        await client.voices.status("j"),
        await client.dubbing.status("j"),
        await client.batch.status("j"),
    ):
        assert result.status == "processing"
        assert not result.is_final


@pytest.mark.parametrize("status", ["exploded", "done", "success", "complete", "", "42"])
def test_unknown_statuses_are_kept_and_never_count_as_success(status: str) -> None:
    for model in (VoiceStatus, BatchStatus, DubbingStatus):
        result = model.model_validate({"status": status})
        assert result.status == status
        assert not result.succeeded
        assert not result.is_final
        assert not result.is_known


def test_known_statuses_are_read_case_insensitively() -> None:
    assert VoiceStatus.model_validate({"status": "COMPLETED"}).succeeded
    assert VoiceStatus.model_validate({"status": " failed "}).failed
    assert BatchStatus.model_validate({"status": "partial"}).is_final
    assert not BatchStatus.model_validate({"status": "partial"}).succeeded
    transcribed = DubbingStatus.model_validate({"status": "transcribed"})
    assert transcribed.awaiting_input and transcribed.is_known and not transcribed.is_final


def test_a_numeric_status_is_read_as_text() -> None:
    assert VoiceStatus.model_validate({"status": 3}).status == "3"


def test_dubbing_status_reads_the_assumed_review_fields() -> None:
    result = DubbingStatus.model_validate(
        {
            "status": "transcribed",
            "speakers": [
                {"id": "speaker_1", "label": "Speaker 1", "segmentCount": 2},
                {"id": "speaker_2", "label": "Speaker 2", "segmentCount": "1"},
            ],
            "segments": [
                {"id": "s1", "speakerId": "speaker_1", "start": 0, "end": 2.5, "text": "Hi"},
                {"id": 2, "speakerId": "speaker_2", "start": "2.5", "end": 4, "text": "Yo"},
                {"speakerId": "speaker_1", "text": "no id: dropped"},
                "garbage",
                {
                    "id": "s3",
                    "speakerId": "speaker_1",
                    "start": 4,
                    "end": 6,
                    "text": "Bye",
                    "translatedText": "Adiós",
                },
            ],
            "sourceLanguage": "en",
            "targetLanguage": "es",
            "duration": "6.0",
            "mediaType": "video",
        }
    )

    assert [(s.id, s.segment_count) for s in result.speakers] == [
        ("speaker_1", 2),
        ("speaker_2", 1),
    ]
    assert [s.id for s in result.segments] == ["s1", "2", "s3"]
    assert result.segments[1].start == 2.5
    assert result.segments[2].translated_text == "Adiós"
    assert (result.source_language, result.target_language) == ("en", "es")
    assert (result.duration, result.media_type) == (6.0, "video")


@pytest.mark.parametrize("segments", [None, "nope", {"a": 1}, 7])
def test_dubbing_lists_of_the_wrong_type_read_as_empty(segments: object) -> None:
    result = DubbingStatus.model_validate({"status": "cloning", "segments": segments})

    assert result.segments == [] and result.speakers == []


def test_error_fields_accept_an_error_object() -> None:
    result = VoiceStatus.model_validate({"status": "failed", "error": {"message": "TTS crashed"}})

    assert result.error == "TTS crashed"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2025-01-02T03:04:05Z", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("2025-01-02T03:04:05", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        (1735787045, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        (1735787045000, datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("1735787045", datetime(2025, 1, 2, 3, 4, 5, tzinfo=UTC)),
        ("yesterday", None),
        ({"seconds": 1}, None),
        (True, None),
    ],
)
def test_timestamps_are_read_leniently(value: object, expected: datetime | None) -> None:
    assert VoiceStatus.model_validate({"status": "completed", "createdAt": value}).created_at == (
        expected
    )


def test_numbers_that_are_not_numbers_become_none() -> None:
    result = VoiceStatus.model_validate(
        {"status": "completed", "duration": "long", "cost": float("nan")}
    )

    assert result.duration is None and result.cost is None


def test_batch_scenes_that_do_not_validate_are_dropped() -> None:
    result = BatchStatus.model_validate(
        {
            "status": "processing",
            "scenes": [
                {"sceneIndex": 0, "status": "completed", "audioUrl": "https://cdn.test/0.mp3"},
                {"status": "queued"},
                {"sceneIndex": "1", "status": "queued"},
            ],
        }
    )

    assert [scene.scene_index for scene in result.scenes] == [0, 1]


async def test_batch_status_with_a_data_wrapper(api: respx.MockRouter, client: OrangeClone) -> None:
    api.get("/batch_tts_status").respond(
        200, json={"success": True, "data": {"status": "completed", "scenes": []}}
    )

    assert (await client.batch.status("b")).succeeded


async def test_a_script_under_data_is_found(api: respx.MockRouter, client: OrangeClone) -> None:
    api.post("/scripts_generate").respond(
        200, json={"data": {"script": "Hello", "generationId": 7}}
    )

    script = await client.scripts.generate("single", "ctx", [{"id": "1", "name": "A"}])

    assert (script.script, script.generation_id) == ("Hello", "7")


async def test_a_status_without_status_is_unexpected(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    api.get("/voices/j").respond(200, json={"data": {"audioUrl": "x"}})

    with pytest.raises(UnexpectedResponse, match="status"):
        await client.voices.status("j")
