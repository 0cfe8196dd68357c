"""The Yolo mode settings: configure_registration, the registration config (SPEC §4) on one screen.

The prior system's users call the registration settings "Yolo mode" (its ``YoloModeFormData``); the
UI and docs use that name. The request's ``defaults`` are the derived config (passwords masked), its
``schema`` the config's JSON Schema and its ``context.has_menu`` whether the restaurant has a menu.

The screen is a compact overview: per section, only the fields whose value differs from the
config's plain defaults (the schema's ``default``), and what the person changed. The person accepts,
edits one field by its path (``website.theme``, or any unique part of it: ``layout``), edits the
whole config as YAML in ``$EDITOR``, or accepts and applies the change to the batch's other waiting
restaurants — after a diff of exactly what will be copied. The menu gate refuses to finish while
menu import is wanted and there is no menu, saying what to do.
"""

from __future__ import annotations

import copy
import itertools
import os
from collections.abc import Mapping
from typing import Any

import yaml

from regctl.review.protocol import Choice, FlowContext, LeaveWaiting, Outcome, Prompter
from regctl.review.schema_prompts import OMIT, ask_value, in_schema_order, is_secret, property_items, resolve
from regctl.review.validation import schema_problems
from regctl.steps.base import DecisionRequest

__all__ = ["PER_RESTAURANT_FIELDS", "ask_configuration", "carry_choices", "changes", "copied_changes",
           "field_paths", "find_field", "menu_gate_message", "menu_import_wanted", "overview_lines",
           "without_menu"]

JSON = dict[str, Any]
Path = tuple[str, ...]
ACCEPT, APPLY_ALL, EDIT_FIELD, EDITOR, LEAVE = "accept", "apply-all", "edit-field", "editor", "leave"
MENU_OFF, EDIT_AGAIN = "menu-off", "edit-again"
TITLE = "Yolo mode settings"
# Fields that belong to one restaurant: "apply to all" never copies them to another.
PER_RESTAURANT_FIELDS = frozenset({
    "email", "password", "phone", "name", "address", "city", "subdomain", "opening_hours", "menu_id",
    "user_name", "user_email", "user_password",
})
MENU_SWITCHES = ("import_menu", "upload_images", "add_option_sets", "add_item_tags")
HIDDEN = "••••••"
_UNSET: Any = object()


def ask_configuration(p: Prompter, request: DecisionRequest, flow: FlowContext) -> Outcome:
    """The overview, then edits until the person accepts a config that is valid and passes the gate."""
    defaults = in_schema_order(copy.deepcopy(request.defaults), request.schema, request.schema)
    config = copy.deepcopy(defaults)
    notes: list[str] = []
    for turn in itertools.count():
        if turn and flow.header:
            p.screen(flow.header)  # a fresh screen after each edit: the header stays on top
        for line in [*overview_lines(request, config, defaults), *notes]:
            p.say(line)
        action = p.select(f"{TITLE}: what now?", _actions(flow.remaining_alike))
        notes = []
        if action == LEAVE:
            raise LeaveWaiting
        if action == EDIT_FIELD:
            config = edit_field(p, request, config)
            continue
        if action == EDITOR:
            config = _edit_yaml(p, config)
            continue
        problems = schema_problems(request.schema, config)
        if problems:
            notes = ["That configuration is not valid:", *(f"  {problem}" for problem in problems)]
            continue
        finished = _through_menu_gate(p, request, config)
        if finished is None:
            continue
        config = finished
        if action == ACCEPT or _confirm_copy(p, defaults, finished, flow.remaining_alike):
            return Outcome(finished, apply_to_all=action == APPLY_ALL)
    raise AssertionError("unreachable")


def _actions(remaining: int) -> list[Choice]:
    choices = [Choice("Accept these settings for this restaurant", ACCEPT, key="a")]
    if remaining > 0:
        # one 80-column row with its cursor and key (" » o) "): a longer title was cut at the edge
        choices.append(Choice(f"Accept, and apply my changes to the {remaining} other(s) waiting "
                              "(a diff first)", APPLY_ALL, key="o"))
    return [*choices,
            Choice("Edit one field (by its path, e.g. website.theme)", EDIT_FIELD, key="e"),
            Choice("Edit everything as YAML in $EDITOR", EDITOR, key="v"),
            Choice("Leave this decision waiting and go to the next", LEAVE, key="w")]


def _through_menu_gate(p: Prompter, request: DecisionRequest, config: JSON) -> JSON | None:
    """``config`` when the menu gate lets it through (after the person's fix, if any); None: edit more."""
    gate = menu_gate_message(request, config)
    if gate is None:
        return config
    fixed = _resolve_menu_gate(p, gate, config)
    return fixed if menu_gate_message(request, fixed) is None else None


# ------------------------------------------------------------------ the overview -----------------


def overview_lines(request: DecisionRequest, config: Mapping[str, Any],
                   defaults: Mapping[str, Any]) -> list[str]:
    """The compact overview: per section, the fields that differ from the plain defaults; then the
    person's changes."""
    name = request.context.get("restaurant") or request.context.get("restaurant_name") or ""
    lines = [f"{TITLE} for {name} — only what differs from the defaults:" if name
             else f"{TITLE} — only what differs from the defaults:"]
    sources = derived_from(request.context)
    if sources:
        lines.append(f"  derived from: {sources}")
    plain = _plain_defaults(request.schema)
    for section, values in config.items():
        if not isinstance(values, Mapping):
            lines.append(f"  {section:<11} {_shown(section, values)}")
            continue
        differing = [f"{field} {_shown(field, value)}" for field, value in values.items()
                     if plain.get((section, field), _UNSET) != value
                     and not ((section, field) not in plain and value in (None, "", [], {}))]
        lines.append(f"  {section:<11} {' · '.join(differing) if differing else '(all defaults)'}")
    mine = changes(defaults, config)
    if mine:
        shown = " · ".join(change_text(defaults, path, value) for path, value in mine)
        lines.append(f"  Changed by you: {shown}")
    return lines


def change_text(defaults: Mapping[str, Any], path: Path, value: Any) -> str:
    """``website.item_layout card → list``."""
    return f"{'.'.join(path)} {_shown(path[-1], _get(defaults, path))} → {_shown(path[-1], value)}"


def derived_from(context: Mapping[str, Any]) -> str:
    """What the defaults were derived from (the request's context): the menu, branding, contact."""
    parts = []
    for menu in [m for m in context.get("menus") or [] if isinstance(m, Mapping)][:2]:
        parts.append(f"menu {menu.get('id')} ({menu.get('source', '?')}, {menu.get('items', '?')} items, "
                     f"{menu.get('option_sets', 0)} option sets)")
    if context.get("has_menu") is False:
        parts.append("no menu yet")
    if "has_branding" in context:
        parts.append("branding from its website" if context["has_branding"]
                     else "no branding found (plain colours)")
    if "has_contact" in context:
        parts.append("contact from the company register" if context["has_contact"] else "no contact found")
    return " · ".join(parts)


def _plain_defaults(schema: Mapping[str, Any]) -> dict[Path, Any]:
    """(section, field) → the schema's ``default`` for every field that has one."""
    out: dict[Path, Any] = {}
    for section, sub in property_items(resolve(schema, schema)):
        for field, spec in property_items(resolve(sub, schema)):
            if "default" in spec:
                out[(section, field)] = spec["default"]
    return out


def _shown(name: str, value: Any) -> str:
    if is_secret(name, {}) and value:
        return HIDDEN
    if name == "opening_hours" and isinstance(value, list):
        return _hours(value)
    if isinstance(value, str) and _local_file(value):
        return "…/" + os.path.basename(value)  # a local file: its name is what tells them apart
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, default_flow_style=True, sort_keys=False, width=10_000).strip()
    return "—" if value is None else str(value)


def _local_file(value: str) -> bool:
    """A path on this machine, absolute or under the data directory (``regctl-data/…/logo.png``)."""
    return "://" not in value and "/" in value.strip("/") and " " not in value


def _hours(hours: list[Any]) -> str:
    """``7 day(s) 11:00–21:00``; else the days in order, each day's spans together
    (``Tue 11:00–14:30 17:00–21:30, Wed …``, not one entry per span)."""
    spans = [f"{h.get('open')}–{h.get('close')}" for h in hours if isinstance(h, Mapping)]
    if spans and len(set(spans)) == 1:
        return f"{len(spans)} day(s) {spans[0]}"
    days: dict[str, list[str]] = {}
    for h in hours:
        if isinstance(h, Mapping):
            days.setdefault(str(h.get("day", ""))[:3], []).append(f"{h.get('open')}–{h.get('close')}")
    return ", ".join(f"{day} {' '.join(day_spans)}" for day, day_spans in days.items())


# ------------------------------------------------------------------ edits ------------------------


def field_paths(schema: Mapping[str, Any]) -> list[str]:
    """Every ``section.field`` of the config schema, in order."""
    root = resolve(schema, schema)
    return [f"{section}.{field}" for section, sub in property_items(root)
            for field, _ in property_items(resolve(sub, schema))]


def find_field(schema: Mapping[str, Any], typed: str) -> tuple[str | None, str]:
    """The one field path ``typed`` names (exactly, by field name, or by a unique part), or an error."""
    typed = typed.strip().lower()
    paths = field_paths(schema)
    for candidates in ([p for p in paths if p == typed], [p for p in paths if p.split(".")[1] == typed],
                       [p for p in paths if typed and typed in p]):
        if len(candidates) == 1:
            return candidates[0], ""
        if len(candidates) > 1:
            return None, f"{typed!r} could be {', '.join(candidates[:6])}: type more of it"
    return None, f"no field {typed!r}; fields look like website.theme or menu.add_item_tags"


def edit_field(p: Prompter, request: DecisionRequest, config: JSON) -> JSON:
    """Ask which field, then its new value (typed by the schema); ``config`` with it changed."""
    typed = p.text("Field path (e.g. website.theme; a unique part such as 'theme' is enough)",
                   validate=lambda text: find_field(request.schema, text)[1] or None)
    path = find_field(request.schema, typed)[0]
    assert path is not None  # the validator let only a known field through
    section, field = path.split(".")
    root = request.schema
    spec = resolve(resolve(resolve(root, root)["properties"][section], root)["properties"][field], root)
    current = (config.get(section) or {}).get(field, spec.get("default"))
    value = ask_value(p, field, spec, current, required=False, root=root)
    result = copy.deepcopy(config)
    target = result.setdefault(section, {})
    if value is OMIT:
        target.pop(field, None)
    else:
        target[field] = value
    return result


def _edit_yaml(p: Prompter, config: JSON) -> JSON:
    text = yaml.safe_dump(config, sort_keys=False, allow_unicode=True)
    while True:
        text = p.edit(text)
        try:
            edited = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            p.say(f"That is not valid YAML: {exc}")
        else:
            if isinstance(edited, dict):
                return edited
            p.say("The configuration must be a mapping of sections.")
        if not p.confirm("Edit it again?", default=True):
            return config


# ------------------------------------------------------------------ apply to all -----------------


def copied_changes(defaults: Mapping[str, Any], answer: Mapping[str, Any]) -> tuple[list[tuple[Path, Any]],
                                                                                   list[Path]]:
    """What apply-to-all copies (path, new value), and the changed per-restaurant paths it does not."""
    mine = changes(defaults, answer)
    return ([(path, value) for path, value in mine if path[-1] not in PER_RESTAURANT_FIELDS],
            [path for path, _ in mine if path[-1] in PER_RESTAURANT_FIELDS])


def _confirm_copy(p: Prompter, defaults: JSON, answer: JSON, remaining: int) -> bool:
    copied, kept = copied_changes(defaults, answer)
    if copied:
        p.say(f"Apply to the {remaining} other restaurant(s) — each keeps its own derived settings, plus:")
        for path, value in copied:
            p.say(f"  {change_text(defaults, path, value)}")
    else:
        p.say(f"You changed nothing that is copied: each of the {remaining} other restaurant(s) gets its own "
              "derived settings as they are.")
    if kept:
        p.say("Not copied (per restaurant): " + ", ".join(".".join(path) for path in kept))
    return p.confirm(f"Record this restaurant and apply to the {remaining} other(s)?", default=False)


def _get(config: Mapping[str, Any], path: Path) -> Any:
    node: Any = config
    for key in path:
        node = node.get(key) if isinstance(node, Mapping) else None
    return node


def menu_import_wanted(config: Mapping[str, Any]) -> bool:
    """True when the config asks for the menu to be imported (or its images, option sets, tags)."""
    menu = config.get("menu")
    if not isinstance(menu, Mapping):
        return False
    if "import_menu" in menu:
        return bool(menu["import_menu"])
    return menu.get("menu_id") is not None or any(bool(menu.get(k)) for k in MENU_SWITCHES)


def menu_gate_message(request: DecisionRequest, config: Mapping[str, Any]) -> str | None:
    """Why this config cannot be finished yet (menu wanted, no menu), or None when it can."""
    if request.context.get("has_menu", True) or not menu_import_wanted(config):
        return None
    name = request.context.get("restaurant_name") or "This restaurant"
    return (f"{name} has no menu yet, so the menu cannot be imported. Either turn the menu steps off "
            "for this restaurant, or give it a menu file (`menu_file:` in the manifest, or an "
            "ubereats_url) and run `regctl retry JOB --from extract_menu`; this question then returns.")


def without_menu(config: Mapping[str, Any]) -> JSON:
    """``config`` with every menu step switched off."""
    result = copy.deepcopy(dict(config))
    menu = dict(result.get("menu") or {})
    menu.update({k: False for k in MENU_SWITCHES if k in menu or k != "import_menu"})
    if "menu_id" in menu:
        menu["menu_id"] = None
    result["menu"] = menu
    return result


def _resolve_menu_gate(p: Prompter, message: str, config: JSON) -> JSON:
    p.say(message)
    action = p.select("What now?", [Choice("Turn the menu steps off for this restaurant", MENU_OFF, key="m"),
                                    Choice("Change the settings again", EDIT_AGAIN, key="c"),
                                    Choice("Leave this decision waiting and go to the next", LEAVE, key="w")])
    if action == LEAVE:
        raise LeaveWaiting
    return without_menu(config) if action == MENU_OFF else config


def carry_choices(defaults: Mapping[str, Any], answer: Mapping[str, Any],
                  other_defaults: Mapping[str, Any]) -> JSON:
    """Another restaurant's config: its own defaults plus what the person changed here.

    Only the fields the person changed from this restaurant's defaults are carried over, and never
    the per-restaurant ones, so derived values (colours from its own website, its e-mail, its
    menu) stay that restaurant's own.
    """
    result = copy.deepcopy(dict(other_defaults))
    for path, value in changes(defaults, answer):
        if path[-1] not in PER_RESTAURANT_FIELDS:
            _set(result, path, copy.deepcopy(value))
    return result


def changes(before: Any, after: Any, path: Path = ()) -> list[tuple[Path, Any]]:
    """Every (path, new value) where ``after`` differs from ``before``, leaf by leaf."""
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        return [change for key in after for change in changes(before.get(key), after[key], (*path, key))]
    return [] if before == after or not path else [(path, after)]


def _set(target: JSON, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
