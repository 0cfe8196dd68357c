"""Prompts generated from a JSON Schema: one question per property, typed by the schema.

Used for action steps without a dedicated flow, for the manual-entry form of select_company, and
for editing one section of the registration config. Understands what pydantic emits: ``$ref`` into
``$defs``, ``anyOf [T, null]`` for optional fields, ``enum``, ``default``, ``title``, ``format``.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import yaml
from jsonschema import Draft202012Validator

from regctl.review.protocol import Choice, Prompter, Validator

__all__ = ["OMIT", "ask_object", "ask_value", "in_schema_order", "is_secret", "property_items", "resolve",
           "schema_type"]

JSON = dict[str, Any]
OMIT: Any = object()  # "leave this optional field out of the answer"
KEEP_SECRET_HINT = "(hidden; Enter keeps it)"


def resolve(schema: Mapping[str, Any], root: Mapping[str, Any]) -> JSON:
    """``schema`` with ``$ref`` followed and ``anyOf [T, null]`` collapsed to T (``nullable`` set)."""
    out = dict(schema)
    while "$ref" in out:
        out = {**_follow(out.pop("$ref"), root), **out}
    branches = out.get("anyOf") or out.get("oneOf")
    if branches:
        real = [b for b in branches if b.get("type") != "null"]
        if len(real) == 1:
            rest = {k: v for k, v in out.items() if k not in ("anyOf", "oneOf")}
            merged = {**resolve(real[0], root), **rest}
            merged["nullable"] = len(real) < len(branches)
            return merged
    return out


def _follow(ref: str, root: Mapping[str, Any]) -> JSON:
    node: Any = root
    for part in ref.removeprefix("#/").split("/"):
        node = node[part]
    return dict(node)


def property_items(schema: Mapping[str, Any]) -> list[tuple[str, Any]]:
    """An object schema's properties in their declared order.

    ``x-order`` (see DecisionRequest.to_json) survives JSONB storage; without it (a schema that
    came through JSONB, e.g. a manifest's ``with:``) the ``required`` list's order comes first.
    """
    props = schema.get("properties") or {}
    hint = schema.get("x-order") or schema.get("required") or ()
    order = [name for name in hint if name in props]
    return [(name, props[name]) for name in order + [n for n in props if n not in order]]


def in_schema_order(value: Any, schema: Mapping[str, Any], root: Mapping[str, Any]) -> Any:
    """``value`` (a mapping) with its keys, recursively, in the schema's property order."""
    if not isinstance(value, Mapping):
        return value
    schema = resolve(schema, root)
    known = [(name, resolve(sub, root)) for name, sub in property_items(schema) if name in value]
    out = {name: in_schema_order(value[name], sub, root) for name, sub in known}
    out.update({k: v for k, v in value.items() if k not in out})
    return out


def schema_type(schema: Mapping[str, Any]) -> str:
    raw = schema.get("type")
    if isinstance(raw, list):
        raw = next((t for t in raw if t != "null"), "string")
    if raw is None:
        return "object" if "properties" in schema else "string"
    return str(raw)


def is_secret(name: str, schema: Mapping[str, Any]) -> bool:
    return schema.get("format") == "password" or schema.get("writeOnly") is True or "password" in name


def ask_object(p: Prompter, schema: Mapping[str, Any], current: Mapping[str, Any] | None,
               *, root: Mapping[str, Any] | None = None) -> JSON:
    """Ask every property of an object schema, pre-filled from ``current`` or the schema defaults."""
    root = root if root is not None else schema
    schema = resolve(schema, root)
    current = dict(current or {})
    required = set(schema.get("required", []))
    result = dict(current)
    for name, sub in property_items(schema):
        value = ask_value(p, name, resolve(sub, root), current.get(name, sub.get("default")),
                          required=name in required, root=root)
        if value is OMIT:
            result.pop(name, None)
        else:
            result[name] = value
    return result


def ask_value(p: Prompter, name: str, schema: JSON, current: Any, *, required: bool,
              root: Mapping[str, Any]) -> Any:
    """One property's answer, or :data:`OMIT` for an optional field left empty."""
    label = _label(name, schema, required)
    kind = schema_type(schema)
    if "enum" in schema:
        return _ask_enum(p, label, schema, current)
    if kind == "boolean":
        return p.confirm(label, default=bool(current))
    if kind == "object":
        p.say(f"{label}:")
        return ask_object(p, schema, current if isinstance(current, Mapping) else {}, root=root)
    if kind == "array" and schema_type(resolve(schema.get("items", {}), root)) == "string":
        return _ask_string_list(p, label, current)
    if kind in ("array", "object") or isinstance(current, list | dict):
        return _ask_structured(p, label, current)
    if is_secret(name, schema):
        return _ask_secret(p, label, current, required)
    return _ask_scalar(p, label, schema, kind, current, required)


def _label(name: str, schema: Mapping[str, Any], required: bool) -> str:
    title = str(schema.get("title") or name.replace("_", " "))
    return f"{title}{' (required)' if required else ''}"


def _ask_enum(p: Prompter, label: str, schema: Mapping[str, Any], current: Any) -> Any:
    values = list(schema["enum"])
    choices = [Choice(title="(none)" if v is None else str(v), value=json.dumps(v)) for v in values]
    default = json.dumps(current) if current in values else None
    return json.loads(p.select(label, choices, default=default))


def _ask_string_list(p: Prompter, label: str, current: Any) -> list[str]:
    shown = ", ".join(str(v) for v in current) if isinstance(current, list) else ""
    raw = p.text(f"{label} (comma-separated)", default=shown)
    return [part.strip() for part in raw.split(",") if part.strip()]


def _ask_structured(p: Prompter, label: str, current: Any) -> Any:
    shown = yaml.safe_dump(current, sort_keys=False, allow_unicode=True).strip()
    p.say(f"{label}:\n{shown}")
    if not p.confirm(f"Edit {label} in your editor?", default=False):
        return current
    edited = p.edit(yaml.safe_dump(current, sort_keys=False, allow_unicode=True))
    return yaml.safe_load(edited)


def _ask_secret(p: Prompter, label: str, current: Any, required: bool) -> Any:
    typed = p.secret(f"{label} {KEEP_SECRET_HINT}" if current else label)
    if typed:
        return typed
    if current:
        return current
    return OMIT if not required else _ask_secret(p, label, current, required)


def _ask_scalar(p: Prompter, label: str, schema: JSON, kind: str, current: Any, required: bool) -> Any:
    shown = "" if current is None else str(current)
    raw = p.text(label, default=shown, validate=_scalar_validator(schema, kind, required))
    if raw == "":
        return None if schema.get("nullable") and not required else OMIT
    return _convert(raw, kind)


def _scalar_validator(schema: JSON, kind: str, required: bool) -> Validator:
    checker = Draft202012Validator({k: v for k, v in schema.items() if k != "nullable"})

    def validate(raw: str) -> str | None:
        if raw == "":
            return "a value is required" if required else None
        try:
            value = _convert(raw, kind)
        except ValueError:
            return f"enter {'a whole number' if kind == 'integer' else 'a number'}"
        error = next(iter(checker.iter_errors(value)), None)
        return error.message if error is not None else None

    return validate


def _convert(raw: str, kind: str) -> Any:
    if kind == "integer":
        return int(raw)
    if kind == "number":
        return float(raw)
    return raw
