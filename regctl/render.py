"""Rich renderables for the commands on a terminal. Pure: data in, renderable out.

The inputs are the plain dicts of :class:`regctl.db.queries.Reads` (``batch_view``, ``job_view``,
``list_batches``). The plain lines a pipe gets, ``--json``, and the cells shared with these tables
live in :mod:`regctl.plain_text` (which imports no rich). Only the commands decide which one is shown.
"""

from __future__ import annotations

import json
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from regctl.plain_text import (
    GLYPHS,
    asks,
    counts_text,
    current_step,
    dumps,
    duration,
    last_error,
    redact,
    short,
    shown_events,
    step_counts,
    step_keys,
    when,
)

__all__ = [
    "batch_detail",
    "batch_table",
    "glyphs",
    "job_detail",
    "progress_bar",
    "progress_view",
    "supervisors_table",
]

_STATUS_STYLE = {"completed": "green", "completed_with_warnings": "yellow", "running": "yellow",
                 "waiting": "magenta", "failed": "bold red", "cancelled": "dim red", "pending": "dim"}
_ROW_ORDER = {"running": 0, "waiting": 1, "failed": 2, "pending": 3, "completed_with_warnings": 4,
              "cancelled": 5, "completed": 6}


def _styled(status: str | None) -> Text:
    status = status or "-"
    return Text(status, style=_STATUS_STYLE.get(status, ""))


def glyphs(steps: Iterable[Mapping[str, Any]]) -> Text:
    """One glyph per step, in pipeline order."""
    out = Text()
    for step in steps:
        glyph, style = GLYPHS.get(step["status"], ("?", ""))
        out.append(glyph, style=style)
    return out


NARROW = 100  # below this many columns status drops the last-error column and shortens names


def progress_view(view: Mapping[str, Any], *, max_rows: int = 20, width: int | None = None) -> RenderableType:
    """The live batch page: an overall bar, then a row per restaurant (busiest first).

    ``view`` is a full batch view, or a summary (``step_counts``/``job_counts`` over the batch and
    only the jobs to show). ``width`` below :data:`NARROW` (an 80-column terminal) gives the compact
    layout: the header on two lines, restaurant names to 22 characters, no last-error column.
    """
    narrow = width is not None and width < NARROW
    counts = Counter(view["step_counts"]) if "step_counts" in view else step_counts(view)
    total = sum(counts.values())
    finished = sum(counts[s] for s in ("completed", "failed", "skipped", "cancelled"))
    title = Text.assemble((f"{view['name']} ", "bold"), (f"#{view['id']} ", "dim"),
                          _styled(view["status"]), f"  {finished}/{total} steps  ")
    header = Group(title, _legend(counts)) if narrow else title + _legend(counts)
    bar = progress_bar(finished, total, width=min(50, (width or 80) - 10))
    columns = ("job", "restaurant", "steps", "status", "current") + (() if narrow else ("last error",))
    table = Table(box=None, pad_edge=False, show_header=True, header_style="bold")
    jobs = sorted(view["jobs"], key=lambda j: (_ROW_ORDER.get(j["status"], 9), j["position"]))[:max_rows]
    rows = [[str(job["id"]), short(job["restaurant"], 22 if narrow else 32), glyphs(job["steps"]),
             _styled(job["status"]), current_step(job["steps"]), *(() if narrow else (last_error(job),))]
            for job in jobs]
    widths = _column_widths(columns, rows, width)
    for column in columns:
        table.add_column(column, overflow="ellipsis", no_wrap=True, width=widths.get(column))
    for row in rows:
        table.add_row(*row)
    parts: list[RenderableType] = [header, bar, table]
    rest = _rest(view, jobs)
    if rest:
        parts.append(Text(f"… and {sum(rest.values())} more: " + counts_text(rest), style="dim"))
    return Group(*parts)


def _column_widths(columns: Sequence[str], rows: list[list[Any]], width: int | None) -> dict[str, int]:
    """Widths that fit ``width``: the job id and the status whole (an 80-column terminal squeezed both
    to nothing, and 120 columns cut `running` to `run…`), the step glyphs up to 18, the restaurant up
    to its shortened name; the current step and the last error share the rest."""
    if width is None or not rows:
        return {}
    natural = {c: max(len(c), *(len(str(row[i])) for row in rows)) for i, c in enumerate(columns)}
    widths = {"job": natural["job"], "status": natural["status"], "steps": min(natural["steps"], 18)}
    rest = width - sum(widths.values()) - 2 * (len(columns) - 1) - 1
    widths["restaurant"] = max(10, min(natural["restaurant"], rest // (3 if "last error" in columns else 2)))
    rest -= widths["restaurant"]
    if "last error" in columns:
        widths["current"] = max(7, min(natural["current"], rest // 2))
        widths["last error"] = max(10, rest - widths["current"])
    else:
        widths["current"] = max(7, rest)
    return widths


def _rest(view: Mapping[str, Any], shown: list[Mapping[str, Any]]) -> Counter[str]:
    """Jobs by status that are not among the rows shown."""
    everyone = Counter(view["job_counts"]) if "job_counts" in view \
        else Counter(j["status"] for j in view["jobs"])
    everyone.subtract(Counter(j["status"] for j in shown))
    return Counter({status: n for status, n in everyone.items() if n > 0})


def progress_bar(done: int, total: int, width: int = 50) -> Text:
    """``█████░░░░░  50%`` — readable with and without colour."""
    filled = round(width * done / total) if total else width
    percent = f" {100 * done // total if total else 100:3d}%"
    return Text.assemble(("█" * filled, "green"), ("░" * (width - filled), "dim"), percent)


def _legend(counts: Mapping[str, int]) -> Text:
    out = Text()
    for status, (glyph, style) in GLYPHS.items():
        if counts.get(status):
            out.append(f"{glyph} {counts[status]} {status}  ", style=style)
    return out


def batch_table(batches: Iterable[Mapping[str, Any]], *, width: int | None = None) -> Table:
    """Every batch with its jobs by status and the decisions it waits on (``width`` below
    :data:`NARROW`: without organisation, target and creation time)."""
    narrow = width is not None and width < NARROW
    table = Table(title="batches", header_style="bold")
    wide_only = {"organisation", "target", "created"}
    for column in ("id", "name", "organisation", "target", "status", "jobs", "by status", "decisions",
                   "created"):
        if not (narrow and column in wide_only):
            table.add_column(column, overflow="fold")
    for b in batches:
        cells = {"id": str(b["id"]), "name": b["name"], "organisation": b.get("organisation_id", ""),
                 "target": b.get("target", ""), "status": _styled(b["status"]),
                 "jobs": str(b.get("total_jobs", "")), "by status": counts_text(b.get("jobs_by_status", {})),
                 "decisions": str(b.get("decisions_waiting", 0)), "created": when(b.get("created_at"))}
        table.add_row(*(v for k, v in cells.items() if not (narrow and k in wide_only)))
    return table


def batch_detail(view: Mapping[str, Any], *, max_rows: int = 200, width: int | None = None) -> RenderableType:
    """One batch on a terminal: a row per job (busiest first, up to ``max_rows``) with its steps'
    glyphs, current step and last error."""
    return progress_view(view, max_rows=max_rows, width=width)


def job_detail(job: Mapping[str, Any], artifacts: Iterable[Mapping[str, Any]] = (), *,
               events: int | None = 30) -> RenderableType:
    """Everything about one job: steps (attempts, timings, errors), results, decisions, events (the
    last ``events``, or all with None), artifacts."""
    restaurant = job.get("restaurant") or {}
    title = Text.assemble((f"job {job['id']} ", "bold"), (restaurant.get("name", ""), "bold cyan"), "  ",
                          _styled(job["status"]),
                          f"  batch {job['batch']['name']} #{job['batch']['id']}" if job.get("batch") else "")
    parts: list[RenderableType] = [title, _steps_table(job.get("steps", []))]
    results = {s["key"]: s["result"] for s in job.get("steps", []) if s.get("result")}
    if results:
        parts.append(Text("results\n", style="bold") + Text(dumps(results)))
    parts.extend(_decisions_table(job.get("decisions", []), job.get("steps", [])))
    parts.extend(_events_table(job.get("events", []), step_keys(job), events))
    parts.extend(_artifacts_table(list(artifacts)))
    return Group(*parts)


def _steps_table(steps: Iterable[Mapping[str, Any]]) -> Table:
    table = Table(title="steps", header_style="bold")
    for column in ("", "step", "status", "attempts", "started", "took", "next attempt", "error / note"):
        table.add_column(column)
    for s in steps:
        glyph, style = GLYPHS.get(s["status"], ("?", ""))
        table.add_row(Text(glyph, style=style), s["key"], _styled(s["status"]),
                      f"{s.get('attempts', 0)}/{s.get('max_attempts', '?')}", when(s.get("started_at")),
                      duration(s.get("started_at"), s.get("finished_at")) if s.get("finished_at") else "-",
                      when(s.get("next_attempt_at")) if s["status"] == "ready" else "-",
                      short(s.get("error") or s.get("note") or asks(s), 80))
    return table


def _decisions_table(decisions: list[Mapping[str, Any]], steps: Iterable[Mapping[str, Any]]) -> list[Table]:
    if not decisions:
        return []
    keys = {s["id"]: s["key"] for s in steps}
    table = Table(title="decisions", header_style="bold")
    for column in ("at", "step", "by", "via", "kind", "answer"):
        table.add_column(column)
    for d in decisions:
        table.add_row(when(d["at"]), str(keys.get(d["step_id"], d["step_id"])), d["actor"], d["via"],
                      d["kind"], short(json.dumps(redact(d.get("answer")), default=str), 60))
    return [table]


def _events_table(events: list[Mapping[str, Any]], keys: Mapping[Any, str], last: int | None = 30
                  ) -> list[Table]:
    if not events:
        return []
    title, shown = shown_events(events, last)
    table = Table(title=title, header_style="bold")
    for column in ("at", "step", "by", "transition", "attempt", "message"):
        table.add_column(column)
    for e in shown:
        transition = f"{e.get('from_status') or '∅'} → {e['to_status']}"
        table.add_row(when(e["at"]), keys.get(e.get("step_id"), "-"), short(e["actor"], 30), transition,
                      str(e["attempt"]), short(e.get("message"), 70))
    return [table]


def _artifacts_table(artifacts: list[Mapping[str, Any]]) -> list[Table]:
    if not artifacts:
        return []
    table = Table(title="artifacts", header_style="bold")
    for column in ("step", "attempt", "kind", "path"):
        table.add_column(column)
    for a in artifacts:
        table.add_row(a["step_key"], str(a["attempt"]), a["kind"], a["path"])
    return [table]


def supervisors_table(rows: Iterable[Mapping[str, Any]]) -> Table:
    table = Table(title="live supervisors", header_style="bold")
    for column in ("id", "host", "pid", "concurrency", "batch", "started", "heartbeat"):
        table.add_column(column)
    for r in rows:
        table.add_row(r["id"], r["host"], str(r["pid"]), str(r["concurrency"]),
                      str(r.get("batch_id") or "all"), when(r["started_at"]),
                      f"{time.time() - r['heartbeat_at']:.1f}s ago")
    return table
