"""A browser tab's side of Reflex's event protocol, from Python: a socket.io client on the
app's `/_event` websocket, carrying the session cookie, sending events by their full handler
name and collecting the state updates the server sends back."""

from __future__ import annotations

import json
import queue
import uuid
from typing import Any

import socketio

EVENTS = "/_event"  # Reflex's websocket: both its socket.io path and its namespace
UPDATE_TIMEOUT_S = 30.0


class ReflexTab:
    """One tab (one client token) connected to a served dashboard."""

    def __init__(self, url: str, cookie: str) -> None:
        self.token = str(uuid.uuid4())
        self.updates: queue.Queue[str] = queue.Queue()
        self.sio = socketio.Client(reconnection=False)
        self.sio.on("event", lambda update: self.updates.put(json.dumps(update)), namespace=EVENTS)
        self.sio.connect(
            f"{url}?token={self.token}",
            socketio_path=EVENTS,
            namespaces=[EVENTS],
            transports=["websocket"],
            headers={"cookie": cookie},
            wait_timeout=UPDATE_TIMEOUT_S,
        )

    def emit(self, name: str, payload: dict[str, Any], path: str = "/") -> None:
        router_data = {"pathname": path, "asPath": path}
        self.sio.emit(
            "event",
            {"name": name, "payload": payload, "router_data": router_data},
            namespace=EVENTS,
        )

    def updates_until(self, text: str, timeout_s: float = UPDATE_TIMEOUT_S) -> list[str]:
        """Every update (as JSON text) before the first one containing `text`."""
        seen: list[str] = []
        while True:
            update = self.updates.get(timeout=timeout_s)
            if text in update:
                return seen
            seen.append(update)

    def close(self) -> None:
        self.sio.disconnect()
