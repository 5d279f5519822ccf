"""Stories: ordered scenes voiced as one batch, each scene's status and audio updating live."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.avatar import character_chip
from orangeweb.components.blocks import error_callout, field_label
from orangeweb.components.job_status import credits_text, status_badge
from orangeweb.components.media import download_button
from orangeweb.components.waveform import waveform_player
from orangeweb.pages.prerequisites import ready_or_empty
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.character_homes import CharacterHomesState
from orangeweb.states.stories import StoriesState


def _scene_editor(scene: rx.Var) -> rx.Component:
    label = "Scene " + scene.number.to_string()
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.text(label, size="2", weight="bold"),
                rx.spacer(),
                rx.icon_button(
                    rx.icon("arrow-up", size=14),
                    variant="ghost",
                    on_click=StoriesState.move_scene(scene.key, -1),
                    aria_label=label + ": move up",
                ),
                rx.icon_button(
                    rx.icon("arrow-down", size=14),
                    variant="ghost",
                    on_click=StoriesState.move_scene(scene.key, 1),
                    aria_label=label + ": move down",
                ),
                rx.icon_button(
                    rx.icon("trash-2", size=14),
                    variant="ghost",
                    color_scheme="red",
                    on_click=StoriesState.remove_scene(scene.key),
                    aria_label=label + ": remove",
                ),
                align="center",
                width="100%",
            ),
            rx.text_area(
                value=scene.text,
                on_change=lambda value: StoriesState.set_scene_text(scene.key, value),
                rows="2",
                width="100%",
                aria_label=label + ": text",
                placeholder="What is said in this scene.",
            ),
            rx.flex(
                rx.foreach(
                    StoriesState.chips,
                    lambda chip: character_chip(
                        chip,
                        scene.character_id == chip.id,
                        StoriesState.set_scene_character(scene.key, chip.id),
                        test_prefix="scene-character",
                    ),
                ),
                wrap="wrap",
                spacing="2",
            ),
            spacing="2",
            width="100%",
        ),
        data_testid="scene-editor",
        width="100%",
        variant="surface",
    )


def _builder() -> rx.Component:
    return rx.card(
        rx.vstack(
            field_label("Story title", "story-title"),
            rx.input(
                id="story-title",
                value=StoriesState.title,
                on_change=StoriesState.set_title,
                max_length=120,
                width="100%",
                placeholder="The lighthouse keeper",
            ),
            rx.vstack(rx.foreach(StoriesState.scenes, _scene_editor), spacing="2", width="100%"),
            rx.hstack(
                rx.button(
                    rx.icon("plus", size=14),
                    "Add a scene",
                    variant="soft",
                    on_click=StoriesState.add_scene,
                    data_testid="add-scene",
                ),
                rx.button("Start over", variant="ghost", on_click=StoriesState.clear_scenes),
                spacing="3",
            ),
            field_label("Callback URL (optional, https): told when the batch ends", "story-hook"),
            rx.input(
                id="story-hook",
                value=StoriesState.callback_url,
                on_change=StoriesState.set_callback_url,
                placeholder="https://example.com/hooks/orangeclone",
                width="100%",
            ),
            rx.hstack(
                rx.icon("coins", size=16),
                rx.text(StoriesState.estimate, size="2", data_testid="story-estimate"),
                align="center",
                color=rx.color("gray", 11),
            ),
            error_callout(StoriesState.form_error, "story-error"),
            rx.button(
                rx.icon("send", size=16),
                "Submit the story",
                on_click=StoriesState.submit(StoriesState.submission_key),
                loading=StoriesState.submitting,
                data_testid="submit-story",
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
    )


def _scene_result(scene: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(
                rx.text("Scene ", scene.number, size="2", weight="bold"),
                # "completed" with nothing to hear is not a success: amber, not green.
                rx.cond(
                    scene.warning != "",
                    rx.badge(
                        rx.icon("triangle-alert", size=12),
                        "no audio",
                        color_scheme="amber",
                        variant="soft",
                        radius="full",
                        data_testid="scene-warning-badge",
                    ),
                    status_badge(scene.status, scene.color),
                ),
                rx.text(scene.character_name, size="1", color_scheme="gray"),
                align="center",
            ),
            rx.text(scene.text, size="1", color_scheme="gray"),
            spacing="1",
            width="40%",
            min_width="200px",
        ),
        rx.box(
            rx.cond(
                scene.warning != "",
                rx.text(scene.warning, size="2", color_scheme="amber", data_testid="scene-warning"),
                rx.cond(
                    scene.output_url != "",
                    waveform_player(
                        scene.output_url,
                        height=40,
                        download_url=scene.output_url,
                        download_name="scene-" + scene.number.to_string() + ".mp3",
                    ),
                    rx.cond(
                        scene.error != "",
                        rx.text(scene.error, size="2", color_scheme="red"),
                    ),
                ),
            ),
            flex="1",
            min_width="240px",
        ),
        width="100%",
        align="center",
        wrap="wrap",
        data_testid="scene-result",
    )


def _story(story: rx.Var) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(story.title, size="3", as_="h3"),
                status_badge(story.status, story.color),
                rx.spacer(),
                rx.text(story.created_by, " · ", story.created, size="1", color_scheme="gray"),
                align="center",
                width="100%",
                wrap="wrap",
            ),
            credits_text(story),
            rx.cond(story.error != "", rx.text(story.error, size="2", color_scheme="red")),
            rx.vstack(rx.foreach(story.scenes, _scene_result), spacing="3", width="100%"),
            rx.hstack(
                rx.cond(
                    story.is_final & (story.completed_scenes > 0),
                    download_button(
                        "Download the whole story",
                        story.story_url,
                        story.download_name,
                        "download-story",
                    ),
                ),
                rx.cond(
                    story.is_final & (story.failed_scenes > 0),
                    rx.button(
                        rx.icon("refresh-cw", size=14),
                        "Resubmit the failed scenes",
                        variant="soft",
                        on_click=StoriesState.resubmit_failed(
                            story.id, StoriesState.submission_key
                        ),
                        disabled=StoriesState.submitting,
                        data_testid="resubmit-failed",
                    ),
                ),
                spacing="3",
            ),
            spacing="3",
            width="100%",
        ),
        data_testid="story-card",
        width="100%",
    )


@private_page(
    "/stories",
    "Stories",
    on_load=(StoriesState.load, CharacterHomesState.load),
    nav=NavEntry("book-open", order=40),
    live=StoriesState,
)
def stories_page() -> rx.Component:
    return ready_or_empty(
        StoriesState.loaded,
        StoriesState.has_characters,
        rx.fragment(
            _builder(),
            rx.heading("Recent stories", size="4", as_="h2"),
            rx.cond(
                StoriesState.stories.length() > 0,
                rx.vstack(rx.foreach(StoriesState.stories, _story), spacing="4"),
                rx.text("Submitted stories appear here and update by themselves."),
            ),
        ),
        reload=StoriesState.load,
    )
