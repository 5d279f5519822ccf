"""A drag-and-drop file picker over `rx.upload`, and a progress bar for the upload.

The dropzone only selects the file (kept by Reflex in the browser, under `upload_id`); the page
sends it with its own handler and binds the progress bar to its own var::

    file_dropzone(
        upload_id="dub-source",
        accept=DUBBING_ACCEPT,  # or VOICE_SAMPLE_ACCEPT, both below
        max_size=2 * 1024**3,
        label="Drop the video to dub",
    )
    rx.button(
        "Upload",
        on_click=DubState.handle_upload(
            rx.upload_files("dub-source", on_upload_progress=DubState.on_progress)
        ),
    )
    rx.cond(DubState.uploading, upload_progress(DubState.upload_percent))

(`on_progress` receives `{"progress": 0..1, "loaded": bytes, "total": bytes}`; store
`round(progress * 100)`.) Clear the selection after a successful upload with
`rx.clear_selected_files("dub-source")`; the dropzone also has its own "remove" button.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx
from reflex.event import EventSpec
from reflex.vars import Var, VarData
from reflex_components_core.core.upload import get_upload_files_context_var_data

from orangeweb.orangeclone.media_types import (
    DUBBING_SUFFIXES,
    VOICE_SAMPLE_SUFFIXES,
    media_types_of,
)

# `accept` mappings for the pickers, from the SDK's table of what the API takes (a component may
# import SDK constants: they are facts about the API, with no Reflex and no database).
VOICE_SAMPLE_ACCEPT: dict[str, list[str]] = media_types_of(VOICE_SAMPLE_SUFFIXES)
DUBBING_ACCEPT: dict[str, list[str]] = media_types_of(DUBBING_SUFFIXES)


def _human_size(n_bytes: int) -> str:
    size = float(n_bytes)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            text = f"{size:.0f}" if unit == "bytes" or size >= 100 else f"{size:.1f}"
            return f"{text.removesuffix('.0')} {unit}"
        size /= 1024
    raise AssertionError("unreachable")


# Same steps as _human_size, for the browser (the selected file never reaches Python).
_JS_HUMAN_SIZE = (
    "((n) => n < 1024 ? n + ' bytes' : n < 1048576 ? (n / 1024).toFixed(1) + ' KB' : "
    "n < 1073741824 ? (n / 1048576).toFixed(1) + ' MB' : (n / 1073741824).toFixed(2) + ' GB')"
)


def _selected_file_var(upload_id: str, js_of_file: str, var_type: type) -> Var:
    """A browser-side var over the first file selected in the dropzone `upload_id`.

    `js_of_file` is an expression of `f`, the File object; the var is "" when none is chosen.
    """
    id_literal = Var.create(upload_id)
    return Var(
        _js_expr=(
            f"((files) => {{ const f = files && files[0]; return f ? ({js_of_file}) : ''; }})"
            f"(filesById[{id_literal!s}])"
        ),
        _var_type=var_type,
        _var_data=VarData.merge(get_upload_files_context_var_data()),
    )


def selected_file_name(upload_id: str) -> Var[str]:
    """The chosen file's name in dropzone `upload_id`, or ""."""
    return _selected_file_var(upload_id, "f.name", str).to(str)


def selected_file_size(upload_id: str) -> Var[str]:
    """The chosen file's size, human-readable ("12.4 MB"), or ""."""
    return _selected_file_var(upload_id, f"{_JS_HUMAN_SIZE}(f.size)", str).to(str)


_ACTION_WORDS: dict[str, str] = {"color": "var(--accent-11)", "font_weight": "500"}


def _rejected_toast(types: str, max_size: str) -> Callable[[Var], EventSpec]:
    """on_drop_rejected: a toast naming the file and the reason in plain words."""

    def show(rejected: Var) -> EventSpec:
        # react-dropzone gives [{file, errors: [{code, message}]}]; codes are stable strings.
        reasons = (
            f"(({rejected!s}) || []).map((r) => {{"
            " const codes = (r.errors || []).map((e) => e.code);"
            f" const why = codes.includes('file-too-large') ? 'it is larger than {max_size}'"
            f" : codes.includes('file-invalid-type') ? 'only {types} files are accepted'"
            " : codes.includes('too-many-files') ? 'choose one file at a time'"
            " : (r.errors || []).map((e) => e.message).join(', ');"
            " return (r.file && r.file.name ? r.file.name + ': ' : '') + why; }).join('\\n')"
        )
        return rx.toast.error(
            title="File not accepted",
            description=Var(_js_expr=reasons, _var_type=str),
            close_button=True,
            style={"white_space": "pre-line"},
        )

    return show


def _accept_hint(accept: dict[str, Sequence[str]]) -> str:
    """'.mp4, .mov or .mp3' from react-dropzone's accept mapping."""
    exts: list[str] = []
    for mime, suffixes in accept.items():
        names = list(suffixes) or [mime.split("/")[-1].replace("*", "any")]
        exts.extend(s.lstrip(".").upper() for s in names)
    unique = list(dict.fromkeys(exts))
    if len(unique) <= 1:
        return "".join(unique)
    return ", ".join(unique[:-1]) + " or " + unique[-1]


def file_dropzone(
    upload_id: str,
    accept: dict[str, Sequence[str]],
    max_size: int,
    label: str,
    *,
    disabled: Var[bool] | bool = False,
    **props: Any,
) -> rx.Component:
    """A dashed drop area for one file, showing the chosen file's name and size.

    Click, Enter/Space or drag-and-drop select a file; files of another type or over
    `max_size` are refused by the browser with a toast saying why.

    Args:
        upload_id: The rx.upload id; pass the same id to `rx.upload_files(...)`.
        accept: react-dropzone's mapping of MIME type to extensions, e.g.
            {"audio/wav": [".wav"], "audio/mpeg": [".mp3"]}; `VOICE_SAMPLE_ACCEPT` and
            `DUBBING_ACCEPT` are the API's formats.
        max_size: Largest accepted file, in bytes (the server must cap it again).
        label: The call to action ("Drop a voice sample").
        disabled: Refuse new files (e.g. while uploading).
        **props: Extra style props for the drop area.

    Returns:
        The dropzone with its selected-file row.
    """
    name = selected_file_name(upload_id)
    size = selected_file_size(upload_id)
    types, biggest = _accept_hint(accept), _human_size(max_size)
    hint = f"{types} · up to {biggest}"
    zone = rx.upload.root(
        rx.flex(
            rx.flex(
                rx.icon("cloud-upload", size=24),
                align="center",
                justify="center",
                width="48px",
                height="48px",
                border_radius="9999px",
                background="var(--accent-a3)",
                color="var(--accent-11)",
            ),
            rx.text(label, size="3", weight="medium", align="center"),
            # Phones have no drag and drop to speak of: just "Choose a file".
            rx.text(
                rx.el.span(
                    "Drag a file here or ", display=rx.breakpoints(initial="none", sm="inline")
                ),
                # The action words in the accent colour: they are what a click does.
                rx.el.span(
                    "choose one",
                    display=rx.breakpoints(initial="none", sm="inline"),
                    **_ACTION_WORDS,
                ),
                rx.el.span(
                    "Choose a file",
                    display=rx.breakpoints(initial="inline", sm="none"),
                    **_ACTION_WORDS,
                ),
                size="2",
                color="var(--gray-11)",
                align="center",
            ),
            rx.text(hint, size="1", color_scheme="gray", align="center"),
            direction="column",
            align="center",
            spacing="2",
        ),
        id=upload_id,
        accept=accept,
        max_size=max_size,
        on_drop_rejected=_rejected_toast(types, biggest),
        max_files=1,
        multiple=False,
        disabled=disabled,
        no_keyboard=False,
        border="1.5px dashed var(--gray-a7)",
        border_radius="var(--radius-4)",
        background="var(--gray-a2)",
        padding=rx.breakpoints(initial="24px 16px", sm="32px 24px"),
        cursor="pointer",
        transition="border-color 120ms, background-color 120ms",
        _hover={"border_color": "var(--accent-8)", "background": "var(--accent-a2)"},
        _focus_visible={"outline": "2px solid var(--accent-8)", "outline_offset": "2px"},
        drag_active_style={
            "border_color": "var(--accent-9)",
            "background": "var(--accent-a3)",
        },
        custom_attrs={"data-testid": f"dropzone-{upload_id}"},
        **props,
    )
    chosen = rx.cond(
        name != "",
        rx.flex(
            rx.icon("file", size=18, color="var(--accent-11)", flex_shrink="0"),
            rx.text(
                name,
                size="2",
                weight="medium",
                overflow="hidden",
                text_overflow="ellipsis",
                white_space="nowrap",
                min_width="0",
                flex="1",
                data_testid=f"selected-file-{upload_id}",
            ),
            rx.text(size, size="2", color_scheme="gray", white_space="nowrap"),
            rx.icon_button(
                rx.icon("x", size=16),
                on_click=rx.clear_selected_files(upload_id),
                variant="ghost",
                color_scheme="gray",
                size="1",
                aria_label="Remove the selected file",
                type="button",
            ),
            align="center",
            spacing="3",
            padding="8px 12px",
            border="1px solid var(--gray-a5)",
            border_radius="var(--radius-3)",
            background="var(--color-panel-solid)",
        ),
    )
    return rx.flex(zone, chosen, direction="column", spacing="2", width="100%")


def upload_progress(
    percent: Var[int] | Var[float] | int | float,
    label: Var[str] | str = "Uploading…",
) -> rx.Component:
    """A labelled progress bar for an upload.

    Args:
        percent: 0-100 (bind it to the page's var updated by `on_upload_progress`).
        label: Text beside the percentage.

    Returns:
        The progress row.
    """
    value = Var.create(percent)
    # Whole percents only: "42%", never "41.99999%".
    shown = Var(
        _js_expr=f"(Math.round(Number({value!s}) || 0) + '%')",
        _var_type=str,
        _var_data=value._get_all_var_data(),
    )
    return rx.flex(
        rx.flex(
            rx.text(label, size="2", color_scheme="gray"),
            rx.text(
                shown,
                size="2",
                weight="medium",
                style={"font_variant_numeric": "tabular-nums"},
            ),
            justify="between",
        ),
        rx.progress(value=value.to(int), max=100, size="2", aria_label="Upload progress"),
        direction="column",
        spacing="2",
        width="100%",
        data_testid="upload-progress",
    )
