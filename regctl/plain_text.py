"""Plain text for the commands: piped lines (tab-separated, cut/awk-friendly), ``--json``, and the
cells both they and the rich tables show. Pure: data in, text out.

Apart from :mod:`regctl.render` (rich renderables for a terminal) so that piped and ``--json`` output
never imports rich: a fresh ``regctl status | …`` starts faster (issue 15).
"""

from __future__ import annotations

import datetime
import functools
import json
import re
import time
from collections import Counter
from collections.abc import Iterable, Mapping
from typing import Any

__all__ = [
    "BATCH_TSV",
    "GLYPHS",
    "REDACTED",
    "asks",
    "batch_lines",
    "batch_tsv",
    "changed_steps",
    "counts_text",
    "current_step",
    "dumps",
    "duration",
    "glyph_string",
    "iso_timestamps",
    "iso_utc",
    "job_lines",
    "last_error",
    "redact",
    "short",
    "shown_events",
    "step_counts",
    "step_keys",
    "summary_line",
    "supervisors_tsv",
    "when",
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
_SECRET_KEY = re.compile(r"pass(word)?|secret|token|api_?key|credential", re.IGNORECASE)
REDACTED = "***"


# ---------------------------------------------------------------- --json ------------------------

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


# ---------------------------------------------------------------- cells -------------------------

def when(ts: float | None) -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S", time.localtime(ts)) if ts else "-"


def duration(start: float | None, end: float | None) -> str:
    if not start:
        return "-"
    seconds = (end or time.time()) - start
    return f"{seconds:.2f}s" if seconds < 60 else f"{int(seconds // 60)}m{int(seconds % 60):02d}s"


def short(text: str | None, width: int = 60) -> str:
    line = (text or "").strip().splitlines()[0] if (text or "").strip() else ""
    return line if len(line) <= width else line[: width - 1] + "…"


def glyph_string(steps: Iterable[Mapping[str, Any]]) -> str:
    """:func:`regctl.render.glyphs` as plain text — the piped listing of 10,000 jobs builds no rich Text."""
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
        return f"{latest['key']}: {short(latest['error'])}"
    return short(job.get("error"))


def step_counts(view: Mapping[str, Any]) -> Counter[str]:
    return Counter(s["status"] for j in view["jobs"] for s in j["steps"])


def counts_text(counts: Mapping[str, int]) -> str:
    return ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "none"


# ---------------------------------------------------------------- lines -------------------------

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
                error = f": {short(step['error'])}" if failed else ""
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
            f"{counts_text(counts)}{decide}")


BATCH_TSV = ("id", "name", "organisation", "target", "status", "jobs", "by_status", "decisions", "created")


def batch_tsv(batches: Iterable[Mapping[str, Any]]) -> list[str]:
    """Every batch as tab-separated lines under a header (``status`` piped): cut/awk-friendly."""
    lines = ["\t".join(BATCH_TSV)]
    for b in batches:
        lines.append(_tsv(b["id"], b["name"], b.get("organisation_id", ""), b.get("target", ""), b["status"],
                          b.get("total_jobs", ""), counts_text(b.get("jobs_by_status", {})),
                          b.get("decisions_waiting", 0), when(b.get("created_at"))))
    return lines


def _compact(value: Any) -> str:
    """One-line JSON, secrets masked."""
    return json.dumps(redact(value), default=str, ensure_ascii=False)


def _tsv(*cells: Any) -> str:
    """One tab-separated line; tabs and newlines inside a cell become spaces."""
    return "\t".join(" ".join(str("" if c is None else c).split()) for c in cells)


def batch_lines(view: Mapping[str, Any]) -> list[str]:
    """One batch as plain text (``status BATCH`` piped): a summary line, then tab-separated columns
    under a header, a line per job — every job, cheap for batches of thousands."""
    counts = step_counts(view)
    finished = sum(counts[s] for s in ("completed", "failed", "skipped", "cancelled"))
    lines = [f"batch {view['name']} #{view['id']} {view['status']}: {finished}/{sum(counts.values())} steps "
             f"finished ({counts_text(counts)})",
             "\t".join(("job", "restaurant", "steps", "status", "current", "last_error"))]
    for job in view["jobs"]:
        lines.append(_tsv(job["id"], job["restaurant"], glyph_string(job["steps"]), job["status"],
                          current_step(job["steps"]), last_error(job)))
    return lines


def step_keys(job: Mapping[str, Any]) -> dict[Any, str]:
    return {s["id"]: s["key"] for s in job.get("steps", [])}


def shown_events(events: list[Mapping[str, Any]], last: int | None) -> tuple[str, list[Mapping[str, Any]]]:
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
        took = duration(st.get("started_at"), st.get("finished_at")) if st.get("finished_at") else "-"
        lines.append(_tsv(st["key"], st["status"], f"{st.get('attempts', 0)}/{st.get('max_attempts', '?')}",
                          when(st.get("started_at")), took, st.get("error") or st.get("note") or asks(st)))
    keys = step_keys(job)
    results = [(st["key"], st["result"]) for st in job.get("steps", []) if st.get("result")]
    if results:
        lines += ["", "results", "step\tresult"]
        lines += [_tsv(key, _compact(result)) for key, result in results]
    if job.get("decisions"):
        lines += ["", "decisions", "\t".join(("at", "step", "by", "via", "kind", "answer"))]
        lines += [_tsv(when(d["at"]), keys.get(d["step_id"], d["step_id"]), d["actor"], d["via"], d["kind"],
                       _compact(d.get("answer"))) for d in job["decisions"]]
    title, shown = shown_events(job.get("events", []), events)
    lines += ["", title, "\t".join(("at", "step", "by", "transition", "attempt", "message"))]
    for e in shown:
        lines.append(_tsv(when(e["at"]), keys.get(e.get("step_id"), "-"), e["actor"],
                          f"{e.get('from_status') or '-'}->{e['to_status']}", e["attempt"], e.get("message")))
    arts = list(artifacts)
    if arts:
        lines += ["", "artifacts", "\t".join(("step", "attempt", "kind", "path"))]
        lines += [_tsv(a["step_key"], a["attempt"], a["kind"], a["path"]) for a in arts]
    return lines


def asks(step: Mapping[str, Any]) -> str:
    """What a waiting decision asks (its request's prompt)."""
    request = step.get("request") if step["status"] == "action_required" else None
    return f"asks: {request.get('prompt', '')}" if isinstance(request, dict) else ""


def supervisors_tsv(rows: Iterable[Mapping[str, Any]]) -> list[str]:
    """The live supervisors as tab-separated lines under a header (``status --supervisors`` piped)."""
    lines = ["\t".join(("id", "host", "pid", "concurrency", "batch", "started", "heartbeat_age_s"))]
    lines += [_tsv(r["id"], r["host"], r["pid"], r["concurrency"], r.get("batch_id") or "all",
                   when(r["started_at"]), f"{time.time() - r['heartbeat_at']:.1f}") for r in rows]
    return lines
