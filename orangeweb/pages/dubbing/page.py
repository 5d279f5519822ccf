"""Dubbing studio: upload, the team's projects, and the open project beside them."""

from __future__ import annotations

import reflex as rx

from orangeweb.pages.dubbing.project import project_panel
from orangeweb.pages.dubbing.projects import project_list
from orangeweb.pages.dubbing.upload import upload_card
from orangeweb.pages.prerequisites import ready_or_empty
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.character_homes import CharacterHomesState
from orangeweb.states.dubbing import DubbingState


@private_page(
    "/dubbing",
    "Dubbing",
    on_load=(DubbingState.load, CharacterHomesState.load),
    nav=NavEntry("clapperboard", order=60),
    live=DubbingState,
)
def dubbing_page() -> rx.Component:
    return ready_or_empty(
        DubbingState.loaded,
        rx.Var.create(True),  # characters are optional: a speaker can keep its voice
        rx.grid(
            rx.vstack(
                upload_card(),
                rx.heading("Projects", size="3", as_="h2"),
                project_list(),
                spacing="4",
                width="100%",
            ),
            rx.cond(DubbingState.has_project, project_panel()),
            columns=rx.breakpoints(initial="1", md="minmax(300px, 1fr) 2fr"),
            spacing="5",
            width="100%",
        ),
        reload=None,  # offered where speakers are mapped (voices.py)
    )
