"""The reference's own selectors resolve on the sandbox's pages (issue 11, part 4).

Facts as data: each row is a selector quoted verbatim from real-portal-pages.md with its source tag
and how many elements the prior script needed (1 for the strict "U" locators, or "some"). The pages
are reached the way the prior scripts reached them; nothing here goes through regctl's page objects.
"""

# ruff: noqa: E501  (the facts below are the reference's selectors verbatim; a table reads best unwrapped)
from __future__ import annotations

from typing import Any

import pytest
from fixtures_browser import OWNER_EMAIL, OWNER_PASSWORD, BrowserRunner, PortalSite
from playwright.async_api import Page

pytestmark = pytest.mark.browser

SOME = -1
G = "div.group__FormGroupContent-ccjnpO.kpPgpj"
S = "#scroll-root > div > div > div > div > div > div.section__SettingsSectionWrapper-VLcLJ.gVhfCf"
OPEN = f"{S} > div > div.block__Block-ljvlRq.epsQby > div.block__Content-bopatn.lbcjnQ"

LOGIN = [('input[type="email"]', 1, "[P] §3.2 LR:182"), ('input[type="password"]', 1, "[P] §3.2 LR:186"),
         ('button[type="submit"]', 1, "[P] §3.2 LR:194 U")]
DASHBOARD = [("h4", 1, "[R] §3.3 LR:807"), ("#restaurant-list-item-0", 1, "[P] §3.3 LR:834"),
             ('#restaurant-list-item-0 button:has-text("Manage")', 1, "[P] §3.3 LR:834"),
             ('button[id="restaurant-list-item-view-store-0"]', 1, "[F] §3.3 LR:839"),
             ("#restaurant-list-item-0 > div > div.flex-line.centered.child-mr-10.m-t-2 > button:first-child", 1,
              "[F] §3.3 IMb:214"),
             ('button:has-text("Create New Restaurant")', 1, "[R] §3.3 LR:233 U"),
             ("#scroll-root > div > div > menu > div > div:nth-child(1) > nav > a:nth-child(4)", 1, "[P] §15 AK:177 U"),
             ("menu.topnav__WrapperComponent-cVhDxE.eLvhDr", 1, "[R] §9 SES:12")]
CREATE = [("form", 1, "[P] §4 LR:261"), ("div.inputgroup__InputGroupField-cWVTlp.ezKAHp", 1, "[R] §4 LR:286 U"),
          ('form input[type="text"]', SOME, "[P] §4 LR:267"), ('button:has-text("Google Maps")', 1, "[R] §4 LR:318"),
          (f"form > div:nth-child(4) > div > {G} > div > div.selectasync__WrapperInner-fSgFTI.eMHWRb", 1,
           "[P] §4 LR:331 U"),
          ('input[type="tel"]', 1, "[P] §4 LR:394"), ('button:has-text("Add Time Slot")', 1, "[R] §4 LR:457 U"),
          ('select:has(option:has-text("Monday"))', 1, "[R] §4 LR:475"),
          ('form > div:nth-child(6) input[type="text"]', 2, "[R] §4 LR:492"),
          (f"form > div:nth-child(7) > div > {G} > div", 1, "[P] §4 LR:556 U"),
          (f"form > div:nth-child(9) > div > {G} > div", 1, "[P] §4 LR:590 U"),
          (f"form > div:nth-child(12) > div > {G} > div", 1, "[P] §4 LR:624 U"),
          (f"form > div:nth-child(13) > div > {G} > div > label", 1, "[P] §4 LR:659 U"),
          ('label:has(span:has-text("Off"))', SOME, "[F] §4 RP:640"), ("form > button", 1, "[P] §4 LR:674 U"),
          ('[id$="--content"] > div.content__Content-hOzsB.UWPkM > form > button', 1, "[F] §4 RP:666"),
          ("div.selectadv__WrapperInner-kRcmvS", SOME, "[F] §4 TF:602")]
RESTAURANT = [("#nav-link-settings", 1, "[P] §5 SV:346"), ("#nav-link-menus", 1, "[P] §5 IM:421"),
              ("#nav-link-view-store", 1, "[P] §5 WD:1423"), ("#scroll-root", 1, "[P] §1.5 SV:490")]
SETTINGS = [('text="System"', SOME, "[P] §9 NAV-system-settings:184"), ('text="Services"', SOME, "[P] §9 SV:389"),
            ('text="Payments"', SOME, "[P] §9 ST:394"), ('text="Website"', SOME, "[P] §9 WD:487"),
            ('text="Integrations"', SOME, "[P] §9 FO:366"), ('[class*="TabSelectComponent"]', SOME, "[P] §9"),
            (f"{S} > div > div:nth-child(2)", 1, "[P] §10 SY:423")]
WEBSITE = [(f"{S} > div > div:nth-child(2)", 1, "[P] §11 WD:576"), ('div:has-text("Themes"):has(svg)', SOME,
                                                                    "[F] §11 WD:576"),
           (f"{S} > div > div:nth-child(18)", 1, "[P] §11 WD:1347")]
THEMES_OPEN = [(f"{OPEN} > div > div > div > div > button:nth-child(2)", 1, "[P] §11.1 WL:588"),
               (f"{OPEN} > div > div > div > div > button:nth-child(3)", 1, "[P] §11.1 WD:598")]
COLORS_OPEN = [(f"{OPEN} > form > div > div:nth-child({k}) > div > {G} > div > "
                "div.colorpicker__SwatchWrapper-kmfhwV.hqNLmj", 1, "[P] §11.1 WD:628") for k in range(1, 7)] + [
               (f"{OPEN} > form > div > button", 1, "[P] §11.1 WD:676")]
SERVICES_OPEN = [('text="Order Timing"', SOME, "[P] §12 SV:441"),
                 (f"{OPEN} > div > form > div > div > div > div > div > div:nth-child(1) > div > {G} > div > label", 1,
                  "[P] §12 SV:845"),
                 (f"{OPEN} > div > form > div > button", 1, "[P] §12 SV:478")]
DELIVERIES_OPEN = [('text="Wait Times & Auto Statuses"', SOME, "[P] §12 SV:498"), ("#section-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK"
                    " > div:nth-child(2) > div", 1, "[P] §12 SV:631"),
                   (f"{OPEN} > div > form > div > div > div > div > div > div:nth-child(6) > div > {G} > div > label",
                    1, "[P] §12 SV:589"),
                   (f"{OPEN} > div > form > div > div > div > div > div > div:nth-child(3) > div > {G} > "
                    "div.selectadv__Wrapper-cKWklP.hPMCFC > div.selectadv__InputIcon-dZhktu.PrPXn", 1, "[P] §12 FO:514")]
PAYMENTS = [(f"{S} > div > div.heading__SettingsSectionHeading-gINcTH.hDzVir.flex-l-r-center > "
             "div.flex-line.centered.cursor", 1, "[P] §13 ST:437")]
PAYMENT_MODAL = [('div[id$="-content"] > div:nth-child(4) > div > div:nth-child(1)', 1, "[P] §13 ST:445"),
                 ('div[id$="-content"] > div:nth-child(5) > button', 1, "[P] §13 ST:453 U")]
INTEGRATIONS = [("#scroll-root > div > div > div > div > div > div.m-t-4.grid-2.md.sm-gap > div:nth-child(11)", 1,
                 "[P] §14 FO:395"), ("text=/Google|Xero|Delivery Platforms/i", SOME, "[P] §14 NAV-integrations:211")]
UBER_MODAL = [('xpath=//*[contains(@id, "-content")]/div[3]/form/div[1]/div[1]/div[2]/label', 1, "[P] §14 FO:406 U"),
              ('xpath=//*[contains(@id, "-content")]/div[3]/form/div[3]/div/div/input', 1, "[P] §14 FO:412"),
              ('xpath=//*[@id="agree"]', 1, "[P] §14 FO:442"), (".modal__CloseButton-ciHmJi", 1, "[P] §14 FO:459 U"),
              ('xpath=//*[contains(@id, "-content")]/div[3]/form/button', 1, "[P] §14 FO:448")]
DEVELOPERS = [("#scroll-root > div > div > div > div > div > div:nth-child(1) > div.flex-l-r-center.m-b-7 > button", 1,
               "[P] §15 AK:193 U")]
API_MODAL = [(f"#api-form-modal-content > div.content__Content-hOzsB.UWPkM > form > div:nth-child(1) > div > {G} > input",
              1, "[P] §15 AK:203 U"),
             ("#api-form-modal-content > div.content__Content-hOzsB.UWPkM > form > button", 1, "[P] §15 AK:279 U")]


async def _counts(page: Page, facts: list[tuple[str, int, str]]) -> list[tuple[str, str, int]]:
    """The facts that do not hold: (tag, selector, count found)."""
    wrong = []
    for selector, wanted, tag in facts:
        count = await page.locator(selector).count()
        if (wanted == SOME and count == 0) or (wanted != SOME and count != wanted):
            wrong.append((tag, selector, count))
    return wrong


async def _settle(page: Page) -> None:
    await page.wait_for_selector(".cover-loader.active", state="detached")


async def _login(page: Page, site: PortalSite) -> list[Any]:
    await page.goto(site.admin_url + "/login")
    wrong = await _counts(page, LOGIN)
    await page.fill('input[type="email"]', OWNER_EMAIL)
    await page.fill('input[type="password"]', OWNER_PASSWORD)
    await page.click('button[type="submit"]')
    await page.wait_for_url(f"**/{site.admin_url.split('//')[1]}/")
    await _settle(page)
    return wrong


def test_login_dashboard_and_create_modal(browser: BrowserRunner, portal_site: PortalSite) -> None:
    portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")

    async def flow(page: Page) -> list[Any]:
        wrong = await _login(page, portal_site)
        assert await page.title() == "Dashboard"  # [R] SES:8
        wrong += await _counts(page, DASHBOARD)
        await page.click('button:has-text("Create New Restaurant")')
        await page.wait_for_selector("form")
        return wrong + await _counts(page, CREATE)

    assert browser.run(flow) == []


def test_restaurant_and_every_settings_tab(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")

    async def tab(page: Page, name: str) -> None:
        await page.locator(f'text="{name}"').first.click()
        await _settle(page)

    async def open_block(page: Page, n: int) -> None:
        await page.click(f"{S} > div > div:nth-child({n})")

    async def flow(page: Page) -> list[Any]:
        wrong = await _login(page, portal_site)
        await page.click("#restaurant-list-item-0 button:has-text(\"Manage\")")
        await page.wait_for_url(f"**/{portal_site.admin_url.split('//')[1]}/restaurant/**")
        wrong += await _counts(page, RESTAURANT)
        await page.click("#nav-link-settings")
        await _settle(page)
        wrong += await _counts(page, SETTINGS)
        await tab(page, "Website")
        wrong += await _counts(page, WEBSITE)
        await open_block(page, 2)
        wrong += await _counts(page, THEMES_OPEN)
        await open_block(page, 3)
        wrong += await _counts(page, COLORS_OPEN)
        await tab(page, "Services")
        await open_block(page, 3)
        wrong += await _counts(page, SERVICES_OPEN)
        await open_block(page, 2)
        wrong += await _counts(page, DELIVERIES_OPEN)
        await tab(page, "Payments")
        wrong += await _counts(page, PAYMENTS)
        await page.click(PAYMENTS[0][0])
        wrong += await _counts(page, PAYMENT_MODAL)
        await page.keyboard.press("Escape")
        await tab(page, "Integrations")
        wrong += await _counts(page, INTEGRATIONS)
        await page.click(INTEGRATIONS[0][0])
        wrong += await _counts(page, UBER_MODAL)
        return wrong

    assert browser.run(flow) == []
    assert r.id.startswith("RES")


def test_developers_page(browser: BrowserRunner, portal_site: PortalSite) -> None:
    portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")

    async def flow(page: Page) -> list[Any]:
        wrong = await _login(page, portal_site)
        await page.click(DASHBOARD[6][0])
        await _settle(page)
        wrong += await _counts(page, DEVELOPERS)
        await page.click(DEVELOPERS[0][0])
        return wrong + await _counts(page, API_MODAL)

    assert browser.run(flow) == []


C = 'xpath=//*[contains(@id, "-content")]'
GENERAL_OPEN = [(f"{OPEN} > form > div > div:nth-child(8) > div > {G} > div > div > button", 1, "[P] §10 SY:430")]
TAX_ROW = [(f"{OPEN} > form > div > div:nth-child(8) > div > {G} > div > div > div > div.flex-line > div.flex-line > div:nth-child(1) > div > {G} > input", 1, "[P] §10 SY:449"),
           (f"{OPEN} > form > div > div:nth-child(8) > div > {G} > div > div > div > div.flex-line > div.flex-line > div:nth-child(2) > div > {G} > input", 1, "[P] §10 SY:455"),
           (f"{OPEN} > form > div > button", 1, "[P] §10 SY:466")]
LOCATION_OPEN = [(f"{OPEN} > form > div > div:nth-child(4) > div > {G} > input", 1, "[P] §10 SY:493")]
PRINTING_OPEN = [(f"{OPEN} > div > div.p-4 > div.flex > button.button__ButtonComponent-igFjHP.kkCuBg.p-lr-2.m-r-2", 1, "[P] §10 SY:570")]
PRINTER_MODAL = [(f"{C}/form/div/div[1]/div[1]/div/div[2]/input", 1, "[P] §10 SY:582 U"),
                 (f"{C}/form/div/div[1]/div[2]/div/div[2]/div/label", 1, "[P] §10 SY:594"),
                 (f"{C}/div[2]/p/span", 1, "[P] §10 SY:738"), (f"{C}/form/div/div[2]/button", 1, "[P] §10 SY:748")]
PRINTER_CUSTOMIZATION = [(f"{C}/form/div/div[1]/div[1]/div/div[2]/div", 1, "[P] §10 SY:627"),
                         (f"{C}/form/div/div[1]/div[1]/div/div[2]/div/div[19]/div[1]/div/label", 1, "[P] §10 SY:638"),
                         (f"{C}/form/div/div[1]/div[2]/div/div[2]", 1, "[P] §10 SY:648")]
PRINTER_HEADER = [(f"{C}/form/div/div[1]/div[1]/div/div[2]/div[1]/label", 1, "[P] §10 SY:713"),
                  ('xpath=//*[@id="receipt-footer-html-editor"]/div[1]', 1, "[P] §10 SY:725")]
AUDIO_OPEN = [(f"{OPEN} > div > form > div > div:nth-child(1) > div > {G} > div > div.selectadv__InputIcon-dZhktu.PrPXn", 1, "[P] §10 SY:1022"),
              (f"{OPEN} > div > form > div > div:nth-child(2) > div > {G} input", 1, "[P] §10 SY:1032"),
              (f"{OPEN} > div > form > div > div:nth-child(3) > div > {G} > div > label", 1, "[P] §10 SY:1038"),
              (f"{OPEN} > div > form > div > button", 1, "[P] §10 SY:1042")]
ACCOUNTS_OPEN = [("#accounts-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK > div:nth-child(3) > div", 1, "[P] §10 SY:1059")]
GOOGLE_TAB = [(f"{OPEN} > div > form > div > div > div > div > div > div > div > {G} > input", 1, "[P] §10 SY:1064"),
              (f"{OPEN} > div > form > div > button", 1, "[P] §10 SY:1071")]
WEBHOOKS_OPEN = [(f"{OPEN} > div > button", 1, "[P] §10 SY:1084")]
WEBHOOK_MODAL = [(f"{C}/form/div/div[1]/div[2]/div/div[2]/input", 1, "[P] §10 SY:1096"), (f"{C}/div[2]/p/span", 1, "[P] §10 SY:1102"),
                 ("#webhook-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK > div:nth-child(2) > div", 1, "[P] §10 SY:1108")]
WEBHOOK_EVENTS = [(f"{C}/form/div/div[1]/div[{n}]/div/div[2]/div/label", 1, "[P] §10 SY:1113") for n in (2, 4, 5, 6, 7)] + [
                  (f"{C}/form/div/div[2]/button", 1, "[P] §10 SY:1133")]


def test_system_tab(browser: BrowserRunner, portal_site: PortalSite) -> None:
    portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")

    async def block(page: Page, n: int) -> None:
        await page.click(f"{S} > div > div:nth-child({n})")

    async def flow(page: Page) -> list[Any]:
        wrong = await _login(page, portal_site)
        await page.click('#restaurant-list-item-0 button:has-text("Manage")')
        await page.wait_for_url("**/restaurant/**")
        await page.click("#nav-link-settings")
        await _settle(page)
        await block(page, 2)
        wrong += await _counts(page, GENERAL_OPEN)
        await page.click(GENERAL_OPEN[0][0])
        wrong += await _counts(page, TAX_ROW)
        await block(page, 3)
        wrong += await _counts(page, LOCATION_OPEN)
        await block(page, 8)
        wrong += await _counts(page, PRINTING_OPEN)
        await page.click(PRINTING_OPEN[0][0])
        wrong += await _counts(page, PRINTER_MODAL)
        await page.locator(".components__TabSelectOptionsComponent-USxIn > div", has_text="Customization").click()
        wrong += await _counts(page, PRINTER_CUSTOMIZATION)
        await page.locator('div:has-text("Header & Footer"):not(:has-text("Customization"))').last.click()
        wrong += await _counts(page, PRINTER_HEADER)
        await page.keyboard.press("Escape")
        await block(page, 10)
        wrong += await _counts(page, AUDIO_OPEN)
        await block(page, 11)
        wrong += await _counts(page, ACCOUNTS_OPEN)
        await page.click(ACCOUNTS_OPEN[0][0])
        wrong += await _counts(page, GOOGLE_TAB)
        await block(page, 14)
        wrong += await _counts(page, WEBHOOKS_OPEN)
        await page.click(WEBHOOKS_OPEN[0][0])
        wrong += await _counts(page, WEBHOOK_MODAL)
        await page.click(WEBHOOK_MODAL[2][0])
        return wrong + await _counts(page, WEBHOOK_EVENTS)

    wrong = browser.run(flow)
    assert wrong == [], '\n'.join(map(str, wrong))


def test_the_system_flows_save_what_the_scripts_typed(browser: BrowserRunner, portal_site: PortalSite) -> None:
    """SY's steps with its own selectors: a GST row, a printer (its key read before Save), a webhook."""
    r = portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")

    async def flow(page: Page) -> dict[str, str]:
        await _login(page, portal_site)
        await page.goto(f"{portal_site.admin_url}/restaurant/{r.id}/settings")
        await _settle(page)
        await page.click(f"{S} > div > div:nth-child(2)")
        await page.click(GENERAL_OPEN[0][0])
        await page.fill(TAX_ROW[0][0], "GST")
        await page.fill(TAX_ROW[1][0], "15")
        await page.click(TAX_ROW[2][0])
        await _settle(page)
        await page.click(f"{S} > div > div:nth-child(8)")
        await page.click(PRINTING_OPEN[0][0])
        await page.fill(PRINTER_MODAL[0][0], "Receipt")
        key = await page.locator(PRINTER_MODAL[2][0]).inner_text()
        await page.click(PRINTER_MODAL[3][0])
        await _settle(page)
        await page.click(f"{S} > div > div:nth-child(14)")
        await page.click(WEBHOOKS_OPEN[0][0])
        await page.fill(WEBHOOK_MODAL[0][0], "https://hooks.example.nz/kai")
        secret = await page.locator(WEBHOOK_MODAL[1][0]).inner_text()
        await page.click(WEBHOOK_EVENTS[-1][0])
        await _settle(page)
        return {"key": key, "secret": secret}

    shown = browser.run(flow)
    assert [(t.name, t.rate) for t in r.taxes] == [("GST", 15.0)]
    assert [(p.name, p.key) for p in r.printers] == [("Receipt", shown["key"])]
    assert [(w.url, w.secret) for w in r.webhooks] == [("https://hooks.example.nz/kai", shown["secret"])]


def test_the_stock_checkout_field_is_where_sv_removes_it(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = portal_site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")
    delete = (f"{OPEN} > div > form > div > div > div > div > div > div > div > div:nth-child(1) > div:nth-child(1) > "
              "div.preview__FieldActions-fEoEZR.jZeUTf > button")  # [P] §12 SV:807

    async def flow(page: Page) -> int:
        await _login(page, portal_site)
        await page.goto(f"{portal_site.admin_url}/restaurant/{r.id}/settings?tab=services")
        await _settle(page)
        await page.click(f"{S} > div > div:nth-child(2)")
        await page.click("#section-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK > div:nth-child(8) > div")
        count = await page.locator(delete).count()
        await page.locator(delete).first.click()
        await page.click(f"{OPEN} > div > form > div > button")
        await _settle(page)
        return count

    assert browser.run(flow) == 2  # the field's actions: delete, edit — the script clicks the first
    assert r.services["deliveries"].checkout_fields == []


def test_lr_types_the_subdomain_after_clicking_its_field(browser: BrowserRunner, portal_site: PortalSite) -> None:
    async def flow(page: Page) -> str:
        await _login(page, portal_site)
        await page.click('button:has-text("Create New Restaurant")')
        await page.click("div.inputgroup__InputGroupField-cWVTlp.ezKAHp")  # [R] §4 LR:286 U, then keyboard.type
        await page.keyboard.type("kaikitchen")
        return await page.locator("div.inputgroup__InputGroupField-cWVTlp.ezKAHp input").input_value()

    assert browser.run(flow) == "kaikitchen"
