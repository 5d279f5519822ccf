"""The dashboard's Radix theme: orange accent (the product's colour), warm gray, light/dark.

Components use theme tokens (`var(--accent-9)`, `var(--gray-a5)`...), so they follow it. Wire
it once in rxconfig.py::

    plugins=[rx.plugins.RadixThemesPlugin(theme=app_theme())]
"""

from __future__ import annotations

import reflex as rx


def app_theme() -> rx.Component:
    """The app-level `rx.theme` (appearance follows the user's light/dark choice)."""
    return rx.theme(
        appearance="inherit",
        accent_color="orange",
        gray_color="sand",
        radius="medium",
        scaling="100%",
        has_background=True,
        panel_background="solid",
    )
