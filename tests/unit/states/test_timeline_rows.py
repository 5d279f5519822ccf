"""The timeline's rows: a lane per speaker with segments, each block placed in percent of the
media's duration (zoom only widens the track), stale blocks marked; the waveform as one path;
times typed as seconds or minutes:seconds."""

from __future__ import annotations

from orangeweb.states.dubbing_project_rows import speaker_rows
from orangeweb.states.dubbing_studio import typed_seconds
from orangeweb.states.timeline_rows import timeline_rows, waveform_path
from tests.unit.states.builders import project_view, segment, speaker


def test_each_speaker_has_a_lane_and_each_segment_a_block_at_its_times() -> None:
    view = project_view(
        duration_s=20.0,
        speakers=[speaker(1), speaker(2), speaker(3, segment_count=0)],
        segments=[
            segment("a", "speaker_1", 0.0, 5.0, text="One two three four five six seven"),
            segment("b", "speaker_2", 5.0, 7.5, stale=True),
            segment("c", "speaker_1", 19.0, 25.0),  # past the end: drawn to the end
        ],
    )
    lanes, blocks = timeline_rows(view, speaker_rows(view))
    assert [(lane.speaker_id, lane.top) for lane in lanes] == [
        ("speaker_1", "0px"),
        ("speaker_2", "30px"),
    ]  # a speaker with no segments left has no lane
    assert [(b.id, b.left, b.width, b.top, b.stale) for b in blocks] == [
        ("a", "0.000%", "25.000%", "0px", False),
        ("b", "25.000%", "12.500%", "30px", True),
        ("c", "95.000%", "5.000%", "0px", False),
    ]
    assert blocks[0].label == "One two three four five six"


def test_the_waveform_is_one_closed_path_mirrored_around_the_middle() -> None:
    assert waveform_path([]) == ""
    assert waveform_path([0.0, 1.0, 0.5]) == "M0,50.0 L1,0.0 L2,25.0 L2,75.0 L1,100.0 L0,50.0 Z"


def test_times_are_typed_as_seconds_or_minutes_and_seconds() -> None:
    assert typed_seconds("7.4") == 7.4
    assert typed_seconds(" 1:02.5 ") == 62.5
    assert typed_seconds("0,5") == 0.5
    assert typed_seconds("soon") is None
    assert typed_seconds("1:xx") is None
    assert typed_seconds("nan") is None and typed_seconds("inf") is None
