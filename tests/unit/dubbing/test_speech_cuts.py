"""Cutting a speaker's speech out of a media file into one voice sample."""

from __future__ import annotations

from pathlib import Path

import pytest

from orangeweb.services.errors import ValidationError
from orangeweb.services.media.speech_cuts import LONGEST_SAMPLE_SECONDS, cut_speech, spans_within
from tests.support.media import decode_mono, make_speech


def test_spans_are_kept_in_order_up_to_the_limit() -> None:
    assert spans_within([(5.0, 8.0), (0.0, 2.0), (10.0, 20.0)], 6.0) == [
        (0.0, 2.0),
        (5.0, 8.0),
        (10.0, 11.0),
    ]
    assert spans_within([(1.0, 1.0)], 5.0) == []


def test_the_cut_joins_the_spans_into_mono_wav(tmp_path: Path) -> None:
    source = make_speech(tmp_path / "talk.wav", "One two three four five six seven.", pitch_hz=140)
    sample = cut_speech(source, [(0.2, 1.2), (1.5, 2.5)], tmp_path / "sample.wav")
    seconds = len(decode_mono(sample)) / 16000
    assert sample.read_bytes()[:4] == b"RIFF"
    assert seconds == pytest.approx(2.0, abs=0.05)
    assert LONGEST_SAMPLE_SECONDS >= 30
    with pytest.raises(ValidationError):
        cut_speech(source, [], tmp_path / "none.wav")
