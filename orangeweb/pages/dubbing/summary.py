"""The last look before dubbing: language, voices, the credit estimate, and the Dub button."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.flags import flag_icon
from orangeweb.states.dubbing import DubbingState


def summary() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("Before dubbing", size="3", as_="h3"),
            rx.text(
                "Language: ",
                flag_icon(DubbingState.summary_flag, margin_right="4px"),
                DubbingState.summary_language,
                size="2",
                data_testid="dub-summary-language",
            ),
            rx.foreach(
                DubbingState.speakers,
                lambda s: rx.text(s.name, " → ", s.voice_name, size="2"),
            ),
            rx.text(
                "Estimate: ≈ ",
                DubbingState.project.credits,
                " (1 per 10 s of media per language).",
                rx.cond(
                    DubbingState.output_url != "",
                    " Dubbing again charges again.",
                    "",
                ),
                size="2",
                data_testid="dub-summary-estimate",
            ),
            rx.tooltip(
                rx.button(
                    rx.icon("audio-lines", size=16),
                    "Dub",
                    on_click=DubbingState.dub,
                    disabled=~DubbingState.can_review
                    | DubbingState.busy
                    | DubbingState.restructured,
                    data_testid="dub-start",
                ),
                content=rx.cond(
                    DubbingState.restructured,
                    "The segments were restructured here: use Render here instead.",
                    "OrangeClone dubs the whole file: its duration, per language.",
                ),
            ),
            spacing="2",
        ),
        width="100%",
    )
