"""Step parameters are part of the manifest contract: each step type declares its ``with:`` as a
JSON Schema, and ``regctl validate`` (every manifest load) checks a step's ``with:`` against it.

A declared schema is an object schema whose ``properties`` each carry a ``type``, a ``description``
and, where the step has one, the ``default`` it uses. ``additionalProperties: false`` makes a typo
(``second:`` for ``seconds:``) an error at load, not a silently ignored key. Step types loaded from a
``module:function`` path or an entry point may declare nothing (``params=None``): their ``with:`` is
not checked.

The onboarding step types are declared in :data:`ONBOARDING_PARAMS` rather than at their
registration sites, so the pipeline's step modules stay about what the steps do;
:func:`regctl.steps.registry.step_type` / ``action_step_type`` attach the table's entry to a built-in
type whose registration declares nothing; a built-in type in neither place takes no parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from regctl.suggest import did_you_mean

__all__ = ["NO_PARAMS", "ONBOARDING_PARAMS", "ParamProblem", "check_params", "describe", "params_schema"]

JSON = dict[str, Any]
ParamProblem = tuple[tuple[str | int, ...], str]  # (path inside `with:`, message)


def params_schema(**properties: JSON) -> JSON:
    """An object schema of these properties; nothing else is allowed."""
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _p(kind: str | list[str], description: str, **extra: Any) -> JSON:
    return {"type": kind, "description": description, **extra}


_URL = {"pattern": r"^https?://\S+$"}

# Evidence: the ctx.params reads of each module under regctl/steps/onboarding/ (the only parameters
# the steps consult); every other onboarding step takes none.
ONBOARDING_PARAMS: dict[str, JSON] = {
    "extract_menu": params_schema(
        source=_p("string", "where the menu comes from (default: the menu file, else the delivery page)",
                  enum=["file", "extraction"]),
        menu_file=_p("string", "a menu file instead of the restaurant's menu_file"),
        url=_p("string", "a delivery page instead of the restaurant's ubereats_url", **_URL),
        base_dir=_p("string", "folder relative menu files are read from (default: the manifest's)"),
    ),
    "extract_branding": params_schema(
        source=_p("string", "read the website natively or through the extraction API",
                  enum=["native", "extraction"], default="native"),
        url=_p("string", "a website instead of the restaurant's website", **_URL),
    ),
    "search_companies": params_schema(
        name=_p("string", "search the register for this name instead of the restaurant's"),
        street=_p("string", "…and this street"),
        city=_p("string", "…and this city"),
        website_source=_p("string", "read the restaurant's website for a printed legal name or NZBN "
                                    "directly (`native`, the default) or through the extraction API "
                                    "(`extraction`)", enum=["native", "extraction"]),
    ),
    "configure_registration": params_schema(
        defaults=_p("object", "registration settings for every job of the step, over the manifest's "
                              "`defaults:` (same sections)"),
    ),
}
NO_PARAMS: JSON = params_schema()


def check_params(schema: Mapping[str, Any] | None, params: Mapping[str, Any]) -> list[ParamProblem]:
    """Every way ``params`` breaks ``schema`` (none when the step type declares nothing), in path order."""
    if schema is None:
        return []
    from jsonschema import Draft202012Validator  # only validating a manifest pays for jsonschema

    problems = [(_path(err), _message(err, schema))
                for err in Draft202012Validator(dict(schema)).iter_errors(dict(params))]
    return sorted(problems, key=lambda p: [str(x) for x in p[0]])


def _path(err: Any) -> tuple[str | int, ...]:
    path = tuple(err.absolute_path)
    if err.validator == "additionalProperties":
        extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
        return (*path, extra[0]) if extra else path
    return path


def _message(err: Any, schema: Mapping[str, Any]) -> str:
    allowed = ", ".join(schema.get("properties", {})) or "none"
    if err.validator == "additionalProperties":
        extra = [k for k in err.instance if k not in err.schema.get("properties", {})]
        return f"unknown parameter {extra[0]!r}{did_you_mean(extra[0], list(schema.get('properties', {})))}" \
               f"; parameters: {allowed}"
    if err.validator == "type":
        kinds = err.validator_value
        wanted = kinds if isinstance(kinds, str) else " or ".join(kinds)
        return f"{err.instance!r} is not {_a(wanted)}"
    return str(err.message)


def _a(kind: str) -> str:
    return {"integer": "an integer", "object": "a mapping", "array": "a list"}.get(kind, f"a {kind}")


def describe(schema: Mapping[str, Any] | None) -> list[JSON]:
    """The parameters of a schema as rows: name, type, default, description (``regctl steps``)."""
    if schema is None:
        return []
    rows = []
    for name, prop in schema.get("properties", {}).items():
        kind = prop.get("type", "any")
        rows.append({"name": name, "type": kind if isinstance(kind, str) else "|".join(kind),
                     "default": prop.get("default"), "required": name in schema.get("required", []),
                     "description": prop.get("description", ""),
                     **({"choices": list(prop["enum"])} if "enum" in prop else {})})
    return rows
