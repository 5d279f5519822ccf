"""The request bodies of dubbing steps 2-5 (translate, segments, settings, clone): documented
names, assumed shapes where the docs are silent (CONTRACT.md)."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from orangeweb.sandbox.engine import LANGUAGES
from orangeweb.sandbox.wire import RequestBody

Id = Annotated[str, Field(min_length=1)]
# Documented languages; checked in the routes (not by the model), so the message lists them.
Language = Annotated[str, Field(json_schema_extra={"enum": list(LANGUAGES)})]
LanguageOrOriginal = Annotated[
    str,
    Field(
        description='one of the documented languages, or "" for the original language',
        json_schema_extra={"enum": ["", *LANGUAGES]},
    ),
]


class TranslateRequest(RequestBody):
    job_id: Id
    target_language: Language


class SegmentEdit(RequestBody):
    id: Id
    text: Annotated[str, Field(min_length=1)] | None = None
    translated_text: str | None = None
    speaker_id: Id | None = None

    @model_validator(mode="after")
    def _changes_something(self) -> SegmentEdit:
        if self.text is None and self.translated_text is None and self.speaker_id is None:
            raise ValueError(f"segment {self.id!r}: give text, translatedText or speakerId")
        return self


class SegmentsRequest(RequestBody):
    """Either translate some segments, or edit some segments (CONTRACT.md, both assumed)."""

    job_id: Id
    target_language: Language | None = None
    segment_ids: Annotated[list[Id], Field(min_length=1)] | None = None
    segments: Annotated[list[SegmentEdit], Field(min_length=1)] | None = None

    @model_validator(mode="after")
    def _one_shape(self) -> SegmentsRequest:
        translating = self.target_language is not None or self.segment_ids is not None
        if translating and self.segments is not None:
            raise ValueError("send either targetLanguage + segmentIds, or segments, not both")
        if translating and (self.target_language is None or self.segment_ids is None):
            raise ValueError("translating segments needs both targetLanguage and segmentIds")
        if not translating and self.segments is None:
            raise ValueError("send targetLanguage + segmentIds, or segments")
        return self


class CharacterVoice(RequestBody):
    type: Literal["character"]
    character_id: Id


class OriginalVoice(RequestBody):
    type: Literal["original"]


VoiceChoice = Annotated[CharacterVoice | OriginalVoice, Field(discriminator="type")]


class SettingsRequest(RequestBody):
    target_language: LanguageOrOriginal | None = None
    translate_all: bool | None = None
    voice_mapping: dict[str, VoiceChoice] | None = None

    @model_validator(mode="after")
    def _something_to_set(self) -> SettingsRequest:
        nothing = (self.target_language, self.translate_all, self.voice_mapping) == (None,) * 3
        if nothing:
            raise ValueError("give at least one of targetLanguage, translateAll, voiceMapping")
        return self


class CloneRequest(RequestBody):
    job_id: Id
