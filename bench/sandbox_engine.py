"""Benchmark of the sandbox engine: speech real-time factor; transcription of a generated
~64 s two-speaker video the old way (one PocketSphinx decoder with its defaults, phrases one
after another) and the new way (the tuned decoder in a pool of one process per CPU), side by
side on the same clip: seconds, real-time factor, words recognised and agreement with the
script; and the wall time to dub that video with every segment re-voiced.

Run from the repository root: `.venv/bin/python -m bench.sandbox_engine`
"""

from __future__ import annotations

import os
import re
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

import psutil

from orangeweb.sandbox.engine import (
    DubSegment,
    VoiceProfile,
    dub_media,
    probe_media,
    pseudo_translate,
    synthesize,
    transcribe,
)
from orangeweb.sandbox.engine.recognition import ParallelRecognizer, cpu_count
from orangeweb.sandbox.engine.speech import render_speech, sample_rate
from orangeweb.sandbox.engine.transcription import (
    Transcript,
    default_recognizer,
    legacy_recognizer,
)
from tests.support.media import SpokenTurn, make_dialogue_video

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
# The issue's target for transcription: wall seconds per second of media.
TARGET_RTF = 0.3


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


@dataclass(frozen=True)
class _Run:
    label: str
    seconds: float
    cpu_seconds: float  # this process and the pool's workers
    transcript: Transcript


def _pool_cpu_seconds() -> float:
    """CPU time of the default recognizer's worker processes so far (0 before they start)."""
    pool = default_recognizer()
    pids = pool.worker_pids() if isinstance(pool, ParallelRecognizer) else []
    return sum(sum(psutil.Process(pid).cpu_times()[:2]) for pid in pids)


def words_of(text: str) -> list[str]:
    """Lower-case words without punctuation, as PocketSphinx writes them."""
    return re.sub(r"[^a-z' ]+", " ", text.lower()).split()


def words_in_order(recognized: list[str], script: list[str]) -> int:
    """How many script words were recognised, in order: the longest common subsequence of
    the two word lists (a word heard in the wrong place does not count)."""
    previous = [0] * (len(script) + 1)
    for word in recognized:
        current = [0]
        for index, expected in enumerate(script):
            current.append(
                previous[index] + 1
                if word == expected
                else max(previous[index + 1], current[index])
            )
        previous = current
    return previous[-1]


def bench_transcription(video: Path, timeline: list[SpokenTurn]) -> None:
    duration = probe_media(video).duration
    script = [word for turn in timeline for word in words_of(turn.text)]
    runs: list[_Run] = []
    for label, recognizer in (
        ("old: 1 decoder, defaults, in turn", legacy_recognizer()),
        # The first call starts the pool (its processes load the model): counted, not hidden.
        (f"new: pool of {cpu_count()}, first call", None),
        (f"new: pool of {cpu_count()}, warm", None),
    ):
        started, cpu_started = time.perf_counter(), time.process_time() + _pool_cpu_seconds()
        transcript = transcribe(video, "en", recognizer=recognizer)
        elapsed = time.perf_counter() - started
        cpu = time.process_time() + _pool_cpu_seconds() - cpu_started
        runs.append(_Run(label, elapsed, cpu, transcript))

    # The machine may be shared: its load says how many CPUs the pool really had.
    load = os.getloadavg()[0]
    print(
        f"transcribe {duration:.1f} s video ({cpu_count()} CPUs, load {load:.1f}), "
        "old and new on the same clip:"
    )
    header = (
        f"{'seconds':>8} {'RTF':>6} {'CPU s':>6} {'words out':>9} {'recognised':>12} "
        f"{'agreement':>9}"
    )
    print(f"  {'':36}{header} segments speakers")
    for run in runs:
        recognized = [w for segment in run.transcript.segments for w in words_of(segment.text)]
        right = words_in_order(recognized, script)
        print(
            f"  {run.label:36}{run.seconds:8.2f} {run.seconds / duration:6.3f} "
            f"{run.cpu_seconds:6.1f} "
            f"{len(recognized):9d} {f'{right} of {len(script)}':>12} "
            f"{right / len(script):9.1%} {len(run.transcript.segments):8d} "
            f"{len(run.transcript.speakers):8d}"
        )
    old, new = runs[0], runs[1]
    same_timing = [(s.start, s.end, s.speaker_id) for s in old.transcript.segments] == [
        (s.start, s.end, s.speaker_id) for s in new.transcript.segments
    ]
    rtf = new.seconds / duration
    print(
        f"  speed-up x{old.seconds / new.seconds:.2f} (first call); RTF {rtf:.3f} vs target "
        f"<= {TARGET_RTF}: {'met' if rtf <= TARGET_RTF else 'NOT met'}; same segments and "
        f"speakers: {'yes' if same_timing else 'NO'}"
    )


def bench_dub(video: Path, timeline: list[SpokenTurn], work_dir: Path) -> None:
    duration = probe_media(video).duration
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
        work_dir = Path(work)
        bench_speech(work_dir)
        video = work_dir / "dialogue.mp4"
        timeline = make_dialogue_video(video, DUB_SECONDS)
        bench_transcription(video, timeline)
        bench_dub(video, timeline, work_dir)


if __name__ == "__main__":
    main()
