"""The segment studio's saved edits against a project row: every edit is one revision (undo and
redo restore the exact segments; an edit made on an older revision is refused naming who saved
the newer one, and changes nothing), it marks the project restructured and is announced on the
notice bus as not final; nothing is edited while OrangeClone works on the project.

Also how OrangeClone's later answers fold into a transcript edited here (`remote_sync`), what
`review` sends (only the ids the API knows; pending edits before translating; no OrangeClone
dub of a restructured project), and the render plan (which lines need a new take, at what
price, against a full re-dub). Against a mocked OrangeClone."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.models.dubbing import DubbingProject, DubbingTake
from orangeweb.orangeclone.costs import billing_blocks
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import (
    remote_sync,
    render_plans,
    review,
    segment_edits,
    speaker_repair,
)
from orangeweb.services.dubbing.review import SegmentChange
from orangeweb.services.dubbing.segment_history import save_revision
from orangeweb.services.errors import ConflictError, ValidationError
from orangeweb.services.jobs.estimates import speech_seconds
from orangeweb.services.jobs.notices import get_notice_bus
from tests.support.dubbing_rows import add_dubbing_project

from .conftest import OPENER

SPEAKERS = [
    {"id": "speaker_1", "label": "Speaker 1", "segmentCount": 3},
    {"id": "speaker_2", "label": "Speaker 2", "segmentCount": 1},
]
SEGMENTS = [
    {"id": "s1", "speakerId": "speaker_1", "start": 0.5, "end": 2.0, "text": "Welcome back"},
    {"id": "s2", "speakerId": "speaker_1", "start": 2.2, "end": 4.0, "text": "to the show."},
    {"id": "s3", "speakerId": "speaker_2", "start": 5.0, "end": 7.0, "text": "Thank you all."},
    {"id": "s4", "speakerId": "speaker_1", "start": 8.0, "end": 10.0, "text": "Let us begin."},
]
MERGED_TEXT = "Welcome back to the show."
SPLIT_AT = 6.2  # s3 cut after "Thank you" (the word boundary nearest 60 % of its words)
OK = {"success": True, "data": {"jobId": "dub_1"}}
LONG_LINE = (
    "This line keeps going for quite a while, so that its take lasts longer than ten seconds "
    "and is billed as two blocks of ten seconds, since every started block of ten seconds is "
    "charged in full by OrangeClone."
)


def _answer(translations: dict[str, str] | None = None, **segment_texts: str) -> dict[str, Any]:
    """OrangeClone's transcript in the cache's shape (`status.transcript_from`), with the
    given translations, and texts replaced by `segment_texts`."""
    segments = []
    for segment in SEGMENTS:
        segment_id = str(segment["id"])
        one: dict[str, Any] = {**segment, "text": segment_texts.get(segment_id, segment["text"])}
        if translations and segment_id in translations:
            one["translatedText"] = translations[segment_id]
        segments.append(one)
    return {
        "status": "translated" if translations else "transcribed",
        "speakers": [dict(s) for s in SPEAKERS],
        "segments": segments,
        "sourceLanguage": "en",
        "targetLanguage": "es" if translations else None,
        "duration": 12.0,
    }


def _project(
    session: Session,
    actor: CurrentUser,
    key_id: int,
    *,
    status: str = "transcribed",
    tracked: bool = True,
    **fields: Any,
) -> int:
    """A project whose dubbing job rests at `status`, its transcript as OrangeClone answered
    (`tracked`: taken as the tracker takes answers, so what the API holds is recorded; else
    only the transcript, as for a project transcribed before that was kept)."""
    final = status == "completed"
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind="dubbing",
        status=status,
        is_final=final,
        succeeded=final,
        submission_key="dub-1",
        remote_id="dub_1",
        title="clip.mp4",
    )
    session.add(job)
    session.flush()
    project_id = add_dubbing_project(
        session,
        actor,
        key_id,
        job_id=job.id,
        status=status,
        remote_job_id="dub_1",
        transcript={} if tracked else _answer(),
        **fields,
    )
    if tracked:
        project = _row(session, project_id)
        remote_sync.take_answer(project, _answer())
        session.commit()
    return project_id


def _row(session: Session, project_id: int) -> DubbingProject:
    project = session.get(DubbingProject, project_id, populate_existing=True)
    assert project is not None
    return project


def _segments(session: Session, project_id: int) -> list[dict[str, Any]]:
    return list(_row(session, project_id).transcript["segments"])


def _counts(session: Session, project_id: int) -> dict[str, int]:
    speakers = _row(session, project_id).transcript["speakers"]
    return {str(s["id"]): int(s["segmentCount"]) for s in speakers}


# --- revisions, undo and redo ---


async def test_merge_then_undo_restores_the_exact_segments_and_redo_reapplies(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    view = await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])
    assert (view.revision, view.restructured) == (1, True)
    assert (view.undo_label, view.redo_label) == ("Merge 2 segments", None)
    merged = _segments(session, project_id)
    assert [s["id"] for s in merged] == ["s1", "s3", "s4"]
    assert (merged[0]["start"], merged[0]["end"], merged[0]["text"]) == (0.5, 4.0, MERGED_TEXT)
    assert _counts(session, project_id) == {"speaker_1": 2, "speaker_2": 1}

    undone, label = await segment_edits.undo(session, owner, project_id, 1)
    assert label == "Merge 2 segments"
    assert _segments(session, project_id) == SEGMENTS  # exactly as before, ids and all
    assert _counts(session, project_id) == {"speaker_1": 3, "speaker_2": 1}
    assert (undone.revision, undone.undo_label, undone.redo_label) == (2, None, "Merge 2 segments")

    redone, label = await segment_edits.undo(session, owner, project_id, 2, redo=True)
    assert label == "Merge 2 segments"
    assert _segments(session, project_id) == merged
    assert (redone.revision, redone.undo_label, redone.redo_label) == (3, "Merge 2 segments", None)
    assert [s.id for s in redone.segments] == ["s1", "s3", "s4"]

    with pytest.raises(ConflictError, match="nothing to redo"):
        await segment_edits.undo(session, owner, project_id, 3, redo=True)


async def test_a_new_edit_clears_redo_and_nothing_to_undo_is_said(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    with pytest.raises(ConflictError, match="nothing to undo"):
        await segment_edits.undo(session, owner, project_id, 0)
    await segment_edits.delete_segments(session, owner, project_id, 0, ["s3"])
    await segment_edits.undo(session, owner, project_id, 1)
    view = await segment_edits.retime_segment(session, owner, project_id, 2, "s4", 8.5, 10.5)
    assert (view.undo_label, view.redo_label) == ("Retime a segment", None)
    assert _row(session, project_id).edit_history["redo"] == []


async def test_every_edit_is_one_revision_and_marks_the_layout_the_dashboards(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    assert not _row(session, project_id).restructured
    edits = [
        lambda seen: segment_edits.merge_segments(session, owner, project_id, seen, ["s1", "s2"]),
        lambda seen: segment_edits.split_segment(
            session, owner, project_id, seen, "s3", at=SPLIT_AT
        ),
        lambda seen: segment_edits.retime_segment(session, owner, project_id, seen, "s4", 8, 9),
        lambda seen: segment_edits.add_segment(
            session, owner, project_id, seen, start=10, end=11, speaker_id="speaker_2", text="Bye"
        ),
        lambda seen: segment_edits.delete_segments(session, owner, project_id, seen, ["s4"]),
    ]
    for seen, edit in enumerate(edits):
        view = await edit(seen)
        project = _row(session, project_id)
        assert (view.revision, project.revision) == (seen + 1, seen + 1)
        assert project.restructured and project.revised_by_id == owner.user_id
    labels = [s["label"] for s in _row(session, project_id).edit_history["undo"]]
    assert labels == [
        "Merge 2 segments",
        "Split a segment",
        "Retime a segment",
        "Add a segment",
        "Delete a segment",
    ]
    texts = [(s["speakerId"], s["text"]) for s in _segments(session, project_id)]
    assert texts == [
        ("speaker_1", MERGED_TEXT),
        ("speaker_2", "Thank you"),
        ("speaker_2", "all."),
        ("speaker_2", "Bye"),
    ]
    assert _counts(session, project_id) == {"speaker_1": 1, "speaker_2": 3}


async def test_an_edit_on_an_old_revision_is_refused_naming_who_saved_since(
    session: Session, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])
    before = _row(session, project_id)
    saved = (dict(before.transcript), dict(before.edit_history), before.revision)

    refusals = [
        segment_edits.split_segment(session, member, project_id, 0, "s3", at=SPLIT_AT),
        segment_edits.delete_segments(session, member, project_id, 0, ["s4"]),
        segment_edits.undo(session, member, project_id, 0),
    ]
    for refused in refusals:
        with pytest.raises(ConflictError, match="Olivia changed this project a moment ago"):
            await refused
    after = _row(session, project_id)
    assert (after.transcript, after.edit_history, after.revision) == saved
    assert after.revised_by_id == owner.user_id

    # On the revision the page now shows, the teammate's edit goes through.
    view = await segment_edits.split_segment(session, member, project_id, 1, "s3", at=SPLIT_AT)
    assert view.revision == 2 and _row(session, project_id).revised_by_id == member.user_id
    with pytest.raises(ConflictError, match="Mia changed this project"):
        await segment_edits.undo(session, owner, project_id, 1)


async def test_a_revision_saved_meanwhile_wins_over_a_save_in_flight(
    session: Session, engine: Engine, owner: CurrentUser, member: CurrentUser, team_key: int
) -> None:
    """Both editors saw revision 0; the teammate's save lands between this editor's check
    and its save: the conditional update refuses it, and its change is rolled back."""
    project_id = _project(session, owner, team_key)
    stale = _row(session, project_id)
    stale.transcript = {**stale.transcript, "segments": SEGMENTS[:1]}
    with Session(engine) as teammate:
        theirs = teammate.get(DubbingProject, project_id)
        assert theirs is not None
        theirs.revision, theirs.revised_by_id = 1, member.user_id
        teammate.commit()
    with pytest.raises(ConflictError, match="Mia changed this project"):
        save_revision(session, stale, owner)
    kept = _row(session, project_id)
    assert (kept.revision, kept.revised_by_id) == (1, member.user_id)
    assert kept.transcript["segments"] == SEGMENTS


async def test_an_edit_is_announced_to_the_team_as_not_final(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key, status="completed")  # a finished dub
    job_id = _row(session, project_id).job_id
    async with get_notice_bus().subscribe(owner.team_id) as notices:
        await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])
        notice = await asyncio.wait_for(anext(notices), 5)
    assert (notice.team_id, notice.job_id, notice.kind) == (owner.team_id, job_id, "dubbing")
    assert notice.status == "completed" and notice.is_final is False  # no second "ready" toast


async def test_nothing_is_edited_while_orangeclone_translates(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(session, owner, team_key, status="translating")
    with pytest.raises(ConflictError, match="OrangeClone is translating this project"):
        await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])
    with pytest.raises(ConflictError, match="translating"):
        await segment_edits.auto_merge_segments(session, owner, project_id, 0)
    with pytest.raises(ConflictError, match="still translating"):
        await review.edit_segment_text(session, owner, project_id, "s1", "Hi", opener=OPENER)
    project = _row(session, project_id)
    assert (project.revision, project.edit_history, project.restructured) == (0, {}, False)
    assert project.transcript["segments"] == SEGMENTS and not route.called


async def test_auto_merge_is_one_edit_and_says_when_nothing_joins(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    with pytest.raises(ValidationError, match=r"less than 0\.1 s apart"):
        await segment_edits.auto_merge_segments(session, owner, project_id, 0, pause_s=0.1)
    with pytest.raises(ValidationError, match="between 0 and 5 seconds"):
        await segment_edits.auto_merge_segments(session, owner, project_id, 0, pause_s=9)
    view = await segment_edits.auto_merge_segments(session, owner, project_id, 0)
    assert view.undo_label == "Auto-merge 4 segments into 3" and view.revision == 1
    assert [s["id"] for s in _segments(session, project_id)] == ["s1", "s3", "s4"]


# --- OrangeClone's answers after edits here ---


async def test_before_any_edit_the_answer_is_the_transcript(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    project = _row(session, project_id)
    answer = _answer({"s1": "Bienvenidos"}, s2="to our show.")
    remote_sync.take_answer(project, answer)
    assert project.transcript == answer
    assert project.remote_segments["s2"] == {
        "text": "to our show.",
        "speakerId": "speaker_1",
        "translatedText": None,
    }


async def test_an_answer_brings_new_translations_but_not_back_a_merge(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])
    project = _row(session, project_id)
    remote_sync.take_answer(
        project, _answer({"s1": "Bienvenidos", "s2": "al programa.", "s3": "Gracias a todos."})
    )
    segments = {str(s["id"]): s for s in project.transcript["segments"]}
    assert list(segments) == ["s1", "s3", "s4"]  # the merged-away s2 does not come back
    assert (segments["s1"]["text"], segments["s1"]["end"]) == (MERGED_TEXT, 4.0)
    assert segments["s1"]["translatedText"] == "Bienvenidos"  # what the API made is adopted
    assert segments["s3"]["translatedText"] == "Gracias a todos."
    assert "translatedText" not in segments["s4"]
    assert project.transcript["targetLanguage"] == "es"
    assert {s["id"]: s["segmentCount"] for s in project.transcript["speakers"]} == {
        "speaker_1": 2,
        "speaker_2": 1,
    }
    assert project.remote_segments["s2"]["translatedText"] == "al programa."  # as the API holds


async def test_an_answer_after_a_split_keeps_the_new_line(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    project_id = _project(session, owner, team_key)
    await segment_edits.split_segment(session, owner, project_id, 0, "s3", at=SPLIT_AT)
    project = _row(session, project_id)
    local_id = next(str(s["id"]) for s in project.transcript["segments"] if s["text"] == "all.")
    assert not remote_sync.is_remote(local_id)
    remote_sync.take_answer(project, _answer({"s3": "Gracias"}, s3="Thank you"))
    segments = {str(s["id"]): s for s in project.transcript["segments"]}
    assert list(segments) == ["s1", "s2", "s3", local_id, "s4"]
    assert (segments["s3"]["text"], segments["s3"]["translatedText"]) == ("Thank you", "Gracias")
    assert segments[local_id]["text"] == "all." and segments[local_id]["start"] == SPLIT_AT


async def test_pending_edits_are_what_the_api_holds_differently(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(session, owner, team_key)
    assert remote_sync.pending_edits(_row(session, project_id)) == []

    # An edit sent to the API, then undone here: the API must get the old words back.
    await review.edit_segment_text(session, owner, project_id, "s4", "Let's go.", opener=OPENER)
    assert remote_sync.pending_edits(_row(session, project_id)) == []  # it was sent
    await segment_edits.undo(session, owner, project_id, 1)
    await segment_edits.merge_segments(session, owner, project_id, 2, ["s1", "s2"])
    await segment_edits.split_segment(session, owner, project_id, 3, "s3", at=SPLIT_AT)
    local_id = next(s["id"] for s in _segments(session, project_id) if s["text"] == "all.")
    await review.edit_segment_text(session, owner, project_id, local_id, "everyone.")

    pending = remote_sync.pending_edits(_row(session, project_id))
    assert [edit.to_wire() for edit in pending] == [
        {"id": "s1", "text": MERGED_TEXT},
        {"id": "s3", "text": "Thank you"},
        {"id": "s4", "text": "Let us begin."},
    ]  # no "local-" id: the API never saw those lines


async def test_a_project_transcribed_before_edits_were_tracked_keeps_its_merge(
    session: Session, owner: CurrentUser, team_key: int
) -> None:
    """A transcript cached before the dashboard recorded what the API holds: its first edit
    here records the transcript as the API's, so a merge is still sent and still kept."""
    project_id = _project(session, owner, team_key, tracked=False)
    assert _row(session, project_id).remote_segments == {}
    await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])
    project = _row(session, project_id)
    assert [e.to_wire() for e in remote_sync.pending_edits(project)] == [
        {"id": "s1", "text": MERGED_TEXT}
    ]
    remote_sync.take_answer(project, _answer({"s1": "Bienvenidos"}))
    first = project.transcript["segments"][0]
    assert (first["text"], first["translatedText"]) == (MERGED_TEXT, "Bienvenidos")


# --- what review sends ---


async def test_a_line_made_here_is_edited_here_only(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(session, owner, team_key)
    await segment_edits.split_segment(session, owner, project_id, 0, "s3", at=SPLIT_AT)
    local_id = next(s["id"] for s in _segments(session, project_id) if s["text"] == "all.")

    view = await review.edit_segment_text(
        session, owner, project_id, local_id, " every   one. ", opener=OPENER
    )
    assert not route.called
    assert next(s.text for s in view.segments if s.id == local_id) == "every one."
    project = _row(session, project_id)
    assert next(s for s in project.transcript["segments"] if s["id"] == local_id)["text"] == (
        "every one."
    )
    assert local_id not in project.remote_segments
    assert (view.revision, view.undo_label) == (2, "Edit a line")


async def test_a_line_the_api_knows_is_sent_once_with_only_its_ids(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(session, owner, team_key)
    await segment_edits.split_segment(session, owner, project_id, 0, "s3", at=SPLIT_AT)
    local_id = next(s["id"] for s in _segments(session, project_id) if s["text"] == "all.")

    view = await review.edit_segments(
        session,
        owner,
        project_id,
        [
            SegmentChange("s1", text="Welcome back, everyone"),
            SegmentChange(local_id, speaker_id="speaker_1"),
        ],
        opener=OPENER,
    )
    assert route.call_count == 1
    assert json.loads(route.calls.last.request.content) == {
        "jobId": "dub_1",
        "segments": [{"id": "s1", "text": "Welcome back, everyone"}],
    }
    by_id = {s.id: s for s in view.segments}
    assert by_id["s1"].text == "Welcome back, everyone"
    assert by_id[local_id].speaker_id == "speaker_1"
    project = _row(session, project_id)
    assert project.remote_segments["s1"]["text"] == "Welcome back, everyone"
    assert (project.revision, view.undo_label) == (2, "Edit 2 lines")
    assert _counts(session, project_id) == {"speaker_1": 4, "speaker_2": 1}

    # Undone: the API's copy is now the one that differs.
    await segment_edits.undo(session, owner, project_id, 2)
    assert [e.to_wire() for e in remote_sync.pending_edits(_row(session, project_id))] == [
        {"id": "s1", "text": "Welcome back"},
        {"id": "s3", "text": "Thank you"},
    ]
    assert route.call_count == 1


async def test_translate_first_sends_what_the_api_holds_differently(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    segments = api.post("/dubbing_segments").respond(200, json=OK)
    translate = api.post("/dubbing_translate").respond(
        200, json={"success": True, "data": {"status": "translating"}}
    )
    project_id = _project(session, owner, team_key)
    await segment_edits.merge_segments(session, owner, project_id, 0, ["s1", "s2"])

    view = await review.translate(session, owner, project_id, "es", opener=OPENER)
    sent_in_order = [call.request.url.path.rsplit("/", 1)[-1] for call in api.calls]
    assert sent_in_order == ["dubbing_segments", "dubbing_translate"]
    assert json.loads(segments.calls.last.request.content) == {
        "jobId": "dub_1",
        "segments": [{"id": "s1", "text": MERGED_TEXT}],
    }
    assert json.loads(translate.calls.last.request.content)["targetLanguage"] == "es"
    assert view.status == "translating"
    project = _row(session, project_id)
    assert remote_sync.pending_edits(project) == []
    assert project.remote_segments["s1"]["text"] == MERGED_TEXT


async def test_no_orangeclone_dub_of_a_restructured_project(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    settings = api.put("/dubbing/dub_1").respond(200, json=OK)
    clone = api.post("/dubbing_clone").respond(200, json=OK)
    project_id = _project(session, owner, team_key)
    await segment_edits.retime_segment(session, owner, project_id, 0, "s4", 8.0, 9.5)
    await segment_edits.undo(session, owner, project_id, 1)  # undone, still not the API's
    with pytest.raises(ConflictError, match="render the dub in the dashboard"):
        await review.clone(session, owner, project_id, opener=OPENER)
    assert not settings.called and not clone.called
    assert _row(session, project_id).busy_step is None


# --- render plans ---


def _take(
    session: Session,
    actor: CurrentUser,
    key_id: int,
    project_id: int,
    character_id: int,
    segment: dict[str, Any],
    *,
    finished: bool,
) -> int:
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind="voice",
        status="completed" if finished else "processing",
        is_final=finished,
        succeeded=finished,
        submission_key=f"take-{segment['id']}",
        remote_id=f"take_{segment['id']}",
        title=str(segment["text"]),
    )
    session.add(job)
    session.flush()
    take = DubbingTake(
        team_id=actor.team_id,
        project_id=project_id,
        segment_id=str(segment["id"]),
        text=str(segment["text"]),
        character_id=character_id,
        character_name="Alex",
        job_id=job.id,
        pinned=True,
        start_s=float(segment["start"]),
        end_s=float(segment["end"]),
        created_by_id=actor.user_id,
    )
    session.add(take)
    session.commit()
    assert take.id is not None
    return take.id


def _needs(session: Session, project_id: int) -> dict[str, str]:
    return {
        p.segment_id: p.need for p in render_plans.line_plans(session, _row(session, project_id))
    }


async def test_each_line_needs_a_take_unless_it_has_one_of_its_words(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(
        session,
        owner,
        team_key,
        voice_mapping={
            "speaker_1": {"type": "character", "character_id": alex},
            "speaker_2": {"type": "original"},
        },
    )
    ready = _take(session, owner, team_key, project_id, alex, SEGMENTS[0], finished=True)
    making = _take(session, owner, team_key, project_id, alex, SEGMENTS[1], finished=False)
    assert _needs(session, project_id) == {
        "s1": "ready",
        "s2": "making",
        "s3": "original",  # its speaker keeps the source's voice
        "s4": "needed",
    }
    plans = {p.segment_id: p for p in render_plans.line_plans(session, _row(session, project_id))}
    assert (plans["s1"].take_id, plans["s2"].take_id, plans["s4"].take_id) == (ready, making, None)

    await review.edit_segment_text(session, owner, project_id, "s1", "Welcome!", opener=OPENER)
    assert _needs(session, project_id)["s1"] == "needed"  # its take says the old words
    await segment_edits.retime_segment(session, owner, project_id, 1, "s2", 2.3, 4.0)
    assert _needs(session, project_id)["s2"] == "needed"  # its take fits the old times
    await segment_edits.undo(session, owner, project_id, 2)
    await segment_edits.undo(session, owner, project_id, 3)
    assert _needs(session, project_id) == {
        "s1": "ready",
        "s2": "making",
        "s3": "original",
        "s4": "needed",
    }


async def test_the_plan_prices_new_takes_against_a_full_redub(
    session: Session, owner: CurrentUser, team_key: int, alex: int, api: Any
) -> None:
    api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(
        session,
        owner,
        team_key,
        voice_mapping={"speaker_1": {"type": "character", "character_id": alex}},
    )
    _take(session, owner, team_key, project_id, alex, SEGMENTS[0], finished=True)
    plan = render_plans.render_plan(session, owner, project_id)
    assert (plan.count("ready"), plan.count("needed"), plan.count("original")) == (1, 2, 1)
    assert plan.needed_ids == ["s2", "s4"] and plan.voiced == 3
    # Two short lines: a started 10 s block each; 12 s of media: two blocks for a re-dub.
    assert (plan.take_credits, plan.full_redub_credits) == (2, 2)
    assert plan.full_redub_allowed and plan.recommended == "changed"  # not cheaper: the takes
    # Pro key, 30 requests a minute: 3 requests a take, 0.6 s of mixing, 10 s to start.
    assert plan.eta_s == pytest.approx(2 * 3 * 2 + 12 * 0.05 + 10)
    assert plan.words == (
        "Render changed: 2 new takes ≈ 2 credits (each line billed per started 10 s), about 25 s "
        "on this Pro key; a full re-dub of 12.0 s costs 2 credits. Both cost the same; render "
        "changed keeps every other line as it is."
    )

    assert 10 < speech_seconds(LONG_LINE) < 20 and billing_blocks(speech_seconds(LONG_LINE)) == 2
    await review.edit_segment_text(session, owner, project_id, "s4", LONG_LINE, opener=OPENER)
    longer = render_plans.render_plan(session, owner, project_id)
    assert longer.take_credits == 3  # 1 + 2: a line over 10 s is billed two blocks
    assert longer.recommended == "full"  # 2 credits for the whole media is less
    assert "2 new takes ≈ 3 credits" in longer.words and "costs 2 credits." in longer.words

    await segment_edits.merge_segments(session, owner, project_id, 1, ["s1", "s2"])
    restructured = render_plans.render_plan(session, owner, project_id)
    assert restructured.needed_ids == ["s1", "s4"]  # the merged line is new words
    assert not restructured.full_redub_allowed and restructured.recommended == "changed"
    assert restructured.words.endswith(
        "a full re-dub of 12.0 s costs 2 credits (not possible: the segments were restructured "
        "here)."
    )


async def test_a_plan_with_every_take_made_costs_nothing(
    session: Session, owner: CurrentUser, team_key: int, alex: int
) -> None:
    project_id = _project(
        session,
        owner,
        team_key,
        voice_mapping={"speaker_2": {"type": "character", "character_id": alex}},
    )
    _take(session, owner, team_key, project_id, alex, SEGMENTS[2], finished=True)
    plan = render_plans.render_plan(session, owner, project_id)
    assert (plan.take_credits, plan.needed_ids, plan.count("ready")) == (0, [], 1)
    assert plan.words.startswith("Render: every line has its take, nothing to pay")
    assert "a full re-dub of 12.0 s costs 2 credits" in plan.words


async def test_a_speaker_split_off_is_a_new_speaker_of_the_dashboards_own(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json=OK)
    project_id = _project(session, owner, team_key)
    with pytest.raises(ValidationError, match="one speaker"):
        await speaker_repair.split_speaker(session, owner, project_id, 0, ["s1", "s3"])
    view = await speaker_repair.split_speaker(session, owner, project_id, 0, ["s2", "s4"])
    new = view.speakers[-1]
    assert (new.id, new.label, new.segment_count) == ("local-speaker-3", "Speaker 3", 2)
    assert [s.speaker_id for s in view.segments] == [
        "speaker_1",
        "local-speaker-3",
        "speaker_2",
        "local-speaker-3",
    ]
    assert view.restructured
    # Its lines' words still reach OrangeClone; the move to a speaker it never found does not.
    await review.edit_segments(
        session, owner, project_id, [SegmentChange("s2", text="to our show.")], opener=OPENER
    )
    assert json.loads(route.calls.last.request.content)["segments"] == [
        {"id": "s2", "text": "to our show."}
    ]
    assert remote_sync.pending_edits(_row(session, project_id)) == []
    undone, _label = await segment_edits.undo(session, owner, project_id, 2)
    undone, _label = await segment_edits.undo(session, owner, project_id, 3)
    assert [s.id for s in undone.speakers] == ["speaker_1", "speaker_2"]
