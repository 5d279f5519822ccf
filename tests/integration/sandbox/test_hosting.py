"""How the sandbox is run: mounted inside another app (as the dashboard does, at /sandbox) and
standalone through its command line, including `issue-key` and `credits`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
from starlette.applications import Starlette
from starlette.routing import Mount

from orangeweb.sandbox import SandboxConfig, create_app, sandbox_lifespan
from tests.integration.sandbox.helpers import create_character, upload_media, wait_for_voice_job
from tests.support.sandbox_server import UvicornThread, poll_until

REPO = Path(__file__).resolve().parents[3]


def test_mounted_under_a_prefix(tmp_path: Path, voice_wav: Path, tone_video: Path) -> None:
    config = SandboxConfig(data_dir=tmp_path / "sandbox")
    sandbox_app = create_app(config)

    @asynccontextmanager
    async def host_lifespan(_app: Starlette) -> AsyncIterator[None]:
        # A mounted app's own lifespan does not run: the host enters the sandbox's.
        async with sandbox_lifespan(sandbox_app):
            yield

    host = Starlette(routes=[Mount("/sandbox", app=sandbox_app)], lifespan=host_lifespan)
    server = UvicornThread(host)
    server.start()
    try:
        root = f"{server.root_url}/sandbox"
        admin = {"Authorization": f"Bearer {config.resolved_admin_token()}"}
        key = httpx.post(f"{root}/admin/keys", json={"tier": "enterprise"}, headers=admin).json()[
            "key"
        ]
        with httpx.Client(
            base_url=f"{root}/api", headers={"Authorization": f"Bearer {key}"}, timeout=60
        ) as client:
            character_id = create_character(client, voice_wav)
            voice_url = client.get(f"/characters/{character_id}").json()["data"]["voiceUrl"]
            assert voice_url.startswith(f"{root}/files/")
            assert httpx.get(voice_url).content == voice_wav.read_bytes()

            job_id = client.post(
                "/voices_clone", json={"text": "Mounted.", "character_ids": [character_id]}
            ).json()["data"]["jobId"]
            result = wait_for_voice_job(client, job_id)  # the worker runs: lifespan entered
            assert result["status"] == "completed"
            assert result["audioUrl"].startswith(f"{root}/files/")
            assert httpx.get(result["audioUrl"]).status_code == 200

            media_path = upload_media(client, tone_video, "video/mp4")  # PUT via /sandbox/uploads
            assert media_path.startswith("uploads/")
            assert httpx.get(f"{server.root_url}/api/voices/{job_id}").status_code == 404
    finally:
        server.stop()


def _cli(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orangeweb.sandbox", "--data-dir", str(data_dir), *args],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_cli_issue_key_and_credits(tmp_path: Path) -> None:
    data_dir = tmp_path / "cli"
    issued = _cli("issue-key", "--tier", "pro", "--credits", "42", data_dir=data_dir)
    assert issued.returncode == 0, issued.stderr
    key = issued.stdout.strip()
    assert issued.stdout == f"{key}\n"  # the key only
    assert key.startswith("ocsb_")

    balance = _cli("credits", key, data_dir=data_dir)
    assert (balance.returncode, balance.stdout) == (0, "42\n")
    changed = _cli("credits", key, "--set", "7", data_dir=data_dir)
    assert (changed.returncode, changed.stdout) == (0, "7\n")
    unknown = _cli("credits", "ocsb_nope", data_dir=data_dir)
    assert unknown.returncode == 1 and "unknown" in unknown.stderr
    token = _cli("admin-token", data_dir=data_dir)
    assert token.returncode == 0 and len(token.stdout.strip()) >= 32
    assert (data_dir / "admin-token").read_text() == token.stdout.strip()
    assert (data_dir / "admin-token").stat().st_mode & 0o777 == 0o600


def test_cli_serves_standalone_without_logging_secrets(tmp_path: Path, voice_wav: Path) -> None:
    data_dir = tmp_path / "standalone"
    key = _cli("issue-key", "--tier", "enterprise", data_dir=data_dir).stdout.strip()
    port = _free_port()
    log_path = tmp_path / "server.log"
    with log_path.open("w") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "orangeweb.sandbox",
                "--data-dir",
                str(data_dir),
                "--port",
                str(port),
            ],
            cwd=REPO,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )
    try:
        base_url = f"http://127.0.0.1:{port}/api"
        headers = {"Authorization": f"Bearer {key}"}

        def answers() -> bool:
            try:
                return httpx.get(f"{base_url}/voices/job_x", headers=headers).status_code == 404
            except httpx.TransportError:
                assert process.poll() is None, log_path.read_text()
                return False

        poll_until(answers, timeout=60, interval=0.2, message="the standalone sandbox")
        with httpx.Client(base_url=base_url, headers=headers, timeout=60) as client:
            character_id = create_character(client, voice_wav)
            voice_url = client.get(f"/characters/{character_id}").json()["data"]["voiceUrl"]
        assert voice_url.startswith(f"http://127.0.0.1:{port}/files/")
        assert httpx.get(voice_url).status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        process.wait(timeout=30)
    assert (data_dir / "signing-secret").stat().st_mode & 0o777 == 0o600
    output = log_path.read_text()
    assert f"http://127.0.0.1:{port}/api" in output  # it says where it listens
    assert "/files/<redacted>/voice.wav" in output  # the access log shows the request...
    token = voice_url.rsplit("/", 2)[1]
    assert token not in output  # ...but never the signed token
    assert key not in output
