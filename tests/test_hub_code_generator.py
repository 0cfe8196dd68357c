"""Marketing hub: sign-in and the "Ordering Page" code generator, through the page objects in a real
headless Chromium; the generated code and the stored configuration are asserted."""

from __future__ import annotations

from typing import Any

import pytest
from fixtures_browser import BrowserRunner, PortalSite
from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.sandbox.portal_state import HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD
from regctl.steps.portal.hub_code_generator import CodeRequest, generate_code
from regctl.steps.portal.hub_login import hub_login

pytestmark = pytest.mark.browser


def _generate(browser: BrowserRunner, site: PortalSite, request: CodeRequest) -> Any:
    async def flow(page: Page) -> Any:
        await hub_login(page, site.hub_url, HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD)
        return await generate_code(page, request)

    return browser.run(flow)


def test_dark_theme_with_gradients(browser: BrowserRunner, portal_site: PortalSite) -> None:
    code = _generate(browser, portal_site, CodeRequest("Kai Kitchen", "#B22222", "#FFD700"))
    assert "--op-primary: #B22222" in code.head and "--op-mode: dark" in code.head
    assert "linear-gradient(90deg, #B22222, #FFD700)" in code.head
    assert "Welcome to Kai Kitchen" in code.body
    [config] = portal_site.state.code_configs
    assert config.preset == "Interactive Showcase" and not config.light_mode
    assert config.restaurant_name == "Kai Kitchen" and config.head_code == code.head
    on = {k for k, v in config.components.items() if v}
    assert on == {"serviceChoiceStyles-service-minimal", "priceTagEnhancements-price-tag-gradient",
                  "welcomeMessages-welcome-greeting-basic"}  # the preset's nav effects unticked (OP:341)


def test_light_theme_without_gradients(browser: BrowserRunner, portal_site: PortalSite) -> None:
    code = _generate(browser, portal_site, CodeRequest("Ōtaki Fish & Chips", "#0055AA", "#FFFFFF",
                                                       light_mode=True, disable_gradients=True))
    assert "--op-mode: light" in code.head and "linear-gradient" not in code.head
    assert '"gradients": false' in code.body
    assert "Welcome to Ōtaki Fish &amp; Chips" in code.body  # the name is escaped inside the HTML
    [config] = portal_site.state.code_configs
    assert config.light_mode and config.components["serviceChoiceStyles-service-comprehensive"]
    assert config.components["priceTagEnhancements-price-tag-single-color"]
    assert not any(config.components[k] for k in config.components if k.startswith("navBarTextEffects"))


def test_a_bad_colour_is_reported_in_the_generators_words(browser: BrowserRunner,
                                                          portal_site: PortalSite) -> None:
    with pytest.raises(PermanentStepError, match="Invalid colour: primary"):
        _generate(browser, portal_site, CodeRequest("Kai", "red", "#FFFFFF"))


def test_wrong_hub_password_names_the_email_only(browser: BrowserRunner, portal_site: PortalSite) -> None:
    async def flow(page: Page) -> None:
        await hub_login(page, portal_site.hub_url, HUB_ADMIN_EMAIL, "wrong-secret-123")

    with pytest.raises(PermanentStepError) as failure:
        browser.run(flow)
    assert HUB_ADMIN_EMAIL in str(failure.value) and "wrong-secret-123" not in str(failure.value)
