"""What a job kind declares: its status model, polling pace, how an answer is applied, how its
outputs are archived and found again. One `JobKind` per kind; the registry is the package."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.orangeclone import OrangeClone
from orangeweb.orangeclone.models import JobStatusModel
from orangeweb.services.jobs.status import SUBMITTING, UNKNOWN


@dataclass(frozen=True)
class Pace:
    """How often the tracker asks: a fraction of the job's age, between two bounds (seconds)."""

    shortest: float
    growth: float
    longest: float

    def at(self, age_seconds: float) -> float:
        return min(self.longest, max(self.shortest, age_seconds * self.growth))


@dataclass(frozen=True)
class JobKind:
    name: str  # as stored in `Job.kind`
    label: str  # as pages show it
    studio: str  # the page that makes it and follows it live: "voice", "stories", "dubbing"
    status_model: type[JobStatusModel]
    pace: Pace
    # One status request for a remote id.
    poll: Callable[[OrangeClone, str], Awaitable[Any]]
    # Fold a status answer into the row (no commit); whether a page would show something new.
    apply: Callable[[Session, Job, Any], bool]
    needs_archive: Callable[[Job], bool]
    # Download what is finished and not archived; whether anything was stored. Commits.
    archive: Callable[[Session, Job, httpx.AsyncClient, Path], Awaitable[bool]]
    # The result URL in a fresh status answer (of scene `index`, for a story).
    result_url: Callable[[Any, Job, int | None], str | None]
    # Whatever mirrors the job (a dubbing project), after the tracker moved it without an
    # answer (given up, a submission cut short). No commit.
    mirror: Callable[[Session, Job], None] = lambda _session, _job: None
    output_suffix: str = ".mp3"  # of its file (a story's: of the joined story)
    single_output: bool = True  # one file, served at /media/jobs/<id>/output
    has_scenes: bool = False  # outputs per scene, joined into one story file
    # Statuses in which the job waits for a person, not for the service.
    resting_statuses: frozenset[str] = frozenset()
    # Pacing: the job's own estimated seconds of output (by the calibrated speaking rates), which
    # the tracker times its polls by; None: not timed so (the age-based `pace` alone).
    expected_seconds: Callable[[Session, Job], float | None] = lambda _session, _job: None

    def flags(self, status: str) -> tuple[bool, bool]:
        """(is_final, succeeded) of a status string; an unknown one is neither (keep watching)."""
        if status == SUBMITTING:
            return False, False
        if status == UNKNOWN:
            return True, False  # nothing will change it: a person has to look
        model = self.status_model.model_construct(status=status)
        return model.is_final, model.succeeded

    def rests(self, status: str) -> bool:
        return status.strip().lower() in self.resting_statuses
