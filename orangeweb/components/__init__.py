"""Reusable UI for the dashboard's pages. Components hold no application state: every value
and event handler is passed in by the page."""

from orangeweb.components.avatar import (
    AVATAR_STYLE_LABELS,
    AVATAR_STYLES,
    avatar,
    avatar_style_picker,
    character_chip,
)
from orangeweb.components.blocks import empty_state, error_callout, field_label
from orangeweb.components.job_status import credits_text, job_output, status_badge
from orangeweb.components.media import download_button, media_player
from orangeweb.components.recorder import voice_recorder
from orangeweb.components.shell import NavItem, shell
from orangeweb.components.theme import app_theme
from orangeweb.components.uploader import (
    file_dropzone,
    selected_file_name,
    selected_file_size,
    upload_progress,
)
from orangeweb.components.waveform import waveform_player

__all__ = [
    "AVATAR_STYLES",
    "AVATAR_STYLE_LABELS",
    "NavItem",
    "app_theme",
    "avatar",
    "avatar_style_picker",
    "character_chip",
    "credits_text",
    "download_button",
    "empty_state",
    "error_callout",
    "field_label",
    "file_dropzone",
    "job_output",
    "media_player",
    "selected_file_name",
    "selected_file_size",
    "shell",
    "status_badge",
    "upload_progress",
    "voice_recorder",
    "waveform_player",
]
