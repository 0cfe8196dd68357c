"""``regctl resume [BATCH|--all]``: the nightly job — reclaim expired leases and run until idle."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from regctl.commands._common import command_hint, is_terminal, resolve_batch, store_for
from regctl.commands._progress import follow
from regctl.db.views import batch_progress
from regctl.engine import api
from regctl.errors import UsageError
from regctl.plain_text import summary_line

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["COMMANDS"]


@click.command("resume")
@click.argument("batch", required=False)
@click.option("--all", "all_batches", is_flag=True, help="Every batch with work left.")
@click.option("--concurrency", type=click.IntRange(1, 512), default=16, show_default=True,
              help="Steps run at the same time by this process.")
@click.pass_context
def resume(ctx: click.Context, batch: str | None, all_batches: bool, concurrency: int) -> None:
    """Reclaim expired leases, make due retries ready, and run BATCH (or --all) until nothing is
    runnable. Exit codes as for `regctl run`; with --all, the worst over all batches."""
    if (batch is None) == (not all_batches):
        raise UsageError("give a BATCH (name or id) or --all")
    with store_for(ctx) as store:
        batch_id = resolve_batch(store, batch)["id"] if batch else None
        summary = _resume(ctx, store, batch_id, concurrency)
        click.echo(f"resumed: {summary.steps_run} step(s) run, {summary.steps_completed} completed, "
                   f"{summary.steps_failed} failed, {summary.waiting_decisions} decision(s) waiting")
        ctx.exit(summary.exit_code if batch_id is not None else _worst(store))


def _resume(ctx: click.Context, store: Store, batch_id: int | None, concurrency: int) -> api.RunSummary:
    """api.resume, under the live progress view `regctl run` shows when one batch runs on a terminal."""
    if batch_id is None or not is_terminal():
        return api.resume(store, batch_id=batch_id, concurrency=concurrency)

    def work(_poke: Callable[[], None]) -> api.RunSummary:  # unpoked, the view re-reads twice a second
        return api.resume(store, batch_id=batch_id, concurrency=concurrency)

    summary: api.RunSummary = follow(store, batch_id, work, live=True)
    name = str(store.batch_row(batch_id)["name"])
    click.echo(summary_line(batch_progress(store, batch_id), review=command_hint(ctx, "review", name)))
    return summary


def _worst(store: Store) -> int:
    """Exit code over all batches: failed (1) beats waiting (3) beats done (0); cancelled ignored."""
    codes = {api.exit_code(store, b["id"]) for b in store.list_batches()}
    for code in (1, 3):
        if code in codes:
            return code
    return 0


COMMANDS = [resume]
