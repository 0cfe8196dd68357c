"""The company register (NZBN API v5 shapes), under ``/nzbn/v5``.

``GET /entities?search-term=…`` searches names (and trading names); the API has no address search (that
is the Companies Office website's ``addressKeyword``, served by the extraction API's register pages).
A query parameter the API does not define is refused with 400 in the API's ``{errorCode,
errorDescription}`` shape (docs/sandbox.md, "Strictness"). ``entity-status`` (codes like ``50`` or
words like ``Registered``, comma-separated),
``page`` (0-based) and ``page-size`` (default 50, max 1000) work as in the real API.
``GET /entities/{nzbn}`` is the full entity, ``GET /entities/{nzbn}/roles`` its roles (an array).
Every call needs the ``Ocp-Apim-Subscription-Key``
header (or ``subscription-key`` query parameter), answering 401 in Azure API Management's words.
"""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox import credentials
from regctl.sandbox.register import entity_json, search, search_page_json
from regctl.sandbox.routing import api_route, error_response
from regctl.sandbox.world import World

__all__ = ["routes"]

MISSING_KEY = (
    "Access denied due to missing subscription key. Make sure to include subscription key "
    "when making requests to an API."
)
INVALID_KEY = (
    "Access denied due to invalid subscription key. Make sure to provide a valid key for an "
    "active subscription."
)


def _auth_problem(request: Request) -> Response | None:
    key = request.headers.get("Ocp-Apim-Subscription-Key") or request.query_params.get("subscription-key")
    if not key:
        return error_response("nzbn", 401, MISSING_KEY)
    if key != credentials.NZBN_SUBSCRIPTION_KEY:
        return error_response("nzbn", 401, INVALID_KEY)
    return None


SEARCH_PARAMS = frozenset({"search-term", "entity-status", "entity-type", "industry-code", "page",
                           "page-size", "sort-by", "sort-order", "subscription-key"})
ENTITY_PARAMS = frozenset({"subscription-key"})


def _validation_error(description: str, code: str = "ValidationError") -> Response:
    """NZBN API v5's own error body (``Error`` in its definition): ``{errorCode, errorDescription}``."""
    return JSONResponse({"errorCode": code, "errorDescription": description}, 400)


def _unknown_param(request: Request, allowed: frozenset[str]) -> Response | None:
    unknown = sorted(set(request.query_params) - allowed)
    return _validation_error(f"Unknown query parameter: {unknown[0]}") if unknown else None


def _int_param(request: Request, name: str, default: int, low: int, high: int) -> int | None:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


async def search_entities(request: Request, world: World) -> Response:
    denied = _auth_problem(request)
    if denied is not None:
        return denied
    unknown = _unknown_param(request, SEARCH_PARAMS)
    if unknown is not None:
        return unknown
    term = request.query_params.get("search-term", "").strip()
    if not term:
        return _validation_error("search-term is required")
    page = _int_param(request, "page", 0, 0, 10_000)
    size = _int_param(request, "page-size", 50, 1, 1000)
    if page is None or size is None:
        return _validation_error("page must be >= 0 and page-size between 1 and 1000")
    raw_status = request.query_params.get("entity-status", "")
    statuses = {s.strip().upper() for s in raw_status.split(",") if s.strip()} or None
    found = search(world.companies, term=term, statuses=statuses)
    return JSONResponse(search_page_json(found, page, size))


def _entity(request: Request, world: World) -> Response | dict[str, Any]:
    """The entity at ``/entities/{nzbn}`` as JSON, or the problem response (auth, parameter, 404)."""
    denied = _auth_problem(request)
    if denied is not None:
        return denied
    unknown = _unknown_param(request, ENTITY_PARAMS)
    if unknown is not None:
        return unknown
    nzbn = request.path_params["nzbn"]
    company = world.company_by_nzbn(nzbn)
    if company is None or company.nzbn != nzbn:
        body = {"errorCode": "NotFound", "errorDescription": f"No entity found for NZBN {nzbn}"}
        return JSONResponse(body, 404)
    return entity_json(company)


async def get_entity(request: Request, world: World) -> Response:
    entity = _entity(request, world)
    return entity if isinstance(entity, Response) else JSONResponse(entity)


async def get_roles(request: Request, world: World) -> Response:
    """``GET /entities/{nzbn}/roles``: the entity's roles as a JSON array (nzbn-ruby's
    ``Roles#list``; a v5 integration guide reads directors here)."""
    entity = _entity(request, world)
    return entity if isinstance(entity, Response) else JSONResponse(entity.get("roles") or [])


def routes(world: World) -> list[BaseRoute]:
    return [
        api_route(world, "nzbn.search", "/entities", search_entities, ["GET"]),
        api_route(world, "nzbn.roles", "/entities/{nzbn}/roles", get_roles, ["GET"]),
        api_route(world, "nzbn.entity", "/entities/{nzbn}", get_entity, ["GET"]),
    ]
