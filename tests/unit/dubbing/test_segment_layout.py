"""The studio's pure segment edits (`segment_layout`): merging neighbours of one speaker,
splitting at a time (words divided in proportion, at a word boundary) or at a place in the text
(time divided where the text is), retiming clear of other lines and inside the media, deleting
(never all), adding over a free region, and auto-merging short phrases of one speaker."""

from __future__ import annotations

from typing import Any

import pytest

from orangeweb.services.dubbing import segment_layout
from orangeweb.services.dubbing.segment_layout import LOCAL_PREFIX, Segment
from orangeweb.services.errors import NotFoundError, ValidationError

DURATION = 12.0


def _segment(
    segment_id: str, speaker: str, start: float, end: float, text: str, **more: Any
) -> Segment:
    return {
        "id": segment_id,
        "speakerId": speaker,
        "start": start,
        "end": end,
        "text": text,
        **more,
    }


def _transcript() -> list[Segment]:
    return [
        _segment("s1", "speaker_1", 0.5, 2.0, "Welcome back", translatedText="Bienvenidos"),
        _segment("s2", "speaker_1", 2.2, 4.0, "to the show.", translatedText="al programa."),
        _segment("s3", "speaker_2", 5.0, 7.0, "Thank you."),
        _segment("s4", "speaker_1", 8.0, 10.0, "Let us begin."),
    ]


def _ids(segments: list[Segment]) -> list[str]:
    return [str(s["id"]) for s in segments]


# --- merge ---


def test_merge_joins_neighbours_into_the_first() -> None:
    merged = segment_layout.merge(_transcript(), ["s2", "s1"])  # any order of selection
    assert _ids(merged) == ["s1", "s3", "s4"]
    first = merged[0]
    assert (first["start"], first["end"], first["speakerId"]) == (0.5, 4.0, "speaker_1")
    assert first["text"] == "Welcome back to the show."
    assert first["translatedText"] == "Bienvenidos al programa."
    assert merged[1:] == _transcript()[2:]  # the others untouched


def test_merge_keeps_a_partial_translation_and_drops_none() -> None:
    segments = [
        _segment("a", "x", 0.0, 1.0, "One", translatedText="Uno"),
        _segment("b", "x", 1.0, 2.0, "two"),
        _segment("c", "x", 2.0, 3.0, "three"),
    ]
    merged = segment_layout.merge(segments, ["a", "b"])
    assert (merged[0]["text"], merged[0]["translatedText"]) == ("One two", "Uno")
    untranslated = segment_layout.merge(segments, ["b", "c"])
    assert untranslated[1]["text"] == "two three" and "translatedText" not in untranslated[1]


def test_merge_refuses_what_is_not_one_speakers_neighbours() -> None:
    segments = _transcript()
    with pytest.raises(ValidationError, match="Only neighbouring segments"):
        segment_layout.merge(segments, ["s1", "s4"])  # s2 and s3 between
    with pytest.raises(ValidationError, match="different speakers"):
        segment_layout.merge(segments, ["s2", "s3"])
    with pytest.raises(ValidationError, match="two or more"):
        segment_layout.merge(segments, ["s1", "s1"])
    with pytest.raises(NotFoundError, match="not in this transcript"):
        segment_layout.merge(segments, ["s1", "gone"])
    assert segments == _transcript()  # refused edits change nothing


# --- split ---


def test_split_at_a_time_divides_the_words_in_proportion() -> None:
    segments = [
        _segment(
            "s1", "speaker_1", 0.0, 4.0, "one two three four", translatedText="uno dos tres cuatro"
        ),
        _segment("s2", "speaker_2", 5.0, 6.0, "Next."),
    ]
    first, second, rest = segment_layout.split(segments, "s1", at=2.0)
    assert (first["id"], first["start"], first["end"]) == ("s1", 0.0, 2.0)
    assert (first["text"], first["translatedText"]) == ("one two", "uno dos")
    assert str(second["id"]).startswith(LOCAL_PREFIX)
    assert (second["speakerId"], second["start"], second["end"]) == ("speaker_1", 2.0, 4.0)
    assert (second["text"], second["translatedText"]) == ("three four", "tres cuatro")
    assert rest == segments[1]

    # A quarter of the time: the word boundary nearest a quarter of the characters.
    early_first, early_second, _ = segment_layout.split(segments, "s1", at=1.0)
    assert (early_first["text"], early_second["text"]) == ("one", "two three four")
    assert (early_first["translatedText"], early_second["translatedText"]) == (
        "uno",
        "dos tres cuatro",
    )


def test_split_never_cuts_inside_a_word() -> None:
    segments = [_segment("s1", "x", 0.0, 3.0, "extraordinarily long words")]
    first, second = segment_layout.split(segments, "s1", at=0.5)
    assert (first["text"], second["text"]) == ("extraordinarily", "long words")
    assert first["end"] == second["start"] == 0.5


def test_split_refuses_near_the_edges_and_one_word_lines() -> None:
    segments = _transcript()
    for at in (0.6, 1.9, 0.0, 3.0):  # closer than 0.2 s to an edge, or outside
        with pytest.raises(ValidationError, match=r"at least 0\.2 s from either end"):
            segment_layout.split(segments, "s1", at=at)
    lone = [_segment("w", "x", 0.0, 2.0, "Hello")]
    with pytest.raises(ValidationError, match="one word"):
        segment_layout.split(lone, "w", at=1.0)
    with pytest.raises(ValidationError, match="Split where"):
        segment_layout.split(segments, "s1")
    with pytest.raises(NotFoundError):
        segment_layout.split(segments, "nope", at=1.0)


def test_split_at_a_text_position_divides_the_time_where_the_text_is() -> None:
    segments = [_segment("s1", "x", 1.0, 5.0, "one two three four")]
    first, second = segment_layout.split(segments, "s1", text_position=8)  # after "one two "
    assert (first["text"], second["text"]) == ("one two", "three four")
    # "one two" is 7 of the 17 characters left once the cut's space goes: 7/17 of 4 s.
    assert first["end"] == second["start"] == round(1.0 + 4.0 * 7 / 17, 3)
    assert (first["start"], second["end"]) == (1.0, 5.0)

    for position in (0, len("one two three four"), -3, 99):
        with pytest.raises(ValidationError, match="between two words"):
            segment_layout.split(segments, "s1", text_position=position)
    short = [_segment("s", "x", 0.0, 0.3, "a b")]  # either part would be under 0.2 s
    with pytest.raises(ValidationError, match=r"at least 0\.2 s"):
        segment_layout.split(short, "s", text_position=1)


# --- retime ---


def test_retime_moves_a_line_clear_of_the_others() -> None:
    moved = segment_layout.retime(_transcript(), "s3", 4.5, 7.5, DURATION)
    s3 = next(s for s in moved if s["id"] == "s3")
    assert (s3["start"], s3["end"], s3["text"]) == (4.5, 7.5, "Thank you.")
    ahead = segment_layout.retime(_transcript(), "s4", 10.5, 11.0, DURATION)
    assert _ids(ahead) == ["s1", "s2", "s3", "s4"] and ahead[-1]["start"] == 10.5
    to_front = segment_layout.retime(_transcript(), "s4", 0.0, 0.4, DURATION)
    assert _ids(to_front) == ["s4", "s1", "s2", "s3"]  # kept sorted by start


def test_retime_refuses_overlaps_outside_the_media_and_too_short() -> None:
    segments = _transcript()
    with pytest.raises(ValidationError, match=r"overlap the line at 0:05\.0\u20130:07\.0") as hit:
        segment_layout.retime(segments, "s4", 6.5, 9.0, DURATION)
    assert "Thank you." in str(hit.value)  # it names the other line by its words
    with pytest.raises(ValidationError, match="within the media"):
        segment_layout.retime(segments, "s4", 8.0, 12.5, DURATION)
    with pytest.raises(ValidationError, match="within the media"):
        segment_layout.retime(segments, "s1", -0.1, 1.0, DURATION)
    with pytest.raises(ValidationError, match=r"at least 0\.2 s"):
        segment_layout.retime(segments, "s4", 8.0, 8.1, DURATION)
    with pytest.raises(ValidationError, match=r"at least 0\.2 s"):
        segment_layout.retime(segments, "s4", 9.0, 8.0, DURATION)  # end before start
    assert segments == _transcript()


def test_retime_may_end_a_hair_past_the_media_and_is_clamped() -> None:
    moved = segment_layout.retime(_transcript(), "s4", 11.0, 12.03, DURATION)
    assert moved[-1]["end"] == DURATION


# --- delete ---


def test_delete_drops_the_selected_but_never_all() -> None:
    kept = segment_layout.delete(_transcript(), ["s3", "s2"])
    assert _ids(kept) == ["s1", "s4"]
    with pytest.raises(ValidationError, match="at least one segment"):
        segment_layout.delete(_transcript(), ["s1", "s2", "s3", "s4"])
    with pytest.raises(ValidationError, match="Select the segments"):
        segment_layout.delete(_transcript(), [])
    with pytest.raises(NotFoundError):
        segment_layout.delete(_transcript(), ["s9"])


# --- add ---


def test_add_puts_a_new_line_over_a_free_region() -> None:
    speakers = ["speaker_1", "speaker_2"]
    added = segment_layout.add(
        _transcript(),
        start=10.5,
        end=11.5,
        speaker_id="speaker_2",
        text="  Thanks   for watching. ",
        duration=DURATION,
        speakers=speakers,
    )
    new = added[-1]
    assert str(new["id"]).startswith(LOCAL_PREFIX)
    assert (new["speakerId"], new["start"], new["end"]) == ("speaker_2", 10.5, 11.5)
    assert new["text"] == "Thanks for watching." and "translatedText" not in new
    between = segment_layout.add(
        _transcript(),
        start=4.2,
        end=4.8,
        speaker_id="speaker_1",
        text="Hm.",
        duration=DURATION,
        speakers=speakers,
    )
    assert [s["start"] for s in between] == [0.5, 2.2, 4.2, 5.0, 8.0]


def test_add_refuses_overlaps_unknown_speakers_and_empty_words() -> None:
    speakers = ["speaker_1", "speaker_2"]
    base: dict[str, Any] = {"duration": DURATION, "speakers": speakers}
    with pytest.raises(ValidationError, match=r"overlap the line at 0:08\.0\u20130:10\.0"):
        segment_layout.add(
            _transcript(), start=9.5, end=10.5, speaker_id="speaker_1", text="Hi", **base
        )
    with pytest.raises(NotFoundError, match="speaker"):
        segment_layout.add(
            _transcript(), start=10.5, end=11.0, speaker_id="speaker_9", text="Hi", **base
        )
    with pytest.raises(ValidationError, match="Type the words"):
        segment_layout.add(
            _transcript(), start=10.5, end=11.0, speaker_id="speaker_1", text="   ", **base
        )
    with pytest.raises(ValidationError, match="within the media"):
        segment_layout.add(
            _transcript(), start=11.0, end=13.0, speaker_id="speaker_1", text="Hi", **base
        )


# --- auto-merge ---


def _words(*spans: tuple[str, float, float, str]) -> list[Segment]:
    return [
        _segment(f"w{n}", speaker, start, end, text)
        for n, (speaker, start, end, text) in enumerate(spans, start=1)
    ]


def test_auto_merge_joins_one_speakers_words_across_short_pauses() -> None:
    segments = _words(
        ("a", 0.0, 0.5, "So"),
        ("a", 0.7, 1.2, "here"),  # 0.2 s pause: joined
        ("a", 1.5, 2.0, "we"),  # 0.3 s pause: joined
        ("a", 3.0, 3.5, "go."),  # 1.0 s pause: a new line
        ("b", 3.7, 4.2, "Yes."),  # another speaker: apart, however close
        ("a", 4.3, 4.8, "Good."),
    )
    merged = segment_layout.auto_merge(segments)
    assert [(s["id"], s["start"], s["end"], s["text"]) for s in merged] == [
        ("w1", 0.0, 2.0, "So here we"),
        ("w4", 3.0, 3.5, "go."),
        ("w5", 3.7, 4.2, "Yes."),
        ("w6", 4.3, 4.8, "Good."),
    ]
    wider = segment_layout.auto_merge(segments, pause_s=1.5)
    assert [s["text"] for s in wider] == ["So here we go.", "Yes.", "Good."]
    assert segments[0] == _segment("w1", "a", 0.0, 0.5, "So")  # the input is not changed


def test_auto_merge_never_makes_a_line_longer_than_the_cap() -> None:
    segments = _words(*(("a", 2.0 * n, 2.0 * n + 1.9, f"w{n}") for n in range(10)))
    merged = segment_layout.auto_merge(segments, pause_s=0.5, longest_s=6.0)
    assert [(s["start"], s["end"]) for s in merged] == [
        (0.0, 5.9),
        (6.0, 11.9),
        (12.0, 17.9),
        (18.0, 19.9),
    ]
    assert all(s["end"] - s["start"] <= 6.0 for s in merged)
    default = segment_layout.auto_merge(segments, pause_s=0.5)
    assert max(s["end"] - s["start"] for s in default) <= segment_layout.LONGEST_MERGED_S
    assert len(default) == 2  # 0.0-11.9 and 12.0-19.9
