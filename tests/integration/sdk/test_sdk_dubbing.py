"""`client.dubbing` against the sandbox, the whole pipeline on a two-speaker video:
get_upload_url -> upload -> transcribe -> update_segments -> translate -> translate_segments
-> update_settings -> clone -> completed, then the dubbed file checked with PyAV."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from orangeweb.orangeclone import (
    DubbingJob,
    OrangeClone,
    SegmentEdit,
    UploadTarget,
    VoiceAssignment,
)
from tests.integration.sdk.helpers import (
    audio_codec,
    container_seconds,
    correlation,
    download,
    file_size,
    size_mb,
    video_digest,
    wait_dubbing,
)
from tests.support.media import decode_mono
from tests.support.sandbox_server import SandboxServer

CHUNK = 64 * 1024


async def _upload_and_transcribe(
    client: OrangeClone, media: Path
) -> tuple[str, list[tuple[int, int]]]:
    target = await client.dubbing.get_upload_url(media.name, "video/mp4")
    assert isinstance(target, UploadTarget)
    assert target.media_path and target.upload_url.startswith("http")
    progress: list[tuple[int, int]] = []
    await client.dubbing.upload(
        target.upload_url,
        media,
        "video/mp4",
        lambda sent, total: progress.append((sent, total)),
        chunk_size=CHUNK,
    )
    job = await client.dubbing.transcribe(
        target.media_path, "video", container_seconds(media), size_mb(media)
    )
    assert isinstance(job, DubbingJob) and job.job_id
    return job.job_id, progress


async def test_full_dubbing_pipeline_keeps_the_video_and_changes_one_voice(
    sandbox: SandboxServer,
    key: str,
    client: OrangeClone,
    voice_wav: Path,
    two_speaker_video: Path,
    tmp_path: Path,
) -> None:
    alex = await client.characters.create("Alex", "adventurer", voice_wav)
    size = file_size(two_speaker_video)
    job_id, progress = await _upload_and_transcribe(client, two_speaker_video)

    # Streamed in chunks, the progress callback running from 0 up to the file size.
    assert progress[0] == (0, size) and progress[-1] == (size, size)
    assert len(progress) == math.ceil(size / CHUNK) + 1
    assert [sent for sent, _ in progress] == sorted(sent for sent, _ in progress)

    status = await wait_dubbing(client, job_id, "transcribed")
    assert status.status == "transcribed" and status.awaiting_input, status
    assert status.media_type == "video" and status.source_language == "en"
    assert status.duration is not None
    assert status.duration == pytest.approx(container_seconds(two_speaker_video), abs=0.1)
    assert [speaker.id for speaker in status.speakers] == ["speaker_1", "speaker_2"]
    segments = status.segments
    assert len(segments) >= 4
    for speaker in status.speakers:
        owned = [segment for segment in segments if segment.speaker_id == speaker.id]
        assert speaker.segment_count == len(owned) >= 1
    for segment in segments:
        assert segment.start is not None and segment.end is not None
        assert 0 <= segment.start < segment.end <= status.duration + 0.1
        assert segment.translated_text is None

    # Fix the transcript of the first segment, then translate everything to Spanish.
    first, second = segments[0], segments[1]
    await client.dubbing.update_segments(
        job_id, [SegmentEdit(id=first.id, text="Good morning everyone.")]
    )
    edited = await client.dubbing.status(job_id)
    assert edited.segments[0].text == "Good morning everyone."
    assert edited.status == "transcribed"

    await client.dubbing.translate(job_id, "es")
    status = await wait_dubbing(client, job_id, "translated")
    assert status.status == "translated" and status.target_language == "es", status
    translations = {segment.id: segment.translated_text for segment in status.segments}
    assert all(translations.values()), translations
    # The sandbox's pseudo-translation tags the (edited) source text.
    assert "Good morning everyone." in (translations[first.id] or "")
    assert translations[first.id] != "Good morning everyone."

    # Edit the second segment's transcript, then re-translate only that segment.
    await client.dubbing.update_segments(job_id, [{"id": second.id, "text": "Thank you all."}])
    await client.dubbing.translate_segments(job_id, "es", [second.id])
    status = await wait_dubbing(client, job_id, "translated")
    assert status.status == "translated"
    retranslated = {segment.id: segment.translated_text for segment in status.segments}
    assert "Thank you all." in (retranslated[second.id] or "")
    assert {k: v for k, v in retranslated.items() if k != second.id} == {
        k: v for k, v in translations.items() if k != second.id
    }

    # speaker_1 gets the character's voice, speaker_2 keeps the original.
    await client.dubbing.update_settings(
        job_id,
        "es",
        True,
        {
            "speaker_1": VoiceAssignment.character(alex.character_id),
            "speaker_2": VoiceAssignment.original(),
        },
    )
    clone = await client.dubbing.clone(job_id)
    assert clone.job_id == job_id and clone.status == "cloning"
    status = await wait_dubbing(client, job_id, "completed")
    assert status.status == "completed" and status.succeeded, status
    assert status.dubbed_url is not None and status.error is None
    expected_cost = math.ceil(container_seconds(two_speaker_video) / 10)
    assert sandbox.credits(key) == 500 - expected_cost

    dubbed = await download(status.dubbed_url, tmp_path / "dubbed.mp4")
    # The video stream is copied untouched: same codec, same size, the same packets.
    original_video, dubbed_video = video_digest(two_speaker_video), video_digest(dubbed)
    assert (dubbed_video.codec, dubbed_video.width, dubbed_video.height) == (
        original_video.codec,
        original_video.width,
        original_video.height,
    )
    assert dubbed_video.packet_hashes == original_video.packet_hashes
    assert container_seconds(dubbed) == pytest.approx(container_seconds(two_speaker_video), abs=0.1)
    assert audio_codec(dubbed) == "aac"

    # The audio changed where speaker_1 talks, and kept speaker_2's original voice.
    before, after = decode_mono(two_speaker_video), decode_mono(dubbed)
    length = min(len(before), len(after))
    assert abs(len(before) - len(after)) < 16_000 * 0.1
    before, after = before[:length], after[:length]
    for segment in status.segments:
        assert segment.start is not None and segment.end is not None
        similarity = correlation(before, after, segment.start, segment.end)
        if segment.speaker_id == "speaker_1":
            assert similarity < 0.6, (segment, similarity)
        else:
            assert similarity > 0.9, (segment, similarity)


async def test_failed_dubbing_clone_reports_its_error(
    sandbox: SandboxServer, key: str, client: OrangeClone, voice_wav: Path, tone_video: Path
) -> None:
    alex = await client.characters.create("Alex", "adventurer", voice_wav)
    job_id, _ = await _upload_and_transcribe(client, tone_video)
    status = await wait_dubbing(client, job_id, "transcribed")
    assert status.status == "transcribed" and status.speakers and status.segments, status
    mapping = {s.id: VoiceAssignment.character(alex.character_id) for s in status.speakers}
    await client.dubbing.update_settings(job_id, "", False, mapping)

    sandbox.fail_next_jobs(1, message="dubbing engine crashed", key=key)
    await client.dubbing.clone(job_id)
    status = await wait_dubbing(client, job_id, "completed")

    assert status.status == "failed" and status.failed and status.is_final
    assert status.error == "dubbing engine crashed"
    assert status.dubbed_url is None
    assert sandbox.credits(key) == 500  # the clone's hold was refunded
