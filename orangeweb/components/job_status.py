"""How a job stands: its status badge, its credits and, once it has one, its output."""

from __future__ import annotations

from typing import Any

import reflex as rx

from orangeweb.components.waveform import waveform_player


def status_badge(status: rx.Var[str], color: rx.Var[str], **props: Any) -> rx.Component:
    """The job's status as the API says it; a spinner while it is still moving."""
    return rx.badge(
        rx.cond(
            (status == "submitting") | (status == "queued") | (status == "processing"),
            rx.spinner(size="1"),
        ),
        status,
        color_scheme=color,
        variant="soft",
        radius="full",
        data_testid="job-status",
        **props,
    )


def credits_text(row: rx.Var) -> rx.Component:
    # The words are made in the state (`job_rows.credits_line`): "1 credit", "2 credits".
    return rx.text(row.credits, size="1", color_scheme="gray", data_testid="job-credits")


def job_output(row: rx.Var, height: int = 56) -> rx.Component:
    """The player once the job has audio; its error in words when it failed."""
    return rx.cond(
        row.output_url != "",
        waveform_player(
            row.output_url,
            height=height,
            download_url=row.output_url,
            download_name=row.download_name,
        ),
        rx.cond(
            row.error != "",
            rx.text(row.error, size="2", color_scheme="red", data_testid="job-error"),
            rx.cond(
                row.is_final,
                rx.text("No audio.", size="2", color_scheme="gray"),
                rx.text("Working on it: this updates by itself.", size="2", color_scheme="gray"),
            ),
        ),
    )
