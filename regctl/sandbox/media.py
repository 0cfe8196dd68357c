"""Binary media: the restaurants' site assets (drawn lazily) and the image CDN's uploads and files.

The CDN emulates Uploadcare's upload-from-URL: ``from_url`` fetches the source at once (only sandbox
URLs can be fetched: there is no internet here) and returns a token; ``status`` answers
``progress`` for the first ``pending_polls`` polls of a token, then ``success`` with the file's uuid.
"""

from __future__ import annotations

import mimetypes
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from regctl.sandbox import images
from regctl.sandbox.fixtures import RestaurantFixture, slugify

__all__ = ["CdnFile", "CdnUpload", "MediaStore"]

JSON = dict[str, Any]
FETCHABLE_HOSTS = ("127.0.0.1", "localhost", "::1")


@dataclass
class CdnFile:
    uuid: str
    filename: str
    content_type: str
    data: bytes
    source_url: str
    stored: bool

    def to_json(self) -> JSON:
        is_image = self.content_type.startswith("image/")
        return {
            "uuid": self.uuid,
            "file_id": self.uuid,
            "filename": self.filename,
            "original_filename": self.filename,
            "size": len(self.data),
            "mime_type": self.content_type,
            "is_image": is_image,
            "is_stored": self.stored,
            "is_ready": True,
            "source_url": self.source_url,
        }


@dataclass
class CdnUpload:
    token: str
    source_url: str
    polls: int = 0
    file_uuid: str | None = None
    error: str | None = None


class MediaStore:
    """Site assets by path and CDN uploads by token / files by uuid."""

    def __init__(self, restaurants: tuple[RestaurantFixture, ...], pending_polls: int = 1) -> None:
        self._restaurants = {r.slug: r for r in restaurants}
        self._assets: dict[str, tuple[bytes, str]] = {}
        self.pending_polls = pending_polls
        self.uploads: dict[str, CdnUpload] = {}
        self.files: dict[str, CdnFile] = {}

    def reset(self) -> None:
        self.uploads = {}
        self.files = {}

    # -- site assets ---------------------------------------------------------------------------
    def site_asset(self, slug: str, name: str) -> tuple[bytes, str] | None:
        """``(bytes, content type)`` of ``/sites/<slug>/<name>``, drawn on first use."""
        key = f"{slug}/{name}"
        if key not in self._assets:
            made = self._draw(slug, name)
            if made is None:
                return None
            self._assets[key] = made
        return self._assets[key]

    def _draw(self, slug: str, name: str) -> tuple[bytes, str] | None:
        r = self._restaurants.get(slug)
        if r is None:
            return None
        fixed: dict[str, Callable[[RestaurantFixture], bytes]] = {
            "logo.png": images.logo_png,
            "logo.svg": images.logo_svg,
            "favicon.png": images.favicon_png,
            "favicon.ico": images.favicon_ico,
            "og.jpg": images.og_jpeg,
        }
        if name in fixed:
            return fixed[name](r), mimetypes.guess_type(name)[0] or "application/octet-stream"
        match = re.fullmatch(r"images/([a-z0-9-]+)\.jpg", name)
        if match and match.group(1) in dish_slugs(r):
            return images.dish_jpeg(r, match.group(1)), "image/jpeg"
        return None

    # -- CDN -----------------------------------------------------------------------------------
    def fetch(self, source_url: str) -> tuple[bytes, str] | str:
        """The bytes behind a sandbox URL, or the Uploadcare-style error text."""
        parts = urlsplit(source_url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            return "source_url is not a valid URL"
        if parts.hostname not in FETCHABLE_HOSTS:
            return f"Host does not exist: {parts.hostname}"
        match = re.fullmatch(r"/sites/([a-z0-9-]+)/(.+)", parts.path)
        found = self.site_asset(match.group(1), match.group(2)) if match else None
        if found is None:
            cdn = re.fullmatch(r"/ucarecdn/([0-9a-f-]{36})/.*", parts.path)  # a file on the CDN host
            file = self.files.get(cdn.group(1)) if cdn else None
            return (file.data, file.content_type) if file else "Failed to download the file: 404 Not Found"
        return found

    def start_upload(
        self,
        token: str,
        source_url: str,
        filename: str,
        stored: bool,
        new_uuid: Callable[[str], str],
        reuse_duplicates: bool = False,
    ) -> CdnUpload:
        """Fetch ``source_url`` into a new file (or, with ``reuse_duplicates``, the file it made before)."""
        upload = CdnUpload(token, source_url)
        earlier = next((f for f in self.files.values() if f.source_url == source_url), None)
        if reuse_duplicates and earlier is not None:
            upload.file_uuid = earlier.uuid
            self.uploads[token] = upload
            return upload
        fetched = self.fetch(source_url)
        if isinstance(fetched, str):
            upload.error = fetched
        else:
            data, content_type = fetched
            name = filename or urlsplit(source_url).path.rsplit("/", 1)[-1] or "file"
            file = CdnFile(new_uuid("cdn-file"), name, content_type, data, source_url, stored)
            self.files[file.uuid] = file
            upload.file_uuid = file.uuid
        self.uploads[token] = upload
        return upload

    def poll(self, token: str) -> JSON:
        upload = self.uploads.get(token)
        if upload is None:
            return {"status": "unknown"}
        upload.polls += 1
        if upload.error:
            return {"status": "error", "error": upload.error, "error_code": "DownloadFileError"}
        file = self.files[upload.file_uuid or ""]
        if upload.polls <= self.pending_polls:
            return {"status": "progress", "done": len(file.data) // 2, "total": len(file.data)}
        return {"status": "success", **file.to_json()}

    def cdn_json(self) -> JSON:
        return {
            "files": [f.to_json() for f in self.files.values()],
            "uploads": [
                {"token": u.token, "source_url": u.source_url, "file_uuid": u.file_uuid, "error": u.error}
                for u in self.uploads.values()
            ],
        }


def dish_slugs(r: RestaurantFixture) -> list[str]:
    """Slugs of the dishes of ``r`` that have a photo."""
    return [slugify(item.name) for cat in r.menu() for item in cat.items if item.has_image]
