"""`regctl complete` / `regctl skip`: steps finished by hand, audited; dependents proceed."""

from __future__ import annotations

from pathlib import Path

from review_helpers import run_cli, waiting_batch

from regctl.db.decisions import decisions_for_job
from regctl.db.store import Store
from regctl.engine import api
from regctl.manifest import load_manifest

FAILING = """\
batch: by-hand
organisation: pumpd-nz
target: sandbox
pipeline:
  name: by-hand
  steps:
    - {key: register, uses: builtin.fail, with: {times: 9, retryable: false}}
    - {key: configure, uses: builtin.noop, needs: [register]}
    - {key: publish, uses: builtin.noop, needs: [configure]}
restaurants:
  - {name: Place 1, address: 1 Queen Street, city: Auckland}
"""


def _failed_job(store: Store, tmp_path: Path) -> int:
    path = tmp_path / "by-hand.yaml"
    path.write_text(FAILING)
    ref = api.submit_batch(store, load_manifest(path), actor="test")
    api.supervise(store, until_idle=True, batch_id=ref.id)
    [job] = store.batch_view(ref.id)["jobs"]
    assert job["status"] == "failed"
    return int(job["id"])


def _statuses(store: Store, job_id: int) -> dict[str, str]:
    return {s["key"]: s["status"] for s in store.job_view(job_id)["steps"]}


def test_complete_a_failed_step_by_hand(store: Store, database_url: str, tmp_path: Path) -> None:
    job_id = _failed_job(store, tmp_path)
    assert _statuses(store, job_id) == {"register": "failed", "configure": "blocked", "publish": "blocked"}
    done = run_cli(["--db", database_url, "complete", f"job:{job_id}", "register",
                    "--note", "registered in the portal", "--as", "erin"])
    assert done.exit_code == 0, done.output
    api.supervise(store, until_idle=True)
    assert _statuses(store, job_id) == {"register": "completed", "configure": "completed",
                                        "publish": "completed"}
    assert store.find_job(job_id)["status"] == "completed"
    [d] = decisions_for_job(store.engine, job_id)
    assert (d.kind.value, d.via.value, d.actor, d.note) == ("complete", "complete", "erin",
                                                            "registered in the portal")


def test_skip_a_waiting_decision_lets_dependents_proceed(store: Store, database_url: str,
                                                         tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path, count=1)
    [w] = store.waiting_steps(batch_id=batch_id)
    done = run_cli(["--db", database_url, "skip", str(w["job_id"]), "approve", "--note", "not needed"])
    assert done.exit_code == 0, done.output
    api.supervise(store, until_idle=True)
    assert _statuses(store, w["job_id"]) == {"approve": "skipped", "publish": "completed"}
    [d] = decisions_for_job(store.engine, w["job_id"])
    assert (d.kind.value, d.note) == ("skip", "not needed")


def test_finished_steps_and_missing_notes_are_refused(store: Store, database_url: str,
                                                      tmp_path: Path) -> None:
    job_id = _failed_job(store, tmp_path)
    assert run_cli(["--db", database_url, "complete", str(job_id), "register", "--note", "x"]).exit_code == 0
    again = run_cli(["--db", database_url, "skip", str(job_id), "register", "--note", "x"])
    assert again.exit_code == 2 and "register" in again.output and "completed" in again.output
    blank = run_cli(["--db", database_url, "skip", str(job_id), "publish", "--note", "  "])
    assert blank.exit_code == 2 and "--note" in blank.output
    nostep = run_cli(["--db", database_url, "skip", str(job_id), "nosuch", "--note", "x"])
    assert nostep.exit_code == 2 and "nosuch" in nostep.output
    assert len(decisions_for_job(store.engine, job_id)) == 1
