"""kill -9 of a server in the middle of a burst of submissions, then a restart: every row is
settled within the stale window plus 10 s, and no job reaches the API twice.

The server is a real process (`submit_harness`: the real submit service and the real tracker)
on a Free key, so of 14 submissions at once 10 go out and 4 wait for the key's minute. The
proxy in front of the sandbox lets the 10 reach it (the jobs exist there) but withholds the
answers: at the kill, 10 rows may have reached OrangeClone and 4 provably have not.
"""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine
from sqlmodel import Session

from orangeweb.services.accounts.identity import CurrentUser
from orangeweb.services.tracker.policy import STALE_SUBMISSION_ENV
from orangeweb.services.tracker.queries import NEVER_SENT_WORDS, STOPPED_WORDS
from tests.support.sandbox_server import SandboxServer, UvicornThread

from .conftest import add_character, add_key, job_rows, wait_until
from .submit_harness import submission_text
from .withholding_proxy import WithholdingProxy

REPO = Path(__file__).resolve().parents[3]
HARNESS = "tests.integration.jobs.submit_harness"
STALE_SECONDS = 6.0
SUBMISSIONS = 14
FREE_MINUTE = 10  # requests a Free key may send in a minute: the rest wait


@pytest.fixture
def proxy(sandbox: SandboxServer) -> Iterator[tuple[WithholdingProxy, str]]:
    app = WithholdingProxy(sandbox.root_url)
    server = UvicornThread(app)
    server.start()
    yield app, f"{server.root_url}/api"
    server.stop()


class Harness:
    """Server processes started by the test; whatever is left is killed at the end."""

    def __init__(self, logs: Path, base_url: str) -> None:
        self.logs = logs
        self.env = {
            **os.environ,
            "ORANGEWEB_SANDBOX_URL": base_url,
            STALE_SUBMISSION_ENV: str(STALE_SECONDS),
        }
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, mode: str, options: dict[str, object]) -> subprocess.Popen[bytes]:
        log = (self.logs / f"{mode}-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", HARNESS, mode, json.dumps(options)],
            cwd=REPO,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.started.append(process)
        return process

    def stop_all(self) -> None:
        for process in self.started:
            process.kill()
            process.wait(timeout=30)

    def output(self) -> str:
        logs = sorted(self.logs.glob("*.log"))
        return "\n".join(path.read_text(errors="replace")[-3000:] for path in logs)


def remote_texts(sandbox: SandboxServer, key_secret: str) -> list[str]:
    """The text of every voice job the sandbox accepted from this key (its own records)."""
    key_id = sandbox.key_info(key_secret)["keyId"]
    with sqlite3.connect(sandbox.config.data_path / "sandbox.db") as db:
        rows = db.execute("SELECT text FROM voice_job WHERE key_id = ?", (key_id,)).fetchall()
    return [text for (text,) in rows]


async def test_a_burst_cut_short_by_kill_9_is_settled_after_restart_without_duplicates(
    session: Session,
    engine: Engine,
    owner: CurrentUser,
    sandbox: SandboxServer,
    proxy: tuple[WithholdingProxy, str],
    voice_sample: Path,
    tmp_path: Path,
) -> None:
    key = await add_key(session, owner, sandbox, "free", credits=1000)
    alex = await add_character(session, owner, key.id, voice_sample)
    sandbox.set_credits(key.secret, 1000)  # also restarts the sandbox's count of this minute
    sandbox.hold_jobs(True)  # accepted jobs wait on the server: no audio is made meanwhile
    withholding, base_url = proxy
    harness = Harness(tmp_path, base_url)
    options = {
        "actor": dataclasses.asdict(owner),
        "key_id": key.id,
        "character_id": alex,
        "count": SUBMISSIONS,
    }
    try:
        server = harness.start("submit", options)

        def cut_short_mid_burst() -> bool:
            rows = job_rows(engine)
            return (
                withholding.withheld == FREE_MINUTE
                and len(rows) == SUBMISSIONS
                and all(row.status == "submitting" for row in rows)
            )

        await wait_until(cut_short_mid_burst, 60, "10 posts out, 4 waiting for the key's minute")
        server.kill()  # kill -9
        server.wait(timeout=30)
        at_kill = {row.id: row.maybe_sent for row in job_rows(engine)}
        assert sorted(at_kill.values()) == [False] * 4 + [True] * 10

        restarted_at = time.monotonic()
        harness.start("serve", {})
        await wait_until(
            lambda: all(row.is_final for row in job_rows(engine)),
            STALE_SECONDS + 10,
            "every row settled after the restart",
        )
        settled_in = time.monotonic() - restarted_at
    except BaseException:
        print(harness.output())
        raise
    finally:
        harness.stop_all()

    rows = job_rows(engine)
    for row in rows:
        expected = ("unknown", STOPPED_WORDS) if at_kill[row.id] else ("failed", NEVER_SENT_WORDS)
        assert (row.status, row.error) == expected, row
        assert row.remote_id is None
    # Each request that left reached the sandbox exactly once; those that did not, never.
    sent_texts = sorted(str(row.request["text"]) for row in rows if at_kill[row.id])
    assert sorted(remote_texts(sandbox, key.secret)) == sent_texts
    assert {submission_text(n) for n in range(SUBMISSIONS)} == {
        str(row.request["text"]) for row in rows
    }
    print(f"\n{len(rows)} rows settled {settled_in:.1f} s after the restart; 0 duplicates")
