"""``regctl retry JOB [--from STEP]`` and ``regctl retry BATCH --failed``."""

from __future__ import annotations

import click

from regctl.commands._common import actor, command_hint, parse_job, resolve_batch, store_for
from regctl.engine import api
from regctl.errors import UsageError

__all__ = ["COMMANDS"]


@click.command("retry")
@click.argument("target", metavar="JOB|BATCH")
@click.option("--from", "from_step", metavar="STEP", help="Run STEP and everything after it again.")
@click.option("--failed", is_flag=True, help="TARGET is a batch: retry every failed job in it.")
@click.pass_context
def retry(ctx: click.Context, target: str, from_step: str | None, failed: bool) -> None:
    """Give a failed job (id or job:ID) another go — its failed and blocked steps, or with --from
    STEP that step and its dependents; with --failed, every failed job of the batch TARGET.

    Then run `regctl resume BATCH` (or let a supervisor pick the steps up)."""
    if failed and from_step:
        raise UsageError("--from applies to one job; --failed to a whole batch: use one of them")
    with store_for(ctx) as store:
        if failed:
            batch = resolve_batch(store, target)
            n = api.retry_failed(store, batch["id"], actor=actor())
            click.echo(f"batch {batch['name']}: {n} step(s) ready again; "
                       f"run: {command_hint(ctx, 'resume', batch['name'])}")
            return
        job_id = parse_job(target)
        job = store.find_job(job_id)
        if from_step is not None:
            store.step_id_for(job_id, from_step)
        n = api.retry_job(store, job_id, from_step=from_step, actor=actor())
        batch = resolve_batch(store, str(job["batch_id"]))["name"]
        if n == 0:
            click.echo(f"job {job_id}: nothing to retry (its steps have not run since the last retry); "
                       f"run: {command_hint(ctx, 'resume', batch)}")
            return
        click.echo(f"job {job_id}: {n} step(s) to run again; run: {command_hint(ctx, 'resume', batch)}")


COMMANDS = [retry]
