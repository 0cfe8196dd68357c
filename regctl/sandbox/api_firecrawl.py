"""The extraction API (Firecrawl v2 shapes), under ``/firecrawl``: ``POST /v2/scrape``.

Request ``{url, formats: ["markdown" | "html" | "rawHtml" | "links" | "branding" |
{type: "json", schema?, prompt?}, …], onlyMainContent?, waitFor?, timeout?, maxAge?}`` with
``Authorization: Bearer <key>``. Answer ``{success: true, data: {<format>: …, metadata: {…}}}``.
URLs are mapped to fixtures (delivery-platform store URLs ``…/store/<slug>/…`` by slug, sandbox sites
``…/sites/<slug>/`` and ``https://<slug-without-dashes>.example.nz``); any other URL is answered as a
page that returned 404 (``metadata.statusCode``), since nothing outside can be fetched from here.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox import credentials
from regctl.sandbox.api_sites import site_html
from regctl.sandbox.extraction import (
    branding_json,
    companies_office_page,
    menu_json,
    menu_markdown,
    project,
    restaurant_for_url,
)
from regctl.sandbox.fixtures import RestaurantFixture
from regctl.sandbox.routing import api_route, error_response, read_json
from regctl.sandbox.world import World

__all__ = ["routes"]

JSON = dict[str, Any]
STRING_FORMATS = {"markdown", "html", "rawHtml", "links", "branding", "summary", "images", "json"}
# The v2 scrape body (Firecrawl's API reference); the API validates strictly and refuses other keys.
SCRAPE_KEYS = frozenset({
    "url", "formats", "onlyMainContent", "includeTags", "excludeTags", "maxAge", "headers", "waitFor",
    "mobile", "skipTlsVerification", "timeout", "parsers", "actions", "location", "removeBase64Images",
    "blockAds", "proxy", "storeInCache", "zeroDataRetention", "fastMode",
})
JSON_FORMAT_KEYS = frozenset({"type", "schema", "prompt"})
UNRECOGNIZED = "Unrecognized key in body -- please review the v2 API documentation for request body changes"


def _bad_request(details: list[JSON]) -> Response:
    """Firecrawl's validation error: 400 ``{success: false, code: "BAD_REQUEST", error, details}``."""
    return JSONResponse({"success": False, "code": "BAD_REQUEST", "error": "Bad Request", "details": details},
                        400)


def _unrecognized(keys: list[str], path: list[Any]) -> Response:
    return _bad_request([{"code": "unrecognized_keys", "keys": keys, "path": path, "message": UNRECOGNIZED}])


def _strictness(body: JSON) -> Response | None:
    unknown = sorted(k for k in body if k not in SCRAPE_KEYS)
    if unknown:
        return _unrecognized(unknown, [])
    for i, f in enumerate(body.get("formats") or []):
        extra = sorted(k for k in f if k not in JSON_FORMAT_KEYS) if isinstance(f, dict) else []
        if extra:
            return _unrecognized(extra, ["formats", i])
    return None


def _auth_problem(request: Request) -> Response | None:
    header = request.headers.get("Authorization", "")
    if header != f"Bearer {credentials.FIRECRAWL_API_KEY}":
        return error_response("firecrawl", 401, "Unauthorized: Invalid token")
    return None


def _formats(body: JSON) -> list[Any] | str:
    """The requested formats, or the validation message."""
    formats = body.get("formats", ["markdown"])
    if not isinstance(formats, list) or not formats:
        return "formats must be a non-empty array"
    for f in formats:
        kind = f.get("type") if isinstance(f, dict) else f
        if kind not in STRING_FORMATS:
            return f"Invalid format: {kind!r}"
        if kind == "json" and not (isinstance(f, dict) and (f.get("schema") or f.get("prompt"))):
            return "json format requires an object {type: 'json', schema?, prompt?} with a schema or a prompt"
    return formats


def _metadata(url: str, r: RestaurantFixture | None, base: str) -> JSON:
    if r is None:
        return {"sourceURL": url, "url": url, "statusCode": 404, "error": "Not Found", "title": "Not Found"}
    return {
        "title": f"{r.name} — order online",
        "description": f"{r.name}, {r.address}",
        "language": "en",
        "ogImage": f"{base}/sites/{r.slug}/og.jpg",
        "sourceURL": url,
        "url": url,
        "statusCode": 200,
        "contentType": "text/html; charset=utf-8",
    }


def _render(kind: str, spec: Any, r: RestaurantFixture | None, base: str, is_store: bool) -> Any:
    if kind == "json":
        if r is None or not (is_store and r.has_menu_source):
            return {}
        return project(menu_json(r, base), spec.get("schema") if isinstance(spec, dict) else None)
    if kind == "branding":
        return branding_json(r, base) if r is not None and r.has_website else {}
    if r is None:
        return [] if kind in ("links", "images") else ""
    if kind in ("html", "rawHtml"):
        return site_html(r, base)
    if kind == "links":
        return [f"{base}/sites/{r.slug}/", r.ubereats_url]
    if kind == "images":
        return [f"{base}/sites/{r.slug}/logo.png", f"{base}/sites/{r.slug}/og.jpg"]
    return menu_markdown(r)


def _register_data(url: str, formats: list[Any], page: tuple[str, JSON]) -> JSON:
    """A Companies Office register page: its results as ``json`` (per the schema), else as text."""
    title, content = page
    data: JSON = {}
    for f in formats:
        kind = str(f.get("type") if isinstance(f, dict) else f)
        if kind == "json":
            data[kind] = project(content, f.get("schema") if isinstance(f, dict) else None)
        elif kind in ("links", "images"):
            data[kind] = []
        elif kind == "branding":
            data[kind] = {}
        else:
            data[kind] = f"# {title}\n\n" + "\n".join(f"- {row}" for row in content.get("companies", []))
    data["metadata"] = {"title": title, "sourceURL": url, "url": url, "statusCode": 200,
                        "contentType": "text/html; charset=utf-8"}
    return data


async def scrape(request: Request, world: World) -> Response:
    denied = _auth_problem(request)
    if denied is not None:
        return denied
    body = await read_json(request)
    if not isinstance(body, dict) or not isinstance(body.get("url"), str) or not body["url"]:
        return error_response("firecrawl", 400, "Bad Request: url is required")
    strict = _strictness(body)
    if strict is not None:
        return strict
    formats = _formats(body)
    if isinstance(formats, str):
        return error_response("firecrawl", 400, f"Bad Request: {formats}")
    url, base = body["url"], str(request.base_url).rstrip("/")
    register_page = companies_office_page(url, world.companies)
    if register_page is not None:
        return JSONResponse({"success": True, "data": _register_data(url, formats, register_page)})
    r = restaurant_for_url(url, world.restaurants)
    is_store = "/store/" in url
    if r is not None and not is_store and not r.has_website:
        r = None  # this restaurant has no website: the URL leads nowhere
    data: JSON = {}
    for f in formats:
        kind = str(f.get("type") if isinstance(f, dict) else f)
        data[kind] = _render(kind, f, r, base, is_store)
    data["metadata"] = _metadata(url, r, base)
    return JSONResponse({"success": True, "data": data})


def routes(world: World) -> list[BaseRoute]:
    return [api_route(world, "firecrawl.scrape", "/v2/scrape", scrape, ["POST"])]
