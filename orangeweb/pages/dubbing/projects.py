"""The team's dubbing projects, newest first; a click opens one."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import empty_state
from orangeweb.components.job_status import status_badge
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.dubbing_project_rows import ProjectRow


def _project_item(row: ProjectRow) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.icon(rx.cond(row.media_type == "video", "film", "music"), size=18),
            rx.vstack(
                rx.text(row.name, weight="medium", size="2"),
                rx.text(
                    row.duration,
                    " · ≈ ",
                    row.credits,
                    " · ",
                    row.created_by,
                    size="1",
                    color_scheme="gray",
                ),
                spacing="0",
                flex="1",
                min_width="0",
            ),
            status_badge(row.status, row.color),
            align="center",
            spacing="3",
            width="100%",
        ),
        on_click=DubbingState.open_project(row.id),
        cursor="pointer",
        width="100%",
        data_testid="dub-project",
        variant=rx.cond(DubbingState.open_id == row.id, "surface", "classic"),
    )


def project_list() -> rx.Component:
    return rx.cond(
        DubbingState.projects.length() > 0,
        rx.vstack(
            rx.foreach(DubbingState.projects, _project_item),
            spacing="2",
            width="100%",
        ),
        empty_state(
            "languages",
            "No dubbing projects yet",
            "Upload a video or audio file above to transcribe, translate and dub it.",
        ),
    )
