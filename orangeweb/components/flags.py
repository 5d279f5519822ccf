"""Country flags as SVG, from the `flag-icons` npm package (MIT), in every browser.

Emoji flags are drawn as two letters or boxes in Chromium on Windows and in some Linux fonts,
so the page uses flag-icons' CSS classes (`fi fi-es`) instead. `FlagIconsPlugin` (in
rxconfig.py) has Reflex install the package with the frontend and import its stylesheet, the
way Radix's own plugin imports its CSS: the SVGs are bundled by the frontend build from
node_modules, nothing is vendored here and nothing is fetched from a CDN at run time.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex.vars import Var

FLAG_ICONS_VERSION = "7.5.0"
FLAG_ICONS_PACKAGE = f"flag-icons@{FLAG_ICONS_VERSION}"
FLAG_ICONS_STYLESHEET = "flag-icons/css/flag-icons.min.css"


@dataclasses.dataclass
class FlagIconsPlugin(rx.plugins.Plugin):
    """Adds flag-icons to the frontend's packages and its CSS to the root stylesheet."""

    def get_frontend_dependencies(self, **context: Any) -> tuple[str, ...]:
        return (FLAG_ICONS_PACKAGE,)

    def get_stylesheet_paths(self, **context: Any) -> tuple[str, ...]:
        return (FLAG_ICONS_STYLESHEET,)


def flag_icon(classes: str | Var[str], **props: Any) -> rx.Component:
    """A flag from its flag-icons classes (e.g. "fi fi-es"; "" shows nothing). Decorative:
    the language's name is always written beside it."""
    return rx.el.span(
        class_name=classes,
        aria_hidden="true",
        border_radius="2px",
        flex_shrink="0",
        data_testid="flag",
        **props,
    )
