"""Words the dashboard shows: credits with their plural, API refusals a person can act on, and
the favicon the browser asks for."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from orangeweb.orangeclone.errors import InvalidRequest, error_for_status
from orangeweb.services.api_errors import NO_VOICE_HEARD, describe_api_error
from orangeweb.states.job_rows import credits_line, credits_words
from tests.unit.states.builders import job_view, running

FAVICON = Path(__file__).resolve().parents[2] / "assets" / "favicon.ico"


@pytest.mark.parametrize(
    ("count", "words"), [(0, "0 credits"), (1, "1 credit"), (2, "2 credits"), (11, "11 credits")]
)
def test_credits_take_their_plural(count: int, words: str) -> None:
    assert credits_words(count) == words


def test_the_credits_line_gives_each_number_its_unit_and_says_why_a_charge_is_unknown() -> None:
    assert credits_line(running(1, estimated_credits=3)) == (
        "Estimate 3 credits · charged when it finishes"
    )
    assert credits_line(job_view(1, estimated_credits=2, charged_credits=1)) == (
        "Estimate 2 credits · charged 1 credit"
    )
    dubbed = job_view(1, kind="dubbing", estimated_credits=22, charged_credits=None)
    assert credits_line(dubbed) == (
        "Estimate 22 credits · charge unknown: OrangeClone reports no charge for dubbing"
    )
    failed = job_view(1, status="failed", succeeded=False, estimated_credits=1)
    assert credits_line(failed) == "Estimate 1 credit · no charge reported"


def test_a_recording_with_no_voice_reads_as_what_to_do() -> None:
    # As the sandbox (and the API) word it: the form field, then the reason.
    error = error_for_status(400, "voiceFile: no voiced speech found in the audio")
    assert isinstance(error, InvalidRequest)
    assert describe_api_error(error) == NO_VOICE_HEARD


def test_other_refusals_are_quoted_as_they_are() -> None:
    error = InvalidRequest("voiceFile must be a WAV, MP3 or M4A audio file", status_code=400)
    assert describe_api_error(error) == (
        "OrangeClone did not accept this: voiceFile must be a WAV, MP3 or M4A audio file"
    )
    # The phrase alone, under another field, is not this refusal.
    other = InvalidRequest("name: no voiced speech found in the audio", status_code=400)
    assert describe_api_error(other) != NO_VOICE_HEARD


def test_the_favicon_is_a_valid_icon_holding_a_png() -> None:
    data = FAVICON.read_bytes()
    reserved, kind, count = struct.unpack_from("<HHH", data, 0)
    assert (reserved, kind, count) == (0, 1, 1)
    width, height, _colors, _zero, planes, bits, size, offset = struct.unpack_from(
        "<BBBBHHII", data, 6
    )
    assert (width, height, planes, bits) == (32, 32, 1, 32)
    assert offset == 22 and offset + size == len(data)
    assert data[offset : offset + 8] == b"\x89PNG\r\n\x1a\n"
