"""The Reflex app: pages, HTTP routes, the mounted sandbox and lifespan tasks. Wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from orangeweb.components.media_pair import follow_script
from orangeweb.components.playhead import PLAYING_STYLE, playhead_script
from orangeweb.components.timeline_script import timeline_script
from orangeweb.pages import declared_pages
from orangeweb.routes import auth as auth_routes
from orangeweb.routes import dubbing as dubbing_routes
from orangeweb.routes import jobs as jobs_routes
from orangeweb.routes import media as media_routes
from orangeweb.routes.guard import PageGuard
from orangeweb.routes.upload_guard import UploadGuard
from orangeweb.sandbox import SandboxConfig, sandbox_lifespan
from orangeweb.sandbox import create_app as create_sandbox_app
from orangeweb.services.keys.sandbox import sandbox_admin_token
from orangeweb.services.tracker.loop import tracker_lifespan
from orangeweb.settings import get_settings
from orangeweb.states.uploads import tab_session_reader, upload_rules

settings = get_settings()

http_routes: list[BaseRoute] = [
    *auth_routes.routes,
    *media_routes.routes,
    *jobs_routes.routes,
    *dubbing_routes.routes,
]
# The dashboard issues sandbox keys through the admin API: the sandbox it mounts takes its token.
sandbox_app = (
    create_sandbox_app(SandboxConfig(admin_token=sandbox_admin_token(settings)))
    if settings.sandbox_enabled
    else None
)
if sandbox_app is not None:
    # Base URL of the built-in sandbox: <dashboard>/sandbox/api.
    http_routes.append(Mount("/sandbox", app=sandbox_app))

app = rx.App(
    # assets/ is served at the root: the icon of every tab (Reflex adds no <link rel=icon>).
    head_components=[
        rx.el.link(rel="icon", href="/favicon.ico", type="image/x-icon"),
        playhead_script(),
        timeline_script(),
        follow_script(),
    ],
    style=PLAYING_STYLE,
)
# Page loads need a session (PageGuard); `/_upload` needs one before its body is read.
app.api_transformer = [
    Starlette(routes=http_routes),
    PageGuard,
    partial(UploadGuard, rules=upload_rules(), tab_session=tab_session_reader(app)),
]


if sandbox_app is not None:
    _mounted_sandbox = sandbox_app

    @asynccontextmanager
    async def run_sandbox() -> AsyncIterator[None]:
        """A mounted app's own lifespan does not run, so the sandbox's worker starts here."""
        async with sandbox_lifespan(_mounted_sandbox):
            yield

    app.register_lifespan_task(run_sandbox)

# One job tracker per deployment (a lease row elects it); it feeds every tab's live updates.
app.register_lifespan_task(tracker_lifespan)


# Every page declares itself (pages/registry.py); importing orangeweb.pages imported them all.
for declared in declared_pages():
    app.add_page(
        declared.render, route=declared.route, title=declared.title, on_load=declared.on_load
    )
