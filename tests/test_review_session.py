"""`regctl review` sessions against a real database, through the real prompts (pipe input)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import pytest
from review_helpers import CLEAR, CTRL_C, ENTER, terminal, waiting_batch

from regctl.db.decisions import decisions_for_job
from regctl.db.store import Store
from regctl.engine import api
from regctl.manifest import load_manifest
from regctl.review.session import run_review

FLOWS_MANIFEST = """\
batch: flows
organisation: pumpd-nz
target: sandbox
pipeline:
  name: decisions
  steps:
    - {key: select_company, uses: "review_steps:select_company"}
    - {key: configure_registration, uses: "review_steps:configure_registration"}
restaurants:
  - {name: Place 1, address: 1 Queen Street, city: Auckland}
  - {name: Place 2, address: 2 Queen Street, city: Auckland, extra: {no_menu: true}}
  - {name: Place 3, address: 3 Queen Street, city: Auckland}
"""


@pytest.fixture
def flows_batch(store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    monkeypatch.setenv("REGCTL_DATA_DIR", str(tmp_path / "data"))
    path = tmp_path / "flows.yaml"
    path.write_text(FLOWS_MANIFEST)
    ref = api.submit_batch(store, load_manifest(path), actor="test")
    api.supervise(store, until_idle=True, batch_id=ref.id)
    return ref.id


def _editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('theme: dark', 'theme: light')"
                      ".replace('email: owner', 'email: boss'))\n")
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    monkeypatch.delenv("VISUAL", raising=False)


def _decisions(store: Store, batch_id: int) -> dict[tuple[str, str], Any]:
    out = {}
    for job in store.batch_view(batch_id)["jobs"]:
        for d in decisions_for_job(store.engine, job["id"]):
            step = store.step_row(d.step_id)["key"]
            out[(job["restaurant"], step)] = d
    return out


def test_a_whole_session(store: Store, flows_batch: int, tmp_path: Path,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    _editor(tmp_path, monkeypatch)
    with terminal() as t:
        # Place 1 · select_company: re-search with an edited name; the new (best) candidate is chosen.
        t.keys("s", ENTER, CLEAR + "TC Henderson" + ENTER, ENTER, ENTER, ENTER)
        # Place 1 · Yolo mode: edit as YAML, then accept and apply to all remaining (after the diff).
        t.keys("v", ENTER, "o", ENTER, "y", ENTER)
        # Place 2 · select_company: entered by hand, then recorded from the summary.
        t.keys("h", ENTER, "Jane Smith" + ENTER, *[ENTER] * 7, "r", ENTER)
        # Place 2 · Yolo mode (apply-to-all did not fit: no menu): accept; the gate; menu off.
        t.keys(ENTER, ENTER)
        # Place 3 · select_company: Ctrl-C.
        t.keys(CTRL_C)
        summary = run_review(store, t.prompter, actor="alice", batch_id=flows_batch)
    assert "Decision 1 of 6" in t.shown and "Decision 5 of 6" in t.shown
    assert "TC HENDERSON (2024) LIMITED" in t.shown
    assert summary.interrupted and summary.answered == 5 and summary.applied_to_others == 1
    got = _decisions(store, flows_batch)
    assert got[("Place 1", "select_company")].answer == {"choice": "company", "company_number": "8123456"}
    p1, p3 = got[("Place 1", "configure_registration")], got[("Place 3", "configure_registration")]
    assert p1.answer["website"]["theme"] == "light" and p1.answer["account"]["email"].startswith("boss")
    assert p3.via.value == "apply-to-all" and p3.actor == "alice"
    assert p3.answer["website"]["theme"] == "light"  # carried over
    assert p3.answer["account"]["email"].startswith("owner")  # per restaurant: kept
    assert got[("Place 2", "select_company")].answer == {"choice": "manual",
                                                        "manual": {"contact_name": "Jane Smith"}}
    assert got[("Place 2", "configure_registration")].answer["menu"]["import_menu"] is False
    assert ("Place 3", "select_company") not in got
    [left] = store.waiting_steps(batch_id=flows_batch)
    assert left["restaurant"] == "Place 3" and left["key"] == "select_company"


def test_ctrl_c_mid_flow_writes_nothing(store: Store, tmp_path: Path) -> None:
    batch_id = waiting_batch(store, tmp_path)
    with terminal() as t:
        t.keys("y" + ENTER, "first@example.nz" + ENTER)  # job 1 answered
        t.keys("y" + ENTER, "second@exa", CTRL_C)  # job 2 interrupted while typing
        summary = run_review(store, t.prompter, actor="bob", batch_id=batch_id)
    assert summary.interrupted and summary.answered == 1 and summary.left_waiting == 1
    [left] = store.waiting_steps(batch_id=batch_id)
    assert store.job_view(left["job_id"])["decisions"] == []
    assert store.step_row(left["step_id"])["status"] == "action_required"


def test_a_decision_answered_elsewhere_meanwhile_is_skipped(store: Store, tmp_path: Path) -> None:
    from regctl.review.decisions import record_decision

    batch_id = waiting_batch(store, tmp_path)
    _, second = store.waiting_steps(batch_id=batch_id)

    class Elsewhere:  # someone answers the second decision while the first is on screen
        def __init__(self, t: Any) -> None:
            self.t = t

        def __getattr__(self, name: str) -> Any:
            return getattr(self.t.prompter, name)

        def text(self, *args: Any, **kwargs: Any) -> str:
            answer = self.t.prompter.text(*args, **kwargs)
            record_decision(store, second["step_id"], {"ok": False, "contact": {"email": "c@d.nz"}},
                            actor="carol")
            return str(answer)

    with terminal() as t:
        t.keys("y" + ENTER, "first@example.nz" + ENTER)
        summary = run_review(store, Elsewhere(t), actor="bob", batch_id=batch_id)
    assert summary.answered == 1 and not summary.interrupted
    assert "no longer waiting" in t.shown
