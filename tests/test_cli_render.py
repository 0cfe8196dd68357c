"""The pure renderers: glyphs per status, the overall bar, plain transition lines, secret masking."""

from __future__ import annotations

from typing import Any

from rich.console import Console

from regctl.plain_text import GLYPHS, batch_lines, changed_steps, dumps, redact, summary_line
from regctl.render import progress_view

STATUSES = ["completed", "running", "pending", "action_required", "failed", "skipped", "blocked",
            "cancelled", "ready"]


def view(n_jobs: int = 2) -> dict[str, Any]:
    steps = [{"key": f"s{i}", "status": s, "attempts": 2 if s == "failed" else 1,
              "error": "boom: the portal said no\nsecond line" if s == "failed" else None,
              "started_at": 1.0, "finished_at": 2.0} for i, s in enumerate(STATUSES)]
    jobs = [{"id": j + 1, "position": j, "restaurant": f"Place {j}", "status": "running", "error": None,
             "steps": [dict(s) for s in steps]} for j in range(n_jobs)]
    return {"id": 7, "name": "wk48", "status": "running", "jobs": jobs}


def text_of(renderable: Any) -> str:
    console = Console(width=160, no_color=True, record=True)
    console.print(renderable)
    return console.export_text()


def test_progress_view_shows_one_glyph_per_step_and_the_last_error() -> None:
    out = text_of(progress_view(view()))
    row = next(line for line in out.splitlines() if "Place 0" in line)
    assert "".join(GLYPHS[s][0] for s in STATUSES) in row
    assert "s1" in row  # the current (running) step
    assert "s4: boom: the portal said no" in row and "second line" not in row
    assert "wk48" in out and "%" in out


def test_progress_view_caps_rows_and_says_how_many_more() -> None:
    out = text_of(progress_view(view(30), max_rows=5))
    assert sum("Place" in line for line in out.splitlines()) == 5
    assert "and 25 more" in out


def test_changed_steps_prints_only_transitions() -> None:
    v = view(1)
    seen, lines = changed_steps({}, v)
    assert not any(" pending" in line for line in lines)  # the initial pending state is not news
    assert "job 1 Place 0: s4 failed (attempt 2): boom: the portal said no" in lines
    _, again = changed_steps(seen, v)
    assert again == []
    v["jobs"][0]["steps"][1]["status"] = "completed"
    _, later = changed_steps(seen, v)
    assert later == ["job 1 Place 0: s1 completed"]


def test_summary_line_names_waiting_decisions() -> None:
    line = summary_line(view(1))
    assert line.startswith("batch wk48 (#7): running") and "1 decision(s) waiting: regctl review wk48" in line


def test_redact_masks_secret_keys_and_encrypted_values() -> None:
    data = {"account": {"email": "a@b.co", "password": "p4ss", "api_key": "k"}, "token": "",
            "note": "enc:gAAAA", "list": [{"secret": "s"}]}
    assert redact(data) == {"account": {"email": "a@b.co", "password": "***", "api_key": "***"},
                            "token": "", "note": "***", "list": [{"secret": "***"}]}
    assert "p4ss" not in dumps(data)


def test_batch_lines_has_a_line_per_job_with_glyphs() -> None:
    lines = batch_lines(view(3))
    assert lines[0].startswith("batch wk48 #7 running:")
    assert len(lines) == 5
    assert "".join(GLYPHS[s][0] for s in STATUSES) in lines[2] and "Place 0" in lines[2]
    assert "s4: boom: the portal said no" in lines[2]
