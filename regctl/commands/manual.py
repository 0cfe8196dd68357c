"""`regctl complete JOB STEP --note TEXT` and `regctl skip JOB STEP --note TEXT`."""

from __future__ import annotations

import click

from regctl.commands._common import actor, bounded_actor, console, parse_job, store_for
from regctl.db.decisions import DecisionKind
from regctl.review.manual import record_manual_outcome

__all__ = ["COMMANDS"]

_NOTE = click.option("--note", required=True, metavar="TEXT",
                     help="What was done by hand, or why it is not needed.")
_AS = click.option("--as", "as_name", metavar="NAME", callback=bounded_actor,
              help="Record it as NAME (default: your OS user).")


def _record(ctx: click.Context, job_ref: str, step_key: str, kind: DecisionKind, note: str,
            as_name: str | None) -> None:
    with store_for(ctx) as store:
        done = record_manual_outcome(store, parse_job(job_ref), step_key, kind, note=note,
                                     actor=as_name or actor())
    verb = "completed" if kind is DecisionKind.COMPLETE else "skipped"
    console().print(f"job {job_ref} {step_key}: {verb} by hand by {done.actor}; "
                    "the steps that need it proceed.")


@click.command("complete")
@click.argument("job_ref", metavar="JOB")
@click.argument("step_key", metavar="STEP")
@_NOTE
@_AS
@click.pass_context
def complete(ctx: click.Context, job_ref: str, step_key: str, note: str, as_name: str | None) -> None:
    """Record that STEP of JOB was done by hand (e.g. in the portal); the job carries on."""
    _record(ctx, job_ref, step_key, DecisionKind.COMPLETE, note, as_name)


@click.command("skip")
@click.argument("job_ref", metavar="JOB")
@click.argument("step_key", metavar="STEP")
@_NOTE
@_AS
@click.pass_context
def skip(ctx: click.Context, job_ref: str, step_key: str, note: str, as_name: str | None) -> None:
    """Record that STEP of JOB is not needed; the steps that need it proceed."""
    _record(ctx, job_ref, step_key, DecisionKind.SKIP, note, as_name)


COMMANDS = [complete, skip]
