"""The sandbox's one table of media: MIME types, the dubbing upload's types, and which real
formats (magic bytes, then the container as FFmpeg names it) each endpoint accepts.

The sandbox imports nothing from the dashboard, so it keeps this table of its own instead of the
SDK's (`orangeweb/orangeclone/media_types.py`): an independent reading of the contract is what
lets the tests catch a client that sends the wrong type.
"""

from __future__ import annotations

import mimetypes

# Extension -> the MIME type a file is served under.
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

# FFmpeg's name for the MP4 family (MP4, MOV, M4A, 3GP): one demuxer reads them all.
MP4_FAMILY = "mov,mp4,m4a,3gp,3g2,mj2"

# `contentType` values `get_upload_url` takes: every name clients use for the formats below.
UPLOAD_CONTENT_TYPES = frozenset(
    {
        "video/mp4",
        "video/quicktime",
        "video/webm",
        "video/x-matroska",
        "audio/mpeg",
        "audio/mp3",
        "audio/wav",
        "audio/x-wav",
        "audio/wave",
        "audio/mp4",
        "audio/x-m4a",
        "audio/m4a",
        "audio/aac",
        "audio/ogg",
        "audio/webm",
        "audio/flac",
    }
)
# FFmpeg container names accepted for dubbing, with the extension the file is stored under
# (an MP4 without video is stored as .m4a).
DUBBING_CONTAINERS: dict[str, str] = {
    MP4_FAMILY: "mp4",
    "matroska,webm": "mkv",
    "wav": "wav",
    "mp3": "mp3",
    "ogg": "ogg",
    "flac": "flac",
    "aac": "aac",
}

# Voice samples (documented: WAV, MP3 or M4A): magic-byte kinds (filetype), then FFmpeg's
# container names with the extension the sample is stored under.
VOICE_SAMPLE_MAGIC = frozenset({"wav", "mp3", "m4a", "mp4"})
VOICE_SAMPLE_CONTAINERS: dict[str, str] = {"wav": "wav", "mp3": "mp3", MP4_FAMILY: "m4a"}


def media_type_for(suffix: str) -> str:
    """The MIME type to serve a file with this extension under (any case)."""
    return MEDIA_TYPES.get(suffix.lower()) or (
        mimetypes.guess_type(f"x{suffix}")[0] or "application/octet-stream"
    )
