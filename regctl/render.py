"""Rich renderables and plain-text lines for the commands. Pure: data in, renderable/text out.

The inputs are the plain dicts of :class:`regctl.db.queries.Reads` (``batch_view``, ``job_view``,
``list_batches``). Only the commands decide whether a terminal gets these renderables or a pipe
gets the plain lines.
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

__all__ = [
    "GLYPHS",
    "batch_detail",
    "batch_lines",
    "batch_table",
    "batch_tsv",
    "changed_steps",
    "dumps",
    "iso_timestamps",
    "job_detail",
    "job_lines",
    "progress_bar",
    "progress_view",
    "redact",
    "summary_line",
    "supervisors_table",
    "supervisors_tsv",
]

# One glyph per step status (SPEC §6 live progress): done, running, waiting, decision needed,
# failed, skipped — plus blocked (waits on a retry) and cancelled.
GLYPHS: dict[str, tuple[str, str]] = {
    "completed": ("✔", "green"),
    "running": ("▶", "bold yellow"),
    "ready": ("·", "cyan"),
    "pending": ("·", "dim"),
    "action_required": ("?", "bold magenta"),
    "failed": ("✖", "bold red"),
    "blocked": ("■", "red"),
    "skipped": ("↷", "dim"),
    "cancelled": ("⊘", "dim red"),
}
_STATUS_STYLE = {"completed": "green", "completed_with_warnings": "yellow", "running": "yellow",
                 "waiting": "magenta", "failed": "bold red", "cancelled": "dim red", "pending": "dim"}
_ROW_ORDER = {"running": 0, "waiting": 1, "failed": 2, "pending": 3, "completed_with_warnings": 4,
              "cancelled": 5, "completed": 6}
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api_?key|credential", re.IGNORECASE)
REDACTED = "***"


# ---------------------------------------------------------------- helpers ------------------------

def redact(value: Any, key: str = "") -> Any:
    """A copy with secrets masked: keys that name a secret, and encrypted ``enc:`` values."""
    if isinstance(value, dict):
        return {k: redact(v, k) if type(v) in _CONTAINERS else v for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [redact(v, key) if type(v) in _CONTAINERS else v for v in value]
    if isinstance(value, str) and value and (value.startswith("enc:") or _is_secret_key(key)):
        return REDACTED
    return value


_CONTAINERS = frozenset({dict, list, tuple, str})


@functools.lru_cache(maxsize=512)
def _is_secret_key(key: object) -> bool:
    return bool(_SECRET_KEY.search(str(key)))


def iso_timestamps(value: Any, key: str = "") -> Any:
    """A copy with every timestamp (a number under a key ``at`` or ``…_at``) as ISO 8601 UTC,
    ``2026-12-05T16:10:48.123Z`` — what ``--json`` prints; the store keeps epoch seconds."""
    if isinstance(value, dict):
        return {k: iso_timestamps(v, k) if type(v) in _NESTED or _is_time_key(k) else v
                for k, v in value.items()}
    if isinstance(value, list):
        return [iso_timestamps(v, key) if type(v) in _NESTED else v for v in value]
    if type(value) in (int, float) and _is_time_key(key):
        return iso_utc(value)
    return value


_NESTED = frozenset({dict, list})


@functools.lru_cache(maxsize=256)
def _is_time_key(key: str) -> bool:
    return key == "at" or key.endswith("_at")


def iso_utc(ts: float) -> str:
    """Epoch seconds → ``2026-12-05T16:10:48.123Z``."""
    moment = datetime.datetime.fromtimestamp(ts, datetime.UTC)
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def dumps(data: Any, *, pretty: bool = True, redacted: bool = True) -> str:
    """JSON for ``--json``: secrets redacted, anything exotic (Decimal, Path) as a string.

    ``pretty=False`` is compact — and several times faster on big batches (the C encoder).
    ``redacted=False`` only for views that carry no config, parameters or results.
    """
    data = redact(data) if redacted else data
    if pretty:
        return json.dumps(data, indent=2, default=str, ensure_ascii=False)
    return json.dumps(data, separators=(",", ":"), default=str, ensure_ascii=False)


def _styled(status: str | None) -> Text:
    status = status or "-"
    return Text(status, style=_STATUS_STYLE.get(status, ""))


def _when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else "-"


def _duration(start: float | None, end: float | None) -> str:
    if not start:
        return "-"
    seconds = (end or time.time()) - start
    return f"{seconds:.2f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def _short(text: str | None, width: int = 60) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def glyphs(steps: Iterable[Mapping[str, Any]]) -> Text:
    """One glyph per step, in pipeline order."""
    out = Text()
    for step in steps:
        glyph, style = GLYPHS.get(step["status"], ("?", ""))
        out.append(glyph, style=style)
    return out


def glyph_string(steps: Iterable[Mapping[str, Any]]) -> str:
    """:func:`glyphs` as plain text — the piped listing of 10,000 jobs builds no rich Text."""
    return "".join(GLYPHS.get(step["status"], _UNKNOWN)[0] for step in steps)


_UNKNOWN = ("?", "")


def current_step(steps: Iterable[Mapping[str, Any]]) -> str:
    """What a job is on: running steps, else waiting decisions, else the first unfinished step."""
    steps = list(steps)
    for wanted in ("running", "action_required", "ready", "blocked", "pending"):
        keys = [s["key"] for s in steps if s["status"] == wanted]
        if keys:
            label = {"action_required": "decide ", "blocked": "blocked: "}.get(wanted, "")
            return label + ", ".join(keys)
    return "-"


def last_error(job: Mapping[str, Any]) -> str:
    errors = [s for s in job.get("steps", []) if s.get("error")]
    if errors:
        latest = max(errors, key=lambda s: s.get("finished_at") or s.get("started_at") or 0)
        return f"{latest['key']}: {_short(latest['error'])}"
    return _short(job.get("error"))


# ---------------------------------------------------------------- live progress ------------------

def step_counts(view: Mapping[str, Any]) -> Counter[str]:
    return Counter(s["status"] for j in view["jobs"] for s in j["steps"])


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
    rows = [[str(job["id"]), _short(job["restaurant"], 22 if narrow else 32), glyphs(job["steps"]),
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
        parts.append(Text(f"… and {sum(rest.values())} more: " + _counts_text(rest), style="dim"))
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


def _counts_text(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"


def changed_steps(before: Mapping[tuple[int, str], str], view: Mapping[str, Any]
                  ) -> tuple[dict[tuple[int, str], str], list[str]]:
    """Plain progress: the new state map, and one line per step whose status changed since ``before``."""
    now: dict[tuple[int, str], str] = {}
    lines: list[str] = []
    for job in view["jobs"]:
        for step in job["steps"]:
            ident = (job["id"], step["key"])
            now[ident] = step["status"]
            if before.get(ident) != step["status"] and not (step["status"] == "pending" and not before):
                attempt = f" (attempt {step['attempts']})" if step.get("attempts", 0) > 1 else ""
                failed = step.get("error") and step["status"] != "completed"
                error = f": {_short(step['error'])}" if failed else ""
                lines.append(f"job {job['id']} {job['restaurant']}: {step['key']} {step['status']}"
                             f"{attempt}{error}")
    return now, lines


def summary_line(view: Mapping[str, Any], *, review: str | None = None) -> str:
    """One line for the end of a run: the batch, its status and its jobs by status.

    ``review`` is the command to answer waiting decisions (default ``regctl review NAME``; the
    commands pass one that carries the ``--db`` in use)."""
    counts = Counter(j["status"] for j in view["jobs"])
    waiting = step_counts(view).get("action_required", 0)
    answer = review or f"regctl review {view['name']}"
    decide = f"; {waiting} decision(s) waiting: {answer}" if waiting else ""
    return (f"batch {view['name']} (#{view['id']}): {view['status']} — {len(view['jobs'])} job(s): "
            f"{_counts_text(counts)}{decide}")


# ---------------------------------------------------------------- status / show ------------------

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
                 "jobs": str(b.get("total_jobs", "")), "by status": _counts_text(b.get("jobs_by_status", {})),
                 "decisions": str(b.get("decisions_waiting", 0)), "created": _when(b.get("created_at"))}
        table.add_row(*(v for k, v in cells.items() if not (narrow and k in wide_only)))
    return table


BATCH_TSV = ("id", "name", "organisation", "target", "status", "jobs", "by_status", "decisions", "created")


def batch_tsv(batches: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every batch as tab-separated lines under a header (``status`` piped): cut/awk-friendly."""
    lines = ["\t".join(BATCH_TSV)]
    for b in batches:
        lines.append(_tsv(b["id"], b["name"], b.get("organisation_id", ""), b.get("target", ""), b["status"],
                          b.get("total_jobs", ""), _counts_text(b.get("jobs_by_status", {})),
                          b.get("decisions_waiting", 0), _when(b.get("created_at"))))
    return lines


def _compact(value: Any) -> str:
    """One-line JSON, secrets masked."""
    return json.dumps(redact(value), default=str, ensure_ascii=False)


def _tsv(*cells: Any) -> str:
    """One tab-separated line; tabs and newlines inside a cell become spaces."""
    return "\t".join(" ".join(str("" if c is None else c).split()) for c in cells)


def batch_detail(view: Mapping[str, Any], *, max_rows: int = 200, width: int | None = None) -> RenderableType:
    """One batch on a terminal: a row per job (busiest first, up to ``max_rows``) with its steps'
    glyphs, current step and last error."""
    return progress_view(view, max_rows=max_rows, width=width)


def batch_lines(view: Mapping[str, Any]) -> list[str]:
    """One batch as plain text (``status BATCH`` piped): a summary line, then tab-separated columns
    under a header, a line per job — every job, cheap for batches of thousands."""
    counts = step_counts(view)
    finished = sum(counts[s] for s in ("completed", "failed", "skipped", "cancelled"))
    lines = [f"batch {view['name']} #{view['id']} {view['status']}: {finished}/{sum(counts.values())} steps "
             f"finished ({_counts_text(counts)})",
             "\t".join(("job", "restaurant", "steps", "status", "current", "last_error"))]
    for job in view["jobs"]:
        lines.append(_tsv(job["id"], job["restaurant"], glyph_string(job["steps"]), job["status"],
                          current_step(job["steps"]), last_error(job)))
    return lines


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
    parts.extend(_events_table(job.get("events", []), _step_keys(job), events))
    parts.extend(_artifacts_table(list(artifacts)))
    return Group(*parts)


def _step_keys(job: Mapping[str, Any]) -> dict[Any, str]:
    return {s["id"]: s["key"] for s in job.get("steps", [])}


def _shown_events(events: list[Mapping[str, Any]], last: int | None) -> tuple[str, list[Mapping[str, Any]]]:
    if last is None or last >= len(events):
        return f"events (all {len(events)})", events
    return f"events (last {last} of {len(events)}; --events all)", events[-last:] if last else []


def job_lines(job: Mapping[str, Any], artifacts: Iterable[Mapping[str, Any]] = (), *,
              events: int | None = 30) -> list[str]:
    """One job as plain text (``show`` piped): a title line, then each section's name on a line of
    its own followed by tab-separated columns under a header."""
    restaurant = job.get("restaurant") or {}
    batch = job.get("batch") or {}
    lines = [f"job {job['id']} {restaurant.get('name', '')} {job['status']} batch {batch.get('name', '-')}"]
    lines += ["", "steps", "\t".join(("step", "status", "attempts", "started", "took", "error_or_note"))]
    for st in job.get("steps", []):
        took = _duration(st.get("started_at"), st.get("finished_at")) if st.get("finished_at") else "-"
        lines.append(_tsv(st["key"], st["status"], f"{st.get('attempts', 0)}/{st.get('max_attempts', '?')}",
                          _when(st.get("started_at")), took, st.get("error") or st.get("note") or _asks(st)))
    keys = _step_keys(job)
    results = [(st["key"], st["result"]) for st in job.get("steps", []) if st.get("result")]
    if results:
        lines += ["", "results", "step\tresult"]
        lines += [_tsv(key, _compact(result)) for key, result in results]
    if job.get("decisions"):
        lines += ["", "decisions", "\t".join(("at", "step", "by", "via", "kind", "answer"))]
        lines += [_tsv(_when(d["at"]), keys.get(d["step_id"], d["step_id"]), d["actor"], d["via"], d["kind"],
                       _compact(d.get("answer"))) for d in job["decisions"]]
    title, shown = _shown_events(job.get("events", []), events)
    lines += ["", title, "\t".join(("at", "step", "by", "transition", "attempt", "message"))]
    for e in shown:
        lines.append(_tsv(_when(e["at"]), keys.get(e.get("step_id"), "-"), e["actor"],
                          f"{e.get('from_status') or '-'}->{e['to_status']}", e["attempt"], e.get("message")))
    arts = list(artifacts)
    if arts:
        lines += ["", "artifacts", "\t".join(("step", "attempt", "kind", "path"))]
        lines += [_tsv(a["step_key"], a["attempt"], a["kind"], a["path"]) for a in arts]
    return lines


def _steps_table(steps: Iterable[Mapping[str, Any]]) -> Table:
    table = Table(title="steps", header_style="bold")
    for column in ("", "step", "status", "attempts", "started", "took", "next attempt", "error / note"):
        table.add_column(column)
    for s in steps:
        glyph, style = GLYPHS.get(s["status"], ("?", ""))
        table.add_row(Text(glyph, style=style), s["key"], _styled(s["status"]),
                      f"{s.get('attempts', 0)}/{s.get('max_attempts', '?')}", _when(s.get("started_at")),
                      _duration(s.get("started_at"), s.get("finished_at")) if s.get("finished_at") else "-",
                      _when(s.get("next_attempt_at")) if s["status"] == "ready" else "-",
                      _short(s.get("error") or s.get("note") or _asks(s), 80))
    return table


def _asks(step: Mapping[str, Any]) -> str:
    """What a waiting decision asks (its request's prompt)."""
    request = step.get("request") if step["status"] == "action_required" else None
    return f"asks: {request.get('prompt', '')}" if isinstance(request, dict) else ""


def _decisions_table(decisions: list[Mapping[str, Any]], steps: Iterable[Mapping[str, Any]]) -> list[Table]:
    if not decisions:
        return []
    keys = {s["id"]: s["key"] for s in steps}
    table = Table(title="decisions", header_style="bold")
    for column in ("at", "step", "by", "via", "kind", "answer"):
        table.add_column(column)
    for d in decisions:
        table.add_row(_when(d["at"]), str(keys.get(d["step_id"], d["step_id"])), d["actor"], d["via"],
                      d["kind"], _short(json.dumps(redact(d.get("answer")), default=str), 60))
    return [table]


def _events_table(events: list[Mapping[str, Any]], keys: Mapping[Any, str], last: int | None = 30
                  ) -> list[Table]:
    if not events:
        return []
    title, shown = _shown_events(events, last)
    table = Table(title=title, header_style="bold")
    for column in ("at", "step", "by", "transition", "attempt", "message"):
        table.add_column(column)
    for e in shown:
        transition = f"{e.get('from_status') or '∅'} → {e['to_status']}"
        table.add_row(_when(e["at"]), keys.get(e.get("step_id"), "-"), _short(e["actor"], 30), transition,
                      str(e["attempt"]), _short(e.get("message"), 70))
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
                      str(r.get("batch_id") or "all"), _when(r["started_at"]),
                      f"{time.time() - r['heartbeat_at']:.1f}s ago")
    return table


def supervisors_tsv(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The live supervisors as tab-separated lines under a header (``status --supervisors`` piped)."""
    lines = ["\t".join(("id", "host", "pid", "concurrency", "batch", "started", "heartbeat_age_s"))]
    lines += [_tsv(r["id"], r["host"], r["pid"], r["concurrency"], r.get("batch_id") or "all",
                   _when(r["started_at"]), f"{time.time() - r['heartbeat_at']:.1f}") for r in rows]
    return lines
