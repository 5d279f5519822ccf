"""The Reflex app: pages, HTTP routes, the mounted sandbox and lifespan tasks. Wiring only."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from functools import partial

import reflex as rx
from starlette.applications import Starlette
from starlette.routing import BaseRoute, Mount

from orangeweb.components.playhead import PLAYING_STYLE, playhead_script
from orangeweb.pages import auth as auth_pages
from orangeweb.pages import characters, home, team
from orangeweb.pages import dubbing as dubbing_page
from orangeweb.pages import jobs as jobs_page
from orangeweb.pages import scripts as scripts_page
from orangeweb.pages import settings as settings_page
from orangeweb.pages import stories as stories_page
from orangeweb.pages import voice as voice_page
from orangeweb.pages.layout import private_on_load
from orangeweb.routes import auth as auth_routes
from orangeweb.routes import dubbing as dubbing_routes
from orangeweb.routes import jobs as jobs_routes
from orangeweb.routes import media as media_routes
from orangeweb.routes.guard import PageGuard
from orangeweb.routes.upload_guard import UploadGuard
from orangeweb.sandbox import create_app as create_sandbox_app
from orangeweb.sandbox import sandbox_lifespan
from orangeweb.services.tracker.loop import tracker_lifespan
from orangeweb.settings import get_settings
from orangeweb.states.auth_pages import InviteState
from orangeweb.states.characters import CharactersState
from orangeweb.states.dubbing import DubbingState
from orangeweb.states.jobs import ActivityState, JobsState
from orangeweb.states.scripts import ScriptsState
from orangeweb.states.stories import StoriesState
from orangeweb.states.team import TeamState
from orangeweb.states.uploads import tab_session_reader, upload_rules
from orangeweb.states.voice import VoiceState

settings = get_settings()

http_routes: list[BaseRoute] = [
    *auth_routes.routes,
    *media_routes.routes,
    *jobs_routes.routes,
    *dubbing_routes.routes,
]
sandbox_app = create_sandbox_app() if settings.sandbox_enabled else None
if sandbox_app is not None:
    # Base URL of the built-in sandbox: <dashboard>/sandbox/api.
    http_routes.append(Mount("/sandbox", app=sandbox_app))

app = rx.App(
    head_components=[playhead_script()],
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


app.add_page(auth_pages.sign_up_page, route="/sign-up", title="Set up · orangeweb")
app.add_page(auth_pages.sign_in_page, route="/sign-in", title="Sign in · orangeweb")
app.add_page(
    auth_pages.invite_page,
    route="/invite/[token]",
    title="Join your team · orangeweb",
    on_load=InviteState.load_invite,
)
app.add_page(
    home.home_page, route="/", title="orangeweb", on_load=private_on_load(ActivityState.load)
)
app.add_page(
    voice_page.voice_page,
    route="/voice",
    title="Voice studio · orangeweb",
    on_load=private_on_load(VoiceState.load),
)
app.add_page(
    scripts_page.scripts_page,
    route="/scripts",
    title="Scripts · orangeweb",
    on_load=private_on_load(ScriptsState.load),
)
app.add_page(
    stories_page.stories_page,
    route="/stories",
    title="Stories · orangeweb",
    on_load=private_on_load(StoriesState.load),
)
app.add_page(
    jobs_page.jobs_page,
    route="/jobs",
    title="Jobs · orangeweb",
    on_load=private_on_load(JobsState.load),
)
app.add_page(
    characters.characters_page,
    route="/characters",
    title="Characters · orangeweb",
    on_load=private_on_load(CharactersState.load),
)
app.add_page(
    settings_page.settings_page,
    route="/settings",
    title="Settings · orangeweb",
    on_load=private_on_load(),
)
app.add_page(
    team.team_page, route="/team", title="Team · orangeweb", on_load=private_on_load(TeamState.load)
)
app.add_page(
    dubbing_page.dubbing_page,
    route="/dubbing",
    title="Dubbing · orangeweb",
    on_load=private_on_load(DubbingState.load),
)
