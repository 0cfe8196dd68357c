"""Fuzzing the manifest loader: any input either loads or fails with a located ManifestError.

Three kinds of input: arbitrary text, arbitrary bytes, and a valid manifest mutated field by field
(values replaced by values of other types, keys dropped, unknown keys added). Whatever comes in,
`load_manifest` returns a Manifest or raises ManifestError naming the file and a line — never any
other exception. Through the command line (`regctl validate`) the same inputs exit 0 or 2 with one
`file:line:` message and never a traceback (test_fuzz_validate_cli.py).
"""

from __future__ import annotations

import copy
import tempfile
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regctl.errors import ManifestError
from regctl.manifest import Manifest, load_manifest

BASE: dict[str, Any] = {
    "batch": "fuzz-1",
    "organisation": "fuzz-org",
    "target": "sandbox",
    "pipeline": {"steps": [
        {"key": "a", "uses": "builtin.noop"},
        {"key": "b", "uses": "builtin.sleep", "with": {"seconds": 0.01}, "needs": ["a"], "retries": 2,
         "timeout": "30s"},
        {"key": "c", "uses": "builtin.noop", "after": ["b"], "when": "restaurant.city == 'Auckland'",
         "critical": False},
    ]},
    "execution": {"mode": "parallel", "max_parallel_restaurants": 4, "limits": {"browser": 2}},
    "policies": {},
    "defaults": {"website": {"theme": "dark"}},
    "restaurants": [
        {"name": "Fuzz Burger", "address": "1 Queen Street, Auckland", "city": "Auckland",
         "phone": "09 123 4567", "email": "owner@example.co.nz",
         "opening_hours": [{"day": "Monday", "open": "10:00", "close": "22:00"}]},
        {"name": "Fuzz Noodles", "address": "2 Queen Street, Auckland", "city": "Auckland"},
    ],
}

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow])

scalars = st.one_of(st.none(), st.booleans(), st.integers(-10**12, 10**12),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=30),
                    st.sampled_from(["", "30s", "2m", "-1", "${NOPE_UNSET_VAR}", "builtin.noop",
                                     "a", "b", "c", "x:y", "10:00", "25:99", "Monday", "\x00"]))
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)), max_leaves=12)


def loaded_or_located(path: Path) -> Manifest | ManifestError:
    """Load ``path``; a ManifestError is returned after checking it names the file and a line."""
    try:
        return load_manifest(path)
    except ManifestError as exc:
        assert exc.file is not None and Path(exc.file).name == path.name, f"error without file: {exc}"
        assert exc.line is not None and exc.line >= 1, f"error without a line: {exc}"
        assert exc.message.strip(), "empty message"
        return exc


def _loader_exists() -> bool:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.yaml"
        path.write_text(yaml.safe_dump(BASE))
        try:
            load_manifest(path)
        except NotImplementedError:
            return False
        except Exception:
            return True
    return True


def _builtin_step_types_exist() -> bool:
    from regctl.steps.registry import UnknownStepType, lookup

    try:
        lookup("builtin.noop")
        lookup("builtin.sleep")
    except UnknownStepType:
        return False
    return True


pytestmark = pytest.mark.skipif(not _loader_exists(), reason="regctl.manifest.load_manifest not written yet")
needs_builtins = pytest.mark.skipif(not _builtin_step_types_exist(),
                                    reason="builtin step types not written yet")


def paths_of(doc: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path into ``doc`` (mapping keys and list indexes), the root excluded."""
    out: list[tuple[Any, ...]] = []
    items = doc.items() if isinstance(doc, dict) else enumerate(doc) if isinstance(doc, list) else []
    for key, child in items:
        out.append((*prefix, key))
        out.extend(paths_of(child, (*prefix, key)))
    return out


def mutate(doc: dict[str, Any], path: tuple[Any, ...], action: str, value: Any) -> dict[str, Any]:
    doc = copy.deepcopy(doc)
    parent: Any = doc
    for part in path[:-1]:
        parent = parent[part]
    last = path[-1]
    if action == "replace":
        parent[last] = value
    elif action == "delete":
        del parent[last]
    elif isinstance(parent[last], dict):  # "add": an unknown key where the value is a mapping
        parent[last][f"unknown_{abs(hash(repr(value))) % 1000}"] = value
    else:
        parent[last] = [parent[last], value]
    return doc


@needs_builtins
def test_the_base_manifest_is_valid(tmp_path: Path) -> None:
    path = tmp_path / "base.yaml"
    path.write_text(yaml.safe_dump(BASE, sort_keys=False))
    assert isinstance(load_manifest(path), Manifest)


@FUZZ
@given(text=st.text(max_size=400))
def test_any_text_loads_or_fails_located(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.yaml"
        path.write_text(text, encoding="utf-8")
        loaded_or_located(path)


@FUZZ
@given(data=st.binary(max_size=300))
def test_any_bytes_load_or_fail_located(data: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.yaml"
        path.write_bytes(data)
        loaded_or_located(path)


@needs_builtins
@FUZZ
@given(data=st.data())
def test_a_mutated_manifest_loads_or_fails_located(data: st.DataObject) -> None:
    path_ = data.draw(st.sampled_from(paths_of(BASE)), label="path")
    action = data.draw(st.sampled_from(["replace", "replace", "delete", "add"]), label="action")
    value = data.draw(values, label="value")
    doc = mutate(BASE, path_, action, value)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.yaml"
        path.write_text(yaml.safe_dump(doc, sort_keys=False, allow_unicode=True))
        loaded_or_located(path)


@FUZZ
@given(lines=st.lists(st.sampled_from(yaml.safe_dump(BASE, sort_keys=False).splitlines()), max_size=40))
def test_shuffled_lines_of_a_manifest_load_or_fail_located(lines: list[str]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "manifest.yaml"
        path.write_text("\n".join(lines) + "\n")
        loaded_or_located(path)


def test_the_checker_catches_an_unlocated_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The oracle itself can fail: an error without a line is reported."""
    import regctl.manifest as manifest_module

    def unlocated(path: Any) -> Manifest:
        raise ManifestError("bad", file=str(path))

    monkeypatch.setattr(manifest_module, "load_manifest", unlocated)
    monkeypatch.setitem(globals(), "load_manifest", unlocated)
    with pytest.raises(AssertionError, match="without a line"):
        loaded_or_located(tmp_path / "x.yaml")
