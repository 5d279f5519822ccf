"""The dubbed result beside the original, and its downloads (file and subtitles)."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.media import download_button, media_player
from orangeweb.pages.dubbing.transcript import source_player
from orangeweb.states.dubbing import DubbingState


def result() -> rx.Component:
    pid = DubbingState.open_id
    return rx.vstack(
        rx.heading("Result", size="3", as_="h3"),
        rx.grid(
            source_player("dub-original-player"),
            rx.cond(
                DubbingState.project.media_type == "video",
                media_player(DubbingState.output_url, "video", id="dub-output-player"),
                media_player(DubbingState.output_url, "audio", id="dub-output-player"),
            ),
            columns=rx.breakpoints(initial="1", sm="2"),
            gap="3",
            width="100%",
        ),
        rx.flex(
            download_button(
                "Dubbed file", DubbingState.output_url, DubbingState.project.name, "dub-download"
            ),
            download_button(
                "SRT (translation)",
                "/media/dubbing/" + pid + "/subtitles.srt?track=translation",
                "subtitles.srt",
                "dub-srt",
            ),
            download_button(
                "WebVTT (translation)",
                "/media/dubbing/" + pid + "/subtitles.vtt?track=translation",
                "subtitles.vtt",
                "dub-vtt",
            ),
            download_button(
                "SRT (original)",
                "/media/dubbing/" + pid + "/subtitles.srt?track=original",
                "original.srt",
                "dub-srt-original",
            ),
            download_button(
                "WebVTT (original)",
                "/media/dubbing/" + pid + "/subtitles.vtt?track=original",
                "original.vtt",
                "dub-vtt-original",
            ),
            gap="2",
            wrap="wrap",
        ),
        width="100%",
        spacing="3",
    )
