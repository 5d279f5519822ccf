"""The job kinds: each declares, in its own module, its status model, how it is polled, how an
answer is applied, how its outputs are archived and found again, its label and the studio that
follows it. The tracker, the views and the pages ask `kind_of(job.kind)`; nothing else compares
kind strings.

`voice` (voice clones and dialogues), `batch` (stories), `dubbing` (a dubbing project's job),
`single_output` (archiving a job's one file), `base` (`JobKind`, `Pace`).
"""

from orangeweb.services.jobs.kinds.base import JobKind, Pace
from orangeweb.services.jobs.kinds.batch import BATCH
from orangeweb.services.jobs.kinds.dubbing import DUBBING
from orangeweb.services.jobs.kinds.voice import DIALOGUE, VOICE

KINDS: dict[str, JobKind] = {kind.name: kind for kind in (VOICE, DIALOGUE, BATCH, DUBBING)}


def kind_of(name: str) -> JobKind:
    """The declared kind. A name this version does not declare (a row written by a newer one)
    follows the voice rules, as the oldest and simplest kind."""
    return KINDS.get(name, VOICE)


def label_of(name: str) -> str:
    """The kind's label, or the stored name itself for a kind this version does not know."""
    kind = KINDS.get(name)
    return kind.label if kind is not None else name


def kinds_of_studio(studio: str) -> tuple[str, ...]:
    """The names of the kinds one studio page makes and follows live."""
    return tuple(kind.name for kind in KINDS.values() if kind.studio == studio)


__all__ = [
    "BATCH",
    "DIALOGUE",
    "DUBBING",
    "KINDS",
    "VOICE",
    "JobKind",
    "Pace",
    "kind_of",
    "kinds_of_studio",
    "label_of",
]
