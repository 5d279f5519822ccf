"""What a render of a project needs, and what it costs, before anyone pays.

For every line: its speaker keeps the original voice (the source plays), or it has a take of
exactly its current words, voice and times (made, or being made), or it needs a new one. Only
those are billed: each take is one `voices_clone` call, charged per started 10 s, so many short
lines can cost more than their seconds suggest. Beside it, the honest price of a full re-dub
through OrangeClone (the media's duration, for one language), the cheaper one recommended,
and a time from the key's request budget (Free: 10 a minute).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Literal

from sqlmodel import Session

from orangeweb.models import ApiKey
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone.constants import TIERS
from orangeweb.orangeclone.costs import estimate_dubbing
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.take_views import (
    VoicedLine,
    is_stale,
    takes_of_project,
    voiced_line,
)
from orangeweb.services.dubbing.views import team_project
from orangeweb.services.jobs.estimates import estimate_voice
from orangeweb.services.jobs.speech_rates import read_rates
from orangeweb.services.media.probe import describe_duration

LineNeed = Literal["original", "ready", "making", "needed"]

# Requests one take spends: its submission and about two status reads (the tracker reads a
# job around when it should finish, not every few seconds).
REQUESTS_PER_TAKE = 3
# Seconds of local work per second of media (ffmpeg copies the picture, mixes the sound).
RENDER_SECONDS_PER_MEDIA_SECOND = 0.05


@dataclass(frozen=True, slots=True)
class LinePlan:
    segment_id: str
    need: LineNeed
    line: VoicedLine
    take_id: int | None  # the take to use (ready) or wait for (making)


@dataclass(frozen=True, slots=True)
class RenderPlan:
    lines: tuple[LinePlan, ...]
    take_credits: int  # the new takes, estimated per line
    full_redub_credits: int
    full_redub_allowed: bool  # False once restructured: OrangeClone's dub cannot follow
    recommended: Literal["changed", "full"]
    eta_s: float
    words: str  # the comparison, for the confirm

    def count(self, need: LineNeed) -> int:
        return sum(line.need == need for line in self.lines)

    @property
    def needed_ids(self) -> list[str]:
        return [line.segment_id for line in self.lines if line.need == "needed"]

    @property
    def voiced(self) -> int:
        return sum(line.need != "original" for line in self.lines)


def line_plans(session: Session, project: DubbingProject) -> list[LinePlan]:
    """Each line's need, in time order (the newest fitting take wins, made before making)."""
    takes = takes_of_project(session, project)
    plans = []
    segments = sorted(project.transcript.get("segments", []), key=lambda s: float(s["start"]))
    for segment in segments:
        segment_id = str(segment["id"])
        line = voiced_line(project, segment)
        if line.character_id is None or not line.text:
            plans.append(LinePlan(segment_id, "original", line, None))
            continue
        fitting = [t for t, c in takes.get(segment_id, []) if not is_stale(t, c, line)]
        made = next((t for t in fitting if t.succeeded), None)
        making = next((t for t in fitting if not t.is_final), None)
        if made is not None:
            plans.append(LinePlan(segment_id, "ready", line, made.id))
        elif making is not None:
            plans.append(LinePlan(segment_id, "making", line, making.id))
        else:
            plans.append(LinePlan(segment_id, "needed", line, None))
    return plans


def _eta_words(seconds: float) -> str:
    if seconds < 90:
        return f"about {max(5, math.ceil(seconds / 5) * 5)} s"
    return f"about {math.ceil(seconds / 60)} min"


def eta_seconds(takes: int, media_s: float, requests_per_minute: float | None) -> float:
    requests = takes * REQUESTS_PER_TAKE
    waiting = requests * 60 / requests_per_minute if requests_per_minute else takes * 2.0
    return waiting + media_s * RENDER_SECONDS_PER_MEDIA_SECOND + (10.0 if takes else 2.0)


def render_plan(session: Session, actor: CurrentUser, project_id: int) -> RenderPlan:
    project = team_project(session, actor, project_id)
    plans = line_plans(session, project)
    needed = [plan for plan in plans if plan.need == "needed"]
    rates = read_rates(
        session,
        actor.team_id,
        {plan.line.character_id for plan in needed if plan.line.character_id},
        project.target_language or "",
    )
    take_credits = sum(
        estimate_voice(
            plan.line.text, 1, [rates[c]] if (c := plan.line.character_id) in rates else None
        ).credits
        for plan in needed
    )
    full = estimate_dubbing(project.duration_s, 1).credits
    api_key = session.get(ApiKey, project.api_key_id)
    tier = TIERS.get(api_key.tier.value if api_key else "free", TIERS["free"])
    eta = eta_seconds(len(needed), project.duration_s, tier.requests_per_minute)
    allowed = not project.restructured
    recommended: Literal["changed", "full"] = (
        "full" if allowed and full < take_credits else "changed"
    )
    untranslated = (
        sum(p.need != "original" and not p.line.language for p in plans)
        if project.target_language
        else 0
    )
    words = _words(project, needed, take_credits, full, allowed, eta, tier.name)
    if allowed and needed:
        words += (
            " Cheaper: the full re-dub (Dub, below)."
            if full < take_credits
            else " Cheaper: render changed."
            if take_credits < full
            else " Both cost the same; render changed keeps every other line as it is."
        )
    if untranslated:
        words += (
            f" {untranslated} line{'s have' if untranslated != 1 else ' has'} no translation "
            "yet and would be voiced in the original language: type it first."
        )
    return RenderPlan(
        lines=tuple(plans),
        take_credits=take_credits,
        full_redub_credits=full,
        full_redub_allowed=allowed,
        recommended=recommended,
        eta_s=eta,
        words=words,
    )


def _credits(n: int) -> str:
    return f"{n} credit" if n == 1 else f"{n} credits"


def _words(
    project: DubbingProject,
    needed: list[Any],
    take_credits: int,
    full: int,
    allowed: bool,
    eta: float,
    tier: str,
) -> str:
    takes = len(needed)
    changed = (
        f"Render changed: {takes} new take{'s' if takes != 1 else ''} ≈ {_credits(take_credits)}"
        f" (each line billed per started 10 s), {_eta_words(eta)} on this {tier.title()} key"
        if takes
        else "Render: every line has its take, nothing to pay; the render is made here"
    )
    whole = f"a full re-dub of {describe_duration(project.duration_s)} costs {_credits(full)}"
    if not allowed:
        whole += " (not possible: the segments were restructured here)"
    return f"{changed}; {whole}."
