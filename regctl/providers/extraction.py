"""The extraction API: Firecrawl v2 ``POST /v2/scrape`` with the ``json`` (+schema) and ``branding`` formats.

Every call first runs ``before_request`` — the steps pass ``ctx.acquire_rate_limit("extraction_api")``
so the 10-per-60-s limit holds across all supervisors.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.providers.http import HttpProvider, parse_retry_after
from regctl.targets import Target

__all__ = ["MENU_SCHEMA", "ExtractionApi"]

SCRAPE_TIMEOUT_MS = 120_000
_PAGE_RETRYABLE = {408, 425, 429}  # and every 5xx: the scraped page may answer later
# Firecrawl's 429 puts the wait in its error text: "... or please retry after 47s, resets at ..."
_RETRY_AFTER_TEXT = re.compile(r"retry after (\d+(?:\.\d+)?)\s*s", re.IGNORECASE)
MENU_PROMPT = ("Extract the full menu: every category with its items (name, price, description, image URL) "
               "and every option set (name, required, min/max selections, options with prices).")

_OPTION_SET = {
    "type": "object",
    "properties": {
        "name": {"type": "string"}, "required": {"type": "boolean"},
        "min_selections": {"type": "integer"}, "max_selections": {"type": "integer"},
        "options": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"}, "price": {"type": "number"}}}},
    },
}
MENU_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "categories": {"type": "array", "items": {"type": "object", "properties": {
            "name": {"type": "string"},
            "items": {"type": "array", "items": {"type": "object", "properties": {
                "name": {"type": "string"}, "price": {"type": "number"}, "description": {"type": "string"},
                "image_url": {"type": "string"}, "option_sets": {"type": "array", "items": _OPTION_SET},
            }}},
        }}},
    },
}


def _check_page_status(url: str, metadata: Any) -> None:
    """Firecrawl's ``success: true`` means something was scraped, not that the page answered 200: a
    page that answered 404, 403 or 503 comes back as ``success: true`` with ``metadata.statusCode``
    (and ``metadata.error``), and a json format then holds whatever the model read off the error page
    — usually nothing, which would pass for "no companies at this address". The page's own failure is
    raised instead: retryable for 408/425/429/5xx (the site may answer later), permanent otherwise.
    Source: firecrawl/firecrawl#3648 (a maintainer: "`success` does not mean 200 … check
    `metadata.statusCode`"), docs.firecrawl.dev (Scrape response ``metadata.statusCode``)."""
    status = metadata.get("statusCode") if isinstance(metadata, Mapping) else None
    if not isinstance(status, int) or 200 <= status < 400:
        return
    reason = str(metadata.get("error") or "") if isinstance(metadata, Mapping) else ""
    message = f"extraction_api: the page {url} answered HTTP {status}" + (f" ({reason})" if reason else "")
    if status in _PAGE_RETRYABLE or status >= 500:
        raise RetryableStepError(message)
    raise PermanentStepError(message)


class ExtractionApi(HttpProvider):
    system = "extraction_api"

    @classmethod
    def for_target(cls, target: Target, *, transport: httpx.BaseTransport | None = None,
                   before_request: Callable[[], None] | None = None) -> ExtractionApi:
        sys = target.system("extraction_api")
        return cls(sys.url, headers={"Authorization": f"Bearer {sys.credential('key')}"},
                   credential_env=sys.credential_env("key"), secrets=target.secrets(),
                   timeout=SCRAPE_TIMEOUT_MS / 1000 + 15, transport=transport, before_request=before_request)

    def throttle_wait(self, response: httpx.Response) -> float:
        """The wait Firecrawl's 429 body gives (``please retry after 47s``), else Retry-After."""
        try:
            body = response.json()
        except ValueError:
            body = None
        error = str(body.get("error") or "") if isinstance(body, Mapping) else ""
        found = _RETRY_AFTER_TEXT.search(error)
        return float(found.group(1)) if found else parse_retry_after(response.headers.get("Retry-After"))

    def scrape(self, url: str, formats: list[Any], *, wait_for_ms: int = 3000,
               only_main_content: bool = False, **options: Any) -> dict[str, Any]:
        """The ``data`` object of one scrape; PermanentStepError when the API says it failed.

        ``options`` are further Firecrawl v2 scrape fields, given in the API's own camelCase
        (e.g. ``removeBase64Images=True``).
        """
        request = {"url": url, "formats": formats, "onlyMainContent": only_main_content,
                   "waitFor": wait_for_ms, "timeout": SCRAPE_TIMEOUT_MS, **options}
        body = self.post_json("/v2/scrape", request)
        if not isinstance(body, Mapping) or body.get("success") is False or "data" not in body:
            error = body.get("error") if isinstance(body, Mapping) else None
            raise PermanentStepError(f"extraction_api: scrape of {url} failed: {error or 'no data'}")
        data = dict(body["data"])
        _check_page_status(url, data.get("metadata"))
        return data

    def extract_menu(self, store_url: str) -> dict[str, Any]:
        data = self.scrape(store_url, [{"type": "json", "schema": MENU_SCHEMA, "prompt": MENU_PROMPT}])
        return dict(data.get("json") or {})

    def branding(self, website_url: str) -> dict[str, Any]:
        """The ``branding`` object plus the page metadata (og:image lives there)."""
        data = self.scrape(website_url, ["branding"])
        return {"branding": dict(data.get("branding") or {}), "metadata": dict(data.get("metadata") or {})}
