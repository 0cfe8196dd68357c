"""The marketing hub's "Ordering Page" code generator (reference §1 step 2).

Colours into the first two ``input.font-mono.text-sm``; ``#light-mode`` for a light theme; Presets →
"Interactive Showcase"; component toggles (comprehensive service choice in light mode, single-colour
price tags and "Remove Gradient" without gradients, nav bar effects off, the basic welcome greeting
on); the restaurant's name; then the head code from ``[id*=content-head] pre code`` and, after the
Body tab, the body code. Waits on the generator's own "ready" state, never on a fixed sleep.
"""

from __future__ import annotations

from dataclasses import dataclass

from playwright.async_api import Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.steps.portal.common import wait_visible
from regctl.steps.portal.hub_login import open_hub_page

__all__ = ["CodeRequest", "GeneratedCode", "generate_code"]

PRESET = "Interactive Showcase"
READY = "#code-output[data-state=ready]"
ERROR = "#code-output[data-state=error]"
NAV_EFFECTS_OFF = ("navBarTextEffects-logo-gradient", "navBarTextEffects-text-glow", "navBarTextEffects-glow")
GREETING = "welcomeMessages-welcome-greeting-basic"
GROUP_TITLES = {"serviceChoiceStyles": "Service Choice Styles",
                "priceTagEnhancements": "Price Tag Enhancements",
                "navBarTextEffects": "Nav Bar Text Effects", "welcomeMessages": "Welcome Messages"}


@dataclass(frozen=True)
class CodeRequest:
    restaurant_name: str
    primary_colour: str
    secondary_colour: str
    light_mode: bool = False
    disable_gradients: bool = False


@dataclass(frozen=True)
class GeneratedCode:
    head: str
    body: str


async def _component(page: Page, component_id: str, on: bool) -> None:
    group = component_id.split("-", 1)[0]
    box = page.locator(f"#{component_id}")
    if not await box.is_visible():
        await page.get_by_role("button", name=GROUP_TITLES[group], exact=True).click()
    await box.set_checked(on)


async def _wait_ready(page: Page) -> None:
    try:
        # "attached", not the default "visible": on an error before any code was shown the output
        # box is empty (zero height), and only its data-state tells the outcome.
        await page.wait_for_selector(f"{READY}, {ERROR}", state="attached", timeout=15_000)
    except PlaywrightTimeout:
        raise RetryableStepError("the code generator did not produce code within 15 s") from None
    if await page.locator(ERROR).count():
        said = (await page.locator("#code-error").inner_text()).strip()
        raise PermanentStepError(f"the code generator said: {said}")


async def _configure(page: Page, request: CodeRequest) -> None:
    colours = page.locator("input.font-mono.text-sm")
    await colours.nth(0).fill(request.primary_colour)
    await colours.nth(1).fill(request.secondary_colour)
    await page.locator("#light-mode").set_checked(request.light_mode)
    await page.get_by_role("button", name="Presets").click()
    await page.get_by_role("button", name=PRESET, exact=True).click()
    if request.light_mode:
        await _component(page, "serviceChoiceStyles-service-comprehensive", True)
    if request.disable_gradients:
        await _component(page, "priceTagEnhancements-price-tag-single-color", True)
    for component_id in NAV_EFFECTS_OFF:
        await _component(page, component_id, False)
    await _component(page, GREETING, True)
    if request.disable_gradients:
        await page.get_by_role("button", name="Remove Gradient").click()
    await page.locator("#restaurant-name").fill(request.restaurant_name)


async def generate_code(page: Page, request: CodeRequest) -> GeneratedCode:
    """From a signed-in hub page: configure the generator and copy the head and body code."""
    await open_hub_page(page, "Ordering Page")
    await wait_visible(page.locator("input.font-mono.text-sm"), "the code generator's colour inputs")
    await _configure(page, request)
    await _wait_ready(page)
    head = await page.locator("[id*=content-head] pre code").inner_text()
    await page.get_by_role("button", name="Body", exact=True).click()
    body_code = page.locator("[id*=content-body] pre code")
    await wait_visible(body_code, "the body code")
    body = await body_code.inner_text()
    if not head.strip() or not body.strip():
        raise PermanentStepError("the code generator produced empty head or body code")
    return GeneratedCode(head=head, body=body)
