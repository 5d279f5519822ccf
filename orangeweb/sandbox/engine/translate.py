"""Pseudo-translation: the sandbox has no offline translation model, so it marks the text
instead of translating it.

The marker is `[pseudo-xx]` (xx the target language code) at the start of each non-empty line,
after a "Speaker N:" prefix if there is one. It stays in the `translatedText` the API returns,
so a client can tell (and the dashboard shows a "pseudo-translation (sandbox)" badge instead of
the bracket). It is never spoken: `spoken_text` removes it before a segment is voiced, or
every dubbed segment would begin with the tag read aloud and overrun its slot.
"""

from __future__ import annotations

import re

from orangeweb.sandbox.engine.speech import LANGUAGES

# "Speaker 2: text" lines keep their prefix in front of the marker, so dialogue scripts stay
# parseable after pseudo-translation.
_SPEAKER_PREFIX = re.compile(r"^(\s*Speaker\s+\d+\s*:\s*)(.*)$", re.IGNORECASE)
# One or more markers at the start of a line's text (re-translation replaces, never stacks).
_MARKERS = re.compile(r"^(\[pseudo-[a-z]{2}\]\s*)+")


def pseudo_marker(target_language: str) -> str:
    """The tag in front of every pseudo-translated line, e.g. "[pseudo-es]"."""
    return f"[pseudo-{target_language}]"


def pseudo_translate(text: str, target_language: str) -> str:
    """Deterministic stand-in for a translation into `target_language`: each non-empty line
    is tagged with `pseudo_marker` (once: re-translating does not stack tags)."""
    if target_language not in LANGUAGES:
        raise ValueError(f"unsupported language {target_language!r}")
    if not text.strip():
        return ""
    return "\n".join(_mark_line(line, target_language) for line in text.splitlines())


def _mark_line(line: str, target_language: str) -> str:
    if not line.strip():
        return line
    prefix_match = _SPEAKER_PREFIX.match(line)
    prefix, body = prefix_match.groups() if prefix_match else ("", line)
    body = _strip_markers(body.strip())
    if not body:
        return line
    return f"{prefix}{pseudo_marker(target_language)} {body}"


def _strip_markers(body: str) -> str:
    # Pseudo-translating already pseudo-translated text replaces the old tag.
    return _MARKERS.sub("", body)


def spoken_text(text: str) -> str:
    """`text` as it is to be said: the pseudo-translation markers of every line removed."""
    return "\n".join(_unmark_line(line) for line in text.splitlines())


def _unmark_line(line: str) -> str:
    prefix_match = _SPEAKER_PREFIX.match(line)
    prefix, body = prefix_match.groups() if prefix_match else ("", line)
    if not _MARKERS.match(body.lstrip()):
        return line
    return prefix + _strip_markers(body.lstrip())
