"""Pages of later issues: a clear "coming" state, inside the real shell."""

from __future__ import annotations

from collections.abc import Callable

import reflex as rx

from orangeweb.components.shell import coming_soon
from orangeweb.pages.layout import page

COMING: dict[str, tuple[str, str]] = {}


def placeholder(route: str) -> Callable[[], rx.Component]:
    title, text = COMING[route]

    def render() -> rx.Component:
        return page(coming_soon(title, text), title=title, active=route)

    render.__name__ = f"coming_{route.strip('/')}"
    return render
