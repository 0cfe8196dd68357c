"""The marketing hub's "Ordering Page" code generator (§17.3), as the production script drives it (OP).

Nav "Ordering Page" → the two brand colours (``input.font-mono.text-sm``) → ``#light-mode`` for a
light theme → Presets → "Interactive Showcase" → Components: "Service Choice Styles" (comprehensive,
light only), "Price Tag Enhancements" (single colour, no-gradient only), "Nav Bar Text Effects"
(the three logo effects unticked when ticked), "Welcome Messages" (the time-based greeting clicked
off then on to open its editor, then the restaurant's name) → "Remove Gradient" (no-gradient only)
→ the Head code, then the Body tab and its code. Options are Radix checkboxes, read with
``is_checked`` before clicking, so a re-run leaves them as wanted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.steps.portal.hub_locators import HUB_ORDERING
from regctl.steps.portal.hub_login import open_hub_page

__all__ = ["CodeRequest", "GeneratedCode", "generate_code"]

PRESET = "Interactive Showcase"
# (title, category C, card K) of the component cards (OP:247-391)
CARDS = {"serviceChoiceStyles": ("Service Choice Styles", 5, 2),
         "priceTagEnhancements": ("Price Tag Enhancements", 6, 1),
         "navBarTextEffects": ("Nav Bar Text Effects", 6, 2),
         "welcomeMessages": ("Welcome Messages", 6, 3)}
NAV_EFFECTS = ("navBarTextEffects-nav-logo-gradient", "navBarTextEffects-nav-logo-text-glow",
               "navBarTextEffects-nav-logo-glow")
GREETING = "welcomeMessages-welcome-greeting-basic"


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


async def _card(page: Page, group: str) -> None:
    """Open a component card (a click expands its options) unless its options already show."""
    title, c, k = CARDS[group]
    card = (await HUB_ORDERING.find(page, "card", title=title, c=c, k=k)).first
    option = HUB_ORDERING["options_of"].primary.build(page, {"group": group}).first
    if not await option.is_visible():
        await card.click()


async def _option(page: Page, option_id: str, on: bool) -> None:
    await _card(page, option_id.split("-", 1)[0])
    box = (await HUB_ORDERING.find(page, "option", option_id=option_id)).first
    if await box.is_checked() != on:
        await box.click()


async def _configure(page: Page, request: CodeRequest) -> None:
    colours = await HUB_ORDERING.find(page, "colours")
    await colours.nth(0).fill(request.primary_colour)
    await colours.nth(1).fill(request.secondary_colour)
    light = (await HUB_ORDERING.find(page, "light_mode")).first
    if await light.is_checked() != request.light_mode:
        await light.click()
    await (await HUB_ORDERING.find(page, "presets")).first.click()
    await (await HUB_ORDERING.find(page, "preset", name=PRESET)).first.click()
    await (await HUB_ORDERING.find(page, "components")).first.click()
    if request.light_mode:
        await _option(page, "serviceChoiceStyles-service-comprehensive", True)
    if request.disable_gradients:
        await _option(page, "priceTagEnhancements-price-tag-single-color", True)
    for option_id in NAV_EFFECTS:
        await _option(page, option_id, False)
    await _option(page, GREETING, False)  # off then on opens the greeting's editor (OP:395-399)
    await _option(page, GREETING, True)
    if request.disable_gradients:
        await (await HUB_ORDERING.find(page, "remove_gradient")).first.click()
    await (await HUB_ORDERING.find(page, "restaurant_name")).first.fill(request.restaurant_name)


async def _code(page: Page, key: str) -> str:
    ready = HUB_ORDERING["code_ready"].primary.build(page, {"key": key})
    await ready.first.wait_for(state="attached")
    alert = page.get_by_role("alert").filter(has_text=re.compile(r"\S"))
    if await alert.count():
        raise PermanentStepError(f"the code generator said: {(await alert.first.inner_text()).strip()}")
    code = (await HUB_ORDERING.find(page, key)).first
    return (await code.inner_text()).strip()


async def generate_code(page: Page, request: CodeRequest) -> GeneratedCode:
    """From a signed-in hub page: configure the generator and copy the head and body code."""
    await open_hub_page(page, "Ordering Page")
    await _configure(page, request)
    head = await _code(page, "head")
    await (await HUB_ORDERING.find(page, "body_tab")).first.click()
    body = await _code(page, "body")
    if not head or not body:
        raise PermanentStepError("the code generator produced empty head or body code")
    return GeneratedCode(head=head, body=body)
