"""regctl.steps.portal.locators: evidence of every locator, and resolving with drift warnings.

The evidence check is the "grep of regctl/steps/ finds no selector the reference does not evidence"
of issue 11: every id and class in a CSS locator (and every class prefix in a field's control) must
be one the reference (real-portal-pages.md) shows — listed below as data, each with its source.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from fixtures_browser import BrowserRunner

from regctl.errors import RetryableStepError
from regctl.steps.portal import hub_locators, menus_locators  # noqa: F401  (their tables join the registry)
from regctl.steps.portal import locators as L

# id / class → where real-portal-pages.md shows it.
EVIDENCED = {
    "#api-form-modal-content": "[P] §15 AK:198", "#email": "[F] §3.2 SY:218", "#password": "[F] §3.2 SY:219",
    "#nav-link-menus": "[P] §5 IM:421", "#nav-link-settings": "[P] §5 SV:346",
    "#nav-link-view-store": "[P] §5 WD:1423", "#restaurant-list-item-": "[P] §3.3 LR:834",
    "#scroll-root": "[P] §1.5 SV:490",
    ".PrPXn": "[P] §1.9", ".UWPkM": "[P] §1.10", ".WOtfi": "[P] §11.1 WD:717",
    ".block__Block-ljvlRq": "[P] §9", ".block__Content-bopatn": "[P] §9", ".cAaOXs": "[P] §11.2",
    ".cCRcoK": "[P] §1.10", ".centered": "[F] §3.3 IMb:214", ".child-mr-10": "[F] §3.3 IMb:214",
    ".colorpicker__DropWrapper-hDQMcy": "[P] §11.2", ".colorpicker__SwatchWrapper-kmfhwV": "[P] §11.2",
    ".components__TabSelectOptionsComponent-USxIn": "[P] §1.10", ".content__Content-hOzsB": "[P] §1.10",
    ".cover-loader": "[P] §3.2 LR:218", ".cursor": "[P] §13 ST:437", ".dIqlbY": "[P] §4 LR:353",
    ".dtQnDO": "[P] §1.9", ".eLvhDr": "[R] §9 SES:12", ".eMHWRb": "[P] §4 LR:331", ".epsQby": "[P] §9",
    ".ezKAHp": "[R] §4 LR:286", ".flex-l-r-center": "[P] §13 ST:437", ".flex-line": "[P] §13 ST:437",
    ".flexbox-fix": "[P] §11.2", ".gVhfCf": "[P] §9", ".grid-2": "[P] §14 FO:395",
    ".group__FormGroupContent-ccjnpO": "[P] §1.8", ".hDzVir": "[P] §13",
    ".heading__SettingsSectionHeading-gINcTH": "[P] §13 ST:437", ".hqNLmj": "[P] §11.2",
    ".inputgroup__InputGroupField-cWVTlp": "[R] §4 LR:286",
    ".item-list__ItemListWrapper-dyLBYn": "[P] §15 AK:295", ".jZeUTf": "[P] §12 SV:807", ".jkyIVq": "[P] §15",
    ".kpPgpj": "[P] §1.8", ".lbcjnQ": "[P] §9", ".m-b-7": "[P] §15 AK:193", ".m-t-2": "[F] §3.3 IMb:214",
    ".m-t-4": "[P] §14 FO:395", ".md": "[P] §14 FO:395", ".modal__CloseButton-ciHmJi": "[P] §14 FO:459",
    ".p-lr-4": "[P] §15 AK:295", ".p-tb-2": "[P] §15 AK:295",
    ".preview__FieldActions-fEoEZR": "[P] §12 SV:807",
    ".section__SettingsSectionWrapper-VLcLJ": "[P] §9", ".selectadv__Dropdown-eSUwYi": "[P] §1.9",
    ".selectadv__DropdownOption-bmnJxJ": "[P] §1.9", ".selectadv__InputIcon-dZhktu": "[P] §1.9",
    ".selectadv__Wrapper-cKWklP": "[P] §12 FO:514", ".selectadv__WrapperInner-iDIBDX": "[P] §11.1 WD:717",
    ".selectasync__Dropdown-bYdgnM": "[P] §4 LR:353", ".selectasync__DropdownOption-gQpgNZ": "[P] §4 LR:366",
    ".selectasync__WrapperInner-fSgFTI": "[P] §4 LR:331", ".sm-gap": "[P] §14 FO:395",
    ".small": "[P] §15 AK:295",
    ".topnav__WrapperComponent-cVhDxE": "[R] §9 SES:12", ".uploadcare--dialog": "[P] §11.3 WD:844",
    ".uploadcare--preview__image": "[P] §11.3 WD:900",
    "prefix:colorpicker__SwatchWrapper-": "[P] §11.2", "prefix:selectadv__Wrapper-": "[P] §12 FO:514",
    "prefix:selectadv__WrapperInner-": "[P] §4 TF:602",
}


# portal-menus-hub's tables (regctl/steps/portal/menus_locators.py, hub_locators.py; imported above so the
# registry is the same whichever tests ran first).
EVIDENCED |= {
    "#option-set-tab-options-tab-select-content": "[P] §7 OS:124", "#tag-tab-options-tab-select-content":
    "[P] §8 IT:104", ".group__ButtonGroupComponent-dVAWMN": "[P] §6.1 OS:113", ".puSOV": "[P] §6.1 OS:113",
    ".bsl-1": "[P] §6.1 OS:113", ".m-b-6": "[P] §6.1 IM:456", ".m-t-8": "[P] §6.1 OS:117",
    ".m-t-10": "[P] §6.1 OS:117", ".xs": "[P] §6.1 OS:117", ".xs-gap": "[P] §6.1 OS:117",
    ".item__Wrapper-kdLbfs": "[F] §6.1 UM:171", ".list-item": "[F] §6.1 UM:171",
    ".flex-center": "[P] §7 OS:139",
    ".group__FormGroupComponent-evaCTb": "[P] §8 IT:98", ".joUTxJ": "[P] §8 IT:98", ".m-b-0": "[P] §8 IT:98",
    ".m-r-6": "[P] §8 IT:98", "#light-mode": "[P] §17.3 OP:160", ".bg-brand-yellow": "[P] §17.1 OP:98",
    ".font-mono": "[P] §17.3 OP:125", ".text-sm": "[P] §17.3 OP:125", ".grid": "[P] §17.3 OP:190",
    ".gap-3": "[P] §17.3 OP:190", ".space-y-6": "[P] §17.3 OP:247", ".space-y-2": "[P] §17.3 OP:247",
    ".mt-6": "[P] §17.3 OP:427", ".pt-4": "[P] §17.3 OP:427", ".border-t": "[P] §17.3 OP:427",
    ".border-gray-200": "[P] §17.3 OP:427",
}

def _tokens(find: L.Find) -> set[str]:
    if find.kind is L.Kind.FIELD:
        return {f"prefix:{m}" for m in re.findall(r"'([\w-]+__\w+-)'", find.role)}
    if find.kind is not L.Kind.CSS:
        return set()
    bare = re.sub(r'\[[^\]]*\]', "", re.sub(r'"[^"]*"', "", find.value))
    return {m.group(0) for m in re.finditer(r"[#.][A-Za-z_][\w-]*", bare)}


def test_every_id_and_class_in_the_tables_is_evidenced() -> None:
    unevidenced = {f"{t.name}.{loc.key}: {tok}" for t in L.tables() for loc in t for f in loc.finds()
                   for tok in _tokens(f) if tok not in EVIDENCED}
    assert unevidenced == set()


def test_every_find_carries_its_evidence_tag() -> None:
    untagged = [f"{t.name}.{loc.key}" for t in L.tables() for loc in t for f in loc.finds()
                if not re.match(r"\[[RPFNI]\] §\d", f.evidence)]
    assert untagged == []


def test_class_names_are_never_the_primary_when_the_reference_gives_a_text() -> None:
    """Spot checks of the rule: user-facing primaries where the reference records the text."""
    assert L.DASHBOARD["create"].primary.kind is L.Kind.ROLE
    assert L.SETTINGS["tab"].primary.kind is L.Kind.TEXT
    assert L.SETTINGS["save"].primary.kind is L.Kind.ROLE
    assert L.CREATE["tax"].primary.kind is L.Kind.FIELD


PAGE_OWN = Path(__file__).parents[1] / "regctl" / "steps" / "portal"
SELECTOR_LITERAL = re.compile(r"""["'][^"'\n]*(?:#[a-z][\w-]*|\.[a-z][\w]*__|\[id)[^"'\n]*["']""")


def test_the_page_objects_hold_no_selector_of_their_own() -> None:
    """Ids and classes live in the tables only (locators.py, menus_locators.py, hub_locators.py)."""
    mine = [p for p in PAGE_OWN.glob("*.py") if p.name not in ("locators.py", "locate.py")
            and not p.name.endswith("_locators.py")]  # menus_locators.py, hub_locators.py: tables too
    found = {p.name: SELECTOR_LITERAL.findall(p.read_text()) for p in mine}
    assert {name: hits for name, hits in found.items() if hits} == {}


# ---------------------------------------------------------------- resolving, in a browser ------

SAVE = L.Loc("save", "the Save button of {section}", L.role("button", "Save", "[P] §11.1 WD:676"),
             (L.css("form > div > button", "[P] §9 WD:676"),))


def _resolve_on(browser: BrowserRunner, html: str, loc: L.Loc, **params: Any) -> tuple[str, list[str]]:
    async def flow(page: Any) -> tuple[str, list[str]]:
        seen: list[str] = []
        L.set_drift_hook(page, seen.append)
        await page.set_content(html)
        found = await L.resolve(page, loc, timeout_ms=2_000, table_name="settings", **params)
        return await found.first.inner_text(), seen

    return browser.run(flow)


@pytest.mark.browser
def test_the_primary_resolves_without_drift(browser: BrowserRunner) -> None:
    html = "<form><div><button>Save</button></div></form>"
    assert _resolve_on(browser, html, SAVE, section="Themes") == ("Save", [])


@pytest.mark.browser
def test_a_fallback_resolves_and_names_the_drift(browser: BrowserRunner) -> None:
    html = "<form><div><button>Speichern</button></div></form>"  # the text changed, the structure did not
    text, seen = _resolve_on(browser, html, SAVE, section="Themes")
    assert text == "Speichern"
    assert seen == ['portal drift: the Save button of Themes (settings.save) found by fallback '
                    'css=form > div > button [P] §9 WD:676; primary role=button "Save" did not match']


@pytest.mark.browser
def test_nothing_found_names_the_intent_and_every_find(browser: BrowserRunner) -> None:
    with pytest.raises(RetryableStepError, match=r"no the Save button of Fonts within 2 s "
                                                 r'\(tried role=button "Save"; css=form > div > button\)'):
        _resolve_on(browser, "<p>empty</p>", SAVE, section="Fonts")


@pytest.mark.browser
def test_a_field_is_found_by_its_label_text(browser: BrowserRunner) -> None:
    html = ("<form><div><div><h3>Phone Number</h3><div><input id=x value=021></div></div></div>"
            "<div><label>Tax in Prices</label><div><label><span>Off</span></label></div></div></form>")

    async def flow(page: Any) -> list[str]:
        await page.set_content(html)
        phone = await L.resolve(page, L.CREATE["phone"], timeout_ms=2_000)
        tax = await L.resolve(page, L.CREATE["tax"], timeout_ms=2_000)
        return [await phone.input_value(), await tax.inner_text()]

    assert browser.run(flow) == ["021", "Off"]
