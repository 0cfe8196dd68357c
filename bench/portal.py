"""Benchmark: how fast the sandbox portal renders its pages, and how long the page-object flows take.

    .venv/bin/python bench/portal.py [--requests 200]

Prints requests/s for the portal's heaviest pages (restaurant list with 30 restaurants, Settings →
Website, Menus with a 60-item menu) fetched with one client thread, and the wall time of three
page-object flows in a headless Chromium (log in + create a restaurant + open it; save the website
colours; import a 3-item CSV). The machine is shared: read the figures with the load average printed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx

from regctl.browser import browser_session, fresh_page
from regctl.sandbox.credentials import ADMIN_CONFIRMATION_CODE
from regctl.sandbox.portal_menus import CSV_COLUMNS
from regctl.sandbox.portal_state import Category, Menu, MenuItem
from regctl.sandbox.server import running_sandbox
from regctl.steps.portal import settings_website
from regctl.steps.portal.create_restaurant import NewRestaurant, PortalSlot, create_restaurant
from regctl.steps.portal.login import login
from regctl.steps.portal.menus_import import import_menu_csv
from regctl.steps.portal.menus_state import open_menus_tab
from regctl.steps.portal.navigation import open_restaurant_page, open_settings_tab
from regctl.steps.portal.restaurants import open_restaurant

EMAIL, PASSWORD = "bench@portal.example.nz", "Bench-portal-pass-1"


def _owner(world: Any) -> Any:
    token = world.register_start(EMAIL, "+6495550199", PASSWORD)
    world.register_verify(token, ADMIN_CONFIRMATION_CODE, ADMIN_CONFIRMATION_CODE)
    owned = [world.portal.add_restaurant(EMAIL, f"Bench Restaurant {i}") for i in range(30)]
    owned[0].menus.append(Menu("Menu", [Category(f"Category {c}", [MenuItem(f"Dish {c}-{i}", 10 + i)
                                                                    for i in range(10)]) for c in range(6)]))
    return owned[0]


def _pages_per_second(admin_url: str, rid: str, count: int) -> dict[str, float]:
    paths = {"list": "/", "settings": f"/restaurant/{rid}/settings?tab=website",
             "menus": f"/restaurant/{rid}/menus"}
    with httpx.Client(base_url=admin_url) as client:
        client.post("/login", data={"email": EMAIL, "password": PASSWORD})
        rates = {}
        for name, path in paths.items():
            started = time.perf_counter()
            for _ in range(count):
                client.get(path).raise_for_status()
            rates[name] = count / (time.perf_counter() - started)
    return rates


def _csv(folder: Path) -> Path:
    path = folder / "menu.csv"
    rows = [",".join(CSV_COLUMNS)]
    for dish, price in (("Fish", "12.00"), ("Chips", "5.00"), ("Kūmara", "6.50")):
        values = {c: "" for c in CSV_COLUMNS} | {"menuName": "Menu", "categoryName": "Mains",
                                                 "dishName": dish, "dishPrice": price, "isCDNImage": "FALSE"}
        rows.append(",".join(values[c] for c in CSV_COLUMNS))
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


async def _timed_flows(admin_url: str, rid: str, csv_path: Path) -> dict[str, float]:
    new = NewRestaurant("Bench Kai (Ponsonby)", "1 Ponsonby Road, Ponsonby, Auckland", "09 555 0199",
                        (PortalSlot("Monday", "09:00", "17:00"),))

    async def create(page: Any) -> None:
        await login(page, admin_url, EMAIL, PASSWORD)
        await create_restaurant(page, new)
        await open_restaurant(page, new.name)

    async def colours(page: Any) -> None:
        await settings_website.set_colours(page, "#123456", "#FFFFFF")

    async def menu_import(page: Any) -> None:
        await open_menus_tab(page)
        await import_menu_csv(page, csv_path)

    flows: dict[str, Callable[[Any], Awaitable[None]]] = {
        "login+create+open": create, "save website colours": colours, "CSV import": menu_import}
    timings = {}
    async with browser_session() as browser:
        for name, flow in flows.items():
            async with fresh_page(browser) as page:
                if name != "login+create+open":
                    await login(page, admin_url, EMAIL, PASSWORD)
                    await open_restaurant_page(page, admin_url, rid)
                    if name == "save website colours":
                        await open_settings_tab(page, "Website")
                started = time.perf_counter()
                await flow(page)
                timings[name] = time.perf_counter() - started
    return timings


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    print(f"load average: {' '.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores")
    with running_sandbox(seed=0) as sandbox, tempfile.TemporaryDirectory() as folder:
        restaurant = _owner(sandbox.world)
        admin_url = sandbox.urls["admin_portal"]
        for page, rate in _pages_per_second(admin_url, restaurant.id, args.requests).items():
            print(f"page {page:<10} {rate:8.1f} requests/s (1 client thread)")
        flows = asyncio.run(_timed_flows(admin_url, restaurant.id, _csv(Path(folder))))
        for name, seconds in flows.items():
            print(f"flow {name:<22} {seconds:6.2f} s")


if __name__ == "__main__":
    main()
