"""Valid manifests load into the Manifest contract: restaurants, CSV, ${ENV}, durations, pipelines."""

from __future__ import annotations

from pathlib import Path

import pytest

from regctl.errors import ManifestError
from regctl.manifest import load_manifest
from regctl.manifest.models import parse_duration
from regctl.pipeline import ONBOARDING, PipelineError, StepSpec, build_pipeline, onboarding
from regctl.steps.registry import UnknownStepType, lookup

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = sorted([ROOT / "manifests" / "demo.yaml", *(ROOT / "manifests" / "examples").glob("*.yaml")])


def registered(*names: str) -> bool:
    try:
        for name in names:
            lookup(name)
    except UnknownStepType:
        return False
    return True


def write(tmp_path: Path, text: str, name: str = "m.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text)
    return path


HEAD = "batch: b1\norganisation: acme\n"


@pytest.mark.parametrize("path", EXAMPLES, ids=[p.stem for p in EXAMPLES])
def test_every_shipped_manifest_loads(path: Path) -> None:
    uses = [line.split("uses:")[1].split(",")[0].strip(" }") for line in path.read_text().splitlines()
            if "uses:" in line]
    if not registered(*uses):
        pytest.skip(f"step types {uses} are not all registered yet")
    manifest = load_manifest(path)
    assert manifest.restaurants and manifest.pipeline.steps
    assert manifest.source == path


def test_inline_restaurants_keep_fields_and_extra(tmp_path: Path) -> None:
    m = load_manifest(write(tmp_path, HEAD + """restaurants:
  - name: "  Bao Down "
    phone: 095550101
    cuisines: [bao]
    opening_hours: [{day: Monday, open: "10:00", close: "24:00"}]
    extra: {tier: gold}
"""))
    assert m.restaurants == [{"name": "Bao Down", "phone": "095550101", "cuisines": ["bao"],
                              "opening_hours": [{"day": "Monday", "open": "10:00", "close": "24:00"}],
                              "extra": {"tier": "gold"}}]
    assert (m.target, m.pipeline.name, m.execution.mode) == ("sandbox", "onboarding", "parallel")


def test_csv_restaurants_relative_to_the_manifest(tmp_path: Path) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "leads.csv").write_text(
        "name,city,rating,cuisines,opening_hours\n"
        'Bao Down,Auckland,4.6,"bao; dumplings",'
        '"[{""day"": ""Friday"", ""open"": ""11:00"", ""close"": ""23:00""}]"\n'
        "\n"
        "Pie Cart,,3.1,,\n")
    sub = tmp_path / "manifests"
    sub.mkdir()
    m = load_manifest(write(sub, HEAD + "restaurants_from: ../data/leads.csv\n"))
    assert m.restaurants[0] == {"name": "Bao Down", "city": "Auckland", "cuisines": ["bao", "dumplings"],
                                "opening_hours": [{"day": "Friday", "open": "11:00", "close": "23:00"}],
                                "extra": {"rating": "4.6"}}
    assert m.restaurants[1] == {"name": "Pie Cart", "extra": {"rating": "3.1"}}


def test_env_references_expand_but_raw_keeps_them(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("H2_TEST_EMAIL", "secret@example.nz")
    m = load_manifest(write(tmp_path, HEAD + """defaults: {account: {email: "${H2_TEST_EMAIL}"}}
restaurants:
  - {name: One, email: "${H2_TEST_EMAIL}", city: "${H2_TEST_CITY:-Napier}"}
"""))
    assert m.restaurants[0]["email"] == "secret@example.nz"
    assert m.restaurants[0]["city"] == "Napier"
    assert m.defaults == {"account": {"email": "secret@example.nz"}}
    assert "secret@example.nz" not in repr(m.raw)
    assert m.raw["defaults"] == {"account": {"email": "${H2_TEST_EMAIL}"}}


@pytest.mark.parametrize(("text", "seconds"), [
    (30, 30.0), (2.5, 2.5), ("30s", 30.0), ("2m", 120.0), ("150s", 150.0), ("150 s", 150.0),
    ("30 min", 1800.0), ("1h", 3600.0), ("500ms", 0.5), ("10", 10.0)])
def test_durations(text: object, seconds: float) -> None:
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "s", "2 weeks", "-5s", "0", True, "1h30"])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)


def test_execution_and_rate_limits(tmp_path: Path) -> None:
    m = load_manifest(write(tmp_path, HEAD + """execution:
  mode: sequential
  max_parallel_restaurants: 3
  limits: {browser: 2}
  rate_limits: {extraction_api: {capacity: 10, window: 1m}}
restaurants: [{name: One}]
"""))
    assert m.execution.mode == "sequential" and m.execution.max_parallel_restaurants == 3
    assert m.execution.limits == {"browser": 2}
    assert m.execution.rate_limits == {"extraction_api": {"capacity": 10.0, "window": 60.0}}


def test_a_missing_manifest_is_a_manifest_error(tmp_path: Path) -> None:
    with pytest.raises(ManifestError, match="no such file"):
        load_manifest(tmp_path / "nope.yaml")


# ---------------------------------------------------------------- pipeline graph -----------------

def spec(key: str, needs: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> StepSpec:
    return StepSpec(key=key, uses="x", kind="automatic", needs=needs, after=after)


def test_topological_sort_is_stable() -> None:
    p = build_pipeline("t", [spec("c", needs=("a",)), spec("a"), spec("b"), spec("d", after=("c", "b"))])
    assert p.keys == ["a", "c", "b", "d"]  # c was declared before b, and is ready once a is done


def test_cycle_is_named() -> None:
    with pytest.raises(PipelineError, match="cycle: a → b → a") as info:
        build_pipeline("t", [spec("a", needs=("b",)), spec("b", after=("a",)), spec("c")])
    assert info.value.index == 0 and info.value.field == "needs"


def test_onboarding_pipeline_has_the_spec_table_shape() -> None:
    p = onboarding()
    assert p.name == "onboarding"
    assert len(p.steps) == len(ONBOARDING) == 18
    assert all(s.uses == s.key for s in p.steps)
    step = p.step
    assert step("select_company").kind == step("configure_registration").kind == "action_required"
    assert step("configure_registration").after == ("extract_menu", "extract_branding",
                                                     "extract_company_details")
    assert step("import_menu").needs == ("register_restaurant",)
    assert step("import_menu").after == ("upload_images",)
    assert step("sync_onboarding").needs == ("create_onboarding_user", "register_restaurant")
    assert step("sync_onboarding").after == ("configure_website", "configure_payment")
    assert step("add_item_tags").after == ("add_option_sets",)
    critical = {s.key for s in p.steps if s.critical}
    assert {"create_account", "register_restaurant", "import_menu"} <= critical
    assert "extract_menu" not in critical and "configure_website" not in critical
    assert step("extract_menu").timeout == 1800 and step("search_companies").timeout == 150
    assert p.keys.index("register_restaurant") > p.keys.index("create_account")


def test_every_onboarding_step_type_is_registered_with_its_kind() -> None:
    for row in ONBOARDING:
        st = lookup(row.key)
        assert str(st.kind) == row.kind, row.key
    assert onboarding().step("register_restaurant").resources == dict(lookup("register_restaurant").resources)


def test_an_alias_bomb_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import regctl.manifest.located_yaml

    monkeypatch.setattr(regctl.manifest.located_yaml, "MAX_VALUES", 1000)
    lines = ["a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for prev, name in zip("abcd", "bcde", strict=True):
        lines.append(f"{name}: &{name} [" + ", ".join([f"*{prev}"] * 9) + "]")
    with pytest.raises(ManifestError, match="expands to more than 1,000 values"):
        load_manifest(write(tmp_path, "\n".join(lines) + "\n"))


def test_raw_keeps_env_references_in_step_parameters(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("H2_TEST_TOKEN", "tok-very-secret")
    m = load_manifest(write(tmp_path, HEAD + """pipeline:
  steps:
    - {key: a, uses: builtin.wait, with: {prompt: "${H2_TEST_TOKEN}", defaults: {n: 1}}}
restaurants: [{name: One}]
"""))
    from regctl.secrets import expand_references

    # stored as written (issue 14: batch pipeline, step params); expanded only in the step's memory
    assert m.pipeline.steps[0].params == {"prompt": "${H2_TEST_TOKEN}", "defaults": {"n": 1}}
    expanded = expand_references(m.pipeline.steps[0].params)
    assert expanded == {"prompt": "tok-very-secret", "defaults": {"n": 1}}
    assert m.raw["pipeline"]["steps"][0]["params"] == {"prompt": "${H2_TEST_TOKEN}", "defaults": {"n": 1}}
    assert "tok-very-secret" not in repr(m.raw) + repr(m.pipeline) + repr(m.notify)
