"""Typed inputs for the calls that take structured values (scenes, characters, segment edits,
voice mapping). Each serialises to exactly the documented wire shape; a plain mapping in either
snake_case or the wire's camelCase is accepted too, and unknown keys are refused (strict in what
we send), so a typo fails here instead of being silently dropped by the server.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, Self, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from pydantic.alias_generators import to_camel

from orangeweb.orangeclone.errors import InvalidRequest

ParamT = TypeVar("ParamT", bound="RequestParam")


class RequestParam(BaseModel):
    model_config = ConfigDict(
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=True,
        extra="forbid",
        frozen=True,
        str_strip_whitespace=False,
    )

    def to_wire(self) -> dict[str, Any]:
        return self.model_dump(by_alias=True, exclude_none=True)


class BatchScene(RequestParam):
    """One scene of a batch. `index` defaults to the scene's position in the list."""

    text: str = Field(min_length=1)
    character_id: str = Field(min_length=1)
    index: int | None = Field(default=None, ge=0)


class ScriptCharacter(RequestParam):
    """A character a generated script may use: `{"id", "name"}` on the wire."""

    id: str = Field(min_length=1)
    name: str = Field(min_length=1)


class SegmentEdit(RequestParam):
    """Replace some fields of one transcript segment before cloning."""

    id: str = Field(min_length=1)
    text: str | None = None
    translated_text: str | None = None
    speaker_id: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _changes_something(self) -> Self:
        if self.text is None and self.translated_text is None and self.speaker_id is None:
            raise ValueError("a segment edit must set text, translatedText or speakerId")
        return self


class VoiceAssignment(RequestParam):
    """Which voice a detected speaker gets: a character's, or the original voice."""

    type: Literal["character", "original"]
    character_id: str | None = Field(default=None, min_length=1)

    @model_validator(mode="after")
    def _character_needs_id(self) -> Self:
        if self.type == "character" and self.character_id is None:
            raise ValueError('type "character" needs a characterId')
        if self.type == "original" and self.character_id is not None:
            raise ValueError('type "original" takes no characterId')
        return self

    @classmethod
    def character(cls, character_id: str) -> VoiceAssignment:
        return cls(type="character", character_id=character_id)

    @classmethod
    def original(cls) -> VoiceAssignment:
        return cls(type="original")


def coerce_param(model: type[ParamT], value: ParamT | Mapping[str, Any], what: str) -> ParamT:
    """`value` as a `model`, or InvalidRequest (not sent) naming what was wrong."""
    if isinstance(value, model):
        return value
    try:
        return model.model_validate(dict(value) if isinstance(value, Mapping) else value)
    except ValidationError as error:
        problems = "; ".join(
            f"{'.'.join(str(part) for part in issue['loc']) or what}: {issue['msg']}"
            for issue in error.errors(include_url=False, include_input=False)
        )
        raise InvalidRequest(f"invalid {what}: {problems}") from None
