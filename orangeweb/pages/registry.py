"""Every page of the dashboard, declared once, on the function that draws it.

    @private_page(
        "/voice",
        "Voice studio",
        on_load=VoiceState.load,
        nav=NavEntry("mic", order=30),
        live=VoiceState,
    )
    def voice_page() -> rx.Component:
        return rx.fragment(...)  # only the content: the declaration puts it in the shell

That one declaration is the only place the route is written. From it come the page (route,
browser title "Voice studio · orangeweb", and an on_load that resolves the user, loads the keys,
runs the page's own handler, then starts the live listener), its navigation entry (label = the
title, shown in the sidebar and the phone drawer, highlighted on this route), and the state that
live job notices refresh on this route (`states.live.register_live_view`).

`orangeweb.pages` imports every page module, so all declarations have run before orangeweb.py
adds `declared_pages()` in one loop. The navigation is read from the declarations when a page is
rendered (at compile time, once every page module is imported), not when one is declared.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import reflex as rx
from reflex.event import EventType

from orangeweb.components.shell import NavItem
from orangeweb.pages.layout import frame
from orangeweb.states.base import AppState
from orangeweb.states.keys import KeysState
from orangeweb.states.live import LiveState, LiveView, register_live_view

APP_NAME = "orangeweb"

PageFunction = Callable[[], rx.Component]
T = TypeVar("T")


@dataclass(frozen=True)
class NavEntry:
    """Where a page appears in the navigation; its label is the page's title."""

    icon: str  # a lucide icon name, as rx.icon takes it
    order: int  # smallest first


@dataclass(frozen=True)
class DeclaredPage:
    """What `app.add_page` needs for one page."""

    route: str
    title: str  # the browser tab's
    render: PageFunction
    on_load: EventType[()] | None


_PAGES: dict[str, DeclaredPage] = {}
_NAV: dict[str, tuple[int, NavItem]] = {}  # by route, so a re-imported module replaces its own


def private_on_load(*handlers: EventType[()]) -> list[EventType[()]]:
    """Every private page first resolves the user, then loads the keys and its own data, then
    listens for the team's job notices (live rows, and a toast when your job finishes)."""
    return [AppState.load_user, KeysState.load_keys, *handlers, LiveState.listen]


def _origin(render: PageFunction) -> str:
    return f"{render.__module__}.{render.__qualname__}"


def _declare(page: DeclaredPage) -> None:
    # The same function declared again is a re-imported module; another one is a mistake.
    known = _PAGES.get(page.route)
    if known is not None and _origin(known.render) != _origin(page.render):
        msg = f"{page.route} is declared twice: {_origin(known.render)}, {_origin(page.render)}"
        raise ValueError(msg)
    _PAGES[page.route] = page


def _as_tuple(value: T | tuple[T, ...] | None) -> tuple[T, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def private_page(
    route: str,
    title: str,
    *,
    on_load: EventType[()] | tuple[EventType[()], ...] | None = None,
    nav: NavEntry | None = None,
    live: type[LiveView] | tuple[type[LiveView], ...] | None = None,
    tab_title: str | None = None,
) -> Callable[[PageFunction], PageFunction]:
    """Declare a signed-in page: its content goes in the shell under the heading `title`.

    Args:
        route: The page's path.
        title: The header's <h1> and the navigation label; the tab shows "title · orangeweb".
        on_load: The page's own loader(s), run after the user and the keys are loaded.
        nav: Its place in the navigation; None keeps it out.
        live: The state(s) that live job notices refresh while this route is open.
        tab_title: The browser tab's title, when it is not "title · orangeweb".
    """

    def declare(content: PageFunction) -> PageFunction:
        handlers = _as_tuple(on_load)

        @functools.wraps(content)
        def framed() -> rx.Component:
            return frame(content(), title=title, active=route, nav=navigation(), reload=handlers)

        _declare(
            DeclaredPage(
                route, tab_title or f"{title} · {APP_NAME}", framed, private_on_load(*handlers)
            )
        )
        if nav is not None:
            _NAV[route] = (nav.order, NavItem(title, route, nav.icon))
        for view in _as_tuple(live):
            register_live_view(route, view)
        return framed

    return declare


def public_page(
    route: str, title: str, *, on_load: EventType[()] | None = None
) -> Callable[[PageFunction], PageFunction]:
    """Declare a page for signed-out visitors: no shell, no navigation, no live updates, and
    `on_load` as given (routes/guard.py's PUBLIC_PAGES lets its path through unsigned)."""

    def declare(content: PageFunction) -> PageFunction:
        _declare(DeclaredPage(route, f"{title} · {APP_NAME}", content, on_load))
        return content

    return declare


def declared_pages() -> list[DeclaredPage]:
    """Every declared page, in the order the modules were imported."""
    return list(_PAGES.values())


def navigation() -> list[NavItem]:
    """The navigation entries, in their declared order."""
    return [item for _, item in sorted(_NAV.values(), key=lambda entry: entry[0])]
