"""The spend view's figures: what OrangeClone reported as charged, and apart from it the
estimates of work it reports no charge for, each with its reason; per day, member, key, kind
and dubbing project; another member's personal key stays unnamed."""

from __future__ import annotations

from datetime import timedelta
from itertools import count

from sqlmodel import Session

from orangeweb.models import GeneratedScript, Job, KeyScope
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.spending import DAYS_SHOWN, SpendSlice, spend_report
from tests.support.dubbing_rows import dubbing_project

from .support import FakeClock, add_key

_numbers = count()


def _job(
    actor: CurrentUser,
    key_id: int,
    kind: str,
    clock: FakeClock,
    *,
    days_ago: int = 0,
    estimate: int = 0,
    charged: int | None = None,
    succeeded: bool = True,
) -> Job:
    at = clock() - timedelta(days=days_ago)
    return Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind=kind,
        status="completed" if succeeded else "failed",
        is_final=True,
        succeeded=succeeded,
        submission_key=f"job-{next(_numbers)}",
        title="A job",
        estimated_credits=estimate,
        charged_credits=charged,
        created_at=at,
        completed_at=at,
    )


async def test_reported_charges_and_labelled_estimates(
    session: Session, owner: CurrentUser, member: CurrentUser, clock: FakeClock
) -> None:
    team_key = (await add_key(session, owner, "Team key")).id
    olives = (await add_key(session, owner, "Olive's own", scope=KeyScope.PERSONAL)).id
    dub = _job(member, team_key, "dubbing", clock, days_ago=2, estimate=12)
    session.add_all(
        [
            _job(owner, team_key, "voice", clock, estimate=1, charged=2),
            _job(owner, olives, "dialogue", clock, days_ago=1, estimate=2, charged=4),
            _job(member, team_key, "batch", clock, days_ago=40, estimate=6),
            _job(member, team_key, "voice", clock, estimate=3, succeeded=False),  # nothing
            dub,
        ]
    )
    session.flush()
    session.add(dubbing_project(member, team_key, job_id=dub.id, original_name="interview.mp4"))
    session.add(
        GeneratedScript(
            team_id=owner.team_id,
            created_by_id=owner.user_id,
            api_key_id=team_key,
            generation_id="g1",
            mode="dialogue",
            context="A hike",
            text="Speaker 1: Hi",
            created_at=clock(),
        )
    )
    session.commit()

    report = spend_report(session, member, clock=clock)
    assert (report.reported, report.estimated) == (6, 19)
    assert report.since == clock() - timedelta(days=40)
    assert report.last_7_days == SpendSlice("Last 7 days", 6, 13)
    assert report.last_30_days == SpendSlice("Last 30 days", 6, 13)
    assert len(report.by_day) == DAYS_SHOWN
    assert report.by_day[-1] == SpendSlice(clock().date().isoformat(), 2, 1)
    assert report.by_day[-3].estimated == 12
    assert report.by_member == (
        SpendSlice(member.display_name, 0, 18),
        SpendSlice(owner.display_name, 6, 1),
    )
    assert report.by_key == (
        SpendSlice("Team key", 2, 19),
        SpendSlice("another member's personal key", 4, 0),
    )
    assert [(s.label, s.reported, s.estimated) for s in report.by_kind] == [
        ("Dubbing", 0, 12),
        ("Story", 0, 6),
        ("Dialogue", 4, 0),
        ("Voice", 2, 0),
        ("Scripts", 0, 1),
    ]
    assert report.by_project == (SpendSlice("interview.mp4", 0, 12),)
    assert report.reasons == (
        "Story: OrangeClone reports no charge for stories; the estimate is counted.",
        "Dubbing: OrangeClone reports no charge for dubbing; the estimate is counted.",
        "Scripts: scripts cost 1 credit each (the documented price); no charge is reported.",
    )


def test_a_team_with_no_paid_work(session: Session, owner: CurrentUser, clock: FakeClock) -> None:
    report = spend_report(session, owner, clock=clock)
    assert (report.since, report.reported, report.estimated, report.reasons) == (None, 0, 0, ())
    assert all(day.total == 0 for day in report.by_day)
