"""The onboarding pipeline through the real engine against the sandbox: decisions, faults, retry.

Slow (a real Chromium drives the sandbox portal for every restaurant), so marked ``slow``. Each test
runs a small batch of fixture restaurants from a manifest like manifests/demo.yaml on a SQLite file.
"""

from __future__ import annotations

import collections
import re
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.fernet import Fernet

from regctl.db.artifacts import artifacts_of_job
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.review.decisions import record_decision

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.timeout(1500)]

DEMO = Path(__file__).resolve().parent.parent / "manifests" / "demo.yaml"
HANDS_FREE = ("Kai Pai Kitchen (Ponsonby)", "Texas Chicken (Henderson)")
NEEDS_DECISION = "Spice Route (Mount Eden)"


def _manifest(tmp_path: Path, names: tuple[str, ...], batch: str) -> Path:
    doc = yaml.safe_load(DEMO.read_text())
    doc["batch"] = batch
    doc["policies"]["select_company"] = "auto_single_strong_match"  # name-only: Spice Route waits
    doc["restaurants"] = [r for r in doc["restaurants"] if r["name"] in names]
    assert len(doc["restaurants"]) == len(names)
    path = tmp_path / f"{batch}.yaml"
    path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
    return path


@pytest.fixture()
def env(sandbox: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Any:
    monkeypatch.setenv("REGCTL_SANDBOX_URL", sandbox.url)
    monkeypatch.setenv("REGCTL_SECRET_KEY", Fernet.generate_key().decode())
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(tmp_path)
    return sandbox


def _jobs(store: Any, batch_id: int) -> dict[str, dict[str, Any]]:
    """Restaurant name → the job with every step (statuses, errors, results)."""
    return {job["restaurant"]: store.job_view(job["id"]) | {"restaurant": job["restaurant"]}
            for job in store.batch_view(batch_id)["jobs"]}


def _no_duplicate_creation(sandbox: Any) -> None:
    created = collections.Counter()
    for entry in sandbox.audit():
        summary = str(entry.get("summary", ""))
        if summary.startswith(("account created", "create restaurant", "create option set", "create item tag",
                               "add user", "add payment method")):
            created[re.sub(r"RES\d+ |user_id=\S+", "", summary)] += 1
    assert [k for k, n in created.items() if n > 1] == []


def test_demo_restaurants_complete_after_their_decision(env: Any, tmp_path: Path) -> None:
    manifest = load_manifest(_manifest(tmp_path, (*HANDS_FREE, NEEDS_DECISION), "demo-decide"))
    store = api.open_store(f"sqlite:///{tmp_path / 'regctl.db'}", upgrade=True)
    batch = api.submit_batch(store, manifest, actor="test")
    first = api.supervise(store, until_idle=True, batch_id=batch.id)
    assert first.exit_code == 3 and first.waiting_decisions == 1
    jobs = _jobs(store, batch.id)
    waiting = jobs[NEEDS_DECISION]
    step_id = store.step_id_for(waiting["id"], "select_company")
    record_decision(store, step_id, {"choice": "company", "company_number": "5103700"}, actor="test")
    second = api.supervise(store, until_idle=True, batch_id=batch.id)
    assert second.exit_code == 0
    jobs = _jobs(store, batch.id)
    assert {name: job["status"] for name, job in jobs.items()} == dict.fromkeys(jobs, "completed")
    assert all(len(job["steps"]) == 18 for job in jobs.values())
    portal = env.state()["portal"]["restaurants"]
    names = {r["name"] for owned in portal.values() for r in owned}
    assert set(HANDS_FREE) | {NEEDS_DECISION} <= names
    wanted = {*HANDS_FREE, NEEDS_DECISION}
    ours = [r for owned in portal.values() for r in owned if r["name"] in wanted]
    assert len(ours) == 3
    for restaurant in ours:
        assert restaurant["menus"] and restaurant["option_sets"] and restaurant["payments"]
    _no_duplicate_creation(env)


FAULTS = {"faults": {"*": {"error_rate": 0.1, "latency_ms": 20},
                     "portal.dashboard": {"loader_never_clears": True, "times": 1},
                     "portal.menu_import": {"csv_import_fails": True}}}


def test_faults_end_in_clear_failures_and_retry_completes(env: Any, tmp_path: Path) -> None:
    env.set_faults(FAULTS)
    manifest = load_manifest(_manifest(tmp_path, HANDS_FREE, "demo-faults"))
    store = api.open_store(f"sqlite:///{tmp_path / 'regctl.db'}", upgrade=True)
    batch = api.submit_batch(store, manifest, actor="test")
    first = api.supervise(store, until_idle=True, batch_id=batch.id)
    assert first.exit_code == 1
    for job in _jobs(store, batch.id).values():
        assert job["status"] == "failed"
        steps = {s["key"]: s for s in job["steps"]}
        assert steps["import_menu"]["status"] == "failed"
        assert "import limit" in (steps["import_menu"]["error"] or "")
        kinds = {a.kind for a in artifacts_of_job(store_url(store), job["id"]) if a.step_key == "import_menu"}
        assert {"screenshot", "trace", "csv"} <= kinds
    env.set_faults({})
    api.retry_failed(store, batch.id, actor="test")
    second = api.supervise(store, until_idle=True, batch_id=batch.id)
    assert second.exit_code == 0
    assert {job["status"] for job in _jobs(store, batch.id).values()} == {"completed"}
    _no_duplicate_creation(env)


def store_url(store: Any) -> str:
    return str(store.engine.url.render_as_string(hide_password=False))
