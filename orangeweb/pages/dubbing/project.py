"""One open dubbing project, top to bottom: its name and actions, the stepper, the result once
there is one, the timeline, the transcript, the render here, then the voices and the summary
to dub with."""

from __future__ import annotations

import reflex as rx

from orangeweb.pages.dubbing.render_panel import render_panel
from orangeweb.pages.dubbing.result import result
from orangeweb.pages.dubbing.stepper import stepper
from orangeweb.pages.dubbing.summary import summary
from orangeweb.pages.dubbing.timeline import timeline
from orangeweb.pages.dubbing.transcript import transcript
from orangeweb.pages.dubbing.voices import voices
from orangeweb.states.dubbing import DubbingState


def project_panel() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(DubbingState.project.name, size="4", as_="h2"),
                rx.spacer(),
                rx.button(
                    "Delete",
                    size="1",
                    color_scheme="red",
                    variant="ghost",
                    on_click=DubbingState.delete,
                ),
                rx.button("Close", size="1", variant="soft", on_click=DubbingState.close_project),
                width="100%",
            ),
            stepper(),
            rx.cond(DubbingState.output_url != "", result()),
            rx.cond(DubbingState.can_review | (DubbingState.blocks.length() > 0), timeline()),
            transcript(),
            rx.cond(DubbingState.speakers.length() > 0, render_panel()),
            rx.cond(DubbingState.speakers.length() > 0, rx.fragment(voices(), summary())),
            spacing="4",
            width="100%",
        ),
        width="100%",
        data_testid="dub-panel",
    )
