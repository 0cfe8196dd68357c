"""`regctl decide JOB STEP --json FILE|-`: answer one waiting decision without prompts."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click

from regctl.bounds import MAX_ANSWER_BYTES, parse_json
from regctl.commands._common import actor, bounded_actor, console, parse_job, store_for
from regctl.db.decisions import Via
from regctl.errors import UsageError
from regctl.review.decisions import ensure_exists, record_decision

__all__ = ["COMMANDS", "read_answer"]


@click.command("decide")
@click.argument("job_ref", metavar="JOB")
@click.argument("step_key", metavar="STEP")
@click.option("--json", "answer_file", required=True, metavar="FILE|-",
              help="The answer as JSON, in FILE or on stdin (-).")
@click.option("--as", "as_name", metavar="NAME", callback=bounded_actor,
              help="Record the decision as NAME (default: your OS user).")
@click.pass_context
def decide(ctx: click.Context, job_ref: str, step_key: str, answer_file: str, as_name: str | None) -> None:
    """Answer the decision STEP of JOB with a JSON answer (validated against the request's schema).

    An invalid answer exits 2 naming the field, and changes nothing.
    """
    answer = read_answer(answer_file)
    with store_for(ctx) as store:
        step_id = ensure_exists(store, parse_job(job_ref), step_key)
        recorded = record_decision(store, step_id, answer, actor=as_name or actor(), via=Via.DECIDE)
    out = console()
    if recorded.asked_again is not None:
        found = len(recorded.asked_again.options)
        out.print(f"job {job_ref} {step_key}: searched again, {found} candidate(s); the decision waits "
                  f"for a new answer (`regctl review --job {job_ref} --step {step_key}`).")
        return
    assert recorded.decision is not None
    out.print(f"job {job_ref} {step_key}: answered by {recorded.decision.actor}.")


def read_answer(source: str) -> dict[str, Any]:
    """The JSON object in ``source`` (a path, or ``-`` for stdin); UsageError naming where it breaks."""
    name = "stdin" if source == "-" else source
    try:
        text = _read_bounded(source)
    except OSError as exc:
        raise UsageError(f"--json {name}: cannot read it ({exc.strerror})") from None
    except (UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"--json {name}: {exc}") from None
    try:
        answer = parse_json(text)
    except json.JSONDecodeError as exc:
        raise UsageError(f"--json {name}:{exc.lineno}: not valid JSON: {exc.msg}") from None
    except ValueError as exc:
        raise UsageError(f"--json {name}: {exc}") from None
    if not isinstance(answer, dict):
        raise UsageError(f"--json {name}: the answer must be a JSON object, not {type(answer).__name__}")
    return answer


def _read_bounded(source: str) -> str:
    """At most MAX_ANSWER_BYTES of UTF-8 from the file or stdin; ValueError beyond (issue 14)."""
    if source == "-":
        data = sys.stdin.buffer.read(MAX_ANSWER_BYTES + 1) if hasattr(sys.stdin, "buffer") \
            else sys.stdin.read(MAX_ANSWER_BYTES + 1).encode()
    else:
        with Path(source).open("rb") as fh:
            data = fh.read(MAX_ANSWER_BYTES + 1)
    if len(data) > MAX_ANSWER_BYTES:
        raise ValueError(f"the answer is larger than {MAX_ANSWER_BYTES // 1024} KiB")
    return data.decode("utf-8")


COMMANDS = [decide]
