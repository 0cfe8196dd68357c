"""The sandbox marketing hub ("Pump'd Marketing Hub", manage.pumpd.co.nz) at the root of its host (§17).

A single-page app: ``/`` shows the login (a Radix Tabs panel ``radix-:r0:-content-login`` with
``#email``, ``#password`` and the yellow shadcn button) until signed in, then the app — a sidebar
``nav`` of buttons (Dashboard, SMS Campaigns, Restaurants, Ordering Page, Super Admin) switching
views client-side, the account button with its role badge outside the nav. Super Admin → "Add User"
is a Radix dialog saved with ``fetch``; the Ordering Page is the code generator (Radix tabs Presets /
Components / Head / Body, Radix checkboxes with the real option ids). The generator's code is
computed server-side on every change and the latest configuration per session is kept in
``PortalState.code_configs``. Deep links (``/super-admin``, ``/ordering-page``) open that view.
"""

from __future__ import annotations

import html
import json
import re
from typing import Any

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from regctl.sandbox.portal_state import HUB_ADMIN_EMAIL, CodeConfig, PortalWorld
from regctl.sandbox.portal_web import WebContext
from regctl.sandbox.routing import read_json

__all__ = ["COMPONENTS", "COMPONENT_CATEGORIES", "PRESETS", "PRESET_CATEGORIES", "VIEWS", "generate_code",
           "routes"]

Options = tuple[tuple[str, str], ...]
Card = tuple[str, str, Options]
# [P] §17.3 OP:247-391: card (C, K) = category C, card K. C=5 K=2 Service Choice Styles; C=6 K=1..3
# Price Tag Enhancements, Nav Bar Text Effects, Welcome Messages; option ids as OP:267-399. The other
# categories and cards are [I] fillers so those positions hold.
COMPONENT_CATEGORIES: tuple[tuple[str, tuple[Card, ...]], ...] = (
    ("Layout", (("heroBanner", "Hero Banner", (("hero-simple", "Simple Hero"),)),)),
    ("Typography", (("headingStyles", "Heading Styles", (("heading-bold", "Bold Headings"),)),)),
    ("Menu", (("menuCards", "Menu Card Styles", (("menu-card-shadow", "Card Shadows"),)),)),
    ("Checkout", (("checkoutBanner", "Checkout Banner", (("checkout-trust", "Trust Badges"),)),)),
    ("Services", (("serviceIcons", "Service Icons", (("service-icons-outline", "Outline Icons"),)),
                  ("serviceChoiceStyles", "Service Choice Styles",
                   (("service-minimal", "Minimal"), ("service-comprehensive", "Comprehensive"))))),
    ("Branding", (("priceTagEnhancements", "Price Tag Enhancements",
                   (("price-tag-gradient", "Gradient"), ("price-tag-single-color", "Single Colour"))),
                  ("navBarTextEffects", "Nav Bar Text Effects",
                   (("nav-logo-gradient", "Logo Gradient"), ("nav-logo-text-glow", "Logo Text Glow"),
                    ("nav-logo-glow", "Logo Glow"))),
                  ("welcomeMessages", "Welcome Messages",
                   (("welcome-greeting-basic", "Time-based Greeting"),
                    ("welcome-greeting-animated", "Animated Greeting"))))),
)
COMPONENTS: tuple[Card, ...] = tuple(card for _, cards in COMPONENT_CATEGORIES for card in cards)
# [P] §17.3 OP:176-221: "Interactive Showcase" is the 2nd preset card of the 3rd category.
PRESET_CATEGORIES = (("Essentials", ("Classic", "Clean")), ("Bold", ("Vibrant", "High Contrast")),
                     ("Interactive", ("Modern Minimal", "Interactive Showcase")))
PRESETS: dict[str, list[str]] = {name: [] for _, names in PRESET_CATEGORIES for name in names}
PRESETS["Interactive Showcase"] = [  # nav effects ticked by default (OP:341-358 unticks them)
    "serviceChoiceStyles-service-minimal", "priceTagEnhancements-price-tag-gradient",
    "navBarTextEffects-nav-logo-gradient", "navBarTextEffects-nav-logo-text-glow",
    "navBarTextEffects-nav-logo-glow", "welcomeMessages-welcome-greeting-basic"]
VIEWS = (("dashboard", "Dashboard", "/"), ("sms-campaigns", "SMS Campaigns", "/sms-campaigns"),
         ("restaurants", "Restaurants", "/restaurants"), ("ordering-page", "Ordering Page", "/ordering-page"),
         ("super-admin", "Super Admin", "/super-admin"))  # HUBN:89-93 names the nav's entries
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
        body = _object(await read_json(request))
        email, password = str(body.get("email", "")).strip(), str(body.get("password", ""))
        if not self.state.check_hub_login(email, password):
            return JSONResponse({"error": "Invalid login credentials"}, status_code=401)
        response = JSONResponse({"ok": True})
        self.sessions.start(email, response, "/")
        self.audit(request, f"login {email.lower()}")
        return response

    async def app(self, request: Request) -> Response:
        """Any view's URL: the login until signed in, else the app showing that view."""
        email = self.sessions.email(request)
        if email is None:
            return await self.login_page(request)
        view = next((key for key, _, path in VIEWS if path == request.url.path), "dashboard")
        if view in ("super-admin", "ordering-page"):
            await self.enter(view.replace("-", "_"))
        admin = email == HUB_ADMIN_EMAIL.lower()
        user = self.state.hub_user(email)
        account = {"email": email, "name": "Hub Admin" if admin else (user.name if user else email),
                   "role": "Super Admin" if admin else (user.role if user else "New Sign Up")}
        return self.render(request, "hub_app.html", view=view, account=account,
                           views=[(key, title) for key, title, _ in VIEWS],
                           paths={key: path for key, _, path in VIEWS},
                           users=self.state.hub_users, roles=ROLES, organisations=ORGANISATIONS,
                           component_categories=COMPONENT_CATEGORIES, preset_categories=PRESET_CATEGORIES,
                           preset_defaults=PRESETS)

    async def generate(self, request: Request) -> Response:
        email = self.sessions.email(request)
        if email is None:
            return JSONResponse({"error": "Not signed in"}, status_code=401)
        config = await request.json()
        bad = [name for name in ("primary", "secondary") if not HEX.match(str(config.get(name, "")))]
        if bad:
            return JSONResponse({"error": f"Invalid colour: {', '.join(bad)} must look like #1a2b3c"})
        head, body = generate_code(config)
        if not config.get("initial"):  # the code shown on arrival is nobody's configuration
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

    async def add_user(self, request: Request) -> Response:
        if self.sessions.email(request) is None:
            return JSONResponse({"error": "Not signed in"}, status_code=401)
        await self.enter("super_admin")
        body = _object(await read_json(request))
        name, email = str(body.get("name", "")).strip(), str(body.get("email", "")).strip()
        password = str(body.get("password", ""))
        error = _user_error(name, email, password) or (
            "A user with this email already exists" if self.state.hub_user(email) else "")
        if error:
            return JSONResponse({"error": error}, status_code=400)
        role = str(body.get("role") or "")
        role = role if role in ROLES else "New Sign Up"
        organisation = str(body.get("organisation") or "")
        organisation = organisation if organisation in ORGANISATIONS else "None"
        self.state.add_hub_user(name, email, password, role, organisation)
        mirror = getattr(self.world, "create_onboarding_user", None)
        if callable(mirror):
            mirror(name, email)
        self.audit(request, f"add user {email.lower()}")
        return JSONResponse({"user": {"name": name, "email": email, "role": role,
                                      "organisation": organisation}})


def _object(body: Any) -> dict[str, Any]:
    return body if isinstance(body, dict) else {}


def _user_error(name: str, email: str, password: str) -> str:
    if not name:
        return "Name is required"
    if "@" not in email:
        return f"Email {email!r} is not a valid email address"
    return "" if len(password) >= 8 else "Password must be at least 8 characters"


def routes(world: PortalWorld) -> list[BaseRoute]:
    """The hub's routes, served at the root of the ``manage.`` host."""
    hub = Hub(world)
    return [
        *(Route(path, hub.app, methods=["GET"]) for _, _, path in VIEWS),
        Route("/login", hub.login_page, methods=["GET"]),
        Route("/api/login", hub.login, methods=["POST"]),
        Route("/api/generate", hub.generate, methods=["POST"]),
        Route("/api/users", hub.add_user, methods=["POST"]),
    ]
