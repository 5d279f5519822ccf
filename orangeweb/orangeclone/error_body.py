"""Turn any error response body into one short, safe message.

The CONTRACT's error shape is `{"success": false, "error": "msg"}`, but we tolerate what other
servers and proxies send: `{"error": {"message": ...}}`, `{"message": ...}`, `{"detail": ...}`
(a string or FastAPI's list of `{"loc", "msg"}`), plain text, or an HTML page (we keep only its
<title>: an HTML dump is useless in a toast and may leak internals). Nothing here raises: a body
we cannot read yields a generic "HTTP 502 Bad Gateway"-style message.
"""

from __future__ import annotations

import html
import json
import re
from http import HTTPStatus

MAX_MESSAGE_CHARS = 300
_MAX_JSON_DEPTH = 4  # {"error": {"error": {"message": ...}}} is as deep as sensible servers go

_TITLE = re.compile(r"<title[^>]*>(.*?)</title", re.IGNORECASE | re.DOTALL)
_HTML_MARKERS = ("<!doctype", "<html", "<head", "<body", "<title")
_CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]+")
_WHITESPACE = re.compile(r"\s+")


def generic_message(status_code: int) -> str:
    """'HTTP 404 Not Found', or 'HTTP 599 error' for a status without a standard phrase."""
    try:
        return f"HTTP {status_code} {HTTPStatus(status_code).phrase}"
    except ValueError:
        return f"HTTP {status_code} error"


def error_message(body: bytes | str, content_type: str | None, status_code: int) -> str:
    """The server's message from an error body, cleaned; a generic message if it has none."""
    text = body.decode("utf-8", errors="replace") if isinstance(body, bytes) else body
    message = _clean(_message_from_text(text, (content_type or "").lower()) or "")
    return message or generic_message(status_code)


def message_from_json(payload: object, depth: int = 0) -> str | None:
    """The message inside a decoded JSON error body, or None if it holds none we recognise."""
    if depth > _MAX_JSON_DEPTH:
        return None
    if isinstance(payload, str):
        return payload
    if isinstance(payload, int | float) and not isinstance(payload, bool):
        return str(payload)
    if isinstance(payload, list):
        return _message_from_list(payload, depth)
    if isinstance(payload, dict):
        for key in ("error", "message", "detail", "msg", "error_description"):
            if key in payload:
                found = message_from_json(payload[key], depth + 1)
                if found and found.strip():
                    return found
    return None


def _message_from_list(items: list[object], depth: int) -> str | None:
    """FastAPI's `detail: [{"loc": [...], "msg": "..."}]`, or a list of strings."""
    parts: list[str] = []
    for item in items[:5]:
        if isinstance(item, dict) and isinstance(item.get("msg"), str):
            location = item.get("loc")
            if isinstance(location, list) and location:
                parts.append(f"{'.'.join(str(part) for part in location)}: {item['msg']}")
            else:
                parts.append(item["msg"])
        else:
            found = message_from_json(item, depth + 1)
            if found:
                parts.append(found)
    return "; ".join(parts) or None


def _message_from_text(text: str, content_type: str) -> str | None:
    stripped = text.strip()
    if not stripped:
        return None
    if "json" in content_type or stripped[0] in '{["':
        try:
            payload = json.loads(stripped)
        except (ValueError, RecursionError):
            pass  # not JSON after all: read it as text below
        else:
            return message_from_json(payload)
    if "html" in content_type or _looks_like_html(stripped):
        match = _TITLE.search(stripped)
        return html.unescape(match.group(1)) if match else "the server returned an HTML error page"
    return stripped


def _looks_like_html(text: str) -> bool:
    head = text[:1024].lower()
    return head.startswith("<") and any(marker in head for marker in _HTML_MARKERS)


def _clean(message: str) -> str:
    """One line, no control characters, at most MAX_MESSAGE_CHARS."""
    one_line = _WHITESPACE.sub(" ", _CONTROL_CHARS.sub(" ", message)).strip()
    if len(one_line) > MAX_MESSAGE_CHARS:
        return one_line[: MAX_MESSAGE_CHARS - 1].rstrip() + "…"
    return one_line
