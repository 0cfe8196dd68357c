"""add_item_tags — the platform's preset item tags (Popular, Vegan, Spicy, …) on the right items.

Raw item tags are mapped onto the presets case-insensitively (e.g. "gf" → Gluten Free, "hot" →
Spicy); tags that match no preset are reported, not invented. Tags already in the portal by name
are adopted; the rest are created with their preset colour and attached, then verified on the
Item Tags tab like option sets.
"""

from __future__ import annotations

import asyncio

from playwright.async_api import Page

from regctl.menu_csv import clean_text
from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding import menu_records
from regctl.steps.onboarding.add_option_sets import verify_report
from regctl.steps.onboarding.portal_session import enter_restaurant
from regctl.steps.onboarding.registration_common import JSON, selected_menu_id
from regctl.steps.portal.menus_item_tags import TAG_PRESETS, ItemTagInput, ensure_item_tags, preset_tag
from regctl.steps.portal.menus_state import item_tag_item_counts, open_menus_tab

__all__ = ["add_item_tags", "item_tag_inputs"]


def item_tag_inputs(raw: dict[str, list[str]]) -> tuple[list[ItemTagInput], list[str]]:
    """Preset tags with their items (portal names), and the raw tags that match no preset."""
    items: dict[str, list[str]] = {}
    unmapped: list[str] = []
    for tag, names in raw.items():
        preset = preset_tag(tag)
        if preset is None:
            unmapped.append(tag)
            continue
        bucket = items.setdefault(preset, [])
        bucket.extend(n for n in (clean_text(x) for x in names) if n and n not in bucket)
    return [ItemTagInput(name, TAG_PRESETS[name], tuple(names)) for name, names in items.items()], unmapped


@browser_step_type("add_item_tags", timeout=3600.0,
                   description="Create missing preset item tags (adopting existing ones) on their items")
async def add_item_tags(ctx: StepContext, page: Page) -> JSON:
    menu_id = selected_menu_id(ctx)
    if menu_id is None:
        return {"created": 0, "adopted": 0, "failed": 0, "note": "no menu selected"}
    raw = await asyncio.to_thread(menu_records.item_tags, ctx.database_url, menu_id)
    specs, unmapped = item_tag_inputs(raw)
    registered = await enter_restaurant(ctx, page)
    await open_menus_tab(page, "Item Tags")
    report = await ensure_item_tags(page, specs)
    attached = await item_tag_item_counts(page)
    wanted = {s.name: len(s.items) for s in specs}
    return {"restaurant_id": registered["restaurant_id"], "unmapped_tags": unmapped,
            **verify_report(report, wanted, attached, "item tags")}
