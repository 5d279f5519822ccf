"""The browser's own audio and video players, for outputs and samples, and download buttons."""

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


def download_button(
    label: str, href: rx.Var[str], file_name: rx.Var[str], test_id: str = "download"
) -> rx.Component:
    """An <a download> styled as a button. `reload_document` hands the click to the browser:
    the app's client-side router would otherwise treat the media URL as one of its pages."""
    return rx.button(
        rx.link(
            rx.icon("download", size=14),
            label,
            href=href,
            download=file_name,
            reload_document=True,
            underline="none",
            data_testid=test_id,
        ),
        as_child=True,
        variant="soft",
    )
