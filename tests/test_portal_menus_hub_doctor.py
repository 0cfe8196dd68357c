"""``regctl doctor --portal`` on the Menus page, its dialogs and the marketing hub: every state is
visited read-only and checked, and a layout change on these pages is named precisely (issue 11, 3)."""

from __future__ import annotations

from typing import Any

import pytest

from regctl.commands.doctor import check_portal

pytestmark = pytest.mark.browser

MINE = {"portal menus", "portal menus.csv_import", "portal menus.option_set", "portal menus.item_tag",
        "portal hub.login", "portal hub.app", "portal hub.add_user", "portal hub.ordering_page"}


@pytest.fixture()
def world(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    return sandbox


def test_doctor_checks_the_menus_and_hub_pages_and_changes_nothing(world: Any) -> None:
    before = world.state()["portal"]
    checks = {c.name: c for c in check_portal("sandbox")}
    assert set(checks) >= MINE
    assert {name: checks[name].detail for name in MINE if not checks[name].ok} == {}
    assert all(checks[name].detail.endswith("locators found") for name in MINE)
    after = world.state()["portal"]
    assert (after["hub_users"], after["code_configs"]) == (before["hub_users"], before["code_configs"])
    assert after["restaurants"] == before["restaurants"]


def test_doctor_names_the_renamed_create_button_of_the_menus_page(world: Any) -> None:
    world.set_faults({"faults": {"portal.layout": {"layout_drift": ["menus_create_text"]}}})
    failing = {c.name: c.detail for c in check_portal("sandbox") if not c.ok}
    assert failing["portal menus"] == (
        'drift: the Create New Option Set button (menus.create) — primary role=button "Create New Option '
        'Set" not found; found by css=#scroll-root > div > div > div > div > div > div.m-t-8 > '
        "div.grid-2.xs.xs-gap.m-t-10 > div:nth-child(1) > div > button [P] §6.1 OS:117,486-488 IT:95,503-505")
