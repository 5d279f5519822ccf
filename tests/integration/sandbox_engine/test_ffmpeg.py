"""Fitting eSpeak speech into a slot with ffmpeg's atempo."""

import numpy as np

from orangeweb.sandbox.engine.ffmpeg import fit_to_duration
from orangeweb.sandbox.engine.speech import sample_rate
from tests.support.media import rms, speech_samples


def test_speech_too_long_for_its_slot_is_sped_up_not_cut() -> None:
    speech = speech_samples("Please open the door and bring me a cup of coffee.")
    rate = sample_rate()
    slot = len(speech) / rate / 1.6

    fitted = fit_to_duration(speech, rate, slot)

    assert len(fitted) == round(slot * rate)
    # The end of the sentence is still there: the last quarter of the slot is not silent.
    assert rms(fitted[-len(fitted) // 4 :].astype(float) / 32768) > 0.01


def test_short_speech_is_padded_with_silence() -> None:
    speech = speech_samples("Hello.")
    rate = sample_rate()

    fitted = fit_to_duration(speech, rate, 3.0)

    assert len(fitted) == 3 * rate
    assert np.array_equal(fitted[: len(speech)], speech)
    assert not fitted[len(speech) :].any()
