"""The portal's Settings page: tabs Website, Services and Payments (reference §1 steps 6–8).

Each collapsible section is its own form with its own Save, as in the real portal. Changing the
theme asks "Changing your theme will overwrite…" in a JS confirm dialog first. Toggles are
checkboxes with ``role=switch`` whose checked state is visible, so a client can set rather than flip.
"""

from __future__ import annotations

import secrets
from dataclasses import fields as dataclass_fields
from typing import TYPE_CHECKING, Any

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import BaseRoute, Route

from regctl.sandbox.portal_state import SERVICE_NAMES, PaymentMethod, Restaurant, ServiceSettings
from regctl.sandbox.portal_web import (
    base_path,
    form_bool,
    form_file,
    form_float,
    form_int,
    form_text,
    redirect,
    store_upload,
)

if TYPE_CHECKING:
    from regctl.sandbox.portal import Portal

__all__ = ["routes"]

THEME_CONFIRM = "Changing your theme will overwrite your current colours and fonts. Continue?"
FONTS = ("Inter", "Gabarito", "Roboto", "Lato", "Poppins", "Playfair Display")
ITEM_LAYOUTS = (("list", "List"), ("grid", "Grid"), ("card", "Card"))
TAG_POSITIONS = (("outer-top", "Outer Top"), ("inner-bottom", "Inner Bottom"), ("inner-top", "Inner Top"))
STRIPE_LAYOUTS = ("Accordion with radio button", "Accordion without radio button", "Tabs")
STRIPE_THEMES = ("Stripe", "Night", "Flat")

# Website sections: (key, title, text fields (form name == WebsiteSettings attribute), upload fields).
WEBSITE_SECTIONS: tuple[tuple[str, str, tuple[str, ...], tuple[str, ...]], ...] = (
    ("colors", "Colors", ("primary_colour", "secondary_colour", "background_colour", "box_text_colour"), ()),
    ("fonts", "Fonts", ("heading_font", "body_font"), ()),
    ("top_nav", "Top Nav Bar", ("nav_text_colour",), ("nav_logo_url",)),
    ("header", "Header", ("header_title",), ("header_background_url", "header_logo_url")),
    ("items", "Items", ("item_layout", "tag_position"), ()),
    ("favicon", "Favicon", (), ("favicon_url",)),
    ("seo", "SEO", ("seo_title", "seo_meta"), ()),
    ("social", "Social", ("facebook_url", "instagram_url"), ()),
    ("custom_code", "Custom Code", ("custom_head", "custom_body"), ()),
)
WEBSITE_LABELS = {
    "primary_colour": "Primary Color", "secondary_colour": "Secondary Color",
    "background_colour": "Background Color", "box_text_colour": "Box Text Color",
    "nav_text_colour": "Text Color", "nav_logo_url": "Logo", "header_title": "Title",
    "header_background_url": "Background Image", "header_logo_url": "Header Logo", "favicon_url": "Favicon",
    "seo_title": "Page Title", "seo_meta": "Meta Description", "facebook_url": "Facebook",
    "instagram_url": "Instagram", "custom_head": "Head Code", "custom_body": "Body Code",
    "heading_font": "Heading Font", "body_font": "Body Font", "item_layout": "Card Layout",
    "tag_position": "Tag Position",
}
SERVICE_TITLES = {"pickups": "Pickups", "deliveries": "Deliveries", "dine_ins": "Dine-Ins",
                  "table_bookings": "Table Bookings"}
DELIVERY_ONLY = {"auto_on_route", "auto_on_route_minutes", "map_picker", "force_street_number",
                 "force_specific_address", "min_order"}


def service_fields(service: str) -> list[tuple[str, str]]:
    """(attribute, kind) of the editable fields a service section shows; kind is bool/int/float."""
    shown = []
    for spec in dataclass_fields(ServiceSettings):
        if spec.name == "checkout_fields" or (spec.name in DELIVERY_ONLY and service != "deliveries"):
            continue
        shown.append((spec.name, str(spec.type)))
    return shown


class Settings:
    """Handlers of /restaurant/{rid}/settings and its section forms."""

    def __init__(self, portal: Portal) -> None:
        self.portal = portal

    async def page(self, request: Request, email: str) -> Response:
        await self.portal.enter("settings")
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Restaurant not found", status_code=404)
        tab = request.query_params.get("tab", "website")
        return self.portal.render(
            request, "portal_settings.html", r=restaurant, tab=tab, notice=request.query_params.get("saved"),
            open_section=request.query_params.get("section", ""), theme_confirm=THEME_CONFIRM,
            sections=WEBSITE_SECTIONS, labels=WEBSITE_LABELS, fonts=FONTS, item_layouts=ITEM_LAYOUTS,
            tag_positions=TAG_POSITIONS,
            services=[(name, SERVICE_TITLES[name], r_service(restaurant, name), service_fields(name))
                      for name in SERVICE_NAMES],
            stripe_layouts=STRIPE_LAYOUTS, stripe_themes=STRIPE_THEMES)

    def back(self, request: Request, restaurant: Restaurant, tab: str, section: str) -> Response:
        query = f"tab={tab}&section={section}&saved=Saved"
        return redirect(request, f"/restaurant/{restaurant.id}/settings?{query}")

    async def save_website(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        section = request.path_params["section"]
        spec = next((s for s in WEBSITE_SECTIONS if s[0] == section), None)
        if restaurant is None or (spec is None and section != "themes"):
            return Response("Not found", status_code=404)
        async with request.form() as form:  # closes the uploaded files' temporary files
            if spec is None:
                restaurant.website.theme = "light" if form_text(form, "theme") == "light" else "dark"
            else:
                await self.apply_website_section(restaurant, form, spec[2], spec[3], base_path(request))
        self.portal.audit(request, f"website {section} {restaurant.id}")
        return self.back(request, restaurant, "website", section)

    async def apply_website_section(self, restaurant: Restaurant, form: FormData,
                                    text_fields: tuple[str, ...], upload_fields: tuple[str, ...],
                                    base: str) -> None:
        website = restaurant.website
        for name in text_fields:
            value = form.get(name)
            if isinstance(value, str):
                keep_spaces = name.startswith("custom_") or name == "header_title"  # title " " is valid
                setattr(website, name, value if keep_spaces else value.strip())
        for name in upload_fields:
            upload = form_file(form, name)
            if upload is not None:
                setattr(website, name, f"{base}/uploads/{await store_upload(self.portal.state, upload)}")
        if "header_title" in text_fields:
            website.header_enabled = form_bool(form, "header_enabled")

    async def save_service(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        service = request.path_params["service"]
        if restaurant is None or service not in SERVICE_NAMES:
            return Response("Not found", status_code=404)
        form = await request.form()
        settings = restaurant.services[service]
        for name, kind in service_fields(service):
            setattr(settings, name, _typed(form, name, kind, getattr(settings, name)))
        self.portal.audit(request, f"services {service} {restaurant.id}")
        return self.back(request, restaurant, "services", service)

    async def delete_checkout_field(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        service = request.path_params["service"]
        if restaurant is None or service not in SERVICE_NAMES:
            return Response("Not found", status_code=404)
        label = form_text(await request.form(), "field")
        fields = restaurant.services[service].checkout_fields
        if label in fields:
            fields.remove(label)
        self.portal.audit(request, f"delete checkout field {label!r} {service} {restaurant.id}")
        return self.back(request, restaurant, "services", service)

    async def add_payment(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        kind = form_text(await request.form(), "kind") or "stripe"
        restaurant.payments.append(PaymentMethod(kind=kind))
        self.portal.audit(request, f"add payment method {kind} {restaurant.id}")
        return self.back(request, restaurant, "payments", f"payment-method-{len(restaurant.payments) - 1}")

    async def save_payment(self, request: Request, email: str) -> Response:
        restaurant = self.portal.owned(request)
        index = int(request.path_params["index"])
        if restaurant is None or index >= len(restaurant.payments):
            return Response("Not found", status_code=404)
        form = await request.form()
        method = restaurant.payments[index]
        method.enabled = form_bool(form, "enabled")
        for name in ("currency", "layout", "theme", "label", "delivery_label", "print_label"):
            setattr(method, name, form_text(form, name))
        method.max_order = form_float(form, "max_order")
        method.min_order = form_float(form, "min_order")
        self.portal.audit(request, f"save payment method {index} {restaurant.id}")
        return self.back(request, restaurant, "payments", f"payment-method-{index}")

    async def stripe_connect(self, request: Request, email: str) -> Response:
        """Start Stripe Connect: records and opens a stripe.com-looking URL served by the sandbox."""
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Not found", status_code=404)
        path = f"/stripe/connect.stripe.com/setup/s/acct_{secrets.token_hex(6)}/{restaurant.id}"
        restaurant.stripe_connect_url = f"{request.url.scheme}://{request.url.netloc}{base_path(request)}{path}"
        self.portal.audit(request, f"stripe connect {restaurant.id}")
        return redirect(request, path)

    async def stripe_page(self, request: Request) -> Response:
        return self.portal.render(request, "portal_stripe.html")


def r_service(restaurant: Restaurant, name: str) -> ServiceSettings:
    return restaurant.services[name]


def _typed(form: FormData, name: str, kind: str, current: Any) -> Any:
    if kind == "bool":
        return form_bool(form, name)
    if kind == "int":
        return form_int(form, name, current)
    return form_float(form, name, current)


def routes(portal: Portal) -> list[BaseRoute]:
    settings = Settings(portal)
    base = "/restaurant/{rid}/settings"
    guard = portal.guard
    return [
        Route(base, guard(settings.page), methods=["GET"]),
        Route(base + "/website/{section}", guard(settings.save_website), methods=["POST"]),
        Route(base + "/services/{service}", guard(settings.save_service), methods=["POST"]),
        Route(base + "/services/{service}/checkout-fields/delete", guard(settings.delete_checkout_field),
              methods=["POST"]),
        Route(base + "/payments/add", guard(settings.add_payment), methods=["POST"]),
        Route(base + "/payments/{index:int}", guard(settings.save_payment), methods=["POST"]),
        Route(base + "/payments/stripe-connect", guard(settings.stripe_connect), methods=["POST"]),
        Route("/stripe/{rest:path}", settings.stripe_page, methods=["GET"]),
    ]
