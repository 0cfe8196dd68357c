"""Held-out stand-ins for the real services, one Starlette app on 127.0.0.1, written from the public docs.

Each service sits under its own prefix (a production profile's ``_URL`` points there):

    /nzbn/gateway/nzbn/v5   NZBN API v5 (search envelope with pagination, full entity, APIM errors)
    /firecrawl              Firecrawl v2 POST /v2/scrape (json + branding formats, zod-style 400s)
    /upload                 Uploadcare Upload API (POST /from_url/ → token; GET /from_url/status/)
    /ucarecdn               Uploadcare CDN (GET /<uuid>/)
    /supabase/rest/v1       Supabase PostgREST (rpc, GET, PATCH; Kong apikey; PGRST errors)
    /cloudwaitress          CloudWaitress registration API (/users/register/start, /verify)
    /site                   the restaurant's website and its images

``Services.log`` records every request (method, path, query, headers, body) for the tests' checks.
"""

from __future__ import annotations

import hashlib
import hmac
import io
import json
import re
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qs

import uvicorn
from PIL import Image
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from heldout_services import data

FIRECRAWL_SCRAPE_KEYS = {  # docs.firecrawl.dev API reference, POST /v2/scrape request body
    "url",
    "formats",
    "onlyMainContent",
    "includeTags",
    "excludeTags",
    "maxAge",
    "headers",
    "waitFor",
    "mobile",
    "skipTlsVerification",
    "timeout",
    "parsers",
    "actions",
    "location",
    "removeBase64Images",
    "blockAds",
    "proxy",
    "storeInCache",
    "zeroDataRetention",
    "integration",
}
FIRECRAWL_FORMATS = {
    "markdown",
    "summary",
    "html",
    "rawHtml",
    "links",
    "images",
    "screenshot",
    "json",
    "changeTracking",
    "branding",
}
NZBN_SEARCH_PARAMS = {"search-term", "entity-status", "entity-type", "industry-code", "page", "page-size"}
UPLOADCARE_FROM_URL_FIELDS = {
    "pub_key",
    "source_url",
    "store",
    "filename",
    "check_URL_duplicates",
    "save_URL_duplicates",
    "signature",
    "expire",
}
POSTGREST_SCHEMAS = ("public", "graphql_public")


def png(colour: tuple[int, int, int, int], size: tuple[int, int] = (64, 64)) -> bytes:
    out = io.BytesIO()
    Image.new("RGBA", size, colour).save(out, "PNG")
    return out.getvalue()


@dataclass
class Services:
    base: str = ""
    log: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)  # token → state
    files: dict[str, str] = field(default_factory=dict)  # uuid → source_url
    onboarding: dict[str, dict[str, Any]] = field(default_factory=dict)
    accounts: dict[str, dict[str, Any]] = field(default_factory=dict)
    # Row-level security that hides user_onboarding from the key used (e.g. the anon key): the RPC (a
    # SECURITY DEFINER function) still answers, but SELECT and UPDATE see no rows — PostgREST then
    # answers 200 [] to a PATCH with return=representation, not an error.
    rls_hides_rows: bool = False
    # Pages that answer an error to Firecrawl's scraper (URL substring → (status, reason)): Firecrawl
    # still says success: true, with the page's code in metadata.statusCode (firecrawl/firecrawl#3648).
    page_status: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Path prefixes whose next request is throttled once, with that service's own 429 (a 1 s wait).
    throttle_once: set[str] = field(default_factory=set)

    def __post_init__(self) -> None:
        row = data.onboarding_row()
        self.onboarding[row["id"]] = row

    def url(self, prefix: str) -> str:
        return self.base + prefix

    def calls(self, prefix: str) -> list[dict[str, Any]]:
        return [c for c in self.log if c["path"].startswith(prefix)]


# ------------------------------------------------------------------ NZBN API v5 ---------------------


def _apim_denied(request: Request) -> Response | None:
    """Azure API Management in front of the NZBN API: the subscription key header (or query)."""
    key = request.headers.get("Ocp-Apim-Subscription-Key") or request.query_params.get("subscription-key")
    if not key:
        return JSONResponse(
            {
                "statusCode": 401,
                "message": "Access denied due to missing subscription key. "
                "Make sure to include subscription key when making requests to an API.",
            },
            401,
        )
    if key != data.NZBN_KEY:
        return JSONResponse(
            {
                "statusCode": 401,
                "message": "Access denied due to invalid subscription key. "
                "Make sure to provide a valid key for an active subscription.",
            },
            401,
        )
    return None


def _fold(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower().translate(str.maketrans("āēīōū", "aeiou")))


def nzbn_search(request: Request) -> Response:
    denied = _apim_denied(request)
    if denied:
        return denied
    unknown = set(request.query_params) - NZBN_SEARCH_PARAMS - {"subscription-key"}
    term = request.query_params.get("search-term", "")
    if unknown or not term.strip():
        return JSONResponse(
            {
                "errorCode": "REQ_001",
                "errorDescription": "search-term is required"
                if not term.strip()
                else f"Unknown parameter(s): {', '.join(sorted(unknown))}",
            },
            400,
        )
    page, size = int(request.query_params.get("page", "0")), int(request.query_params.get("page-size", "50"))
    if size > 1000 or size < 1:
        return JSONResponse({"errorCode": "REQ_002", "errorDescription": "page-size out of range"}, 400)
    words = _fold(term).split()
    status = request.query_params.get("entity-status")
    found = [
        e
        for e in data.ENTITIES
        if any(
            w in _fold(e["entityName"]) or any(w in _fold(t["name"]) for t in e.get("tradingNames") or [])
            for w in words
        )
        and (not status or e["entityStatusDescription"] in status.split(","))
    ]
    found.sort(key=lambda e: -sum(w in _fold(e["entityName"]) for w in words))
    items = [data.search_item(e) for e in found[page * size : (page + 1) * size]]
    return JSONResponse(
        {
            "pageSize": size,
            "page": page,
            "totalItems": len(found),
            "sortBy": None,
            "sortOrder": None,
            "items": items,
            "links": [{"rel": "next", "href": f"/entities?search-term={term}&page={page + 1}"}],
        }
    )


def nzbn_roles(request: Request) -> Response:
    denied = _apim_denied(request)
    if denied:
        return denied
    if request.path_params["nzbn"] != data.NZBN:
        return JSONResponse({"errorCode": "NZBN_404", "errorDescription": "Entity not found"}, 404)
    return JSONResponse(data.ROLES)


def nzbn_entity(request: Request) -> Response:
    denied = _apim_denied(request)
    if denied:
        return denied
    nzbn = request.path_params["nzbn"]
    if not re.fullmatch(r"\d{13}", nzbn):
        return JSONResponse({"errorCode": "NZBN_001", "errorDescription": "Invalid NZBN format"}, 400)
    entity = next((e for e in data.ENTITIES if e["nzbn"] == nzbn), None)
    if entity is None:
        return JSONResponse({"errorCode": "NZBN_404", "errorDescription": "Entity not found"}, 404)
    return JSONResponse(entity)


# ------------------------------------------------------------------ Firecrawl v2 --------------------


def _bad_request(details: list[dict[str, Any]]) -> Response:
    return JSONResponse(
        {"success": False, "code": "BAD_REQUEST", "error": "Bad Request", "details": details}, 400
    )


async def firecrawl_scrape(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.headers.get("Authorization") != f"Bearer {data.FIRECRAWL_KEY}":
        return JSONResponse({"success": False, "error": "Unauthorized: Invalid token"}, 401)
    body = await request.json()
    unknown = sorted(set(body) - FIRECRAWL_SCRAPE_KEYS)
    if unknown:
        return _bad_request(
            [
                {
                    "code": "unrecognized_keys",
                    "keys": unknown,
                    "path": [],
                    "message": "Unrecognized key in body -- please review the v2 API documentation "
                    "for request body changes",
                }
            ]
        )
    formats = body.get("formats") or ["markdown"]
    kinds = []
    for f in formats:
        kind = f.get("type") if isinstance(f, dict) else f
        if kind not in FIRECRAWL_FORMATS or (kind == "json" and not isinstance(f, dict)):
            return _bad_request([{"code": "invalid_union", "path": ["formats"], "message": "Invalid input"}])
        kinds.append(kind)
    url = str(body.get("url") or "")
    site = services.url("/site")
    meta = {
        "title": "Kōwhai Noodle Bar",
        "language": "en",
        "ogImage": f"{site}/og.png",
        "sourceURL": url,
        "url": url,
        "statusCode": 200,
        "contentType": "text/html; charset=utf-8",
        "proxyUsed": "basic",
        "cacheState": "miss",
        "scrapeId": str(uuid.uuid4()),
        "creditsUsed": 5,
    }
    out: dict[str, Any] = {"metadata": meta}
    failed = next((v for k, v in services.page_status.items() if k in url), None)
    if failed is not None:  # what a model reads off an error page: nothing
        meta.update(statusCode=failed[0], error=failed[1], title=failed[1])
        for kind in kinds:
            out[kind] = {"companies": []} if kind == "json" and "companiesoffice" in url else {}
        return JSONResponse({"success": True, "data": out})
    if "json" in kinds:
        if "companiesoffice.govt.nz" in url:
            out["json"] = (
                data.OFFICE_ADDRESS_RESULTS
                if "addressKeyword=" in url and "Tory" in url
                else {"companies": [], "total_results": 0}
            )
        else:
            out["json"] = json.loads(json.dumps(data.MENU_JSON).replace("{site}", site))
    if "branding" in kinds:
        out["branding"] = {
            "colorScheme": "dark",
            "logo": f"{site}/logo.png",
            "colors": {
                "primary": data.BRAND["primary"],
                "secondary": "#FFFFFF",
                "accent": data.BRAND["accent"],
                "background": data.BRAND["background"],
                "textPrimary": "#FFFFFF",
                "textSecondary": "#CCCCCC",
                "link": data.BRAND["accent"],
            },
            "fonts": [{"family": "Inter"}],
            "typography": {"fontFamilies": {"primary": "Inter"}},
            "spacing": {"baseUnit": 8},
            "components": {"buttonPrimary": {"background": data.BRAND["primary"]}},
            "images": {
                "logo": f"{site}/logo.png",
                "favicon": f"{site}/favicon.png",
                "ogImage": f"{site}/og.png",
            },
            "personality": {"tone": "playful"},
            "confidence": {"overall": 0.82},
        }
    if "markdown" in kinds:
        out["markdown"] = "# Kōwhai Noodle Bar"
    return JSONResponse({"success": True, "data": out})


# ------------------------------------------------------------------ Uploadcare -----------------------


async def uploadcare_from_url(request: Request) -> Response:
    services: Services = request.app.state.services
    form = await request.form()
    fields = {k: str(v) for k, v in form.items()}
    if not fields.get("pub_key"):
        return PlainTextResponse("pub_key is required.", 400)
    if fields["pub_key"] != data.UPLOADCARE_PUB_KEY:
        return PlainTextResponse("pub_key is invalid.", 403)
    unknown = set(fields) - UPLOADCARE_FROM_URL_FIELDS - {k for k in fields if k.startswith("metadata[")}
    if unknown:
        return PlainTextResponse(f"Unknown parameter(s): {', '.join(sorted(unknown))}.", 400)
    if not fields.get("source_url"):
        return PlainTextResponse("source_url is required.", 400)
    token = str(uuid.uuid4())
    services.uploads[token] = {
        "polls": 0,
        "source_url": fields["source_url"],
        "filename": fields.get("filename") or fields["source_url"].rsplit("/", 1)[-1],
    }
    return JSONResponse({"type": "token", "token": token})


def uploadcare_status(request: Request) -> Response:
    services: Services = request.app.state.services
    state = services.uploads.get(request.query_params.get("token", ""))
    if state is None:
        return JSONResponse({"status": "unknown"})
    state["polls"] += 1
    if state["polls"] == 1:
        return JSONResponse({"status": "waiting"})
    if state["polls"] == 2:
        return JSONResponse({"status": "progress", "done": 2048, "total": 8192})
    file_id = state.setdefault("uuid", str(uuid.uuid4()))
    services.files[file_id] = state["source_url"]
    return JSONResponse(
        {
            "status": "success",
            "is_stored": True,
            "done": 8192,
            "file_id": file_id,
            "total": 8192,
            "size": 8192,
            "uuid": file_id,
            "is_image": True,
            "filename": re.sub(r"[^\w.]", "_", state["filename"]),
            "video_info": None,
            "is_ready": True,
            "original_filename": state["filename"],
            "image_info": {
                "height": 64,
                "width": 64,
                "geo_location": None,
                "datetime_original": None,
                "format": "PNG",
                "color_mode": "RGBA",
                "dpi": None,
                "orientation": None,
                "sequence": False,
            },
            "mime_type": "image/png",
            "metadata": {},
            "content_info": {"mime": {"mime": "image/png", "type": "image", "subtype": "png"}},
        }
    )


def cdn_file(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.path_params["uuid"] not in services.files:
        return PlainTextResponse("Not found", 404)
    return Response(png((200, 16, 46, 255)), media_type="image/png")


# ------------------------------------------------------------------ Supabase PostgREST ---------------


def _kong_denied(request: Request) -> Response | None:
    key = request.headers.get("apikey") or request.query_params.get("apikey")
    if not key:
        return JSONResponse(
            {
                "message": "No API key found in request",
                "hint": "No `apikey` request header or url param was found.",
            },
            401,
        )
    if key != data.SUPABASE_SERVICE_KEY:
        return JSONResponse(
            {
                "message": "Invalid API key",
                "hint": "Double check your Supabase `anon` or `service_role` API key.",
            },
            401,
        )
    return None


def _pgrst(
    status: int, code: str, message: str, details: str | None = None, hint: str | None = None
) -> Response:
    return JSONResponse({"code": code, "details": details, "hint": hint, "message": message}, status)


def _profile_refused(request: Request, header: str) -> Response | None:
    schema = request.headers.get(header)
    if schema and schema not in POSTGREST_SCHEMAS:
        return _pgrst(
            406, "PGRST106", f"The schema must be one of the following: {', '.join(POSTGREST_SCHEMAS)}"
        )
    return None


def _filters(request: Request) -> tuple[dict[str, str], Response | None]:
    query = {k: v[-1] for k, v in parse_qs(request.url.query, keep_blank_values=True).items()}
    filters = {k: v for k, v in query.items() if k not in ("select", "order", "limit", "offset", "apikey")}
    for column in filters:
        if column not in data.ONBOARDING_COLUMNS:
            return {}, _pgrst(400, "42703", f"column user_onboarding.{column} does not exist")
    for column in (query.get("select") or "*").split(","):
        if column != "*" and column not in data.ONBOARDING_COLUMNS:
            return {}, _pgrst(400, "42703", f"column user_onboarding.{column} does not exist")
    return filters, None


def _matching(services: Services, filters: dict[str, str]) -> list[dict[str, Any]]:
    rows = [] if services.rls_hides_rows else list(services.onboarding.values())
    for column, condition in filters.items():
        op, _, value = condition.partition(".")
        if op != "eq":
            continue
        rows = [r for r in rows if str(r.get(column)) == value]
    return rows


async def postgrest_rpc(request: Request) -> Response:
    services: Services = request.app.state.services
    refused = _kong_denied(request) or _profile_refused(request, "Content-Profile")
    if refused:
        return refused
    name = request.path_params["name"]
    body = await request.json() if await request.body() else {}
    if name != "get_onboarding_id_by_email" or set(body) != {"user_email"}:
        given = ", ".join(sorted(body))
        return _pgrst(
            404,
            "PGRST202",
            f"Could not find the function public.{name}({given}) in the schema cache",
            f"Searched for the function public.{name} with parameter{'s' if len(body) > 1 else ''} "
            f"{given} or with a single unnamed json/jsonb parameter, but no matches were found in "
            "the schema cache.",
            "Perhaps you meant to call the function public.get_onboarding_id_by_email(user_email)",
        )
    email = str(body["user_email"])
    rows = [
        {
            "onboarding_id": r["id"],
            "user_id": r["user_id"],
            "email": r["email"],
            "name": r["name"],
            "onboarding_status": r["onboarding_status"],
            "created_at": r["created_at"],
        }
        for r in services.onboarding.values()
        if r["email"] == email
    ]
    return JSONResponse(rows)


async def postgrest_table(request: Request) -> Response:
    services: Services = request.app.state.services
    if request.path_params["table"] != "user_onboarding":
        return _pgrst(
            404,
            "PGRST205",
            f"Could not find the table 'public.{request.path_params['table']}' in the schema cache",
        )
    header = "Accept-Profile" if request.method == "GET" else "Content-Profile"
    refused = _kong_denied(request) or _profile_refused(request, header)
    if refused:
        return refused
    filters, bad = _filters(request)
    if bad:
        return bad
    rows = _matching(services, filters)
    if request.method == "GET":
        return JSONResponse(rows)
    body = await request.json()
    for column in body:
        if column not in data.ONBOARDING_COLUMNS:
            return _pgrst(
                400,
                "PGRST204",
                f"Could not find the '{column}' column of 'user_onboarding' in the schema cache",
            )
    if not filters:  # Supabase's pg-safeupdate
        return _pgrst(400, "21000", "UPDATE requires a WHERE clause")
    for row in rows:
        row.update(body)
    prefer = request.headers.get("Prefer", "")
    if "return=representation" in prefer:
        return JSONResponse(rows, headers={"Content-Range": f"0-{len(rows) - 1}/*" if rows else "*/*"})
    return Response(status_code=204, headers={"Content-Range": f"0-{len(rows) - 1}/*" if rows else "*/*"})


# ------------------------------------------------------------------ CloudWaitress --------------------


async def register_start(request: Request) -> Response:
    services: Services = request.app.state.services
    body = await request.json()
    needed = ("integrator_id", "email", "phone", "password", "signature")
    if any(not body.get(k) for k in needed) or body["integrator_id"] != data.INTEGRATOR_ID:
        return JSONResponse({"outcome": 1, "message": "Invalid request"})
    expected = hmac.new(
        data.INTEGRATOR_SECRET.encode(),
        (body["email"] + body["phone"] + body["password"]).encode(),
        hashlib.sha256,
    ).hexdigest()
    if not hmac.compare_digest(expected, str(body["signature"])):
        return JSONResponse({"outcome": 1, "message": "Invalid signature"})
    if body["email"] in services.accounts:
        return JSONResponse({"outcome": 1, "message": "A user with this e-mail already exists"})
    token = uuid.uuid4().hex
    services.accounts[token] = {"email": body["email"], "phone": body["phone"], "verified": False}
    return JSONResponse({"outcome": 0, "token": token})


async def register_verify(request: Request) -> Response:
    services: Services = request.app.state.services
    body = await request.json()
    account = services.accounts.get(str(body.get("token")))
    if account is None or body.get("email_confirmation_code") != data.ADMIN_CODE:
        return JSONResponse({"outcome": 1, "message": "Invalid confirmation code"})
    account["verified"] = True
    services.accounts[account["email"]] = account
    return JSONResponse(
        {"outcome": 0, "user": {"_id": "u_" + uuid.uuid4().hex[:12], "email": account["email"]}}
    )


# ------------------------------------------------------------------ the restaurant's site ------------


def site_page(request: Request) -> Response:
    return Response(
        f"""<!doctype html><html><head><title>Kōwhai Noodle Bar</title>
<meta name="theme-color" content="{data.BRAND["primary"]}"><link rel="icon" href="favicon.png">
<meta property="og:image" content="og.png"></head><body>
<img class="logo" src="logo.png" alt="Kōwhai Noodle Bar logo">
<footer>Kōwhai Noodle Bar, 21 Tory Street, Te Aro, Wellington. Phone 04 801 2345</footer></body></html>""",
        media_type="text/html",
    )


def site_image(request: Request) -> Response:
    return Response(png((242, 169, 0, 255)), media_type="image/png")


def build_app(services: Services) -> Starlette:
    nz = "/nzbn/gateway/nzbn/v5"
    app = Starlette(
        routes=[
            Route(f"{nz}/entities", nzbn_search),
            Route(f"{nz}/entities/{{nzbn}}", nzbn_entity),
            Route(f"{nz}/entities/{{nzbn}}/roles", nzbn_roles),
            Route("/firecrawl/v2/scrape", firecrawl_scrape, methods=["POST"]),
            Route("/upload/from_url/", uploadcare_from_url, methods=["POST"]),
            Route("/upload/from_url/status/", uploadcare_status),
            Route("/ucarecdn/{uuid}/", cdn_file),
            Route("/supabase/rest/v1/rpc/{name}", postgrest_rpc, methods=["POST"]),
            Route("/supabase/rest/v1/{table}", postgrest_table, methods=["GET", "PATCH"]),
            Route("/cloudwaitress/users/register/start", register_start, methods=["POST"]),
            Route("/cloudwaitress/users/register/verify", register_verify, methods=["POST"]),
            Route("/site/", site_page),
            Route("/site/{name:path}", site_image),
        ]
    )
    app.state.services = services
    return app


def throttled(path: str) -> Response | None:
    """Each service's 429 as it sends it: APIM's Retry-After + message (NZBN), Firecrawl's wait in the
    error text only, Uploadcare's X-Throttle-Wait-Seconds, PostgREST/Kong's Retry-After."""
    if path.startswith("/nzbn/"):
        return JSONResponse(
            {"statusCode": 429, "message": "Rate limit is exceeded. Try again in 1 seconds."},
            429,
            headers={"Retry-After": "1"},
        )
    if path.startswith("/firecrawl/"):
        return JSONResponse(
            {
                "success": False,
                "error": "Rate limit exceeded. Consumed (req/min): 11, Remaining "
                "(req/min): 0. Upgrade your plan at https://firecrawl.dev/pricing for increased rate "
                "limits or please retry after 1s, resets at Sat Dec 05 2026 17:21:00 GMT+0000",
            },
            429,
        )
    if path.startswith("/upload/"):
        return PlainTextResponse("Request was throttled.", 429, headers={"X-Throttle-Wait-Seconds": "1"})
    if path.startswith("/supabase/"):
        return JSONResponse({"message": "API rate limit exceeded"}, 429, headers={"Retry-After": "1"})
    return None


class Recorder:
    """Records every request (method, path, query, headers, body) in ``services.log``."""

    def __init__(self, app: Starlette, services: Services) -> None:
        self.app, self.services = app, services

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        chunks, more = [], True
        while more:
            message = await receive()
            chunks.append(message.get("body", b""))
            more = message.get("more_body", False)
        body = b"".join(chunks)
        self.services.log.append(
            {
                "method": scope["method"],
                "path": scope["path"],
                "query": scope["query_string"].decode(),
                "headers": {k.decode().lower(): v.decode() for k, v in scope["headers"]},
                "body": body.decode("utf-8", "replace"),
            }
        )
        prefix = next((p for p in self.services.throttle_once if scope["path"].startswith(p)), None)
        answer = throttled(scope["path"]) if prefix else None
        if prefix and answer is not None:
            self.services.throttle_once.discard(prefix)
            await answer(scope, receive, send)
            return
        sent = False

        async def replay() -> dict[str, Any]:
            nonlocal sent
            if sent:
                return {"type": "http.disconnect"}
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}

        await self.app(scope, replay, send)


@contextmanager
def running() -> Iterator[Services]:
    """The services on a free loopback port for the duration."""
    services = Services()
    config = uvicorn.Config(
        Recorder(build_app(services), services), host="127.0.0.1", port=0, log_level="warning", lifespan="off"
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        if not thread.is_alive():
            raise RuntimeError("the held-out services did not start")
        threading.Event().wait(0.02)
    port = server.servers[0].sockets[0].getsockname()[1]
    services.base = f"http://127.0.0.1:{port}"
    try:
        yield services
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def profile_env(services: Services, profile: str = "HELDOUT") -> dict[str, str]:
    """The production profile's variables (docs/enrichment.md), every system at its stand-in."""
    p = f"REGCTL_TARGET_{profile}_"
    return {
        f"{p}COMPANY_REGISTER_URL": services.url("/nzbn/gateway/nzbn/v5"),
        f"{p}COMPANY_REGISTER_KEY": data.NZBN_KEY,
        f"{p}EXTRACTION_API_URL": services.url("/firecrawl"),
        f"{p}EXTRACTION_API_KEY": data.FIRECRAWL_KEY,
        f"{p}IMAGE_CDN_URL": services.url("/upload"),
        f"{p}IMAGE_CDN_PUBLIC_KEY": data.UPLOADCARE_PUB_KEY,
        f"{p}IMAGE_CDN_FILES_URL": services.url("/ucarecdn"),
        f"{p}ONBOARDING_DB_URL": services.url("/supabase/rest/v1"),
        f"{p}ONBOARDING_DB_KEY": data.SUPABASE_SERVICE_KEY,
        f"{p}PLATFORM_API_URL": services.url("/cloudwaitress"),
        f"{p}PLATFORM_API_INTEGRATOR_ID": data.INTEGRATOR_ID,
        f"{p}PLATFORM_API_SECRET": data.INTEGRATOR_SECRET,
        f"{p}PLATFORM_API_ADMIN_CODE": data.ADMIN_CODE,
    }
