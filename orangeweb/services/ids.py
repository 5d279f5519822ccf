"""Row ids as they arrive from outside (URL paths, browser events): checked before any query.

Databases store ids as signed 64-bit integers; SQLite raises on anything bigger, and a
non-number is no id at all. Either way the honest answer is "no such thing".
"""

from __future__ import annotations

from orangeweb.services.errors import NotFoundError

MAX_ROW_ID = 2**63 - 1


def row_id(value: object, what: str = "item") -> int:
    """`value` as a row id (a positive int, or its decimal digits); `NotFoundError` if it is
    none, so a made-up id reads like another team's."""
    if isinstance(value, bool):
        raise NotFoundError(f"No such {what}.")
    if isinstance(value, str):
        text = value.strip()
        if not text.isascii() or not text.isdigit() or len(text) > len(str(MAX_ROW_ID)):
            raise NotFoundError(f"No such {what}.")
        value = int(text)
    if not isinstance(value, int) or not 1 <= value <= MAX_ROW_ID:
        raise NotFoundError(f"No such {what}.")
    return value


def optional_row_id(value: object, what: str = "item") -> int | None:
    """Like `row_id`, with "" and None meaning "none chosen"."""
    if value is None or value == "":
        return None
    return row_id(value, what)


def list_index(value: object, what: str = "item") -> int:
    """A position in a short list (0-based, as a URL or event carries it)."""
    text = (
        str(value).strip() if isinstance(value, str | int) and not isinstance(value, bool) else ""
    )
    if not text.isascii() or not text.isdigit() or len(text) > 6:
        raise NotFoundError(f"No such {what}.")
    return int(text)
