"""Importing SRT and WebVTT into a dubbing transcript or translation: every cue checked first
(one bad cue imports nothing, each problem said), cues landing on the segment they overlap
most, speakers from voice tags or "Name:" prefixes, an export imported back a no-op."""

from __future__ import annotations

import json
from typing import Any

import pytest
from sqlmodel import Session

from orangeweb.models import Job
from orangeweb.models.dubbing import DubbingProject
from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.dubbing import segment_edits, subtitle_import, subtitle_layout
from orangeweb.services.dubbing.voices import subtitles
from orangeweb.services.errors import ValidationError
from orangeweb.services.media.subtitle_files import read_subtitles
from tests.support.dubbing_rows import add_dubbing_project

from .conftest import OPENER

SEGMENTS = [
    {"id": "seg_1", "speakerId": "speaker_1", "start": 0.5, "end": 2.5, "text": "Welcome back."},
    {"id": "seg_2", "speakerId": "speaker_2", "start": 3.0, "end": 5.0, "text": "Thank you."},
    {"id": "seg_3", "speakerId": "speaker_1", "start": 6.0, "end": 9.0, "text": "Let us begin."},
]
SPEAKERS = [{"id": "speaker_1", "label": "Speaker 1"}, {"id": "speaker_2", "label": "Speaker 2"}]


def _project(session: Session, actor: CurrentUser, key_id: int) -> int:
    job = Job(
        team_id=actor.team_id,
        created_by_id=actor.user_id,
        api_key_id=key_id,
        kind="dubbing",
        status="transcribed",
        submission_key="dub-1",
        remote_id="dub_1",
        title="clip.mp4",
    )
    session.add(job)
    session.flush()
    return add_dubbing_project(
        session,
        actor,
        key_id,
        job_id=job.id,
        duration_s=10.0,
        status="transcribed",
        remote_job_id="dub_1",
        transcript={"speakers": SPEAKERS, "segments": [dict(s) for s in SEGMENTS]},
        speaker_names={"speaker_1": "Host", "speaker_2": "Guest"},
    )


def test_cues_are_read_with_their_speakers() -> None:
    srt_cues = read_subtitles(
        b"1\n00:00:00,500 --> 00:00:02,500\nHost: Welcome\nback.\n\n"
        b"2\n00:00:03,000 --> 00:00:05,000\nNo speaker here\n"
    )
    assert [(c.number, c.start, c.end, c.text, c.speaker) for c in srt_cues] == [
        (1, 0.5, 2.5, "Welcome back.", "Host"),
        (2, 3.0, 5.0, "No speaker here", None),
    ]
    vtt_cues = read_subtitles(
        "WEBVTT\n\nNOTE made by hand\n\n"
        "00:00:06.250 --> 00:00:09.000\n<v Guest>¿Empezamos?</v>\n".encode()
    )
    assert [(c.start, c.text, c.speaker) for c in vtt_cues] == [(6.25, "¿Empezamos?", "Guest")]
    for bad, words in [
        (b"", "empty"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b"WEBVTT\n\nnot a cue at all", "WebVTT"),
        (b"1\n00:00:01,000 -> nonsense\n", "SRT"),
    ]:
        with pytest.raises(ValidationError, match=words):
            read_subtitles(bad)


async def test_a_translation_lands_on_its_segments_and_moves_a_speaker(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json={"success": True})
    project_id = _project(session, owner, team_key)
    project = session.get(DubbingProject, project_id)
    assert project is not None
    project.target_language = "es"
    session.commit()
    vtt = (
        "WEBVTT\n\n00:00:00.400 --> 00:00:01.500\n<v Host>Bienvenidos</v>\n\n"
        "00:00:01.500 --> 00:00:02.600\n<v Host>de nuevo.</v>\n\n"
        "00:00:06.000 --> 00:00:09.000\n<v Guest>Empecemos.</v>\n"
    )
    done = await subtitle_import.import_subtitles(
        session, owner, project_id, vtt.encode(), "translation", opener=OPENER
    )
    assert (done.cues, done.changed) == (3, 2)
    sent = json.loads(route.calls.last.request.content)["segments"]
    assert sent == [
        {"id": "seg_1", "translatedText": "Bienvenidos de nuevo."},
        {"id": "seg_3", "translatedText": "Empecemos.", "speakerId": "speaker_2"},
    ]
    by_id = {s.id: s for s in done.project.segments}
    assert by_id["seg_1"].translated_text == "Bienvenidos de nuevo."
    assert by_id["seg_3"].speaker_id == "speaker_2"
    assert by_id["seg_2"].translated_text is None  # no cue for it: left as it was


async def test_an_export_imported_back_changes_nothing(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json={"success": True})
    project_id = _project(session, owner, team_key)
    for file_format in ("srt", "vtt"):
        exported = subtitles(session, owner, project_id, file_format, translated=False)
        done = await subtitle_import.import_subtitles(
            session, owner, project_id, exported.encode(), "transcript", opener=OPENER
        )
        assert (done.cues, done.changed) == (3, 0)
    assert not route.called


async def test_every_bad_cue_is_named_and_nothing_is_imported(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json={"success": True})
    project_id = _project(session, owner, team_key)
    bad = (
        b"1\n00:00:01,000 --> 00:00:02,000\nFine.\n\n"
        b"2\n00:00:01,500 --> 00:00:02,200\nOverlaps the first.\n\n"
        b"3\n00:00:09,400 --> 00:00:09,900\nOn no segment.\n\n"
        b"4\n00:00:12,000 --> 00:00:13,000\nAfter the end.\n\n"
        b"5\n00:00:03,000 --> 00:00:04,000\nNarrator: Nobody by that name.\n"
    )
    with pytest.raises(ValidationError) as refused:
        await subtitle_import.import_subtitles(
            session, owner, project_id, bad, "transcript", opener=OPENER
        )
    message = str(refused.value)
    assert message.startswith("Nothing was imported:")
    for words in (
        "Cue 2 (0:01-0:02) overlaps cue 1.",
        "Cue 4 (0:12-0:13) starts after the media ends (0:10).",
        "Cue 3 (0:09-0:09) falls on no segment",
        "No speaker is called “Narrator” here.",
    ):
        assert words in message
    with pytest.raises(ValidationError, match="target language"):
        await subtitle_import.import_subtitles(
            session,
            owner,
            project_id,
            b"1\n00:00:01,000 --> 00:00:02,000\nHola\n",
            "translation",
            opener=OPENER,
        )
    assert not route.called


async def test_a_file_imported_as_the_segments_brings_its_times_and_speakers(
    session: Session, owner: CurrentUser, team_key: int, api: Any
) -> None:
    route = api.post("/dubbing_segments").respond(200, json={"success": True})
    project_id = _project(session, owner, team_key)
    exported = subtitles(session, owner, project_id, "srt", translated=False)
    same = await subtitle_layout.import_segments(session, owner, project_id, exported.encode(), 0)
    assert (same.cues, same.changed) == (3, 0)  # an export imported back: nothing changes
    assert same.project.revision == 0

    srt = (
        "1\n00:00:00,500 --> 00:00:02,500\nHost: Welcome back.\n\n"  # seg_1's times: kept
        "2\n00:00:03,000 --> 00:00:04,000\nThank\n\n"  # seg_2 cut in two by the file
        "3\n00:00:04,000 --> 00:00:05,000\nNarrator: you.\n\n"  # a new speaker
        "4\n00:00:07,000 --> 00:00:09,500\nLet us begin now.\n"  # retimed, no name: overlap
    )
    done = await subtitle_layout.import_segments(session, owner, project_id, srt.encode(), 0)
    assert done.cues == 4
    view = done.project
    assert [(s.start, s.end, s.text) for s in view.segments] == [
        (0.5, 2.5, "Welcome back."),
        (3.0, 4.0, "Thank"),
        (4.0, 5.0, "you."),
        (7.0, 9.5, "Let us begin now."),
    ]
    assert view.segments[0].id == "seg_1" and view.segments[3].id != "seg_3"
    assert [s.speaker_name for s in view.segments] == ["Host", "Guest", "Narrator", "Host"]
    assert "Narrator" in [s.name for s in view.speakers] and view.restructured
    assert not route.called  # a layout of the dashboard's own: nothing sent

    # One bad cue imports nothing; undo brings the old segments back.
    bad = "1\n00:00:08,000 --> 00:00:12,000\nPast the end.\n"
    with pytest.raises(ValidationError, match="runs past the media's end"):
        await subtitle_layout.import_segments(session, owner, project_id, bad.encode(), 1)
    undone, _label = await segment_edits.undo(session, owner, project_id, 1)
    assert [s.id for s in undone.segments] == ["seg_1", "seg_2", "seg_3"]
