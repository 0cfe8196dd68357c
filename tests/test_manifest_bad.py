"""Every malformed manifest under tests/manifests/bad/ fails with a located error.

Each file's first line says what is expected: ``# expect: line=N field=F [file=NAME]`` (``file`` when
the error is in a CSV the manifest names). The command-line half — exit 2, one line, database
untouched — is in test_cli_validate.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from regctl.errors import ManifestError
from regctl.manifest import load_manifest
from regctl.steps.registry import UnknownStepType, lookup

BAD = Path(__file__).parent / "manifests" / "bad"
BAD_FILES = sorted(BAD.glob("*.yaml"))
_EXPECT = re.compile(r"^# expect: line=(\d+) field=(.+?)(?: file=(\S+))?$")


def expectation(path: Path) -> tuple[int, str, str]:
    match = _EXPECT.match(path.read_text().splitlines()[0])
    assert match, f"{path.name} has no '# expect:' first line"
    return int(match.group(1)), match.group(2), match.group(3) or path.name


def _has_builtins() -> bool:
    try:
        lookup("builtin.noop")
    except UnknownStepType:
        return False
    return True


def skip_without_builtins(path: Path) -> None:
    if "builtin." in path.read_text() and not _has_builtins():
        pytest.skip("builtin step types are not registered yet")


def test_there_are_at_least_25_bad_manifests() -> None:
    assert len(BAD_FILES) >= 25


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_manifest_names_file_line_and_field(path: Path) -> None:
    skip_without_builtins(path)
    line, field, file = expectation(path)
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    err = info.value
    assert (Path(err.file or "").name, err.line, err.field) == (file, line, field), str(err)
    assert f":{line}: {field}:" in str(err)
