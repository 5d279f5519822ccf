"""The sandbox's pseudo-translation marker, recognised so the page can say "pseudo" in words.

The built-in sandbox has no translation model: it returns the source text tagged `[pseudo-xx]`
(xx the target language; see orangeweb/sandbox/engine/translate.py) in `translatedText`. The
tag is how the dashboard knows a translation is not real. It is kept in what is stored and
sent back, but not shown as raw bracket text (a badge says it) and not counted in the slot fit
(the sandbox does not speak it). Real OrangeClone translations never carry it.
"""

from __future__ import annotations

import re

# The tag at the start of a line (after an optional "Speaker N:" prefix the sandbox keeps).
_LINE_MARKER = re.compile(r"^(\s*(?:Speaker\s+\d+\s*:\s*)?)\[pseudo-[a-z]{2}\]\s*", re.I | re.M)


def is_pseudo(text: str | None) -> bool:
    """Whether `text` is a sandbox pseudo-translation."""
    return text is not None and _LINE_MARKER.search(text) is not None


def strip_pseudo(text: str) -> str:
    """`text` without the sandbox's markers (the words a person reads or hears)."""
    return _LINE_MARKER.sub(r"\1", text)


def pseudo_marker(text: str | None) -> str:
    """The tag `text` starts with ("[pseudo-es] "), or "": what a split or merged line keeps."""
    found = _LINE_MARKER.match(text or "")
    return found.group(0)[len(found.group(1)) :] if found else ""
