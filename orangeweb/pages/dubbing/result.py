"""The dubbed result's downloads (file and subtitles). It plays in the transcript's player
(`transcript.result_player`): one transport for the dub and the original, beside the lines."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.media import download_button
from orangeweb.states.dubbing import DubbingState


def result() -> rx.Component:
    pid = DubbingState.open_id
    return rx.vstack(
        rx.heading("Result", size="3", as_="h3"),
        rx.flex(
            # Named after the source with the language, never the source's own name.
            download_button(
                "Dubbed file", DubbingState.output_url, DubbingState.output_name, "dub-download"
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
            spacing="2",
            wrap="wrap",
        ),
        width="100%",
        spacing="3",
    )
