"""Parse `Speaker N: text` dialogue (no HTTP).

Rules (CONTRACT, "Voice cloning"): each turn starts with `Speaker N:` (any case, optional spaces:
"speaker2:", "SPEAKER 2 :"); `Speaker N` is voiced by `character_ids[N-1]`; a line without a
prefix continues the previous speaker (joined with a space; listed in `continuations`); blank
lines are ignored. Parsing never raises: problems are collected with their 1-based line numbers, and
`Dialogue.raise_if_invalid()` turns them into one `DialogueError` when the caller wants that.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# ASCII only: a Unicode digit or a look-alike letter is not a prefix the server would read.
_SPEAKER_PREFIX = re.compile(r"speaker\s*([0-9]+)\s*:(.*)", re.IGNORECASE | re.ASCII | re.DOTALL)
MAX_SPEAKER_NUMBER = 99


@dataclass(frozen=True, slots=True)
class DialogueLine:
    """One speaker turn; `line_number` is the 1-based line where it starts."""

    speaker: int
    text: str
    line_number: int


@dataclass(frozen=True, slots=True)
class DialogueProblem:
    line_number: int
    message: str

    def __str__(self) -> str:
        return f"line {self.line_number}: {self.message}"


class DialogueError(ValueError):
    """A dialogue that cannot be sent as it is; `problems` says where and why."""

    def __init__(self, problems: tuple[DialogueProblem, ...]) -> None:
        super().__init__("; ".join(str(problem) for problem in problems))
        self.problems = problems


@dataclass(frozen=True, slots=True)
class Continuation:
    """A line with no `Speaker N:` prefix, read as more of `speaker`'s turn (the API's rule);
    a dashboard may ask for the prefix, since the line may be meant for someone else."""

    line_number: int
    speaker: int


@dataclass(frozen=True, slots=True)
class Dialogue:
    lines: tuple[DialogueLine, ...]
    problems: tuple[DialogueProblem, ...]
    continuations: tuple[Continuation, ...] = ()

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def speakers(self) -> tuple[int, ...]:
        """The speaker numbers used, ascending."""
        return tuple(sorted({line.speaker for line in self.lines}))

    @property
    def characters_needed(self) -> int:
        """How many character ids the call needs: the highest speaker number (ids are by
        position, so "Speaker 3" alone still needs three)."""
        return max(self.speakers, default=0)

    @property
    def texts(self) -> tuple[str, ...]:
        return tuple(line.text for line in self.lines)

    def speakers_beyond(self, character_count: int) -> tuple[int, ...]:
        """Speakers with no character when `character_count` ids are given."""
        return tuple(speaker for speaker in self.speakers if speaker > character_count)

    def to_text(self) -> str:
        """The dialogue in canonical form, one `Speaker N: text` line per turn."""
        return "\n".join(f"Speaker {line.speaker}: {line.text}" for line in self.lines)

    def raise_if_invalid(self) -> Dialogue:
        if self.problems:
            raise DialogueError(self.problems)
        return self


@dataclass(slots=True)
class _Turn:
    speaker: int
    line_number: int
    parts: list[str] = field(default_factory=list)


def is_dialogue(text: str) -> bool:
    """Whether any line of `text` starts with a `Speaker N:` prefix."""
    return any(_SPEAKER_PREFIX.match(line.strip()) for line in text.splitlines())


def parse_dialogue(text: str, character_count: int | None = None) -> Dialogue:
    """Split `text` into speaker turns. With `character_count`, a speaker beyond it is a
    problem ("no character"), reported at the speaker's first line."""
    turns, problems, continuations = _read_turns(text)
    lines: list[DialogueLine] = []
    for turn in turns:
        if turn.parts:
            lines.append(DialogueLine(turn.speaker, " ".join(turn.parts), turn.line_number))
        else:
            message = f"Speaker {turn.speaker} says nothing"
            problems.append(DialogueProblem(turn.line_number, message))
    if character_count is not None:
        problems.extend(_speakers_without_character(lines, character_count))
    problems.sort(key=lambda problem: problem.line_number)
    return Dialogue(
        lines=tuple(lines), problems=tuple(problems), continuations=tuple(continuations)
    )


def _read_turns(
    text: str,
) -> tuple[list[_Turn], list[DialogueProblem], list[Continuation]]:
    """The raw turns (possibly empty), the problems found line by line, and the lines that
    continued a turn."""
    problems: list[DialogueProblem] = []
    continuations: list[Continuation] = []
    turns: list[_Turn] = []
    current: _Turn | None = None
    past_preamble = saw_text = False
    for line_number, raw_line in enumerate(text.splitlines(), start=1):
        line = raw_line.strip()
        if not line:
            continue
        saw_text = True
        match = _SPEAKER_PREFIX.match(line)
        if match is None:
            if current is not None:
                current.parts.append(line)
                continuations.append(Continuation(line_number, current.speaker))
            elif not past_preamble:
                message = 'text before the first "Speaker N:" line'
                problems.append(DialogueProblem(line_number, message))
            past_preamble = True  # report the preamble once, not once per line
            continue
        past_preamble = True
        digits, rest = match.groups()
        speaker = _speaker_number(digits)
        if speaker is None:
            message = f"speaker numbers run from 1 to {MAX_SPEAKER_NUMBER}"
            problems.append(DialogueProblem(line_number, message))
            current = None  # its continuation lines belong to no one; reported once here
            continue
        current = _Turn(speaker, line_number)
        if rest.strip():
            current.parts.append(rest.strip())
        turns.append(current)
    if not saw_text:
        problems.append(DialogueProblem(1, "the dialogue is empty"))
    return turns, problems, continuations


def _speaker_number(digits: str) -> int | None:
    # Check the length first: int() of a 5000-digit string raises in Python 3.11.
    if len(digits.lstrip("0")) > len(str(MAX_SPEAKER_NUMBER)):
        return None
    number = int(digits)
    return number if 1 <= number <= MAX_SPEAKER_NUMBER else None


def _speakers_without_character(
    lines: list[DialogueLine], character_count: int
) -> list[DialogueProblem]:
    first_line_of: dict[int, int] = {}
    for line in lines:
        first_line_of.setdefault(line.speaker, line.line_number)
    return [
        DialogueProblem(
            line_number, f"Speaker {speaker} has no character ({character_count} given)"
        )
        for speaker, line_number in first_line_of.items()
        if speaker > character_count
    ]
