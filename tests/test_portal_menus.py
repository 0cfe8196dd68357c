"""Admin portal menus — CSV import, option sets, item tags — through the page objects in a real
headless Chromium, asserting the portal's server-side state."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import pytest
from fixtures_browser import OWNER_EMAIL, OWNER_PASSWORD, BrowserRunner, PortalSite
from playwright.async_api import Page

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.sandbox.portal_menus import CSV_COLUMNS, parse_menu_csv
from regctl.sandbox.portal_state import Category, Menu, MenuItem
from regctl.steps.portal import menus_item_tags as tags
from regctl.steps.portal import menus_option_sets as option_sets
from regctl.steps.portal.locators import set_drift_hook
from regctl.steps.portal.login import login
from regctl.steps.portal.menus_import import import_menu_csv
from regctl.steps.portal.menus_state import existing_menus, open_menus_tab
from regctl.steps.portal.navigation import open_restaurant_page

pytestmark = pytest.mark.browser

ROWS = [("Burgers", "Kūmara Burger", "14.50", "Vegetarian"), ("Burgers", "Beef Burger", "16.00", ""),
        ("Sides", "Chips", "5.00", "Vegan, GF")]


def _csv(path: Path, rows: list[tuple[str, str, str, str]], drop: str = "") -> Path:
    columns = [c for c in CSV_COLUMNS if c != drop]
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=columns)
        writer.writeheader()
        for category, dish, price, tag_text in rows:
            row = {c: "" for c in columns} | {"menuName": "Menu", "categoryName": category, "dishName": dish,
                                              "dishPrice": price, "dishType": "standard", "tags": tag_text,
                                              "isCDNImage": "FALSE"}
            writer.writerow({k: v for k, v in row.items() if k in columns})
    return path


def _restaurant_with_menu(site: PortalSite) -> Any:
    r = site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen")
    r.menus.append(Menu("Menu", [
        Category("Featured Items", [MenuItem("Beef Burger", 16.0)]),
        Category("Burgers", [MenuItem("Beef Burger", 16.0), MenuItem("Kūmara Burger", 14.5)]),
        Category("Sides", [MenuItem("Chips", 5.0)])]))
    return r


async def _menus(page: Page, site: PortalSite, rid: str, tab: str = "Menus") -> None:
    await login(page, site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
    await open_restaurant_page(page, site.admin_url, rid)
    await open_menus_tab(page, tab)


def test_the_sandbox_validates_csv_columns_and_values(tmp_path: Path) -> None:
    menu = parse_menu_csv(_csv(tmp_path / "ok.csv", ROWS).read_text())
    assert [c.name for c in menu.categories] == ["Burgers", "Sides"]
    assert menu.categories[1].items[0].tags == ["Vegan", "GF"]
    with pytest.raises(ValueError, match="missing columns: dishPrice"):
        parse_menu_csv(_csv(tmp_path / "bad.csv", ROWS, drop="dishPrice").read_text())
    with pytest.raises(ValueError, match="row 3: dishPrice 'abc' is not a number"):
        parse_menu_csv(_csv(tmp_path / "nan.csv", [ROWS[0], ("Sides", "Chips", "abc", "")]).read_text())


def test_csv_import_creates_the_menu(browser: BrowserRunner, portal_site: PortalSite, tmp_path: Path) -> None:
    r = portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen")
    path = _csv(tmp_path / "menu.csv", ROWS)

    async def flow(page: Page) -> Any:
        await _menus(page, portal_site, r.id)
        outcome = await import_menu_csv(page, path)
        return outcome, await existing_menus(page)

    outcome, menus = browser.run(flow)
    assert (outcome.items_before, outcome.items_after) == (0, 3)
    assert [(m.name, m.items) for m in menus] == [("Menu", 3)]
    assert r.menus[0].item_names() == ["Kūmara Burger", "Beef Burger", "Chips"]
    assert r.menus[0].categories[0].items[0].price == 14.5


def test_csv_errors_are_reported_in_the_portals_words(browser: BrowserRunner, portal_site: PortalSite,
                                                      tmp_path: Path) -> None:
    r = portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen")
    path = _csv(tmp_path / "menu.csv", ROWS, drop="categoryName")

    async def flow(page: Page) -> None:
        await _menus(page, portal_site, r.id)
        await import_menu_csv(page, path)

    with pytest.raises(PermanentStepError, match="Error: Invalid CSV - missing columns: categoryName"):
        browser.run(flow)
    assert r.menus == []


def test_the_csv_import_fault_is_retryable_and_writes_nothing(browser: BrowserRunner, portal_site: PortalSite,
                                                              tmp_path: Path) -> None:
    r = portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen")
    portal_site.set_faults({"portal.menu_import": {"csv_import_fails": True}})
    path = _csv(tmp_path / "menu.csv", ROWS)

    async def flow(page: Page) -> None:
        await _menus(page, portal_site, r.id)
        await import_menu_csv(page, path)

    with pytest.raises(RetryableStepError, match="import limit was reached"):
        browser.run(flow)
    assert r.menus == []


def test_option_sets_are_created_once_and_attached(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = _restaurant_with_menu(portal_site)
    sauces = option_sets.OptionSetInput(
        name="Sauces", display_name="Choose a sauce", required=True, select_multiple=True, min_options=1,
        max_options=2, options=(option_sets.OptionInput("Aioli", 1.5), option_sets.OptionInput("Tomato")),
        items=("Beef Burger", "Chips", "Pavlova"))
    size = option_sets.OptionSetInput(name="Size", options=(option_sets.OptionInput("Large", 2),),
                                      items=("Kūmara Burger",))

    async def flow(page: Page) -> Any:
        await _menus(page, portal_site, r.id, "Option Sets")
        first = await option_sets.ensure_option_sets(page, [sauces, size])
        second = await option_sets.ensure_option_sets(page, [sauces, size])
        return first, second

    first, second = browser.run(flow)
    assert first.failed == {}
    assert first.created == ["Sauces", "Size"] and first.missing_items == {"Sauces": ["Pavlova"]}
    assert second.created == [] and second.adopted == ["Sauces", "Size"]
    assert [s.name for s in r.option_sets] == ["Sauces", "Size"]
    made = r.option_sets[0]
    assert (made.display_name, made.required, made.select_multiple, made.enable_quantity) == (
        "Choose a sauce", True, True, True)
    assert (made.min_options, made.max_options) == (1, 2)
    assert [(o.name, o.print_name, o.price) for o in made.options] == [("Aioli", "Aioli", 1.5),
                                                                      ("Tomato", "Tomato", 0.0)]
    assert made.items == ["Beef Burger", "Chips"]
    assert r.option_sets[1].items == ["Kūmara Burger"] and not r.option_sets[1].enable_quantity


def test_item_tags_are_created_once_with_colours(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = _restaurant_with_menu(portal_site)
    wanted = [tags.ItemTagInput("Vegetarian", tags.TAG_PRESETS["Vegetarian"], ("Kūmara Burger",)),
              tags.ItemTagInput("Popular", tags.TAG_PRESETS["Popular"], ("Beef Burger", "Chips"))]

    async def flow(page: Page) -> Any:
        await _menus(page, portal_site, r.id, "Item Tags")
        return [await tags.ensure_item_tags(page, wanted), await tags.ensure_item_tags(page, wanted)]

    first, second = browser.run(flow)
    assert first.created == ["Vegetarian", "Popular"] and second.adopted == ["Vegetarian", "Popular"]
    assert [(t.name, t.text, t.colour.upper(), t.items) for t in r.item_tags] == [
        ("Vegetarian", "Vegetarian", "#32CD32", ["Kūmara Burger"]),
        ("Popular", "Popular", "#B400FA", ["Beef Burger", "Chips"])]
    assert tags.preset_tag("most liked") == "Popular" and tags.preset_tag("GF") == "Gluten Free"
    assert tags.preset_tag("pineapple") is None


def test_a_bad_tag_colour_fails_that_tag_only(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = _restaurant_with_menu(portal_site)
    wanted = [tags.ItemTagInput("Odd", "purple"), tags.ItemTagInput("New", tags.TAG_PRESETS["New"])]

    async def flow(page: Page) -> Any:
        await _menus(page, portal_site, r.id, "Item Tags")
        return await tags.ensure_item_tags(page, wanted)

    report = browser.run(flow)
    assert report.created == ["New"] and "must be a hex colour" in report.failed["Odd"]
    assert [t.name for t in r.item_tags] == ["New"]


def test_a_renamed_create_button_is_found_by_fallback_and_named_as_drift(browser: BrowserRunner,
                                                                         portal_site: PortalSite) -> None:
    r = _restaurant_with_menu(portal_site)
    portal_site.set_faults({"portal.layout": {"layout_drift": ["menus_create_text"]}})
    warnings: list[str] = []

    async def flow(page: Page) -> Any:
        set_drift_hook(page, warnings.append)
        await _menus(page, portal_site, r.id, "Option Sets")
        return await option_sets.ensure_option_sets(page, [option_sets.OptionSetInput(name="Size")])

    report = browser.run(flow)
    assert report.created == ["Size"] and [s.name for s in r.option_sets] == ["Size"]
    assert warnings and all(w == warnings[0] for w in warnings)
    assert warnings[0].startswith("portal drift: the Create New Option Set button (menus.create) found by "
                                  "fallback css=#scroll-root > div > div > div > div > div > div.m-t-8")
    assert 'primary role=button "Create New Option Set" did not match' in warnings[0]
