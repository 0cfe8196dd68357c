"""`regctl review` over the real select_company / configure_registration steps and the sandbox.

The requests come from the enrichment steps (candidates searched in the sandbox's company
register); answers go through their ``apply`` — re-search runs a real new search, the menu gate is
theirs too — and the batch carries on afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml
from cryptography.fernet import Fernet
from review_helpers import CLEAR, ENTER, terminal

from regctl.db.domain import records_for
from regctl.db.store import Store
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.review.session import run_review
from regctl.sandbox.manifest import manifest_dict
from regctl.targets import SANDBOX_URL_ENV

PIPELINE = {"name": "decisions", "steps": [
    {"key": "search_companies", "uses": "search_companies"},
    {"key": "select_company", "uses": "select_company", "needs": ["search_companies"]},
    {"key": "configure_registration", "uses": "configure_registration"},
]}


@pytest.fixture
def real_batch(sandbox: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[Store, int]]:
    monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("REGCTL_SECRET_KEY", Fernet.generate_key().decode())
    doc = {**manifest_dict(count=2, base_url=sandbox.url, batch="real"), "pipeline": PIPELINE, "policies": {}}
    path = tmp_path / "real.yaml"
    path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
    store = api.open_store(f"sqlite:///{tmp_path / 'real.db'}", upgrade=True)
    ref = api.submit_batch(store, load_manifest(path), actor="test")
    api.supervise(store, until_idle=True, batch_id=ref.id)
    try:
        yield store, ref.id
    finally:
        store.close()


def _steps(store: Store, job_id: int) -> dict[str, dict[str, Any]]:
    return {s["key"]: s for s in store.job_view(job_id)["steps"]}


def test_review_over_the_real_steps(real_batch: tuple[Store, int]) -> None:
    store, batch_id = real_batch
    first, second = (j["id"] for j in store.batch_view(batch_id)["jobs"])
    assert len(store.waiting_steps(batch_id=batch_id)) == 4
    with terminal() as t:
        # 1 · select_company: re-search with an edited name (a real search); then take the first line.
        t.keys("s", ENTER)
        t.keys(CLEAR + "Kai Pai" + ENTER, ENTER, ENTER, "1", ENTER)
        # 1 · Yolo mode: accept and apply to all; the menu gate (no menu yet): menu steps off; the diff.
        t.keys("o", ENTER, ENTER, "y", ENTER)
        # 2 · select_company: by hand (contact name, seven optional fields left empty), then record.
        t.keys("h", ENTER)
        t.keys("Jane Smith" + ENTER, *[ENTER] * 7, "r", ENTER)
        summary = run_review(store, t.prompter, actor="olivia", batch_id=batch_id)
    assert "has no menu yet" in t.shown
    assert (summary.answered, summary.applied_to_others, summary.interrupted) == (4, 1, False)
    assert store.waiting_steps(batch_id=batch_id) == []
    db = str(store.engine.url.render_as_string(hide_password=False))
    assert records_for(db).search(first)["queries"]["restaurant_name"] == "Kai Pai"  # type: ignore[index]
    one, two = _steps(store, first), _steps(store, second)
    assert one["select_company"]["status"] == two["select_company"]["status"] == "completed"
    assert two["select_company"]["result"]["manual_entry"] is True
    assert one["configure_registration"]["result"]["import_menu"] is False
    assert two["configure_registration"]["result"]["import_menu"] is False
    vias = {d["via"] for j in (first, second) for d in store.job_view(j)["decisions"]}
    assert vias == {"review", "apply-to-all"}
    assert os.environ[SANDBOX_URL_ENV]
