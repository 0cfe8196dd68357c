"""import_menu — build the platform's menu CSV from the selected menu and import it in the portal.

The CSV (reference §5 columns) is written under the data directory and recorded as an artifact.
A menu already in the portal with at least as many items as the CSV is adopted (a re-run never
imports twice); a smaller one is reported rather than duplicated. Success is verified by the
portal's item count growing by exactly the CSV's rows; error words on the page are a failure.
"""

from __future__ import annotations

import asyncio
from pathlib import Path

from playwright.async_api import Page

from regctl.errors import PermanentStepError
from regctl.menu_csv import CsvCategory, build_menu_csv, item_count
from regctl.steps.base import StepContext
from regctl.steps.browser_step import browser_step_type
from regctl.steps.onboarding import menu_records
from regctl.steps.onboarding.portal_session import enter_restaurant
from regctl.steps.onboarding.registration_common import JSON, selected_menu_id
from regctl.steps.portal.menus_import import import_menu_csv
from regctl.steps.portal.menus_state import existing_menus, open_menus_tab

__all__ = ["import_menu", "write_menu_csv"]


def write_menu_csv(ctx: StepContext, categories: list[CsvCategory], restaurant_id: str) -> Path:
    folder = Path(ctx.data_dir) / "artifacts" / f"job-{ctx.job_id}"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"menu-{restaurant_id}-attempt{ctx.attempt}.csv"
    path.write_text(build_menu_csv(categories), encoding="utf-8", newline="")
    return path


async def _record_csv(ctx: StepContext, path: Path) -> None:
    from regctl.db.artifacts import record_artifact

    await asyncio.to_thread(record_artifact, ctx.database_url, job_id=ctx.job_id, step_key=ctx.step_key,
                            attempt=ctx.attempt, kind="csv", path=path)


def _menu(ctx: StepContext) -> tuple[int, list[CsvCategory]]:
    menu_id = selected_menu_id(ctx)
    if menu_id is None:
        raise PermanentStepError("no menu is selected (config menu.menu_id): extract one or turn menu "
                                 "import off in configure_registration")
    categories = menu_records.csv_categories(ctx.database_url, menu_id)
    if not item_count(categories):
        raise PermanentStepError(f"menu {menu_id} has no items to import")
    return menu_id, categories


def _on_cdn(categories: list[CsvCategory]) -> int:
    return sum(1 for c in categories for i in c.items if i.cdn_id)


@browser_step_type("import_menu", timeout=120.0,
                   description="Build the menu CSV and import it in the portal (verified by item count)")
async def import_menu(ctx: StepContext, page: Page) -> JSON:
    menu_id, categories = await asyncio.to_thread(_menu, ctx)
    expected = item_count(categories)
    registered = await enter_restaurant(ctx, page)
    await open_menus_tab(page, "Menus")
    present = sum(m.items for m in await existing_menus(page))
    result: JSON = {"restaurant_id": registered["restaurant_id"], "menu_id": menu_id,
                    "items_expected": expected, "images_on_cdn": _on_cdn(categories)}
    if present >= expected:
        return result | {"adopted": True, "imported": False, "items_in_portal": present}
    if present:
        raise PermanentStepError(f"the portal already has a menu with {present} items, fewer than the "
                                 f"{expected} to import: remove it in the portal, then retry this step")
    path = write_menu_csv(ctx, categories, str(registered["restaurant_id"]))
    await _record_csv(ctx, path)
    outcome = await import_menu_csv(page, path)
    return result | {"adopted": False, "imported": True, "items_in_portal": outcome.items_after,
                     "csv": str(path)}
