"""Parsing `/voices_clone` text into speaker lines (documented format `Speaker N: text`)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from orangeweb.sandbox.errors import bad_request

_SPEAKER_PREFIX = re.compile(r"^\s*Speaker\s*([0-9]+)\s*:\s*(.*)$", re.IGNORECASE | re.ASCII)


@dataclass(frozen=True)
class SpeakerLine:
    speaker: int  # 1-based: Speaker 1 is character_ids[0]
    text: str


def parse_dialogue(text: str, speaker_slots: int) -> list[SpeakerLine]:
    """The text as speaker lines; 400 for a `Speaker N` without a matching character id.

    A line without a prefix continues the previous speaker (assumed); text before any prefix
    belongs to Speaker 1, so plain text is a single-voice job.
    """
    lines: list[SpeakerLine] = []
    current_speaker = 1
    for raw_line in text.splitlines():
        match = _SPEAKER_PREFIX.match(raw_line)
        if match:
            current_speaker = int(match.group(1))
            if not 1 <= current_speaker <= speaker_slots:
                raise bad_request(
                    f"'Speaker {current_speaker}' has no matching character: "
                    f"character_ids has {speaker_slots} id(s), for Speaker 1 to "
                    f"Speaker {speaker_slots}"
                )
            line_text = match.group(2).strip()
            lines.append(SpeakerLine(current_speaker, line_text))
            continue
        line_text = raw_line.strip()
        if not line_text:
            continue
        if lines and lines[-1].speaker == current_speaker:
            previous = lines[-1]
            joined = f"{previous.text} {line_text}".strip()
            lines[-1] = SpeakerLine(current_speaker, joined)
        else:
            lines.append(SpeakerLine(current_speaker, line_text))
    spoken = [line for line in lines if line.text]
    if not spoken:
        raise bad_request("text has nothing to say")
    return spoken
