"""Step parameters are part of the manifest contract (issue 15, item 3), and a manifest's problems
are reported all at once with "did you mean" (item 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from cli_support import manifest, regctl

from regctl.errors import ManifestError
from regctl.manifest import MAX_ERRORS, ManifestErrors, load_manifest
from regctl.steps.params import ONBOARDING_PARAMS
from regctl.steps.registry import known, lookup


def test_sleep_with_seconds_abc_is_refused_at_load_with_one_located_line(tmp_path: Path) -> None:
    path = manifest(tmp_path, "    - {key: nap, uses: builtin.sleep, with: {seconds: abc}}")
    with pytest.raises(ManifestError) as info:
        load_manifest(path)
    assert (info.value.line, info.value.field) == (6, "pipeline.steps[0].with.seconds")
    result = regctl("validate", str(path))
    assert result.code == 2 and result.out == ""
    assert result.err == (f"regctl: {path}:6: pipeline.steps[0].with.seconds: "
                          "builtin.sleep: 'abc' is not a number\n")


def test_a_mistyped_parameter_is_refused_with_a_suggestion(tmp_path: Path) -> None:
    path = manifest(tmp_path, "    - {key: flaky, uses: builtin.fail, with: {tims: 2}}")
    result = regctl("validate", str(path))
    assert result.code == 2
    assert "pipeline.steps[0].with.tims: builtin.fail: unknown parameter 'tims' (did you mean 'times'?)" \
        in result.err


def test_an_env_reference_is_typed_once_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("REGCTL_TEST_NAP", "0.5")
    path = manifest(tmp_path, '    - {key: nap, uses: builtin.sleep, with: {seconds: "${REGCTL_TEST_NAP}"}}')
    from regctl.secrets import expand_references

    params = load_manifest(path).pipeline.steps[0].params
    assert params == {"seconds": "${REGCTL_TEST_NAP}"}  # stored as written (issue 14)
    assert expand_references(params) == {"seconds": "0.5"}  # checked, and run, as expanded


def test_every_problem_is_reported_at_once_in_line_order(tmp_path: Path) -> None:
    path = tmp_path / "many.yaml"
    path.write_text("batch: many\norganisation: o\npipeline:\n  steps:\n"
                    "    - {key: a, uses: builtin.sleep, with: {seconds: abc}}\n"
                    "restaurants:\n  - {name: One, adress: 1 Road}\n  - {name: Two, email: nope}\n")
    result = regctl("validate", str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert [ln.split()[1] for ln in lines] == [f"{path}:5:", f"{path}:7:", f"{path}:8:"]
    assert "unknown key 'adress' (did you mean 'address'?)" in lines[1]
    data = json.loads(regctl("validate", "--json", str(path)).out)
    assert [e["line"] for e in data["errors"]] == [5, 7, 8] and data["error"]["line"] == 5


def test_an_unknown_step_type_gets_a_suggestion_and_hides_no_other_step(tmp_path: Path) -> None:
    """`uses: builtin.sleeep` stopped validation at that step: no suggestion, and the other step's
    `seconds: abc` came only after the operator fixed the first line."""
    path = manifest(tmp_path, "    - {key: nap, uses: builtin.sleep, with: {seconds: abc}}\n"
                              "    - {key: nap2, uses: builtin.sleeep}")
    result = regctl("validate", str(path))
    assert result.code == 2
    lines = result.err.splitlines()
    assert [ln.split()[1] for ln in lines] == [f"{path}:6:", f"{path}:7:"], result.err
    assert "'abc' is not a number" in lines[0]
    assert lines[1].endswith("pipeline.steps[1].uses: unknown step type 'builtin.sleeep' "
                             "(did you mean 'builtin.sleep'?); `regctl steps` lists them")


def test_the_errors_are_capped(tmp_path: Path) -> None:
    rows = "".join(f"  - {{name: R{i}, email: bad{i}}}\n" for i in range(MAX_ERRORS + 7))
    path = tmp_path / "capped.yaml"
    path.write_text("batch: capped\norganisation: o\npipeline:\n  steps:\n"
                    f"    - {{key: a, uses: builtin.noop}}\nrestaurants:\n{rows}")
    with pytest.raises(ManifestErrors) as info:
        load_manifest(path)
    assert len(info.value.errors) == MAX_ERRORS and info.value.more == 7
    assert str(info.value).splitlines()[-1] == "… and 7 more problems"


def test_every_builtin_step_type_declares_its_parameters() -> None:
    for name in (n for n in known() if ":" not in n):  # module:function types (tests') declare nothing
        schema = lookup(name).params
        assert schema is not None, name
        assert schema.get("additionalProperties") is False, name
        for prop, spec in schema["properties"].items():
            assert spec.get("type") and spec.get("description"), (name, prop)
    assert set(ONBOARDING_PARAMS) <= set(known())


def test_regctl_steps_lists_types_with_parameters_and_defaults() -> None:
    listed = regctl("steps")
    assert listed.code == 0
    assert "builtin.sleep  (automatic)" in listed.out and "    seconds: number = 0.1" in listed.out
    assert [t["name"] for t in json.loads(regctl("steps", "--json").out)] == known()
    (one,) = json.loads(regctl("steps", "builtin.fail", "--json").out)
    assert {p["name"]: p["default"] for p in one["parameters"]} == {"times": 1, "retryable": True}


def test_regctl_steps_of_an_unknown_type_suggests_one() -> None:
    result = regctl("steps", "builtin.slep")
    assert result.code == 2
    assert "did you mean 'builtin.sleep'?" in result.err
