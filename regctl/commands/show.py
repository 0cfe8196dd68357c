"""``regctl show JOB``: everything about one job — steps, attempts, timings, errors, results, events."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

import click

from regctl.commands._common import console, emit_json, is_terminal, json_option, parse_job, store_for
from regctl.errors import UsageError
from regctl.plain_text import job_lines, redact
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


def revealed_secrets(report: dict[str, Any]) -> dict[str, str]:
    """The job config's secrets in plain text, by dotted field name (only for ``--reveal``)."""
    from regctl import secrets

    config = secrets.decrypt_secret_fields(report.get("config") or {})
    return {f"{section}.{name}": config[section][name] for section, name in secrets.SECRET_FIELDS
            if isinstance(config.get(section), dict) and config[section].get(name)}


def parse_events(value: str) -> int | None:
    """``--events``: a number of the latest events, or ``all`` (None)."""
    if value.strip().lower() == "all":
        return None
    if not value.strip().isdigit():
        raise UsageError(f"--events takes a number or 'all', not {value!r}")
    return int(value)


def _print_report(report: dict[str, Any], events: int | None, pager: bool) -> None:
    """Rich tables on a terminal, through the pager ($PAGER, else less) when taller than the screen;
    plain tab-separated sections when piped."""
    if not is_terminal():
        click.echo("\n".join(job_lines(report, report["artifacts"], events=events)))
        return
    out = console()
    renderable = job_detail(report, report["artifacts"], events=events)
    lines = out.render_lines(renderable, out.options.update(height=None), pad=False)
    if pager and len(lines) > out.size.height:
        with out.pager(styles=True):
            out.print(renderable)
    else:
        out.print(renderable)


EXAMPLES = """\b
Examples:
  regctl show 12                     the job: steps, decisions, the last 30 events, artifacts
  regctl show job:12 --events all    every event (a pager on a terminal when it is long)
  regctl show 12 --json | jq '.steps[] | {key, status, error}'"""


@click.command("show", epilog=EXAMPLES)
@click.argument("job")
@json_option
@click.option("--reveal", is_flag=True,
              help="Also print the job's passwords in plain text (they are masked otherwise).")
@click.option("--events", "events_shown", default="30", show_default=True, metavar="N|all",
              help="How many of the latest events to list, or all.")
@click.option("--pager/--no-pager", default=True, show_default=True,
              help="On a terminal, page output taller than the screen ($PAGER, else less).")
@click.pass_context
def show(ctx: click.Context, job: str, as_json: bool, reveal: bool, events_shown: str, pager: bool) -> None:
    """Show JOB (an id like 12 or job:12): steps, attempts, timings, errors, results, decisions,
    events (with their step) and artifacts. Secrets are masked unless --reveal is given."""
    job_id = parse_job(job)
    events = parse_events(events_shown)
    with store_for(ctx) as store:
        report = job_report(store, job_id)
    shown = revealed_secrets(report) if reveal else {}
    if as_json:
        data = redact(report)
        if reveal:
            data["revealed_secrets"] = shown
        emit_json(data, redacted=False)
        return
    _print_report(report, events, pager)
    out = console()
    for name, value in shown.items():
        out.print(f"{name}: ", end="")
        out.print(value, markup=False, highlight=False)


COMMANDS = [show]
