"""Sign-up (fresh install), sign-in and invite acceptance. Forms post over plain HTTP."""

from __future__ import annotations

import reflex as rx

from orangeweb.components.blocks import field_label
from orangeweb.components.post_form import post_form
from orangeweb.pages.registry import public_page
from orangeweb.states.auth_pages import InviteState, SignInState, SignUpState


def _field(label: str, name: str, type_: str = "text", **props: object) -> rx.Component:
    return rx.vstack(
        field_label(label, name),
        rx.input(id=name, name=name, type=type_, width="100%", size="3", **props),
        spacing="1",
        width="100%",
    )


def _card(title: str, subtitle: rx.Component | str, form: rx.Component) -> rx.Component:
    return rx.center(
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.icon("audio-lines", color=rx.color("orange", 9), size=28),
                    rx.text("orangeweb", size="6", weight="bold"),
                    align="center",
                ),
                rx.heading(title, size="5", as_="h1"),
                rx.text(subtitle, color_scheme="gray", size="2"),
                form,
                spacing="4",
                width="100%",
            ),
            size="4",
            width="min(420px, 92vw)",
        ),
        min_height="100vh",
        padding="1em",
    )


def _password_fields(autocomplete: str) -> list[rx.Component]:
    return [
        _field(
            "Password (10+ characters)",
            "password",
            "password",
            auto_complete=autocomplete,
            min_length=10,
            max_length=256,
            required=True,
        ),
        _field(
            "Repeat the password",
            "password_confirm",
            "password",
            auto_complete=autocomplete,
            required=True,
        ),
    ]


def _sign_up_form() -> rx.Component:
    return _card(
        "Set up your team",
        "This is a fresh install: create the first account. It owns a new team; invite the rest "
        "of the team from the Team page.",
        post_form(
            rx.vstack(
                _field("Team name", "team_name", required=True, max_length=80),
                _field("Your name", "display_name", auto_complete="name", required=True),
                _field("Email", "email", "email", auto_complete="email", required=True),
                *_password_fields("new-password"),
                rx.button("Create account", type="submit", size="3", width="100%"),
                spacing="3",
            ),
            action="/auth/sign-up",
        ),
    )


def _already_set_up() -> rx.Component:
    return _card(
        "Already set up",
        "This orangeweb is already set up — sign in, or ask your team for an invite.",
        rx.link(
            rx.button("Go to sign-in", size="3", width="100%"),
            href="/sign-in",
            data_testid="already-set-up",
        ),
    )


@public_page("/sign-up", "Set up", on_load=SignUpState.check_install)
def sign_up_page() -> rx.Component:
    # An install has one sign-up: once done, say so rather than ask for everything and refuse.
    return rx.cond(
        SignUpState.checked,
        rx.cond(SignUpState.already_set_up, _already_set_up(), _sign_up_form()),
    )


@public_page("/sign-in", "Sign in")
def sign_in_page() -> rx.Component:
    return _card(
        "Sign in",
        "Use the email and password of your orangeweb account.",
        post_form(
            rx.vstack(
                _field("Email", "email", "email", auto_complete="email", required=True),
                _field(
                    "Password",
                    "password",
                    "password",
                    auto_complete="current-password",
                    required=True,
                ),
                rx.el.input(type="hidden", name="next", value=SignInState.next_path),
                rx.button("Sign in", type="submit", size="3", width="100%"),
                spacing="3",
            ),
            action="/auth/sign-in",
        ),
    )


@public_page("/invite/[token]", "Join your team", on_load=InviteState.load_invite)
def invite_page() -> rx.Component:
    return _card(
        "Join your team",
        rx.cond(
            InviteState.invite_error != "",
            InviteState.invite_error,
            rx.text.span(
                "You were invited to ",
                rx.text.strong(InviteState.team_name),
                " as ",
                InviteState.invite_role,
                ". Create your account, or enter the password of an account you already have.",
            ),
        ),
        rx.cond(
            InviteState.invite_error == "",
            post_form(
                rx.vstack(
                    rx.el.input(type="hidden", name="token", value=InviteState.token),
                    _field("Your name", "display_name", auto_complete="name", required=True),
                    _field("Email", "email", "email", auto_complete="email", required=True),
                    *_password_fields("new-password"),
                    rx.button("Join the team", type="submit", size="3", width="100%"),
                    spacing="3",
                ),
                action="/auth/accept-invite",
            ),
            rx.link("Go to sign-in", href="/sign-in"),
        ),
    )
