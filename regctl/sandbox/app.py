"""The sandbox's Starlette application: every external system under its own prefix on one port.

/platform-api/…   platform registration API (CloudWaitress)      regctl.sandbox.api_platform
/admin/…          admin portal pages                              regctl.sandbox.portal (when present)
/hub/…            marketing hub pages                             regctl.sandbox.hub (when present)
/nzbn/v5/…        company register (NZBN API v5)                  regctl.sandbox.api_nzbn
/firecrawl/v2/…   extraction API (Firecrawl v2)                   regctl.sandbox.api_firecrawl
/sites/<slug>/…   restaurant websites                             regctl.sandbox.api_sites
/cdn/…            image CDN upload API (Uploadcare)               regctl.sandbox.api_cdn
/ucarecdn/…       image CDN file host (ucarecdn.com)               regctl.sandbox.api_ucarecdn
/onboarding/…     onboarding database (Supabase PostgREST)        regctl.sandbox.api_onboarding
/_sandbox/…       state, audit, reset, health, faults             regctl.sandbox.api_inspect
"""

from __future__ import annotations

import importlib
from types import ModuleType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route

from regctl.sandbox import api_inspect, api_platform
from regctl.sandbox.faults import FaultSet
from regctl.sandbox.world import World

__all__ = ["PREFIXES", "create_app"]

# system name → URL prefix (SandboxHandle.urls is built from this)
PREFIXES = {
    "platform_api": "/platform-api",
    "admin_portal": "/admin",
    "marketing_hub": "/hub",
    "company_register": "/nzbn/v5",
    "extraction_api": "/firecrawl",
    "websites": "/sites",
    "image_cdn": "/cdn",
    "image_cdn_files": "/ucarecdn",
    "onboarding_db": "/onboarding",
    "sandbox": "/_sandbox",
}

_OWN_APIS = {
    "company_register": "regctl.sandbox.api_nzbn",
    "extraction_api": "regctl.sandbox.api_firecrawl",
    "websites": "regctl.sandbox.api_sites",
    "image_cdn": "regctl.sandbox.api_cdn",
    "image_cdn_files": "regctl.sandbox.api_ucarecdn",
    "onboarding_db": "regctl.sandbox.api_onboarding",
}
_PAGES = {"admin_portal": "regctl.sandbox.portal", "marketing_hub": "regctl.sandbox.hub"}


def _optional(module: str) -> ModuleType | None:
    """Import a module that may not exist yet (the portal pages land separately)."""
    try:
        return importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name == module:
            return None
        raise


def _mounts(world: World) -> list[BaseRoute]:
    mounts: list[BaseRoute] = [
        Mount(PREFIXES["platform_api"], routes=api_platform.routes(world)),
        Mount(PREFIXES["sandbox"], routes=api_inspect.routes(world)),
    ]
    for system, module_name in {**_OWN_APIS, **_PAGES}.items():
        module = _optional(module_name)
        if module is not None:
            mounts.append(Mount(PREFIXES[system], routes=module.routes(world)))
    return mounts


def create_app(world: World | None = None, faults: FaultSet | None = None) -> Starlette:
    """The app over ``world`` (a fresh fixture world when None); ``faults`` replaces the world's."""
    world = world if world is not None else World(faults=faults)
    if faults is not None:
        world.faults = faults

    async def index(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        return JSONResponse({"sandbox": "regctl", "urls": {k: base + v for k, v in PREFIXES.items()}})

    app = Starlette(routes=[Route("/", index, methods=["GET"]), *_mounts(world)])
    app.state.world = world
    return app
