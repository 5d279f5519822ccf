"""PocketSphinx recognition of speech clips: one decoder per process, clips decoded in a pool
of worker processes (one per CPU), each loading the model once.

The sandbox's decoder searches the 30,000 most frequent words of PocketSphinx's own language
model (ranked by the model's unigram probabilities; the pronunciations are cmudict's, as
shipped in the package) instead of all ~72,000 words the model and dictionary share: the
search tree is less than half the size, and the words most speech uses are all there.

Processes, not threads: PocketSphinx's Python binding holds the GIL while it decodes, so
threads neither run in parallel nor leave the server's event loop free. Every clip is decoded
from the same starting state (`Decoder.reinit_feat` clears the cepstral mean carried over
from the previous clip), so the words do not depend on which worker decoded which clip, or
in what order: the pool gives exactly the words of `SequentialRecognizer` with the same
settings.
"""

from __future__ import annotations

import multiprocessing
import os
import tempfile
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
from pocketsphinx import Config, Decoder, LogMath, NGramModel

from orangeweb.sandbox.engine.media import ANALYSIS_RATE


@dataclass(frozen=True)
class DecoderSettings:
    options: Mapping[str, str | int | float | bool] = field(default_factory=dict)
    # Keep only this many of the language model's most frequent words (None: every word).
    vocabulary: int | None = None


# PocketSphinx's own defaults: what the sandbox decoded with before (kept for the bench).
LEGACY_SETTINGS = DecoderSettings()
# Measured on bench/sandbox_engine.py's 64 s dialogue and a second eSpeak dialogue of other
# sentences, with the work PocketSphinx logs (senones scored, search channels) as well as
# CPU time, which this shared VM makes noisy:
# - no second "fwdflat" pass: 28% fewer senones, 17% fewer channels, and more words right
#   (81 vs 71 of 152; 23 vs 20 of 70), not fewer;
# - 30,000 words: CPU about half of the full vocabulary's, words as good (81 and 23); 20,000
#   saved another ~20% but drops words such as "rooftops" and "shutters" (40,000: ~5% more
#   than 30,000).
# Not used, as they lost words (of 152, against 81 without them): a narrower HMM beam (1e-44:
# 62), fewer HMMs per frame (maxhmmpf 10,000: 78; 5,000: 72), topn 2 (65); frame downsampling
# (ds 2) lost 7 words even with the second pass. A narrower word beam (1e-25) or a cap on
# words per frame (maxwpf 20) changed neither the work nor the words.
FAST_SETTINGS = DecoderSettings(options={"fwdflat": False}, vocabulary=30_000)


class Recognizer(Protocol):
    def warm_up(self) -> None:
        """Start loading the model, without waiting (so it overlaps the caller's analysis)."""

    def recognize_all(self, clips: Sequence[np.ndarray]) -> list[str]:
        """The recognized text of each clip (mono float samples at ANALYSIS_RATE)."""


def to_pcm(samples: np.ndarray) -> bytes:
    """Float samples in [-1, 1] as the 16-bit little-endian PCM PocketSphinx decodes."""
    return np.clip(samples * 32767.0, -32768, 32767).astype("<i2").tobytes()


def new_decoder(settings: DecoderSettings) -> Decoder:
    options = {"samprate": ANALYSIS_RATE, "loglevel": "FATAL", **settings.options}
    if settings.vocabulary is None:
        return Decoder(**options)
    # PocketSphinx reads the dictionary when the decoder is made: the file can go right after.
    handle, path = tempfile.mkstemp(prefix="orangeweb-", suffix=".dict")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.writelines(frequent_words_dictionary(Config(**options), settings.vocabulary))
        return Decoder(**options, dict=path)
    finally:
        os.remove(path)


def frequent_words_dictionary(config: Config, size: int) -> list[str]:
    """The lines of `config`'s pronunciation dictionary (alternative pronunciations included)
    for the `size` words its language model deems most frequent (~0.3 s)."""
    model = NGramModel(config, LogMath(), config["lm"])  # memory-mapped: ~0.05 s
    lines_of: dict[str, list[str]] = {}
    with open(config["dict"], encoding="utf-8") as file:
        for line in file:
            word = line.split(" ", 1)[0].split("(", 1)[0]  # "read(2)" is another "read"
            lines_of.setdefault(word, []).append(line)
    # Words the model lacks get its "log zero" and sort last; ties keep the file's order.
    ranked = sorted(lines_of, key=lambda word: -model.prob([word]))[:size]
    return [line for word in ranked for line in lines_of[word]]


def decode(decoder: Decoder, pcm: bytes, *, independent: bool = True) -> str:
    if independent:
        decoder.reinit_feat()  # cheap (~0.2 ms); resets the cepstral mean to its initial value
    decoder.start_utt()
    decoder.process_raw(pcm, full_utt=True)
    decoder.end_utt()
    hypothesis = decoder.hyp()
    return hypothesis.hypstr.strip() if hypothesis is not None else ""


class SequentialRecognizer:
    """One decoder in this process, loaded on first use, used under a lock.

    With `independent=False` each clip starts from the state the previous one left (the
    sandbox's behaviour before the pool; kept for the bench's before/after comparison).
    """

    def __init__(self, settings: DecoderSettings, *, independent: bool = True) -> None:
        self.settings = settings
        self.independent = independent
        self._lock = threading.Lock()
        self._decoder: Decoder | None = None

    def warm_up(self) -> None:
        pass  # loading takes ~0.4 s: done on first use

    def recognize_all(self, clips: Sequence[np.ndarray]) -> list[str]:
        with self._lock:
            if self._decoder is None:
                self._decoder = new_decoder(self.settings)
            return [
                decode(self._decoder, to_pcm(clip), independent=self.independent) for clip in clips
            ]


def cpu_count() -> int:
    """CPUs this process may run on (the affinity mask, where the OS has one)."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


class ParallelRecognizer:
    """A pool of `workers` processes (default: one per CPU), each with its own decoder.

    The pool is shared by every caller of this object, so concurrent transcriptions share
    the CPUs instead of each taking all of them. Started on first use; a broken pool (a
    worker killed) is replaced, and the clips it was given are decoded in this process.
    """

    def __init__(self, settings: DecoderSettings, workers: int | None = None) -> None:
        self.settings = settings
        self.workers = workers or cpu_count()
        self._lock = threading.Lock()
        self._pool: ProcessPoolExecutor | None = None
        self._fallback = SequentialRecognizer(self.settings)

    def warm_up(self) -> None:
        self._get_pool()

    def recognize_all(self, clips: Sequence[np.ndarray]) -> list[str]:
        if not clips:
            return []
        pool = self._get_pool()
        # Longest first: the pool's last clip is then a short one, so workers finish together.
        order = sorted(range(len(clips)), key=lambda index: -len(clips[index]))
        texts: list[str] = [""] * len(clips)
        try:
            futures = {
                index: pool.submit(_decode_in_worker, to_pcm(clips[index])) for index in order
            }
            for index, future in futures.items():
                texts[index] = future.result()
        except BrokenProcessPool:
            self._discard(pool)
            return self._fallback.recognize_all(clips)
        return texts

    def worker_pids(self) -> list[int]:
        """The process ids of the pool's workers (none before it starts)."""
        with self._lock:
            pool = self._pool
        # The executor keeps no public list of its processes.
        processes = getattr(pool, "_processes", None) or {}
        return sorted(processes)

    def close(self) -> None:
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=True)

    def _get_pool(self) -> ProcessPoolExecutor:
        with self._lock:
            if self._pool is None:
                # "spawn": forking a server with threads running can copy held locks.
                self._pool = ProcessPoolExecutor(
                    max_workers=self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_start_worker,
                    initargs=(self.settings,),
                )
                # Processes start as tasks arrive: one no-op each starts them all now.
                for _ in range(self.workers):
                    self._pool.submit(_ready)
            return self._pool

    def _discard(self, pool: ProcessPoolExecutor) -> None:
        with self._lock:
            if self._pool is pool:
                self._pool = None
        pool.shutdown(wait=False, cancel_futures=True)


# In a worker process: its decoder, loaded once by the pool's initializer.
_worker_decoder: Decoder | None = None


def _start_worker(settings: DecoderSettings) -> None:
    global _worker_decoder
    _worker_decoder = new_decoder(settings)


def _ready() -> None:
    pass


def _decode_in_worker(pcm: bytes) -> str:
    assert _worker_decoder is not None, "the pool's initializer loads the decoder"
    return decode(_worker_decoder, pcm)
