"""extract_menu: the restaurant's menu from a menu file or, through the extraction API, its delivery page.

Source order: ``with: {source: file|extraction}`` if given; else the restaurant's ``menu_file``; else
its ``ubereats_url``. Everything is stored (categories, items, prices, descriptions, tags, image source
URLs, option sets and their links); a re-run replaces the menu from that source. Result: counts.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from regctl.db.domain import MenuData
from regctl.errors import PermanentStepError
from regctl.steps.base import StepContext
from regctl.steps.onboarding.enrich_common import extraction_api, records, restaurant_id
from regctl.steps.onboarding.menu_sources import menu_from_file, menu_from_json
from regctl.steps.registry import step_type

__all__ = ["extract_menu", "menu_file_path"]


def menu_file_path(ctx: StepContext, name: str) -> Path:
    """The menu file: as given when absolute, else relative to ``with: {base_dir}``, else to the
    folder of the batch's manifest, else to the working directory."""
    path = Path(name).expanduser()
    if path.is_absolute():
        return path
    if ctx.params.get("base_dir"):
        return Path(str(ctx.params["base_dir"])) / path
    manifest = records(ctx).batch_manifest_path(ctx.batch_id)
    return Path(manifest).parent / path if manifest else path


def _source(ctx: StepContext) -> tuple[str, str]:
    wanted = ctx.params.get("source")
    menu_file = ctx.params.get("menu_file") or ctx.restaurant.get("menu_file")
    url = ctx.params.get("url") or ctx.restaurant.get("ubereats_url")
    if (wanted in (None, "file")) and menu_file:
        return "file", str(menu_file)
    if wanted in (None, "extraction") and url:
        return "extraction", str(url)
    raise PermanentStepError(f"extract_menu: {ctx.restaurant.get('name')!r} has no menu source "
                             "(set menu_file or ubereats_url)")


def _load(ctx: StepContext, source: str, ref: str) -> MenuData:
    if source == "file":
        return menu_from_file(menu_file_path(ctx, ref))
    with extraction_api(ctx) as api:
        return menu_from_json(api.extract_menu(ref))


@step_type("extract_menu", timeout=1800, description="Extract the menu (delivery page or menu file)")
def extract_menu(ctx: StepContext) -> dict[str, Any]:
    source, ref = _source(ctx)
    menu = _load(ctx, source, ref)
    if not menu.categories:
        raise PermanentStepError(f"extract_menu: the {source} source {ref} has no menu items")
    ctx.heartbeat(f"storing {menu.counts()['items']} items")
    menu_id = records(ctx).replace_menu(restaurant_id(ctx), source, ref, menu)
    return {"menu_id": menu_id, "source": source, **menu.counts()}
