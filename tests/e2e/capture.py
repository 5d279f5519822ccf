"""Everything a browser context saw, to prove no secret ever reached it."""

from __future__ import annotations

from dataclasses import dataclass, field

from playwright.sync_api import BrowserContext, Page, WebSocket


@dataclass
class BrowserCapture:
    """Websocket frames (both ways), page HTML, cookies and web storage of a context."""

    frames: list[str] = field(default_factory=list)
    snapshots: list[str] = field(default_factory=list)

    def attach(self, page: Page) -> None:
        def on_websocket(socket: WebSocket) -> None:
            socket.on("framesent", lambda payload: self.frames.append(str(payload)))
            socket.on("framereceived", lambda payload: self.frames.append(str(payload)))

        page.on("websocket", on_websocket)

    def snapshot(self, context: BrowserContext) -> None:
        for page in context.pages:
            self.snapshots.append(page.content())
            self.snapshots.append(
                str(
                    page.evaluate(
                        "() => [JSON.stringify(localStorage), "
                        "JSON.stringify(sessionStorage), document.cookie]"
                    )
                )
            )
        self.snapshots.append(str(context.cookies()))

    def assert_never_contains(self, *secrets: str) -> None:
        assert self.frames, "no websocket frame was captured"
        seen = "\n".join(self.frames + self.snapshots)
        for secret in secrets:
            assert secret not in seen, "a secret reached the browser"
