from pathlib import Path

import pytest

from orangeweb.sandbox.engine import MediaError, MediaInfo, probe_media
from orangeweb.sandbox.engine.ffmpeg import run_ffmpeg
from tests.support.media import make_speech, make_tone_video

SENTENCE = "Probing media files is quick."


@pytest.mark.parametrize(
    ("suffix", "format_name", "codec"),
    [
        (".wav", "wav", "pcm_s16le"),
        (".mp3", "mp3", "mp3"),
        (".m4a", "mov,mp4,m4a,3gp,3g2,mj2", "aac"),
    ],
)
def test_probe_audio_files(tmp_path: Path, suffix: str, format_name: str, codec: str) -> None:
    path = make_speech(tmp_path / f"speech{suffix}", SENTENCE)

    info = probe_media(path)

    assert info.format_name == format_name
    assert info.has_audio and not info.has_video
    assert info.audio_codec == codec and info.video_codec is None
    assert 1.0 < info.duration < 4.0


@pytest.mark.parametrize(
    ("suffix", "format_name", "video_codec", "audio_codec"),
    [
        (".mp4", "mov,mp4,m4a,3gp,3g2,mj2", "h264", "aac"),
        (".webm", "matroska,webm", "vp8", "opus"),
    ],
)
def test_probe_video_files(
    tmp_path: Path, suffix: str, format_name: str, video_codec: str, audio_codec: str
) -> None:
    path = make_tone_video(tmp_path / f"tone{suffix}", 1.5)

    info = probe_media(path)

    assert info == MediaInfo(
        format_name=format_name,
        duration=pytest.approx(1.5, abs=0.1),
        has_audio=True,
        has_video=True,
        audio_codec=audio_codec,
        video_codec=video_codec,
    )


@pytest.mark.parametrize(
    "content",
    [b"hello, this is not media\n" * 20, b"", b"RIFF\x24\x00\x00\x00WAVEfmt " + b"\x00" * 8],
    ids=["text", "empty", "truncated-wav"],
)
def test_probe_rejects_non_media(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "notes.txt"
    path.write_bytes(content)

    with pytest.raises(MediaError, match="not a decodable media file"):
        probe_media(path)


def test_cover_art_is_not_video(tmp_path: Path) -> None:
    speech = make_speech(tmp_path / "speech.mp3", SENTENCE)
    with_cover = tmp_path / "with_cover.mp3"
    run_ffmpeg(
        [
            *["-i", str(speech), "-f", "lavfi", "-i", "testsrc=size=64x64:duration=0.1"],
            *["-map", "0:a", "-map", "1:v", "-frames:v", "1", "-c:a", "copy", "-c:v", "png"],
            *["-disposition:v", "attached_pic", "-id3v2_version", "3", str(with_cover)],
        ]
    )

    info = probe_media(with_cover)

    assert info.has_audio and not info.has_video and info.video_codec is None
