"""Portal drift, seen before it breaks a batch: the sandbox's layout_drift fault changes the portal
the way a release would, and both the run-time warning and ``regctl doctor --portal`` name the
changed element precisely (issue 11, part 3)."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest
from register_support import StepCtx, close_browser, run_steps

from regctl.commands.doctor import check_portal
from regctl.sandbox.faults import faults_from_dict

pytestmark = pytest.mark.browser

CONFIG: dict[str, Any] = {
    "account": {"email": "owner@drift-place.example.nz", "password": "Drift-Place-pass-1",
                "phone": "09 555 0102"},
    "restaurant": {"name": "Drift Place", "address": "2 Ponsonby Road, Ponsonby, Auckland",
                   "phone": "09 555 0102",
                   "opening_hours": [{"day": "Monday", "open": "09:00", "close": "17:00"}]},
}


@pytest.fixture()
def world(sandbox: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    return sandbox


def _drift(world: Any, *kinds: str) -> None:
    world.set_faults({"faults": {"portal.layout": {"layout_drift": list(kinds)}}})


def _run(tmp_path: Path, keys: list[str]) -> dict[str, Any]:
    base = StepCtx(config=CONFIG, data_dir=tmp_path)

    async def main() -> dict[str, Any]:
        try:
            return await run_steps(base, keys)
        finally:
            await close_browser(base)

    return asyncio.run(main())


def _failing(checks: list[Any]) -> dict[str, str]:
    return {c.name: c.detail for c in checks if not c.ok}


def test_doctor_passes_on_the_sandbox(world: Any) -> None:
    checks = check_portal("sandbox")
    assert _failing(checks) == {}
    assert {c.name for c in checks} >= {"portal login", "portal dashboard", "portal create",
                                        "portal settings.website", "portal settings.payments",
                                        "portal developers"}


def test_doctor_names_a_renamed_button_and_a_moved_section(world: Any) -> None:
    _drift(world, "create_button_text", "save_button_text", "moved_section")
    failing = _failing(check_portal("sandbox"))
    assert failing["portal dashboard"] == (
        'drift: the Create New Restaurant button (dashboard.create) — primary role=button '
        '"Create New Restaurant" not found; found by role=button "Add Restaurant" [F] §3.3 LR:238')
    assert failing["portal settings.open_section"] == (
        "drift: the Save button of the open section (settings.open_section.save) — primary "
        'role=button "Save" not found; found by css=form > div > button [P] §9 WD:676 SV:478')
    assert failing["portal settings.website"].startswith(
        "stale fallback: the Themes section header (settings.website.themes) — css=#scroll-root")
    assert "nth-child(2) [P] §11 WD:580" in failing["portal settings.website"]


def test_doctor_names_a_changed_class_hash(world: Any) -> None:
    _drift(world, "section_class_hash")
    failing = _failing(check_portal("sandbox"))
    assert "section__SettingsSectionWrapper-VLcLJ.gVhfCf" in failing["portal settings.website"]
    assert failing["portal settings.website"].startswith("stale fallback: the Themes section header")


def test_a_step_records_the_drift_it_worked_around(world: Any, tmp_path: Path) -> None:
    _drift(world, "save_button_text")
    results = _run(tmp_path, ["create_account", "register_restaurant", "configure_services"])
    assert results["configure_services"]["services_changed"]  # the saves still worked, by the fallback
    assert results["configure_services"]["portal_drift"] == [
        'portal drift: the Save button of the open section (settings.save) found by fallback '
        'css=form > div > button [P] §9 WD:676 SV:478; primary role=button "Save" did not match']
    assert "portal_drift" not in results["register_restaurant"]


def test_the_fault_file_rejects_an_unknown_drift() -> None:
    from regctl.errors import UsageError

    with pytest.raises(UsageError, match="layout_drift: unknown renamed_everything"):
        faults_from_dict({"faults": {"portal.layout": {"layout_drift": ["renamed_everything"]}}})


def test_status_lists_each_drift_warning_of_the_batch() -> None:
    from regctl.commands.status import drift_lines

    view = {"portal_drift": [{"job_id": 3, "step": "configure_services",
                              "warnings": ["portal drift: the Save button …", "portal drift: the Stripe …"]}]}
    assert drift_lines(view) == ["warning: job 3 configure_services: portal drift: the Save button …",
                                 "warning: job 3 configure_services: portal drift: the Stripe …"]
    assert drift_lines({"portal_drift": []}) == []


def test_status_and_show_surface_a_recorded_drift(store: Any, database_url: str, tmp_path: Path) -> None:
    """A step result carrying portal_drift (as run_in_browser writes it) shows in `status` and `show`."""
    import json

    from cli_support import NOOP_STEPS, manifest, regctl
    from sqlalchemy import update

    from regctl.db.schema import steps

    assert regctl("run", str(manifest(tmp_path, NOOP_STEPS)), db=database_url).code == 0
    batch = int(store.find_batch("cli-test")["id"])
    line = ("portal drift: the Save button of the open section (settings.save) found by fallback "
            "css=form > div > button")
    with store.engine.begin() as conn:
        step = conn.execute(steps.select().where(steps.c.batch_id == batch, steps.c.key == "first")).first()
        conn.execute(update(steps).where(steps.c.id == step.id)
                     .values(result={"ok": True, "portal_drift": [line]}))
    plain = regctl("status", "cli-test", db=database_url)
    assert f"warning: job {step.job_id} first: {line}" in plain.out
    data = json.loads(regctl("status", "cli-test", "--json", db=database_url).out)
    assert data["portal_drift"] == [{"job_id": step.job_id, "step": "first", "warnings": [line]}]
    assert line in regctl("show", str(step.job_id), db=database_url).out.replace("\n", "")
