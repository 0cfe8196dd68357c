"""The configure_registration flow: the registration config (SPEC §4), section by section.

The request's ``defaults`` are the derived config (passwords masked), its ``schema`` the config's
JSON Schema and its ``context.has_menu`` whether the restaurant has a menu. The person accepts all
defaults, walks the sections, or edits the whole config as YAML in ``$EDITOR``; the menu gate then
refuses to finish while menu import is wanted and there is no menu, saying what to do.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

import yaml

from regctl.review.protocol import Choice, FlowContext, LeaveWaiting, Outcome, Prompter
from regctl.review.schema_prompts import ask_object, in_schema_order, is_secret, resolve
from regctl.review.validation import schema_problems
from regctl.steps.base import DecisionRequest

__all__ = ["PER_RESTAURANT_FIELDS", "ask_configuration", "carry_choices", "menu_gate_message",
           "menu_import_wanted", "without_menu"]

JSON = dict[str, Any]
ACCEPT, SECTIONS, YAML, LEAVE = "accept", "sections", "yaml", "leave"
KEEP, EDIT, KEEP_REST = "keep", "edit", "keep-rest"
MENU_OFF, EDIT_AGAIN = "menu-off", "edit-again"
# Fields that belong to one restaurant: "apply to all" never copies them to another.
PER_RESTAURANT_FIELDS = frozenset({
    "email", "password", "phone", "name", "address", "city", "subdomain", "opening_hours", "menu_id",
    "user_name", "user_email", "user_password",
})
MENU_SWITCHES = ("import_menu", "upload_images", "add_option_sets", "add_item_tags")


def ask_configuration(p: Prompter, request: DecisionRequest, flow: FlowContext) -> Outcome:
    """Ask until the config is valid and passes the menu gate; then offer apply-to-all."""
    config = in_schema_order(copy.deepcopy(request.defaults), request.schema, request.schema)
    show_config(p, request.prompt, config)
    while True:
        config = _ask_once(p, request, config)
        problems = schema_problems(request.schema, config)
        if problems:
            p.say("That configuration is not valid:\n  " + "\n  ".join(problems))
            continue
        gate = menu_gate_message(request, config)
        if gate is None:
            break
        config = _resolve_menu_gate(p, gate, config)
        if menu_gate_message(request, config) is None:
            break
    return Outcome(config, apply_to_all=_ask_apply_to_all(p, flow.remaining_alike))


def _ask_once(p: Prompter, request: DecisionRequest, config: JSON) -> JSON:
    mode = p.select("How do you want to set this restaurant up?", [
        Choice("Accept these settings as shown", ACCEPT),
        Choice("Review section by section", SECTIONS),
        Choice("Edit everything as YAML in $EDITOR", YAML),
        Choice("Leave this decision waiting and go to the next", LEAVE),
    ])
    if mode == LEAVE:
        raise LeaveWaiting
    if mode == SECTIONS:
        return _review_sections(p, request, config)
    if mode == YAML:
        return _edit_yaml(p, config)
    return config


def show_config(p: Prompter, title: str, config: Mapping[str, Any]) -> None:
    p.say(title)
    for section, values in config.items():
        _show_section(p, section, values)


def _show_section(p: Prompter, section: str, values: Any) -> None:
    if not isinstance(values, Mapping):
        p.say(f"{section}: {_shown(section, values)}")
        return
    p.table(section, ("Field", "Value"), [[k, _shown(k, v)] for k, v in values.items()])


def _shown(name: str, value: Any) -> str:
    if is_secret(name, {}) and value:
        return "•••••• (hidden)"
    if isinstance(value, list | dict):
        return yaml.safe_dump(value, default_flow_style=True, sort_keys=False).strip()
    return "—" if value is None else str(value)


def _review_sections(p: Prompter, request: DecisionRequest, config: JSON) -> JSON:
    root = request.schema
    properties = resolve(root, root).get("properties", {})
    result = copy.deepcopy(config)
    for section in [s for s in config if isinstance(config[s], Mapping)]:
        _show_section(p, section, result[section])
        action = p.select(f"{section}:", [Choice("Keep as shown", KEEP), Choice("Edit this section", EDIT),
                                          Choice("Keep this and every remaining section", KEEP_REST)])
        if action == KEEP_REST:
            break
        if action == EDIT:
            result[section] = ask_object(p, properties.get(section, {}), result[section], root=root)
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
    action = p.select("What now?", [Choice("Turn the menu steps off for this restaurant", MENU_OFF),
                                    Choice("Change the settings again", EDIT_AGAIN),
                                    Choice("Leave this decision waiting and go to the next", LEAVE)])
    if action == LEAVE:
        raise LeaveWaiting
    return without_menu(config) if action == MENU_OFF else config


def _ask_apply_to_all(p: Prompter, remaining: int) -> bool:
    if remaining <= 0:
        return False
    return p.confirm(f"Apply these choices to the {remaining} remaining restaurant(s) in this batch? "
                     "(e-mail, password, subdomain and menu stay per restaurant)", default=False)


def carry_choices(defaults: Mapping[str, Any], answer: Mapping[str, Any],
                  other_defaults: Mapping[str, Any]) -> JSON:
    """Another restaurant's config: its own defaults plus what the person changed here.

    Only the fields the person changed from this restaurant's defaults are carried over, and never
    the per-restaurant ones, so derived values (colours from its own website, its e-mail, its
    menu) stay that restaurant's own.
    """
    result = copy.deepcopy(dict(other_defaults))
    for path, value in _changes(defaults, answer):
        if path[-1] not in PER_RESTAURANT_FIELDS:
            _set(result, path, copy.deepcopy(value))
    return result


def _changes(before: Any, after: Any, path: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], Any]]:
    if isinstance(before, Mapping) and isinstance(after, Mapping):
        return [change for key in after for change in _changes(before.get(key), after[key], (*path, key))]
    return [] if before == after or not path else [(path, after)]


def _set(target: JSON, path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        target = target.setdefault(key, {})
    target[path[-1]] = value
