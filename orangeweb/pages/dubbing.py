"""Dubbing studio: upload, the team's projects, and one project's review, voices and result."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import empty_state
from orangeweb.components.uploader import file_dropzone, upload_progress
from orangeweb.pages.dubbing_parts import project_panel
from orangeweb.pages.job_parts import error_callout, ready_or_empty, status_badge
from orangeweb.pages.layout import page
from orangeweb.settings import get_settings
from orangeweb.states.dubbing import UPLOAD_ID, DubbingState
from orangeweb.states.dubbing_rows import ProjectRow

ACCEPT = {
    "video/mp4": [".mp4"],
    "video/quicktime": [".mov"],
    "video/webm": [".webm"],
    "video/x-matroska": [".mkv"],
    "audio/mpeg": [".mp3"],
    "audio/wav": [".wav"],
    "audio/x-wav": [".wav"],
    "audio/mp4": [".m4a"],
    "audio/x-m4a": [".m4a"],
}


def _upload_card() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading("New dubbing project", size="4", as_="h2"),
            file_dropzone(
                upload_id=UPLOAD_ID,
                accept=ACCEPT,
                # The browser refuses a larger file at once; the server caps it again as the
                # bytes arrive (MediaUploadWriter), whatever the browser claims.
                max_size=get_settings().upload_max_bytes,
                label="Drop a video or audio file (MP4, MOV, WEBM, MKV, MP3, WAV, M4A)",
                disabled=DubbingState.receiving | DubbingState.sending,
            ),
            rx.hstack(
                rx.button(
                    rx.icon("upload", size=16),
                    "Upload and transcribe",
                    on_click=[
                        DubbingState.begin_upload,
                        DubbingState.receive_upload(
                            rx.upload_files_chunk(
                                upload_id=UPLOAD_ID,
                                on_upload_progress=DubbingState.upload_progress,
                            )
                        ),
                    ],
                    disabled=DubbingState.receiving | DubbingState.sending,
                    data_testid="dub-upload",
                ),
                rx.cond(
                    DubbingState.receiving,
                    rx.button(
                        "Cancel",
                        variant="soft",
                        color_scheme="red",
                        on_click=DubbingState.cancel_upload,
                        data_testid="dub-cancel",
                    ),
                ),
                spacing="2",
            ),
            rx.cond(
                DubbingState.receiving,
                rx.vstack(
                    upload_progress(DubbingState.receive_percent, "Uploading to the dashboard…"),
                    rx.text(
                        DubbingState.receive_speed,
                        " · ",
                        DubbingState.receive_eta,
                        size="1",
                        color_scheme="gray",
                        data_testid="dub-upload-rate",
                    ),
                    width="100%",
                    spacing="1",
                ),
            ),
            rx.cond(
                DubbingState.checked_message != "",
                rx.callout(
                    DubbingState.checked_message,
                    icon="circle-check",
                    color_scheme="green",
                    size="1",
                    data_testid="dub-checked",
                ),
            ),
            rx.cond(
                DubbingState.sending | (DubbingState.send_percent == 100),
                rx.box(
                    upload_progress(
                        DubbingState.send_percent,
                        rx.cond(
                            DubbingState.sending, "Sending to OrangeClone…", "Sent to OrangeClone"
                        ),
                    ),
                    width="100%",
                    data_testid="dub-send-progress",
                ),
            ),
            rx.cond(
                DubbingState.upload_error != "",
                error_callout(DubbingState.upload_error, test_id="dub-upload-error"),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


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
                    " credits · ",
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


def _project_list() -> rx.Component:
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


def dubbing_page() -> rx.Component:
    return page(
        ready_or_empty(
            DubbingState.loaded,
            rx.Var.create(True),  # characters are optional: a speaker can keep its voice
            rx.grid(
                rx.vstack(
                    _upload_card(),
                    rx.heading("Projects", size="3", as_="h2"),
                    _project_list(),
                    spacing="4",
                    width="100%",
                ),
                rx.cond(DubbingState.has_project, project_panel()),
                columns=rx.breakpoints(initial="1", md="minmax(300px, 1fr) 2fr"),
                gap="5",
                width="100%",
            ),
        ),
        title="Dubbing",
        active="/dubbing",
    )
