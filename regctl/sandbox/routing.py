"""Shared plumbing of the sandbox APIs: fault-guarded routes and each system's error shape.

Every API endpoint has a name (``<system>.<endpoint>``, e.g. ``nzbn.search``) used by fault files.
:func:`api_route` wraps a handler so that, before it runs, the endpoint's fault (if any) is rolled:
a delay, a 5xx or 429 in that system's own error shape, or a connection dropped mid-response.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from starlette.types import Receive, Scope, Send

from regctl.sandbox.faults import FaultAction
from regctl.sandbox.world import World

__all__ = ["DroppedConnection", "api_route", "error_response", "read_json"]

Handler = Callable[[Request, World], Awaitable[Response]]


class DroppedConnection(Exception):  # a fault, raised on purpose
    """Raised after a partial response so the server closes the connection (a 'dropped connection')."""


class _DropResponse(Response):
    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        await send(
            {
                "type": "http.response.start",
                "status": 200,
                "headers": [(b"content-type", b"application/json"), (b"content-length", b"4096")],
            }
        )
        await send({"type": "http.response.body", "body": b'{"partial": ', "more_body": True})
        raise DroppedConnection("sandbox fault: connection dropped")


# Firecrawl's 429 text (its rate-limit middleware): the only place the wait is given.
FIRECRAWL_429 = ("Rate limit exceeded. Consumed (req/min): 11, Remaining (req/min): 0. Upgrade your plan at "
                 "https://firecrawl.dev/pricing for increased rate limits or please retry after {wait}s, "
                 "resets at Sat Dec 05 2026 16:20:00 GMT+0000")


def error_response(system: str, status: int, message: str, retry_after: float | None = None) -> Response:
    """An error in the wire format of ``system`` (what the real service answers).

    A 429's wait travels the service's own way: Uploadcare's ``X-Throttle-Wait-Seconds`` header,
    Firecrawl's error text ("please retry after 47s"), ``Retry-After`` elsewhere.
    """
    headers = {"Retry-After": f"{retry_after:g}"} if retry_after is not None else None
    if status == 429 and retry_after is not None and system in ("cdn", "firecrawl"):
        headers = {"X-Throttle-Wait-Seconds": f"{retry_after:g}"} if system == "cdn" else None
        if system == "firecrawl":
            message = FIRECRAWL_429.format(wait=f"{retry_after:g}")
    if system == "platform":
        return JSONResponse({"outcome": 1, "message": message}, status, headers=headers)
    if system == "nzbn":
        return JSONResponse({"statusCode": status, "message": message}, status, headers=headers)
    if system == "firecrawl":
        return JSONResponse({"success": False, "error": message}, status, headers=headers)
    if system == "onboarding":
        return JSONResponse(
            {"code": str(status), "message": message, "details": None, "hint": None}, status, headers=headers
        )
    return PlainTextResponse(message, status, headers=headers)


FAULT_MESSAGES = {
    429: "Rate limit exceeded. Try again later.",
    500: "Internal server error",
    502: "Bad gateway",
    503: "Service temporarily unavailable",
    504: "Gateway timeout",
}


async def apply_fault(system: str, action: FaultAction) -> Response | None:
    """Sleep the fault's latency; return the response that replaces the real one, if any."""
    if action.delay_s:
        await asyncio.sleep(action.delay_s)
    if action.drop:
        return _DropResponse()
    if action.status is not None:
        message = FAULT_MESSAGES.get(action.status, "Server error")
        return error_response(system, action.status, message, action.retry_after)
    return None


def api_route(world: World, name: str, path: str, handler: Handler, methods: list[str]) -> Route:
    """A route whose handler gets ``(request, world)`` and honours the faults for ``name``."""
    system = name.split(".", 1)[0]

    async def endpoint(request: Request) -> Response:
        world.note_call(name)
        faulted = await apply_fault(system, world.faults.decide(name))
        if faulted is not None:
            return faulted
        return await handler(request, world)

    return Route(path, endpoint, methods=methods, name=name)


async def read_json(request: Request) -> Any:
    """The request body as JSON, or None when it is not JSON."""
    try:
        return json.loads(await request.body() or b"null")
    except ValueError:
        return None
