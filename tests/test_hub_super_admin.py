"""Marketing hub: Super Admin → Add User, through the page objects in a real headless Chromium."""

from __future__ import annotations

from typing import Any

import pytest
from fixtures_browser import BrowserRunner, PortalSite
from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.sandbox.portal_state import HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD
from regctl.steps.portal.hub_login import hub_login
from regctl.steps.portal.hub_super_admin import NewHubUser, add_user, existing_users, open_super_admin

pytestmark = pytest.mark.browser

ARI = NewHubUser(name="Ari Ngata", email="Ari@Kai-Kitchen.example.nz", password="Str0ng-sandbox-pass")


def _as_admin(browser: BrowserRunner, site: PortalSite, work: Any) -> Any:
    async def flow(page: Page) -> Any:
        await hub_login(page, site.hub_url, HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD)
        await open_super_admin(page)
        return await work(page)

    return browser.run(flow)


def test_add_user_once_then_adopt(browser: BrowserRunner, portal_site: PortalSite) -> None:
    async def work(page: Page) -> Any:
        return [await add_user(page, ARI), await add_user(page, ARI), await existing_users(page)]

    created, again, listed = _as_admin(browser, portal_site, work)
    assert (created, again, listed) == (True, False, ["ari@kai-kitchen.example.nz"])
    [user] = portal_site.state.hub_users
    assert (user.name, user.role, user.organisation) == ("Ari Ngata", "New Sign Up", "None")
    assert user.to_json()["has_password"] and "Str0ng" not in str(portal_site.state.to_json())
    assert portal_site.world.onboarding.id_by_email(ARI.email) is not None  # mirrored into the DB
    assert portal_site.audit_summaries("add user") == ["add user ari@kai-kitchen.example.nz"]


def test_a_short_password_is_refused_in_the_hubs_words(browser: BrowserRunner,
                                                       portal_site: PortalSite) -> None:
    weak = NewHubUser(name="Weak", email="weak@example.nz", password="short")

    async def work(page: Page) -> bool:
        return await add_user(page, weak)

    with pytest.raises(PermanentStepError, match="Password must be at least 8 characters"):
        _as_admin(browser, portal_site, work)
    assert portal_site.state.hub_users == []
