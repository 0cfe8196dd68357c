"""The one-UPDATE unlocking of dependents (the common case) agrees with the full resolution."""

from __future__ import annotations

from collections import Counter

from engine_helpers import manifest, spec, statuses

from regctl.db.progress import _sole_dependents, _Spec
from regctl.db.store import Store
from regctl.engine import api


def test_sole_dependents_are_only_steps_waiting_on_one_key_without_a_condition() -> None:
    specs = {
        "a": _Spec(),
        "b": _Spec(needs=("a",)),
        "c": _Spec(after=("a",)),
        "d": _Spec(needs=("b", "c")),
        "e": _Spec(needs=("d",), when="restaurant.website"),
        "f": _Spec(needs=("e",), after=("e",)),
        "g": _Spec(),
    }
    assert _sole_dependents(specs) == {
        "a": ("b", "c"),
        "b": None,  # d also needs c
        "c": None,
        "d": None,  # e has a condition
        "e": ("f",),
        "f": (),
        "g": (),
    }


def test_a_mixed_pipeline_moves_every_step_once_and_ends_as_the_full_rules_say(store: Store) -> None:
    steps = [
        spec("a"),
        spec("b", needs=["a"]),
        spec("c", after=["a"]),
        spec("d", needs=["b", "c"]),
        spec("e", needs=["d"], when="restaurant.website"),  # false: skipped by its condition
        spec("f", needs=["e"]),
        spec("g"),
    ]
    ref = api.submit_batch(store, manifest(steps, restaurants=6), actor="t")
    assert api.supervise(store, concurrency=4, until_idle=True, batch_id=ref.id).exit_code == 0
    final = statuses(store, ref.id)
    assert {key for key, status in final.items() if status != "completed"} == {f"{j}.e" for j in range(6)}
    assert all(final[f"{j}.e"] == "skipped" for j in range(6))
    events = store.events(batch_id=ref.id)
    readied = Counter(e["step_id"] for e in events if e["to_status"] == "ready")
    completed = Counter(e["step_id"] for e in events if e["to_status"] == "completed")
    assert set(readied.values()) == {1} and len(readied) == 6 * 6  # every step but the skipped e
    assert set(completed.values()) == {1} and len(completed) == 6 * 6
    relations = {"b": "a", "c": "a", "d": "bc", "e": "d", "f": "e"}
    for job in store.batch_view(ref.id)["jobs"]:
        key_of = {s["id"]: s["key"] for s in job["steps"]}
        order = {(key_of[e["step_id"]], e["to_status"]): e["id"] for e in events if e["step_id"] in key_of}
        for key, before in relations.items():
            moved = order.get((key, "ready"), order.get((key, "skipped")))
            assert all(moved > order.get((r, "completed"), order.get((r, "skipped"), 0)) for r in before)
    view = store.batch_view(ref.id)
    assert view["status"] == "completed"
    assert {job["status"] for job in view["jobs"]} == {"completed"}
