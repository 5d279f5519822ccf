"""UI pieces the job pages share: status badges, character chips, empty states, errors."""

from __future__ import annotations

from typing import Any

import reflex as rx

from orangeweb.components.avatar import avatar
from orangeweb.components.blocks import empty_state
from orangeweb.components.waveform import waveform_player
from orangeweb.states.keys import KeysState

LIVE_STATUSES = ("submitting", "queued", "processing")


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


def character_chip(
    chip: rx.Var, selected: rx.Var[bool], on_click: Any, *, test_prefix: str = "chip"
) -> rx.Component:
    """A pressable avatar chip for one character."""
    return rx.button(
        avatar(chip.seed, chip.style, size="22px", alt=""),
        chip.name,
        size="1",
        radius="full",
        variant=rx.cond(selected, "solid", "outline"),
        color_scheme=rx.cond(selected, "orange", "gray"),
        on_click=on_click,
        type="button",
        aria_pressed=rx.cond(selected, "true", "false"),
        data_testid=test_prefix,
        padding_left="2px",
    )


def error_callout(message: rx.Var[str], test_id: str = "form-error") -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(
            message, icon="triangle-alert", color_scheme="red", role="alert", data_testid=test_id
        ),
    )


def ready_or_empty(
    loaded: rx.Var[bool], has_characters: rx.Var[bool], *content: rx.Component
) -> rx.Component:
    """The page's content once its data is loaded, or the empty state saying what to do first
    (nothing at all before the first load, so no empty state flashes by)."""
    return rx.cond(
        loaded,
        rx.cond(
            ~KeysState.has_keys,
            no_key_state(),
            rx.cond(has_characters, rx.fragment(*content), no_characters_state()),
        ),
    )


def no_key_state() -> rx.Component:
    return empty_state(
        "key-round",
        "Add an API key first",
        "Every job runs with an OrangeClone API key. Add yours, or create a sandbox key to "
        "try everything locally, in Settings.",
        rx.link(rx.button("Go to Settings"), href="/settings"),
    )


def no_characters_state() -> rx.Component:
    return empty_state(
        "drama",
        "Create a character first",
        "Voices come from your team's characters: a name, an avatar and a 3-second sample. "
        "Create one (or import one by id) on the Characters page.",
        rx.link(rx.button("Go to Characters"), href="/characters"),
    )


def credits_text(row: rx.Var) -> rx.Component:
    return rx.text(
        "Estimate ",
        row.estimate,
        rx.cond(row.charged != "", rx.fragment(" · charged ", row.charged), ""),
        " credits",
        size="1",
        color_scheme="gray",
    )


def download_button(
    label: str, href: rx.Var[str], file_name: rx.Var[str], test_id: str = "download"
) -> rx.Component:
    """An <a download> styled as a button. `reload_document` hands the click to the browser:
    the app's client-side router would otherwise treat the media URL as one of its pages."""
    return rx.button(
        rx.link(
            rx.icon("download", size=14),
            label,
            href=href,
            download=file_name,
            reload_document=True,
            underline="none",
            data_testid=test_id,
        ),
        as_child=True,
        variant="soft",
    )


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
