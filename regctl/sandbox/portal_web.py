"""Plumbing shared by the portal and hub routes: templates, sessions, page faults, audit, uploads.

Kept apart from the pages so each page module reads as "what the real page does".
"""

from __future__ import annotations

import asyncio
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from regctl.sandbox.portal_state import PortalState, PortalWorld

__all__ = [
    "PageFaults",
    "Sessions",
    "WebContext",
    "base_path",
    "form_bool",
    "form_file",
    "form_float",
    "form_int",
    "form_text",
    "page_faults",
    "redirect",
    "store_upload",
]

TEMPLATES = Path(__file__).parent / "templates"
_env = Environment(loader=FileSystemLoader(TEMPLATES), autoescape=select_autoescape(["html"]))

# How long the dashboard's .cover-loader stays .active (the real portal's spinner), in ms.
LOADER_MS = 700


@dataclass(frozen=True)
class PageFaults:
    """Faults active for one page request: kinds by name, latency, and the import failure text."""

    kinds: frozenset[str] = frozenset()
    latency_s: float = 0.0
    message: str = ""

    def has(self, kind: str) -> bool:
        return kind in self.kinds


def page_faults(world: PortalWorld, page: str) -> PageFaults:
    """Faults the World's plan fires for ``page`` now (a regctl.sandbox.faults.FaultSpec or None).

    Read by attribute so the portal needs nothing from the fault module but its field names.
    """
    active = getattr(getattr(world, "faults", None), "active", None)
    spec = active(page) if callable(active) else None
    if spec is None:
        return PageFaults()
    kinds = frozenset(k for k in ("loader_never_clears", "csv_import_fails") if getattr(spec, k, False))
    latency_ms = getattr(spec, "latency_ms", 0.0)
    return PageFaults(kinds, float(latency_ms) / 1000.0 if isinstance(latency_ms, int | float) else 0.0,
                      str(getattr(spec, "csv_import_message", "") or ""))


class Sessions:
    """Cookie token → logged-in e-mail, kept in PortalState so a reset logs everyone out."""

    def __init__(self, cookie: str, state: Callable[[], PortalState]) -> None:
        self.cookie = cookie  # one cookie per system, so portal and hub sessions stay apart
        self._state = state

    def start(self, email: str, response: Response, path: str) -> None:
        token = secrets.token_urlsafe(16)
        self._state().sessions[f"{self.cookie}:{token}"] = email.lower()
        response.set_cookie(self.cookie, token, path=path or "/", httponly=True, samesite="lax")

    def email(self, request: Request) -> str | None:
        token = request.cookies.get(self.cookie, "")
        return self._state().sessions.get(f"{self.cookie}:{token}")


class WebContext:
    """Everything a page handler needs: the world, its portal state, sessions, templates."""

    def __init__(self, world: PortalWorld, system: str) -> None:
        self.world = world
        self.system = system  # "portal" or "hub": audit system name and fault prefix
        self.sessions = Sessions(f"{system}_session", lambda: self.world.portal)

    @property
    def state(self) -> PortalState:
        return self.world.portal

    async def enter(self, page: str) -> PageFaults:
        """Consult the page's faults and apply its latency."""
        faults = page_faults(self.world, f"{self.system}.{page}")
        if faults.latency_s > 0:
            await asyncio.sleep(faults.latency_s)
        return faults

    def audit(self, request: Request, summary: str) -> None:
        record = getattr(self.world, "audit", None)
        if callable(record):
            record(self.system, request.method, request.url.path, summary)

    def render(self, request: Request, template: str, status: int = 200, **context: Any) -> HTMLResponse:
        html = _env.get_template(template).render(base=base_path(request), **context)
        return HTMLResponse(html, status_code=status)


def base_path(request: Request) -> str:
    """Where this app is mounted (``/admin`` or ``/hub``), so links work under any mount."""
    return str(request.scope.get("root_path", "")).rstrip("/")


def redirect(request: Request, path: str) -> RedirectResponse:
    return RedirectResponse(base_path(request) + path, status_code=303)


def form_bool(form: FormData, name: str) -> bool:
    return str(form.get(name, "")).lower() in {"on", "true", "1", "yes"}


def form_int(form: FormData, name: str, default: int = 0) -> int:
    raw = str(form.get(name, "") or "").strip()
    return int(raw) if raw.lstrip("-").isdigit() else default


def form_float(form: FormData, name: str, default: float = 0.0) -> float:
    try:
        return float(str(form.get(name, "") or "").strip())
    except ValueError:
        return default


def form_text(form: FormData, name: str) -> str:
    value = form.get(name, "")
    return value.strip() if isinstance(value, str) else ""


def form_file(form: FormData, name: str) -> UploadFile | None:
    value = form.get(name)
    return value if isinstance(value, UploadFile) and value.filename else None


async def store_upload(state: PortalState, upload: UploadFile) -> str:
    """Keep an uploaded image (served back at ``/uploads/<id>/<name>``); returns ``<id>/<name>``."""
    file_id = secrets.token_hex(8)
    name = Path(upload.filename or "file").name
    state.uploads[file_id] = (name, upload.content_type or "application/octet-stream", await upload.read())
    return f"{file_id}/{name}"
