"""Checking an answer against its request's JSON Schema, with errors that name the field path."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from jsonschema import Draft202012Validator, ValidationError
from jsonschema.exceptions import SchemaError

from regctl.errors import DecisionError

__all__ = ["check_answer", "field_path", "schema_problems"]


def field_path(error: ValidationError) -> str:
    """``account.email`` / ``restaurant.opening_hours[2].day``; the missing property for ``required``."""
    path = "".join(f"[{part}]" if isinstance(part, int) else f".{part}" for part in error.absolute_path)
    if error.validator == "required":
        missing = _missing_property(error)
        if missing:
            path = f"{path}.{missing}"
    return path.lstrip(".") or "(answer)"


def _missing_property(error: ValidationError) -> str | None:
    required: Iterable[str] = error.validator_value if isinstance(error.validator_value, list) else []
    instance = error.instance if isinstance(error.instance, Mapping) else {}
    return next((name for name in required if name not in instance), None)


def schema_problems(schema: Mapping[str, Any], answer: Any) -> list[str]:
    """Every problem of ``answer``, as ``path: message``, in document order; [] when valid."""
    try:
        validator = Draft202012Validator(schema)
        errors = sorted(validator.iter_errors(answer), key=lambda e: [str(p) for p in e.absolute_path])
    except SchemaError as exc:
        return [f"(schema): the request's schema is invalid: {exc.message}"]
    return [f"{field_path(e)}: {e.message}" for e in errors]


def check_answer(schema: Mapping[str, Any], answer: Any) -> None:
    """Raise DecisionError naming the first invalid field(s) when ``answer`` does not fit ``schema``."""
    problems = schema_problems(schema, answer)
    if problems:
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        raise DecisionError(f"invalid answer: {problems[0]}{more}")
