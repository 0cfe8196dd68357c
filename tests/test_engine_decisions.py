"""Action-required steps: requests, answers (first wins), policies, and cancellation."""

from __future__ import annotations

import sys
import threading
import time
import types
from typing import Any

import pytest
from engine_helpers import manifest, spec, statuses

from regctl.db.store import Store
from regctl.engine import api
from regctl.engine.context import context_for

SCHEMA = {"type": "object", "properties": {"ok": {"type": "boolean"}}, "required": ["ok"]}


def _run(store: Store, batch_id: int) -> api.RunSummary:
    return api.supervise(store, concurrency=4, until_idle=True, batch_id=batch_id)


def _waiting_batch(store: Store, **kw: Any) -> int:
    steps = [
        spec("ask", "builtin.wait", params={"schema": SCHEMA, "prompt": "OK?"}),
        spec("after_ask", needs=["ask"]),
    ]
    return api.submit_batch(store, manifest(steps, **kw), actor="t").id


def test_a_wait_step_stores_its_request_and_the_batch_waits(store: Store) -> None:
    batch_id = _waiting_batch(store)
    assert _run(store, batch_id).exit_code == 3
    [waiting] = store.waiting_steps(batch_id=batch_id)
    assert waiting["key"] == "ask" and waiting["attempt"] == 1 and waiting["restaurant"] == "Restaurant 0"
    assert waiting["request"]["schema"].items() >= SCHEMA.items()  # the request may annotate the schema
    assert waiting["request"]["prompt"] == "OK?"
    assert store.batch_row(batch_id)["status"] == "waiting"
    assert store.waiting_steps(batch_id=batch_id, key="other") == []


def test_the_first_answer_wins_and_unlocks_dependents(store: Store) -> None:
    batch_id = _waiting_batch(store)
    _run(store, batch_id)
    [w] = store.waiting_steps(batch_id=batch_id)
    ctx = context_for(store, w["step_id"])
    assert ctx.restaurant["name"] == "Restaurant 0" and ctx.step_key == "ask"
    first = {"kind": "answer", "answer": {"ok": True}, "actor": "alice", "via": "decide"}
    assert store.answer_step(w["step_id"], w["attempt"], {"ok": True}, first)
    assert not store.answer_step(w["step_id"], w["attempt"], {"ok": False}, {**first, "actor": "bob"})
    assert _run(store, batch_id).exit_code == 0
    job = store.job_view(w["job_id"])
    assert [d["actor"] for d in job["decisions"]] == ["alice"]
    assert job["steps"][0]["result"] == {"ok": True}
    assert statuses(store, batch_id) == {"0.ask": "completed", "0.after_ask": "completed"}
    answered = [e for e in job["events"] if e["from_status"] == "action_required"]
    assert [(e["actor"], e["to_status"]) for e in answered] == [("alice", "completed")]


def test_a_manifest_policy_answers_for_a_person(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[Any] = []

    def evaluate(policy: Any, request: Any, ctx: Any) -> dict[str, Any] | None:
        seen.append((policy, request.prompt, ctx.step_key))
        return {"ok": True}

    fake = types.ModuleType("regctl.review.policies")
    fake.evaluate = evaluate  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "regctl.review.policies", fake)
    batch_id = _waiting_batch(store, policies={"ask": "always_yes"})
    assert _run(store, batch_id).exit_code == 0
    assert seen == [("always_yes", "OK?", "ask")]
    job = store.job_view(store.batch_view(batch_id)["jobs"][0]["id"])
    assert [(d["actor"], d["via"], d["answer"]) for d in job["decisions"]] == [
        ("policy:always_yes", "policy", {"ok": True})
    ]


def test_cancel_stops_claims_at_once_and_running_steps_end_cancelled(store: Store) -> None:
    steps = [spec("nap", "builtin.sleep", params={"seconds": 30}), spec("next", needs=["nap"])]
    batch_id = api.submit_batch(store, manifest(steps, restaurants=3), actor="t").id
    done: list[api.RunSummary] = []
    worker = threading.Thread(target=lambda: done.append(_run(store, batch_id)))
    worker.start()
    while sum(s == "running" for s in statuses(store, batch_id).values()) < 3:
        time.sleep(0.05)
    assert api.cancel(store, batch_id=batch_id, actor="t") == 6
    cancelled_at = time.time()
    worker.join(timeout=20)
    assert not worker.is_alive() and done[0].exit_code == 4
    assert set(statuses(store, batch_id).values()) == {"cancelled"}
    starts = [e["at"] for e in store.events(batch_id=batch_id) if e["to_status"] == "running"]
    assert len(starts) == 3 and max(starts) < cancelled_at
    assert all(s["lease_owner"] is None for j in store.batch_view(batch_id)["jobs"] for s in j["steps"])
