"""The media the OrangeClone API takes and gives back: file extensions and their MIME types.

One table for the whole dashboard. It lives in the SDK because which formats the API accepts
is a fact about the API (voice samples: WAV, MP3 or M4A, documented; dubbing media: what the
upload URL takes), the SDK itself needs it (the voice file's part type), and everything above
the SDK (services, routes, components) may import it without breaking the layering. The
sandbox keeps its own table (`orangeweb/sandbox/media_types.py`): it imports nothing from here.

Extensions are lower case with their dot (".mp3"), as `Path.suffix.lower()` gives them.
"""

from __future__ import annotations

from collections.abc import Iterable

UNKNOWN_MEDIA_TYPE = "application/octet-stream"

# Extension -> the MIME type we send and serve it under.
MEDIA_TYPES: dict[str, str] = {
    ".mp3": "audio/mpeg",
    ".wav": "audio/wav",
    ".m4a": "audio/mp4",
    ".aac": "audio/aac",
    ".ogg": "audio/ogg",
    ".flac": "audio/flac",
    ".mp4": "video/mp4",
    ".mov": "video/quicktime",
    ".mkv": "video/x-matroska",
    ".webm": "video/webm",
}
AUDIO_SUFFIXES = frozenset({".mp3", ".wav", ".m4a", ".aac", ".ogg", ".flac"})
VIDEO_SUFFIXES = frozenset({".mp4", ".mov", ".mkv", ".webm"})
# A video container holding sound only is announced as audio (an audio-only MP4 is an M4A).
AUDIO_ONLY_MEDIA_TYPES: dict[str, str] = {".mp4": "audio/mp4", ".webm": "audio/webm"}
# Other names browsers give the same files (a file picker filters on the browser's name).
BROWSER_ALIASES: dict[str, tuple[str, ...]] = {
    ".wav": ("audio/x-wav",),
    ".m4a": ("audio/x-m4a",),
}

# What `POST /characters/create` takes as `voiceFile` (documented: WAV, MP3, M4A).
VOICE_SAMPLE_SUFFIXES: tuple[str, ...] = (".wav", ".mp3", ".m4a")
# What is uploaded for dubbing: video first, then audio (the order file pickers list them in).
DUBBING_SUFFIXES: tuple[str, ...] = (".mp4", ".mov", ".webm", ".mkv", ".mp3", ".wav", ".m4a")
# Voice, dialogue and story results are MP3: the suffix when a result's URL and type say none.
DEFAULT_AUDIO_SUFFIX = ".mp3"


def media_type_for(suffix: str) -> str:
    """The MIME type of an extension (".mp3", any case, e.g. `path.suffix`); else octet-stream."""
    return MEDIA_TYPES.get(suffix.lower(), UNKNOWN_MEDIA_TYPE)


def suffix_for_media_type(media_type: str | None) -> str | None:
    """The extension of a `Content-Type` (parameters ignored), or None if it is not ours."""
    bare = (media_type or "").split(";", 1)[0].strip().lower()
    for suffix, known in MEDIA_TYPES.items():
        if bare == known:
            return suffix
    return None


def media_types_of(suffixes: Iterable[str]) -> dict[str, list[str]]:
    """MIME type -> extensions for `suffixes`, browser aliases included, in the given order."""
    mapping: dict[str, list[str]] = {}
    for suffix in suffixes:
        for media_type in (MEDIA_TYPES[suffix], *BROWSER_ALIASES.get(suffix, ())):
            mapping.setdefault(media_type, []).append(suffix)
    return mapping
