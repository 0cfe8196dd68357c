"""What the sandbox portal's Settings tabs show, as data: tabs, sections (blocks), inner tabs and rows.

The positions follow real-portal-pages.md: a row's place in its form is the ``:nth-child(N)`` the
prior scripts address (§9-§13), so the list index here *is* the evidence. Rows the reference does not
know are plausible stand-ins (``known=False``) listed as assumptions in docs/sandbox.md; they hold no
state. Kept apart from the handlers (portal_settings.py) so the layout can be read — and drifted by
the ``layout_drift`` fault — in one place.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = [
    "FONTS",
    "PAYMENTS_BLOCKS",
    "SERVICE_TABS",
    "SETTINGS_TABS",
    "STRIPE_ROWS",
    "SYSTEM_BLOCKS",
    "WEBSITE_BLOCKS",
    "Block",
    "Row",
    "stripe_rows",
]

SETTINGS_TABS = ("System", "Services", "Payments", "Website", "Integrations")  # §9, System the default
FONTS = ("Inter", "Gabarito", "Roboto", "Lato", "Poppins", "Playfair Display")


@dataclass(frozen=True)
class Row:
    """One form row: ``kind`` text|number|toggle|swatch|swatches|font|select|upload|textarea|selectadv|
    autostatus|checkout; ``name`` the state attribute ('' = a stand-in row that saves nothing)."""

    kind: str
    label: str
    name: str = ""
    options: tuple[tuple[str, str], ...] = ()  # (value, label)
    parts: tuple[Row, ...] = ()  # "swatches" / "autostatus": the rows inside one group
    known: bool = True  # False: the reference does not know this row (an assumption)


@dataclass(frozen=True)
class Block:
    key: str
    title: str
    rows: tuple[Row, ...] = ()
    known: bool = True
    tabs: tuple[tuple[str, tuple[Row, ...]], ...] = ()  # inner tab bar: (tab text, rows)
    shape: str = "a"  # "a": OPEN > form > div > rows; "b": OPEN > div > form > div > div > … rows (§9)
    extra: dict[str, str] = field(default_factory=dict)


def _stand_in(kind: str, label: str) -> Row:
    return Row(kind, label, known=False)


WEBSITE_BLOCKS = (
    Block("themes", "Themes"),  # special: the theme buttons (§11.1)
    Block("colors", "Colors", (
        Row("swatch", "Primary", "primary_colour"), Row("swatch", "Primary Text", "primary_text_colour"),
        Row("swatch", "Background", "background_colour"), Row("swatch", "Text", "text_colour"),
        Row("swatch", "Box & Popup Background", "box_background_colour"),
        Row("swatch", "Box & Popup Text", "box_text_colour"))),
    Block("fonts", "Fonts", (
        _stand_in("text", "Heading Font Size"), _stand_in("text", "Normal Font Size"),
        Row("font", "Heading Font", "heading_font"), Row("font", "Normal Font", "body_font"))),
    Block("top_nav", "Top Nav Bar", (
        Row("swatches", "Colors", parts=(Row("swatch", "Background", "nav_background_colour"),
                                         Row("swatch", "Text", "nav_text_colour"))),
        _stand_in("text", "Logo Height"),
        Row("upload", "Logo", "nav_logo_url"))),
    Block("side_nav", "Side Nav Bar", (_stand_in("text", "Width"),), known=False),
    Block("header", "Header", (
        Row("toggle", "Show Header", "header_enabled"), _stand_in("text", "Header Height"),
        Row("upload", "Background Image", "header_background_url"), _stand_in("text", "Overlay Opacity"),
        Row("text", "Title", "header_title"), _stand_in("text", "Subtitle"),
        Row("upload", "Header Logo", "header_logo_url"))),
    Block("menu_nav", "Menu Nav Bar", (_stand_in("text", "Style"),), known=False),
    Block("items", "Items", (
        Row("select", "Item Style", "item_layout", (("list", "List"), ("grid", "Grid"), ("card", "Card"))),
        Row("select", "Item Tag Position", "tag_position",
            (("outer-top", "Outer Top"), ("inner-bottom", "Inner Bottom"), ("inner-top", "Inner Top"))))),
    Block("item_modal", "Item Modal", (_stand_in("text", "Style"),), known=False),
    Block("cart", "Cart", (_stand_in("text", "Style"),), known=False),
    Block("footer", "Footer", (_stand_in("text", "Text"),), known=False),
    Block("store_status", "Store Status", (_stand_in("text", "Message"),), known=False),
    Block("mobile_app", "Mobile App", (_stand_in("text", "App Name"),), known=False),
    Block("favicon", "Favicon", (Row("upload", "Favicon", "favicon_url"),)),
    Block("seo", "SEO", (Row("text", "Store Page Title", "seo_title"),
                         Row("text", "Meta Description", "seo_meta"))),
    Block("social", "Social Media", (_stand_in("text", "Twitter"),
                                     Row("text", "Facebook", "facebook_url"),
                                     Row("text", "Instagram", "instagram_url"))),
    Block("custom_code", "Custom Code", (Row("textarea", "Head Code", "custom_head"),
                                         Row("textarea", "Body Code", "custom_body"))),
)

PROVIDERS = (("restaurant", "Restaurant Drivers"), ("uber", "Uber Direct"), ("doordash", "DoorDash Drive"))


def _timing() -> tuple[Row, ...]:
    return (_stand_in("toggle", "Enable Pre-orders"),
            Row("number", "First Order Offset", "first_order_offset"),
            Row("number", "Last Order Offset", "last_order_offset"), _stand_in("number", "Time Interval"),
            Row("number", "Maximum Days Ahead", "max_days_ahead"))


def _statuses(delivery: bool) -> tuple[Row, ...]:
    steps = [("Confirm", "auto_confirm"), ("Ready", "auto_ready")]
    steps += [("On Route", "auto_on_route")] if delivery else []
    steps += [("Complete", "auto_complete")]
    toggles = tuple(Row("toggle", f"Auto {label}", name) for label, name in steps)
    times = tuple(Row("number", f"Time Till {label}", f"{name}_minutes") for label, name in steps)
    return (_stand_in("number", "Default Wait Time"), Row("autostatus", "Automatic Statuses", parts=toggles),
            *times)


def _general(delivery: bool) -> tuple[Row, ...]:
    rows = [Row("toggle", "Enabled", "enabled"), _stand_in("text", "Display Name")]
    if delivery:
        rows += [Row("selectadv", "Default Delivery Provider", "delivery_provider", PROVIDERS),
                 _stand_in("text", "Notes"), _stand_in("toggle", "Use Driver App"),
                 Row("toggle", "Enable Map picker", "map_picker"), _stand_in("toggle", "Show Distance"),
                 _stand_in("number", "Maximum Distance"), _stand_in("toggle", "Collect Building Name"),
                 Row("toggle", "Force Street Number", "force_street_number"),
                 Row("toggle", "Force Specific street address", "force_specific_address")]
    else:
        rows += [_stand_in("text", "Notes")]
    return tuple(rows)


CONDITIONS = (Row("number", "Minimum Order Amount", "min_order"), _stand_in("number", "Maximum Order Amount"))
CHECKOUT = (Row("checkout", "Custom Checkout Fields", "checkout_fields"),)
SERVICE_TABS = {
    "pickups": (("General", _general(False)), ("Order Timing", _timing()), ("Conditions", CONDITIONS),
                ("Wait Times & Auto Statuses", _statuses(False)), ("Custom Checkout Fields", CHECKOUT)),
    "deliveries": (("General", _general(True)), ("Conditions", CONDITIONS),
                   ("Fees", (_stand_in("number", "Delivery Fee"),)),
                   ("Wait Times & Auto Statuses", _statuses(True)), ("Order Timing", _timing()),
                   ("Zones", (_stand_in("text", "Zone Name"),)),
                   ("Availability", (_stand_in("text", "Hours"),)),
                   ("Custom Checkout Fields", CHECKOUT)),
    "dine_ins": (("General", _general(False)), ("Order Timing", _timing())),
    "table_bookings": (("General", _general(False)),),
}
SERVICE_TITLES = {"pickups": "Pickups", "deliveries": "Deliveries", "dine_ins": "Dine-Ins",
                  "table_bookings": "Table Bookings"}

STRIPE_LAYOUTS = ("Tabs", "Accordion with radio button", "Accordion without radio button")  # 3rd: ST:530
STRIPE_THEMES = ("Stripe", "Night", "Flat")  # 3rd = "Flat" (ST:545)
CURRENCIES = ("NZD", "AUD", "GBP", "USD", "CAD", "EUR")
STRIPE_ROWS = (
    Row("toggle", "Enabled", "enabled"),
    Row("connect", "Stripe Connect"),
    Row("selectadv", "Currency", "currency", tuple((c, c) for c in CURRENCIES)),
    _stand_in("toggle", "Allow Saved Cards"), _stand_in("text", "Statement Descriptor"),
    Row("selectadv", "Layout", "layout", tuple((v, v) for v in STRIPE_LAYOUTS)),
    Row("selectadv", "Theme", "theme", tuple((v, v) for v in STRIPE_THEMES)),
    _stand_in("number", "Transaction Fee"),
    Row("text", "Label", "label"), Row("text", "Delivery Label", "delivery_label"),
    Row("text", "Print Label", "print_label"), Row("number", "Maximum Order Value", "max_order"),
    Row("number", "Minimum Order Value", "min_order"),
)


def stripe_rows(with_connect: bool) -> tuple[Row, ...]:
    """Both live versions of the Stripe form (§2 #1): with the Connect block at row 2, or without."""
    return STRIPE_ROWS if with_connect else tuple(r for r in STRIPE_ROWS if r.kind != "connect")


PAYMENTS_BLOCKS = (Block("cash", "Cash", (Row("toggle", "Enabled"),), known=False),
                   Block("card", "Card", (Row("toggle", "Enabled"),), known=False))

SYSTEM_BLOCKS = (
    Block("general", "General Settings", (
        Row("text", "Restaurant Name", "name"), _stand_in("text", "Description"),
        _stand_in("text", "Email"), _stand_in("text", "Website"), _stand_in("text", "Business Number"),
        _stand_in("text", "Legal Name"), _stand_in("toggle", "Tax in Prices"),
        Row("taxes", "Taxes", "taxes"))),
    Block("location", "Location Settings", (
        _stand_in("text", "Address"), _stand_in("text", "Map Zoom"), _stand_in("text", "Latitude"),
        Row("text", "Phone Number", "phone"))),
    Block("opening_hours", "Opening Hours", (_stand_in("text", "Note"),), known=False),
    Block("holidays", "Holidays", (_stand_in("text", "Note"),), known=False),
    Block("ordering", "Ordering", (_stand_in("text", "Note"),), known=False),
    Block("order_notifications", "Order Notifications", (_stand_in("text", "Note"),), known=False),
    Block("receipt_printing", "Receipt Printing", (), shape="printers"),
    Block("email_notifications", "Email Notifications", (_stand_in("text", "Note"),), known=False),
    Block("audio", "Audio Notifications", (
        Row("selectadv", "Sound", "audio_sound", tuple((s, s) for s in (
            "Default", "Chime", "Bell", "Alert", "Ding", "Plucky", "Siren"))),
        Row("number", "Repeat Count", "audio_repeat"), Row("toggle", "Stop on Click", "audio_stop_on_click")),
        shape="b"),
    Block("customer_accounts", "Customer Accounts", (), shape="accounts"),
    Block("order_status", "Order Status", (_stand_in("text", "Note"),), known=False),
    Block("dine_in_tables", "Tables", (_stand_in("text", "Note"),), known=False),
    Block("webhooks", "Webhooks", (), shape="webhooks"),
)
