"""What the `/_upload` guard is told about each upload handler, and how it asks for a tab's cookie.

Plain types with no Reflex and no Starlette in them: the states build the rules (they know their
handlers and caps), the route's middleware (`routes/upload_guard.py`) enforces them.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass

# Room for the multipart envelope around the file (boundaries, part headers, bound args).
ENVELOPE_BYTES = 64 * 1024

# (client token, handler name) -> the `Cookie:` header that tab's websocket connected with.
TabSessionReader = Callable[[str, str], Awaitable[str | None]]


@dataclass(frozen=True)
class UploadRule:
    """One upload handler: its largest file, read when a request arrives (settings may change)."""

    max_file_bytes: Callable[[], int]

    def max_body_bytes(self) -> int:
        return self.max_file_bytes() + ENVELOPE_BYTES
