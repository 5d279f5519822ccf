"""Event round trip while one slow API call is in flight, as Reflex serves it (one worker).

The dashboard is served as the README runs it, with the built-in sandbox behind a delaying proxy
(only `POST /scripts_generate` is held, for `--slow-seconds`). N simulated tabs speak Reflex's
websocket protocol from this one process; each sends one event that reads the database (the
Jobs page's kind filter: a query, and a delta carrying the value it was given) and waits for its
update; every tab has the Jobs page open (its list loaded, listening for job notices). Printed:
round-trip p50/p95/max with every tab sending about once a second (steady, also while voice
jobs run and their notices reach every tab)
and with all sending at once (burst), first with nothing in flight, then while one tab's
"Generate script" waits on the slow API call.

Run from the repository root:
    .venv/bin/python -m bench.event_round_trip --sessions 100
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from orangeweb.sandbox import SandboxConfig, issue_key  # noqa: E402
from tests.support.dashboard_server import free_port, served_dashboard  # noqa: E402
from tests.support.media import make_speech  # noqa: E402
from tests.support.reflex_events import ReflexTab  # noqa: E402

OWNER = {"email": "bench@example.com", "password": "correct horse battery staple"}
STATES = "reflex___state____state.orangeweb___states___base____app_state.orangeweb___states___"
JOBS_KIND = STATES + "jobs____jobs_state.set_kind"
SCRIPTS = STATES + "scripts____scripts_state."
CHARACTERS = STATES + "characters____characters_state."
KEYS = STATES + "keys____keys_state."
JOBS_LOAD = STATES + "jobs____jobs_state.load"
LISTEN = STATES + "live____live_state.listen"
VOICE = STATES + "voice____voice_state."


class DelayingProxy(ThreadingHTTPServer):
    """Forwards every request to the sandbox; holds `slow_path` POSTs for `slow_s` first."""

    def __init__(self, target: str, slow_path: str, slow_s: float) -> None:
        self.target, self.slow_path, self.slow_s = target, slow_path, slow_s
        self.slow_call_arrived = threading.Event()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)


class _ProxyHandler(BaseHTTPRequestHandler):
    server: DelayingProxy

    def log_message(self, *args: object) -> None:  # quiet
        pass

    def _forward(self) -> None:
        length = int(self.headers.get("content-length") or 0)
        body = self.rfile.read(length) if length else b""
        if self.command == "POST" and self.path.startswith(self.server.slow_path):
            self.server.slow_call_arrived.set()
            time.sleep(self.server.slow_s)  # stands in for the vendor's processing time
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
        upstream = httpx.request(
            self.command, self.server.target + self.path, headers=headers, content=body, timeout=60
        )
        self.send_response(upstream.status_code)
        for name, value in upstream.headers.items():
            if name.lower() not in ("transfer-encoding", "content-encoding", "connection"):
                self.send_header(name, value)
        self.end_headers()
        self.wfile.write(upstream.content)

    do_GET = do_POST = do_PUT = do_DELETE = _forward


def _sign_up_and_in(url: str) -> str:
    form = {
        **OWNER,
        "password_confirm": OWNER["password"],
        "team_name": "Bench",
        "display_name": "B",
    }
    httpx.post(f"{url}/auth/sign-up", data=form, headers={"origin": url}).raise_for_status()
    signed_in = httpx.post(f"{url}/auth/sign-in", data=OWNER, headers={"origin": url})
    signed_in.raise_for_status()
    return f"orangeweb_session={signed_in.cookies['orangeweb_session']}"


def _prepare_team(url: str, data_dir: Path, cookie: str, work: Path) -> None:
    """A team key, selected, and one character imported from the sandbox."""
    secret = issue_key(SandboxConfig(data_dir=data_dir / "sandbox"), "enterprise", 10_000)
    added = httpx.post(
        f"{url}/auth/api-keys",
        data={
            "label": "bench",
            "secret": secret,
            "environment": "sandbox",
            "tier": "enterprise",
            "scope": "team",
        },
        headers={"cookie": cookie, "origin": url, "accept": "application/json"},
    )
    added.raise_for_status()
    sample = make_speech(
        work / "sample.wav",
        "This is the voice of the benchmark character, reading a few words for a long sample.",
    )
    with sample.open("rb") as voice:
        created = httpx.post(
            f"{url}/sandbox/api/characters/create",
            headers={"authorization": f"Bearer {secret}"},
            data={"name": "Bench voice", "avatarStyle": "adventurer"},
            files={"voiceFile": ("sample.wav", voice, "audio/wav")},
        )
    if created.status_code != 200:
        raise RuntimeError(f"character not created: {created.text}")
    tab = ReflexTab(url, cookie)
    tab.emit(KEYS + "select_key", {"key_id": "1"}, "/settings")
    tab.emit(CHARACTERS + "set_import_remote_id", {"value": created.json()["characterId"]})
    tab.emit(CHARACTERS + "import_character", {}, "/characters")
    tab.updates_until("Bench voice", timeout_s=60)
    tab.close()


def _round_trips(tabs: list[ReflexTab]) -> list[float]:
    """Each tab sends one database-reading event at once; seconds until its own update."""

    def one(tab: ReflexTab) -> float:
        marker = uuid.uuid4().hex
        started = time.perf_counter()
        tab.emit(JOBS_KIND, {"value": marker}, "/jobs")
        tab.updates_until(marker)
        return time.perf_counter() - started

    with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
        return list(pool.map(one, tabs))


def _steady(tabs: list[ReflexTab], seconds: float, period_s: float = 1.0) -> list[float]:
    """Each tab sends one such event about every `period_s` (offsets spread over the period),
    for `seconds`: the load of people changing a filter now and then, not a burst."""

    def one(index: int, tab: ReflexTab) -> list[float]:
        times: list[float] = []
        next_at = time.perf_counter() + period_s * index / len(tabs)
        end = time.perf_counter() + seconds
        while (now := time.perf_counter()) < end:
            time.sleep(max(0.0, next_at - now))  # pacing the load, not waiting for a result
            marker = uuid.uuid4().hex
            started = time.perf_counter()
            tab.emit(JOBS_KIND, {"value": marker}, "/jobs")
            tab.updates_until(marker)
            times.append(time.perf_counter() - started)
            next_at += period_s
        return times

    with ThreadPoolExecutor(max_workers=len(tabs)) as pool:
        runs = list(pool.map(one, range(len(tabs)), tabs))
    return [t for run in runs for t in run]


def _open_jobs_pages(tabs: list[ReflexTab]) -> None:
    """Each tab does what opening /jobs does: load the list, then listen for job notices."""
    for tab in tabs:
        tab.emit(JOBS_LOAD, {}, "/jobs")
        tab.emit(LISTEN, {}, "/jobs")
    for tab in tabs:
        tab.updates_until('"loaded_rx_state_": true')


def _submit_voice_jobs(tab: ReflexTab, count: int) -> None:
    """`count` voice clones from the Voice studio, one after another (each is in flight for
    a few seconds: the tracker's notices reach every open /jobs page)."""
    tab.emit(VOICE + "set_mode", {"value": "single"}, "/voice")
    tab.emit(VOICE + "set_single_character", {"character_id": "1"}, "/voice")
    for number in range(count):
        text = f"Benchmark line number {number}, spoken while the pages are busy."
        tab.emit(VOICE + "set_single_text", {"value": text}, "/voice")
        tab.emit(VOICE + "submit", {"submission_key": uuid.uuid4().hex}, "/voice")
        tab.updates_until('"submitting_rx_state_": false', timeout_s=60)


def _summary(label: str, seconds: list[float]) -> str:
    ms = sorted(s * 1000 for s in seconds)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    return (
        f"{label:<40} p50 {statistics.median(ms):7.1f} ms  p95 {p95:7.1f} ms  max {ms[-1]:7.1f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=100)
    parser.add_argument("--slow-seconds", type=float, default=20.0)
    parser.add_argument("--steady-seconds", type=float, default=8.0)
    parser.add_argument("--jobs", type=int, default=4)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-events-") as tmp:
        work = Path(tmp)
        port = free_port()
        proxy = DelayingProxy(
            f"http://127.0.0.1:{port}/sandbox/api", "/scripts_generate", args.slow_seconds
        )
        threading.Thread(target=proxy.serve_forever, daemon=True).start()
        sandbox_url = f"http://127.0.0.1:{proxy.server_address[1]}"
        data_dir = work / "data"
        data_dir.mkdir()
        with served_dashboard(data_dir, port=port, ORANGEWEB_SANDBOX_URL=sandbox_url) as dash:
            cookie = _sign_up_and_in(dash.url)
            _prepare_team(dash.url, data_dir, cookie, work)
            tabs = [ReflexTab(dash.url, cookie) for _ in range(args.sessions)]
            _open_jobs_pages(tabs)
            _round_trips(tabs)  # warm-up: every tab's state exists before measuring
            idle = _round_trips(tabs)
            steady_idle = _steady(tabs, args.steady_seconds)
            voice = ReflexTab(dash.url, cookie)
            submitting = threading.Thread(target=_submit_voice_jobs, args=(voice, args.jobs))
            submitting.start()
            steady_jobs = _steady(tabs, args.steady_seconds)
            submitting.join()
            slow = ReflexTab(dash.url, cookie)
            slow.emit(SCRIPTS + "set_mode", {"value": "single"}, "/scripts")
            slow.emit(SCRIPTS + "set_context", {"value": "Two friends plan a trip."}, "/scripts")
            slow.emit(SCRIPTS + "toggle_character", {"character_id": "1"}, "/scripts")
            slow.emit(SCRIPTS + "generate", {}, "/scripts")
            if not proxy.slow_call_arrived.wait(30):
                raise RuntimeError("the slow API call never started")
            # Within the slow call's time: the steady load, then a burst.
            steady_in_flight = _steady(tabs, args.steady_seconds)
            in_flight = _round_trips(tabs)
            slow.updates_until("Script generated", timeout_s=60)
            for tab in [*tabs, slow, voice]:
                tab.close()
        proxy.shutdown()
    print(f"{args.sessions} sessions, events that read the database, one worker")
    print(_summary("steady 1/s each, nothing in flight", steady_idle))
    print(_summary(f"steady 1/s each, {args.jobs} voice jobs running", steady_jobs))
    print(_summary("steady 1/s each, slow call in flight", steady_in_flight))
    print(_summary("burst (all at once), nothing in flight", idle))
    print(_summary(f"burst, one {args.slow_seconds:g} s API call in flight", in_flight))
    ratio = statistics.median(in_flight) / statistics.median(idle)
    print(f"p50 in flight / idle: {ratio:.2f}x")


if __name__ == "__main__":
    main()
