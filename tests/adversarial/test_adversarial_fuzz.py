"""A hypothesis fuzzer over manifests, restaurant CSVs and decision answers: every input ends in
success or in exit 2 with ONE line — never a traceback, never another exit code — and a refusal
leaves the database exactly as it was (issue 14 item 6)."""

from __future__ import annotations

import itertools
import json
from pathlib import Path
from typing import Any

import pytest
import yaml
from adversarial_support import snapshot
from cli_support import CliResult, regctl
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from regctl.manifest import MAX_ERRORS

FUZZ = settings(max_examples=60, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
_names = itertools.count()

scalars = (st.none() | st.booleans() | st.integers(min_value=-(10**40), max_value=10**40)
           | st.floats(allow_nan=True, allow_infinity=True)
           | st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=40)
           | st.sampled_from(["\x00", "\x1b[2J", "\u202e", "${NOPE_UNSET_VAR}", "${HOME}", "1e23", "9" * 5000,
                              "x" * 70_000, "../../etc/passwd", "/dev/zero", "https://169.254.169.254/",
                              "ftp://x.example/", "24:00", "Monday", "-1", "0", "1.5s", "nan"]))
values = st.recursive(scalars, lambda inner: st.lists(inner, max_size=3)
                      | st.dictionaries(st.text(max_size=8), inner, max_size=3), max_leaves=12)

FIELDS = [("batch",), ("organisation",), ("target",), ("execution", "max_parallel_restaurants"),
          ("execution", "limits"), ("execution", "rate_limits"), ("execution", "mode"),
          ("pipeline", "steps", 0, "retries"), ("pipeline", "steps", 0, "timeout"),
          ("pipeline", "steps", 0, "with"), ("pipeline", "steps", 0, "needs"),
          ("pipeline", "steps", 0, "when"),
          ("restaurants", 0, "name"), ("restaurants", 0, "address"), ("restaurants", 0, "opening_hours"),
          ("restaurants", 0, "menu_file"), ("restaurants", 0, "extra"), ("restaurants", 0, "cuisines"),
          ("restaurants", 0, "email"), ("restaurants", 0, "phone"), ("notify",), ("notify", "webhook"),
          ("defaults",), ("policies",)]


def _base() -> dict[str, Any]:
    return {"batch": f"fuzz-{next(_names)}", "organisation": "fuzz-org", "target": "sandbox",
            "pipeline": {"steps": [{"key": "a", "uses": "builtin.noop"}]},
            "execution": {"max_parallel_restaurants": 2},
            "restaurants": [{"name": "Fuzz Cafe", "address": "1 Fuzz Road", "city": "Auckland"}]}


def _put(doc: dict[str, Any], path: tuple[str | int, ...], value: Any) -> None:
    target: Any = doc
    for part in path[:-1]:
        if isinstance(part, str) and not isinstance(target.get(part), dict | list):
            target[part] = {}
        target = target[part]
    target[path[-1]] = value


def assert_success_or_one_line_per_problem(result: CliResult, url: str, before: Any) -> None:
    assert "Traceback" not in result.output, result.output
    assert result.code in (0, 1, 2, 3), f"exit {result.code}: {result.output}"
    if result.code == 2:
        # one line per problem: every problem at once (issue 15), capped, each "regctl: file:line: …"
        lines = result.err.strip().splitlines()
        assert 1 <= len(lines) <= MAX_ERRORS + 1, result.err
        assert all(ln.startswith("regctl: ") for ln in lines), result.err
        assert snapshot(url) == before


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> str:
    folder = tmp_path_factory.mktemp("fuzzdb")
    url = f"sqlite:///{folder / 'fuzz.db'}"
    assert regctl("db", "upgrade", db=url).code == 0
    return url


@FUZZ
@given(changes=st.lists(st.tuples(st.sampled_from(FIELDS), values), min_size=1, max_size=3))
def test_any_manifest_runs_or_is_refused_in_one_line(changes: list[tuple[tuple[str | int, ...], Any]],
                                                     db: str, tmp_path: Path) -> None:
    doc = _base()
    for path, value in changes:
        _put(doc, path, value)
    try:
        text = yaml.safe_dump(doc, allow_unicode=False, width=10**6)
    except yaml.YAMLError:
        return  # not representable as YAML (PyYAML refuses to write it)
    manifest = tmp_path / f"{doc['batch'] if isinstance(doc['batch'], str) else 'x'}.yaml"
    manifest = tmp_path / "fuzz.yaml" if "/" in manifest.name or "\x00" in manifest.name else manifest
    manifest.write_text(text, encoding="utf-8")
    before = snapshot(db)
    assert_success_or_one_line_per_problem(regctl("run", "--no-progress", str(manifest), db=db), db, before)


cells = (st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=30)
         | st.sampled_from(["\x00", "\x1b[31m", '"', '""', "\r", "\n", ",", "x" * 70_000, "[" * 3000,
                            '[{"day": "Monday", "open": "10:00", "close": "22:00"}]', "[NaN]", "9" * 5000]))


@FUZZ
@given(header=st.lists(st.sampled_from(["name", "address", "city", "opening_hours", "cuisines", "email",
                                        "menu_file", "website", "odd column", ""]), min_size=1, max_size=6),
       rows=st.lists(st.lists(cells, min_size=0, max_size=7), min_size=0, max_size=4))
def test_any_restaurant_csv_runs_or_is_refused_in_one_line(header: list[str], rows: list[list[str]],
                                                           db: str, tmp_path: Path) -> None:
    import csv
    import io

    buffer = io.StringIO()
    csv.writer(buffer).writerows([header, *rows])
    (tmp_path / "restaurants.csv").write_text(buffer.getvalue(), encoding="utf-8")
    manifest = tmp_path / "csv.yaml"
    manifest.write_text(f"batch: fuzz-csv-{next(_names)}\norganisation: fuzz-org\n"
                        "pipeline: {steps: [{key: a, uses: builtin.noop}]}\n"
                        "restaurants_from: restaurants.csv\n")
    before = snapshot(db)
    assert_success_or_one_line_per_problem(regctl("run", "--no-progress", str(manifest), db=db), db, before)


@pytest.fixture(scope="module")
def waiting_job(db: str, tmp_path_factory: pytest.TempPathFactory) -> int:
    folder = tmp_path_factory.mktemp("wait")
    manifest = folder / "wait.yaml"
    manifest.write_text("batch: fuzz-answers\norganisation: fuzz-org\npipeline:\n  steps:\n"
                        "    - {key: approve, uses: builtin.wait, with: {schema: {type: object}}}\n"
                        "restaurants:\n" + "".join(f"  - {{name: Waiting {i}}}\n" for i in range(1)))
    assert regctl("run", "--no-progress", str(manifest), db=db).code == 3
    status = json.loads(regctl("status", "fuzz-answers", "--json", db=db).out)
    return int(status["jobs"][0]["id"])


@FUZZ
@given(answer=values, raw=st.booleans(), junk=st.binary(max_size=40))
def test_any_decision_answer_is_taken_or_refused_in_one_line(answer: Any, raw: bool, junk: bytes, db: str,
                                                             waiting_job: int, tmp_path: Path) -> None:
    path = tmp_path / "answer.json"
    body = json.dumps(answer, allow_nan=True).encode() if not raw else junk
    path.write_bytes(body)
    before = snapshot(db)
    result = regctl("decide", str(waiting_job), "approve", "--json", str(path), db=db)
    assert_success_or_one_line_per_problem(result, db, before)
