"""The marketing hub's real locators resolve on the sandbox hub (real-portal-pages.md §17, §20.9).

FACTS are the reference's [R]/[P] selectors as data — selector, how many the real page had (1 where
the script used it strictly, "U"; else at least 1) and its source — each checked in a real headless
Chromium on the view where the prior scripts used it. Then every probed locator of the hub's tables
must resolve by its *primary* (no drift on our own twin).
"""

from __future__ import annotations

from typing import Any

import pytest
from fixtures_browser import BrowserRunner, PortalSite
from playwright.async_api import Locator, Page

from regctl.sandbox.portal_state import HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD
from regctl.steps.portal.hub_locators import HUB_ADD_USER, HUB_APP, HUB_LOGIN, HUB_ORDERING
from regctl.steps.portal.hub_login import hub_login, open_hub_page
from regctl.steps.portal.locators import PageTable, probe

pytestmark = pytest.mark.browser

ONE, SOME = 1, 0  # exactly one (a strict "U" locator) / at least one

LOGIN_BUTTON = (  # verbatim, OP:91
    r"#radix-\:r0\:-content-login > form > button.inline-flex.items-center.justify-center.gap-2."
    r"whitespace-nowrap.rounded-md.text-sm.font-medium.ring-offset-background.transition-colors."
    r"focus-visible\:outline-none.focus-visible\:ring-2.focus-visible\:ring-ring.focus-visible\:ring-offset-2."
    r"disabled\:pointer-events-none.disabled\:opacity-50.\[\&_svg\]\:pointer-events-none.\[\&_svg\]\:size-4."
    r"\[\&_svg\]\:shrink-0.h-10.px-4.py-2.w-full.relative.bg-brand-yellow.hover\:bg-brand-yellow-light-1."
    r"text-brand-dark-text.\[\&_svg\]\:text-brand-dark-text.\[\&_svg\]\:stroke-brand-dark-text")

LOGIN_FACTS = [
    ("#email", ONE, "[P] §17.1 OP:86"),
    ("#password", ONE, "[P] §17.1 OP:87"),
    (LOGIN_BUTTON, ONE, "[P] §17.1 OP:91"),
    ("button.bg-brand-yellow", ONE, "[P] §17.1 OU:129"),
    ('button:has-text("Login")', SOME, "[P] §17.1 OU:130"),
    ('button[type="submit"]', ONE, "[P] §17.1 OU:132"),
    ('[id^="radix-"]', SOME, "[P] §19 (probe) §17"),
    ('button:has-text("Sign in with Google")', ONE, "[N] §17.1 HUBN:28"),
]
APP_FACTS = [
    ('nav button:has-text("Super Admin")', ONE, "[P] §17.2 OU:164"),
    ('nav button:has-text("Ordering Page")', ONE, "[P] §17.3 OP:107"),
    ('button:has-text("Super Admin")', 2, "[P] §17.2 NAV-super-admin:134 (the badge outside nav)"),
]
SUPER_ADMIN_FACTS = [
    ('h1:has-text("Super Admin")', ONE, "[P] §17.2 OU:173"),
    ('button:has-text("Add User")', ONE, "[P] §17.2 OU:182"),
]
ADD_USER_FACTS = [
    ('label:has-text("Name") + input', ONE, "[P] §17.2 OU:217"),
    ('label:has-text("Email") + input', ONE, "[P] §17.2 OU:232"),
    ('xpath=//*[contains(@id, "password")]', ONE, "[P] §17.2 OU:247 U"),
    ('label:has-text("Password") + input', ONE, "[P] §17.2 OU:257"),
    ('text="New Sign Up"', ONE, "[P] §17.2 OU:269"),
    ('text="None"', ONE, "[P] §17.2 OU:281"),
    ('button:has-text("Create User")', ONE, "[P] §17.2 OU:297"),
]
ORDERING_FACTS = [
    ("input.font-mono.text-sm", 2, "[P] §17.3 OP:125-153"),
    ("#light-mode", ONE, "[P] §17.3 OP:160"),
    ('[id*="trigger-presets"]', ONE, "[P] §17.3 OP:170"),
    ('[id*="content-category"]', ONE, "[P] §17.3 OP:177"),
    ('[id*="content-category"] > div:nth-child(3) > div.grid.gap-3 > div:nth-child(2) > div', ONE,
     "[P] §17.3 OP:190 (Interactive Showcase)"),
    ('[id*="trigger-components"]', ONE, "[P] §17.3 OP:226"),
    *((f'[id*="content-components"] > div > div.space-y-6 > div:nth-child({c}) > div.space-y-2 > '
       f'div:nth-child({k})', ONE, f"[P] §17.3 OP:247-391 ({title})")
      for c, k, title in ((5, 2, "Service Choice Styles"), (6, 1, "Price Tag Enhancements"),
                          (6, 2, "Nav Bar Text Effects"), (6, 3, "Welcome Messages"))),
    *((f"#{option_id}", ONE, "[P] §17.3 OP:267-399") for option_id in (
        "serviceChoiceStyles-service-comprehensive", "priceTagEnhancements-price-tag-single-color",
        "navBarTextEffects-nav-logo-gradient", "navBarTextEffects-nav-logo-text-glow",
        "navBarTextEffects-nav-logo-glow", "welcomeMessages-welcome-greeting-basic")),
    ('button:has-text("Remove Gradient")', ONE, "[P] §17.3 OP:408"),
    ('[id*="content-head"] pre', ONE, "[P] §17.3 OP:459"),
    ('[id*="trigger-body"]', ONE, "[P] §17.3 OP:479"),
    ('[id*="content-body"] code', ONE, "[P] §17.3 OP:486"),
    ('button:has-text("Download")', ONE, "[P] §17.3 OP:470"),
]
CARD_TITLES = {(5, 2): "Service Choice Styles", (6, 1): "Price Tag Enhancements",
               (6, 2): "Nav Bar Text Effects", (6, 3): "Welcome Messages"}


async def _missing(page: Page, facts: list[tuple[str, int, str]]) -> list[str]:
    wrong = []
    for selector, expected, source in facts:
        count = await page.locator(selector).count()
        if (expected and count != expected) or (not expected and count < 1):
            wrong.append(f"{selector} ({source}): {count}")
    return wrong


async def _drift(page: Page | Locator, table: PageTable) -> list[str]:
    """Probed locators of ``table`` that did not resolve by their primary."""
    found = []
    for loc in table:
        if not loc.probe:
            continue
        resolution = await probe(page, loc, timeout_ms=5_000, **dict(loc.probe_params))
        if not resolution.found or resolution.by_fallback:
            used = resolution.used.describe() if resolution.used else "none"
            found.append(f"{table.name}.{loc.key}: {used}")
    return found


def test_the_real_hub_selectors_hold_on_every_view(browser: BrowserRunner, portal_site: PortalSite) -> None:
    async def flow(page: Page) -> dict[str, Any]:
        out: dict[str, Any] = {}
        await page.goto(portal_site.hub_url + "/", wait_until="domcontentloaded")
        await page.locator("#email").wait_for()
        out["login"] = await _missing(page, LOGIN_FACTS) + await _drift(page, HUB_LOGIN)
        out["title"] = await page.title()
        await hub_login(page, portal_site.hub_url, HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD)
        out["app"] = await _missing(page, APP_FACTS)
        await open_hub_page(page, "Super Admin")
        await page.locator("h1", has_text="Super Admin").wait_for()
        out["super_admin"] = await _missing(page, SUPER_ADMIN_FACTS) + await _drift(page, HUB_APP)
        await page.locator('button:has-text("Add User")').click()
        await page.get_by_role("dialog").wait_for()
        out["add_user"] = await _missing(page, ADD_USER_FACTS) + await _drift(page.get_by_role("dialog"),
                                                                              HUB_ADD_USER)
        await page.keyboard.press("Escape")
        await open_hub_page(page, "Ordering Page")
        await page.locator("input.font-mono.text-sm").first.wait_for()
        out["ordering"] = await _missing(page, ORDERING_FACTS) + await _drift(page, HUB_ORDERING)
        out["preset"] = await page.locator(ORDERING_FACTS[4][0]).inner_text()
        out["cards"] = {ck: await page.locator(
            f'[id*="content-components"] > div > div.space-y-6 > div:nth-child({ck[0]}) > div.space-y-2 > '
            f"div:nth-child({ck[1]})").text_content() for ck in CARD_TITLES}
        out["url"] = page.url
        return out

    out = browser.run(flow)
    assert out["title"] == "Pump'd Marketing Hub"
    for view in ("login", "app", "super_admin", "add_user", "ordering"):
        assert out[view] == [], view
    assert "Interactive Showcase" in out["preset"]
    assert {ck: title in (out["cards"][ck] or "") for ck, title in CARD_TITLES.items()} == dict.fromkeys(
        CARD_TITLES, True)
    assert out["url"].endswith("/ordering-page") and "://manage." in out["url"]



def test_the_prior_scripts_flows_go_through(browser: BrowserRunner, portal_site: PortalSite) -> None:
    """OU (Add User) and OP (the code generator, light theme without gradients) as the production
    scripts drive them: their selectors, strict where they were strict, element waits for their sleeps."""
    async def flow(page: Page) -> tuple[str, str]:
        await page.goto(portal_site.hub_url, wait_until="networkidle")  # OU:108
        await page.fill("#email", HUB_ADMIN_EMAIL)
        await page.fill("#password", HUB_ADMIN_PASSWORD)
        await page.locator(LOGIN_BUTTON).click()  # OP:91, strict
        await page.locator('nav button:has-text("Super Admin")').first.click()  # OU:164
        await page.locator('h1:has-text("Super Admin")').wait_for()
        await page.locator('button:has-text("Add User")').first.click()
        await page.locator('label:has-text("Name") + input, label:has-text("Name") ~ input, '
                           'input[placeholder*="Name"]').first.fill("Ari Ngata")
        await page.locator('label:has-text("Email") + input, label:has-text("Email") ~ input, '
                           'input[type="email"]').first.fill("ari@kai.example.nz")
        await page.locator('xpath=//*[contains(@id, "password")]').fill("Str0ng-sandbox-pass")  # strict
        await page.locator('text="New Sign Up"').wait_for()
        await page.locator('button:has-text("Create User")').last.click()
        await page.locator('text="ari@kai.example.nz"').first.wait_for()
        for _ in range(2):  # OP:107-116 clicks it twice
            await page.locator('nav button:has-text("Ordering Page")').first.click()
        colours = page.locator("input.font-mono.text-sm")
        await colours.first.fill("#0055AA")
        await colours.nth(1).fill("#FFFFFF")
        await page.click("#light-mode")
        await page.click('button:has-text("Presets"), [id*="trigger-presets"]')
        await page.locator(ORDERING_FACTS[4][0]).first.click()  # OP:190: Interactive Showcase
        await page.click('button:has-text("Components"), [id*="trigger-components"]')
        cards = ('[id*="content-components"] > div > div.space-y-6 > div:nth-child({}) > div.space-y-2 > '
                 "div:nth-child({})")
        await page.locator(cards.format(5, 2)).click()
        await page.click("#serviceChoiceStyles-service-comprehensive")
        await page.locator(cards.format(6, 1)).click()
        await page.click("#priceTagEnhancements-price-tag-single-color")
        await page.locator(cards.format(6, 2)).click()
        for effect in ("gradient", "text-glow", "glow"):
            box = page.locator(f"#navBarTextEffects-nav-logo-{effect}")
            if await box.is_checked():
                await box.click()
        await page.locator(cards.format(6, 3)).click()
        await page.click("#welcomeMessages-welcome-greeting-basic")  # off, then on: the editor opens
        await page.click("#welcomeMessages-welcome-greeting-basic")
        await page.locator('button:has-text("Remove Gradient")').first.click()
        await page.locator("div.mt-6.pt-4.border-t.border-gray-200 div.space-y-6 > div:nth-child(1) > "
                           "div:nth-child(6) > input").fill("Kai Kitchen")  # strict (OP:427)
        await page.locator('[id*="content-head"]:not([aria-busy="true"])').wait_for()
        head = await page.locator('[id*="content-head"] pre, [id*="content-head"] code').first.text_content()
        await page.click('button:has-text("Body"), [id*="trigger-body"]')
        await page.locator('[id*="content-body"]:not([aria-busy="true"])').wait_for()
        body = await page.locator('[id*="content-body"] pre, [id*="content-body"] code').first.text_content()
        return head or "", body or ""

    head, body = browser.run(flow)
    assert "--op-mode: light" in head and "linear-gradient" not in head
    assert "Welcome to Kai Kitchen" in body
    [user] = portal_site.state.hub_users
    assert (user.name, user.email, user.role, user.organisation) == ("Ari Ngata", "ari@kai.example.nz",
                                                                     "New Sign Up", "None")
    [config] = portal_site.state.code_configs
    assert config.preset == "Interactive Showcase" and config.light_mode
