"""An audio player drawn as a waveform (wavesurfer.js).

Play/pause, current time / duration, click or drag on the waveform to seek (arrow keys, Home
and End when it has focus), an optional download link. While the file loads it shows an
animated placeholder ("Loading audio 40%"); when the URL fails (HTTP error, not audio) it says
"This audio could not be loaded" with the reason in the tooltip. The waveform's colours follow
the theme's accent and light/dark mode.

The file is fetched whole by the browser (to draw the waveform), from the given URL only, with
same-origin credentials: serve audio from the dashboard's own routes.

Usage::

    waveform_player(TakeState.audio_url, height=64, download_url=TakeState.audio_url)
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex.vars import Var
from reflex_components_lucide.icon import LUCIDE_LIBRARY
from reflex_components_radix.plugin import RADIX_THEMES_PACKAGE

# 7.x: the last minor of the long-stable major (8.0 was brand new when this was written; the
# API used here is the same in both).
WAVESURFER_PACKAGE = "wavesurfer.js@7.12.12"


class WaveformPlayer(rx.Component):
    """The player widget (`waveform_player.jsx`). Prefer the `waveform_player()` function."""

    library = rx.asset("waveform_player.jsx", shared=True).importable_path
    tag = "WaveformPlayer"
    lib_dependencies: list[str] = [WAVESURFER_PACKAGE, RADIX_THEMES_PACKAGE, LUCIDE_LIBRARY]

    # Audio URL; "" shows an empty "No audio" placeholder.
    url: Var[str]
    # Height of the waveform in pixels.
    height: Var[int]
    # When set, a download button links here.
    download_url: Var[str]
    # File name suggested for the download.
    download_name: Var[str]


def waveform_player(
    url: Var[str] | str,
    height: Var[int] | int = 64,
    *,
    download_url: Var[str] | str | None = None,
    download_name: Var[str] | str | None = None,
    **props: Any,
) -> rx.Component:
    """A waveform audio player.

    Args:
        url: The audio's URL (same origin). Changing it loads the new file.
        height: Waveform height in pixels.
        download_url: Show a download button linking here (usually the same URL).
        download_name: File name the browser suggests when downloading.
        **props: Extra props (id, class_name, style props) for the outer row.

    Returns:
        The player component.
    """
    optional: dict[str, Any] = {}
    if download_url is not None:
        optional["download_url"] = download_url
    if download_name is not None:
        optional["download_name"] = download_name
    return WaveformPlayer.create(url=url, height=height, **optional, **props)
