"""A voice recorder: record a take in the browser and POST it to the dashboard.

The browser records with MediaRecorder (Opus in WebM or Ogg, whatever it offers), shows a
live input level (Web Audio AnalyserNode) and the elapsed time, plays the take back, and on
stop sends the raw bytes in one request::

    POST <upload_url>            Content-Type: <the blob's MIME type>, same-origin cookies
    -> 200 {"id": "...", "duration": 4.2}     then on_saved(id, duration)
    -> 4xx/5xx {"error": "..."}               then on_error(message)

The upload goes to a plain HTTP route (not through the websocket), so the page's route handles
sniffing, size caps and storage; the recorder holds no application state.

Usage::

    voice_recorder(
        upload_url="/api/recordings",
        max_seconds=60,
        on_saved=VoiceState.recording_saved,   # def recording_saved(self, id: str, duration: float)
        on_error=VoiceState.recording_failed,  # def recording_failed(self, message: str)
    )
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.event import EventType, passthrough_event_spec
from reflex.vars import Var
from reflex_components_lucide.icon import LUCIDE_LIBRARY
from reflex_components_radix.plugin import RADIX_THEMES_PACKAGE


class VoiceRecorder(rx.Component):
    """The recorder widget (`voice_recorder.jsx`). Prefer the `voice_recorder()` function."""

    library = rx.asset("voice_recorder.jsx", shared=True).importable_path
    tag = "VoiceRecorder"
    # The same pins Reflex itself uses, so the app installs one copy of each.
    lib_dependencies: list[str] = [RADIX_THEMES_PACKAGE, LUCIDE_LIBRARY]

    # Where the finished take is POSTed (same origin; the session cookie goes along).
    upload_url: Var[str]
    # Recording stops by itself after this many seconds.
    max_seconds: Var[int]

    # The server stored the take: (recording id, duration in seconds).
    on_saved: rx.EventHandler[passthrough_event_spec(str, float)]
    # Anything went wrong (no microphone, permission denied, upload refused): (message).
    on_error: rx.EventHandler[passthrough_event_spec(str)]


def voice_recorder(
    upload_url: Var[str] | str,
    *,
    max_seconds: Var[int] | int = 60,
    on_saved: EventType[str, float] | None = None,
    on_error: EventType[str] | None = None,
    **props: Any,
) -> rx.Component:
    """Record / Stop buttons, level meter, elapsed time and playback of the take.

    Args:
        upload_url: Same-origin URL the take is POSTed to; it answers
            `{"id": str, "duration": float}` or `{"error": str}`.
        max_seconds: Auto-stop after this many seconds (default 60).
        on_saved: Event fired with (id: str, duration: float) once the server stored it.
        on_error: Event fired with (message: str); the message is also shown to the user.
        **props: Extra props (id, class_name, style props) for the outer card.

    Returns:
        The recorder component.
    """
    triggers: dict[str, Any] = {}
    if on_saved is not None:
        triggers["on_saved"] = on_saved
    if on_error is not None:
        triggers["on_error"] = on_error
    return VoiceRecorder.create(
        upload_url=upload_url,
        max_seconds=max_seconds,
        **triggers,
        **props,
    )
