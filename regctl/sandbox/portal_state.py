"""Server-side state of the sandbox admin portal and marketing hub.

The sandbox World holds one :class:`PortalState` (``world.portal``); the portal and hub routes
(regctl.sandbox.portal / regctl.sandbox.hub) read and mutate it. Accounts (e-mail → password) live
in the World, which the routes reach through :class:`PortalWorld`. Everything here is plain data:
no HTTP, no HTML. ``to_json()`` is what ``GET /_sandbox/state`` shows under ``portal``; it never
contains a password.
"""

from __future__ import annotations

import enum
import hashlib
import re
from dataclasses import asdict, dataclass, field
from typing import Any, Protocol, runtime_checkable

__all__ = [
    "HUB_ADMIN_EMAIL",
    "HUB_ADMIN_PASSWORD",
    "SERVICE_NAMES",
    "THEME_COLOURS",
    "ApiKey",
    "Category",
    "CodeConfig",
    "HubUser",
    "ItemTag",
    "Menu",
    "MenuItem",
    "Option",
    "OptionSet",
    "PaymentMethod",
    "PortalState",
    "PortalWorld",
    "Printer",
    "Restaurant",
    "ServiceSettings",
    "Tax",
    "TimeSlot",
    "Webhook",
    "WebsiteSettings",
    "portal_subdomain",
]

JSON = dict[str, Any]

# Fictional marketing-hub super-admin login (the real one is MANAGE_EMAIL / MANAGE_PASSWORD).
HUB_ADMIN_EMAIL = "admin@hub.sandbox.test"
HUB_ADMIN_PASSWORD = "sandbox-hub-admin"

SERVICE_NAMES = ("pickups", "deliveries", "dine_ins", "table_bookings")


@runtime_checkable
class PortalWorld(Protocol):
    """What the portal and hub routes need from the sandbox World.

    Optional extras, used only when present: ``faults.active(name)`` (page faults
    ``portal.<page>`` / ``hub.<page>``), ``audit(system, method, path, summary)`` and
    ``create_onboarding_user(name, email)`` (the hub's "Add User" mirrors into the onboarding DB).
    """

    portal: PortalState

    def check_login(self, email: str, password: str) -> bool:
        """True when an admin-portal account with this e-mail and password exists."""
        ...


class Theme(enum.StrEnum):
    DARK = "dark"  # "Dark Theme" button
    LIGHT = "light"  # "Light Theme" button


# What a theme button writes over (the confirm says "will overwrite your existing colors", §11.1).
THEME_COLOURS = {
    "dark": {"primary_text_colour": "#FFFFFF", "background_colour": "#121212", "text_colour": "#FFFFFF",
             "box_background_colour": "#1E1E1E", "box_text_colour": "#FFFFFF",
             "nav_background_colour": "#121212", "nav_text_colour": "#FFFFFF"},
    "light": {"primary_text_colour": "#FFFFFF", "background_colour": "#FFFFFF", "text_colour": "#323232",
              "box_background_colour": "#FFFFFF", "box_text_colour": "#323232",
              "nav_background_colour": "#FFFFFF", "nav_text_colour": "#323232"},
}


@dataclass
class TimeSlot:
    day: str  # "Monday" … "Sunday"
    open: str  # "HH:MM", 24 h
    close: str  # "HH:MM", 24 h


@dataclass
class WebsiteSettings:
    theme: str = Theme.DARK.value  # the theme last applied (its colours are the Colors section's)
    primary_colour: str = "#000000"
    primary_text_colour: str = "#FFFFFF"
    background_colour: str = "#121212"
    text_colour: str = "#FFFFFF"
    box_background_colour: str = "#1E1E1E"
    box_text_colour: str = "#FFFFFF"
    heading_font: str = "Inter"
    body_font: str = "Inter"
    nav_background_colour: str = "#121212"
    nav_text_colour: str = "#FFFFFF"
    nav_logo_url: str = ""
    header_enabled: bool = False
    header_background_url: str = ""
    header_title: str = ""
    header_logo_url: str = ""
    item_layout: str = "list"  # list | grid | card
    tag_position: str = "outer-top"  # outer-top | inner-bottom | inner-top
    favicon_url: str = ""
    seo_title: str = ""
    seo_meta: str = ""
    facebook_url: str = ""
    instagram_url: str = ""
    custom_head: str = ""
    custom_body: str = ""


@dataclass
class ServiceSettings:
    """One service tab section (pickups, deliveries, dine_ins, table_bookings)."""

    enabled: bool = True
    first_order_offset: int = 30
    last_order_offset: int = 30
    max_days_ahead: int = 3
    auto_confirm: bool = False
    auto_confirm_minutes: int = 5
    auto_ready: bool = False
    auto_ready_minutes: int = 20
    auto_on_route: bool = False
    auto_on_route_minutes: int = 15
    auto_complete: bool = False
    auto_complete_minutes: int = 60
    map_picker: bool = False
    force_street_number: bool = False
    force_specific_address: bool = False
    delivery_provider: str = "restaurant"  # deliveries: restaurant | uber | doordash
    min_order: float = 0.0
    checkout_fields: list[str] = field(default_factory=list)


def default_services() -> dict[str, ServiceSettings]:
    """A new restaurant's services: everything on, deliveries with the portal's stock checkout field."""
    services = {name: ServiceSettings() for name in SERVICE_NAMES}
    services["deliveries"].checkout_fields = ["Request No Contact Delivery"]
    return services


@dataclass
class PaymentMethod:
    kind: str = "stripe"
    enabled: bool = False
    currency: str = "NZD"
    layout: str = "Accordion with radio button"
    theme: str = "Stripe"
    label: str = ""
    delivery_label: str = ""
    print_label: str = ""
    max_order: float = 0.0
    min_order: float = 0.0


@dataclass
class MenuItem:
    name: str
    price: float
    description: str = ""
    dish_type: str = "standard"
    tags: list[str] = field(default_factory=list)
    image_cdn_id: str = ""
    image_cdn_filename: str = ""


@dataclass
class Category:
    name: str
    items: list[MenuItem] = field(default_factory=list)


@dataclass
class Menu:
    name: str
    categories: list[Category] = field(default_factory=list)

    def item_names(self) -> list[str]:
        return [item.name for cat in self.categories for item in cat.items]


@dataclass
class Option:
    name: str
    print_name: str = ""
    price: float = 0.0


@dataclass
class OptionSet:
    name: str
    display_name: str = ""
    required: bool = False
    select_multiple: bool = False
    enable_quantity: bool = False
    min_options: int = 0
    max_options: int = 1
    options: list[Option] = field(default_factory=list)
    items: list[str] = field(default_factory=list)  # attached item names


@dataclass
class ItemTag:
    name: str
    text: str = ""
    colour: str = "#000000"
    items: list[str] = field(default_factory=list)  # attached item names


@dataclass
class Tax:
    name: str
    rate: float


@dataclass
class Printer:
    name: str
    key: str  # the printer's API key, shown in its modal
    auto_print: bool = False
    details: list[str] = field(default_factory=list)  # receipt details switched on
    highlighted: list[str] = field(default_factory=list)
    print_logo: bool = False
    footer: str = ""


@dataclass
class Webhook:
    name: str
    url: str
    secret: str
    events: list[str] = field(default_factory=list)


@dataclass
class Restaurant:
    id: str  # "RES" + 9 characters, like the real portal
    owner_email: str
    name: str
    subdomain: str
    map_source: str = "google"  # google | osm
    address: str = ""
    phone: str = ""
    hours: list[TimeSlot] = field(default_factory=list)
    locale: str = ""
    timezone: str = ""
    currency: str = ""
    tax_in_prices: bool = False
    website: WebsiteSettings = field(default_factory=WebsiteSettings)
    services: dict[str, ServiceSettings] = field(default_factory=default_services)
    payments: list[PaymentMethod] = field(default_factory=list)
    stripe_connect_url: str = ""
    integrations: dict[str, dict[str, str]] = field(default_factory=dict)  # card index → last saved form
    taxes: list[Tax] = field(default_factory=list)  # System → General Settings, row 8
    printers: list[Printer] = field(default_factory=list)  # System → Receipt Printing
    webhooks: list[Webhook] = field(default_factory=list)  # System → Webhooks
    system: dict[str, dict[str, Any]] = field(default_factory=dict)  # other System blocks' last save
    menus: list[Menu] = field(default_factory=list)
    option_sets: list[OptionSet] = field(default_factory=list)
    item_tags: list[ItemTag] = field(default_factory=list)

    def all_item_names(self) -> list[str]:
        return [name for menu in self.menus for name in menu.item_names()]


@dataclass
class ApiKey:
    """An account-level API key (Developers page)."""

    owner_email: str
    name: str
    key: str
    restaurants: list[str] = field(default_factory=list)


@dataclass
class HubUser:
    name: str
    email: str
    role: str = "New Sign Up"
    organisation: str = "None"
    password_sha256: str = ""  # never the password itself

    def to_json(self) -> JSON:
        return {"name": self.name, "email": self.email, "role": self.role,
                "organisation": self.organisation, "has_password": bool(self.password_sha256)}


@dataclass
class CodeConfig:
    """One generated ordering-page code snippet (the hub's code generator output)."""

    primary_colour: str
    secondary_colour: str
    light_mode: bool
    preset: str
    components: dict[str, bool]
    restaurant_name: str
    head_code: str
    body_code: str


def portal_subdomain(name: str) -> str:
    """The portal's subdomain rule: lowercase, only [a-z0-9]; prefix ``order-`` when under 4 chars."""
    slug = re.sub(r"[^a-z0-9]", "", name.lower())
    return slug if len(slug) >= 4 else f"order-{slug}"


def _hash_password(password: str) -> str:
    return hashlib.sha256(password.encode()).hexdigest()


class PortalState:
    """Restaurants per account e-mail, hub users and generated code configs."""

    def __init__(self) -> None:
        self.restaurants: dict[str, list[Restaurant]] = {}
        self.hub_users: list[HubUser] = []
        self.code_configs: list[CodeConfig] = []
        self.api_keys: list[ApiKey] = []
        self.sessions: dict[str, str] = {}  # cookie token → e-mail (portal and hub); not in to_json
        self.uploads: dict[str, tuple[str, str, bytes]] = {}  # id → (file name, content type, bytes)
        self._hub_admins: dict[str, str] = {}
        self._next_id = 1
        self.reset()

    def reset(self) -> None:
        """Back to the empty portal (keeps nothing but the hub's super-admin login; logs everyone out)."""
        self.restaurants = {}
        self.hub_users = []
        self.code_configs = []
        self.api_keys = []
        self.sessions = {}
        self.uploads = {}
        self._hub_admins = {HUB_ADMIN_EMAIL.lower(): _hash_password(HUB_ADMIN_PASSWORD)}
        self._next_id = 1

    # -- restaurants ---------------------------------------------------------------------------
    def restaurants_of(self, email: str) -> list[Restaurant]:
        return self.restaurants.get(email.lower(), [])

    def add_restaurant(self, email: str, name: str, **fields: Any) -> Restaurant:
        """Create a restaurant under an account; ids are deterministic (RES000000001, …)."""
        rid = f"RES{self._next_id:09d}"
        self._next_id += 1
        fields.setdefault("subdomain", portal_subdomain(name))
        restaurant = Restaurant(id=rid, owner_email=email.lower(), name=name, **fields)
        self.restaurants.setdefault(email.lower(), []).append(restaurant)
        return restaurant

    def find_restaurant(self, rid: str) -> Restaurant | None:
        for owned in self.restaurants.values():
            for restaurant in owned:
                if restaurant.id == rid:
                    return restaurant
        return None

    def api_keys_of(self, email: str) -> list[ApiKey]:
        return [k for k in self.api_keys if k.owner_email == email.lower()]

    def add_api_key(self, email: str, name: str, restaurants: list[str]) -> ApiKey:
        digest = hashlib.sha256(f"{email.lower()}:{name}:{len(self.api_keys)}".encode()).hexdigest()
        key = ApiKey(email.lower(), name, f"cwk_{digest[:32]}", restaurants)
        self.api_keys.append(key)
        return key

    # -- marketing hub -------------------------------------------------------------------------
    def check_hub_login(self, email: str, password: str) -> bool:
        return self._hub_admins.get(email.lower()) == _hash_password(password)

    def add_hub_user(self, name: str, email: str, password: str, role: str, organisation: str) -> HubUser:
        user = HubUser(name=name, email=email, role=role, organisation=organisation,
                       password_sha256=_hash_password(password) if password else "")
        self.hub_users.append(user)
        return user

    def hub_user(self, email: str) -> HubUser | None:
        return next((u for u in self.hub_users if u.email.lower() == email.lower()), None)

    # -- inspection ----------------------------------------------------------------------------
    def to_json(self) -> JSON:
        return {
            "restaurants": {email: [asdict(r) for r in owned] for email, owned in self.restaurants.items()},
            "hub_users": [user.to_json() for user in self.hub_users],
            "code_configs": [asdict(config) for config in self.code_configs],
            "api_keys": [{"owner_email": k.owner_email, "name": k.name, "restaurants": k.restaurants}
                         for k in self.api_keys],
        }
