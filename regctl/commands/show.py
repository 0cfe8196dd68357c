"""``regctl show JOB``: everything about one job — steps, attempts, timings, errors, results, events."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from regctl.commands._common import console, emit_json, json_option, parse_job, store_for
from regctl.render import job_detail

if TYPE_CHECKING:
    from regctl.db.store import Store

__all__ = ["COMMANDS", "job_report"]


def _artifacts(store: Store, job_id: int) -> list[dict[str, Any]]:
    try:
        from regctl.db.artifacts import artifacts_of_job
    except ImportError:
        return []
    return [asdict(a) for a in artifacts_of_job(store.url, job_id)]


def job_report(store: Store, job_id: int) -> dict[str, Any]:
    """The job view plus its artifacts (screenshots, traces…), as ``show --json`` prints it."""
    job = store.job_view(job_id)
    job["artifacts"] = _artifacts(store, job_id)
    return job


@click.command("show")
@click.argument("job")
@json_option
@click.pass_context
def show(ctx: click.Context, job: str, as_json: bool) -> None:
    """Show JOB (an id like 12 or job:12): steps, attempts, timings, errors, results, decisions,
    events and artifacts. Secrets are masked."""
    job_id = parse_job(job)
    with store_for(ctx) as store:
        report = job_report(store, job_id)
    if as_json:
        emit_json(report)
    else:
        console().print(job_detail(report, report["artifacts"]))


COMMANDS = [show]
