"""Where things are on the real portal's Menus page and its dialogs: one locator table per page state.

Evidence = §-numbers of /work/shared/reference/real-portal-pages.md with the prior scripts' lines
(IM = import-csv-menu.js, OS = add-option-sets.js, IT = add-item-tags.js, UM = upload-menu-images.js);
tags [R] real run, [P] production script, [F] fallback, [N] note, [I] inference. Primaries go by what
a user sees (a button's text, a field's label); the scripts' structural paths and styled-components
classes are the fallbacks. Where the reference records no visible text (the CSV confirmation box,
the items tree, the colour swatch) the evidenced structure is the primary.

The cards listing existing option sets / tags and the menu list's summaries are read by no prior
script; their shape is [I] (documented in docs/sandbox.md, "Menus page").
"""

from __future__ import annotations

from playwright.async_api import Page

from regctl.steps.portal.drift_probe import ProbeContext, visit
from regctl.steps.portal.locators import Loc, PageTable, css, field, register, role, text, wait_loader_gone

__all__ = ["CONTENT", "CSV_IMPORT", "ITEM_TAG_DIALOG", "MENUS", "OPTION_SET_DIALOG", "css_string"]

CONTENT = "#scroll-root > div > div > div > div > div"  # [P] §1.5 (IM:456, OS:114)
GROUP = "div.group__FormGroupContent-ccjnpO.kpPgpj"  # [P] §1.8
GRID = "div.m-t-8 > div.grid-2.xs.xs-gap.m-t-10"  # [P] §6.1 OS:117 (under CONTENT)
TAB_BAR = "-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK"
TREE_ROOT = "form > div > div:nth-child(1) > div > div > div > div > div > div > div.cursor.flex-center > svg"
MODAL_CONTENT = "div.content__Content-hOzsB.UWPkM"  # [P] §6.2 IM:476


def css_string(value: str) -> str:
    """``value`` quoted for a CSS / Playwright ``:text-is("…")`` argument."""
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"') + '"'


MENUS = register(PageTable("menus", "Menus (/restaurant/RES…/menus)", "§6.1", (
    Loc("tab", "the {name} button of the Menus tab group",
        role("button", "{name}", "[P] §6.1 OS:454-461 IT:471-476 (text fallbacks /Option|Sets/, "
                                 "/Item|Tags/)"),
        (css(f"{CONTENT} > div.group__ButtonGroupComponent-dVAWMN.puSOV.bsl-1 > button:nth-child({{n}})",
             "[P] §6.1 OS:113-114 IT:95"),),
        probe_params={"name": "Option Sets", "n": 2}),
    Loc("csv", "the CSV import button",
        role("button", "CSV", "[P] §6.1 IM:462 (the text fallback /CSV|Import/i)", exact=False),
        (css(f"{CONTENT} > div.flex-l-r-center.m-b-6 > div > div:nth-child(3) > button",
             "[P] §6.1 IM:456"),)),
    Loc("create", "the Create New {what} button",
        role("button", "Create New {what}", "[P] §7 §8 (dialog titles) OS:117 IT:95"),
        (css(f"{CONTENT} > {GRID} > div:nth-child(1) > div > button",
             "[P] §6.1 OS:117,486-488 IT:95,503-505"),),
        probe_params={"what": "Option Set"}),
    Loc("cards", "the cards of the existing {what}s",
        css(f"{GRID} > div:nth-child(n+2)", "[I] §6.1 (the grid after its Create card; read by no script)"),
        probe_params={"what": "Option Set"}, probe=False),
    Loc("menu_items", "the menus of the Menus tab", css(".item__Wrapper-kdLbfs.list-item", "[F] §6.1 UM:171"),
        (css('[class*="item__Wrapper-kdLbfs"]', "[F] §6.1 UM:171"),), probe=False),
)))

CSV_IMPORT = register(PageTable("menus.csv_import", "Menus → CSV import dialog", "§6.2", (
    Loc("dialog", "the CSV import dialog", css(f'[id$="-content"]:has(> {MODAL_CONTENT})', "[P] §6.2 IM:583 "
                                               "(#Os_dpmgVLp-content) §1.10"),
        (css('[id$="-content"]', "[P] §1.10 §6.2 IM:583", nth=0),)),
    Loc("confirm", "the box to type import into", css(f"{MODAL_CONTENT} input", "[P] §6.2 IM:476", nth=0),
        (css('div[class*="content__Content"] input', "[P] §6.2 IM:486", nth=0),)),
    Loc("proceed", "the Proceed button", role("button", "Proceed", "[P] §6.2 IM:508"),
        (css(f"{MODAL_CONTENT} button", "[P] §6.2 IM:514", nth=0),)),
    Loc("file", "the CSV file input", css('input[type="file"]', "[P] §6.2 IM:538", nth=0), probe=False),
    Loc("upload", "the Upload button", role("button", "Upload", "[P] §6.2 IM:573"),
        (css('div[class*="content__Content"] button:has-text("Upload")', "[P] §6.2 IM:580"),), probe=False),
)))

OPTION_SET_DIALOG = register(PageTable("menus.option_set", "Menus → Create New Option Set dialog", "§7", (
    Loc("tab", "the {name} tab of the option-set dialog", text("{name}", "[P] §7 OS:502-510 (text fallback)"),
        (css(f"#option-set{TAB_BAR} > div:nth-child({{n}}) > div", "[P] §7 OS:124-125,138 UIF:125"),),
        probe_params={"name": "Options", "n": 2}),
    Loc("name", "the Name input", field("Name", "[P] §7 OS:120 (field name)"),
        (css(f"form > div > div:nth-child(1) > div:nth-child(2) > div > {GROUP} > input",
             "[P] §7 OS:120 U"),)),
    Loc("display_name", "the Display Name input", field("Display Name", "[P] §7 OS:121 (field name)"),
        (css(f"form > div > div:nth-child(1) > div:nth-child(3) > div > {GROUP} > input",
             "[P] §7 OS:121 U"),)),
    Loc("toggle", "the {label} toggle", field("{label}", "[P] §7 OS:128-130 (field names)", "label"),
        (css(f"form > div > div:nth-child(1) > div:nth-child({{k}}) > div > {GROUP} > div > label",
             "[P] §7 OS:128-130"),), probe=False),
    Loc("number", "the {label} input", field("{label}", "[P] §7 OS:131-132 (field names)"),
        (css(f"form > div > div:nth-child(1) > div:nth-child({{k}}) > div > {GROUP} > input",
             "[P] §7 OS:131-132 U"),), probe=False),
    Loc("add_option", "the Add Option button", role("button", "Add Option", "[P] §7 OS:135"),
        (css("form > div > div:nth-child(1) > div > div > div > div:nth-child(2) > button",
             "[P] §7 OS:135"),), probe=False),
    Loc("option_rows", "the option rows", css("form table tbody tr", "[P] §7 OS:596"), probe=False),
    Loc("tree_root", "the items tree's root expander", css(TREE_ROOT, "[P] §7 OS:139 §8 IT:105"),
        (css("form div.cursor.flex-center > svg", "[P] §8 IT:556 ITI:37-41", nth=0),), probe=False),
    Loc("save", "the Save button of the option-set dialog", role("button", "Save", "[P] §7 (button text)"),
        (css("form > div > div:last-child > button", "[P] §7 OS:142"),)),
)))

ITEM_TAG_DIALOG = register(PageTable("menus.item_tag", "Menus → Create New Item Tag dialog", "§8", (
    Loc("tab", "the {name} tab of the item-tag dialog", text("{name}", "[P] §8 IT:530 ITI:33-34"),
        (css(f"#tag{TAB_BAR} > div:nth-child({{n}}) > div", "[P] §8 IT:104,530 ITI:33-34"),),
        probe_params={"name": "Add / Remove From Items", "n": 2}),
    Loc("name", "the Tag Name input", field("Tag Name", "[P] §8 IT:96 (field name)"),
        (css(f"form > div > div:nth-child(3) > div:nth-child(1) > div > {GROUP} > input",
             "[P] §8 IT:96 U"),)),
    Loc("text", "the Tag Text input", field("Tag Text", "[P] §8 IT:97 (field name)"),
        (css(f"form > div > div:nth-child(3) > div:nth-child(2) > div > {GROUP} > input",
             "[P] §8 IT:97 U"),)),
    Loc("swatch", "the tag's colour swatch",
        css(f"form > div > div:nth-child(3) > div:nth-child(4) > div > {GROUP} > div > "
            "div.group__FormGroupComponent-evaCTb.joUTxJ.m-b-0.m-r-6 > div > div > div > "
            "div.colorpicker__SwatchWrapper-kmfhwV.hqNLmj > div", "[P] §8 IT:98"),
        (css("form div.colorpicker__SwatchWrapper-kmfhwV.hqNLmj", "[P] §11.2 WD:628", nth=0),)),
    Loc("tree_root", "the items tree's root expander", css(TREE_ROOT, "[P] §8 IT:105,536"),
        (css("form div.cursor.flex-center > svg", "[P] §8 IT:556 ITI:37-41", nth=0),), probe=False),
    Loc("save", "the Save button of the item-tag dialog", role("button", "Save", "[P] §8 (button text)"),
        (css("form > div > div:nth-child(4) > button", "[P] §8 IT:100"),)),
)))

# Shared by both dialogs (§7 "Items tree"): category expanders and an item's entry, with its label.
CATEGORY_EXPANDERS = "form div.m-l-2 > div > div > div.cursor.flex-center > svg"  # [P] §7 OS:663
ITEM_ENTRY = "span.m-l-2:text-is({name})"  # [P] §7 OS:684 — then xpath=ancestor::label (OS:691)
ERROR_WORDS = r"Error|Failed|Invalid|Blocked|limit|rejected"  # [P] §6.2 IM:594


# ---------------------------------------------------------------- doctor --portal visits -------
# How the drift probe (regctl/steps/portal/drift_probe.py) brings each state into view, read-only:
# navigation, a tab, a dialog opened (never saved; the next visit's page load drops it). Registered
# with the tables, so wherever the tables are, their visits are too.

async def _menus_tab(page: Page, ctx: ProbeContext, tab: str) -> None:
    from regctl.steps.portal.menus_state import open_menus_tab

    await page.goto(f"{ctx.admin_url}/restaurant/{ctx.restaurant_id}", wait_until="domcontentloaded")
    await wait_loader_gone(page)
    await open_menus_tab(page, tab)


@visit("menus")
async def _visit_menus(page: Page, ctx: ProbeContext) -> None:
    await _menus_tab(page, ctx, "Option Sets")  # the header, the tab group and a Create button


@visit("menus.csv_import")
async def _visit_csv_import(page: Page, ctx: ProbeContext) -> None:
    await _menus_tab(page, ctx, "Menus")
    await (await MENUS.find(page, "csv")).first.click()  # the confirmation box is left empty


@visit("menus.option_set")
async def _visit_option_set(page: Page, ctx: ProbeContext) -> None:
    await _menus_tab(page, ctx, "Option Sets")
    await (await MENUS.find(page, "create", what="Option Set")).first.click()


@visit("menus.item_tag")
async def _visit_item_tag(page: Page, ctx: ProbeContext) -> None:
    await _menus_tab(page, ctx, "Item Tags")
    await (await MENUS.find(page, "create", what="Item Tag")).first.click()
