"""Bad input never becomes a server error: every HTTP route and every event handler of ours,
driven with generated values (non-numbers, NaN, None, ids past 2^63, wrong types), on a served
dashboard of its own. Each answer is specific (never a 5xx, never the generic "Something went
wrong"), and the server log holds no traceback at the end."""

from __future__ import annotations

import importlib
import inspect
import pkgutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from reflex.utils.format import format_event_handler
from starlette.routing import Route

import orangeweb.states as states_package
from orangeweb.routes import auth as auth_routes
from orangeweb.routes import dubbing as dubbing_routes
from orangeweb.routes import jobs as jobs_routes
from orangeweb.routes import media as media_routes
from orangeweb.states.base import AppState
from tests.e2e.flows import OWNER_EMAIL, OWNER_PASSWORD, ensure_owner
from tests.support.dashboard_server import Dashboard, served_dashboard
from tests.support.reflex_events import ReflexTab

pytestmark = pytest.mark.e2e

GENERIC_ERROR = "Something went wrong"
SENTINEL_HANDLER = "set_import_remote_id"  # CharactersState: sets one var to what it is given

BAD_NUMBERS = ["9223372036854775808", "18446744073709551616", "-1", "0", "NaN", "nan", "1e309"]
BAD_TEXTS = ["", "None", "null", "../../etc/passwd", "%00", "\uff11\uff12", "\u202e", "x" * 300]
bad_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**80), max_value=2**80),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from(BAD_NUMBERS + BAD_TEXTS),
    st.text(max_size=12),
    st.lists(st.integers(), max_size=3),
    st.dictionaries(st.text(max_size=4), st.integers(), max_size=2),
)
path_values = st.one_of(
    st.sampled_from([*BAD_NUMBERS, "abc", "1.5", "1_000", " 1", "%20", "00000000000000000001"]),
    st.integers(min_value=-(2**80), max_value=2**80).map(str),
    st.text(alphabet=st.characters(exclude_characters="/?#"), min_size=1, max_size=12),
)


def _our_handlers() -> list[tuple[str, str, list[str]]]:
    """(full name, route to send it from, parameter names) of every handler that takes values,
    but the file uploads (guarded and capped by `UploadGuard`, tested on their own)."""
    for module in pkgutil.iter_modules(states_package.__path__):
        importlib.import_module(f"{states_package.__name__}.{module.name}")
    found: list[tuple[str, str, list[str]]] = []
    pending, seen = list(AppState.__subclasses__()), set()
    while pending:
        cls = pending.pop()
        if cls in seen:
            continue
        seen.add(cls)
        pending.extend(cls.__subclasses__())
        if cls._mixin or not cls.__module__.startswith(states_package.__name__):
            continue  # a test's own state class (the unit tests run in this process too)
        for handler in cls.event_handlers.values():
            if not handler.fn.__module__.startswith(states_package.__name__):
                continue
            params = list(inspect.signature(handler.fn).parameters)[1:]
            if params and not {"files", "chunks"} & set(params):
                found.append((format_event_handler(handler), "/", params))
    return sorted(found)


HANDLERS = _our_handlers()
ROUTES = [
    route
    for module in (auth_routes, media_routes, jobs_routes, dubbing_routes)
    for route in module.routes
    if isinstance(route, Route)
]


@dataclass
class SignedIn:
    dashboard: Dashboard
    cookie: str
    client: httpx.Client


@pytest.fixture(scope="module")
def signed_in(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SignedIn]:
    """A dashboard of its own (the fuzzing changes its data), with its owner signed in."""
    with served_dashboard(tmp_path_factory.mktemp("fuzz-dashboard-data")) as dashboard:
        ensure_owner(dashboard.url)
        response = httpx.post(
            f"{dashboard.url}/auth/sign-in",
            data={"email": OWNER_EMAIL, "password": OWNER_PASSWORD},
            headers={"origin": dashboard.url},
        )
        assert response.status_code == 200, response.text
        cookie = f"orangeweb_session={response.cookies['orangeweb_session']}"
        with httpx.Client(
            base_url=dashboard.url, headers={"cookie": cookie, "origin": dashboard.url}
        ) as client:
            yield SignedIn(dashboard, cookie, client)
        log = dashboard.log_path.read_text(errors="replace")
        assert "Traceback" not in log, log[-6000:]


class EventTab(ReflexTab):
    """A tab that waits for each event's updates: the sentinel it sends after an event sets one
    var to a fresh marker, and events of a tab are processed in order."""

    def __init__(self, url: str, cookie: str) -> None:
        super().__init__(url, cookie)
        self.sentinel_name = next(
            name for name, _, _ in HANDLERS if name.endswith(SENTINEL_HANDLER)
        )

    def send(self, name: str, payload: dict[str, Any], path: str = "/") -> list[str]:
        self.emit(name, payload, path)
        marker = uuid.uuid4().hex
        self.emit(self.sentinel_name, {"value": marker}, path)
        return self.updates_until(marker)


@pytest.fixture(scope="module")
def tab(signed_in: SignedIn) -> Iterator[EventTab]:
    events = EventTab(signed_in.dashboard.url, signed_in.cookie)
    yield events
    events.close()


def _short(name: str) -> str:
    """`...____jobs_state.go_to_page` -> `jobs_state.go_to_page`."""
    state, handler = name.rsplit(".", 1)
    return f"{state.rsplit('____', 1)[-1]}.{handler}"


@pytest.mark.parametrize(("name", "path", "params"), HANDLERS, ids=[_short(h[0]) for h in HANDLERS])
def test_event_handlers_answer_bad_values_specifically(
    tab: EventTab, signed_in: SignedIn, name: str, path: str, params: list[str]
) -> None:
    @settings(
        max_examples=12,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking against a live server
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(st.fixed_dictionaries({param: bad_values for param in params}))
    def run(payload: dict[str, Any]) -> None:
        log_before = signed_in.dashboard.log_path.stat().st_size
        updates = tab.send(name, payload, path)
        assert not any(GENERIC_ERROR in update for update in updates), (payload, updates)
        with signed_in.dashboard.log_path.open("rb") as log:
            log.seek(log_before)
            assert b"Traceback" not in log.read(), payload

    run()


# Sessions change through these: they are fuzzed signed out, so the module's session stays.
SIGNED_OUT_ROUTES = ("/auth/sign-in", "/auth/sign-up", "/auth/accept-invite", "/auth/sign-out")
FORM_FIELDS = ["email", "password", "label", "secret", "tier", "scope", "environment", "next"]
form_fields = st.dictionaries(
    st.sampled_from([*FORM_FIELDS, "token", "track"]),
    st.one_of(path_values, st.sampled_from(BAD_TEXTS)),
    max_size=4,
)


@pytest.mark.parametrize("route", ROUTES, ids=[r.path for r in ROUTES])
def test_http_routes_answer_bad_values_without_server_errors(
    signed_in: SignedIn, route: Route
) -> None:
    anonymous = httpx.Client(
        base_url=signed_in.dashboard.url, headers={"origin": signed_in.dashboard.url}
    )
    client = anonymous if route.path in SIGNED_OUT_ROUTES else signed_in.client

    @settings(
        max_examples=15,
        deadline=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],  # no shrinking against a live server
        suppress_health_check=[HealthCheck.function_scoped_fixture],
    )
    @given(
        st.fixed_dictionaries({name: path_values for name in route.param_convertors}), form_fields
    )
    def run(params: dict[str, str], fields: dict[str, str]) -> None:
        path = route.path
        for name, value in params.items():
            path = path.replace(f"{{{name}}}", quote(value, safe=""))
        for method in sorted((route.methods or {"GET"}) - {"HEAD"}):
            if method == "POST":
                response = client.post(path, data=fields)
            else:
                response = client.request(method, path, params=fields)
            assert response.status_code < 500, (method, path, fields, response.text[:500])

    with anonymous:
        run()
