"""Inspection and control of the sandbox itself, under ``/_sandbox`` (never faulted, never audited).

``GET /state`` everything as JSON; ``GET /audit`` every mutating call in order (``?since=N`` for
entries after sequence number N); ``POST /reset``; ``GET /health``; ``GET /calls?name=nzbn.search``
(when each API endpoint was called, for rate-limit checks); ``GET /faults`` and ``PUT /faults``
(a fault document as JSON, replacing the active faults; ``{}`` lifts them all).
"""

from __future__ import annotations

import time

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from regctl.errors import UsageError
from regctl.sandbox.faults import faults_from_dict
from regctl.sandbox.routing import read_json
from regctl.sandbox.world import World

__all__ = ["routes"]


def routes(world: World) -> list[BaseRoute]:
    async def state(request: Request) -> Response:
        return JSONResponse(world.to_json())

    async def audit(request: Request) -> Response:
        since = int(request.query_params.get("since", "0") or 0)
        return JSONResponse([e for e in world.audit_json() if e["seq"] > since])

    async def calls(request: Request) -> Response:
        name = request.query_params.get("name")
        return JSONResponse([{"name": n, "time": t} for n, t in world.calls if name in (None, n)])

    async def reset(request: Request) -> Response:
        world.reset()
        return JSONResponse({"ok": True})

    async def health(request: Request) -> Response:
        return JSONResponse(
            {
                "ok": True,
                "uptime_s": round(time.time() - world.started_at, 3),
                "restaurants": len(world.restaurants),
            }
        )

    async def faults(request: Request) -> Response:
        if request.method == "PUT":
            body = await read_json(request)
            try:
                new = faults_from_dict(
                    body,
                    seed=world.faults.seed if "seed" not in (body or {}) else None,
                    where="PUT /_sandbox/faults",
                )
            except UsageError as exc:
                return JSONResponse({"error": str(exc)}, 400)
            world.faults.specs = new.specs
            world.faults.seed = new.seed
            world.faults.reset_counters()
        return JSONResponse(world.faults.to_json())

    return [
        Route("/state", state, methods=["GET"]),
        Route("/audit", audit, methods=["GET"]),
        Route("/calls", calls, methods=["GET"]),
        Route("/reset", reset, methods=["POST"]),
        Route("/health", health, methods=["GET"]),
        Route("/faults", faults, methods=["GET", "PUT"]),
    ]
