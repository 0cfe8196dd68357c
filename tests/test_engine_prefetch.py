"""How many claimed steps a supervisor keeps waiting for a slot (the adaptive prefetch)."""

from __future__ import annotations

from regctl.db.store import Store
from regctl.engine.supervisor import PREFETCH_MAX, Supervisor


def supervisor(store: Store, concurrency: int, *, step: float | None, turn: float | None) -> Supervisor:
    sup = Supervisor(store, concurrency=concurrency)
    sup._step_s, sup._turn_s = step, turn
    return sup


def test_a_second_set_of_slots_until_step_and_turn_times_are_known(store: Store) -> None:
    assert supervisor(store, 32, step=None, turn=None).prefetch == 32


def test_slow_steps_keep_half_the_slots_claimed_ahead(store: Store) -> None:
    assert supervisor(store, 16, step=20.0, turn=0.01).prefetch == 8  # browser steps: seconds each


def test_steps_quicker_than_a_turn_are_claimed_in_large_batches_up_to_a_cap(store: Store) -> None:
    sup = supervisor(store, 16, step=0.004, turn=0.01)
    assert sup.prefetch == 80  # refill every slot twice over during one turn
    assert supervisor(store, 16, step=0.0001, turn=0.01).prefetch == PREFETCH_MAX * 16


def test_steps_that_finished_together_are_replaced_together(store: Store) -> None:
    sup = supervisor(store, 32, step=0.05, turn=0.01)
    assert sup.prefetch == 16
    sup._burst = 32.0  # the last turn recorded 32 steps that had finished at once
    assert sup.prefetch == 32


def test_sequential_runs_claim_nothing_ahead(store: Store) -> None:
    assert supervisor(store, 1, step=None, turn=None).prefetch == 0
    assert supervisor(store, 1, step=0.0001, turn=0.01).prefetch == 0


def test_a_fixed_prefetch_is_kept(store: Store) -> None:
    sup = Supervisor(store, concurrency=16, prefetch=3)
    sup._step_s, sup._turn_s = 0.0001, 0.01
    assert sup.prefetch == 3
