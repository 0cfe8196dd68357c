"""The sandbox marketing hub (manage.pumpd.co.nz), mounted at ``/hub`` (reference §1 steps 2 and 3).

Login (``#email`` / ``#password``, a yellow submit), the "Ordering Page" code generator (two
``input.font-mono.text-sm`` colours, ``#light-mode``, Presets → "Interactive Showcase", component
toggles ``#<group>-<key>``, head/body code in ``#content-head`` / ``#content-body`` ``pre code``) and
"Super Admin" → "Add User". The generator's code is computed server-side on every change and the
latest configuration per session is kept in ``PortalState.code_configs``.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from regctl.sandbox.portal_state import CodeConfig, PortalWorld
from regctl.sandbox.portal_web import WebContext, form_text, redirect

__all__ = ["COMPONENTS", "PRESETS", "generate_code", "routes"]

COMPONENTS: tuple[tuple[str, str, tuple[tuple[str, str], ...]], ...] = (
    ("serviceChoiceStyles", "Service Choice Styles",
     (("service-minimal", "Minimal"), ("service-comprehensive", "Comprehensive"))),
    ("priceTagEnhancements", "Price Tag Enhancements",
     (("price-tag-gradient", "Gradient"), ("price-tag-single-color", "Single Colour"))),
    ("navBarTextEffects", "Nav Bar Text Effects",
     (("logo-gradient", "Logo Gradient"), ("text-glow", "Text Glow"), ("glow", "Glow"))),
    ("welcomeMessages", "Welcome Messages",
     (("welcome-greeting-basic", "Basic Greeting"), ("welcome-greeting-animated", "Animated Greeting"))),
)
PRESETS: dict[str, list[str]] = {
    "Interactive Showcase": ["serviceChoiceStyles-service-minimal", "priceTagEnhancements-price-tag-gradient",
                             "navBarTextEffects-logo-gradient", "navBarTextEffects-text-glow",
                             "navBarTextEffects-glow", "welcomeMessages-welcome-greeting-basic"],
    "Minimal": [],
}
ROLES = ("New Sign Up", "Restaurant Owner", "Staff", "Admin", "Super Admin")
ORGANISATIONS = ("None", "Pumpd NZ", "Pumpd AU")
HEX = re.compile(r"^#[0-9a-fA-F]{6}$")


def generate_code(config: dict[str, Any]) -> tuple[str, str]:
    """Head and body code for a generator configuration (deterministic; plain text, no secrets)."""
    primary, secondary = str(config["primary"]), str(config["secondary"])
    on = sorted(key for key, value in dict(config.get("components", {})).items() if value)
    gradients = not config.get("remove_gradient")
    mode = "light" if config.get("light_mode") else "dark"
    accent = f"linear-gradient(90deg, {primary}, {secondary})" if gradients else primary
    head = "\n".join([
        f"<!-- Ordering page: {config.get('preset') or 'Custom'} ({mode} mode) -->",
        "<style>",
        f":root {{ --op-primary: {primary}; --op-secondary: {secondary}; --op-mode: {mode}; }}",
        *(f".op-{key} {{ background: {accent}; }}" for key in on),
        "</style>",
    ])
    payload = {"mode": mode, "components": on, "gradients": gradients}
    greeting = ""
    if "welcomeMessages-welcome-greeting-basic" in on:
        name = html.escape(str(config.get("restaurant_name", "")))
        greeting = f"\n<div class=\"op-welcome\">Welcome to {name}</div>"
    body = f"<script>window.orderingPage = {json.dumps(payload)};</script>{greeting}"
    return head, body


class Hub(WebContext):
    def __init__(self, world: PortalWorld) -> None:
        super().__init__(world, "hub")
        self._latest: dict[str, CodeConfig] = {}

    async def login_page(self, request: Request) -> Response:
        await self.enter("login")
        return self.render(request, "hub_login.html")

    async def login(self, request: Request) -> Response:
        await self.enter("login")
        form = await request.form()
        email = form_text(form, "email")
        if not self.state.check_hub_login(email, str(form.get("password", ""))):
            return self.render(request, "hub_login.html", status=401, typed_email=email,
                               error="Invalid login credentials")
        response = redirect(request, "/")
        self.sessions.start(email, response, str(request.scope.get("root_path", "")) or "/")
        self.audit(request, f"login {email.lower()}")
        return response

    async def home(self, request: Request) -> Response:
        email = self.sessions.email(request)
        if email is None:
            return redirect(request, "/login")
        return self.render(request, "hub_home.html", email=email)

    async def ordering_page(self, request: Request) -> Response:
        email = self.sessions.email(request)
        if email is None:
            return redirect(request, "/login")
        await self.enter("ordering_page")
        return self.render(request, "hub_ordering.html", email=email, components=COMPONENTS,
                           presets=list(PRESETS), preset_defaults=PRESETS)

    async def generate(self, request: Request) -> Response:
        email = self.sessions.email(request)
        if email is None:
            return JSONResponse({"error": "Not signed in"}, status_code=401)
        config = await request.json()
        bad = [name for name in ("primary", "secondary") if not HEX.match(str(config.get(name, "")))]
        if bad:
            return JSONResponse({"error": f"Invalid colour: {', '.join(bad)} must look like #1a2b3c"})
        head, body = generate_code(config)
        self.remember(request, config, head, body)
        return JSONResponse({"head": head, "body": body})

    def remember(self, request: Request, config: dict[str, Any], head: str, body: str) -> None:
        """Keep the session's latest configuration (one entry per session, replaced in place)."""
        entry = CodeConfig(
            primary_colour=str(config["primary"]), secondary_colour=str(config["secondary"]),
            light_mode=bool(config.get("light_mode")), preset=str(config.get("preset", "")),
            components={str(k): bool(v) for k, v in dict(config.get("components", {})).items()},
            restaurant_name=str(config.get("restaurant_name", "")), head_code=head, body_code=body)
        token = request.cookies.get(self.sessions.cookie, "")
        configs = self.state.code_configs
        previous = self._latest.get(token)
        index = next((i for i, c in enumerate(configs) if c is previous), None)
        if index is None:
            configs.append(entry)
        else:
            configs[index] = entry
        self._latest[token] = entry

    async def super_admin(self, request: Request, error: str = "", status: int = 200) -> Response:
        email = self.sessions.email(request)
        if email is None:
            return redirect(request, "/login")
        await self.enter("super_admin")
        return self.render(request, "hub_super_admin.html", status=status, email=email, error=error,
                           users=self.state.hub_users, roles=ROLES, organisations=ORGANISATIONS,
                           notice=request.query_params.get("created"))

    async def add_user(self, request: Request) -> Response:
        if self.sessions.email(request) is None:
            return redirect(request, "/login")
        form = await request.form()
        name, email = form_text(form, "name"), form_text(form, "email")
        password = str(form.get("password", ""))
        error = _user_error(name, email, password) or (
            "A user with this email already exists" if self.state.hub_user(email) else "")
        if error:
            return await self.super_admin(request, error=error, status=400)
        self.state.add_hub_user(name, email, password, form_text(form, "role") or "New Sign Up",
                                form_text(form, "organisation") or "None")
        mirror = getattr(self.world, "create_onboarding_user", None)
        if callable(mirror):
            mirror(name, email)
        self.audit(request, f"add user {email.lower()}")
        return redirect(request, f"/super-admin?created={email}")


def _user_error(name: str, email: str, password: str) -> str:
    if not name:
        return "Name is required"
    if "@" not in email:
        return f"Email {email!r} is not a valid email address"
    return "" if len(password) >= 8 else "Password must be at least 8 characters"


def routes(world: PortalWorld) -> list[BaseRoute]:
    """The hub's routes, to be mounted at ``/hub`` by the sandbox app."""
    hub = Hub(world)
    return [
        Route("/login", hub.login_page, methods=["GET"]),
        Route("/login", hub.login, methods=["POST"]),
        Route("/", hub.home, methods=["GET"]),
        Route("/ordering-page", hub.ordering_page, methods=["GET"]),
        Route("/api/generate", hub.generate, methods=["POST"]),
        Route("/super-admin", hub.super_admin, methods=["GET"]),
        Route("/super-admin/users", hub.add_user, methods=["POST"]),
    ]
