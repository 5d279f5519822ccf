"""Every edit of a project's transcript is a revision: recorded for undo/redo, saved only over
the revision the editor saw (a teammate's edit in between refuses it, with their name), and
announced to the team's open pages.

The check is a conditional UPDATE (`… WHERE revision = seen`), so two editors committing at
the same moment cannot both win, on SQLite and PostgreSQL alike.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import sqlalchemy as sa
from sqlmodel import Session, col

from orangeweb.models import Job, User
from orangeweb.models.dubbing import DubbingProject
from orangeweb.orangeclone.constants import LANGUAGES_BY_CODE
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing.remote_sync import snapshot
from orangeweb.services.dubbing.status import touch
from orangeweb.services.errors import ConflictError
from orangeweb.services.jobs.notices import get_notice_bus
from orangeweb.services.jobs.status import notice_for

HISTORY_DEPTH = 50


def _snapshot(project: DubbingProject, label: str, actor: CurrentUser) -> dict[str, Any]:
    return {
        "label": label,
        "by": actor.display_name,
        "segments": list(project.transcript.get("segments", [])),
        "speakers": list(project.transcript.get("speakers", [])),
        "restructured": project.restructured,
        # The translations in a snapshot are this language's: undone only while it is open.
        "language": project.target_language or "",
    }


def language_name(code: str) -> str:
    """ "Spanish"; the original language when there is no translation."""
    found = LANGUAGES_BY_CODE.get(code)
    return found.name if found else "the original language"


def conflict_words(session: Session, project: DubbingProject) -> str:
    editor = session.get(User, project.revised_by_id) if project.revised_by_id else None
    who = editor.display_name if editor else "A teammate"
    return (
        f"{who} changed this project a moment ago, so your edit was not saved over theirs. "
        "The page now shows their change: make your edit again."
    )


def check_revision(session: Session, project: DubbingProject, seen: int | None) -> None:
    """Refuse an edit made on an older revision than the saved one (None: not checked)."""
    if seen is not None and seen != project.revision:
        raise ConflictError(conflict_words(session, project))


def remember(project: DubbingProject, label: str, actor: CurrentUser) -> None:
    """Before an edit: the transcript as it is now goes on the undo stack; redo is cleared."""
    history = project.edit_history or {}
    if not history and not project.remote_segments:
        # The first edit here, of a transcript cached before what the API holds was recorded
        # (the migration left it empty): until now the transcript was the API's answer. Without
        # this, the edit would never be sent and the API's next answer would take it back.
        project.remote_segments = snapshot(project.transcript.get("segments", []))
    undo = [*history.get("undo", []), _snapshot(project, label, actor)][-HISTORY_DEPTH:]
    project.edit_history = {"undo": undo, "redo": []}


def step_back(project: DubbingProject, actor: CurrentUser, *, forward: bool) -> str:
    """Undo (or redo, `forward`) the last edit: the transcript swaps with the snapshot on top
    of that stack. Returns the edit's label. No commit."""
    history = project.edit_history or {}
    source, target = ("redo", "undo") if forward else ("undo", "redo")
    stack = list(history.get(source, []))
    if not stack:
        raise ConflictError("There is nothing to redo." if forward else "There is nothing to undo.")
    top = stack.pop()
    if top.get("language", project.target_language or "") != (project.target_language or ""):
        name = language_name(str(top["language"]))
        raise ConflictError(
            f"“{top['label']}” was done while {name} was open: open {name} to "
            f"{'redo' if forward else 'undo'} it."
        )
    other = [*history.get(target, []), _snapshot(project, top["label"], actor)][-HISTORY_DEPTH:]
    project.edit_history = {source: stack, target: other}
    project.transcript = {
        **project.transcript,
        "segments": top["segments"],
        "speakers": top["speakers"],
    }
    project.restructured = bool(top.get("restructured")) or project.restructured
    return str(top["label"])


def save_revision(session: Session, project: DubbingProject, actor: CurrentUser) -> None:
    """Commit the edited project as the next revision, unless someone saved one meanwhile."""
    seen = project.revision
    claimed = session.execute(
        sa.update(DubbingProject)
        .where(col(DubbingProject.id) == project.id, col(DubbingProject.revision) == seen)
        .values(revision=seen + 1)
        .execution_options(synchronize_session=False)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        session.rollback()
        fresh = session.get(DubbingProject, project.id, populate_existing=True)
        raise ConflictError(conflict_words(session, fresh or project))
    project.revision = seen + 1
    project.revised_by_id = actor.user_id
    touch(project)
    session.commit()


async def announce(session: Session, project: DubbingProject) -> None:
    """Tell the team's open pages the project changed: a notice of its job that is not final
    (so no tab toasts "ready" again for it)."""
    job = session.get(Job, project.job_id) if project.job_id else None
    if job is not None:
        await get_notice_bus().publish(dataclasses.replace(notice_for(job), is_final=False))
