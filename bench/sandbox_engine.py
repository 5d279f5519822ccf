"""Benchmark of the sandbox engine: speech real-time factor, and the wall time to transcribe
and to dub a generated 60 s two-speaker video with every segment re-voiced.

Run from the repository root: `.venv/bin/python -m bench.sandbox_engine`
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from orangeweb.sandbox.engine import (
    DubSegment,
    VoiceProfile,
    dub_media,
    probe_media,
    pseudo_translate,
    synthesize,
    transcribe,
)
from orangeweb.sandbox.engine.speech import render_speech, sample_rate
from tests.support.media import make_dialogue_video

PARAGRAPHS = (
    "The city woke slowly that morning. Delivery vans rolled through narrow streets, cafés "
    "pulled up their shutters, and the first trains of the day hummed across the river.",
    "In the office, the team gathered around a single screen. The numbers were better than "
    "anyone had hoped, and for a moment nobody said a word.",
    "By the evening the rain had cleared, and the long summer light settled over the rooftops "
    "while children played in the square below.",
)
PROFILE = VoiceProfile(pitch_hz=130.0, words_per_minute=165)
DUB_SECONDS = 60.0
NEW_VOICES = {1: VoiceProfile(150.0, 170), 2: VoiceProfile(240.0, 160)}


def bench_speech(work_dir: Path) -> None:
    render_speech("Warm up the voice calibration.", PROFILE)  # one-off costs are not the RTF
    synth_seconds = audio_seconds = 0.0
    for paragraph in PARAGRAPHS:
        started = time.perf_counter()
        samples = render_speech(paragraph, PROFILE)
        synth_seconds += time.perf_counter() - started
        audio_seconds += len(samples) / sample_rate()
    rtf = synth_seconds / audio_seconds
    print(f"speech RTF (eSpeak NG only): {rtf:.4f} over {audio_seconds:.1f} s of speech")

    started = time.perf_counter()
    encoded_seconds = sum(
        synthesize(paragraph, PROFILE, work_dir / f"p{index}.mp3")
        for index, paragraph in enumerate(PARAGRAPHS)
    )
    elapsed = time.perf_counter() - started
    print(f"speech RTF (synthesize, incl. MP3 encode): {elapsed / encoded_seconds:.4f}")


def bench_dub(work_dir: Path) -> None:
    video = work_dir / "dialogue.mp4"
    timeline = make_dialogue_video(video, DUB_SECONDS)
    duration = probe_media(video).duration

    started = time.perf_counter()
    transcript = transcribe(video, "en")
    elapsed = time.perf_counter() - started
    print(
        f"transcribe {duration:.1f} s video: {elapsed:.2f} s wall "
        f"({len(transcript.segments)} segments, {len(transcript.speakers)} speakers)"
    )

    segments = [
        DubSegment(
            turn.start, turn.end, pseudo_translate(turn.text, "es"), NEW_VOICES[turn.speaker]
        )
        for turn in timeline
    ]
    started = time.perf_counter()
    dub_media(video, segments, "es", work_dir / "dubbed")
    elapsed = time.perf_counter() - started
    print(f"dub {duration:.1f} s video, {len(segments)} segments re-voiced: {elapsed:.2f} s wall")


def main() -> None:
    with tempfile.TemporaryDirectory() as work:
        bench_speech(Path(work))
        bench_dub(Path(work))


if __name__ == "__main__":
    main()
