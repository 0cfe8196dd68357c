"""Helpers for the adversarial suite: a refusal is exit 2, ONE line on stderr, and nothing written."""

from __future__ import annotations

from pathlib import Path

import sqlalchemy as sa
from cli_support import CliResult, regctl

from regctl.db.connect import open_engine
from regctl.db.schema import metadata

HEAD = "batch: probe\norganisation: probe-org\ntarget: sandbox\n"
STEPS = "pipeline:\n  steps:\n    - {key: first, uses: builtin.noop}\n"
ONE = "restaurants:\n  - {name: Probe Cafe, address: 1 Probe Road, city: Auckland}\n"


def snapshot(url: str) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (the database must be exactly this after a refusal)."""
    engine = open_engine(url)
    try:
        with engine.connect() as conn:
            return {name: sorted((tuple(r) for r in conn.execute(sa.select(table))), key=repr)
                    for name, table in metadata.tables.items()}
    finally:
        engine.dispose()


def write(folder: Path, text: str | bytes, name: str = "probe.yaml") -> Path:
    path = folder / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
    return path


def assert_refused(result: CliResult, *, says: str | None = None) -> None:
    """Exit 2 with one line on stderr, never a traceback."""
    assert result.code == 2, result.output
    lines = result.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("regctl: "), result.err
    assert "Traceback" not in result.output
    if says is not None:
        assert says in result.err, result.err


def run_refused(url: str, path: Path, *, says: str | None = None, extra: tuple[str, ...] = ()) -> None:
    """``regctl run PATH`` is refused and the database is untouched."""
    before = snapshot(url)
    assert_refused(regctl("run", "--no-progress", *extra, str(path), db=url), says=says)
    assert snapshot(url) == before
