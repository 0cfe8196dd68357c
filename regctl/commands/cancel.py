"""``regctl cancel BATCH|job:ID``: stop a batch or one job; running steps stop within their grace."""

from __future__ import annotations

import click

from regctl.commands._common import actor, is_job_ref, parse_job, resolve_batch, store_for
from regctl.engine import api

__all__ = ["COMMANDS"]


@click.command("cancel")
@click.argument("target", metavar="BATCH|job:ID")
@click.pass_context
def cancel(ctx: click.Context, target: str) -> None:
    """Cancel a batch (name or id) or one job (job:ID): no new step starts from the moment this
    returns, and running steps are signalled to stop."""
    with store_for(ctx) as store:
        if is_job_ref(target):
            job_id = parse_job(target)
            store.find_job(job_id)
            n = api.cancel(store, job_id=job_id, actor=actor())
            click.echo(f"job {job_id} cancelled ({n} step(s))")
            return
        batch = resolve_batch(store, target)
        n = api.cancel(store, batch_id=batch["id"], actor=actor())
        click.echo(f"batch {batch['name']} (#{batch['id']}) cancelled ({n} step(s))")


COMMANDS = [cancel]
