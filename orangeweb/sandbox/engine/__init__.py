"""The sandbox's engine: real, modest audio and video processing behind the OrangeClone API.

Pure, synchronous, CPU-bound functions (the server calls them via `asyncio.to_thread`), safe to
call from several threads at once. Speech is eSpeak NG, transcription PocketSphinx, media work
PyAV and ffmpeg; everything is installed from PyPI, nothing is downloaded at run time.
"""

from orangeweb.sandbox.engine.dub import DubSegment, dub_media
from orangeweb.sandbox.engine.errors import MediaError
from orangeweb.sandbox.engine.media import MediaInfo, probe_media
from orangeweb.sandbox.engine.script import compose_script
from orangeweb.sandbox.engine.speech import (
    LANGUAGES,
    DialogueLine,
    synthesize,
    synthesize_dialogue,
)
from orangeweb.sandbox.engine.transcription import Segment, Transcript, transcribe
from orangeweb.sandbox.engine.translate import pseudo_translate, spoken_text
from orangeweb.sandbox.engine.voice import VoiceProfile, analyse_voice

__all__ = [
    "LANGUAGES",
    "DialogueLine",
    "DubSegment",
    "MediaError",
    "MediaInfo",
    "Segment",
    "Transcript",
    "VoiceProfile",
    "analyse_voice",
    "compose_script",
    "dub_media",
    "probe_media",
    "pseudo_translate",
    "spoken_text",
    "synthesize",
    "synthesize_dialogue",
    "transcribe",
]
