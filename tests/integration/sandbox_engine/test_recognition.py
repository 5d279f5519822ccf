"""Recognition with the real PocketSphinx model: the pool of decoder processes gives exactly
the words of one decoder in this process, only the speech regions are decoded, a killed
worker costs no words, and the sandbox uses the pool with the tuned settings."""

from __future__ import annotations

import os
import signal
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

from orangeweb.sandbox.engine import Transcript, transcribe
from orangeweb.sandbox.engine.ffmpeg import encode_samples
from orangeweb.sandbox.engine.media import ANALYSIS_RATE
from orangeweb.sandbox.engine.recognition import (
    FAST_SETTINGS,
    ParallelRecognizer,
    Recognizer,
    SequentialRecognizer,
    cpu_count,
)
from orangeweb.sandbox.engine.speech import sample_rate
from orangeweb.sandbox.engine.transcription import default_recognizer, legacy_recognizer
from tests.support.media import decode_mono, make_speech, rms, speech_samples

FIRST = "Please open the door and bring me a cup of coffee."
SECOND = "I think we should start the meeting now."


class RecordingRecognizer:
    """Decodes with another recognizer and keeps every clip it was given."""

    def __init__(self, inner: Recognizer) -> None:
        self.inner = inner
        self.clips: list[np.ndarray] = []

    def warm_up(self) -> None:
        self.inner.warm_up()

    def recognize_all(self, clips: Sequence[np.ndarray]) -> list[str]:
        self.clips.extend(clips)
        return self.inner.recognize_all(clips)


@pytest.fixture(scope="module")
def pool() -> Iterator[ParallelRecognizer]:
    recognizer = ParallelRecognizer(FAST_SETTINGS, workers=2)
    yield recognizer
    recognizer.close()


@pytest.fixture(scope="module")
def sequential_transcript(two_speaker_video: Path) -> Transcript:
    return transcribe(two_speaker_video, "en", recognizer=SequentialRecognizer(FAST_SETTINGS))


@pytest.fixture(scope="module")
def sentences(media_dir: Path) -> list[np.ndarray]:
    return [
        decode_mono(make_speech(media_dir / f"sentence_{index}.wav", text))
        for index, text in enumerate((FIRST, SECOND))
    ]


def test_the_pool_gives_the_words_of_one_decoder(
    pool: ParallelRecognizer, two_speaker_video: Path, sequential_transcript: Transcript
) -> None:
    pooled = transcribe(two_speaker_video, "en", recognizer=pool)

    assert len(pool.worker_pids()) == 2 and os.getpid() not in pool.worker_pids()
    assert pooled == sequential_transcript
    assert sum(bool(segment.text) for segment in pooled.segments) >= 3


def test_concurrent_transcriptions_share_the_pool(
    pool: ParallelRecognizer, two_speaker_video: Path, sequential_transcript: Transcript
) -> None:
    with ThreadPoolExecutor(3) as threads:
        transcripts = list(
            threads.map(lambda _: transcribe(two_speaker_video, "en", recognizer=pool), range(3))
        )

    assert transcripts == [sequential_transcript] * 3
    assert len(pool.worker_pids()) == 2


def test_words_do_not_depend_on_what_was_decoded_before(sentences: list[np.ndarray]) -> None:
    recognizer = SequentialRecognizer(FAST_SETTINGS)

    in_order = recognizer.recognize_all(sentences)
    reversed_order = recognizer.recognize_all(sentences[::-1])[::-1]
    alone = [SequentialRecognizer(FAST_SETTINGS).recognize_all([clip])[0] for clip in sentences]

    assert in_order == reversed_order == alone
    assert all(in_order)


def test_only_speech_regions_are_decoded(tmp_path: Path) -> None:
    rate = sample_rate()
    silence = np.zeros(int(4.0 * rate), dtype=np.int16)
    first, second = speech_samples(FIRST), speech_samples(SECOND)
    path = tmp_path / "sparse.wav"
    encode_samples(np.concatenate([silence, first, silence, second, silence]), rate, path)
    speech_seconds = (len(first) + len(second)) / rate
    recording = RecordingRecognizer(SequentialRecognizer(FAST_SETTINGS))

    transcript = transcribe(path, "en", recognizer=recording)

    # One clip per segment, each exactly the segment's audio, and each one speech.
    assert len(recording.clips) == len(transcript.segments) >= 2
    for clip, segment in zip(recording.clips, transcript.segments, strict=True):
        assert len(clip) / ANALYSIS_RATE == pytest.approx(segment.end - segment.start, abs=0.02)
        assert rms(clip) > 0.01
    # The 12 s of silence around the sentences never reach the decoder.
    decoded_seconds = sum(len(clip) for clip in recording.clips) / ANALYSIS_RATE
    assert decoded_seconds <= speech_seconds + 0.5
    assert transcript.segments[0].start >= 3.9
    assert transcript.segments[-1].end <= 8.0 + speech_seconds + 0.1
    assert all(segment.text for segment in transcript.segments)


def test_a_killed_worker_costs_no_words(sentences: list[np.ndarray]) -> None:
    recognizer = ParallelRecognizer(FAST_SETTINGS, workers=1)
    try:
        expected = recognizer.recognize_all(sentences)
        [killed] = recognizer.worker_pids()
        os.kill(killed, signal.SIGKILL)

        # Decoded in this process while the broken pool is dropped, then a new pool.
        assert recognizer.recognize_all(sentences) == expected
        assert recognizer.recognize_all(sentences) == expected
        assert recognizer.worker_pids() and killed not in recognizer.worker_pids()
    finally:
        recognizer.close()


def test_the_sandbox_decodes_in_a_pool_of_one_process_per_cpu() -> None:
    recognizer = default_recognizer()

    assert isinstance(recognizer, ParallelRecognizer)
    assert recognizer.settings == FAST_SETTINGS and recognizer.workers == cpu_count()


def test_the_old_way_stays_callable_and_times_segments_the_same(
    single_speaker_wav: Path,
) -> None:
    old = transcribe(single_speaker_wav, "en", recognizer=legacy_recognizer())
    new = transcribe(single_speaker_wav, "en")

    def timing(transcript: Transcript) -> list[tuple[str, float, float]]:
        return [(segment.speaker_id, segment.start, segment.end) for segment in transcript.segments]

    assert timing(old) == timing(new)
    assert any(segment.text for segment in old.segments)
