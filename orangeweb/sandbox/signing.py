"""Signed, expiring tokens for file download and upload URLs (itsdangerous, HMAC-SHA256).

A token carries what it grants (a stored file, or one upload slot) and its expiry time, so the
expiry is fixed when the URL is issued. A changed token fails its signature: 403. An expired
one: 403. A genuine token whose file is gone: 404 (the route's business).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from itsdangerous import BadSignature, URLSafeSerializer

from orangeweb.sandbox.errors import ApiError

_DOWNLOAD_SALT = "orangeweb.sandbox.download"
_UPLOAD_SALT = "orangeweb.sandbox.upload"


@dataclass(frozen=True)
class SignedGrant:
    subject: str  # a data-dir relative file path, or an upload id
    expires_at: int  # unix seconds


class UrlSigner:
    def __init__(self, secret: bytes, ttl_seconds: int) -> None:
        self._download = URLSafeSerializer(secret, salt=_DOWNLOAD_SALT)
        self._upload = URLSafeSerializer(secret, salt=_UPLOAD_SALT)
        self.ttl_seconds = ttl_seconds

    def download_token(self, relative_path: str) -> str:
        return str(self._download.dumps({"f": relative_path, "e": self._expiry()}))

    def upload_token(self, upload_id: str) -> str:
        return str(self._upload.dumps({"u": upload_id, "e": self._expiry()}))

    def verify_download(self, token: str) -> SignedGrant:
        payload = _verify(self._download, token)
        return SignedGrant(subject=str(payload["f"]), expires_at=int(payload["e"]))

    def verify_upload(self, token: str) -> SignedGrant:
        payload = _verify(self._upload, token)
        return SignedGrant(subject=str(payload["u"]), expires_at=int(payload["e"]))

    def _expiry(self) -> int:
        return int(time.time()) + self.ttl_seconds


def _verify(serializer: URLSafeSerializer, token: str) -> dict[str, Any]:
    try:
        payload = serializer.loads(token)
    except BadSignature as error:
        raise ApiError(403, "invalid or tampered signed URL") from error
    if not isinstance(payload, dict) or not isinstance(payload.get("e"), int):
        raise ApiError(403, "invalid or tampered signed URL")
    if payload["e"] < time.time():
        raise ApiError(403, "this signed URL has expired; fetch the resource again for a new one")
    return payload
