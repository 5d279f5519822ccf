"""Where the open project stands: one badge per step, and the error with a retry."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import error_callout
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_project_rows import StepRow


def _step(row: StepRow) -> rx.Component:
    return rx.badge(
        rx.match(
            row.state,
            ("done", rx.icon("circle-check", size=14)),
            ("active", rx.spinner(size="1")),
            ("failed", rx.icon("circle-x", size=14)),
            rx.icon("circle", size=14),
        ),
        row.label,
        color_scheme=rx.match(
            row.state, ("done", "green"), ("active", "orange"), ("failed", "red"), "gray"
        ),
        variant="soft",
        size="2",
        data_testid="dub-step",
        data_state=row.state,
    )


def stepper() -> rx.Component:
    return rx.vstack(
        rx.flex(rx.foreach(DubbingState.steps, _step), spacing="2", wrap="wrap"),
        rx.cond(
            DubbingState.project_error != "",
            rx.vstack(
                error_callout(DubbingState.project_error, test_id="dub-error"),
                rx.hstack(
                    rx.text(DubbingState.retry_hint, size="1", color_scheme="gray"),
                    rx.cond(
                        DubbingState.failed_step != "",
                        rx.button(
                            rx.icon("rotate-ccw", size=14),
                            "Retry",
                            on_click=DubbingState.retry,
                            size="1",
                            data_testid="dub-retry",
                        ),
                    ),
                    align="center",
                ),
                width="100%",
            ),
        ),
        width="100%",
        spacing="2",
    )
