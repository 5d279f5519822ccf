"""Every endpoint sends exactly the documented request, and reads the documented answer."""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import respx

from orangeweb.orangeclone import (
    BatchScene,
    OrangeClone,
    ScriptCharacter,
    SegmentEdit,
    VoiceAssignment,
)

from .fakes import API_KEY, json_body, multipart_fields

OK = {"success": True}


def assert_json_call(request: httpx.Request, method: str, path: str) -> None:
    assert request.method == method
    assert request.url.path == "/api" + path
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert request.headers["Content-Type"] == "application/json"


async def test_character_create_is_multipart_with_the_three_fields(
    api: respx.MockRouter, client: OrangeClone, tmp_path: Path
) -> None:
    sample = tmp_path / "alex.wav"
    sample.write_bytes(b"RIFF....WAVEfmt sample")
    route = api.post("/characters/create").respond(
        200, json={"success": "true", "characterId": "abc123xyz"}
    )

    created = await client.characters.create("Alex Voice", "adventurer", sample)

    assert created.character_id == "abc123xyz"
    assert created.success is True
    request = route.calls.last.request
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    fields = multipart_fields(request)
    assert set(fields) == {"name", "avatarStyle", "voiceFile"}
    assert fields["name"][2] == b"Alex Voice"
    assert fields["avatarStyle"][2] == b"adventurer"
    assert fields["voiceFile"] == ("alex.wav", "audio/wav", b"RIFF....WAVEfmt sample")


async def test_character_create_from_a_file_object_with_an_explicit_name(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.post("/characters/create").respond(200, json={"characterId": "c1"})
    voice = io.BytesIO(b"ID3 mp3 bytes")

    await client.characters.create("Jo", "bottts", voice, filename="jo.mp3")

    fields = multipart_fields(route.calls.last.request)
    assert fields["voiceFile"] == ("jo.mp3", "audio/mpeg", b"ID3 mp3 bytes")
    assert not voice.closed  # the caller's file stays the caller's


async def test_character_get_put_audio_delete(
    api: respx.MockRouter, client: OrangeClone, tmp_path: Path
) -> None:
    get = api.get("/characters/abc123xyz").respond(
        200,
        json={
            "success": True,
            "data": {
                "id": "abc123xyz",
                "name": "Alex",
                "avatarStyle": "bottts",
                "voiceUrl": "https://cdn.test/v.wav",
                "voiceDuration": 4.5,
                "createdAt": "2025-01-02T03:04:05Z",
            },
        },
    )
    put = api.put("/characters/abc123xyz").respond(200, json=OK)
    audio = api.post("/characters/abc123xyz/audio").respond(200, json=OK)
    delete = api.delete("/characters/delete").respond(200, json=OK)
    sample = tmp_path / "new.m4a"
    sample.write_bytes(b"m4a bytes")

    character = await client.characters.get("abc123xyz")
    await client.characters.update("abc123xyz", name="New Name", avatar_style="bottts")
    await client.characters.update("abc123xyz", avatar_style="micah")
    await client.characters.replace_voice("abc123xyz", sample)
    await client.characters.delete("abc123xyz")

    assert character.name == "Alex"
    assert character.avatar_style == "bottts"
    assert character.voice_duration == 4.5
    assert character.created_at is not None and character.created_at.year == 2025
    assert get.calls.last.request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert_json_call(put.calls[0].request, "PUT", "/characters/abc123xyz")
    assert json_body(put.calls[0].request) == {"name": "New Name", "avatarStyle": "bottts"}
    assert json_body(put.calls[1].request) == {"avatarStyle": "micah"}
    fields = multipart_fields(audio.calls.last.request)
    assert fields == {"voiceFile": ("new.m4a", "audio/mp4", b"m4a bytes")}
    assert_json_call(delete.calls.last.request, "DELETE", "/characters/delete")
    assert json_body(delete.calls.last.request) == {"characterId": "abc123xyz"}


async def test_ids_are_percent_encoded_into_one_path_segment(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.get(url__regex=r".*/voices/.*").respond(200, json={"data": {"status": "queued"}})

    await client.voices.status("../characters/x y")

    assert route.calls.last.request.url.raw_path == b"/api/voices/..%2Fcharacters%2Fx%20y"


async def test_voices_clone_and_status(api: respx.MockRouter, client: OrangeClone) -> None:
    clone = api.post("/voices_clone").respond(
        200,
        json={
            "success": True,
            "data": {
                "jobId": "job_xyz789",
                "status": "queued",
                "speakerCount": 2,
                "estimatedCost": 2,
            },
        },
    )
    status = api.get("/voices/job_xyz789").respond(
        200,
        json={
            "success": True,
            "data": {
                "status": "completed",
                "audioUrl": "https://cdn.test/a.mp3",
                "duration": 12.5,
                "cost": 4,
                "createdAt": 1735787045,
                "completedAt": "2025-01-02T03:05:00+00:00",
            },
        },
    )
    text = "Speaker 1: Hello, how are you?\nSpeaker 2: Great, thanks!"

    job = await client.voices.clone(text, ["char_abc123", "char_def456"])
    result = await client.voices.status(job.job_id)

    assert_json_call(clone.calls.last.request, "POST", "/voices_clone")
    assert json_body(clone.calls.last.request) == {
        "text": text,
        "character_ids": ["char_abc123", "char_def456"],
    }
    assert (job.job_id, job.status, job.speaker_count, job.estimated_cost) == (
        "job_xyz789",
        "queued",
        2,
        2.0,
    )
    assert status.calls.last.request.method == "GET"
    assert result.succeeded and result.is_final
    assert result.audio_url == "https://cdn.test/a.mp3"
    assert (result.duration, result.cost) == (12.5, 4.0)
    assert result.created_at is not None and result.created_at.year == 2025
    assert result.completed_at is not None and result.completed_at.minute == 5


async def test_batch_create_and_status(api: respx.MockRouter, client: OrangeClone) -> None:
    create = api.post("/batch_tts").respond(
        200, json={"success": True, "data": {"batchJobId": "abc-123-xyz", "status": "queued"}}
    )
    status = api.get("/batch_tts_status").respond(
        200,
        json={
            "status": "partial",
            "scenes": [
                {"sceneIndex": 0, "status": "completed", "audioUrl": "https://cdn.test/0.mp3"},
                {"sceneIndex": 1, "status": "failed", "error": "voice sample unusable"},
            ],
        },
    )

    batch = await client.batch.create(
        "story_123",
        [
            BatchScene(text="Welcome to our story!", character_id="char_1"),
            {"index": 1, "text": "Today we explore the ocean.", "characterId": "char_2"},
        ],
        callback_url="https://dash.test/hooks/batch",
    )
    result = await client.batch.status(batch.batch_job_id)

    assert_json_call(create.calls.last.request, "POST", "/batch_tts")
    assert json_body(create.calls.last.request) == {
        "storyId": "story_123",
        "scenes": [
            {"index": 0, "text": "Welcome to our story!", "characterId": "char_1"},
            {"index": 1, "text": "Today we explore the ocean.", "characterId": "char_2"},
        ],
        "callbackUrl": "https://dash.test/hooks/batch",
    }
    assert batch.batch_job_id == "abc-123-xyz"
    request = status.calls.last.request
    assert request.url.params["batchJobId"] == "abc-123-xyz"
    assert request.headers["Authorization"] == f"Bearer {API_KEY}"
    assert result.is_final and not result.succeeded and not result.failed
    assert [scene.scene_index for scene in result.scenes] == [0, 1]
    assert result.scenes[1].failed and result.scenes[1].error == "voice sample unusable"


async def test_batch_create_without_callback_sends_no_callback_key(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    create = api.post("/batch_tts").respond(200, json={"data": {"batchJobId": "b1"}})

    await client.batch.create("s", [{"text": "Hi", "character_id": "c"}])

    assert json_body(create.calls.last.request) == {
        "storyId": "s",
        "scenes": [{"index": 0, "text": "Hi", "characterId": "c"}],
    }


async def test_scripts_generate(api: respx.MockRouter, client: OrangeClone) -> None:
    route = api.post("/scripts_generate").respond(
        200, json={"script": "Speaker 1: Hi\nSpeaker 2: Hello", "generationId": "gen_1"}
    )

    script = await client.scripts.generate(
        "dialogue",
        "A tech podcast discussing the future of AI",
        [ScriptCharacter(id="1", name="Alex"), {"id": "2", "name": "Jordan"}],
        template="podcast_intro",
        tone="Professional",
        length="Medium (1-2m)",
    )

    assert_json_call(route.calls.last.request, "POST", "/scripts_generate")
    assert json_body(route.calls.last.request) == {
        "mode": "dialogue",
        "template": "podcast_intro",
        "context": "A tech podcast discussing the future of AI",
        "characters": [{"id": "1", "name": "Alex"}, {"id": "2", "name": "Jordan"}],
        "tone": "Professional",
        "length": "Medium (1-2m)",
    }
    assert (script.script, script.generation_id) == ("Speaker 1: Hi\nSpeaker 2: Hello", "gen_1")


async def test_scripts_generate_sends_only_given_optionals(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.post("/scripts_generate").respond(200, json={"script": "Hi."})

    await client.scripts.generate("single", "An ad", [{"id": "1", "name": "Alex"}])

    assert json_body(route.calls.last.request) == {
        "mode": "single",
        "context": "An ad",
        "characters": [{"id": "1", "name": "Alex"}],
    }


async def test_dubbing_pipeline_calls(api: respx.MockRouter, client: OrangeClone) -> None:
    upload_url = api.post("/dubbing_transcribe", params={"action": "get_upload_url"}).respond(
        200, json={"data": {"uploadUrl": "https://storage.test/u?sig=1", "mediaPath": "m/1.mp4"}}
    )
    transcribe = api.post("/dubbing_transcribe", params={}).respond(
        200, json={"success": True, "data": {"jobId": "dub_1"}}
    )
    translate = api.post("/dubbing_translate").respond(200, json=OK)
    segments = api.post("/dubbing_segments").respond(200, json=OK)
    settings = api.put("/dubbing/dub_1").respond(200, json=OK)
    clone = api.post("/dubbing_clone").respond(
        200, json={"success": True, "data": {"status": "cloning"}}
    )
    status = api.get("/dubbing/dub_1").respond(
        200, json={"data": {"status": "completed", "dubbedUrl": "https://cdn.test/d.mp4"}}
    )

    target = await client.dubbing.get_upload_url("video.mp4", "video/mp4")
    job = await client.dubbing.transcribe(target.media_path, "video", 120, 50)
    await client.dubbing.translate(job.job_id, "es")
    await client.dubbing.translate_segments(job.job_id, "fr", ["seg_1", "seg_3"])
    await client.dubbing.update_segments(
        job.job_id,
        [
            SegmentEdit(id="seg_1", translated_text="Hola"),
            {"id": "seg_2", "speakerId": "speaker_2"},
            {"id": "seg_3", "text": "Hello there", "translated_text": "Bonjour"},
        ],
    )
    await client.dubbing.update_settings(
        job.job_id,
        "es",
        True,
        {
            "speaker_1": VoiceAssignment.character("abc123xyz"),
            "speaker_2": {"type": "original"},
        },
    )
    step = await client.dubbing.clone(job.job_id)
    final = await client.dubbing.status(job.job_id)

    request = upload_url.calls.last.request
    assert_json_call(request, "POST", "/dubbing_transcribe")
    assert request.url.query == b"action=get_upload_url"
    assert json_body(request) == {"fileName": "video.mp4", "contentType": "video/mp4"}
    assert target.media_path == "m/1.mp4"
    request = transcribe.calls.last.request
    assert_json_call(request, "POST", "/dubbing_transcribe")
    assert request.url.query == b""
    assert json_body(request) == {
        "mediaPath": "m/1.mp4",
        "mediaType": "video",
        "duration": 120,
        "fileSizeMB": 50,
    }
    assert_json_call(translate.calls.last.request, "POST", "/dubbing_translate")
    assert json_body(translate.calls.last.request) == {"jobId": "dub_1", "targetLanguage": "es"}
    assert json_body(segments.calls[0].request) == {
        "jobId": "dub_1",
        "targetLanguage": "fr",
        "segmentIds": ["seg_1", "seg_3"],
    }
    assert json_body(segments.calls[1].request) == {
        "jobId": "dub_1",
        "segments": [
            {"id": "seg_1", "translatedText": "Hola"},
            {"id": "seg_2", "speakerId": "speaker_2"},
            {"id": "seg_3", "text": "Hello there", "translatedText": "Bonjour"},
        ],
    }
    assert_json_call(settings.calls.last.request, "PUT", "/dubbing/dub_1")
    assert json_body(settings.calls.last.request) == {
        "targetLanguage": "es",
        "translateAll": True,
        "voiceMapping": {
            "speaker_1": {"type": "character", "characterId": "abc123xyz"},
            "speaker_2": {"type": "original"},
        },
    }
    assert_json_call(clone.calls.last.request, "POST", "/dubbing_clone")
    assert json_body(clone.calls.last.request) == {"jobId": "dub_1"}
    assert step.status == "cloning"
    assert status.calls.last.request.method == "GET"
    assert final.succeeded and final.dubbed_url == "https://cdn.test/d.mp4"


async def test_dubbing_settings_keep_original_language(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    settings = api.put("/dubbing/dub_1").respond(200)  # an empty 200 is a success too

    await client.dubbing.update_settings(
        "dub_1", "", False, {"speaker_1": VoiceAssignment.original()}
    )

    assert json_body(settings.calls.last.request) == {
        "targetLanguage": "",
        "translateAll": False,
        "voiceMapping": {"speaker_1": {"type": "original"}},
    }


async def test_get_requests_carry_no_body_or_content_type(
    api: respx.MockRouter, client: OrangeClone
) -> None:
    route = api.get("/dubbing/d").respond(200, json={"data": {"status": "transcribing"}})

    await client.dubbing.status("d")

    request = route.calls.last.request
    assert request.content == b""
    assert "Content-Type" not in request.headers
