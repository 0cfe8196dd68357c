"""Fuzzing `regctl validate`: any file either validates (exit 0) or exits 2 with one located line.

The same inputs as test_fuzz_manifest.py, through the command line's error boundary: no input may
produce a traceback or another exit code, and the message names the file and a line
(``regctl: FILE:LINE: field: message``). Most cases run in-process through ``regctl.cli.main``;
a few run as real subprocesses to prove the same holds for the installed console script.
"""

from __future__ import annotations

import contextlib
import io
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regctl.cli import cli, main

FUZZ = settings(max_examples=40, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])
LOCATED = re.compile(r"^regctl: (?P<file>[^\n]*?):(?P<line>\d+):", re.M)
NASTY = ["", "\x00", "\x1f", "batch: [", "batch: x\nbatch: y\n", "- 1\n- 2\n", "a: *unknown\n",
         "restaurants: {}\n", "pipeline: {steps: [{key: a, uses: nope.nope}]}\n", "\ufeff",
         "%YAML 9.9\n---\n"]

pytestmark = pytest.mark.skipif(cli.get_command(None, "validate") is None,  # type: ignore[arg-type]
                                reason="`regctl validate` not written yet")


def validate_in_process(path: Path) -> tuple[int, str]:
    """Run `regctl validate PATH` through the CLI boundary; (exit code, stdout+stderr)."""
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            main(["validate", str(path)])
        except SystemExit as exc:
            code = exc.code
    assert isinstance(code, int | None), f"exit code {code!r}"
    return code or 0, out.getvalue() + err.getvalue()


def assert_loads_or_located(path: Path, code: int, output: str) -> None:
    assert "Traceback" not in output, output
    assert code in (0, 2), f"exit {code}: {output}"
    if code == 2:
        match = LOCATED.search(output)
        assert match, f"exit 2 without a `regctl: file:line:` message: {output!r}"
        assert Path(match["file"]).name == path.name
        assert int(match["line"]) >= 1


@FUZZ
@given(text=st.text(max_size=300))
def test_any_text_validates_or_exits_2_located(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzzed.yaml"
        path.write_text(text, encoding="utf-8")
        assert_loads_or_located(path, *validate_in_process(path))


@FUZZ
@given(data=st.binary(max_size=200))
def test_any_bytes_validate_or_exit_2_located(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzzed.yaml"
        path.write_bytes(data)
        assert_loads_or_located(path, *validate_in_process(path))


TOP_KEYS = ["batch", "organisation", "target", "pipeline", "execution", "policies", "defaults",
            "restaurants", "restaurants_from", "notify", "extra"]
leaves = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
trees = st.recursive(leaves, lambda i: st.lists(i, max_size=3) | st.dictionaries(st.text(max_size=6), i,
                                                                                 max_size=3), max_leaves=8)


@FUZZ
@given(doc=st.dictionaries(st.sampled_from(TOP_KEYS), trees, max_size=8))
def test_any_top_level_shape_validates_or_exits_2_located(doc: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzzed.yaml"
        path.write_text(yaml.safe_dump(doc))
        assert_loads_or_located(path, *validate_in_process(path))


@pytest.mark.parametrize("text", NASTY, ids=range(len(NASTY)))
def test_the_console_script_never_shows_a_traceback(tmp_path: Path, text: str) -> None:
    path = tmp_path / "nasty.yaml"
    path.write_text(text, encoding="utf-8")
    argv = [sys.executable, "-c", "from regctl.cli import main; main()", "validate", str(path)]
    done = subprocess.run(argv, capture_output=True, text=True, timeout=60, check=False)
    assert_loads_or_located(path, done.returncode, done.stdout + done.stderr)


def test_a_missing_file_exits_2_naming_it(tmp_path: Path) -> None:
    code, output = validate_in_process(tmp_path / "absent.yaml")
    assert code == 2 and "absent.yaml" in output and "Traceback" not in output
