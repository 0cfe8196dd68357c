"""Units of the sandbox without a server: schema projection, URL → fixture mapping, world resets."""

from __future__ import annotations

from pathlib import Path

import httpx

from regctl.sandbox.extraction import menu_json, project, restaurant_for_url
from regctl.sandbox.fixtures import load_restaurants
from regctl.sandbox.server import running_sandbox
from regctl.sandbox.world import World

KAI = load_restaurants()[0]


def test_projection_keeps_what_the_schema_asks_and_coerces_types() -> None:
    schema = {
        "type": "object",
        "properties": {
            "menu": {
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string"},
                        "dishes": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "properties": {
                                    "dish_name": {"type": "string"},
                                    "price": {"type": "string"},
                                    "calories": {"type": "number"},
                                },
                            },
                        },
                    },
                },
            }
        },
    }
    out = project(menu_json(KAI, "http://127.0.0.1:1"), schema)
    first = out["menu"][0]
    assert first["title"] == "Mains"
    assert first["dishes"][0] == {"dish_name": "Classic Kiwi Burger", "price": "18.50"}


def test_projection_that_matches_nothing_returns_everything() -> None:
    whole = menu_json(KAI, "http://127.0.0.1:1")
    assert project(whole, {"type": "object", "properties": {"weather": {"type": "string"}}}) == whole


def test_urls_map_to_fixtures() -> None:
    restaurants = load_restaurants()
    assert restaurant_for_url(KAI.ubereats_url, restaurants) is KAI
    assert restaurant_for_url(f"http://127.0.0.1:9/sites/{KAI.slug}/", restaurants) is KAI
    assert restaurant_for_url("https://www.kaipaikitchenponsonby.example.nz/menu", restaurants) is KAI
    assert restaurant_for_url("https://www.ubereats.com/nz/store/unknown/1", restaurants) is None
    assert restaurant_for_url("https://example.com/", restaurants) is None


def test_reset_gives_the_same_ids_again() -> None:
    world = World(seed=3)
    first = world.create_onboarding_user("A", "a@x.nz")
    world.reset()
    assert world.create_onboarding_user("A", "a@x.nz") == first
    assert World(seed=4).create_onboarding_user("A", "a@x.nz") != first


def test_create_onboarding_user_adopts_an_existing_email() -> None:
    world = World()
    assert world.create_onboarding_user("A", "a@x.nz") == world.create_onboarding_user("B", "A@X.NZ")


def test_running_sandbox_reads_a_fault_file(tmp_path: Path) -> None:
    faults = tmp_path / "faults.yaml"
    faults.write_text("faults:\n  sites.page: {error_rate: 1.0}\n")
    with running_sandbox(seed=1, faults=faults) as sandbox:
        assert httpx.get(f"{sandbox.urls['websites']}/{KAI.slug}/").status_code == 503
        assert sandbox.state()["faults"]["seed"] == 1


def test_every_sandbox_module_exports_what_its_all_names() -> None:
    import importlib

    names = [
        "api_cdn",
        "api_firecrawl",
        "api_inspect",
        "api_nzbn",
        "api_onboarding",
        "api_platform",
        "api_sites",
        "app",
        "credentials",
        "extraction",
        "faults",
        "fixture_menus",
        "fixtures",
        "ground_truth",
        "images",
        "manifest",
        "media",
        "onboarding_db",
        "register",
        "routing",
        "server",
        "world",
    ]
    for name in names:
        module = importlib.import_module(f"regctl.sandbox.{name}")
        exported = getattr(module, "__all__", None)
        assert exported, f"regctl.sandbox.{name} has no __all__"
        assert all(hasattr(module, n) for n in exported), name


def test_nothing_in_the_sandbox_imports_the_cli_libraries() -> None:
    import regctl.sandbox

    root = Path(regctl.sandbox.__file__).parent
    for path in root.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        for lib in ("click", "rich", "questionary"):
            assert f"import {lib}" not in text and f"from {lib}" not in text, f"{path.name} imports {lib}"
