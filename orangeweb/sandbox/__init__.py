"""An OrangeClone-compatible sandbox server (FastAPI) with real audio and video processing.

It imports nothing from the dashboard: an independent implementation of the contract is what
lets tests catch a client bug.

    from orangeweb.sandbox import SandboxConfig, create_app, sandbox_lifespan, issue_key

Run it alone with `python -m orangeweb.sandbox --port 8765` (base URL
`http://127.0.0.1:8765/api`), or mount `create_app()` in another app and enter
`sandbox_lifespan(app)` in that app's lifespan.

Its dubbing "translation" is a pseudo-translation: the source text with `[pseudo-xx]` (xx the
target language) in front of each line of `translatedText`, so clients can tell; the marker is
never spoken in the dub (engine/translate.py).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from orangeweb.sandbox.config import SandboxConfig, Tier
from orangeweb.sandbox.keys import get_credits, issue_key, set_credits

if TYPE_CHECKING:
    from orangeweb.sandbox.app import create_app, sandbox_lifespan

__all__ = [
    "SandboxConfig",
    "Tier",
    "create_app",
    "get_credits",
    "issue_key",
    "sandbox_lifespan",
    "set_credits",
]


def __getattr__(name: str) -> Any:
    # The app pulls in FastAPI and the media engine; the key commands of the CLI need neither.
    if name in ("create_app", "sandbox_lifespan"):
        from orangeweb.sandbox import app

        return getattr(app, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
