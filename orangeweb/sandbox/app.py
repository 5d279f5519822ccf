"""The sandbox's FastAPI app: API under `/api`, signed files under `/files` and `/uploads`,
the admin API under `/admin`.

Standalone, the app's own lifespan runs the job worker. Mounted inside another Starlette app
(the dashboard mounts it at `/sandbox`), a sub-app's lifespan does not run: the host must enter
`sandbox_lifespan(sandbox_app)` in its own lifespan.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import APIRouter, Depends, FastAPI

from orangeweb.sandbox.config import SandboxConfig
from orangeweb.sandbox.deps import apply_faults
from orangeweb.sandbox.errors import install_error_handlers
from orangeweb.sandbox.jobs.worker import JobWorker
from orangeweb.sandbox.openapi import install_openapi
from orangeweb.sandbox.routes import (
    admin,
    batch,
    characters,
    dubbing,
    dubbing_transcribe,
    files,
    scripts,
    voices,
)
from orangeweb.sandbox.runtime import SandboxRuntime


@asynccontextmanager
async def sandbox_lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Run the sandbox's job worker for as long as the block lasts.

    On entry it resumes every job a previous run left queued or running.
    """
    runtime: SandboxRuntime = app.state.sandbox
    worker = JobWorker(runtime)
    await worker.start()
    try:
        yield
    finally:
        await worker.stop()
        # Close pooled SQLite connections; a later request simply opens new ones.
        runtime.store.close()


def create_app(config: SandboxConfig | None = None) -> FastAPI:
    """A sandbox app on `config` (default: from the environment) and its data dir."""
    runtime = SandboxRuntime(config or SandboxConfig())
    app = FastAPI(
        title="OrangeClone sandbox",
        description="An OrangeClone-compatible stand-in with real audio and video processing.",
        lifespan=sandbox_lifespan,
        # The API's own docs pages would be noise beside the vendor's; keep the schema only.
        docs_url=None,
        redoc_url=None,
    )
    app.state.sandbox = runtime
    install_error_handlers(app)
    install_openapi(app)

    api = APIRouter(prefix="/api", dependencies=[Depends(apply_faults)])
    for area in (characters, voices, batch, scripts, dubbing_transcribe, dubbing):
        api.include_router(area.router)
    app.include_router(api)
    app.include_router(files.router)
    app.include_router(admin.router)
    return app
