"""YAML manifest → validated :class:`Manifest`; every error names file, line and field.

The package: :mod:`.located_yaml` (YAML with line numbers, ``${ENV}`` references),
:mod:`.models` (the pydantic shape), :mod:`.restaurants_csv` (``restaurants_from``), and this
module, which puts them together behind :func:`load_manifest`.

CONTRACT (the engine consumes :class:`Manifest`; the manifest work implements :func:`load_manifest`).

Loading is pure: nothing is written anywhere. The order of checks is YAML → `${ENV}` references →
shape and types (pydantic, :mod:`regctl.manifest.models`) → the pipeline graph
(:mod:`regctl.pipeline`) and each step's ``with:`` against its type's parameters
(:mod:`regctl.steps.params`) → restaurants (inline or ``restaurants_from`` CSV) → cross-field rules.
A broken file (YAML, encoding, ``${ENV}``) stops at its first problem; past that, every problem is
collected and raised together, in line order and up to :data:`MAX_ERRORS`, as
:class:`ManifestErrors` (a :class:`~regctl.errors.ManifestError` carrying the first one's location).
"""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import re
import stat
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Annotated, Any, TypeVar, cast

import yaml
from pydantic import TypeAdapter, ValidationError

from regctl.bounds import MAX_MANIFEST_BYTES, MAX_MENU_FILE_BYTES
from regctl.errors import ManifestError, UsageError
from regctl.manifest.located_yaml import Located, expand_env, load_located
from regctl.manifest.models import ManifestModel, PipelineModel, RestaurantModel, StepModel, located_errors
from regctl.manifest.restaurants_csv import read_restaurants_csv
from regctl.pipeline import Pipeline, PipelineError, StepSpec, build_pipeline, builtin_pipeline, make_step
from regctl.suggest import did_you_mean

__all__ = ["MAX_ERRORS", "Execution", "Manifest", "ManifestErrors", "load_manifest", "restaurant_key"]

MAX_ERRORS = 20  # a manifest with a broken CSV of 10,000 rows should not print 10,000 lines
T = TypeVar("T")


class ManifestErrors(ManifestError):
    """Several problems of one manifest; ``file``/``line``/``field``/``message`` are the first one's.

    ``str()`` is one ``file:line: field: message`` line per problem.
    """

    def __init__(self, errors: list[ManifestError]) -> None:
        files = {e.file: i for i, e in reversed(list(enumerate(errors)))}  # a CSV's after the manifest's
        ordered = sorted(errors, key=lambda e: (files[e.file], e.line or 0))
        self.found = ordered  # every one, for a caller collecting more
        self.errors = ordered[:MAX_ERRORS]
        self.more = len(ordered) - len(self.errors)
        first = ordered[0]
        super().__init__(first.message, file=first.file, line=first.line, field=first.field)

    def __str__(self) -> str:
        lines = [ManifestError.__str__(e) for e in self.errors]
        more = [f"… and {self.more} more problem{'s' if self.more > 1 else ''}"] if self.more else []
        return "\n".join(lines + more)


def _raise_all(errors: list[ManifestError]) -> None:
    if errors:
        raise ManifestErrors(errors)


def _collect(problems: list[ManifestError], check: Callable[[], T]) -> T | None:
    """Run one check, adding what it raises to ``problems`` (None then) instead of stopping."""
    try:
        return check()
    except ManifestErrors as exc:
        problems.extend(exc.found)
    except ManifestError as exc:
        problems.append(exc)
    return None


@dataclass(frozen=True)
class Execution:
    mode: str = "parallel"  # parallel | sequential
    max_parallel_restaurants: int = 10
    limits: dict[str, int] = field(default_factory=dict)  # resource slots, e.g. {"browser": 3}
    rate_limits: dict[str, dict[str, float]] = field(default_factory=dict)  # name → {capacity, window}


@dataclass(frozen=True)
class Manifest:
    batch: str
    organisation: str
    target: str
    pipeline: Pipeline
    execution: Execution
    policies: dict[str, Any]
    defaults: dict[str, Any]
    notify: dict[str, Any] | None
    restaurants: list[dict[str, Any]]  # name, address, city, phone, email, website, ubereats_url,
    #                                    menu_file, opening_hours, …, and "extra" for unknown columns
    source: Path | None = None
    raw: dict[str, Any] = field(default_factory=dict)  # normalised, with ${ENV} references unexpanded


def load_manifest(path: str | Path, *, allow_paths: bool = False) -> Manifest:
    """Read and validate a manifest file; raises :class:`ManifestError` (file, line, field).

    A restaurant's ``menu_file`` must be a regular file of at most 16 MiB under the manifest's folder;
    ``allow_paths`` (``--allow-path``) lets it be anywhere else the user can read.
    """
    source = Path(path)
    located = load_located(_read(source), str(path))
    if not isinstance(located.value, dict):
        raise ManifestError("the manifest must be a mapping of keys (batch, organisation, restaurants, …)",
                            file=located.file, line=located.line_of(()), field="top level")
    expanded = expand_env(located.value, located)
    problems: list[ManifestError] = []
    model = _collect(problems, lambda: _model(expanded, located))
    pipeline = _collect(problems, lambda: _pipeline(expanded.get("pipeline", "onboarding"), located))
    if model is not None and pipeline is not None:
        _collect(problems, lambda: _check_policies(model.policies, pipeline, located))
    if model is not None:
        _collect(problems, lambda: _check_defaults(model.defaults, located))
    restaurants = _collect(problems, lambda: _restaurants(expanded, source, located))
    if restaurants is not None:
        _collect(problems, lambda: _check_menu_files(restaurants, source, located, allow_paths=allow_paths))
    _raise_all(problems)
    assert model is not None and pipeline is not None and restaurants is not None
    written = _as_written(pipeline, located.value)
    notify = dict(located.value["notify"]) if model.notify is not None else None  # ${ENV} unexpanded
    return Manifest(batch=model.batch, organisation=model.organisation, target=model.target,
                    pipeline=written, execution=_execution(model), policies=dict(model.policies),
                    defaults=dict(model.defaults), notify=notify, restaurants=restaurants,
                    source=source, raw=_normalised(located.value, pipeline))


def _as_written(pipeline: Pipeline, raw: dict[str, Any]) -> Pipeline:
    """The pipeline with each step's ``with:`` as written: a ``${SECRET}`` reference is stored as the
    reference and expanded only in the step's memory (regctl.secrets.expand_references)."""
    written = raw.get("pipeline")
    if not isinstance(written, dict):
        return pipeline
    raw_with = {s.get("key"): s.get("with") or {} for s in written.get("steps", []) if isinstance(s, dict)}
    steps = tuple(dataclasses.replace(s, params=dict(raw_with.get(s.key, s.params))) for s in pipeline.steps)
    return dataclasses.replace(pipeline, steps=steps)
def _model(expanded: dict[str, Any], located: Located) -> ManifestModel:
    try:
        return ManifestModel.model_validate(expanded)
    except ValidationError as exc:
        raise ManifestErrors(located_errors(exc, located)) from None


def _read(source: Path) -> str:
    try:
        info = source.stat()
        if not stat.S_ISREG(info.st_mode):
            raise ManifestError("not a regular file", file=str(source))
        if info.st_size > MAX_MANIFEST_BYTES:
            raise ManifestError(f"the manifest is larger than {MAX_MANIFEST_BYTES // 2**20} MiB",
                                file=str(source))
        data = source.read_bytes()
    except FileNotFoundError:
        raise ManifestError("no such file", file=str(source)) from None
    except OSError as exc:
        raise ManifestError(f"cannot read the manifest: {exc.strerror}", file=str(source)) from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise ManifestError(f"not UTF-8 text: byte {data[exc.start]:#04x} cannot be decoded",
                            file=str(source), line=line) from None


# ---------------------------------------------------------------- pipeline -----------------------

def _pipeline(value: Any, located: Located) -> Pipeline:
    if isinstance(value, str):
        try:
            return builtin_pipeline(value)
        except PipelineError as exc:
            raise located.error(exc.message, ("pipeline",)) from None
    if not isinstance(value, dict):
        raise located.error("pipeline must be a built-in pipeline's name or {steps: [...]}", ("pipeline",))
    try:
        model = PipelineModel.model_validate(value)
    except ValidationError as exc:
        raise ManifestErrors(located_errors(exc, located, ("pipeline",))) from None
    # Every step's own problems at once (an unknown type no longer hides another step's `with:`),
    # then how the steps fit together.
    errors: list[ManifestError] = []
    specs: list[StepSpec] = []
    for i, s in enumerate(model.steps):
        try:
            specs.append(_step(s, i))
        except PipelineError as exc:
            errors.append(_locate_pipeline_error(exc, located))
            continue
        errors.extend(_param_errors(s, i, located))
    _raise_all(errors)
    try:
        return build_pipeline(model.name, specs)
    except PipelineError as exc:
        raise _locate_pipeline_error(exc, located) from None


def _param_errors(step: StepModel, index: int, located: Located) -> list[ManifestError]:
    """The step's ``with:`` against its type's declared parameters (one error per problem)."""
    from regctl.steps.params import check_params
    from regctl.steps.registry import lookup

    path: tuple[str | int, ...] = ("pipeline", "steps", index, "with")
    params = _typed_env_values(step.with_, located, path)
    return [located.error(f"{step.uses}: {message}", (*path, *where))
            for where, message in check_params(lookup(step.uses).params, params)]


def _typed_env_values(params: dict[str, Any], located: Located, path: tuple[str | int, ...]
                      ) -> dict[str, Any]:
    """``seconds: ${DELAY}`` is a number once expanded: read a ``${…}`` value as YAML would."""
    written = located.value
    for part in path:
        written = written.get(part) if isinstance(written, dict) else \
            written[part] if isinstance(written, list) and isinstance(part, int) else None
    if not isinstance(written, dict):
        return params
    typed = dict(params)
    for key, raw in written.items():
        if isinstance(raw, str) and "${" in raw and isinstance(params.get(key), str):
            with contextlib.suppress(yaml.YAMLError):
                typed[key] = yaml.safe_load(params[key])
    return typed


def _step(step: Any, index: int) -> StepSpec:
    return make_step(step.key, step.uses, params=step.with_, needs=step.needs, after=step.after,
                     when=step.when, critical=step.critical, retries=step.retries, timeout=step.timeout,
                     index=index)


def _locate_pipeline_error(exc: PipelineError, located: Located) -> ManifestError:
    if exc.index is None:
        return located.error(exc.message, ("pipeline", exc.field or "steps"))
    path: tuple[str | int, ...] = ("pipeline", "steps", exc.index)
    return located.error(exc.message, (*path, exc.field) if exc.field else path)


def _check_policies(policies: dict[str, Any], pipeline: Pipeline, located: Located) -> None:
    for key, policy in policies.items():
        if key not in pipeline.keys:
            raise located.error(f"policy for unknown step {key!r}{did_you_mean(key, pipeline.keys)}; "
                                f"steps: {', '.join(pipeline.keys)}", ("policies", key))
        try:
            from regctl.review.policies import policy_name
        except ImportError:  # review not installed: the policy is checked when it is used
            return
        try:
            policy_name(policy)
        except UsageError as exc:
            raise located.error(str(exc).removeprefix("policies: "), ("policies", key)) from None


def _check_defaults(defaults: dict[str, Any], located: Located) -> None:
    """``defaults:`` overrides the registration config (SPEC §4): known sections, fields and types."""
    try:
        from regctl.registration_config import RegistrationConfig
    except ImportError:
        return
    sections = RegistrationConfig.model_fields
    for name, value in defaults.items():
        field = sections.get(name)
        if field is None:
            raise located.error(f"unknown config section {name!r}{did_you_mean(name, sections)}; "
                                f"sections: {', '.join(sections)}", ("defaults", name))
        if not isinstance(value, dict):
            raise located.error(f"{name} must be a mapping of {name} settings", ("defaults", name))
        _check_section(field.annotation, value, located, ("defaults", name))


def _check_section(model: Any, values: dict[str, Any], located: Located, path: tuple[str | int, ...]) -> None:
    fields = model.model_fields
    for key, value in values.items():
        if key not in fields:
            raise located.error(f"unknown setting {key!r}{did_you_mean(key, fields)}; "
                                f"allowed: {', '.join(fields)}", (*path, key))
        try:
            TypeAdapter(cast(Any, Annotated[fields[key].annotation, fields[key]])).validate_python(value)
        except ValidationError as exc:
            raise ManifestErrors(located_errors(exc, located, (*path, key))) from None


# ---------------------------------------------------------------- restaurants --------------------

def _restaurants(expanded: dict[str, Any], source: Path, located: Located) -> list[dict[str, Any]]:
    inline, from_csv = expanded.get("restaurants"), expanded.get("restaurants_from")
    if (inline is None) == (from_csv is None):
        raise located.error("give exactly one of 'restaurants' (a list) or 'restaurants_from' (a CSV file)",
                            ("restaurants",))
    if not isinstance(inline if from_csv is None else from_csv, list if from_csv is None else str):
        return []  # the wrong type is the top-level model's error
    rows = _csv_rows(source.parent / from_csv, located) if from_csv is not None \
        else Located(located.file, inline, located.lines)
    if not rows.value:
        raise rows.error("at least one restaurant is needed", ("restaurants",))
    problems: list[ManifestError] = []
    restaurants = [_collect(problems, functools.partial(_restaurant, item, i, rows))
                   for i, item in enumerate(rows.value)]
    _raise_all(problems)
    _check_duplicates([r for r in restaurants if r is not None], rows)
    return [r for r in restaurants if r is not None]


def _csv_rows(csv_path: Path, located: Located) -> Located:
    if not csv_path.is_file():
        raise located.error(f"no such CSV file: {csv_path}", ("restaurants_from",))
    return read_restaurants_csv(csv_path)


def _restaurant(item: Any, index: int, rows: Located) -> dict[str, Any]:
    try:
        model = RestaurantModel.model_validate(item)
    except ValidationError as exc:
        raise ManifestErrors(located_errors(exc, rows, ("restaurants", index))) from None
    data = model.model_dump(exclude_none=True)
    data["extra"] = dict(model.extra)
    return data


_NOT_WORD = re.compile(r"[^a-z0-9]+")


def restaurant_key(restaurant: dict[str, Any]) -> str:
    """Identity of a restaurant for duplicate detection: normalised name + address."""
    name = _NOT_WORD.sub(" ", str(restaurant.get("name", "")).lower()).strip()
    address = _NOT_WORD.sub(" ", str(restaurant.get("address") or "").lower()).strip()
    return f"{name}|{address}"


def _check_duplicates(restaurants: list[dict[str, Any]], rows: Located) -> None:
    seen: dict[str, int] = {}
    for i, restaurant in enumerate(restaurants):
        key = restaurant_key(restaurant)
        if key in seen:
            first = rows.line_of(("restaurants", seen[key]))
            raise rows.error(f"duplicate restaurant {restaurant['name']!r} (same name and address as "
                             f"restaurants[{seen[key]}] at line {first})", ("restaurants", i, "name"))
        seen[key] = i


def _check_menu_files(restaurants: list[dict[str, Any]], source: Path, located: Located, *,
                      allow_paths: bool) -> None:
    folder = source.resolve().parent
    for i, restaurant in enumerate(restaurants):
        name = restaurant.get("menu_file")
        if name:
            problem = _menu_file_problem(folder, str(name), allow_paths)
            if problem:
                raise located.error(f"menu_file {name!r}: {problem}", ("restaurants", i, "menu_file"))


def _menu_file_problem(folder: Path, name: str, allow_paths: bool) -> str | None:
    path = (folder / Path(name).expanduser()).resolve()  # as the step resolves it, symlinks followed
    if not allow_paths and not path.is_relative_to(folder):
        return "is outside the manifest's folder (run with --allow-path to allow it)"
    try:
        info = path.stat()
    except OSError as exc:
        return f"cannot be read ({exc.strerror})"
    if not stat.S_ISREG(info.st_mode):
        return "is not a regular file"
    if info.st_size > MAX_MENU_FILE_BYTES:
        return f"is larger than {MAX_MENU_FILE_BYTES // 2**20} MiB"
    return None


# ---------------------------------------------------------------- the rest -----------------------

def _execution(model: ManifestModel) -> Execution:
    ex = model.execution
    return Execution(mode=ex.mode, max_parallel_restaurants=ex.max_parallel_restaurants,
                     limits=dict(ex.limits),
                     rate_limits={n: {"capacity": float(r.capacity), "window": r.window}
                                  for n, r in ex.rate_limits.items()})


def _normalised(raw: dict[str, Any], pipeline: Pipeline) -> dict[str, Any]:
    """The document as written (``${ENV}`` unexpanded, so no secret is stored) with the pipeline resolved.

    Step parameters are the written ones too: a ``with:`` value may be a ``${SECRET}`` reference.
    """
    written = raw.get("pipeline")
    raw_with = {s.get("key"): s.get("with") or {} for s in written.get("steps", [])} \
        if isinstance(written, dict) else {}
    steps = [{**spec, "params": raw_with.get(spec["key"], spec["params"])} for spec in pipeline.to_json()]
    normal = dict(raw)
    normal["pipeline"] = {"name": pipeline.name, "steps": steps}
    return normal
