"""The step graph of a job: step specs with needs/after/when/critical, and the built-in pipelines.

CONTRACT (owned by the manifest/CLI work; the engine consumes it): a pipeline is an ordered list of
:class:`StepSpec`, validated (unique keys, known relations, no cycles) and topologically sorted.
:func:`build_pipeline` does the validation and raises :class:`PipelineError` carrying the index of
the offending step and the field, so the manifest loader can point at the line.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from regctl import conditions
from regctl.errors import UsageError
from regctl.steps.registry import UnknownStepType, lookup

__all__ = [
    "BUILTIN_PIPELINES",
    "DEFAULT_ATTEMPTS",
    "ONBOARDING",
    "Pipeline",
    "PipelineError",
    "StepSpec",
    "build_pipeline",
    "builtin_pipeline",
    "make_step",
    "onboarding",
]

DEFAULT_ATTEMPTS = 3  # SPEC §2: "retries (default 3 attempts)"


@dataclass(frozen=True)
class StepSpec:
    key: str  # unique within the pipeline
    uses: str  # step type name (registry lookup)
    kind: str  # "automatic" | "action_required" (from the step type)
    params: dict[str, Any] = field(default_factory=dict)  # `with:`
    needs: tuple[str, ...] = ()  # runs only after these succeeded (completed or skipped-by-condition)
    after: tuple[str, ...] = ()  # ordering only: runs whatever their outcome
    when: str | None = None  # condition expression over the job's data/config; false → skipped
    critical: bool = True
    retries: int = 3  # attempts in all
    timeout: float | None = None  # seconds
    resources: dict[str, int] = field(default_factory=dict)  # e.g. {"browser": 1}

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "uses": self.uses, "kind": self.kind, "params": self.params,
                "needs": list(self.needs), "after": list(self.after), "when": self.when,
                "critical": self.critical, "retries": self.retries, "timeout": self.timeout,
                "resources": self.resources}

    @classmethod
    def from_json(cls, d: dict[str, Any]) -> StepSpec:
        return cls(key=d["key"], uses=d["uses"], kind=d["kind"], params=dict(d.get("params") or {}),
                   needs=tuple(d.get("needs") or ()), after=tuple(d.get("after") or ()),
                   when=d.get("when"), critical=bool(d.get("critical", True)),
                   retries=int(d.get("retries", 3)), timeout=d.get("timeout"),
                   resources=dict(d.get("resources") or {}))

    @property
    def depends_on(self) -> tuple[str, ...]:
        """Every step this one waits for (needs first, then after), without repeats."""
        return tuple(dict.fromkeys((*self.needs, *self.after)))


@dataclass(frozen=True)
class Pipeline:
    name: str  # "onboarding", or "custom"
    steps: tuple[StepSpec, ...]  # topologically sorted

    def to_json(self) -> list[dict[str, Any]]:
        return [s.to_json() for s in self.steps]

    @property
    def keys(self) -> list[str]:
        return [s.key for s in self.steps]

    def step(self, key: str) -> StepSpec:
        for spec in self.steps:
            if spec.key == key:
                return spec
        raise KeyError(key)


class PipelineError(UsageError):
    """A pipeline graph is invalid. ``index`` is the offending step's position as declared."""

    def __init__(self, message: str, *, index: int | None = None, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.index = index
        self.field = field


# ---------------------------------------------------------------- building -----------------------

def make_step(key: str, uses: str, *, params: Mapping[str, Any] | None = None,
              needs: Iterable[str] = (), after: Iterable[str] = (), when: str | None = None,
              critical: bool | None = None, retries: int | None = None, timeout: float | None = None,
              index: int | None = None) -> StepSpec:
    """A step spec whose kind, resources and default retries/timeout come from its step type.

    Raises :class:`PipelineError` (field ``uses`` or ``when``) for an unknown type or a bad condition.
    """
    try:
        st = lookup(uses)
    except UnknownStepType as exc:
        raise PipelineError(str(exc), index=index, field="uses") from None
    if when is not None:
        _check_condition(when, index)
    return StepSpec(key=key, uses=uses, kind=str(st.kind), params=dict(params or {}),
                    needs=tuple(needs), after=tuple(after), when=when,
                    critical=True if critical is None else critical,
                    retries=retries or st.retries or DEFAULT_ATTEMPTS,
                    timeout=timeout if timeout is not None else st.timeout,
                    resources=dict(st.resources))


def _check_condition(when: str, index: int | None) -> None:
    try:
        conditions.compile(when)
    except conditions.ConditionError as exc:
        raise PipelineError(str(exc), index=index, field="when") from None


def build_pipeline(name: str, steps: Sequence[StepSpec]) -> Pipeline:
    """Validate the graph (unique keys, known relations, no cycles) and sort it topologically.

    The sort is stable: among steps that are ready together, the declared order wins.
    """
    if not steps:
        raise PipelineError("a pipeline needs at least one step", field="steps")
    _check_unique(steps)
    _check_relations(steps)
    return Pipeline(name=name, steps=tuple(_topological(steps)))


def _check_unique(steps: Sequence[StepSpec]) -> None:
    seen: dict[str, int] = {}
    for i, spec in enumerate(steps):
        if spec.key in seen:
            raise PipelineError(f"duplicate step key {spec.key!r} (also step {seen[spec.key] + 1})",
                                index=i, field="key")
        seen[spec.key] = i


def _check_relations(steps: Sequence[StepSpec]) -> None:
    keys = {s.key for s in steps}
    for i, spec in enumerate(steps):
        for relation in ("needs", "after"):
            for target in getattr(spec, relation):
                if target == spec.key:
                    raise PipelineError(f"step {spec.key!r} cannot depend on itself", index=i,
                                        field=relation)
                if target not in keys:
                    raise PipelineError(f"step {spec.key!r} {relation} unknown step {target!r}; "
                                        f"known: {', '.join(sorted(keys))}", index=i, field=relation)


def _topological(steps: Sequence[StepSpec]) -> list[StepSpec]:
    order = {s.key: i for i, s in enumerate(steps)}
    waiting = {s.key: len(s.depends_on) for s in steps}
    dependents: dict[str, list[str]] = {s.key: [] for s in steps}
    for spec in steps:
        for dep in spec.depends_on:
            dependents[dep].append(spec.key)
    ready = [order[k] for k, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    result: list[StepSpec] = []
    while ready:
        spec = steps[heapq.heappop(ready)]
        result.append(spec)
        for child in dependents[spec.key]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, order[child])
    if len(result) < len(steps):
        _raise_cycle(steps, {s.key for s in result})
    return result


def _raise_cycle(steps: Sequence[StepSpec], done: set[str]) -> None:
    """Name one cycle among the steps that could not be sorted: ``a → b → a``."""
    by_key = {s.key: s for s in steps}
    start = next(s for s in steps if s.key not in done)
    path: list[str] = [start.key]
    while True:
        nxt = next(d for d in by_key[path[-1]].depends_on if d not in done)
        if nxt in path:
            cycle = [*path[path.index(nxt):], nxt]
            index = next(i for i, s in enumerate(steps) if s.key == nxt)
            field = "needs" if cycle[1] in by_key[nxt].needs else "after"
            raise PipelineError(f"cycle: {' → '.join(cycle)}", index=index, field=field)
        path.append(nxt)


# ---------------------------------------------------------------- the onboarding pipeline --------

@dataclass(frozen=True)
class _Row:
    key: str
    kind: str
    needs: tuple[str, ...] = ()
    after: tuple[str, ...] = ()
    when: str | None = None
    critical: bool = False
    timeout: float | None = None


_A, _H = "automatic", "action_required"
_MENU_SOURCE = "restaurant.ubereats_url or restaurant.menu_file"
_LOOKUP_ON = "restaurant.extra.contact_lookup not in [false, 'false', 'no', '0']"

# SPEC §3, row for row. The `when:` column reads the job's data: the restaurant record, the
# registration config (SPEC §4 sections, snake_case) and earlier steps' results.
ONBOARDING: tuple[_Row, ...] = (
    _Row("extract_menu", _A, when=_MENU_SOURCE, timeout=30 * 60),
    _Row("extract_branding", _A, when="restaurant.website", timeout=120),
    _Row("search_companies", _A, when=_LOOKUP_ON, timeout=150),
    _Row("select_company", _H, needs=("search_companies",)),
    _Row("extract_company_details", _A, needs=("select_company",),
         when="results.select_company.choice == 'company'", timeout=150),
    _Row("configure_registration", _H, after=("extract_menu", "extract_branding", "extract_company_details"),
         critical=True),
    _Row("create_account", _A, needs=("configure_registration",), when="config.account.register_new_user",
         critical=True, timeout=60),
    _Row("generate_code", _A, needs=("configure_registration",), timeout=120),
    _Row("create_onboarding_user", _A, needs=("configure_registration",),
         when="config.onboarding.create_user", timeout=120),
    _Row("upload_images", _A, needs=("configure_registration",),
         when="config.menu.upload_images and results.extract_menu.images != 0", timeout=10 * 60),
    _Row("register_restaurant", _A, needs=("create_account",), critical=True, timeout=180),
    _Row("configure_website", _A, needs=("register_restaurant", "generate_code"), timeout=240),
    _Row("configure_services", _A, needs=("register_restaurant",), timeout=180),
    _Row("configure_payment", _A, needs=("register_restaurant",), timeout=180),
    _Row("import_menu", _A, needs=("register_restaurant",), after=("upload_images",),
         when="config.menu.import_menu != false and config.menu.menu_id", critical=True, timeout=120),
    _Row("sync_onboarding", _A, needs=("create_onboarding_user", "register_restaurant"),
         after=("configure_website", "configure_payment"), when="config.onboarding.sync", timeout=120),
    _Row("add_option_sets", _A, needs=("import_menu",),
         when="config.menu.add_option_sets and results.extract_menu.option_sets != 0", timeout=60 * 60),
    _Row("add_item_tags", _A, needs=("import_menu",), after=("add_option_sets",),
         when="config.menu.add_item_tags and results.extract_menu.tags != 0", timeout=60 * 60),
)


def _registered(row: _Row) -> dict[str, int]:
    """The resource claims of a row's step type, which must be registered with the row's kind."""
    try:
        st = lookup(row.key)
    except UnknownStepType as exc:
        raise PipelineError(f"the onboarding pipeline cannot run here: {exc}", field="pipeline") from None
    if str(st.kind) != row.kind:
        raise PipelineError(f"step type {row.key!r} is {st.kind}, but the onboarding pipeline needs "
                            f"{row.kind}", field="pipeline")
    return dict(st.resources)


def onboarding() -> Pipeline:
    """The built-in `onboarding` pipeline (SPEC §3): each step's type is named by its key."""
    specs = [StepSpec(key=r.key, uses=r.key, kind=r.kind, needs=r.needs, after=r.after, when=r.when,
                      critical=r.critical, retries=DEFAULT_ATTEMPTS, timeout=r.timeout,
                      resources=_registered(r)) for r in ONBOARDING]
    return build_pipeline("onboarding", specs)


BUILTIN_PIPELINES = {"onboarding": onboarding}


def builtin_pipeline(name: str) -> Pipeline:
    """A built-in pipeline by name; :class:`PipelineError` (field ``pipeline``) when unknown."""
    factory = BUILTIN_PIPELINES.get(name)
    if factory is None:
        known = ", ".join(sorted(BUILTIN_PIPELINES))
        raise PipelineError(f"unknown pipeline {name!r}; built-in pipelines: {known} "
                            "(or give {steps: [...]})", field="pipeline")
    return factory()
