"""add_option_sets — create the menu's option sets in the portal and attach them to their items.

Sets that already exist by name are adopted (left alone); the others are created with their
conditions, options (print name = name, prices with 2 decimals) and items (by the names the CSV
import gave them). Verified afterwards on the Option Sets tab: every set exists and is attached to
at least its items. Failed sets fail the attempt (retryable) — a retry adopts what was created.
"""

from __future__ import annotations

import asyncio

from playwright.async_api import Page

from regctl.errors import PermanentStepError, RetryableStepError
from regctl.menu_csv import clean_text
from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding import menu_records
from regctl.steps.onboarding.portal_session import enter_restaurant
from regctl.steps.onboarding.registration_common import JSON, selected_menu_id
from regctl.steps.portal.menus_option_sets import (
    EnsureReport,
    OptionInput,
    OptionSetInput,
    ensure_option_sets,
)
from regctl.steps.portal.menus_state import open_menus_tab, option_set_item_counts

__all__ = ["add_option_sets", "option_set_inputs", "verify_report"]


def option_set_inputs(specs: list[menu_records.OptionSetSpec]) -> list[OptionSetInput]:
    """Stored option sets as the page object's inputs; item names as the CSV import wrote them."""
    return [OptionSetInput(name=s.name, display_name=s.display_name, required=s.required,
                           select_multiple=s.multiple, min_options=s.min_select, max_options=s.max_select,
                           options=tuple(OptionInput(n, float(p)) for n, p in s.options),
                           items=tuple(dict.fromkeys(clean_text(i) for i in s.items if clean_text(i))))
            for s in specs]


def verify_report(report: EnsureReport, wanted: dict[str, int], attached: dict[str, int], what: str) -> JSON:
    """Counts for the result; raises when something wanted is missing or not attached."""
    absent = [name for name in wanted if name not in attached]
    short = [name for name in report.created if attached.get(name, 0) < wanted[name]]
    if report.failed:
        detail = "; ".join(f"{k}: {v}" for k, v in list(report.failed.items())[:3])
        raise RetryableStepError(f"{len(report.failed)} of {len(wanted)} {what} failed ({detail})")
    if absent or short or report.missing_items:
        raise PermanentStepError(f"{what} not in place after saving: missing {absent or '-'}, "
                                 f"attached to too few items {short or '-'}, items not found "
                                 f"{report.missing_items or '-'}")
    return {"created": len(report.created), "adopted": len(report.adopted), "failed": 0,
            "names_created": report.created, "names_adopted": report.adopted}


@browser_step_type("add_option_sets", timeout=3600.0,
                   description="Create missing option sets (adopting existing ones) attached to their items")
async def add_option_sets(ctx: StepContext, page: Page) -> JSON:
    menu_id = selected_menu_id(ctx)
    if menu_id is None:
        return {"created": 0, "adopted": 0, "failed": 0, "note": "no menu selected"}
    stored = await asyncio.to_thread(menu_records.menu_option_sets, ctx.database_url, menu_id)
    specs = option_set_inputs(stored)
    registered = await enter_restaurant(ctx, page)
    await open_menus_tab(page, "Option Sets")
    report = await ensure_option_sets(page, specs)
    attached = await option_set_item_counts(page)
    wanted = {s.name: len(s.items) for s in specs}
    counts = verify_report(report, wanted, attached, "option sets")
    return {"restaurant_id": registered["restaurant_id"], **counts}
