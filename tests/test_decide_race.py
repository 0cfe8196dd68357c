"""Two processes answering the same steps at once: exactly one decision per step, the step type's
``apply`` run once per step (the loser waits for the decision lock, then finds it answered), and
the loser is told who won."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from review_helpers import waiting_batch

from regctl.db.decisions import decisions_for_job
from regctl.db.store import Store
from regctl.engine.context import data_root

TESTS = str(Path(__file__).parent)
COUNTED = """
pipeline:
  name: counted
  steps:
    - {key: approve, uses: "review_steps:counted"}
"""

ANSWERER = """
import json, sys, time
from pathlib import Path
from regctl.engine.api import open_store
from regctl.errors import DecisionError
from regctl.review.decisions import record_decision

url, who, go, steps = sys.argv[1], sys.argv[2], Path(sys.argv[3]), json.loads(sys.argv[4])
store = open_store(url)
while not go.exists():
    time.sleep(0.005)
for step_id in steps:
    answer = {"ok": who == "alice"}
    try:
        record_decision(store, step_id, answer, actor=who)
        print(json.dumps([step_id, "won", ""]))
    except DecisionError as exc:
        print(json.dumps([step_id, "lost", str(exc)]))
store.close()
"""


def test_two_processes_one_decision_per_step(store: Store, database_url: str, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join(filter(None, [TESTS, os.environ.get("PYTHONPATH")])))
    batch_id = waiting_batch(store, tmp_path, count=6, pipeline=COUNTED)
    waiting = store.waiting_steps(batch_id=batch_id)
    step_ids = [w["step_id"] for w in waiting]
    go = tmp_path / "go"
    procs = {who: subprocess.Popen([sys.executable, "-c", ANSWERER, database_url, who, str(go),
                                    json.dumps(step_ids)], stdout=subprocess.PIPE, text=True)
             for who in ("alice", "bob")}
    time.sleep(0.5)  # both processes imported and connected before the start signal (not asserted on)
    go.touch()
    outcomes = {who: [json.loads(line) for line in p.communicate(timeout=120)[0].splitlines()]
                for who, p in procs.items()}
    assert all(p.returncode == 0 for p in procs.values())
    recorded = [d for w in waiting for d in decisions_for_job(store.engine, w["job_id"])]
    assert sorted(d.step_id for d in recorded) == sorted(step_ids)  # exactly one per step
    winner = {d.step_id: d.actor for d in recorded}
    for who, results in outcomes.items():
        for step_id, result, message in results:
            if result == "won":
                assert winner[step_id] == who
            else:
                assert winner[step_id] != who
                assert f"already answered by {winner[step_id]}" in message
    assert store.waiting_steps(batch_id=batch_id) == []
    for w in waiting:  # apply ran once per step: the winner's answer only
        applied = (data_root() / "approvals" / str(w["job_id"]) / "approve" / "applied.log").read_text()
        assert applied.splitlines() == [json.dumps({"ok": winner[w["step_id"]] == "alice"})]
