"""Admin portal settings tabs — Website, Services, Payments — driven through the page objects in a
real headless Chromium; every test asserts the portal's server-side state afterwards."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from fixtures_browser import OWNER_EMAIL, OWNER_PASSWORD, BrowserRunner, PortalSite
from PIL import Image
from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal import settings_payments as payments
from regctl.steps.portal import settings_services as services
from regctl.steps.portal import settings_website as website
from regctl.steps.portal.login import login
from regctl.steps.portal.navigation import open_restaurant_page, open_settings_tab
from regctl.steps.portal.website_state import hosted_url

pytestmark = pytest.mark.browser


def _png(path: Path, colour: tuple[int, int, int]) -> Path:
    Image.new("RGB", (40, 20), colour).save(path)
    return path


def _restaurant(site: PortalSite) -> Any:
    return site.state.add_restaurant(OWNER_EMAIL, "Kai Kitchen", address="1 Queen Street, Auckland")


async def _settings(page: Page, site: PortalSite, rid: str, tab: str) -> None:
    await login(page, site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
    await open_restaurant_page(page, site.admin_url, rid)
    await open_settings_tab(page, tab)


def test_theme_switch_accepts_the_overwrite_dialog_once(browser: BrowserRunner,
                                                         portal_site: PortalSite) -> None:
    r = _restaurant(portal_site)

    async def flow(page: Page) -> list[Any]:
        await _settings(page, portal_site, r.id, "Website")
        before = await website.current_theme(page)
        return [before, await website.set_theme(page, "light"), await website.set_theme(page, "light"),
                await website.current_theme(page)]

    assert browser.run(flow) == ["dark", True, False, "light"]
    assert r.website.theme == "light"
    assert len(portal_site.audit_summaries("website themes")) == 1


def test_a_dismissed_theme_dialog_changes_nothing(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = _restaurant(portal_site)

    async def flow(page: Page) -> str:
        await _settings(page, portal_site, r.id, "Website")
        await page.get_by_text("Themes", exact=True).click()
        await page.get_by_role("button", name="Light Theme").click()  # no handler: dismissed
        return await website.current_theme(page)

    assert browser.run(flow) == "dark"
    assert r.website.theme == "dark"


def test_every_website_section_saves(browser: BrowserRunner, portal_site: PortalSite, tmp_path: Path) -> None:
    r = _restaurant(portal_site)
    logo, favicon = _png(tmp_path / "logo.png", (200, 30, 30)), _png(tmp_path / "fav.png", (0, 0, 0))
    values: dict[str, dict[str, Any]] = {
        "Colors": {"Primary": "#B22222", "Background": "#FFFBF2", "Box & Popup Text": "#FFFFFF"},
        "Fonts": {"Heading Font": "Gabarito", "Normal Font": "Gabarito"},
        "Top Nav Bar": {"Text": "#FFFFFF", "Logo": logo},
        "Header": {"Show Header": "on", "Title": " ", "Background Image": logo, "Header Logo": logo},
        "Items": {"Item Style": "Card", "Item Tag Position": "Inner Bottom"},
        "Favicon": {"Favicon": favicon},
        "SEO": {"Store Page Title": "Kai Kitchen Auckland - Order Online",
                "Meta Description": "1 Queen Street - Best Food"},
        "Social Media": {"Facebook": "https://facebook.com/kai", "Instagram": "https://instagram.com/kai"},
        "Custom Code": {"Head Code": "<style>:root{}</style>", "Body Code": "<script>1</script>"},
    }

    async def flow(page: Page) -> dict[str, Any]:
        await _settings(page, portal_site, r.id, "Website")
        changed = {title: await website.save_section(page, title, wanted) for title, wanted in values.items()}
        again = {title: await website.save_section(page, title, {k: v for k, v in wanted.items()
                                                                 if not isinstance(v, Path)})
                 for title, wanted in values.items()}
        return {"changed": changed, "again": again, "hosted": await hosted_url(page, "nav_logo_url"),
                "fav": await hosted_url(page, "favicon_url"),
                "colours": await website.section_values(page, "Colors")}

    result = browser.run(flow)
    assert all(result["changed"].values()) and not any(result["again"].values())
    w = r.website
    assert (w.primary_colour, w.background_colour, w.box_text_colour) == ("#B22222", "#FFFBF2", "#FFFFFF")
    assert result["colours"]["Primary"] == "#B22222"
    assert (w.heading_font, w.body_font, w.nav_text_colour) == ("Gabarito", "Gabarito", "#FFFFFF")
    assert result["hosted"].startswith(portal_site.admin_url + "/uploads/")
    assert result["hosted"].endswith("logo.png") and result["hosted"].endswith(w.nav_logo_url)
    assert w.header_enabled and w.header_title == " " and w.header_logo_url and w.header_background_url
    assert (w.item_layout, w.tag_position) == ("card", "inner-bottom")
    assert w.favicon_url and result["fav"].endswith(w.favicon_url)
    assert w.seo_title == "Kai Kitchen Auckland - Order Online"
    assert (w.facebook_url, w.instagram_url) == ("https://facebook.com/kai", "https://instagram.com/kai")
    assert (w.custom_head, w.custom_body) == ("<style>:root{}</style>", "<script>1</script>")


def test_services_are_set_not_flipped(browser: BrowserRunner, portal_site: PortalSite) -> None:
    r = _restaurant(portal_site)
    r.services["pickups"].auto_confirm = True  # already on: a flip would turn it off

    async def flow(page: Page) -> list[Any]:
        await _settings(page, portal_site, r.id, "Services")
        before = await services.toggle_state(page, "pickups", "auto_confirm")
        changed = [await services.configure_service(page, "pickups", services.PICKUPS),
                   await services.configure_service(page, "deliveries", services.DELIVERIES),
                   await services.configure_service(page, "dine_ins", services.OFF),
                   await services.configure_service(page, "table_bookings", services.OFF),
                   await services.delete_checkout_field(page, "deliveries", "Request No Contact Delivery")]
        again = [await services.configure_service(page, "pickups", services.PICKUPS),
                 await services.delete_checkout_field(page, "deliveries", "Request No Contact Delivery")]
        return [before, changed, again]

    before, changed, again = browser.run(flow)
    assert before is True and changed == [True, True, True, True, True] and again == [False, False]
    pickups, deliveries = r.services["pickups"], r.services["deliveries"]
    assert pickups.auto_confirm and pickups.auto_ready and pickups.auto_complete
    assert (pickups.first_order_offset, pickups.last_order_offset, pickups.max_days_ahead) == (0, 15, 8)
    minutes = (pickups.auto_confirm_minutes, pickups.auto_ready_minutes, pickups.auto_complete_minutes)
    assert minutes == (1, 15, 30)
    assert deliveries.map_picker and deliveries.force_street_number and deliveries.force_specific_address
    assert deliveries.min_order == 2 and deliveries.auto_on_route_minutes == 10
    assert deliveries.checkout_fields == []
    assert not r.services["dine_ins"].enabled and not r.services["table_bookings"].enabled


def test_stripe_method_is_added_once_configured_and_connected(browser: BrowserRunner,
                                                               portal_site: PortalSite) -> None:
    r = _restaurant(portal_site)

    async def flow(page: Page) -> list[Any]:
        await _settings(page, portal_site, r.id, "Payments")
        added = [await payments.add_stripe_method(page), await payments.add_stripe_method(page)]
        await payments.configure_stripe(page, payments.StripeSettings())
        return [added, await payments.connect_stripe(page), await payments.payment_methods(page)]

    added, url, methods = browser.run(flow)
    assert added == [True, False] and methods == ["Stripe"]
    assert "stripe.com" in url and url == r.stripe_connect_url and url.startswith(portal_site.admin_url)
    [stripe] = r.payments
    assert stripe.enabled and (stripe.currency, stripe.layout, stripe.theme) == (
        "NZD", "Accordion without radio button", "Flat")
    labels = (stripe.label, stripe.delivery_label, stripe.print_label)
    assert labels == ("Stripe", "Stripe", "Paid Online - Pump'd")
    assert (stripe.max_order, stripe.min_order) == (9999, 2)


def test_configuring_stripe_without_a_method_fails_clearly(browser: BrowserRunner,
                                                            portal_site: PortalSite) -> None:
    r = _restaurant(portal_site)

    async def flow(page: Page) -> None:
        await _settings(page, portal_site, r.id, "Payments")
        await payments.configure_stripe(page, payments.StripeSettings())

    with pytest.raises(PermanentStepError, match="no Stripe payment method"):
        browser.run(flow)


RECEIPT_LOGO_ROW = ("xpath=/html/body/div[1]/main/div[2]/div/div/div/div/div/div[3]/div/div[8]/div[2]/div"
                    "/form/div/div/div/div[2]")  # SY:952-963, absolute (real-portal-pages.md §10)


def test_receipt_logo_tab_uploads_saves_and_reopens(browser: BrowserRunner, portal_site: PortalSite,
                                                    tmp_path: Path) -> None:
    r = _restaurant(portal_site)
    logo = _png(tmp_path / "receipt.png", (10, 10, 10))
    tab = 'xpath=//*[@id="notifications-tab-options-tab-select-content"]/div[1]/div[{n}]/div'
    open_block = "div.block__Block-ljvlRq.epsQby > div.block__Content-bopatn.lbcjnQ"

    async def flow(page: Page) -> dict[str, Any]:
        await _settings(page, portal_site, r.id, "System")
        await page.get_by_text("Receipt Printing", exact=True).click()
        await page.locator(tab.format(n=2)).click()  # SY:945-948
        await page.locator(RECEIPT_LOGO_ROW + "/div[1]/button[2]").click()
        async with page.expect_file_chooser() as chooser:
            await page.locator(RECEIPT_LOGO_ROW + "/div[2]/div/button[1]").click()
            await page.locator('button:has-text("Choose a local file")').first.click()
        await (await chooser.value).set_files(str(logo))
        await page.locator('.uploadcare--dialog button:has-text("Add")').first.click()
        await page.locator(open_block + " > div > form > div > button").click()  # SY:996-1002
        await page.locator(RECEIPT_LOGO_ROW + "/div[2]/div/button[1]").wait_for()  # reopened, custom shown
        shown = await page.locator(RECEIPT_LOGO_ROW + "//img").get_attribute("src")
        await page.locator(tab.format(n=1)).click()  # back to Printers: the pane swaps back
        create = await page.locator(open_block + " > div > div.p-4 > div.flex > button").inner_text()
        return {"shown": shown, "create": create}

    result = browser.run(flow)
    saved = r.system["receipt_printing"]
    assert saved["receipt_logo_mode"] == "custom" and saved["receipt_logo_url"].endswith("receipt.png")
    assert result == {"shown": saved["receipt_logo_url"], "create": "Create Printer"}
