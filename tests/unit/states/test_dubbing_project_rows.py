"""The dubbing page's rows: the project list, the stepper, speakers, segments, upload speed."""

from __future__ import annotations

import time

import pytest

import rxconfig
from orangeweb.components.flags import FLAG_ICONS_VERSION, FlagIconsPlugin
from orangeweb.orangeclone.constants import LANGUAGES
from orangeweb.states.dubbing_project_rows import (
    LANGUAGE_OPTIONS,
    SPEAKER_COLORS,
    clock,
    dubbed_file_name,
    flag_class,
    flag_country,
    language_label,
    project_row,
    rate_words,
    segment_rows,
    speaker_rows,
    step_rows,
)
from tests.unit.states.builders import project_view, segment, speaker

D, A, T, F = "done", "active", "todo", "failed"


@pytest.mark.parametrize(
    ("status", "states"),
    [
        ("ready", [T, T, T, T]),
        ("uploading", [T, T, T, T]),
        ("uploaded", [T, T, T, T]),
        ("submitting", [A, T, T, T]),
        ("transcribing", [A, T, T, T]),
        ("transcribed", [D, T, T, T]),
        ("translating", [D, A, T, T]),
        ("translated", [D, D, T, T]),
        ("cloning", [D, D, A, T]),
        ("completed", [D, D, D, D]),
        (" Translating ", [D, A, T, T]),  # as the API may spell it
        ("a-status-from-a-newer-api", [T, T, T, T]),
    ],
)
def test_each_status_moves_the_stepper_to_its_step(status: str, states: list[str]) -> None:
    rows = step_rows(project_view(status=status))
    assert [row.label for row in rows] == ["Transcribing", "Translating", "Cloning", "Completed"]
    assert [row.state for row in rows] == states


@pytest.mark.parametrize(
    ("failed_step", "states"),
    [
        ("transcribe", [F, T, T, T]),
        ("translate", [D, F, T, T]),
        ("clone", [D, D, F, T]),
    ],
)
def test_a_failed_project_marks_the_step_that_failed(failed_step: str, states: list[str]) -> None:
    rows = step_rows(project_view(status="failed", failed_step=failed_step))
    assert [row.state for row in rows] == states


def test_a_failure_without_a_named_step_marks_the_first() -> None:
    assert [r.state for r in step_rows(project_view(status="failed"))] == [F, T, T, T]


def test_a_failed_step_shows_even_while_the_project_rests_between_steps() -> None:
    # A translation request that failed leaves the transcript reviewable ("transcribed").
    rows = step_rows(project_view(status="transcribed", failed_step="translate"))
    assert [row.state for row in rows] == [D, F, T, T]


def test_a_failed_step_that_is_not_on_the_stepper_does_not_mark_it() -> None:
    # "upload" and "review" failures happen before or between the stepper's steps.
    rows = step_rows(project_view(status="transcribed", failed_step="review"))
    assert [row.state for row in rows] == [D, T, T, T]


def test_project_row() -> None:
    view = project_view(
        4,
        original_name="talk.mov",
        media_type="video",
        duration_s=75.0,
        status="cloning",
        estimated_credits=16,
        created_by_name="Mia",
        error=None,
    )
    row = project_row(view)
    assert (row.id, row.name, row.media_type, row.duration) == (
        "4",
        "talk.mov",
        "video",
        "1 min 15 s",
    )
    assert (row.status, row.color, row.credits) == ("cloning", "amber", "16 credits")
    assert project_row(project_view(estimated_credits=1)).credits == "1 credit"
    assert (row.created_by, row.created_at, row.error) == ("Mia", "2030-01-15 12:00:05 UTC", "")
    assert project_row(project_view(status="failed", error="No speech")).error == "No speech"
    assert project_row(project_view(status="failed")).color == "red"


def test_speaker_rows_name_each_voice_choice() -> None:
    view = project_view(
        speakers=[
            speaker(1, "character", 11, character_name="Alex", name="Host", segment_count=4),
            speaker(2, "character", 12, character_name=None),
            speaker(3, "original"),
            speaker(4, None),
            speaker(5, "character", None),  # a character choice whose character is gone
        ]
    )
    rows = speaker_rows(view)
    assert [(r.id, r.voice, r.voice_name) for r in rows] == [
        ("speaker_1", "11", "Alex"),
        ("speaker_2", "12", "A character"),
        ("speaker_3", "original", "Original voice"),
        ("speaker_4", "", "Original voice (not chosen)"),
        ("speaker_5", "", "Original voice (not chosen)"),
    ]
    assert (rows[0].name, rows[0].segment_count) == ("Host", 4)


def test_speaker_rows_say_how_much_speech_a_character_would_be_made_of() -> None:
    view = project_view(
        speakers=[speaker(1), speaker(2), speaker(3, segment_count=0)],
        segments=[
            segment("a", "speaker_1", 0.0, 2.0),
            segment("b", "speaker_1", 3.0, 4.5),
            segment("c", "speaker_2", 5.0, 6.0),
        ],
    )
    rows = speaker_rows(view)
    assert [(r.id, r.speech, r.speech_enough) for r in rows] == [
        ("speaker_1", "3.5 s of speech", True),
        ("speaker_2", "1.0 s of speech", False),
    ]  # speaker 3, merged away, has nothing to voice: not listed


def test_speaker_colors_go_round_in_order() -> None:
    view = project_view(speakers=[speaker(n) for n in range(1, len(SPEAKER_COLORS) + 2)])
    colors = [row.color for row in speaker_rows(view)]
    assert colors == [*SPEAKER_COLORS, SPEAKER_COLORS[0]]


def test_segment_rows_take_their_speakers_color_and_fit() -> None:
    view = project_view(
        speakers=[speaker(1), speaker(2)],
        segments=[
            segment(
                "s1", "speaker_1", 0.0, 4.5, translated_text="Hola", fit="ok", fit_message="Fits"
            ),
            segment(
                "s2",
                "speaker_2",
                65.2,
                70.9,
                translated_text="Adiós",
                fit="sped_up",
                fit_words="sped up 1.5\u00d7 to fit",
            ),
            segment("s3", "speaker_1", 71.0, 72.0, fit="too_long", fit_message="Too long"),
            segment("s4", "speaker_9", 600.0, 601.0),  # a speaker the list does not have
        ],
    )
    speakers = speaker_rows(view)
    rows = segment_rows(view, speakers)
    assert [(r.id, r.color, r.start_text, r.end_text) for r in rows] == [
        ("s1", SPEAKER_COLORS[0], "0:00", "0:04"),
        ("s2", SPEAKER_COLORS[1], "1:05", "1:10"),
        ("s3", SPEAKER_COLORS[0], "1:11", "1:12"),
        ("s4", "gray", "10:00", "10:01"),
    ]
    assert [(r.translated, r.fit, r.fit_color, r.fit_message) for r in rows] == [
        ("Hola", "ok", "green", "Fits"),
        ("Adiós", "sped_up", "amber", ""),
        ("", "too_long", "red", "Too long"),
        ("", "", "gray", ""),
    ]
    assert rows[1].fit_words == "sped up 1.5\u00d7 to fit"
    assert not any(row.pseudo for row in rows)
    assert (rows[1].start, rows[1].end, rows[1].text) == (65.2, 70.9, "Said in s2")


def test_clock() -> None:
    assert [clock(s) for s in (0, 9.99, 60, 61.5, 3599, 3600)] == [
        "0:00",
        "0:09",
        "1:00",
        "1:01",
        "59:59",
        "60:00",
    ]


def test_language_labels() -> None:
    assert language_label("es") == "Spanish"  # the flag is drawn beside it, not an emoji
    assert language_label("xx") == "xx"
    assert language_label(None) == "Original language (voices only)"
    assert language_label("") == "Original language (voices only)"
    assert ["es", "Spanish", "fi fi-es"] in LANGUAGE_OPTIONS


def test_a_pseudo_translation_shows_as_a_badge_not_bracket_text() -> None:
    view = project_view(
        speakers=[speaker(1)],
        segments=[
            segment("s1", "speaker_1", 0.0, 2.0, translated_text="[pseudo-es] Hello", pseudo=True),
            segment("s2", "speaker_1", 2.0, 4.0, translated_text="Speaker 1: [pseudo-fr] Hi"),
            segment("s3", "speaker_1", 4.0, 6.0, translated_text="Hola [de verdad]"),
        ],
    )
    rows = segment_rows(view, speaker_rows(view))
    assert [(r.translated, r.pseudo) for r in rows] == [
        ("Hello", True),
        ("Speaker 1: Hi", False),
        ("Hola [de verdad]", False),  # only the sandbox's own tag is taken out
    ]


def test_every_dubbing_language_has_a_flag_class() -> None:
    countries = {"en": "us", "es": "es", "ja": "jp", "ko": "kr", "zh": "cn", "ar": "sa", "hi": "in"}
    for language in LANGUAGES:
        country = flag_country(language.code)
        assert len(country) == 2 and country.isascii() and country.islower(), language
        assert flag_class(language.code) == f"fi fi-{country}"
    assert {code: flag_country(code) for code in countries} == countries
    assert flag_class("xx") == "" and flag_class(None) == ""


@pytest.mark.parametrize(
    ("name", "language", "media_type", "container", "expected"),
    [
        ("two speakers.mp4", "es", "video", "mp4", "two speakers.es.dubbed.mp4"),
        ("talk.MOV", "fr", "video", "mov", "talk.fr.dubbed.mp4"),
        ("clip.webm", "de", "video", "webm", "clip.de.dubbed.webm"),
        ("episode.final.mkv", "ja", "video", "mkv", "episode.final.ja.dubbed.mkv"),
        ("podcast.wav", "it", "audio", "wav", "podcast.it.dubbed.mp3"),
        ("voices only.mp4", None, "video", "mp4", "voices only.dubbed.mp4"),
        ("C:\\Users\\me\\talk.mp4", "es", "video", "mp4", "talk.es.dubbed.mp4"),
    ],
)
def test_the_dubbed_download_is_named_after_the_source_and_language(
    name: str, language: str | None, media_type: str, container: str, expected: str
) -> None:
    file_name = dubbed_file_name(name, language, media_type, container)
    assert file_name == expected
    assert file_name != name


def test_rate_words_measure_speed_and_time_left() -> None:
    # 100 KB a second for 10 s (started 10 s ago): the other 1000 KB take about 10 s more.
    kb = 1024
    speed, left = rate_words(1000 * kb, 2000 * kb, time.monotonic() - 10)
    assert speed == "100 KB/s"
    assert left in ("0:10 left", "0:11 left")  # 10 s and a little


def test_rate_words_when_everything_arrived() -> None:
    size = 3 * 1024 * 1024
    speed, left = rate_words(size, size, time.monotonic() - 2)
    assert speed == "1.5 MB/s"
    assert left == "0:00 left"


def test_rate_words_before_anything_arrived() -> None:
    assert rate_words(0, 5000, time.monotonic()) == ("0 bytes/s", "0:00 left")


def test_rate_words_near_a_megabyte_a_second_read_as_a_number() -> None:
    # 1010 KB a second: the speed must read as a plain number, not "1.01e+03 KB/s".
    speed, _ = rate_words(1010 * 1024 * 100, 2 * 1010 * 1024 * 100, time.monotonic() - 100)
    assert "e+" not in speed, speed
    assert speed.endswith("B/s")


def test_the_flags_come_from_the_flag_icons_package() -> None:
    plugin = FlagIconsPlugin()
    assert plugin.get_frontend_dependencies() == (f"flag-icons@{FLAG_ICONS_VERSION}",)
    assert plugin.get_stylesheet_paths() == ("flag-icons/css/flag-icons.min.css",)
    assert any(isinstance(p, FlagIconsPlugin) for p in rxconfig.config.plugins)
