"""The sandbox's ASGI application: one port, routed first by Host, then by path.

Like the real systems, the admin portal and the hub each live at the root of their own host
(reference real-portal-pages.md §1.2: a path prefix breaks the ``**/<host>/restaurant/**`` waits):

Host ``admin.<domain>``    the admin portal: /login, / ("Dashboard"), /restaurant/RES…   regctl.sandbox.portal
Host ``manage.<domain>``   the marketing hub                                             regctl.sandbox.hub
Host ``<sub>.<domain>``    a restaurant's storefront (``https://<sub>.pumpd.co.nz``)   regctl.sandbox.portal
any other Host (127.0.0.1, localhost) — the APIs, by prefix:

/platform-api/…   platform registration API (CloudWaitress)      regctl.sandbox.api_platform
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
import ipaddress
from types import ModuleType

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Mount, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from regctl.sandbox import api_inspect, api_platform
from regctl.sandbox.faults import FaultSet
from regctl.sandbox.world import World

__all__ = ["DEFAULT_DOMAIN", "HOSTS", "PREFIXES", "HostRouter", "create_app", "host_system", "system_url"]

# The sandbox's default domain: Chromium resolves every *.localhost name to loopback by itself; for
# any other domain give the browser --host-resolver-rules="MAP *.<domain> 127.0.0.1:<port>".
DEFAULT_DOMAIN = "pumpd.localhost"
# system name → the first label of its host (the real admin.pumpd.co.nz / manage.pumpd.co.nz)
HOSTS = {"admin_portal": "admin", "marketing_hub": "manage"}

# system name → URL prefix on the API host (SandboxHandle.urls is built from this and HOSTS)
PREFIXES = {
    "platform_api": "/platform-api",
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


def system_url(api_url: str, system: str, domain: str = DEFAULT_DOMAIN) -> str:
    """The URL of ``system`` on a sandbox whose API base is ``api_url`` (``http://127.0.0.1:8765``)."""
    if system not in HOSTS:
        return api_url.rstrip("/") + PREFIXES[system]
    scheme, _, rest = api_url.partition("://")
    port = rest.rstrip("/").rpartition(":")[2]
    return f"{scheme}://{HOSTS[system]}.{domain}:{port}"


def _hostname(scope: Scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"host":
            host = value.decode("latin-1").lower()
            return str(host.rsplit(":", 1)[0] if not host.endswith("]") else host)
    return ""


def host_system(hostname: str) -> str:
    """Which system a Host serves: "admin_portal", "marketing_hub", "storefront" or "api"."""
    first, _, rest = hostname.partition(".")
    for system, label in HOSTS.items():
        if first == label and rest:
            return system
    try:
        ipaddress.ip_address(hostname.strip("[]"))
        return "api"
    except ValueError:
        return "storefront" if hostname.count(".") >= 2 else "api"


class HostRouter:
    """ASGI: dispatch a request to the app of the system its Host names (any domain works)."""

    def __init__(self, apps: dict[str, ASGIApp], world: World) -> None:
        self.apps = apps
        self.world = world

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.apps["api"](scope, receive, send)
            return
        system = host_system(_hostname(scope))
        await self.apps.get(system, self.apps["api"])(scope, receive, send)


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
    for system, module_name in _OWN_APIS.items():
        module = _optional(module_name)
        if module is not None:
            mounts.append(Mount(PREFIXES[system], routes=module.routes(world)))
    return mounts


def _site_apps(world: World) -> dict[str, ASGIApp]:
    """The apps served at the root of their own host (portal, hub, storefronts)."""
    apps: dict[str, ASGIApp] = {}
    for system, module_name in _PAGES.items():
        module = _optional(module_name)
        if module is not None:
            apps[system] = Starlette(routes=module.routes(world))
    portal = _optional(_PAGES["admin_portal"])
    if portal is not None and hasattr(portal, "storefront_routes"):
        apps["storefront"] = Starlette(routes=portal.storefront_routes(world))
    return apps


def create_app(world: World | None = None, faults: FaultSet | None = None) -> HostRouter:
    """The app over ``world`` (a fresh fixture world when None); ``faults`` replaces the world's."""
    world = world if world is not None else World(faults=faults)
    if faults is not None:
        world.faults = faults

    async def index(request: Request) -> Response:
        base = str(request.base_url).rstrip("/")
        urls = {k: system_url(base, k) for k in (*PREFIXES, *HOSTS)}
        return JSONResponse({"sandbox": "regctl", "urls": urls})

    api = Starlette(routes=[Route("/", index, methods=["GET"]), *_mounts(world)])
    api.state.world = world
    return HostRouter({"api": api, **_site_apps(world)}, world)
