"""The portal's Menus page: tab group Menus | Option Sets | Item Tags (real-portal-pages.md §6–§8).

The CSV import validates the portal's columns and reports problems on the page in the portal's own
words ("Error: …"); under the ``csv_import_fails`` fault it rejects every upload with the portal's
failure text. Option sets and item tags attach to items by name; creating a second one with an
existing name is allowed, as in the real portal — that is what the audit log catches.
"""

from __future__ import annotations

import csv
import io
import secrets
import string

from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from regctl.sandbox.portal_settings import PortalPages
from regctl.sandbox.portal_state import Category, ItemTag, Menu, MenuItem, Option, OptionSet, Restaurant
from regctl.sandbox.portal_web import form_bool, form_file, form_int, form_text

__all__ = ["CSV_COLUMNS", "IMPORT_FAILED_TEXT", "parse_menu_csv", "routes"]

CSV_COLUMNS = (
    "menuID", "menuName", "menuDisplayName", "menuDescription", "categoryID", "categoryName",
    "categoryDisplayName", "categoryDescription", "dishID", "dishName", "dishPrice", "dishType",
    "dishDescription", "displayName", "printName", "tags", "isCDNImage", "imageCDNID",
    "imageCDNFilename", "imageExternalURL",
)
IMPORT_FAILED_TEXT = "Error: Failed to import menu - the import limit was reached, please try again later"
DISH_TYPES = ("standard", "combo")
TABS = ("menus", "option-sets", "item-tags")


class CsvImportError(ValueError):
    """The uploaded CSV is not importable; the message is what the portal shows."""


def parse_menu_csv(text: str) -> Menu:
    """A menu from the portal's import CSV, or CsvImportError naming the row and column at fault."""
    rows = list(csv.DictReader(io.StringIO(text)))
    header = next(csv.reader(io.StringIO(text)), [])
    missing = [column for column in CSV_COLUMNS if column not in header]
    if missing:
        raise CsvImportError(f"Error: Invalid CSV - missing columns: {', '.join(missing)}")
    if not rows:
        raise CsvImportError("Error: Invalid CSV - the file has no menu items")
    menu = Menu(name=rows[0]["menuName"].strip() or "Menu")
    for line, row in enumerate(rows, start=2):
        category = _category(menu, _required(row, "categoryName", line))
        category.items.append(_item(row, line))
    return menu


def _required(row: dict[str, str], column: str, line: int) -> str:
    value = (row.get(column) or "").strip()
    if not value:
        raise CsvImportError(f"Error: Invalid CSV - row {line}: {column} is required")
    return value


def _category(menu: Menu, name: str) -> Category:
    found = next((c for c in menu.categories if c.name == name), None)
    if found is None:
        found = Category(name=name)
        menu.categories.append(found)
    return found


def _item(row: dict[str, str], line: int) -> MenuItem:
    name = _required(row, "dishName", line)
    try:
        price = float(_required(row, "dishPrice", line))
    except ValueError:
        raise CsvImportError(f"Error: Invalid CSV - row {line}: dishPrice {row['dishPrice']!r} "
                             "is not a number") from None
    dish_type = (row.get("dishType") or "").strip() or "standard"
    if dish_type not in DISH_TYPES or price < 0:
        raise CsvImportError(f"Error: Invalid CSV - row {line}: invalid dishType or negative dishPrice")
    is_cdn = (row.get("isCDNImage") or "FALSE").strip().upper()
    if is_cdn not in {"TRUE", "FALSE"} or (is_cdn == "TRUE" and not (row.get("imageCDNID") or "").strip()):
        raise CsvImportError(f"Error: Invalid CSV - row {line}: isCDNImage TRUE needs an imageCDNID")
    tags = [t.strip() for t in (row.get("tags") or "").split(",") if t.strip()]
    return MenuItem(name=name, price=round(price, 2), description=(row.get("dishDescription") or "").strip(),
                    dish_type=dish_type, tags=tags,
                    image_cdn_id=(row.get("imageCDNID") or "").strip() if is_cdn == "TRUE" else "",
                    image_cdn_filename=(row.get("imageCDNFilename") or "").strip()
                    if is_cdn == "TRUE" else "")


class Menus:
    """Handlers of /restaurant/{rid}/menus: the page (one tab's content), and the in-place saves.

    The page is a single-page app: the dialogs post with ``fetch`` and get JSON back — ``{"ok": true}``
    (the page then re-reads the tab and closes the dialog, showing no message) or ``{"error": …}`` in
    the portal's words, shown inside the still-open dialog.
    """

    def __init__(self, portal: PortalPages) -> None:
        self.portal = portal

    async def page(self, request: Request, email: str) -> Response:
        await self.portal.enter("menus")
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return Response("Restaurant not found", status_code=404)
        tab = request.query_params.get("tab", "menus")
        return self.portal.page(request, "portal_menus.html", r=restaurant,
                                store_url=self.portal.store_url(request, restaurant),
                                tab=tab if tab in TABS else "menus", modal_ids=_modal_ids())

    async def import_csv(self, request: Request, email: str) -> Response:
        faults = await self.portal.enter("menu_import")
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return _refused("Error: Restaurant not found", 404)
        try:
            async with request.form() as form:
                upload = form_file(form, "file")
                if faults.has("csv_import_fails"):
                    raise CsvImportError(faults.message or IMPORT_FAILED_TEXT)
                if upload is None:
                    raise CsvImportError("Error: Please choose a CSV file to upload")
                menu = parse_menu_csv((await upload.read()).decode("utf-8-sig", errors="replace"))
        except CsvImportError as exc:
            self.portal.audit(request, f"csv import rejected {restaurant.id}")
            return _refused(str(exc))
        restaurant.menus.append(menu)
        self.portal.audit(request, f"csv import {restaurant.id} menu {menu.name!r} "
                                   f"{len(menu.item_names())} items")
        return JSONResponse({"ok": True})

    async def create_option_set(self, request: Request, email: str) -> Response:
        await self.portal.enter("menus")
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return _refused("Error: Restaurant not found", 404)
        option_set, errors = _option_set_from(await request.form(), restaurant)
        if option_set is None:
            return _refused("Error: " + "; ".join(errors))
        restaurant.option_sets.append(option_set)
        self.portal.audit(request, f"create option set {option_set.name!r} {restaurant.id}")
        return JSONResponse({"ok": True})

    async def create_item_tag(self, request: Request, email: str) -> Response:
        await self.portal.enter("menus")
        restaurant = self.portal.owned(request)
        if restaurant is None:
            return _refused("Error: Restaurant not found", 404)
        tag, errors = _item_tag_from(await request.form(), restaurant)
        if tag is None:
            return _refused("Error: " + "; ".join(errors))
        restaurant.item_tags.append(tag)
        self.portal.audit(request, f"create item tag {tag.name!r} {restaurant.id}")
        return JSONResponse({"ok": True})


def _modal_ids() -> list[str]:
    """Random ids for the option-set and item-tag modals (the real ones are random: §1.10)."""
    alphabet = string.ascii_letters + string.digits + "_"
    return ["".join(secrets.choice(alphabet) for _ in range(10)) for _ in range(2)]


def _refused(message: str, status: int = 400) -> Response:
    return JSONResponse({"error": message}, status_code=status)


def _ticked_items(form: FormData, restaurant: Restaurant) -> list[str]:
    """Unique ticked item names, in menu order (an item may appear under several categories)."""
    ticked = {str(v) for v in form.getlist("items")}
    ordered = dict.fromkeys(name for name in restaurant.all_item_names() if name in ticked)
    return list(ordered)


def _option_set_from(form: FormData, restaurant: Restaurant) -> tuple[OptionSet | None, list[str]]:
    names = [str(v).strip() for v in form.getlist("option_name")]
    prints = [str(v).strip() for v in form.getlist("option_print_name")]
    prices = [str(v).strip() for v in form.getlist("option_price")]
    errors = [] if form_text(form, "name") else ["Name is required"]
    options = []
    for index, (name, print_name, price) in enumerate(zip(names, prints, prices, strict=False), start=1):
        if not name:
            errors.append(f"Option {index}: name is required")
            continue
        try:
            options.append(Option(name=name, print_name=print_name, price=float(price or 0)))
        except ValueError:
            errors.append(f"Option {index}: price {price!r} is not a number")
    if errors:
        return None, errors
    return OptionSet(
        name=form_text(form, "name"), display_name=form_text(form, "display_name"),
        required=form_bool(form, "required"), select_multiple=form_bool(form, "select_multiple"),
        enable_quantity=form_bool(form, "enable_quantity"), min_options=form_int(form, "min_options"),
        max_options=form_int(form, "max_options", 1), options=options,
        items=_ticked_items(form, restaurant)), []


def _item_tag_from(form: FormData, restaurant: Restaurant) -> tuple[ItemTag | None, list[str]]:
    colour = form_text(form, "colour")
    errors = [] if form_text(form, "name") else ["Tag Name is required"]
    if not (len(colour) == 7 and colour.startswith("#")
            and all(c in "0123456789abcdefABCDEF" for c in colour[1:])):
        errors.append(f"Colour {colour!r} must be a hex colour like #3f92ff")
    if errors:
        return None, errors
    return ItemTag(name=form_text(form, "name"), text=form_text(form, "text"), colour=colour,
                   items=_ticked_items(form, restaurant)), []


def routes(portal: PortalPages) -> list[BaseRoute]:
    menus = Menus(portal)
    base = "/restaurant/{rid}/menus"
    return [
        Route(base, portal.guard(menus.page), methods=["GET"]),
        Route(base + "/import", portal.guard(menus.import_csv), methods=["POST"]),
        Route(base + "/option-sets", portal.guard(menus.create_option_set), methods=["POST"]),
        Route(base + "/item-tags", portal.guard(menus.create_item_tag), methods=["POST"]),
    ]
