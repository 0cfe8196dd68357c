"""``regctl show JOB``: everything about one job — steps, attempts, timings, errors, results, events."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from regctl.commands._common import console, emit_json, json_option, parse_job, store_for
from regctl.render import job_detail, redact

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


def revealed_secrets(report: dict[str, Any]) -> dict[str, str]:
    """The job config's secrets in plain text, by dotted field name (only for ``--reveal``)."""
    from regctl import secrets

    config = secrets.decrypt_secret_fields(report.get("config") or {})
    return {f"{section}.{name}": config[section][name] for section, name in secrets.SECRET_FIELDS
            if isinstance(config.get(section), dict) and config[section].get(name)}


@click.command("show")
@click.argument("job")
@json_option
@click.option("--reveal", is_flag=True,
              help="Also print the job's passwords in plain text (they are masked otherwise).")
@click.pass_context
def show(ctx: click.Context, job: str, as_json: bool, reveal: bool) -> None:
    """Show JOB (an id like 12 or job:12): steps, attempts, timings, errors, results, decisions,
    events and artifacts. Secrets are masked unless --reveal is given."""
    job_id = parse_job(job)
    with store_for(ctx) as store:
        report = job_report(store, job_id)
    shown = revealed_secrets(report) if reveal else {}
    if as_json:
        data = redact(report)
        if reveal:
            data["revealed_secrets"] = shown
        emit_json(data, redacted=False)
        return
    out = console()
    out.print(job_detail(report, report["artifacts"]))
    for name, value in shown.items():
        out.print(f"{name}: ", end="")
        out.print(value, markup=False, highlight=False)


COMMANDS = [show]
