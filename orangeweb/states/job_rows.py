"""The rows the job pages show (plain dataclasses: Reflex 0.10 has no `rx.Base`), filled
from service views, and how times, lengths and statuses read. No secrets: only ids, words and
our own `/media/...` URLs, which the browser fetches through the team-checked routes."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs import JobEventView, JobView, SceneView
from orangeweb.services.jobs.kinds import kind_of, label_of
from orangeweb.services.spending import why_no_charge

# Radix colours per status; any other (unknown) status string is shown as it is, in gray.
STATUS_COLORS: dict[str, str] = {
    "submitting": "gray",
    "queued": "blue",
    "processing": "amber",
    "transcribing": "amber",
    "translating": "amber",
    "cloning": "amber",
    "completed": "grass",
    "partial": "orange",
    "failed": "red",
    "unknown": "gray",
}


@dataclasses.dataclass
class SceneRow:
    index: int
    number: int
    text: str
    character_name: str
    status: str
    color: str
    error: str
    output_url: str
    warning: str = ""  # completed without audio worth hearing: shown in amber, not as a success


@dataclasses.dataclass
class JobRow:
    id: str
    kind: str
    kind_label: str
    status: str
    color: str
    is_final: bool
    succeeded: bool
    title: str
    created_by: str
    mine: bool
    key_label: str
    characters: str
    estimate: int
    charged: str
    charge_note: str  # "charged 2 credits", "charge unknown: OrangeClone reports no charge…"
    created: str
    created_short: str
    duration: str
    error: str
    output_url: str
    story_url: str
    download_name: str
    parent_id: str
    scenes: list[SceneRow] = dataclasses.field(default_factory=list)
    failed_scenes: int = 0  # failed, or came back silent: what a resubmission redoes
    completed_scenes: int = 0
    # "Estimate 3 credits · charged 1 credit": the words, each number with its own unit.
    credits: str = ""


@dataclasses.dataclass
class EventRow:
    status: str
    color: str
    at: str
    detail: str


def when(moment: datetime | None, *, seconds: bool = True) -> str:
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC" if seconds else "%m-%d %H:%M")


def seconds_text(seconds: float | None) -> str:
    if seconds is None:
        return ""
    if round(seconds, 1) < 60:  # 59.96 s reads as "1 min 00 s", not "60.0 s"
        return f"{seconds:.1f} s"
    minutes, rest = divmod(round(seconds), 60)
    return f"{minutes} min {rest:02d} s"


def credits_words(count: int) -> str:
    """'1 credit', '0 credits', '12 credits'."""
    return f"{count} credit" if count == 1 else f"{count} credits"


def charge_of(charged: int | None, *, is_final: bool, succeeded: bool, kind: str) -> str:
    """What is known of a job's charge, and why not more: never a bare dash."""
    if charged is not None:
        return f"charged {credits_words(charged)}"
    if not is_final:
        return "charged when it finishes"
    if not succeeded:
        return "no charge reported"
    return f"charge unknown: {why_no_charge(kind)}"


def charge_words(view: JobView) -> str:
    return charge_of(
        view.charged_credits, is_final=view.is_final, succeeded=view.succeeded, kind=view.kind
    )


def credits_line(view: JobView) -> str:
    return f"Estimate {credits_words(view.estimated_credits)} · {charge_words(view)}"


def status_color(status: str) -> str:
    return STATUS_COLORS.get(status, "gray")


def scene_row(scene: SceneView) -> SceneRow:
    return SceneRow(
        index=scene.index,
        number=scene.index + 1,
        text=scene.text,
        character_name=scene.character_name,
        status=scene.status,
        color=status_color(scene.status),
        error=scene.error or "",
        output_url=scene.output_url or "",
        warning=scene.warning or "",
    )


def job_row(view: JobView, actor: CurrentUser) -> JobRow:
    scenes = [scene_row(scene) for scene in view.scenes]
    return JobRow(
        id=str(view.id),
        kind=view.kind,
        kind_label=label_of(view.kind),
        status=view.status,
        color=status_color(view.status),
        is_final=view.is_final,
        succeeded=view.succeeded,
        title=view.title,
        created_by=view.created_by_name,
        mine=view.created_by_id == actor.user_id,
        key_label=view.api_key_label,
        characters=", ".join(view.character_names),
        estimate=view.estimated_credits,
        charged="" if view.charged_credits is None else str(view.charged_credits),
        charge_note=charge_words(view),
        created=when(view.created_at),
        created_short=when(view.created_at, seconds=False),
        duration=seconds_text(view.duration_s),
        error=view.error or "",
        output_url=view.output_url or "",
        story_url=f"/media/jobs/{view.id}/story" if kind_of(view.kind).has_scenes else "",
        download_name=f"orangeweb-{view.kind}-{view.id}{kind_of(view.kind).output_suffix}",
        parent_id="" if view.parent_job_id is None else str(view.parent_job_id),
        scenes=scenes,
        # A scene that came back silent is redone with the failed ones.
        failed_scenes=sum(1 for s in view.scenes if s.status == "failed" or s.warning),
        completed_scenes=sum(1 for s in view.scenes if s.status == "completed" and not s.warning),
        credits=credits_line(view),
    )


def event_row(event: JobEventView) -> EventRow:
    return EventRow(
        status=event.status,
        color=status_color(event.status),
        at=when(event.at),
        detail=event.detail or "",
    )


def replace_row(rows: list[JobRow], fresh: JobRow) -> tuple[list[JobRow], bool]:
    """`rows` with the row of the same id swapped for `fresh`; and whether it was there."""
    found = False
    updated: list[JobRow] = []
    for row in rows:
        if row.id == fresh.id:
            updated.append(fresh)
            found = True
        else:
            updated.append(row)
    return updated, found


def empty_row() -> JobRow:
    """A blank row, for a var that shows one job when none is chosen."""
    return JobRow(
        id="",
        kind="",
        kind_label="",
        status="",
        color="gray",
        is_final=False,
        succeeded=False,
        title="",
        created_by="",
        mine=False,
        key_label="",
        characters="",
        estimate=0,
        charged="",
        charge_note="",
        created="",
        created_short="",
        duration="",
        error="",
        output_url="",
        story_url="",
        download_name="",
        parent_id="",
    )
