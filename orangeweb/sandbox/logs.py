"""Keeping signed URL tokens out of access logs (they grant access until they expire)."""

from __future__ import annotations

import logging
import re

_SIGNED_PATH = re.compile(r"(/(?:files|uploads)/)[^/?\s]+")


def redact_signed_paths(text: str) -> str:
    """`/files/<token>/voice.wav` -> `/files/<redacted>/voice.wav`."""
    return _SIGNED_PATH.sub(r"\1<redacted>", text)


class RedactSignedUrls(logging.Filter):
    """A filter for `uvicorn.access` (or any logger): tokens in paths become `<redacted>`."""

    def filter(self, record: logging.LogRecord) -> bool:
        if isinstance(record.args, tuple):
            record.args = tuple(
                redact_signed_paths(arg) if isinstance(arg, str) else arg for arg in record.args
            )
        elif isinstance(record.msg, str):
            record.msg = redact_signed_paths(record.msg)
        return True


def install_access_log_redaction() -> None:
    logging.getLogger("uvicorn.access").addFilter(RedactSignedUrls())
