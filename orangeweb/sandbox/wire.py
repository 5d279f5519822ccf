"""Bases of the models that describe the wire format: camelCase names (the docs' spelling)
through aliases, exact types, no unknown fields."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, BeforeValidator, ConfigDict
from pydantic.alias_generators import to_camel
from pydantic.json_schema import SkipJsonSchema


class RequestBody(BaseModel):
    """A strict JSON request body. Validation errors name the fields as the client sent them
    (the aliases), so messages read `storyId: ...`, not `story_id: ...`."""

    model_config = ConfigDict(extra="forbid", strict=True, alias_generator=to_camel)


class ResponseBody(BaseModel):
    """A response shape, for the OpenAPI schema only: routes build their answers as dicts, so
    documenting a shape can never change what is sent."""

    model_config = ConfigDict(extra="forbid", alias_generator=to_camel, populate_by_name=True)


def _whole_number(value: Any) -> Any:
    # JSON has one number type: `1.0` is what many serialisers write for the integer 1 (and
    # JSON Schema's "integer" accepts it), so an honest client may send it.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


# Marks an int field as also accepting a whole-valued float (`2.0`); `2.5`, `"2"` and `true`
# stay refused. Put it after the field's constraints (`Annotated[int, Field(ge=0), ...]`), or
# the constraints drop out of the JSON schema.
ACCEPT_WHOLE_FLOATS = BeforeValidator(_whole_number)

# A field that is left out rather than sent as null: `audioUrl: str | Absent = None`.
Absent = SkipJsonSchema[None]
