"""The browser's own audio and video players, for outputs and samples."""

from __future__ import annotations

from typing import Any, Literal

import reflex as rx
from reflex.vars import Var


def media_player(
    src: str | Var[str],
    kind: Literal["audio", "video"] = "audio",
    **props: Any,
) -> rx.Component:
    """A plain HTML5 <audio> or <video> with the browser's controls.

    `preload="metadata"` fetches only the header (duration, first frame), not the whole
    file, so a list of many players stays cheap.

    Args:
        src: The media URL (serve it from the dashboard's own routes).
        kind: "audio" or "video".
        **props: Extra attributes/styles (e.g. poster=... for video, aria_label=...).

    Returns:
        The media element.
    """
    if kind == "video":
        props.setdefault("max_height", "480px")
        props.setdefault("background", "black")
        props.setdefault("border_radius", "var(--radius-3)")
        return rx.el.video(
            src=src,
            controls=True,
            preload="metadata",
            plays_inline=True,
            width="100%",
            **props,
        )
    if kind != "audio":
        msg = f"media_player kind must be 'audio' or 'video', not {kind!r}"
        raise ValueError(msg)
    props.setdefault("height", "40px")
    return rx.el.audio(src=src, controls=True, preload="metadata", width="100%", **props)
