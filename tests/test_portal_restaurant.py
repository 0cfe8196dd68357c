"""Admin portal: login, the restaurant list, name matching and the create-restaurant form,
driven in a real headless Chromium through the page objects."""

from __future__ import annotations

from typing import Any

import pytest
from fixtures_browser import OWNER_EMAIL, OWNER_PASSWORD, BrowserRunner, PortalSite
from playwright.async_api import Page

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.create_restaurant import NewRestaurant, PortalSlot, create_restaurant, portal_slots
from regctl.steps.portal.login import login, wait_dashboard_ready
from regctl.steps.portal.navigation import open_restaurant_page, view_store
from regctl.steps.portal.restaurants import best_match, list_restaurants, match_score, open_restaurant

pytestmark = pytest.mark.browser

KAI = NewRestaurant(
    name="Kai Kitchen (Ponsonby)", address="12 Great North Road, Grey Lynn, Auckland 1021",
    phone="09 555 0101",
    slots=(PortalSlot("Monday", "09:00", "17:00"), PortalSlot("Friday", "17:00", "23:59"),
           PortalSlot("Saturday", "00:00", "02:00")))


def test_name_matching_follows_the_reference_scoring() -> None:
    assert match_score("Texas Chicken (Henderson)", "texas chicken (henderson)") == 1000
    assert match_score("Joe's Pizza", "Joes Pizza") == 1000
    assert match_score("Café Māori", "Cafe Maori") == 1000
    assert match_score("Texas Chicken", "Texas Chicken Henderson") == 10 + 10 + 50 - 2
    assert match_score("Texan Chicken", "Texas Chicken") == 8 + 10 + 50
    assert match_score("Pizza", "Unrelated Burgers") == 0
    assert best_match("Texas Chicken", ["Texas Grill", "Texas Chicken Henderson", "Chicken"]) == (1, 68)
    assert best_match("Sushi", ["Texas Chicken"]) is None


def test_overnight_hours_are_split_and_closed_days_dropped() -> None:
    rows = [("Friday", "17:00", "02:00"), ("Sunday", "Closed", "Closed"), ("Sunday", "22:00", "00:00"),
            ("Monday", "09:00", "17:00")]
    assert portal_slots(rows) == [
        PortalSlot("Friday", "17:00", "23:59"), PortalSlot("Saturday", "00:00", "02:00"),
        PortalSlot("Sunday", "22:00", "23:59"), PortalSlot("Monday", "09:00", "17:00")]


def test_wrong_password_is_a_permanent_error_naming_the_email(browser: BrowserRunner,
                                                                 portal_site: PortalSite) -> None:
    async def flow(page: Page) -> None:
        await login(page, portal_site.admin_url, OWNER_EMAIL, "not-the-password")

    with pytest.raises(PermanentStepError) as failure:
        browser.run(flow)
    assert OWNER_EMAIL in str(failure.value) and "not-the-password" not in str(failure.value)
    assert "Invalid email or password" in str(failure.value)


def test_create_restaurant_then_find_it_by_name(browser: BrowserRunner, portal_site: PortalSite) -> None:
    async def flow(page: Page) -> dict[str, Any]:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        assert await list_restaurants(page) == []
        outcome = await create_restaurant(page, KAI)
        cards = await list_restaurants(page)
        rid = await open_restaurant(page, "Kai Kitchen Ponsonby")
        return {"warnings": outcome.warnings, "cards": cards, "rid": rid}

    result = browser.run(flow)
    assert result["warnings"] == []
    assert [c.name for c in result["cards"]] == ["Kai Kitchen (Ponsonby)"]
    restaurant = portal_site.state.find_restaurant(result["rid"])
    assert restaurant is not None and restaurant.owner_email == OWNER_EMAIL
    assert restaurant.subdomain == "kaikitchenponsonby"
    assert restaurant.address == "12 Great North Road, Grey Lynn, Auckland 1021, New Zealand"
    assert restaurant.phone == "09 555 0101"
    assert [(s.day, s.open, s.close) for s in restaurant.hours] == [
        ("Monday", "09:00", "17:00"), ("Friday", "17:00", "23:59"), ("Saturday", "00:00", "02:00")]
    assert (restaurant.locale, restaurant.timezone, restaurant.currency) == (
        "English - New Zealand", "Pacific/Auckland", "NZD")
    assert restaurant.tax_in_prices is True and restaurant.map_source == "google"
    assert portal_site.audit_summaries("create restaurant") == [
        f"create restaurant {result['rid']} 'Kai Kitchen (Ponsonby)' for {OWNER_EMAIL}"]


def test_the_best_match_is_managed_among_several(browser: BrowserRunner, portal_site: PortalSite) -> None:
    made = [portal_site.state.add_restaurant(OWNER_EMAIL, name)
            for name in ("Kai Kitchen (Ponsonby)", "Kai Kitchen (Henderson)", "Kai")]

    async def flow(page: Page) -> str:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        return await open_restaurant(page, "Kai Kitchen (Henderson)")

    assert browser.run(flow) == made[1].id


def test_a_loader_that_never_clears_is_retryable(browser: BrowserRunner, portal_site: PortalSite) -> None:
    portal_site.set_faults({"portal.dashboard": {"loader_never_clears": True}})

    async def flow(page: Page) -> None:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD, loader_timeout_ms=1500)

    with pytest.raises(RetryableStepError, match="loading cover"):
        browser.run(flow)

    portal_site.set_faults({"portal.dashboard": {"loader_never_clears": True, "times": 1}})

    async def twice(page: Page) -> int:
        with pytest.raises(RetryableStepError):
            await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD, loader_timeout_ms=1500)
        await page.reload()  # the fault fired once; the next load clears
        await wait_dashboard_ready(page)
        return len(await list_restaurants(page))

    assert browser.run(twice) == 0


def test_every_page_works_under_latency_and_the_store_opens(browser: BrowserRunner,
                                                           portal_site: PortalSite) -> None:
    portal_site.set_faults({"portal": {"latency_ms": 150}})

    async def flow(page: Page) -> str:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        await create_restaurant(page, KAI)
        await open_restaurant(page, KAI.name)
        return await view_store(page)

    url = browser.run(flow)
    # the storefront is its own host, https://<subdomain>.pumpd.co.nz (real-portal-pages.md §3.1)
    assert url == portal_site.admin_url.replace("//admin.", "//kaikitchenponsonby.") + "/"


def test_another_accounts_restaurant_is_not_found(browser: BrowserRunner, portal_site: PortalSite) -> None:
    theirs = portal_site.state.add_restaurant("someone@else.example.nz", "Not Yours")

    async def flow(page: Page) -> None:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        await open_restaurant_page(page, portal_site.admin_url, theirs.id)

    with pytest.raises(PermanentStepError, match=f"{theirs.id} was not found"):
        browser.run(flow)


def test_a_reset_logs_everyone_out(browser: BrowserRunner, portal_site: PortalSite) -> None:
    async def flow(page: Page) -> str:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        portal_site.handle.reset()  # POST /_sandbox/reset
        await page.goto(portal_site.admin_url + "/")
        return page.url

    assert browser.run(flow) == portal_site.admin_url + "/login"


def test_a_restaurant_without_hours_leaves_the_first_row_blank(browser: BrowserRunner,
                                                               portal_site: PortalSite) -> None:
    """The form starts with one empty time row; a restaurant with no hours is created without slots."""
    closed = NewRestaurant(name="Closed Kitchen", address="5 Queen Street, Auckland", phone="09 555 0199")

    async def flow(page: Page) -> str:
        await login(page, portal_site.admin_url, OWNER_EMAIL, OWNER_PASSWORD)
        await create_restaurant(page, closed)
        return await open_restaurant(page, closed.name)

    restaurant = portal_site.state.find_restaurant(browser.run(flow))
    assert restaurant is not None and restaurant.hours == []
