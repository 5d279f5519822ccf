"""Home: where to start, and the team's jobs at a glance (live)."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.job_status import status_badge
from orangeweb.pages.registry import NavEntry, private_page
from orangeweb.states.base import AppState
from orangeweb.states.jobs import ActivityState
from orangeweb.states.onboarding import OnboardingState


def _step(number: str, title: str, text: str, href: str, done: rx.Var[bool]) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.cond(
                done,
                rx.icon(
                    "circle-check",
                    color=rx.color("grass", 9),
                    aria_label="Done",
                    data_testid="step-done",
                ),
                rx.badge(number, radius="full", size="2"),
            ),
            rx.vstack(
                rx.link(rx.heading(title, size="3", as_="h3"), href=href),
                rx.text(text, size="2", color_scheme="gray"),
                spacing="1",
            ),
            align="start",
            spacing="3",
        ),
        width="100%",
        data_testid="onboarding-step",
    )


def _activity_row(job: rx.Var) -> rx.Component:
    return rx.hstack(
        rx.badge(job.kind_label, variant="outline"),
        rx.text(job.title, size="2", weight="medium", flex="1", min_width="0", trim="both"),
        rx.text(rx.cond(job.mine, "you", job.created_by), size="1", color_scheme="gray"),
        status_badge(job.status, job.color),
        align="center",
        spacing="3",
        width="100%",
        data_testid="activity-row",
    )


def _team_activity() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading("Team activity", size="4", as_="h2"),
                rx.spacer(),
                rx.link("All jobs", href="/jobs", size="2"),
                width="100%",
                align="center",
            ),
            rx.cond(
                ActivityState.activity.length() > 0,
                rx.vstack(rx.foreach(ActivityState.activity, _activity_row), width="100%"),
                rx.text(
                    "Nothing running. Jobs started by anyone in the team show up here live.",
                    size="2",
                    color_scheme="gray",
                ),
            ),
            spacing="3",
            width="100%",
        ),
        width="100%",
        data_testid="team-activity",
    )


@private_page(
    "/",
    "Home",
    on_load=(ActivityState.load, OnboardingState.load),
    nav=NavEntry("house", order=10),
    live=(ActivityState, OnboardingState),
    tab_title="orangeweb",
)
def home_page() -> rx.Component:
    return rx.fragment(
        rx.heading("Welcome, ", AppState.user_name, size="6", as_="h2"),
        rx.grid(
            _step(
                "1",
                "Add an API key",
                "Bring your OrangeClone key, or create a sandbox key to try everything locally.",
                "/settings",
                OnboardingState.has_key,
            ),
            _step(
                "2",
                "Create a character",
                "A voice profile from a 3-second sample, uploaded or recorded in the browser.",
                "/characters",
                OnboardingState.has_character,
            ),
            _step(
                "3",
                "Voice your characters",
                "One voice or a whole dialogue, AI scripts and stories, in the voice studio.",
                "/voice",
                OnboardingState.has_take,
            ),
            _step(
                "4",
                "Dub a video",
                "Transcribe, translate and re-voice a video in your characters' voices.",
                "/dubbing",
                OnboardingState.has_dub,
            ),
            columns=rx.breakpoints(initial="1", md="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        _team_activity(),
    )
