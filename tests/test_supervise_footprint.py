"""Issue 13, "keep it fast and simple": a supervisor's peak RSS ≤ 60 MB on the 10k-restaurant scale run
(bench/scale.py; figures in docs/performance.md, never asserted here). What held the memory is guarded
without thresholds: the modules a supervisor loads, and how many jobs one transaction admits."""

from __future__ import annotations

import subprocess
import sys

import pytest
from engine_helpers import manifest, spec

from regctl.db import admission
from regctl.db.store import Store
from regctl.engine import api

# Modules `regctl supervise` running builtin steps must not load: rich (tables, via the completion
# helper in regctl.commands._common), httpx (the webhook client, imported on a batch transition),
# cryptography (secrets, imported by the step context), and what only other commands need.
HEAVY = ("rich", "pygments", "httpx", "cryptography", "alembic", "questionary", "playwright", "yaml",
         "pydantic", "regctl.commands._common")


def test_supervise_imports_only_what_its_steps_need(store: Store, database_url: str) -> None:
    ref = api.submit_batch(store, manifest([spec("a"), spec("b", needs=["a"])], restaurants=3), actor="t")
    probe = ("import sys; from regctl.cli import main\n"
             "try:\n    main(['--db', sys.argv[1], 'supervise', '--until-idle'])\n"
             "except SystemExit:\n    pass\n"
             f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", probe, database_url], capture_output=True, text=True,
                          check=True, timeout=120)
    assert done.stdout.splitlines()[-1] == "[]", done.stderr[-2000:]
    assert store.batch_row(ref.id)["status"] == "completed"  # it ran the steps (and the batch's transitions)


def test_one_transaction_admits_at_most_a_chunk_of_jobs(store: Store,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(admission, "ADMIT_CHUNK", 5)
    api.submit_batch(store, manifest([spec("a"), spec("b")], restaurants=12), actor="t")  # room for 1,000
    made_ready = [store.cycle([], supervisor_id="s", claim=0, lease=30, admit=True).admitted
                  for _ in range(4)]
    assert made_ready == [10, 10, 4, 0]  # two first steps per job: 5 jobs, 5 jobs, the last 2, none left
    assert store.runnable() == 24
