"""Home: where to start, and the team's characters at a glance."""

from __future__ import annotations

import reflex as rx

from orangeweb.pages.layout import page
from orangeweb.states.base import AppState
from orangeweb.states.keys import KeysState


def _step(number: str, title: str, text: str, href: str, done: rx.Var[bool]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.cond(
                done,
                rx.icon("circle-check", color=rx.color("grass", 9)),
                rx.badge(number, radius="full", size="2"),
            ),
            rx.vstack(
                rx.link(rx.heading(title, size="3", as_="h3"), href=href),
                rx.text(text, size="2", color_scheme="gray"),
                spacing="1",
            ),
            align="start",
            spacing="3",
        ),
        width="100%",
    )


def home_page() -> rx.Component:
    return page(
        rx.heading("Welcome, ", AppState.user_name, size="6", as_="h2"),
        rx.grid(
            _step(
                "1",
                "Add an API key",
                "Bring your OrangeClone key, or create a sandbox key to try everything locally.",
                "/settings",
                KeysState.has_keys,
            ),
            _step(
                "2",
                "Create a character",
                "A voice profile from a 3-second sample, uploaded or recorded in the browser.",
                "/characters",
                rx.Var.create(False),
            ),
            _step(
                "3",
                "Clone voices and dub videos",
                "The voice studio, stories, scripts and dubbing pages arrive next.",
                "/voice",
                rx.Var.create(False),
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        title="Home",
        active="/",
    )
