"""auto_evidence through the real engine: a batch of the held-out fixture set, company lookup only —
the policy's answers are recorded as decisions by ``policy:auto_evidence`` with their evidence, and
the ambiguous restaurants wait for a person."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.sandbox.manifest import manifest_dict
from regctl.sandbox.server import running_sandbox
from regctl.targets import SANDBOX_URL_ENV

HELD_OUT = Path(__file__).parent / "matcher_fixtures"
LOOKUP = [
    {"key": "search_companies", "uses": "search_companies", "critical": False},
    {"key": "select_company", "uses": "select_company", "needs": ["search_companies"], "critical": False},
]


@pytest.mark.slow
def test_policy_answers_are_recorded_with_their_evidence(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    with running_sandbox(seed=0, fixtures=HELD_OUT) as sandbox:
        monkeypatch.setenv(SANDBOX_URL_ENV, sandbox.url)
        doc: dict[str, Any] = manifest_dict(base_url=sandbox.url, batch="matching", fixtures_dir=HELD_OUT)
        doc.update(pipeline={"name": "lookup", "steps": LOOKUP},
                   policies={"select_company": {"name": "auto_evidence", "on_no_match": "none"}})
        # The real limit (10 per 60 s) only slows the address searches down; the fault tests cover it.
        doc["execution"] = {**doc.get("execution", {}),
                            "rate_limits": {"extraction_api": {"capacity": 1000, "window": 60}}}
        path = tmp_path / "matching.yaml"
        path.write_text(yaml.safe_dump(doc, allow_unicode=True), encoding="utf-8")
        store = api.open_store(f"sqlite:///{tmp_path / 'matching.db'}", upgrade=True)
        try:
            ref = api.submit_batch(store, load_manifest(path), actor="test")
            outcome = api.supervise(store, until_idle=True, batch_id=ref.id, concurrency=4)
            jobs = {j["restaurant"]: store.job_view(j["id"]) for j in store.batch_view(ref.id)["jobs"]}
        finally:
            store.close()
    assert outcome.exit_code == 3  # some wait on a person
    waiting = {name for name, job in jobs.items() for s in job["steps"]
               if s["key"] == "select_company" and s["status"] == "action_required"}
    assert waiting == {"Ruby Noodle Bar", "Kumara Kitchen (Gisborne)", "Saffron Spoon",
                       "Bao Down (Food Court)", "Kiwiana Pies"}
    fern = jobs["Fern & Fig Eatery"]["decisions"]
    assert [d["actor"] for d in fern] == ["policy:auto_evidence"]
    assert fern[0]["answer"]["choice"] == "company"
    assert "website_legal_name" in {e["kind"] for e in fern[0]["answer"]["evidence"]}
    moana = jobs["Moana Poke Co (Raglan)"]["decisions"]
    assert [(d["actor"], d["answer"]["choice"]) for d in moana] == [("policy:auto_evidence", "none")]
