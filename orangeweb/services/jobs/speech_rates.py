"""Each character's speaking rate, learned from its finished takes (`CharacterSpeechRate`).

Fed by the tracker: a voice job once it has succeeded with a duration (`kinds.voice`), each
story scene once its audio is archived and timed (`kinds.batch`). Read by the estimates shown
before a submission and by the tier-cap check (`estimates`). No commit here: the caller's.

A dialogue's mix has one duration for all its voices: after the pauses between turns, it is
shared among the speakers in proportion to what their current rates predict for their turns,
so a dialogue teaches every voice in it without one speaker's pace being blamed on another.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from orangeweb.models import Character, CharacterSpeechRate, Job, utcnow
from orangeweb.services.jobs.estimates import TYPICAL, SpeechRate, spoken_chars, turn_gaps, turns

# A take outside these bounds is not speech at the character's pace (empty or truncated audio,
# a clip padded with silence): learning from it would mislead every later estimate.
_PLAUSIBLE_SECONDS_PER_CHAR = (0.015, 0.4)


def read_rates(
    session: Session,
    team_id: int,
    character_ids: Iterable[int] | None = None,
    language: str = "",
) -> dict[int, SpeechRate]:
    """{character id: learned rate} of the team's characters that have one (all of them, or
    those of `character_ids`). A language's own rate wins over the rate of unknown language."""
    query = (
        select(CharacterSpeechRate)
        .join(Character, col(Character.id) == CharacterSpeechRate.character_id)
        .where(Character.team_id == team_id, col(CharacterSpeechRate.takes) > 0)
        .where(col(CharacterSpeechRate.language).in_({"", language}))
    )
    if character_ids is not None:
        query = query.where(col(CharacterSpeechRate.character_id).in_(set(character_ids)))
    rates: dict[int, SpeechRate] = {}
    # Unknown language first, so the language's own row (if any) overwrites it.
    for row in sorted(session.exec(query).all(), key=lambda r: r.language != ""):
        if row.text_chars > 0 and row.seconds > 0:
            rates[row.character_id] = SpeechRate(row.seconds / row.text_chars, row.takes)
    return rates


def record_take(
    session: Session, character_id: int, text_chars: int, seconds: float, language: str = ""
) -> bool:
    """Add one take (`text_chars` spoken in `seconds`) to the character's totals. False, and
    nothing recorded, if the take is implausible or the character is gone. No commit."""
    if text_chars <= 0 or not seconds > 0:
        return False
    low, high = _PLAUSIBLE_SECONDS_PER_CHAR
    if not low <= seconds / text_chars <= high:
        return False
    if session.get(Character, character_id) is None:
        return False  # deleted since the job was sent
    # One statement adds to the totals, so two tracker sessions cannot lose a take.
    values: dict[str, Any] = {
        "takes": col(CharacterSpeechRate.takes) + 1,
        "text_chars": col(CharacterSpeechRate.text_chars) + text_chars,
        "seconds": col(CharacterSpeechRate.seconds) + seconds,
        "updated_at": utcnow(),
    }
    where = (
        col(CharacterSpeechRate.character_id) == character_id,
        col(CharacterSpeechRate.language) == language,
    )
    if session.execute(update(CharacterSpeechRate).where(*where).values(**values)).rowcount:  # type: ignore[attr-defined]
        return True
    row = CharacterSpeechRate(
        character_id=character_id,
        language=language,
        takes=1,
        text_chars=text_chars,
        seconds=seconds,
        updated_at=utcnow(),
    )
    try:
        with session.begin_nested():
            session.add(row)
    except IntegrityError:  # the first take of this character raced another: add to it
        session.execute(update(CharacterSpeechRate).where(*where).values(**values))
    return True


def learn_from_take(session: Session, job: Job) -> int:
    """Learn from a finished voice or dialogue job (its request text and character ids, its
    duration). Returns how many characters' rates were updated. No commit."""
    text = str(job.request.get("text") or "")
    character_ids = [int(i) for i in job.request.get("character_ids") or []]
    seconds = job.duration_s
    if not (job.succeeded and seconds and character_ids and text.strip()):
        return 0
    spoken = turns(text, len(character_ids))
    chars: dict[int, int] = {}
    for speaker, words in spoken:
        if 0 < speaker <= len(character_ids):
            character_id = character_ids[speaker - 1]
            chars[character_id] = chars.get(character_id, 0) + spoken_chars(words)
    if len(chars) == 1:
        ((character_id, count),) = chars.items()
        return int(record_take(session, character_id, count, float(seconds)))
    speech = float(seconds) - turn_gaps(spoken)
    current = read_rates(session, job.team_id, chars)
    predicted = {
        cid: count * current.get(cid, TYPICAL).seconds_per_char for cid, count in chars.items()
    }
    total = sum(predicted.values())
    if speech <= 0 or total <= 0:
        return 0
    return sum(
        record_take(session, cid, chars[cid], speech * predicted[cid] / total) for cid in chars
    )


def learn_from_scene(session: Session, scene: dict[str, Any], seconds: float | None) -> bool:
    """Learn from one story scene: its own text, character and archived duration. No commit."""
    character_id = scene.get("character_id")
    if not seconds or not isinstance(character_id, int):
        return False
    return record_take(session, character_id, spoken_chars(str(scene.get("text") or "")), seconds)
