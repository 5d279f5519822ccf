"""Small page-level building blocks: a list's empty state, a field's label, an error callout."""

from __future__ import annotations

import reflex as rx
from reflex.vars import Var

from orangeweb.components.shell import DESKTOP


def empty_state(
    icon: str | rx.Component,
    title: str | Var[str],
    text: str | Var[str],
    action: rx.Component | None = None,
) -> rx.Component:
    """ "Nothing here yet, and here is what to do": for a list or page without data.

    Args:
        icon: A lucide icon name (e.g. "mic") or any component.
        title: One short line ("No characters yet").
        text: What the user can do about it.
        action: Optional call to action, typically an rx.button or rx.link.

    Returns:
        The centered message.
    """
    icon_component = rx.icon(icon, size=26) if isinstance(icon, str) else icon
    return rx.flex(
        rx.flex(
            icon_component,
            align="center",
            justify="center",
            width="56px",
            height="56px",
            border_radius="var(--radius-5)",
            background="var(--accent-a3)",
            color="var(--accent-11)",
        ),
        rx.heading(title, as_="h2", size="4", align="center"),
        rx.text(text, size="2", color_scheme="gray", align="center", max_width="44ch"),
        *([rx.box(action, margin_top="8px")] if action is not None else []),
        direction="column",
        align="center",
        spacing="3",
        padding=rx.breakpoints(initial="32px 20px", **{DESKTOP: "48px 32px"}),
        border="1px dashed var(--gray-a6)",
        border_radius="var(--radius-4)",
        background="var(--gray-a2)",
        width="100%",
        data_testid="empty-state",
    )


def field_label(text: str, html_for: str) -> rx.Component:
    """A real <label for=...>, so the input is named by it (for people and for tests)."""
    return rx.el.label(
        text,
        html_for=html_for,
        style={"font_size": "var(--font-size-2)", "font_weight": "500"},
    )


def error_callout(message: Var[str], test_id: str = "form-error") -> rx.Component:
    """The form's or page's error, announced (role="alert"); nothing while it is empty."""
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="triangle-alert", color_scheme="red", role="alert", data_testid=test_id
        ),
    )
