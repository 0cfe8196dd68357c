"""The onboarding database's REST API (Supabase PostgREST shapes), under ``/onboarding/rest/v1``.

``POST /rpc/get_onboarding_id_by_email`` ``{"user_email": …}`` → the function's table as JSON rows
``[{"onboarding_id", "user_id", "email", "name", "onboarding_status", "created_at"}]`` (``[]`` when there is
no record); any other argument name is PostgREST's 404 ``PGRST202`` (no such function signature).
``PATCH /user_onboarding?id=eq.<id>`` with a JSON
object → 204, or 200 with the updated rows under ``Prefer: return=representation``.
``GET /user_onboarding?id=eq.<id>`` or ``?email=eq.<email>`` → matching rows. Every call needs the
``apikey`` header (``Authorization: Bearer`` alone is not enough, as on Supabase).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox import credentials
from regctl.sandbox.onboarding_db import COLUMNS, UnknownColumn
from regctl.sandbox.routing import api_route, read_json
from regctl.sandbox.world import World

__all__ = ["routes"]


def _pgrst(status: int, code: str, message: str, hint: str | None = None) -> Response:
    return JSONResponse({"code": code, "details": None, "hint": hint, "message": message}, status)


def _auth_problem(request: Request) -> Response | None:
    key = request.headers.get("apikey") or request.query_params.get("apikey")
    if not key:
        return JSONResponse(
            {
                "message": "No API key found in request",
                "hint": "No `apikey` request header or url param was found.",
            },
            401,
        )
    if key != credentials.ONBOARDING_API_KEY:
        return JSONResponse(
            {
                "message": "Invalid API key",
                "hint": "Double check your Supabase `anon` or `service_role` API key.",
            },
            401,
        )
    return None


RESERVED_PARAMS = frozenset({"select", "order", "limit", "offset", "columns"})


def _filter_problem(request: Request) -> Response | None:
    """PostgREST reads every other query parameter as a column filter ``<column>=<op>.<value>``."""
    for name, value in request.query_params.items():
        if name in RESERVED_PARAMS:
            continue
        if name not in COLUMNS:
            return _pgrst(400, "42703", f"column user_onboarding.{name} does not exist")
        if not value.startswith("eq."):  # the only operator regctl uses; PostgREST has more
            return _pgrst(400, "PGRST100", f'"failed to parse filter ({value})" (line 1, column 1)',
                          "the sandbox implements the eq. operator only")
    return None


def _eq_filter(request: Request, column: str) -> str | None:
    raw = request.query_params.get(column)
    return raw[3:] if raw and raw.startswith("eq.") else None


async def rpc_id_by_email(request: Request, world: World) -> Response:
    denied = _auth_problem(request)
    if denied is not None:
        return denied
    body = await read_json(request)
    if not isinstance(body, dict):
        return _pgrst(400, "PGRST102", "Empty or invalid json")
    if set(body) != {"user_email"}:
        return _no_function(sorted(body))
    return JSONResponse(world.onboarding.rpc_rows(str(body["user_email"] or "")))


def _no_function(arguments: list[str]) -> Response:
    """PostgREST 12's answer to an RPC called with argument names the function does not take."""
    named = ", ".join(arguments)
    searched = f"with parameters {named}" if len(arguments) > 1 else f"with parameter {named}"
    return JSONResponse({
        "code": "PGRST202",
        "details": f"Searched for the function public.get_onboarding_id_by_email {searched} or with a single "
                   "unnamed json/jsonb parameter, but no matches were found in the schema cache.",
        "hint": "Perhaps you meant to call the function public.get_onboarding_id_by_email(user_email)",
        "message": f"Could not find the function public.get_onboarding_id_by_email({named}) "
                   "in the schema cache",
    }, 404)


async def patch_row(request: Request, world: World) -> Response:
    denied = _auth_problem(request)
    if denied is not None:
        return denied
    bad_filter = _filter_problem(request)
    if bad_filter is not None:
        return bad_filter
    row_id = _eq_filter(request, "id")
    if row_id is None:
        return _pgrst(400, "21000", "UPDATE requires a WHERE clause")
    body = await read_json(request)
    if not isinstance(body, dict):
        return _pgrst(400, "PGRST102", "Empty or invalid json")
    try:
        rows = world.onboarding.patch(row_id, body)
    except UnknownColumn as exc:
        return _pgrst(
            400,
            "PGRST204",
            f"Could not find the '{exc.column}' column of 'user_onboarding' in the schema cache",
        )
    world.audit(
        "onboarding",
        "PATCH",
        request.url.path,
        f"user_onboarding id={row_id} rows={len(rows)} fields={','.join(sorted(body))}",
    )
    if "return=representation" in request.headers.get("Prefer", ""):
        return JSONResponse(rows)
    return Response(status_code=204)


async def select_rows(request: Request, world: World) -> Response:
    denied = _auth_problem(request)
    if denied is not None:
        return denied
    bad_filter = _filter_problem(request)
    if bad_filter is not None:
        return bad_filter
    row_id, email = _eq_filter(request, "id"), _eq_filter(request, "email")
    rows = [
        row
        for row in world.onboarding.to_json()
        if (row_id is None or row["id"] == row_id)
        and (email is None or str(row["email"]).lower() == email.lower())
    ]
    return JSONResponse(rows)


def routes(world: World) -> list[BaseRoute]:
    return [
        api_route(
            world, "onboarding.rpc", "/rest/v1/rpc/get_onboarding_id_by_email", rpc_id_by_email, ["POST"]
        ),
        api_route(world, "onboarding.patch", "/rest/v1/user_onboarding", patch_row, ["PATCH"]),
        api_route(world, "onboarding.select", "/rest/v1/user_onboarding", select_rows, ["GET"]),
    ]
