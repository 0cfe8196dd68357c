"""generate_code — the ordering page's custom head/body code from the marketing hub's generator.

Inputs are the restaurant's name, colours, theme and the no-gradient choice. Generating has no
lasting effect of its own, but the hub remembers each session's configuration; so when this job
already holds code generated from exactly the same inputs, that code is reused without a browser.
"""

from __future__ import annotations

from typing import Any

from playwright.async_api import Page

from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding.registration_common import JSON, config_section, require, target_of
from regctl.steps.portal.hub_code_generator import CodeRequest, generate_code
from regctl.steps.portal.hub_login import hub_login

__all__ = ["code_request", "generate_code_step"]


def code_request(ctx: StepContext) -> CodeRequest:
    website, restaurant = config_section(ctx, "website"), config_section(ctx, "restaurant")
    return CodeRequest(restaurant_name=str(require(restaurant, "name", "restaurant")),
                       primary_colour=str(website.get("primary_color") or "#000000"),
                       secondary_colour=str(website.get("secondary_color") or "#FFFFFF"),
                       light_mode=website.get("theme") == "light",
                       disable_gradients=bool(website.get("disable_gradients")))


def _inputs(request: CodeRequest) -> dict[str, Any]:
    return {"restaurant_name": request.restaurant_name, "primary_colour": request.primary_colour,
            "secondary_colour": request.secondary_colour, "light_mode": request.light_mode,
            "disable_gradients": request.disable_gradients}


@browser_step_type("generate_code", timeout=120.0,
                   description="Generate the ordering page's head/body code in the marketing hub")
async def generate_code_step(ctx: StepContext, page: Page) -> JSON:
    request = code_request(ctx)
    previous = ctx.results.get("generate_code") or {}
    if previous.get("inputs") == _inputs(request) and previous.get("head") and previous.get("body"):
        return dict(previous) | {"reused": True}
    hub = target_of(ctx).system("marketing_hub")
    await hub_login(page, hub.url, hub.credential("email"), hub.credential("password"))
    code = await generate_code(page, request)
    return {"inputs": _inputs(request), "head": code.head, "body": code.body, "reused": False}
