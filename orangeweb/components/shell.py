"""The app shell: sidebar, header and content area.

Every signed-in page renders inside `shell(...)` (pages/layout.py's `frame`, which the page
declarations in pages/registry.py call with the sections they declared)::

    shell(
        content,
        title="Voice studio",
        user_name=AppState.user_name,
        key_picker=key_picker(),  # the page's API-key picker, any component
        active="/voice",
        nav=[NavItem("Home", "/", "house"), ...],  # sidebar and drawer list the same items
    )

Layout: from 768 px wide (Reflex's `sm` breakpoint) a fixed left sidebar holds the sections;
below that the sidebar collapses into a drawer opened by the header's menu button, the key
picker wraps to its own row and the user's name and "Sign out" move into the drawer.

"Sign out" is a real HTML form POST to `/auth/sign-out` (no Reflex event, no JavaScript): the
route clears the HttpOnly session cookie and redirects, which a websocket event cannot do.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import reflex as rx
from reflex.vars import Var
from reflex_components_core.el.elements.base import BaseHTML

SIGN_OUT_URL = "/auth/sign-out"
SIDEBAR_WIDTH = "240px"
HEADER_HEIGHT = "60px"
# Reflex breakpoint where the sidebar stops being a drawer (sm = 48em = 768 px).
DESKTOP = "sm"


@dataclass(frozen=True)
class NavItem:
    """One navigation entry (the sidebar and the phone drawer show the same list)."""

    label: str
    href: str
    icon: str  # a lucide icon name, as rx.icon takes it


# Hidden from sight, kept for screen readers (the usual "sr-only" recipe).
_SR_ONLY: dict[str, str] = {
    "position": "absolute",
    "width": "1px",
    "height": "1px",
    "padding": "0",
    "margin": "-1px",
    "overflow": "hidden",
    "clip": "rect(0, 0, 0, 0)",
    "white_space": "nowrap",
    "border": "0",
}


class _NativeForm(BaseHTML):
    """A bare <form>. `rx.el.form` always prevents the default submit to run a Reflex event;
    sign-out needs the browser's own POST so the server can clear the cookie and redirect."""

    tag = "form"

    action: Var[str]
    method: Var[str]


def _is_active(item: NavItem, active: str) -> bool:
    # `active` may be the href ("/voice", "/voice/") or the label ("Voice studio").
    wanted = active.strip()
    if wanted.lower() == item.label.lower():
        return True
    normalized = "/" + wanted.strip("/")
    return normalized == item.href


def _brand() -> rx.Component:
    return rx.link(
        rx.flex(
            rx.icon("audio-lines", size=18, color="white"),
            align="center",
            justify="center",
            width="32px",
            height="32px",
            border_radius="var(--radius-3)",
            # The product's orange, fixed: the brand mark stays orange whatever the accent.
            background="linear-gradient(135deg, var(--orange-9), var(--amber-9))",
            box_shadow="0 1px 2px var(--black-a4)",
            flex_shrink="0",
        ),
        rx.text("orangeweb", size="4", weight="bold", trim="both"),
        href="/",
        underline="none",
        high_contrast=True,
        display="flex",
        align_items="center",
        gap="10px",
        aria_label="orangeweb home",
    )


def _nav_link(item: NavItem, active: bool) -> rx.Component:
    return rx.link(
        rx.icon(item.icon, size=18, flex_shrink="0"),
        rx.text(item.label, size="2", weight="medium" if active else "regular"),
        href=item.href,
        underline="none",
        display="flex",
        align_items="center",
        gap="12px",
        padding="8px 12px",
        border_radius="var(--radius-3)",
        color="var(--accent-11)" if active else "var(--gray-11)",
        background="var(--accent-a3)" if active else "transparent",
        box_shadow="inset 3px 0 0 var(--accent-9)" if active else "none",
        transition="background-color 120ms, color 120ms",
        _hover={
            "background": "var(--accent-a4)" if active else "var(--gray-a3)",
            "color": "var(--accent-11)" if active else "var(--gray-12)",
        },
        custom_attrs={"aria-current": "page"} if active else {},
        data_testid=f"nav-{item.href.strip('/') or 'home'}",
    )


def _nav(items: Sequence[NavItem], active: str) -> rx.Component:
    return rx.el.nav(
        rx.flex(
            *[_nav_link(item, _is_active(item, active)) for item in items],
            direction="column",
            gap="2px",
        ),
        aria_label="Main",
    )


def _initial(user_name: Var[str] | str) -> Var[str] | str:
    if isinstance(user_name, Var):
        return user_name.to(str)[:1].upper()
    return user_name[:1].upper()


def _user_block(user_name: Var[str] | str, *, compact: bool) -> rx.Component:
    """The signed-in user's name and the sign-out form."""
    return rx.flex(
        rx.flex(
            rx.avatar(fallback=_initial(user_name), size="2", radius="full", variant="soft"),
            rx.text(
                user_name,
                size="2",
                weight="medium",
                max_width="160px" if compact else "100%",
                overflow="hidden",
                text_overflow="ellipsis",
                white_space="nowrap",
                data_testid="user-name",
            ),
            align="center",
            spacing="2",
            min_width="0",
        ),
        _NativeForm.create(
            rx.button(
                rx.icon("log-out", size=16),
                "Sign out",
                type="submit",
                variant="ghost",
                color_scheme="gray",
                size="2",
                data_testid="sign-out",
            ),
            action=SIGN_OUT_URL,
            method="post",
            margin="0",
            display="flex",
        ),
        align="center",
        justify="between",
        spacing="4",
        min_width="0",
    )


def _theme_toggle() -> rx.Component:
    return rx.icon_button(
        rx.color_mode.icon(
            light_component=rx.icon("sun", size=18),
            dark_component=rx.icon("moon", size=18),
        ),
        on_click=rx.toggle_color_mode,
        variant="ghost",
        color_scheme="gray",
        aria_label="Switch between light and dark theme",
        title="Switch between light and dark theme",
        data_testid="theme-toggle",
    )


def _nav_column(*children: rx.Component, **props: object) -> rx.Component:
    """The column the sidebar and the drawer share: brand row, sections, then any extras."""
    return rx.flex(*children, direction="column", spacing="3", padding="0 12px 16px", **props)


def _sidebar(items: Sequence[NavItem], active: str) -> rx.Component:
    # The aside stretches to the page's full height (so its background does); the inner
    # column sticks to the viewport while the content scrolls.
    return rx.el.aside(
        _nav_column(
            rx.box(_brand(), padding="0 12px", height=HEADER_HEIGHT, display="flex"),
            _nav(items, active),
            position="sticky",
            top="0",
            max_height="100vh",
            overflow_y="auto",
        ),
        display=rx.breakpoints(initial="none", **{DESKTOP: "block"}),
        width=SIDEBAR_WIDTH,
        flex_shrink="0",
        border_right="1px solid var(--gray-a5)",
        background="var(--gray-2)",
        aria_label="Sidebar",
        data_testid="sidebar",
    )


def _drawer(items: Sequence[NavItem], active: str, user_name: Var[str] | str) -> rx.Component:
    """The phone-sized navigation: a left drawer behind the header's menu button."""
    return rx.drawer.root(
        rx.drawer.trigger(
            # No `size` on icon buttons: Reflex would then resize the icon to fill the button.
            rx.icon_button(
                rx.icon("menu", size=22),
                variant="ghost",
                color_scheme="gray",
                aria_label="Open menu",
                data_testid="menu-button",
            ),
        ),
        rx.drawer.portal(
            rx.drawer.overlay(),
            rx.drawer.content(
                _nav_column(
                    rx.flex(
                        rx.drawer.title(_brand(), margin="0"),
                        rx.drawer.close(
                            rx.icon_button(
                                rx.icon("x", size=18),
                                variant="ghost",
                                color_scheme="gray",
                                aria_label="Close menu",
                            ),
                        ),
                        align="center",
                        justify="between",
                        height=HEADER_HEIGHT,
                        padding="0 12px",
                    ),
                    rx.drawer.description("Main navigation", style=_SR_ONLY),
                    _nav(items, active),
                    rx.spacer(),
                    rx.box(
                        _user_block(user_name, compact=False),
                        border_top="1px solid var(--gray-a5)",
                        padding_top="12px",
                    ),
                    height="100%",
                    width="100%",
                ),
                right="auto",
                width="min(300px, 85vw)",
                height="100%",
                background="var(--color-panel-solid)",
                border_right="1px solid var(--gray-a5)",
                box_shadow="var(--shadow-5)",
                outline="none",
                data_testid="drawer",
            ),
        ),
        direction="left",
    )


def _header(
    title: str,
    user_name: Var[str] | str,
    key_picker: rx.Component | None,
    nav: Sequence[NavItem],
    active: str,
) -> rx.Component:
    mobile_only = rx.breakpoints(initial="flex", **{DESKTOP: "none"})
    desktop_only = rx.breakpoints(initial="none", **{DESKTOP: "flex"})
    return rx.el.header(
        rx.flex(
            rx.box(_drawer(nav, active, user_name), display=mobile_only, margin_left="-6px"),
            rx.heading(
                title,
                as_="h1",
                size=rx.breakpoints(initial="4", **{DESKTOP: "5"}),
                weight="bold",
                flex="1",
                min_width="0",
                overflow="hidden",
                text_overflow="ellipsis",
                white_space="nowrap",
            ),
            *(
                [
                    rx.box(
                        key_picker,
                        # Phones: its own full-width row under the title (order + basis).
                        order=rx.breakpoints(initial="10", **{DESKTOP: "0"}),
                        flex_basis=rx.breakpoints(initial="100%", **{DESKTOP: "auto"}),
                        min_width="0",
                        data_testid="key-picker-slot",
                    )
                ]
                if key_picker is not None
                else []
            ),
            _theme_toggle(),
            rx.separator(orientation="vertical", size="1", display=desktop_only),
            rx.box(_user_block(user_name, compact=True), display=desktop_only),
            align="center",
            wrap="wrap",
            column_gap="16px",
            row_gap="12px",
            min_height=HEADER_HEIGHT,
            padding_y="10px",
            padding_x=rx.breakpoints(initial="16px", **{DESKTOP: "24px", "md": "32px"}),
        ),
        position="sticky",
        top="0",
        z_index="10",
        border_bottom="1px solid var(--gray-a5)",
        # Slightly see-through so content scrolling under the header stays legible.
        background="color-mix(in srgb, var(--color-background) 88%, transparent)",
        backdrop_filter="blur(8px)",
    )


def shell(
    *content: rx.Component,
    title: str,
    user_name: Var[str] | str,
    key_picker: rx.Component | None = None,
    active: str,
    nav: Sequence[NavItem],
) -> rx.Component:
    """The dashboard frame around a page's content.

    Args:
        *content: The page body.
        title: The page title shown in the header (an <h1>).
        user_name: The signed-in user's display name.
        key_picker: Optional component for choosing the API key (a select, a menu...);
            shown in the header, or on its own row on phones.
        active: The current section, as its href ("/voice") or label ("Voice studio");
            that sidebar link is highlighted and marked aria-current="page".
        nav: The sections, in order; the sidebar and the phone drawer both list them.

    Returns:
        The full-page layout.
    """
    return rx.flex(
        rx.link(
            "Skip to content",
            href="#main-content",
            position="absolute",
            left="-9999px",
            z_index="100",
            _focus={
                "left": "12px",
                "top": "12px",
                "padding": "8px 12px",
                "background": "var(--color-panel-solid)",
                "border_radius": "var(--radius-3)",
                "box_shadow": "var(--shadow-4)",
            },
        ),
        _sidebar(nav, active),
        rx.flex(
            _header(title, user_name, key_picker, nav, active),
            rx.el.main(
                rx.flex(
                    *content,
                    direction="column",
                    spacing="5",
                    width="100%",
                    max_width="1200px",
                    margin_x="auto",
                ),
                id="main-content",
                tab_index=-1,
                flex="1",
                padding_x=rx.breakpoints(initial="16px", **{DESKTOP: "24px", "md": "32px"}),
                padding_y=rx.breakpoints(initial="20px", **{DESKTOP: "28px"}),
                outline="none",
            ),
            direction="column",
            flex="1",
            min_width="0",
        ),
        min_height="100vh",
        width="100%",
        background="var(--color-background)",
    )
