"""Where the team's credits went: per day, member, key, kind and dubbing project.

Only what OrangeClone reported counts as charged: a voice or dialogue job's final `cost`. The
API reports no charge for stories (batch), dubbing or scripts and has no balance endpoint, so
those are shown apart, as estimates from the documented prices, each with the reason; a failed
job with no reported charge counts as nothing charged.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlmodel import Session, col, select

from orangeweb.models import ApiKey, DubbingProject, GeneratedScript, Job, User, as_utc, utcnow
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.jobs.kinds import label_of
from orangeweb.services.jobs.views import key_label

DAYS_SHOWN = 30
SCRIPTS_KIND = "Scripts"
# Why a job's charge is not known, per kind of work the API reports no charge for.
_NOT_REPORTED: dict[str, str] = {
    "batch": "OrangeClone reports no charge for stories",
    "dubbing": "OrangeClone reports no charge for dubbing",
    SCRIPTS_KIND: "scripts cost 1 credit each (the documented price); no charge is reported",
}


def why_no_charge(kind: str) -> str:
    """Why a finished job of `kind` has no reported charge."""
    return _NOT_REPORTED.get(kind, "OrangeClone did not report this job's charge")


@dataclass(frozen=True, slots=True)
class SpendSlice:
    """One bar: credits OrangeClone reported, and estimates of work it reported none for."""

    label: str
    reported: int
    estimated: int

    @property
    def total(self) -> int:
        return self.reported + self.estimated


@dataclass(frozen=True, slots=True)
class SpendReport:
    since: datetime | None  # the team's first paid work; None when there is none yet
    reported: int
    estimated: int
    last_7_days: SpendSlice
    last_30_days: SpendSlice
    by_day: tuple[SpendSlice, ...]  # the last DAYS_SHOWN UTC days, oldest first, zeros kept
    by_member: tuple[SpendSlice, ...]  # largest first
    by_key: tuple[SpendSlice, ...]
    by_kind: tuple[SpendSlice, ...]
    by_project: tuple[SpendSlice, ...]  # dubbing projects by file name
    reasons: tuple[str, ...]  # why some figures are estimates (only those that apply)


@dataclass(frozen=True, slots=True)
class _Spend:
    at: datetime
    member: str
    key: str
    kind: str
    project: str | None
    reported: int
    estimated: int
    reason: str | None


def _job_spends(session: Session, actor: CurrentUser) -> list[_Spend]:
    rows = session.exec(
        select(Job, ApiKey, User.display_name, DubbingProject.original_name)
        .join(ApiKey, col(ApiKey.id) == col(Job.api_key_id))
        .join(User, col(User.id) == col(Job.created_by_id))
        .join(DubbingProject, col(DubbingProject.job_id) == col(Job.id), isouter=True)
        .where(Job.team_id == actor.team_id)
        .order_by(col(Job.id))
    ).all()
    spends = []
    for job, api_key, member, project in rows:
        if job.charged_credits is not None:
            reported, estimated, reason = job.charged_credits, 0, None
        elif job.succeeded:
            reported, estimated = 0, job.estimated_credits
            reason = f"{label_of(job.kind)}: {why_no_charge(job.kind)}; the estimate is counted."
        else:
            continue  # failed or still running, and nothing reported charged
        spends.append(
            _Spend(
                at=as_utc(job.completed_at or job.created_at),
                member=member,
                key=key_label(api_key, actor),
                kind=label_of(job.kind),
                project=project,
                reported=reported,
                estimated=estimated,
                reason=reason,
            )
        )
    return spends


def _script_spends(session: Session, actor: CurrentUser) -> list[_Spend]:
    rows = session.exec(
        select(GeneratedScript.created_at, ApiKey, User.display_name)
        .join(ApiKey, col(ApiKey.id) == col(GeneratedScript.api_key_id))
        .join(User, col(User.id) == col(GeneratedScript.created_by_id))
        .where(GeneratedScript.team_id == actor.team_id)
    ).all()
    return [
        _Spend(
            at=as_utc(created_at),
            member=member,
            key=key_label(api_key, actor),
            kind=SCRIPTS_KIND,
            project=None,
            reported=0,
            estimated=1,
            reason=f"{SCRIPTS_KIND}: {why_no_charge(SCRIPTS_KIND)}.",
        )
        for created_at, api_key, member in rows
    ]


def _slices(spends: list[_Spend], label: Callable[[_Spend], str | None]) -> tuple[SpendSlice, ...]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for spend in spends:
        if (name := label(spend)) is not None:
            totals[name][0] += spend.reported
            totals[name][1] += spend.estimated
    slices = [
        SpendSlice(name, reported, estimated) for name, (reported, estimated) in totals.items()
    ]
    return tuple(sorted(slices, key=lambda s: (-s.total, s.label)))


def _window(spends: list[_Spend], since: datetime, label: str) -> SpendSlice:
    inside = [spend for spend in spends if spend.at >= since]
    return SpendSlice(label, sum(s.reported for s in inside), sum(s.estimated for s in inside))


def _by_day(spends: list[_Spend], today: date) -> tuple[SpendSlice, ...]:
    first = today - timedelta(days=DAYS_SHOWN - 1)
    per_day = {s.label: s for s in _slices(spends, lambda spend: spend.at.date().isoformat())}
    days = (first + timedelta(days=n) for n in range(DAYS_SHOWN))
    return tuple(per_day.get(day.isoformat(), SpendSlice(day.isoformat(), 0, 0)) for day in days)


def spend_report(
    session: Session, actor: CurrentUser, *, clock: Callable[[], datetime] = utcnow
) -> SpendReport:
    """The team's spending as any member may see it (other members' personal keys unnamed)."""
    spends = _job_spends(session, actor) + _script_spends(session, actor)
    now = clock()
    reasons = dict.fromkeys(s.reason for s in spends if s.reason is not None)
    return SpendReport(
        since=min((s.at for s in spends), default=None),
        reported=sum(s.reported for s in spends),
        estimated=sum(s.estimated for s in spends),
        last_7_days=_window(spends, now - timedelta(days=7), "Last 7 days"),
        last_30_days=_window(spends, now - timedelta(days=30), "Last 30 days"),
        by_day=_by_day(spends, now.date()),
        by_member=_slices(spends, lambda s: s.member),
        by_key=_slices(spends, lambda s: s.key),
        by_kind=_slices(spends, lambda s: s.kind),
        by_project=_slices(spends, lambda s: s.project),
        reasons=tuple(reason for reason in reasons if reason is not None),
    )
