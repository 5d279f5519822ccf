"""How far the estimate shown before a submission is from what the job then lasts and costs.

A real sandbox over HTTP (its eSpeak speech, its billing) and the dashboard's own services and
tracker on a fresh SQLite database: characters are cloned from samples spoken at different
paces and pitches; each speaks one warm-up take, which the tracker learns its rate from; then a
set of single-voice texts, dialogues and stories is estimated exactly as the Voice studio and
Stories pages estimate it (`jobs.estimate_voice` / `jobs.estimate_story` with `jobs.read_rates`)
and submitted. Printed side by side for the same jobs: the text-only estimate the dashboard
used to show (2.5 words a second), the measured default rate (a character's first take) and
the learned rate after one take: p50/p90/max relative error of the seconds and the credits, and
the share of jobs within ±10 % of what was charged.

Run from the repository root:
    .venv/bin/python -m bench.estimates
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import uuid
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from sqlmodel import Session  # noqa: E402

from orangeweb import db  # noqa: E402
from orangeweb.models import Environment, Job, KeyScope, Tier  # noqa: E402
from orangeweb.orangeclone.costs import (  # noqa: E402
    billing_blocks,
    estimate_batch,
    estimate_voice_clone,
)
from orangeweb.services import characters, jobs  # noqa: E402
from orangeweb.services.jobs import TYPICAL, SceneInput, SpeechRate  # noqa: E402
from orangeweb.services.keys.store import add_api_key, open_client  # noqa: E402
from orangeweb.services.tracker.loop import Tracker  # noqa: E402
from orangeweb.services.tracker.policy import Pace, PollPolicy  # noqa: E402
from tests.support.database import sign_up_owner  # noqa: E402
from tests.support.media import make_speech  # noqa: E402
from tests.support.sandbox_server import SandboxServer  # noqa: E402
from tests.unit.services.support import RecordingVerifier  # noqa: E402

SAMPLE = "Hello there, this is my voice. I am reading a short sample for the dashboard today."
# (name, sample pitch Hz, sample pace wpm): the sandbox clones each pace from its sample.
VOICES = [
    ("Nora", 215.0, 110),
    ("Sam", 105.0, 130),
    ("Ada", 215.0, 160),
    ("Ben", 105.0, 160),
    ("Cleo", 215.0, 200),
    ("Dev", 105.0, 230),
]
WARM_UP = "Good morning everyone, and thank you for coming to the meeting today."
TEXTS = [
    "Hi there!",
    "The train leaves at seven, so please do not be late.",
    "She opened the letter slowly. Inside was a photograph of a house she had never seen.",
    "Welcome back to the show. Today we talk about gardens, and why tomatoes split in the rain.",
    "I never thought I would say this, but the printer works, the coffee is hot, and the "
    "meeting was cancelled. It is a good day.",
    "Our quarterly results were strong: revenue grew in every region, costs fell slightly, and "
    "the team shipped three new products on time. Thank you all for your hard work this year.",
    "Once upon a time, in a village by the sea, there lived a fisherman who could not swim. "
    "Every morning he sailed out before dawn, and every evening he came home with a story.",
]
FAST_PACE = Pace(shortest=0.2, growth=0.1, longest=1.0)


@dataclass
class Sample:
    kind: str
    charged_seconds: float = 0.0
    charged_credits: int = 0
    # estimate name -> (seconds, credits)
    estimates: dict[str, tuple[float, int]] = field(default_factory=dict)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


async def run(workdir: Path) -> list[Sample]:
    os.environ["ORANGEWEB_DATA_DIR"] = str(workdir / "data")
    os.environ["REFLEX_DB_URL"] = f"sqlite:///{workdir / 'bench.db'}"
    with SandboxServer(workdir / "sandbox") as sandbox:
        os.environ["ORANGEWEB_SANDBOX_URL"] = sandbox.base_url
        db.create_tables()
        engine = db.get_engine()
        policy = PollPolicy(paces={"voice": FAST_PACE, "dialogue": FAST_PACE, "batch": FAST_PACE})
        tracker = Tracker(engine=engine, data_dir=workdir / "data", policy=policy)
        await tracker.start()
        try:
            with db.open_session() as session:
                return await _measure(session, sandbox, workdir)
        finally:
            await tracker.stop()


async def _wait_final(job_ids: list[int], within: float = 300.0) -> list[Job]:
    deadline = asyncio.get_running_loop().time() + within
    while True:
        with db.open_session() as fresh:
            rows = [fresh.get(Job, job_id) for job_id in job_ids]
        done = [row for row in rows if row is not None and row.is_final]
        archived = all(r.output_path or r.kind == "batch" or not r.succeeded for r in done)
        stories_timed = all(r.duration_s is not None or not r.succeeded for r in done)
        if len(done) == len(job_ids) and archived and stories_timed:
            return done
        if asyncio.get_running_loop().time() > deadline:
            raise TimeoutError("jobs did not finish")
        await asyncio.sleep(0.3)


async def _measure(session: Session, sandbox: SandboxServer, workdir: Path) -> list[Sample]:
    owner = sign_up_owner(session)
    secret = sandbox.issue_key(tier="enterprise", credits=100_000)
    key = await add_api_key(
        session,
        owner,
        "bench",
        secret,
        Environment.SANDBOX,
        Tier.ENTERPRISE,
        KeyScope.TEAM,
        RecordingVerifier(),
    )
    ids: dict[str, int] = {}
    for name, pitch, wpm in VOICES:
        wav = make_speech(workdir / f"{name}.wav", SAMPLE, pitch_hz=pitch, wpm=wpm)
        view = await characters.create_character(
            session, owner, key.id, name, "adventurer", wav, opener=open_client
        )
        ids[name] = view.id

    async def voice(text: str, chosen: list[int]) -> int:
        view = await jobs.submit_voice(
            session, owner, key.id, text, chosen, submission_key=uuid.uuid4().hex
        )
        return view.id

    # One warm-up take per character: the tracker learns its rate when the take finishes.
    await _wait_final([await voice(WARM_UP, [cid]) for cid in ids.values()])
    learned = jobs.read_rates(session, owner.team_id)

    def rates(chosen: list[int]) -> list[SpeechRate]:
        return [learned.get(cid, TYPICAL) for cid in chosen]

    samples: dict[int, Sample] = {}
    names = list(ids)
    for name in names:  # single voices
        for text in TEXTS:
            sample = Sample("voice")
            old = estimate_voice_clone(text, 1)
            sample.estimates["text only"] = (old.seconds, old.credits)
            default = jobs.estimate_voice(text, 1, [TYPICAL])
            sample.estimates["default rate"] = (default.seconds, default.credits)
            after = jobs.estimate_voice(text, 1, rates([ids[name]]))
            sample.estimates["after 1 take"] = (after.seconds, after.credits)
            samples[await voice(text, [ids[name]])] = sample
    for first, second in zip(names, names[1:] + names[:1], strict=True):  # dialogues
        text = (
            f"Speaker 1: {TEXTS[1]}\nSpeaker 2: {TEXTS[2]}\n"
            f"Speaker 1: {TEXTS[0]}\nSpeaker 2: {TEXTS[3]}"
        )
        chosen = [ids[first], ids[second]]
        sample = Sample("dialogue")
        old = estimate_voice_clone(text)
        sample.estimates["text only"] = (old.seconds, old.credits)
        default = jobs.estimate_voice(text, 2, [TYPICAL, TYPICAL])
        sample.estimates["default rate"] = (default.seconds, default.credits)
        after = jobs.estimate_voice(text, 2, rates(chosen))
        sample.estimates["after 1 take"] = (after.seconds, after.credits)
        samples[await voice(text, chosen)] = sample
    for offset in range(3):  # stories: one scene per character, each charged on its own
        cast = names[offset:] + names[:offset]
        scenes = [(TEXTS[(i + offset) % len(TEXTS)], ids[n]) for i, n in enumerate(cast[:4])]
        sample = Sample("story")
        old = estimate_batch([text for text, _ in scenes])
        sample.estimates["text only"] = (old.seconds, old.credits)
        default = jobs.estimate_story([(text, TYPICAL) for text, _ in scenes])
        sample.estimates["default rate"] = (default.seconds, default.credits)
        after = jobs.estimate_story([(text, learned.get(cid, TYPICAL)) for text, cid in scenes])
        sample.estimates["after 1 take"] = (after.seconds, after.credits)
        view = await jobs.submit_story(
            session,
            owner,
            key.id,
            f"Story {offset}",
            [SceneInput(text=text, character_id=cid) for text, cid in scenes],
            submission_key=uuid.uuid4().hex,
        )
        samples[view.id] = sample
    for row in await _wait_final(list(samples)):
        sample = samples[row.id]  # type: ignore[index]
        if not row.succeeded or row.duration_s is None:
            raise RuntimeError(f"job {row.id} did not succeed: {row.error}")
        sample.charged_seconds = row.duration_s
        if row.kind == "batch":  # the sandbox charges each scene on its own started blocks
            scene_seconds = [float(s.get("duration_s") or 0) for s in row.scenes]
            sample.charged_credits = sum(billing_blocks(s) for s in scene_seconds)
        else:
            sample.charged_credits = int(row.charged_credits or 0)
    return list(samples.values())


def report(samples: list[Sample]) -> None:
    columns = ["text only", "default rate", "after 1 take"]
    kinds = sorted({s.kind for s in samples})
    counts = ", ".join(f"{sum(s.kind == k for s in samples)} {k}" for k in kinds)
    print(f"{len(samples)} jobs ({counts}), {len(VOICES)} characters, one warm-up take each\n")
    print(f"{'':34}" + "".join(f"{c:>15}" for c in columns))
    for measure in ("seconds", "credits"):
        errors = {
            c: [
                abs(
                    s.estimates[c][0 if measure == "seconds" else 1]
                    - (s.charged_seconds if measure == "seconds" else s.charged_credits)
                )
                / max(s.charged_seconds if measure == "seconds" else s.charged_credits, 1e-9)
                for s in samples
            ]
            for c in columns
        }
        for label, fn in (
            ("p50 relative error", lambda e: statistics.median(e)),
            ("p90 relative error", lambda e: percentile(e, 0.9)),
            ("max relative error", max),
        ):
            print(
                f"{measure + ': ' + label:34}"
                + "".join(f"{fn(errors[c]):>14.1%} " for c in columns)
            )
        within = {c: sum(e <= 0.10 + 1e-9 for e in errors[c]) / len(samples) for c in columns}
        print(f"{measure + ': within ±10 %':34}" + "".join(f"{within[c]:>14.0%} " for c in columns))
        print()
    low = {c: sum(s.estimates[c][1] < s.charged_credits for s in samples) for c in columns}
    print(f"{'credits under-estimated (jobs)':34}" + "".join(f"{low[c]:>15}" for c in columns))


def main() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-estimates-") as directory:
        samples = asyncio.run(run(Path(directory)))
    report(samples)


if __name__ == "__main__":
    main()
