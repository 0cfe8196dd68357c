"""The portal's Settings page (real-portal-pages.md §9-§14): System, Services, Payments, Website and
Integrations, as the real single-page app shows them.

Top-level tabs by text in the real order, System the default; each tab a section wrapper of
collapsible blocks of which one is open at a time; forms saved in place (a POST answered with the
same page, the saved block open again — no message, like the real portal); inner tab bars
``#<name>-tab-options-tab-select-content``; modals whose id ends in ``-content``. What each tab
contains is data in :mod:`regctl.sandbox.portal_layout`. Changing the theme asks the native
``confirm()`` first and overwrites the colours.

This module depends on the page plumbing only through :class:`PortalPages` (the few methods of
regctl.sandbox.portal.Portal it calls), so portal.py imports it and not the other way round.
"""

from __future__ import annotations

import secrets
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from regctl.sandbox.portal_layout import (
    FONTS,
    PAYMENTS_BLOCKS,
    SERVICE_TABS,
    SERVICE_TITLES,
    SETTINGS_TABS,
    SYSTEM_BLOCKS,
    WEBSITE_BLOCKS,
    Block,
    Row,
    stripe_rows,
)
from regctl.sandbox.portal_state import (
    SERVICE_NAMES,
    THEME_COLOURS,
    PaymentMethod,
    PortalState,
    Printer,
    Restaurant,
    Tax,
    Webhook,
)
from regctl.sandbox.portal_web import PageFaults, form_bool, form_float, form_int, redirect

__all__ = ["PortalPages", "routes"]

THEME_CONFIRM = "Changing your theme will overwrite your existing colors across your entire store. Proceed?"
THEME_BUTTONS = (("classic", "Classic Theme"), ("light", "Light Theme"), ("dark", "Dark Theme"))
PRINTER_DETAILS = ("Order Number", "Order Type", "Order Time", "Due Time", "Table Number", "Number of Guests",
                   "Delivery Address", "Delivery Notes", "Items", "Item Notes", "Option Sets", "Subtotal",
                   "Discounts", "Fees", "Taxes", "Tips", "Total", "Payment Method", "Customer Name",
                   "Customer Phone", "Customer Email", "Order Notes")  # SY:638-640: the 19th is Customer Name
HIGHLIGHT_FIELDS = ("Order Number", "Origin", "Order Type", "Payment Method", "Due Time", "Customer Name")
WEBHOOK_EVENTS = ("Order Created", "Order Updated", "Order Ready", "Order Completed", "Order Cancelled",
                  "Booking Created", "Booking Updated")
PAYMENT_KINDS = (("stripe", "Stripe"), ("paypal", "PayPal"), ("windcave", "Windcave"), ("poli", "POLi"))

Guarded = Callable[[Request, str], Awaitable[Response]]


class PortalPages(Protocol):
    """What the settings handlers need from the portal (regctl.sandbox.portal.Portal)."""

    world: Any

    @property
    def state(self) -> PortalState: ...

    def owned(self, request: Request) -> Restaurant | None: ...

    def page(self, request: Request, template: str, status: int = 200, **context: Any) -> Response: ...

    def drift(self, request: Request) -> frozenset[str]: ...

    async def enter(self, page: str) -> PageFaults: ...

    def audit(self, request: Request, summary: str) -> None: ...

    def guard(self, handler: Guarded) -> Callable[[Request], Awaitable[Response]]: ...

    def store_url(self, request: Request, restaurant: Restaurant) -> str: ...


def _tab_key(text: str) -> str:
    return text.lower()


def website_blocks(drift: frozenset[str]) -> tuple[Block, ...]:
    """Website's blocks in page order; ``moved_section`` swaps Themes and Colors (a layout fault)."""
    if "moved_section" not in drift:
        return WEBSITE_BLOCKS
    return (WEBSITE_BLOCKS[1], WEBSITE_BLOCKS[0], *WEBSITE_BLOCKS[2:])


def _stripe_form(world: Any) -> str:
    active = getattr(getattr(world, "faults", None), "active", None)
    spec = active("portal.payments") if callable(active) else None
    return str(getattr(spec, "stripe_form", "connect") or "connect")


class Settings:
    """Handlers of /restaurant/{rid}/settings and its forms."""

    def __init__(self, portal: PortalPages) -> None:
        self.portal = portal

    async def page(self, request: Request, email: str) -> Response:
        await self.portal.enter("settings")
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return self.portal.page(request, "portal_notfound.html", status=404,
                                    message="Restaurant not found")
        tab = request.query_params.get("tab", "system")
        drift = self.portal.drift(request)
        with_connect = _stripe_form(self.portal.world) != "no_connect"
        return self.portal.page(
            request, "portal_settings.html", r=restaurant, tab=tab, tabs=SETTINGS_TABS,
            open_block=request.query_params.get("open", ""), open_inner=request.query_params.get("inner", ""),
            website_blocks=website_blocks(drift), system_blocks=SYSTEM_BLOCKS, payment_blocks=PAYMENTS_BLOCKS,
            service_tabs=SERVICE_TABS, service_titles=SERVICE_TITLES, service_names=SERVICE_NAMES,
            stripe_rows=stripe_rows(with_connect), fonts=FONTS, theme_buttons=THEME_BUTTONS,
            theme_confirm=THEME_CONFIRM, payment_kinds=PAYMENT_KINDS, modal_id=secrets.token_urlsafe(6),
            save_label="Save Changes" if "save_button_text" in drift else "Save",
            connect_url=f"/restaurant/{restaurant.id}/settings/payments/stripe-connect",
            printer_key=secrets.token_hex(4).upper(), webhook_secret=f"whsec_{secrets.token_hex(12)}",
            printer_details=PRINTER_DETAILS, webhook_events=WEBHOOK_EVENTS,
            highlight_options=[{"value": f, "label": f} for f in HIGHLIGHT_FIELDS],
            connect_started=bool(restaurant.stripe_connect_url),
            section_hash="hXqPzT" if "section_class_hash" in drift else "gVhfCf",
            store_url=self.portal.store_url(request, restaurant))

    def back(self, request: Request, restaurant: Restaurant, tab: str, block: str,
             inner: str = "") -> Response:
        query = f"tab={tab}&open={block}" + (f"&inner={inner}" if inner else "")
        return redirect(request, f"/restaurant/{restaurant.id}/settings?{query}")

    # -- Website -----------------------------------------------------------------------------------
    async def save_website(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        key = request.path_params["block"]
        block = next((b for b in WEBSITE_BLOCKS if b.key == key), None)
        if restaurant is None or block is None:
            return Response("Not found", status_code=404)
        form = await request.form()
        if key == "themes":
            theme = str(form.get("theme", ""))
            if theme in THEME_COLOURS:
                restaurant.website.theme = theme
                for name, value in THEME_COLOURS[theme].items():
                    setattr(restaurant.website, name, value)
        else:
            _apply_rows(restaurant.website, form, block.rows)
        self.portal.audit(request, f"website {key} {restaurant.id}")
        return self.back(request, restaurant, "website", key)

    # -- System, Integrations --------------------------------------------------------------------
    async def save_system(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        key = request.path_params["block"]
        block = next((b for b in SYSTEM_BLOCKS if b.key == key), None)
        if restaurant is None or block is None:
            return Response("Not found", status_code=404)
        form = await request.form()
        if key in ("general", "location"):
            _apply_rows(restaurant, form, tuple(r for r in block.rows if r.name in ("name", "phone")))
        if key == "general":
            pairs = zip(form.getlist("tax_name"), form.getlist("tax_rate"), strict=False)
            restaurant.taxes = [Tax(str(n).strip(), float(str(v))) for n, v in pairs
                                if str(n).strip() and _is_number(str(v))]
        else:
            restaurant.system[key] = {k: str(v) for k, v in form.multi_items() if isinstance(v, str)}
        self.portal.audit(request, f"system {key} {restaurant.id}")
        inner = "1" if key == "receipt_printing" else ""  # the Receipt Logo tab's form (SY:945-1002)
        return self.back(request, restaurant, "system", key, inner)

    async def add_printer(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        form = await request.form()
        name = str(form.get("name", "")).strip()
        if not name:
            return JSONResponse({"error": "Name is required"}, status_code=400)
        restaurant.printers.append(Printer(
            name, str(form.get("key", "")), form_bool(form, "auto_print"),
            [str(v) for v in form.getlist("details")],
            [v for v in str(form.get("highlighted", "")).split("|") if v],
            form_bool(form, "print_logo"), str(form.get("footer", ""))))
        self.portal.audit(request, f"create printer {name!r} {restaurant.id}")
        return self.back(request, restaurant, "system", "receipt_printing")

    async def add_webhook(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        form = await request.form()
        url = str(form.get("url", "")).strip()
        if not url.startswith(("http://", "https://")):
            return JSONResponse({"error": "Enter a valid URL"}, status_code=400)
        restaurant.webhooks.append(Webhook(str(form.get("name", "")), url, str(form.get("secret", "")),
                                           [str(v) for v in form.getlist("events")]))
        self.portal.audit(request, f"create webhook {restaurant.id}")
        return self.back(request, restaurant, "system", "webhooks")

    async def save_integration(self, request: Request, email: str) -> Response:
        """An integration's modal form; the modal stays open after Save (FO:448-459)."""
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        form = await request.form()
        entry = {k: str(v) for k, v in form.items() if isinstance(v, str)}
        restaurant.integrations[str(request.path_params["index"])] = entry
        self.portal.audit(request, f"integration {request.path_params['index']} {restaurant.id}")
        return JSONResponse({"ok": True})

    # -- Services ----------------------------------------------------------------------------------
    async def save_service(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        service = request.path_params["service"]
        if restaurant is None or service not in SERVICE_NAMES:
            return Response("Not found", status_code=404)
        form = await request.form()
        inner = form_int(form, "_tab", 0)
        tabs = SERVICE_TABS[service]
        if not 0 <= inner < len(tabs):
            return JSONResponse({"error": "Unknown tab"}, status_code=400)
        _apply_rows(restaurant.services[service], form, tabs[inner][1])
        self.portal.audit(request, f"services {service} {restaurant.id}")
        return self.back(request, restaurant, "services", service, str(inner))

    # -- Payments ----------------------------------------------------------------------------------
    async def add_payment(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        kind = str((await request.form()).get("kind", "")) or "stripe"
        if kind not in dict(PAYMENT_KINDS):
            return JSONResponse({"error": "Choose a payment method"}, status_code=400)
        restaurant.payments.append(PaymentMethod(kind=kind))
        self.portal.audit(request, f"add payment method {kind} {restaurant.id}")
        return self.back(request, restaurant, "payments", f"payment-{len(restaurant.payments) - 1}")

    async def save_payment(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        index = int(request.path_params["index"])
        if restaurant is None or index >= len(restaurant.payments):
            return Response("Not found", status_code=404)
        form = await request.form()
        with_connect = _stripe_form(self.portal.world) != "no_connect"
        _apply_rows(restaurant.payments[index], form, stripe_rows(with_connect))
        self.portal.audit(request, f"save payment method {index} {restaurant.id}")
        return self.back(request, restaurant, "payments", f"payment-{index}")

    async def stripe_connect(self, request: Request, email: str) -> Response:
        """Start Stripe Connect (opened in a new tab): record a stripe.com-looking URL and go there."""
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        path = f"/stripe/connect.stripe.com/setup/s/acct_{secrets.token_hex(6)}/{restaurant.id}"
        restaurant.stripe_connect_url = f"{request.url.scheme}://{request.url.netloc}{path}"
        self.portal.audit(request, f"stripe connect {restaurant.id}")
        return redirect(request, path)

    async def stripe_page(self, request: Request) -> Response:
        return self.portal.page(request, "portal_stripe.html")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _typed(row: Row, form: FormData, current: Any) -> Any:
    if row.kind == "toggle":
        return form_bool(form, row.name)
    if isinstance(current, bool):
        return form_bool(form, row.name)
    if isinstance(current, int):
        return form_int(form, row.name, current)
    if isinstance(current, float):
        return form_float(form, row.name, current)
    value = form.get(row.name)
    if not isinstance(value, str):
        return current
    keep_spaces = row.kind == "textarea" or row.name == "header_title"  # a title " " hides it (WD:1061)
    return value if keep_spaces else value.strip()


def _apply_rows(target: Any, form: FormData, rows: tuple[Row, ...]) -> None:
    """Set ``target``'s attributes from the rows the posted form showed (stand-in rows save nothing)."""
    for row in rows:
        if row.parts:
            _apply_rows(target, form, row.parts)
        elif row.kind == "checkout":
            setattr(target, row.name, [str(v) for v in form.getlist(row.name)])
        elif row.name and hasattr(target, row.name):
            setattr(target, row.name, _typed(row, form, getattr(target, row.name)))


def routes(portal: PortalPages) -> list[BaseRoute]:
    settings = Settings(portal)
    base = "/restaurant/{rid}/settings"
    guard = portal.guard
    return [
        Route(base, guard(settings.page), methods=["GET"]),
        Route(base + "/website/{block}", guard(settings.save_website), methods=["POST"]),
        Route(base + "/services/{service}", guard(settings.save_service), methods=["POST"]),
        Route(base + "/system/printers", guard(settings.add_printer), methods=["POST"]),
        Route(base + "/system/webhooks", guard(settings.add_webhook), methods=["POST"]),
        Route(base + "/system/{block}", guard(settings.save_system), methods=["POST"]),
        Route(base + "/integrations/{index:int}", guard(settings.save_integration), methods=["POST"]),
        Route(base + "/payments/add", guard(settings.add_payment), methods=["POST"]),
        Route(base + "/payments/{index:int}", guard(settings.save_payment), methods=["POST"]),
        Route(base + "/payments/stripe-connect", guard(settings.stripe_connect), methods=["GET"]),
        Route("/stripe/{rest:path}", settings.stripe_page, methods=["GET"]),
    ]
