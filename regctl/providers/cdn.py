"""The image CDN: Uploadcare upload-from-URL (``POST /from_url/``) and status polling.

Two hosts, two settings: the Upload API (``https://upload.uploadcare.com``, system ``image_cdn``) takes
uploads; files are served from the CDN (``https://ucarecdn.com/<uuid>/``, system ``image_cdn_files``).
A 429 says how long to wait in ``X-Throttle-Wait-Seconds``.

Used by the upload_images step. :meth:`Cdn.start_upload` returns a token; :meth:`Cdn.status` reads
its state once. Polling is the caller's loop (a step heartbeats between polls and never sleeps to
retry a failure: a failed upload raises).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx

from regctl.errors import PermanentStepError
from regctl.providers.http import HttpProvider, parse_retry_after
from regctl.targets import Target

__all__ = ["FILES_SYSTEM", "THROTTLE_HEADER", "Cdn", "UploadStatus"]

MAX_FILENAME = 100
THROTTLE_HEADER = "X-Throttle-Wait-Seconds"
FILES_SYSTEM = "image_cdn_files"  # the CDN host files are served from: its own setting


@dataclass(frozen=True)
class UploadStatus:
    status: str  # waiting | progress | success | error | unknown
    uuid: str | None = None
    filename: str | None = None
    error: str | None = None

    @property
    def done(self) -> bool:
        return self.status in ("success", "error")


class Cdn(HttpProvider):
    system = "image_cdn"

    def __init__(self, base_url: str, public_key: str, *, files_url: str, **kwargs: Any) -> None:
        super().__init__(base_url, **kwargs)
        self.public_key = public_key
        self.files_url = files_url.rstrip("/")

    @classmethod
    def for_target(cls, target: Target, *, transport: httpx.BaseTransport | None = None) -> Cdn:
        sys = target.system("image_cdn")
        return cls(sys.url, sys.credential("public_key"), files_url=target.system(FILES_SYSTEM).url,
                   credential_env=sys.credential_env("public_key"), secrets=target.secrets(),
                   transport=transport)

    def start_upload(self, source_url: str, filename: str) -> str:
        """Ask the CDN to fetch ``source_url``; the token to poll."""
        form = {"pub_key": self.public_key, "source_url": source_url, "store": "1",
                "filename": filename[:MAX_FILENAME]}
        body = self._json(self.request("POST", "/from_url/", data=form))
        token = body.get("token") if isinstance(body, Mapping) else None
        if not token:
            raise PermanentStepError(f"image_cdn: upload of {source_url} was refused: {body!r:.200}")
        return str(token)

    def status(self, token: str) -> UploadStatus:
        body = self.get_json("/from_url/status/", params={"token": token})
        if not isinstance(body, Mapping):
            return UploadStatus("unknown")
        return UploadStatus(str(body.get("status", "unknown")), body.get("uuid") or body.get("file_id"),
                            body.get("filename") or body.get("original_filename"), body.get("error"))

    def throttle_wait(self, response: httpx.Response) -> float:
        """Uploadcare's Upload API says how long to wait in ``X-Throttle-Wait-Seconds``."""
        wait = response.headers.get(THROTTLE_HEADER)
        return parse_retry_after(wait or response.headers.get("Retry-After"))

    def cdn_url(self, uuid: str) -> str:
        """The file's URL on the CDN host (ucarecdn.com), not on the upload host."""
        return f"{self.files_url}/{uuid}/"
