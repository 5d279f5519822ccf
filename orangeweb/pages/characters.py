"""Characters: the team's gallery of voice profiles, and everything done to one."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.avatar import avatar, avatar_style_picker
from orangeweb.components.blocks import empty_state, field_label
from orangeweb.components.media import media_player
from orangeweb.components.recorder import voice_recorder
from orangeweb.components.uploader import VOICE_SAMPLE_ACCEPT as AUDIO_ACCEPT
from orangeweb.components.uploader import file_dropzone, upload_progress
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.characters import (
    MAX_SAMPLE_BYTES,
    REPLACE_UPLOAD_ID,
    SAMPLE_UPLOAD_ID,
    CharactersState,
)


def _error(message: rx.Var[str]) -> rx.Component:
    return rx.cond(
        message != "",
        rx.callout(
            message,
            icon="triangle-alert",
            color_scheme="red",
            role="alert",
            data_testid="character-error",
        ),
    )


def _character_card(card: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                avatar(card.avatar_seed, card.avatar_style, size="56px", alt=""),
                rx.vstack(
                    rx.heading(card.name, size="4", as_="h3"),
                    rx.text(card.avatar_style, size="1", color_scheme="gray"),
                    spacing="0",
                ),
                align="center",
                spacing="3",
            ),
            rx.text(
                rx.cond(card.home_count > 1, "Lives on (", "Lives on "),
                rx.cond(card.home_count > 1, card.home_count.to_string() + " copies): ", ""),
                card.homes,
                size="1",
                color_scheme="gray",
                data_testid="character-homes",
            ),
            rx.text("By ", card.created_by, " · ", card.created_at, size="1", color_scheme="gray"),
            rx.text("id ", rx.code(card.remote_id), size="1", color_scheme="gray"),
            rx.cond(
                card.sample_url != "",
                media_player(card.sample_url, kind="audio", aria_label="Voice sample"),
                rx.text("No local sample (imported).", size="1", color_scheme="gray"),
            ),
            rx.hstack(
                rx.button(
                    rx.icon("pencil", size=14),
                    "Edit",
                    size="1",
                    variant="soft",
                    on_click=CharactersState.start_edit(card.id),
                    disabled=~card.usable,
                ),
                rx.button(
                    rx.icon("trash-2", size=14),
                    "Delete",
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    on_click=CharactersState.ask_delete(card.id),
                    disabled=~card.usable,
                ),
                rx.cond(
                    card.can_make_available,
                    rx.button(
                        rx.icon("copy-plus", size=14),
                        "Make available on " + CharactersState.acting_key_label,
                        size="1",
                        variant="soft",
                        on_click=CharactersState.make_available(card.id),
                        loading=CharactersState.busy,
                        data_testid="make-available",
                    ),
                ),
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        data_testid="character-card",
        width="100%",
    )


def _create_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.trigger(rx.button(rx.icon("plus"), "New character")),
        rx.dialog.content(
            rx.dialog.title("New character"),
            rx.vstack(
                field_label("Name (2-50 characters)", "character-name"),
                rx.input(
                    id="character-name",
                    value=CharactersState.new_name,
                    on_change=CharactersState.set_new_name,
                    max_length=50,
                    width="100%",
                ),
                rx.text("Avatar style", size="2", weight="medium"),
                avatar_style_picker(
                    CharactersState.new_style,
                    CharactersState.set_new_style,
                    rx.cond(CharactersState.new_name != "", CharactersState.new_name, "preview"),
                    preview_size="44px",
                ),
                rx.text("Voice sample (at least 3 s of one voice)", size="2", weight="medium"),
                rx.tabs.root(
                    rx.tabs.list(
                        rx.tabs.trigger("Upload a file", value="upload"),
                        rx.tabs.trigger("Record", value="record"),
                    ),
                    rx.tabs.content(
                        rx.vstack(
                            file_dropzone(
                                SAMPLE_UPLOAD_ID,
                                AUDIO_ACCEPT,
                                MAX_SAMPLE_BYTES,
                                "Drop a WAV, MP3 or M4A voice sample",
                                disabled=CharactersState.busy,
                            ),
                            rx.cond(
                                CharactersState.busy,
                                upload_progress(
                                    CharactersState.upload_percent, "Uploading and creating…"
                                ),
                            ),
                            rx.button(
                                "Create character",
                                loading=CharactersState.busy,
                                on_click=CharactersState.create_from_upload(
                                    rx.upload_files(
                                        upload_id=SAMPLE_UPLOAD_ID,
                                        on_upload_progress=CharactersState.set_upload_progress,
                                    )
                                ),
                                data_testid="create-from-upload",
                            ),
                            spacing="3",
                            padding_top="12px",
                        ),
                        value="upload",
                    ),
                    rx.tabs.content(
                        rx.vstack(
                            voice_recorder(
                                "/media/recordings",
                                max_seconds=60,
                                on_saved=CharactersState.recording_saved,
                                on_error=CharactersState.recording_failed,
                            ),
                            rx.button(
                                "Create character",
                                loading=CharactersState.busy,
                                disabled=CharactersState.recording_id == "",
                                on_click=CharactersState.create_from_recording,
                                data_testid="create-from-recording",
                            ),
                            spacing="3",
                            padding_top="12px",
                        ),
                        value="record",
                    ),
                    value=CharactersState.sample_source,
                    on_change=CharactersState.set_sample_source,
                    width="100%",
                ),
                _error(CharactersState.form_error),
                rx.dialog.close(rx.button("Close", variant="soft", color_scheme="gray")),
                spacing="3",
                width="100%",
            ),
            max_width="560px",
        ),
        open=CharactersState.create_open,
        on_open_change=CharactersState.set_create_open,
    )


def _edit_dialog() -> rx.Component:
    return rx.dialog.root(
        rx.dialog.content(
            rx.dialog.title("Edit character"),
            rx.vstack(
                field_label("Name", "edit-name"),
                rx.input(
                    id="edit-name",
                    value=CharactersState.edit_name,
                    on_change=CharactersState.set_edit_name,
                    max_length=50,
                    width="100%",
                ),
                rx.text("Avatar style", size="2", weight="medium"),
                avatar_style_picker(
                    CharactersState.edit_style,
                    CharactersState.set_edit_style,
                    CharactersState.edit_id,
                    preview_size="44px",
                ),
                rx.button(
                    "Save",
                    on_click=CharactersState.save_edit,
                    loading=CharactersState.busy,
                    data_testid="save-edit",
                ),
                rx.separator(),
                rx.text("Replace the voice", size="2", weight="medium"),
                file_dropzone(
                    REPLACE_UPLOAD_ID, AUDIO_ACCEPT, MAX_SAMPLE_BYTES, "Drop the new voice sample"
                ),
                rx.button(
                    "Replace voice",
                    variant="soft",
                    loading=CharactersState.busy,
                    on_click=CharactersState.replace_voice(
                        rx.upload_files(upload_id=REPLACE_UPLOAD_ID)
                    ),
                    data_testid="replace-voice",
                ),
                _error(CharactersState.edit_error),
                rx.button(
                    "Close", variant="soft", color_scheme="gray", on_click=CharactersState.stop_edit
                ),
                spacing="3",
                width="100%",
            ),
            max_width="560px",
        ),
        open=CharactersState.editing,
    )


def _delete_button(
    label: str, everywhere: bool, test_id: str, variant: str = "solid"
) -> rx.Component:
    return rx.button(
        label,
        variant=variant,
        color_scheme="red",
        on_click=CharactersState.confirm_delete(everywhere),
        loading=CharactersState.busy,
        data_testid=test_id,
    )


def _delete_dialog() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete ", CharactersState.deleting_name, "?"),
            rx.alert_dialog.description(
                rx.cond(
                    CharactersState.deleting_copies > 1,
                    "It lives on "
                    + CharactersState.deleting_copies.to_string()
                    + " keys' accounts. Delete only the copy on "
                    + CharactersState.deleting_home
                    + ", or every copy? Each is deleted from OrangeClone, then from the "
                    "dashboard. Jobs already made keep their audio.",
                    "It is deleted from OrangeClone, then from the dashboard. Jobs already "
                    "made keep their audio.",
                )
            ),
            rx.hstack(
                rx.button(
                    "Cancel",
                    variant="soft",
                    color_scheme="gray",
                    on_click=CharactersState.cancel_delete,
                ),
                rx.cond(
                    CharactersState.deleting_copies > 1,
                    rx.fragment(
                        _delete_button("Delete this copy", False, "confirm-delete", "soft"),
                        _delete_button("Delete all copies", True, "confirm-delete-all"),
                    ),
                    _delete_button("Delete", False, "confirm-delete"),
                ),
                justify="end",
                spacing="3",
                margin_top="16px",
                wrap="wrap",
            ),
        ),
        open=CharactersState.delete_id != "",
    )


def _import_row() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.input(
                placeholder="Import by character id",
                value=CharactersState.import_remote_id,
                on_change=CharactersState.set_import_remote_id,
                aria_label="Character id to import",
                width="320px",
                max_width="60vw",
            ),
            rx.button(
                "Import",
                variant="soft",
                on_click=CharactersState.import_character,
                loading=CharactersState.busy,
                data_testid="import-character",
            ),
            wrap="wrap",
        ),
        _error(CharactersState.import_error),
        width="100%",
    )


@private_page(
    "/characters", "Characters", on_load=CharactersState.load, nav=NavEntry("drama", order=20)
)
def characters_page() -> rx.Component:
    return rx.fragment(
        rx.hstack(_create_dialog(), _import_row(), spacing="4", wrap="wrap", align="start"),
        rx.cond(
            CharactersState.characters.length() > 0,
            rx.grid(
                rx.foreach(CharactersState.characters, _character_card),
                columns=rx.breakpoints(initial="1", sm="2", lg="3"),
                spacing="4",
                width="100%",
            ),
            rx.cond(
                CharactersState.loaded,
                empty_state(
                    "users",
                    "No characters yet",
                    "A character is a voice profile: a name, an avatar and a sample of at "
                    "least 3 seconds. Create one with “New character”, or import one by id.",
                ),
            ),
        ),
        _edit_dialog(),
        _delete_dialog(),
    )
