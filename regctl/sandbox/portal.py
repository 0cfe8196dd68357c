"""The sandbox admin portal (CloudWaitress white-label), at the root of the ``admin.<domain>`` host.

Pages and labels follow reference/prior-system-steps.md §1 (steps 5–12) and §5: ``/login``; the
restaurant list with ``#restaurant-list-item-{i}`` cards, ``h4`` names, "Manage" buttons and a
``.cover-loader`` that stays ``.active`` for a moment (forever under ``loader_never_clears``);
"Create New Restaurant"; ``/restaurant/RES…`` with the sidebar links; the store page. Settings and
menus live in portal_settings.py and portal_menus.py. All state is in ``world.portal``.

Faults (``world.faults.active("portal.<page>")``): pages ``login``, ``dashboard`` (the list),
``create``, ``restaurant``, ``settings``, ``menus``, ``menu_import``; kinds ``latency``,
``loader_never_clears``, ``csv_import_fails``.
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Awaitable, Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import BaseRoute, Route

from regctl.sandbox.portal_state import PortalWorld, Restaurant, TimeSlot, portal_subdomain
from regctl.sandbox.portal_web import LOADER_MS, WebContext, form_bool, form_text, redirect, store_upload

__all__ = ["DAYS", "routes", "storefront_routes"]

# [R] RWY:19,30,36-44 (§3.1): with the default headless user agent the real portal answered a page
# titled "Admin Dashboard" with no form at all (0 inputs, 0 forms), only Uploadcare's CSS; the prior
# system's workaround was a desktop Chrome user agent (RWY:53-54, BC), as regctl.browser sets.
HEADLESS_UA_MARK = "HeadlessChrome"
BOT_PAGE = ("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Admin Dashboard</title>"
            "<style>.uploadcare--jcrop-handle{box-sizing:border-box;width:10px;height:10px}</style>"
            "</head><body><div id=\"root\"></div></body></html>")
NOTIFICATION_HOLD_S = 0.4  # the dashboard poll's hold: < the 500 ms network-idle window, so never idle
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


def _options(*pairs: tuple[str, str]) -> list[dict[str, str]]:
    return [{"value": value, "label": label} for value, label in pairs]


# selectadv options: typing the country / city / code filters so that the wanted one comes first
# (real-portal-pages.md §18.2, Appendix A); the default locale shows "English" (TF:602-603).
LOCALES = _options(*((label, label) for label in (
    "English - New Zealand", "English - Australia", "English - United Kingdom", "English - United States",
    "English - Canada", "English - Ireland")))
TIMEZONES = _options(("Pacific/Auckland", "Pacific/Auckland"), ("Pacific/Chatham", "Pacific/Chatham"),
                     ("Australia/Sydney", "Australia/Sydney"), ("Australia/Perth", "Australia/Perth"),
                     ("Europe/London", "Europe/London"), ("America/New_York", "America/New York"),
                     ("America/Toronto", "America/Toronto"))
CURRENCIES = _options(("NZD", "NZD"), ("AUD", "AUD"), ("GBP", "GBP"), ("USD", "USD"), ("CAD", "CAD"),
                      ("EUR", "EUR"))
TIME_FORMATS = _options(("24", "24 Hour"), ("12", "12 Hour"))
WEEK_STARTS = _options(("Monday", "Monday"), ("Sunday", "Sunday"))
DISTANCE_UNITS = _options(("km", "Kilometres"), ("mi", "Miles"))
ADDRESS_DELAY_MS = 350  # the address typeahead's "Loading..." time
SUBDOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{2,}[a-z0-9]$")

Handler = Callable[[Request], Awaitable[Response]]


class Portal(WebContext):
    """Handlers of the portal's account-level pages."""

    def __init__(self, world: PortalWorld) -> None:
        super().__init__(world, "portal")

    def owned(self, request: Request) -> Restaurant | None:
        """The restaurant in the URL when the logged-in account owns it."""
        email = self.sessions.email(request)
        rid = request.path_params.get("rid", "")
        restaurant = self.state.find_restaurant(rid)
        return restaurant if restaurant and email and restaurant.owner_email == email else None

    def guard(self, handler: Callable[[Request, str], Awaitable[Response]]) -> Handler:
        """Wrap a handler so it runs only for a logged-in session (else redirect to /login)."""

        async def wrapped(request: Request) -> Response:
            email = self.sessions.email(request)
            if email is None:
                return redirect(request, "/login")
            return await handler(request, email)

        return wrapped

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response:
        """Render a portal page with what every page shows: the account (top nav) and store domain."""
        if HEADLESS_UA_MARK in request.headers.get("user-agent", ""):
            return HTMLResponse(BOT_PAGE)  # [R] RWY:19,30,36-44 the real portal's bot detection
        host = request.headers.get("host", "")
        context.setdefault("email", self.sessions.email(request))
        context.setdefault("store_domain", host.partition(".")[2] or host)
        context.setdefault("drift", self.drift(request))
        return self.render(request, template, status=status, **context)

    def drift(self, request: Request) -> frozenset[str]:
        """Layout changes the ``portal.layout_drift`` fault asks for (docs/sandbox.md)."""
        spec = getattr(getattr(self.world, "faults", None), "active", lambda _n: None)("portal.layout")
        return frozenset(getattr(spec, "layout_drift", None) or ())

    # -- login -----------------------------------------------------------------------------------
    async def login_page(self, request: Request) -> Response:
        await self.enter("login")
        return self.page(request, "portal_login.html", email=None)

    async def login(self, request: Request) -> Response:
        await self.enter("login")
        form = await request.form()
        email, password = form_text(form, "email"), str(form.get("password", ""))
        if not self.world.check_login(email, password):
            return self.page(request, "portal_login.html", status=401, email=None, typed=email,
                             error="Invalid email or password")
        response = redirect(request, "/")
        self.sessions.start(email, response, "/")
        self.audit(request, f"login {email.lower()}")
        return response

    @staticmethod
    def mount_path(request: Request) -> str:
        return "/"

    # -- restaurant list + the create modal ------------------------------------------------------
    async def restaurant_list(self, request: Request, email: str) -> Response:
        faults = await self.enter("dashboard")
        restaurants = self.state.restaurants_of(email)
        drift = self.drift(request)
        return self.page(
            request, "portal_list.html", restaurants=restaurants, loader_ms=LOADER_MS,
            loader_never_clears=faults.has("loader_never_clears"),
            store_urls={r.id: self.store_url(request, r) for r in restaurants},
            create_label="Add Restaurant" if "create_button_text" in drift else "Create New Restaurant",
            modal_id=secrets.token_urlsafe(6), days=DAYS, locales=LOCALES, timezones=TIMEZONES,
            currencies=CURRENCIES, time_formats=TIME_FORMATS, week_starts=WEEK_STARTS,
            distance_units=DISTANCE_UNITS, address_delay_ms=ADDRESS_DELAY_MS)

    async def create(self, request: Request, email: str) -> Response:
        await self.enter("create")
        form = await request.form()
        slots = _time_slots([str(v) for v in form.getlist("day")], [str(v) for v in form.getlist("open")],
                            [str(v) for v in form.getlist("close")])
        fields = {"name": form_text(form, "name"), "address": form_text(form, "address"),
                  "phone": form_text(form, "phone")}
        subdomain = form_text(form, "subdomain").lower() or portal_subdomain(fields["name"])
        errors = _create_errors(fields, slots) + self._subdomain_errors(subdomain)
        if errors:
            return JSONResponse({"error": "; ".join(errors)}, status_code=400)
        restaurant = self.state.add_restaurant(
            email, fields["name"], subdomain=subdomain,
            map_source=form_text(form, "map_source") or "google", address=fields["address"],
            phone=fields["phone"], hours=[s for s in slots if isinstance(s, TimeSlot)],
            locale=form_text(form, "locale"), timezone=form_text(form, "timezone"),
            currency=form_text(form, "currency"), tax_in_prices=form_bool(form, "tax_in_prices"))
        self.audit(request, f"create restaurant {restaurant.id} {restaurant.name!r} for {email}")
        return redirect(request, "/")

    def _subdomain_errors(self, subdomain: str) -> list[str]:
        if not SUBDOMAIN.match(subdomain):
            return [f"Subdomain {subdomain!r} must be at least 4 characters: lowercase letters, digits, '-'"]
        taken = any(r.subdomain == subdomain for owned in self.state.restaurants.values() for r in owned)
        return [f"Subdomain {subdomain!r} is already taken"] if taken else []

    # -- Developers (account level, §15) -------------------------------------------------------------
    async def developers(self, request: Request, email: str) -> Response:
        await self.enter("developers")
        restaurants = self.state.restaurants_of(email)
        keys = list(reversed(self.state.api_keys_of(email)))  # the newest first (AK:295)
        return self.page(request, "portal_developers.html", keys=keys, restaurants=restaurants,
                         restaurant_options=[{"value": r.id, "label": r.name} for r in restaurants])

    async def create_api_key(self, request: Request, email: str) -> Response:
        form = await request.form()
        name = form_text(form, "name")
        if not name:
            return JSONResponse({"error": "Name is required"}, status_code=400)
        restaurants = self.state.restaurants_of(email)
        # "Restaurant Access" is a multi-select (§15, AK:211-274); absent for one restaurant, which is
        # then the key's (auto-selected).
        chosen = [str(v) for v in form.getlist("restaurant") if str(v)]
        if not chosen and restaurants:
            chosen = [restaurants[0].id]
        self.state.add_api_key(email, name, chosen)
        self.audit(request, f"create api key {name!r} for {email}")
        return redirect(request, "/developers")

    async def notifications(self, request: Request, email: str) -> Response:
        """The dashboard's poll; held a little so that one is always in flight (§1.3, §18.1 [R] SES:8,9)."""
        await asyncio.sleep(NOTIFICATION_HOLD_S)
        return JSONResponse({"unread": 0})

    async def address_search(self, request: Request, email: str) -> Response:
        return JSONResponse(_address_suggestions(request.query_params.get("q", "")))

    async def upload_file(self, request: Request, email: str) -> Response:
        """The Uploadcare widget's upload (the dialog shows the hosted file's preview, §11.3)."""
        async with request.form() as form:
            upload = form.get("file")
            if upload is None or isinstance(upload, str) or not upload.filename:
                return JSONResponse({"error": "no file"}, status_code=400)
            stored = await store_upload(self.state, upload)
        return JSONResponse({"url": f"/uploads/{stored}"})

    # -- one restaurant --------------------------------------------------------------------------
    async def dashboard(self, request: Request, email: str) -> Response:
        await self.enter("restaurant")
        restaurant = self.owned(request)
        if restaurant is None:
            return self.page(request, "portal_notfound.html", status=404, message="Restaurant not found")
        return self.page(request, "portal_restaurant.html", r=restaurant,
                         store_url=self.store_url(request, restaurant))

    @staticmethod
    def store_url(request: Request, restaurant: Restaurant) -> str:
        """``//<subdomain>.<domain>[:port]/``: the storefront, on the portal's host minus ``admin.``."""
        host = request.headers.get("host", "")
        return f"//{restaurant.subdomain}.{host.partition('.')[2] or host}/"

    async def storefront(self, request: Request) -> Response:
        """A storefront host ``<subdomain>.<domain>`` (reference §3.1: ``https://<sub>.pumpd.co.nz``)."""
        request.path_params["subdomain"] = request.headers.get("host", "").partition(".")[0].lower()
        return await self.store(request)

    async def store(self, request: Request) -> Response:
        subdomain = request.path_params["subdomain"]
        for owned in self.state.restaurants.values():
            for restaurant in owned:
                if restaurant.subdomain == subdomain:
                    return self.render(request, "portal_store.html", r=restaurant)
        return Response("Store not found", status_code=404)

    async def upload(self, request: Request) -> Response:
        found = self.state.uploads.get(request.path_params["file_id"])
        if found is None:
            return Response("Not found", status_code=404)
        _name, content_type, data = found
        return Response(data, media_type=content_type)


def _time_slots(days: list[str], opens: list[str], closes: list[str]) -> list[TimeSlot | str]:
    """Rows of the opening-hours editor; a malformed row becomes its error text. A row left blank (the
    form starts with one, its times empty) is no slot."""
    slots: list[TimeSlot | str] = []
    for index, (day, opening, closing) in enumerate(zip(days, opens, closes, strict=False), start=1):
        if not opening.strip() and not closing.strip():
            continue
        if day not in DAYS:
            slots.append(f"Time slot {index}: unknown day {day!r}")
        elif not (_is_time(opening) and _is_time(closing)):
            slots.append(f"Time slot {index}: times must be HH:MM (got {opening!r} – {closing!r})")
        else:
            slots.append(TimeSlot(day=day, open=opening, close=closing))
    return slots


def _is_time(value: str) -> bool:
    hours, _, minutes = value.partition(":")
    return (len(value) == 5 and hours.isdigit() and minutes.isdigit()
            and int(hours) < 24 and int(minutes) < 60)


def _create_errors(fields: dict[str, str], slots: list[TimeSlot | str]) -> list[str]:
    errors = [f"{label} is required" for key, label in
              (("name", "Name"), ("address", "Address"), ("phone", "Phone")) if not fields[key]]
    return errors + [slot for slot in slots if isinstance(slot, str)]


def _address_suggestions(query: str) -> list[str]:
    """What the map search offers: the typed address as found (first, as Google's best match usually
    is), then two near misses."""
    query = query.strip()
    if len(query) < 3:
        return []
    first, _, rest = query.partition(",")
    rest = rest.strip() or "Auckland"
    found = f"{first.strip()}, {rest}, New Zealand"
    return [found, f"{first.strip()} Extension, {rest}, New Zealand", f"{rest}, New Zealand"]


def storefront_routes(world: PortalWorld) -> list[BaseRoute]:
    """The storefront host's routes (``<subdomain>.<domain>``)."""
    portal = Portal(world)
    return [Route("/", portal.storefront, methods=["GET"]),
            Route("/uploads/{file_id}/{name}", portal.upload, methods=["GET"])]


def routes(world: PortalWorld) -> list[BaseRoute]:
    """The portal's routes, served at the root of the ``admin.`` host by the sandbox app."""
    from regctl.sandbox import portal_menus, portal_settings

    portal = Portal(world)
    return [
        Route("/login", portal.login_page, methods=["GET"]),
        Route("/login", portal.login, methods=["POST"]),
        Route("/", portal.guard(portal.restaurant_list), methods=["GET"]),
        Route("/restaurants", portal.guard(portal.create), methods=["POST"]),
        Route("/api/uploads", portal.guard(portal.upload_file), methods=["POST"]),
        Route("/api/notifications", portal.guard(portal.notifications), methods=["GET"]),
        Route("/api/address-search", portal.guard(portal.address_search), methods=["GET"]),
        Route("/restaurant/{rid}", portal.guard(portal.dashboard), methods=["GET"]),
        Route("/developers", portal.guard(portal.developers), methods=["GET"]),
        Route("/developers/api-keys", portal.guard(portal.create_api_key), methods=["POST"]),
        Route("/store/{subdomain}", portal.store, methods=["GET"]),
        Route("/uploads/{file_id}/{name}", portal.upload, methods=["GET"]),
        *portal_settings.routes(portal),
        *portal_menus.routes(portal),
    ]
