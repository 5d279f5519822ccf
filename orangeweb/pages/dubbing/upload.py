"""The new-project card: drop a video or audio file, upload it (with its progress and rate),
then watch it being sent to OrangeClone."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import error_callout
from orangeweb.components.uploader import DUBBING_ACCEPT as ACCEPT
from orangeweb.components.uploader import file_dropzone, upload_progress
from orangeweb.settings import get_settings
from orangeweb.states.dubbing import UPLOAD_ID, DubbingState


def upload_card() -> rx.Component:
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
