"""The one media-type table: what the pickers accept, what files are sent and served as."""

from __future__ import annotations

from pathlib import Path

import pytest

from orangeweb.components.uploader import DUBBING_ACCEPT, VOICE_SAMPLE_ACCEPT
from orangeweb.orangeclone._files import audio_content_type
from orangeweb.orangeclone.media_types import (
    AUDIO_SUFFIXES,
    DUBBING_SUFFIXES,
    MEDIA_TYPES,
    VIDEO_SUFFIXES,
    VOICE_SAMPLE_SUFFIXES,
    media_type_for,
    suffix_for_media_type,
)
from orangeweb.services.media.probe import content_type_for
from orangeweb.services.media.samples import UPLOADABLE_FORMATS


def test_every_extension_is_audio_or_video_once() -> None:
    assert AUDIO_SUFFIXES.isdisjoint(VIDEO_SUFFIXES)
    assert set(MEDIA_TYPES) == AUDIO_SUFFIXES | VIDEO_SUFFIXES
    assert set(VOICE_SAMPLE_SUFFIXES) <= AUDIO_SUFFIXES
    assert set(DUBBING_SUFFIXES) <= set(MEDIA_TYPES)


def test_the_pickers_accept_what_they_always_did_in_the_same_order() -> None:
    # The order decides the hint under the dropzone ("MP4, MOV, ... or M4A").
    assert list(DUBBING_ACCEPT.items()) == [
        ("video/mp4", [".mp4"]),
        ("video/quicktime", [".mov"]),
        ("video/webm", [".webm"]),
        ("video/x-matroska", [".mkv"]),
        ("audio/mpeg", [".mp3"]),
        ("audio/wav", [".wav"]),
        ("audio/x-wav", [".wav"]),
        ("audio/mp4", [".m4a"]),
        ("audio/x-m4a", [".m4a"]),
    ]
    assert list(VOICE_SAMPLE_ACCEPT.items()) == [
        ("audio/wav", [".wav"]),
        ("audio/x-wav", [".wav"]),
        ("audio/mpeg", [".mp3"]),
        ("audio/mp4", [".m4a"]),
        ("audio/x-m4a", [".m4a"]),
    ]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("v.wav", "audio/wav"),
        ("V.MP3", "audio/mpeg"),
        ("clip.m4a", "audio/mp4"),
        ("song.ogg", "application/octet-stream"),  # not a voice-sample format: not claimed
        ("notes.txt", "application/octet-stream"),
    ],
)
def test_voice_files_are_sent_with_their_documented_type(name: str, expected: str) -> None:
    assert audio_content_type(name) == expected


def test_media_types_by_extension_and_back() -> None:
    assert media_type_for(Path("a/b.MKV").suffix) == "video/x-matroska"
    assert media_type_for(".txt") == "application/octet-stream"
    assert suffix_for_media_type("video/mp4; codecs=avc1") == ".mp4"
    assert suffix_for_media_type("text/html") is None
    assert suffix_for_media_type(None) is None


def test_services_read_the_same_table() -> None:
    assert {name: types[0] for name, types in UPLOADABLE_FORMATS.items()} == {
        "wav": "audio/wav",
        "mp3": "audio/mpeg",
        "m4a": "audio/mp4",
    }
    assert content_type_for("mp4", has_video=False) == "audio/mp4"
    assert content_type_for("m4a", has_video=True) == "video/mp4"
    assert content_type_for("webm", has_video=False) == "audio/webm"
    assert content_type_for("mov", has_video=False) == "video/quicktime"
