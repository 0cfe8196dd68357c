"""The real Menus page's locators resolve on the sandbox (real-portal-pages.md §6–§8, §19, §20.5–6).

FACTS are the production scripts' [P] selectors as data — selector, how many the real page had (1
where the script used it strictly, "U"; 0 meaning "at least one") and its source — each checked in a
real headless Chromium in the page state where the script used it. Then every locator of the menus
tables must resolve by its *primary* (our own twin shows no drift).
"""

from __future__ import annotations

from typing import Any

import pytest
from fixtures_browser import OWNER_EMAIL, OWNER_PASSWORD, BrowserRunner, PortalSite
from playwright.async_api import Locator, Page

from regctl.sandbox.portal_state import Category, Menu, MenuItem
from regctl.steps.portal.locators import PageTable, probe
from regctl.steps.portal.login import login
from regctl.steps.portal.menus_locators import CSV_IMPORT, MENUS, OPTION_SET_DIALOG
from regctl.steps.portal.menus_state import open_menus_tab
from regctl.steps.portal.navigation import open_restaurant_page

pytestmark = pytest.mark.browser

ONE, SOME = 1, 0
C = "#scroll-root > div > div > div > div > div"
BUTTONS = "div.group__ButtonGroupComponent-dVAWMN.puSOV.bsl-1"
GROUP = "div.group__FormGroupContent-ccjnpO.kpPgpj"
TABS = "-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK"
CREATE = f"{C} > div.m-t-8 > div.grid-2.xs.xs-gap.m-t-10 > div:nth-child(1) > div > button"
TREE_ROOT = "form > div > div:nth-child(1) > div > div > div > div > div > div > div.cursor.flex-center > svg"

MENUS_TAB = [
    (f"{C} > div.flex-l-r-center.m-b-6 > div > div:nth-child(3) > button", ONE, "[P] §6.1 IM:456"),
    (f"{C} > {BUTTONS} > button:nth-child(2)", ONE, "[P] §6.1 OS:113"),
    (f"{C} > {BUTTONS} > button:nth-child(3)", ONE, "[P] §6.1 IT:471"),
    (".item__Wrapper-kdLbfs.list-item", ONE, "[F] §6.1 UM:171"),
]
CSV_OPEN = [
    ("div.content__Content-hOzsB.UWPkM input", SOME, "[P] §6.2 IM:476"),
    ('button:has-text("Proceed")', ONE, "[P] §6.2 IM:508"),
    ("#Os_dpmgVLp-content button", SOME, "[P] §6.2 IM:583"),
    ('[id$="-content"] > div.content__Content-hOzsB.UWPkM', ONE, "[P] §1.10"),
]
CSV_PROCEEDED = [
    ('input[type="file"]', ONE, "[P] §6.2 IM:538"),
    ('button:has-text("Upload"):visible', ONE, "[P] §6.2 IM:573"),
]
OPTION_SETS_TAB = [(CREATE, ONE, "[P] §6.1 OS:117")]
OPTION_SET_GENERAL = [
    (f"form > div > div:nth-child(1) > div:nth-child(2) > div > {GROUP} > input", ONE, "[P] §7 OS:120 U"),
    (f"form > div > div:nth-child(1) > div:nth-child(3) > div > {GROUP} > input", ONE, "[P] §7 OS:121 U"),
    *((f"#option-set{TABS} > div:nth-child({n}) > div", ONE, f"[P] §7 OS:124 ({n})") for n in (1, 2, 3, 4)),
    ("form > div > div:last-child > button", ONE, "[P] §7 OS:142"),
    (".modal__CloseButton-ciHmJi", ONE, "[P] §1.10 FO:459 U"),
]
OPTION_SET_CONDITIONS = [
    *((f"form > div > div:nth-child(1) > div:nth-child({k}) > div > {GROUP} > div > label", ONE,
       f"[P] §7 OS:128-130 ({k})") for k in (1, 2, 3)),
    *((f"form > div > div:nth-child(1) > div:nth-child({k}) > div > {GROUP} > input", ONE,
       f"[P] §7 OS:131-132 U ({k})") for k in (4, 5)),
]
OPTION_SET_OPTIONS = [
    ("form > div > div:nth-child(1) > div > div > div > div:nth-child(2) > button", ONE, "[P] §7 OS:135"),
]
OPTION_ROW = [
    ("form table tbody tr", ONE, "[P] §7 OS:596"),
    ('form table tbody tr input[type="text"]', 2, "[P] §7 OS:600 (Name, Print Name)"),
    ('form table tbody tr input[type="number"]', ONE, "[P] §7 OS:620 (Price)"),
]
OPTION_SET_ITEMS = [(TREE_ROOT, ONE, "[P] §7 OS:139 (one menu)")]
TREE_OPEN = [
    ("form div.m-l-2 > div > div > div.cursor.flex-center > svg", 3, "[P] §7 OS:663 (3 categories)"),
    ('span.m-l-2:text-is("Beef Burger")', 2, "[P] §7 OS:684 (Featured Items + Burgers)"),
]
ITEM_TAG_GENERAL = [
    (f"form > div > div:nth-child(3) > div:nth-child(1) > div > {GROUP} > input", ONE, "[P] §8 IT:96 U"),
    (f"form > div > div:nth-child(3) > div:nth-child(2) > div > {GROUP} > input", ONE, "[P] §8 IT:97 U"),
    (f"form > div > div:nth-child(3) > div:nth-child(4) > div > {GROUP} > div > "
     "div.group__FormGroupComponent-evaCTb.joUTxJ.m-b-0.m-r-6 > div > div > div > "
     "div.colorpicker__SwatchWrapper-kmfhwV.hqNLmj > div", ONE, "[P] §8 IT:98"),
    (f"#tag{TABS} > div:nth-child(2) > div", ONE, "[P] §8 IT:104"),
    ("form > div > div:nth-child(4) > button", ONE, "[P] §8 IT:100"),
]
HEX = (f"form > div > div:nth-child(3) > div:nth-child(4) > div > {GROUP} > div > "
       "div.group__FormGroupComponent-evaCTb.joUTxJ.m-b-0.m-r-6 > div > div > div > "
       "div.colorpicker__DropWrapper-hDQMcy.cAaOXs > div > div:nth-child(2) > div:nth-child(2) > "
       "div.flexbox-fix > div > div > input")
ITEM_TAG_PICKER = [(HEX, ONE, "[P] §8 IT:99 U")]
ITEM_TAG_ITEMS = [(TREE_ROOT, SOME, "[P] §8 IT:105 (.first())"),
                  ("form > div > div:nth-child(4) > button", ONE, "[P] §8 IT:100 (Save, items tab)")]


async def _wrong(page: Page, facts: list[tuple[str, int, str]]) -> list[str]:
    wrong = []
    for selector, expected, source in facts:
        count = await page.locator(selector).count()
        if (expected and count != expected) or (not expected and count < 1):
            wrong.append(f"{selector} ({source}): {count}")
    return wrong


async def _drift(root: Page | Locator, table: PageTable, **params: Any) -> list[str]:
    found = []
    for loc in table:
        if loc.key in params.get("skip", ()):
            continue
        values = {**dict(loc.probe_params), **params.get(loc.key, {})}
        resolution = await probe(root, loc, timeout_ms=3_000, **values)
        if not resolution.found or resolution.by_fallback:
            used = resolution.used.describe(values) if resolution.used else "nothing"
            found.append(f"{table.name}.{loc.key}: {used}")
    return found


def _restaurant(site: PortalSite) -> Any:
    r = site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen")
    r.menus.append(Menu("Menu", [
        Category("Featured Items", [MenuItem("Beef Burger", 16.0)]),
        Category("Burgers", [MenuItem("Beef Burger", 16.0), MenuItem("Kūmara Burger", 14.5)]),
        Category("Sides", [MenuItem("Chips", 5.0)])]))
    return r


async def _click(page: Page, selector: str) -> None:
    await page.locator(selector).first.click()


def test_the_real_menus_selectors_hold_in_every_state(browser: BrowserRunner,
                                                      portal_site: PortalSite) -> None:
    r = _restaurant(portal_site)

    async def flow(page: Page) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {}
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        await open_restaurant_page(page, portal_site.admin_url, r.id)
        await open_menus_tab(page, "Menus")
        out["menus"] = await _wrong(page, MENUS_TAB) + await _drift(page, MENUS, skip=("create", "cards"))
        await _click(page, MENUS_TAB[0][0])
        out["csv"] = await _wrong(page, CSV_OPEN)
        out["csv"] += await _drift(page, CSV_IMPORT, skip=("file", "upload"))
        await page.locator("div.content__Content-hOzsB.UWPkM input").first.fill("import")
        await _click(page, 'button:has-text("Proceed")')
        out["csv_file"] = await _wrong(page, CSV_PROCEEDED)
        out["csv_file"] += await _drift(page, CSV_IMPORT, skip=("dialog", "confirm", "proceed", "file"))
        await page.keyboard.press("Escape")
        await _click(page, MENUS_TAB[1][0])
        await page.locator(CREATE).wait_for()
        out["option_sets"] = await _wrong(page, OPTION_SETS_TAB)
        await _click(page, CREATE)
        await page.locator(OPTION_SET_GENERAL[0][0]).wait_for()
        out["os_general"] = await _wrong(page, OPTION_SET_GENERAL)
        form = page.locator("form")
        out["os_general"] += await _drift(form.locator("xpath=ancestor::*[contains(@id, '-content')][1]"),
                                          OPTION_SET_DIALOG, skip=("toggle", "number", "add_option",
                                                                   "option_rows", "tree_root"))
        await _click(page, f"#option-set{TABS} > div:nth-child(3) > div")
        out["os_conditions"] = await _wrong(page, OPTION_SET_CONDITIONS)
        await _click(page, f"#option-set{TABS} > div:nth-child(2) > div")
        out["os_options"] = await _wrong(page, OPTION_SET_OPTIONS)
        await _click(page, OPTION_SET_OPTIONS[0][0])
        out["os_row"] = await _wrong(page, OPTION_ROW)
        await _click(page, f"#option-set{TABS} > div:nth-child(4) > div")
        out["os_items"] = await _wrong(page, OPTION_SET_ITEMS)
        await _click(page, TREE_ROOT)
        out["os_tree"] = await _wrong(page, TREE_OPEN)
        await page.keyboard.press("Escape")
        await page.locator("form").wait_for(state="detached")
        await _click(page, MENUS_TAB[2][0])
        await page.get_by_role("button", name="Create New Item Tag").wait_for()
        await _click(page, CREATE)
        await page.locator(ITEM_TAG_GENERAL[0][0]).wait_for()
        out["tag_general"] = await _wrong(page, ITEM_TAG_GENERAL)
        await _click(page, ITEM_TAG_GENERAL[2][0])
        out["tag_picker"] = await _wrong(page, ITEM_TAG_PICKER)
        await page.keyboard.press("Escape")
        await _click(page, ITEM_TAG_GENERAL[3][0])
        out["tag_items"] = await _wrong(page, ITEM_TAG_ITEMS)
        return out

    out = browser.run(flow)
    assert {state: wrong for state, wrong in out.items() if wrong} == {}


def test_the_prior_scripts_flows_go_through(browser: BrowserRunner, portal_site: PortalSite,
                                            tmp_path: Any) -> None:
    """IM, OS and IT as the production scripts drive them — their selectors, strict where they were
    strict, no Escape after the tag colour (IT:516-624) — with element waits instead of their sleeps."""
    r = _restaurant(portal_site)
    csv_path = tmp_path / "menu.csv"
    from regctl.sandbox.portal_menus import CSV_COLUMNS
    csv_path.write_text(",".join(CSV_COLUMNS) + "\n" + ",".join(
        {"menuName": "Lunch", "categoryName": "Mains", "dishName": "Fish", "dishPrice": "20",
         "dishType": "standard", "isCDNImage": "FALSE"}.get(c, "") for c in CSV_COLUMNS) + "\n")
    dialog = '[id$="-content"]:has(> div.content__Content-hOzsB.UWPkM)'

    async def flow(page: Page) -> int:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        await open_restaurant_page(page, portal_site.admin_url, r.id)
        await page.click("#nav-link-menus")  # IM:421
        await page.locator(MENUS_TAB[0][0]).click()  # IM:456
        await page.locator("div.content__Content-hOzsB.UWPkM input").first.fill("import")
        await page.click('button:has-text("Proceed")')
        await page.locator('input[type="file"]').first.set_input_files(csv_path)
        await page.locator('button:has-text("Upload"):visible').click()
        await page.locator(dialog).wait_for(state="detached")
        errors = await page.locator("text=/Error|Failed|Invalid|Blocked|limit|rejected/i").count()  # IM:594
        await page.locator(MENUS_TAB[1][0]).click()  # OS:113
        await page.locator(CREATE).click()
        await page.locator(OPTION_SET_GENERAL[0][0]).fill("Sauces")  # strict, as OS:491
        await page.locator(OPTION_SET_GENERAL[1][0]).fill("Sauces")
        await page.locator(f"#option-set{TABS} > div:nth-child(3) > div").click()
        await page.locator(OPTION_SET_CONDITIONS[0][0]).click()  # Required
        await page.locator(OPTION_SET_CONDITIONS[3][0]).fill("1")
        await page.locator(OPTION_SET_CONDITIONS[4][0]).fill("1")
        await page.locator(f"#option-set{TABS} > div:nth-child(2) > div").click()
        await page.locator(OPTION_SET_OPTIONS[0][0]).click()
        row = page.locator("form table tbody tr").nth(0)
        await row.locator('input[type="text"]').nth(0).fill("Aioli")
        await row.locator('input[type="text"]').nth(1).fill("Aioli")
        await row.locator('input[type="number"]').nth(0).fill("1.50")
        await page.locator(f"#option-set{TABS} > div:nth-child(4) > div").click()
        await page.locator(TREE_ROOT).click()
        chevrons = page.locator(TREE_OPEN[0][0])
        for i in range(await chevrons.count()):
            await chevrons.nth(i).click()
        await page.locator('span.m-l-2:text-is("Chips")').locator("xpath=ancestor::label").click()
        await page.locator("form > div > div:last-child > button").click()
        await page.locator(dialog).wait_for(state="detached")
        await page.locator(MENUS_TAB[2][0]).click()  # IT:471
        await page.get_by_role("button", name="Create New Item Tag").wait_for()
        await page.locator(CREATE).click()
        await page.locator(ITEM_TAG_GENERAL[0][0]).fill("Popular")
        await page.locator(ITEM_TAG_GENERAL[1][0]).fill("Popular")
        await page.locator(ITEM_TAG_GENERAL[2][0]).click()
        await page.locator(HEX).fill("#b400fa")  # strict (IT:521); no Escape follows
        await page.locator(ITEM_TAG_GENERAL[3][0]).click()
        await page.locator(TREE_ROOT).first.click()
        chevrons = page.locator(TREE_OPEN[0][0])
        for i in range(await chevrons.count()):
            await chevrons.nth(i).click()
        await page.locator('span.m-l-2:text-is("Kūmara Burger")').locator("xpath=ancestor::label").click()
        await page.locator("form > div > div:nth-child(4) > button").click()
        await page.locator(dialog).wait_for(state="detached")
        return errors

    assert browser.run(flow) == 0
    assert [m.name for m in r.menus] == ["Menu", "Lunch"] and r.menus[1].item_names() == ["Fish"]
    [sauces] = r.option_sets
    assert (sauces.name, sauces.required, sauces.min_options, sauces.items) == ("Sauces", True, 1, ["Chips"])
    assert [(o.name, o.print_name, o.price) for o in sauces.options] == [("Aioli", "Aioli", 1.5)]
    [tag] = r.item_tags
    assert (tag.name, tag.text, tag.colour.upper(), tag.items) == ("Popular", "Popular", "#B400FA",
                                                                   ["Kūmara Burger"])
