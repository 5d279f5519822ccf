"""A minimal ctypes binding to the eSpeak NG shared library shipped by `espeakng-loader`.

eSpeak NG keeps its voice and parameters in process-global state, so every synthesis runs
under one lock: set voice, set parameters, synthesize, collect. Audio is collected through
the synth callback in AUDIO_OUTPUT_SYNCHRONOUS mode (no sound device, no background thread).
"""

from __future__ import annotations

import ctypes
import threading
from dataclasses import dataclass

import espeakng_loader
import numpy as np

# Values from espeak-ng/speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_ESPEAK_INITIALIZE_DONT_EXIT = 0x8000
_ESPEAK_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_EE_OK = 0
_PARAM_RATE = 1
_PARAM_VOLUME = 2
_PARAM_PITCH = 3
_PARAM_RANGE = 4

# Documented bounds of espeakRATE (words per minute) and espeakPITCH (0-100, 50 = the voice's own).
MIN_RATE_WPM = 80
MAX_RATE_WPM = 450
MIN_PITCH_PARAM = 0
MAX_PITCH_PARAM = 100

# int callback(short *wav, int numsamples, espeak_EVENT *events); the events are not needed.
_SynthCallback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class ESpeakError(RuntimeError):
    """eSpeak NG refused a call (unknown voice, failed initialisation)."""


@dataclass(frozen=True)
class VoiceSettings:
    """Everything one synthesis needs: an eSpeak voice name and its prosody parameters."""

    voice_name: str  # e.g. "en-us", "en-us+f3"
    rate_wpm: int
    pitch_param: int  # espeakPITCH, 0-100
    pitch_range: int = 50  # espeakRANGE, 0-100 (intonation swing)


class _ESpeak:
    """The one eSpeak NG instance of the process."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._library: ctypes.CDLL | None = None
        self._sample_rate = 0
        self._chunks: list[np.ndarray] = []
        # Keep a reference: ctypes callbacks must outlive every call into the library.
        self._callback = _SynthCallback(self._collect)

    @property
    def sample_rate(self) -> int:
        with self._lock:
            self._ensure_initialized()
            return self._sample_rate

    def synthesize(self, text: str, settings: VoiceSettings) -> np.ndarray:
        """Speak `text` with `settings`; returns mono int16 samples at `sample_rate`."""
        encoded = text.encode("utf-8") + b"\0"
        with self._lock:
            library = self._ensure_initialized()
            self._check(
                library.espeak_SetVoiceByName(settings.voice_name.encode()),
                f"voice {settings.voice_name!r}",
            )
            rate = min(max(settings.rate_wpm, MIN_RATE_WPM), MAX_RATE_WPM)
            pitch = min(max(settings.pitch_param, MIN_PITCH_PARAM), MAX_PITCH_PARAM)
            for parameter, value in (
                (_PARAM_RATE, rate),
                (_PARAM_PITCH, pitch),
                (_PARAM_RANGE, settings.pitch_range),
                (_PARAM_VOLUME, 100),
            ):
                self._check(library.espeak_SetParameter(parameter, value, 0), "parameter")
            self._chunks = []
            self._check(
                library.espeak_Synth(
                    encoded, len(encoded), 0, _POS_CHARACTER, 0, _ESPEAK_CHARS_UTF8, None, None
                ),
                "synthesis",
            )
            self._check(library.espeak_Synchronize(), "synchronize")
            chunks, self._chunks = self._chunks, []
        if not chunks:
            return np.zeros(0, dtype=np.int16)
        return np.concatenate(chunks)

    def _collect(
        self, wav: ctypes._Pointer[ctypes.c_short], sample_count: int, _events: int | None
    ) -> int:
        if wav and sample_count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(sample_count,)).copy())
        return 0  # 0 = continue synthesis

    def _ensure_initialized(self) -> ctypes.CDLL:
        if self._library is not None:
            return self._library
        library = ctypes.CDLL(espeakng_loader.get_library_path())
        library.espeak_Initialize.restype = ctypes.c_int
        library.espeak_Initialize.argtypes = [
            ctypes.c_int,
            ctypes.c_int,
            ctypes.c_char_p,
            ctypes.c_int,
        ]
        library.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        library.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        library.espeak_Synth.argtypes = [
            ctypes.c_void_p,
            ctypes.c_size_t,
            ctypes.c_uint,
            ctypes.c_int,
            ctypes.c_uint,
            ctypes.c_uint,
            ctypes.c_void_p,
            ctypes.c_void_p,
        ]
        library.espeak_SetSynthCallback.argtypes = [_SynthCallback]
        # DONT_EXIT: a bad data path must raise here, not terminate the whole server.
        sample_rate = library.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS,
            0,
            espeakng_loader.get_data_path().encode(),
            _ESPEAK_INITIALIZE_DONT_EXIT,
        )
        if sample_rate <= 0:
            raise ESpeakError("eSpeak NG failed to initialise")
        library.espeak_SetSynthCallback(self._callback)
        self._sample_rate = sample_rate
        self._library = library
        return library

    @staticmethod
    def _check(status: int, what: str) -> None:
        if status != _EE_OK:
            raise ESpeakError(f"eSpeak NG rejected the {what} (status {status})")


ESPEAK = _ESpeak()
