"""`regctl run` as a real process on a terminal (a pty): the live view, and Ctrl-C then resume."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pexpect
from cli_support import manifest, regctl

from regctl.engine.api import open_store

REGCTL = str(Path(sys.executable).parent / "regctl")


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    return pexpect.spawn(REGCTL, ["--db", f"sqlite:///{tmp_path / 'tty.db'}", *args], cwd=str(tmp_path),
                         dimensions=(40, 160), encoding="utf-8", timeout=120,
                         env={"PATH": "/usr/bin:/bin", "TERM": "xterm-256color",
                              "REGCTL_DATA_DIR": str(tmp_path / "data")})


def test_live_view_on_a_terminal(tmp_path: Path) -> None:
    steps = """    - {key: a, uses: builtin.sleep, with: {seconds: 0.2}}
    - {key: b, uses: builtin.noop, needs: [a]}"""
    child = spawn(tmp_path, "run", str(manifest(tmp_path, steps, count=3)))
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0, child.before
    assert "\x1b[" in child.before  # drawn in place with terminal control sequences
    screen = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", child.before)
    assert "█" in screen and "100%" in screen  # the overall bar
    assert "✔✔" in screen and "Restaurant 2" in screen  # a row per restaurant, a glyph per step
    assert "batch cli-test (#1): completed" in screen
    assert "a completed" not in screen  # not the plain transition lines


def test_ctrl_c_stops_gracefully_and_resume_finishes(tmp_path: Path) -> None:
    steps = """    - {key: slow, uses: builtin.sleep, with: {seconds: 1.0}}
    - {key: then, uses: builtin.noop, needs: [slow]}"""
    path = manifest(tmp_path, steps, count=2)
    child = spawn(tmp_path, "run", "--no-progress", str(path))
    child.expect("slow running")
    child.sendintr()
    child.expect("stopping")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 130, child.before
    assert "regctl resume cli-test" in child.before
    db = f"sqlite:///{tmp_path / 'tty.db'}"
    assert regctl("resume", "cli-test", db=db).code == 0
    store = open_store(db)
    try:
        assert store.find_batch("cli-test")["status"] == "completed"
    finally:
        store.close()
