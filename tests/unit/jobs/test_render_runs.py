"""Starting the dashboard's render: one at a time (a second click is refused, not paid twice),
refused in words when it cannot work (no archive, no voiced speaker, the file gone), and a
run whose heartbeat stopped reads as interrupted and can be started again."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlmodel import Session

from orangeweb.models import Team, utcnow
from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.render_runs import RenderRun, start_render
from orangeweb.services.errors import ConflictError, ValidationError
from tests.support.dubbing_rows import add_dubbing_project

SEGMENTS = [
    {"id": "s1", "speakerId": "speaker_1", "start": 0.5, "end": 2.0, "text": "Welcome back."},
    {"id": "s2", "speakerId": "speaker_2", "start": 3.0, "end": 5.0, "text": "Thank you."},
]


def _project(session: Session, actor: CurrentUser, key_id: int, alex: int, data_dir: Path) -> int:
    source = data_dir / "media" / "1" / "clip.mp4"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_bytes(b"(the source; never read by these tests)")
    return add_dubbing_project(
        session,
        actor,
        key_id,
        status="transcribed",
        transcript={"speakers": [], "segments": [dict(s) for s in SEGMENTS]},
        voice_mapping={"speaker_1": {"type": "character", "character_id": alex}},
    )


async def test_a_render_runs_once_at_a_time_and_again_once_interrupted(
    session: Session, owner: CurrentUser, team_key: int, alex: int, data_dir: Path
) -> None:
    project_id = _project(session, owner, team_key, alex, data_dir)
    runs: list[RenderRun] = []
    view = await start_render(
        session, owner, project_id, submission_key="r1", data_dir=data_dir, runner=runs.append
    )
    assert view.render.state == "waiting" and view.render.detail == "Starting"
    assert [run.project_id for run in runs] == [project_id]
    with pytest.raises(ConflictError, match="being rendered already"):
        await start_render(
            session, owner, project_id, submission_key="r2", data_dir=data_dir, runner=runs.append
        )
    assert len(runs) == 1

    project = session.get(DubbingProject, project_id)
    assert project is not None
    project.render_heartbeat_at = utcnow() - timedelta(minutes=5)  # its process died
    session.commit()
    again = await start_render(
        session, owner, project_id, submission_key="r3", data_dir=data_dir, runner=runs.append
    )
    assert again.render.state == "waiting" and len(runs) == 2


async def test_a_render_is_refused_in_words_when_it_cannot_work(
    session: Session, owner: CurrentUser, team_key: int, alex: int, data_dir: Path
) -> None:
    project_id = _project(session, owner, team_key, alex, data_dir)
    runs: list[RenderRun] = []

    async def start() -> None:
        await start_render(
            session, owner, project_id, submission_key="r", data_dir=data_dir, runner=runs.append
        )

    project = session.get(DubbingProject, project_id)
    assert project is not None
    project.voice_mapping = {"speaker_1": {"type": "original"}}
    session.commit()
    with pytest.raises(ValidationError, match="Every speaker keeps the original voice"):
        await start()
    team = session.get(Team, owner.team_id)
    assert team is not None
    team.archive_outputs = False
    session.commit()
    with pytest.raises(ValidationError, match="archive of outputs"):
        await start()
    team.archive_outputs = True
    session.commit()
    (data_dir / "media" / "1" / "clip.mp4").unlink()
    with pytest.raises(ValidationError, match="no longer in the dashboard"):
        await start()
    assert runs == []
