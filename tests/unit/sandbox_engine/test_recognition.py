"""The sandbox decoder's vocabulary: the language model's most frequent words, with every
pronunciation the dictionary has for them (a tiny model and dictionary; the real ones are
used in tests/integration/sandbox_engine/test_recognition.py)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
from pocketsphinx import Config

from orangeweb.sandbox.engine.recognition import frequent_words_dictionary, to_pcm

TINY_LM = """\\data\\
ngram 1=5

\\1-grams:
-1.0 <s> 0.0
-1.0 </s> 0.0
-0.5 coffee 0.0
-2.0 garden 0.0
-1.5 door 0.0

\\end\\
"""
# Alphabetical, as cmudict is: "zebra" is not in the model at all.
TINY_DICT = [
    "coffee K AA F IY\n",
    "door D AO R\n",
    "door(2) D UH R\n",
    "garden G AA R D AH N\n",
    "zebra Z IY B R AH\n",
]


def tiny_config(tmp_path: Path) -> Config:
    (tmp_path / "tiny.arpa").write_text(TINY_LM)
    (tmp_path / "tiny.dict").write_text("".join(TINY_DICT))
    return Config(lm=str(tmp_path / "tiny.arpa"), dict=str(tmp_path / "tiny.dict"))


def test_the_most_probable_words_are_kept_with_all_their_pronunciations(
    tmp_path: Path,
) -> None:
    lines = frequent_words_dictionary(tiny_config(tmp_path), 2)

    assert lines == ["coffee K AA F IY\n", "door D AO R\n", "door(2) D UH R\n"]


def test_words_the_model_lacks_come_last(tmp_path: Path) -> None:
    lines = frequent_words_dictionary(tiny_config(tmp_path), 10)

    assert [line.split()[0] for line in lines] == ["coffee", "door", "door(2)", "garden", "zebra"]


def test_pcm_is_clipped_16_bit_little_endian() -> None:
    pcm = to_pcm(np.array([0.0, 0.5, -1.0, 2.0], dtype=np.float32))

    assert np.frombuffer(pcm, dtype="<i2").tolist() == [0, 16383, -32767, 32767]
