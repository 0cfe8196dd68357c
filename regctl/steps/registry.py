"""Where step types are found: built-ins, ``module:function`` paths, and entry points.

Built-in step types register themselves with :func:`step_type` / :func:`action_step_type` when
their module is imported; :data:`BUILTIN_MODULES` lists those modules so a lookup imports them
lazily (the sandbox- and browser-heavy ones cost nothing until used).
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Mapping
from importlib.metadata import entry_points
from typing import Any

from regctl.errors import UsageError
from regctl.steps.base import ApplyFn, RequestFn, RunFn, StepKind, StepType
from regctl.steps.params import NO_PARAMS, ONBOARDING_PARAMS

__all__ = ["BUILTIN_MODULES", "UnknownStepType", "action_step_type", "lookup", "register", "step_type"]

ENTRY_POINT_GROUP = "regctl.steps"

# Modules whose import registers built-in step types. Order does not matter; names must not clash.
BUILTIN_MODULES: tuple[str, ...] = (
    "regctl.steps.builtin",
    "regctl.steps.onboarding",
)

_registry: dict[str, StepType] = {}
_builtins_loaded = False


class UnknownStepType(UsageError):
    pass


def register(st: StepType) -> StepType:
    existing = _registry.get(st.name)
    if existing is not None and existing != st:
        raise ValueError(f"step type {st.name!r} is registered twice")
    _registry[st.name] = st
    return st


def step_type(name: str, *, resources: Mapping[str, int] | None = None, timeout: float | None = None,
              retries: int | None = None, description: str = "",
              params: Mapping[str, Any] | None = None) -> Callable[[RunFn], RunFn]:
    """Register an automatic step type: ``@step_type("builtin.noop")``.

    ``params`` is the JSON Schema of its ``with:`` (:mod:`regctl.steps.params`); a built-in type
    without one and without an entry in ``ONBOARDING_PARAMS`` takes no parameters.
    """

    def decorate(fn: RunFn) -> RunFn:
        register(StepType(name=name, kind=StepKind.AUTOMATIC, run=fn, resources=dict(resources or {}),
                          timeout=timeout, retries=retries,
                          description=description or inspect.getdoc(fn) or "",
                          params=_declared(name, params)))
        return fn

    return decorate


def action_step_type(name: str, *, request: RequestFn, apply: ApplyFn, description: str = "",
                     params: Mapping[str, Any] | None = None) -> StepType:
    """Register an action_required step type from its request and apply callables."""
    return register(StepType(name=name, kind=StepKind.ACTION_REQUIRED, request=request, apply=apply,
                             description=description, params=_declared(name, params)))


def _declared(name: str, params: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """What a built-in registration declares: its own schema, the onboarding table's, or none."""
    return params if params is not None else ONBOARDING_PARAMS.get(name, NO_PARAMS)


def load_builtins() -> None:
    """Import the built-in step modules now (a supervisor does, before its first claim: importing
    them takes a few hundred ms that would otherwise stall the first step's event loop)."""
    _load_builtins()


def _load_builtins() -> None:
    global _builtins_loaded
    if _builtins_loaded:
        return
    for module in BUILTIN_MODULES:
        _import_builtin(module)
    _builtins_loaded = True


def _import_builtin(module: str) -> None:
    try:
        importlib.import_module(module)
    except ModuleNotFoundError as exc:
        if exc.name != module:  # a real import error inside the module
            raise


def _from_path(name: str) -> StepType:
    module_name, _, attr = name.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError as exc:
        raise UnknownStepType(f"unknown step type {name!r}: cannot import {module_name!r} ({exc})") from exc
    obj: Any = getattr(module, attr, None)
    if obj is None:
        raise UnknownStepType(f"unknown step type {name!r}: {module_name!r} has no {attr!r}")
    return _as_step_type(name, obj)


def _as_step_type(name: str, obj: Any) -> StepType:
    if isinstance(obj, StepType):
        return obj
    if callable(obj):
        return StepType(name=name, kind=StepKind.AUTOMATIC, run=obj, description=inspect.getdoc(obj) or "")
    raise UnknownStepType(f"step type {name!r} is neither a StepType nor a callable")


def _from_entry_point(name: str) -> StepType | None:
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        if ep.name == name:
            return _as_step_type(name, ep.load())
    return None


def lookup(name: str) -> StepType:
    """The step type called ``name``; raises :class:`UnknownStepType` naming what is missing.

    Built-in modules are imported one by one until the name is found, so a supervisor that only
    runs ``builtin.*`` steps never imports the onboarding steps (and their libraries).
    """
    if name in _registry:
        return _registry[name]
    for module in BUILTIN_MODULES:
        _import_builtin(module)
        if name in _registry:
            return _registry[name]
    if ":" in name:
        return register(_from_path(name))
    found = _from_entry_point(name)
    if found is not None:
        return register(found)
    from regctl.suggest import did_you_mean

    raise UnknownStepType(f"unknown step type {name!r}{did_you_mean(name, _registry)}; "
                          "`regctl steps` lists them")


def known() -> list[str]:
    """Names of all registered built-in step types (for help text and `regctl doctor`)."""
    _load_builtins()
    return sorted(_registry)
