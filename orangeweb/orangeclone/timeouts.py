"""Explicit timeouts: httpx's single default would either cut off a slow upload or let a hung
API call block the job tracker for minutes."""

from __future__ import annotations

from dataclasses import dataclass

import httpx


@dataclass(frozen=True, slots=True)
class Timeouts:
    """Seconds. `upload_write` bounds each chunk write of a media upload (slow uplinks), and
    `upload_read` the wait for the storage host's answer once the last byte is sent."""

    connect: float = 10.0
    read: float = 60.0
    write: float = 60.0
    pool: float = 10.0
    upload_write: float = 600.0
    upload_read: float = 300.0

    def for_api(self) -> httpx.Timeout:
        return httpx.Timeout(connect=self.connect, read=self.read, write=self.write, pool=self.pool)

    def for_upload(self) -> httpx.Timeout:
        return httpx.Timeout(
            connect=self.connect, read=self.upload_read, write=self.upload_write, pool=self.pool
        )
