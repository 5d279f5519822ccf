from pathlib import Path

import numpy as np
import pytest

from orangeweb.sandbox.engine import MediaError, Transcript, transcribe
from orangeweb.sandbox.engine.ffmpeg import encode_samples, run_ffmpeg
from orangeweb.sandbox.engine.speech import sample_rate
from orangeweb.sandbox.engine.transcription import NO_SPEECH_NOTE, NON_ENGLISH_NOTE
from tests.support.media import (
    ENGLISH_PARAGRAPH,
    TWO_SPEAKER_PITCHES,
    TWO_SPEAKER_TURNS,
    Turn,
    make_silence,
    make_speech,
    make_video_with_audio,
    render_dialogue,
    two_speaker_timeline,
)


@pytest.fixture(scope="module")
def two_speaker_transcript(two_speaker_video: Path) -> Transcript:
    return transcribe(two_speaker_video, "en")


def test_two_speakers_are_told_apart(two_speaker_transcript: Transcript) -> None:
    transcript = two_speaker_transcript

    assert transcript.speakers == ["speaker_1", "speaker_2"]
    assert transcript.source_language == "en" and transcript.note is None
    assert [segment.id for segment in transcript.segments] == [
        f"seg_{index:04d}" for index in range(1, len(transcript.segments) + 1)
    ]
    # Every turn of the conversation is covered by segments of one speaker, the turns'
    # speakers alternate like the script's, and the segment edges sit near the turn edges.
    speaker_of_turn: list[str] = []
    for turn in two_speaker_timeline():
        inside = [
            segment
            for segment in transcript.segments
            if segment.start < turn.end and segment.end > turn.start
        ]
        assert inside, f"no segment for {turn.text!r}"
        assert len({segment.speaker_id for segment in inside}) == 1
        assert min(segment.start for segment in inside) == pytest.approx(turn.start, abs=0.25)
        assert max(segment.end for segment in inside) == pytest.approx(turn.end, abs=0.25)
        speaker_of_turn.append(inside[0].speaker_id)
    assert speaker_of_turn == ["speaker_1", "speaker_2", "speaker_1", "speaker_2"]


def test_english_words_are_recognized(two_speaker_transcript: Transcript) -> None:
    recognized = {
        word for segment in two_speaker_transcript.segments for word in segment.text.split()
    }
    spoken = {
        word.strip(",.!?").lower() for turn in two_speaker_timeline() for word in turn.text.split()
    }
    content_words = spoken - {"the", "a", "and", "is", "for", "me", "of", "we", "i", "you"}

    assert len(recognized & content_words) >= 3, recognized


def test_one_speaker_stays_one(single_speaker_wav: Path) -> None:
    transcript = transcribe(single_speaker_wav, "en")

    assert transcript.speakers == ["speaker_1"]
    assert len(transcript.segments) >= 1
    assert {segment.speaker_id for segment in transcript.segments} == {"speaker_1"}
    assert any(segment.text for segment in transcript.segments)


def test_three_voices_are_three_speakers(tmp_path: Path) -> None:
    turns = [
        Turn(1, "The first voice speaks now, slowly and clearly, for a while."),
        Turn(2, "A second voice answers, a little higher, with a longer sentence."),
        Turn(3, "And a third voice joins them, the highest of the three by far."),
        Turn(1, "The first voice speaks again, as low as before."),
    ]
    samples, _timeline = render_dialogue(turns, {1: 95.0, 2: 160.0, 3: 270.0})
    path = make_video_with_audio(tmp_path / "three.mp4", samples, sample_rate())

    transcript = transcribe(path, "fr")  # no recognition needed here: faster

    assert transcript.speakers == ["speaker_1", "speaker_2", "speaker_3"]
    assert [segment.speaker_id[-1] for segment in transcript.segments] == ["1", "2", "3", "1"]


def test_short_replies_join_their_speaker(tmp_path: Path) -> None:
    # "Thank you." falls in pitch: several of them must not add up to a speaker of their own.
    turns = [*TWO_SPEAKER_TURNS, *TWO_SPEAKER_TURNS, *TWO_SPEAKER_TURNS]
    samples, _timeline = render_dialogue(turns, TWO_SPEAKER_PITCHES)
    path = tmp_path / "talk.wav"
    encode_samples(samples, sample_rate(), path)

    transcript = transcribe(path, "nl")

    assert transcript.speakers == ["speaker_1", "speaker_2"]


def test_other_languages_get_timed_segments_and_a_note(tmp_path: Path) -> None:
    path = make_speech(
        tmp_path / "es.mp3", "Hola y bienvenidos. Hoy hablamos del tiempo.", 130.0, "es"
    )

    transcript = transcribe(path, "es")

    assert transcript.source_language == "es"
    assert transcript.note == NON_ENGLISH_NOTE
    assert transcript.speakers == ["speaker_1"]
    assert transcript.segments and all(segment.text == "" for segment in transcript.segments)
    assert all(segment.end > segment.start for segment in transcript.segments)


def test_silence_has_no_segments(tmp_path: Path) -> None:
    transcript = transcribe(make_silence(tmp_path / "silence.wav", 2.0), "en")

    assert transcript.segments == [] and transcript.speakers == []
    assert transcript.note == NO_SPEECH_NOTE


def test_media_without_audio_is_rejected(tmp_path: Path) -> None:
    silent_video = tmp_path / "no_audio.mp4"
    run_ffmpeg(
        ["-f", "lavfi", "-i", "testsrc=size=64x64:duration=1", "-c:v", "libx264", str(silent_video)]
    )

    with pytest.raises(MediaError, match="no audio track"):
        transcribe(silent_video, "en")


def test_unknown_language_is_rejected(single_speaker_wav: Path) -> None:
    with pytest.raises(ValueError, match="unsupported language"):
        transcribe(single_speaker_wav, "xx")


def test_pitch_alone_does_not_split_a_paragraph(tmp_path: Path) -> None:
    # Same voice, long and varied: still one speaker.
    path = make_speech(tmp_path / "long.wav", " ".join([ENGLISH_PARAGRAPH] * 2), pitch_hz=190.0)

    assert transcribe(path, "de").speakers == ["speaker_1"]


def test_short_phrases_of_one_speaker_are_one_segment_up_to_a_longer_pause(
    tmp_path: Path,
) -> None:
    words = ["Front.", "Center.", "Left.", "Right."]
    close, _ = render_dialogue([Turn(1, word) for word in words], {1: 120.0}, pause_s=0.4)
    apart, _ = render_dialogue(
        [Turn(1, "Front and center."), Turn(1, "Left.")], {1: 120.0}, pause_s=1.2
    )
    path = tmp_path / "phrases.wav"
    encode_samples(np.concatenate([close, apart]), sample_rate(), path)

    grouped = transcribe(path, "fr")  # timing only: no recognition needed
    word_by_word = transcribe(path, "fr", phrase_pause=0.0)

    # The four words 0.4 s apart are one phrase; the 1.2 s pauses (and the leads) separate.
    assert len(word_by_word.segments) >= 6
    assert len(grouped.segments) == 3
    assert {segment.speaker_id for segment in grouped.segments} == {"speaker_1"}
    assert grouped.segments[0].start == word_by_word.segments[0].start
