"""SRT and WebVTT writers, read back by real parsers (`srt`, `webvtt-py`)."""

from __future__ import annotations

import html
import io
import itertools
from datetime import timedelta

import srt
import webvtt
from hypothesis import given, settings
from hypothesis import strategies as st

from orangeweb.services.media.subtitles import (
    MAX_LINE_CHARS,
    MAX_LINES,
    SubtitleSegment,
    build_cues,
    srt_time,
    to_srt,
    to_vtt,
    vtt_time,
)

LONG = (
    "This sentence is deliberately long enough that it cannot fit on two subtitle lines of "
    "forty-two characters, so the writer has to split it into more than one cue."
)


def _vtt(text: str) -> list[webvtt.Caption]:
    return list(webvtt.from_buffer(io.StringIO(text)).captions)


def test_timestamps_in_each_format() -> None:
    assert srt_time(0) == "00:00:00,000"
    assert srt_time(3_723_004) == "01:02:03,004"
    assert vtt_time(3_723_004) == "01:02:03.004"
    assert vtt_time(36_000_000 * 3) == "30:00:00.000"


def test_srt_round_trip() -> None:
    segments = [
        SubtitleSegment(1.25, 3.5, "Good morning everyone.", "Host"),
        SubtitleSegment(3.9, 6.0004, "Thank you."),
        SubtitleSegment(3661.1, 3662.25, "An hour later."),
    ]
    parsed = list(srt.parse(to_srt(segments)))
    assert [sub.index for sub in parsed] == [1, 2, 3]
    assert [(sub.start, sub.end) for sub in parsed] == [
        (timedelta(seconds=1.25), timedelta(seconds=3.5)),
        (timedelta(seconds=3.9), timedelta(seconds=6)),
        (timedelta(seconds=3661.1), timedelta(seconds=3662.25)),
    ]
    assert [sub.content for sub in parsed] == [
        "Host: Good morning everyone.",
        "Thank you.",
        "An hour later.",
    ]
    assert "01:01:01,100 --> 01:01:02,250" in to_srt(segments)


def test_vtt_round_trip_with_escaping_and_voices() -> None:
    segments = [
        SubtitleSegment(0.5, 2.0, "Fish & chips <b>now</b> -> later", "Ana & <Bo>"),
        SubtitleSegment(2.0, 4.0, "Plain line"),
    ]
    text = to_vtt(segments)
    assert text.startswith("WEBVTT\n\n")
    assert "Fish &amp; chips &lt;b&gt;now&lt;/b&gt; -&gt; later" in text
    assert "<b>" not in text and "-->" not in text.split("\n")[3]
    captions = _vtt(text)
    assert [(c.start, c.end) for c in captions] == [
        ("00:00:00.500", "00:00:02.000"),
        ("00:00:02.000", "00:00:04.000"),
    ]
    assert html.unescape(captions[0].voice) == "Ana & <Bo>"
    assert html.unescape(captions[0].text) == "Fish & chips <b>now</b> -> later"
    assert captions[1].voice is None and captions[1].text == "Plain line"


def test_empty_and_timeless_segments_are_skipped() -> None:
    segments = [
        SubtitleSegment(0.0, 1.0, "   "),
        SubtitleSegment(1.0, 1.0, "No time at all"),
        SubtitleSegment(2.0, 1.0, "Ends before it starts"),
        SubtitleSegment(3.0, 4.0, "Kept"),
    ]
    assert [sub.content for sub in srt.parse(to_srt(segments))] == ["Kept"]
    assert [c.text for c in _vtt(to_vtt(segments))] == ["Kept"]
    assert to_srt([]) == ""
    assert to_vtt([]) == "WEBVTT\n"


def test_blank_lines_inside_a_segment_never_end_a_cue() -> None:
    segments = [SubtitleSegment(0.0, 2.0, "First part.\n\n\nSecond part.\r\n")]
    parsed = list(srt.parse(to_srt(segments)))
    assert len(parsed) == 1 and parsed[0].content == "First part. Second part."
    assert [c.text for c in _vtt(to_vtt(segments))] == ["First part. Second part."]


def test_long_text_wraps_and_splits_into_cues_covering_the_segment() -> None:
    segment = SubtitleSegment(10.0, 20.0, LONG)
    parsed = list(srt.parse(to_srt([segment])))
    assert len(parsed) >= 2
    for sub in parsed:
        lines = sub.content.split("\n")
        assert 1 <= len(lines) <= MAX_LINES
        assert all(len(line) <= MAX_LINE_CHARS for line in lines)
    # Every word kept, in order; the cues tile the segment's time with no gap or overlap.
    assert " ".join(sub.content.replace("\n", " ") for sub in parsed) == LONG
    assert parsed[0].start == timedelta(seconds=10) and parsed[-1].end == timedelta(seconds=20)
    for before, after in itertools.pairwise(parsed):
        assert before.end == after.start
    captions = _vtt(to_vtt([segment]))
    assert len(captions) == len(parsed)
    assert captions[0].start == "00:00:10.000"


def test_a_short_line_stays_one_line() -> None:
    cues = build_cues([SubtitleSegment(0, 1, "Short")])
    assert [cue.lines for cue in cues] == [("Short",)]


def test_cues_come_out_in_time_order() -> None:
    segments = [SubtitleSegment(5, 6, "second"), SubtitleSegment(1, 2, "first")]
    assert [sub.content for sub in srt.parse(to_srt(segments))] == ["first", "second"]


_words = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=0,
    max_size=200,
)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(min_value=0, max_value=20_000, allow_nan=False),
            st.floats(min_value=0.01, max_value=30, allow_nan=False),
            _words,
            st.one_of(st.none(), _words),
        ),
        max_size=8,
    )
)
def test_any_text_round_trips_through_both_parsers(
    raw: list[tuple[float, float, str, str | None]],
) -> None:
    segments = [
        SubtitleSegment(start, start + length, text, who) for start, length, text, who in raw
    ]
    cues = build_cues(segments)
    parsed = list(srt.parse(to_srt(segments)))
    captions = _vtt(to_vtt(segments))
    assert len(captions) == len(cues)
    for cue, caption in zip(cues, captions, strict=True):
        assert caption.start == vtt_time(cue.start_ms) and caption.end == vtt_time(cue.end_ms)
        assert html.unescape(caption.text) == "\n".join(cue.lines)
    for cue, sub in zip(build_cues(segments, name_prefix=True), parsed, strict=True):
        assert sub.end > sub.start
        assert sub.content == "\n".join(cue.lines)
        assert len(cue.lines) <= MAX_LINES and all(line.strip() for line in cue.lines)
