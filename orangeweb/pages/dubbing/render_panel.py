"""The dashboard's own render: "Render changed (N)" (or "Render"), a confirm with the honest
cost of both ways, the run's progress live, its warnings, and the rendered file to watch and
download."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.media import download_button, media_player
from orangeweb.states.dubbing import DubbingState


def _confirm() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Render the dub here"),
            rx.alert_dialog.description(
                DubbingState.plan_words, size="2", data_testid="dub-render-plan"
            ),
            rx.cond(
                DubbingState.plan_recommended == "full",
                rx.callout(
                    "A full re-dub through OrangeClone costs less this time (Dub, below).",
                    icon="info",
                    size="1",
                    data_testid="dub-render-recommend-full",
                ),
            ),
            rx.hstack(
                rx.alert_dialog.cancel(
                    rx.button("Cancel", variant="soft", on_click=DubbingState.close_render_plan)
                ),
                rx.alert_dialog.action(
                    rx.button(
                        rx.cond(
                            DubbingState.plan_takes > 1,
                            "Make " + DubbingState.plan_takes.to_string() + " takes and render",
                            rx.cond(
                                DubbingState.plan_takes == 1, "Make 1 take and render", "Render"
                            ),
                        ),
                        on_click=DubbingState.render(DubbingState.render_key),
                        data_testid="dub-render-confirm",
                    )
                ),
                justify="end",
                spacing="2",
                margin_top="12px",
            ),
        ),
        open=DubbingState.plan_words != "",
    )


def _progress() -> rx.Component:
    return rx.cond(
        DubbingState.render_running,
        rx.vstack(
            rx.text(DubbingState.render_detail, size="1", data_testid="dub-render-detail"),
            rx.progress(value=DubbingState.render_percent, width="100%"),
            width="100%",
            spacing="1",
            data_testid="dub-render-progress",
        ),
    )


def render_panel() -> rx.Component:
    idle = ~DubbingState.busy & ~DubbingState.render_running & ~DubbingState.is_running
    return rx.vstack(
        rx.hstack(
            rx.heading("Render here", size="3", as_="h3"),
            rx.spacer(),
            rx.button(
                rx.icon("clapperboard", size=14),
                rx.cond(
                    DubbingState.render_changed > 0,
                    "Render changed (" + DubbingState.render_changed.to_string() + ")",
                    "Render",
                ),
                disabled=~idle | ~DubbingState.can_review,
                on_click=DubbingState.open_render_plan,
                data_testid="dub-render",
            ),
            width="100%",
            align="center",
        ),
        rx.text(
            "Mixed from each line's pinned take: the picture is copied, the original sound is "
            "turned down under each dubbed line (music and effects are ducked, not separated), "
            "and a take longer than its line is sped up to 1.4\u00d7 at most.",
            size="1",
            color_scheme="gray",
        ),
        _progress(),
        rx.cond(
            DubbingState.render_error != "",
            rx.callout(
                DubbingState.render_error,
                icon="triangle-alert",
                color_scheme="red",
                size="1",
                data_testid="dub-render-error",
            ),
        ),
        rx.cond(
            (DubbingState.render_url != "") & ~DubbingState.render_running,
            rx.vstack(
                rx.text(DubbingState.render_detail, size="1", data_testid="dub-render-done"),
                rx.cond(
                    DubbingState.project.media_type == "video",
                    media_player(
                        DubbingState.render_url, "video", id="dub-render-player", max_height="320px"
                    ),
                    media_player(DubbingState.render_url, "audio", id="dub-render-player"),
                ),
                download_button(
                    "Download the render",
                    DubbingState.render_url,
                    DubbingState.render_file_name,
                    "dub-render-download",
                ),
                width="100%",
                spacing="2",
            ),
        ),
        rx.foreach(
            DubbingState.render_warnings,
            lambda words: rx.text(
                "⚠ ", words, size="1", color_scheme="amber", data_testid="dub-render-warning"
            ),
        ),
        _confirm(),
        spacing="2",
        width="100%",
        data_testid="dub-render-panel",
    )
