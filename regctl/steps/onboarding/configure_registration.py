"""configure_registration (action_required): confirm or edit the registration config (SPEC §4).

The request's ``defaults`` are the derived config (registration_config.derive_config over the
restaurant record and the manifest's ``defaults:``) with passwords masked; ``schema`` is the config's
JSON Schema; ``context`` says whether a menu exists. An answer is a whole config or only the edited
parts; a password left masked (or absent) keeps the one already stored for the job, else it is
generated at apply time by the configured rule (the person never saw it, so nothing is lost).
``apply`` validates, refuses while menu import is wanted and no menu exists, encrypts the passwords
and stores the config on the job. The step's result holds no secret.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from regctl.errors import DecisionError, PermanentStepError
from regctl.registration_config import config_schema, deep_merge, derive_config
from regctl.secrets import (
    MASK,
    SECRET_FIELDS,
    decrypt_secret_fields,
    encrypt_secret_fields,
    mask_secret_fields,
)
from regctl.steps.base import DecisionRequest, StepContext
from regctl.steps.onboarding.enrich_common import records, restaurant_id
from regctl.steps.registry import action_step_type

__all__ = ["apply", "request", "without_masks"]


def _restaurant(ctx: StepContext) -> dict[str, Any]:
    return records(ctx).restaurant(restaurant_id(ctx))


def _defaults(ctx: StepContext) -> dict[str, Any]:
    return deep_merge(records(ctx).batch_defaults(ctx.batch_id), dict(ctx.params.get("defaults") or {}))


def _context(restaurant: Mapping[str, Any]) -> dict[str, Any]:
    company = restaurant.get("company") or {}
    return {"has_menu": bool(restaurant.get("menus")), "menus": restaurant.get("menus") or [],
            "restaurant": restaurant.get("name"), "has_contact": bool(company.get("contact_name")),
            "has_branding": bool(restaurant.get("branding")),
            "menu_source": restaurant.get("menu_file") or restaurant.get("ubereats_url")}


def _where(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc']) or 'config'}: {first['msg']}"


def request(ctx: StepContext) -> DecisionRequest:
    restaurant = _restaurant(ctx)
    try:
        derived = derive_config(restaurant, _defaults(ctx), make_password=lambda: MASK)
    except ValidationError as exc:  # the manifest's defaults: (edits come later, in apply)
        raise PermanentStepError(f"configure_registration: manifest defaults: {_where(exc)}") from None
    return DecisionRequest(kind="configure_registration",
                           prompt=f"Confirm the registration config for {restaurant.get('name')}",
                           schema=config_schema(), defaults=mask_secret_fields(derived),
                           context=_context(restaurant))


def without_masks(answer: Mapping[str, Any]) -> dict[str, Any]:
    """The answer with masked/empty secret fields removed (so the rule supplies them)."""
    out = {k: (dict(v) if isinstance(v, Mapping) else v) for k, v in answer.items()}
    for section, name in SECRET_FIELDS:
        part = out.get(section)
        if isinstance(part, dict) and part.get(name) in (MASK, "", None):
            part.pop(name, None)
    return out


def _derive(restaurant: Mapping[str, Any], defaults: Mapping[str, Any], answer: Mapping[str, Any]
            ) -> dict[str, Any]:
    try:
        return derive_config(restaurant, defaults, answer)
    except ValidationError as exc:
        raise DecisionError(f"configure_registration: {_where(exc)}") from None


def _check_menu(config: Mapping[str, Any], restaurant: Mapping[str, Any]) -> None:
    menu, menus = config["menu"], restaurant.get("menus") or []
    if menu["import_menu"] and not menus:
        raise DecisionError(
            f"configure_registration: {restaurant.get('name')!r} has no menu but menu.import_menu is true: "
            "set menu.import_menu: false to turn the menu steps off, or name a menu file (menu_file) "
            "and retry extract_menu")
    if menu["menu_id"] is not None and menu["menu_id"] not in {m["id"] for m in menus}:
        raise DecisionError(f"configure_registration: menu.menu_id {menu['menu_id']} is not a menu of "
                            f"{restaurant.get('name')!r} (menus: {[m['id'] for m in menus]})")


def _keep_stored_secrets(ctx: StepContext, answer: Mapping[str, Any]) -> dict[str, Any]:
    """A masked password means "keep the one already stored" when the job has one (a re-run after
    the account was created must not change it), else "generate one"."""
    stored = decrypt_secret_fields(records(ctx).job_config(ctx.job_id))
    account_password = (stored.get("account") or {}).get("password")
    out = without_masks(answer)
    for section, name in SECRET_FIELDS:
        kept = (stored.get(section) or {}).get(name)
        follows_account = section != "account" and kept == account_password
        if kept and not follows_account and name not in (out.get(section) or {}):
            out[section] = dict(out.get(section) or {}, **{name: kept})
    if account_password and "password" not in (out.get("account") or {}):
        out["account"] = dict(out.get("account") or {}, password=account_password)
    return out


def apply(ctx: StepContext, answer: dict[str, Any]) -> dict[str, Any]:
    if not isinstance(answer, Mapping):
        raise DecisionError("configure_registration: the answer must be an object")
    restaurant = _restaurant(ctx)
    config = _derive(restaurant, _defaults(ctx), _keep_stored_secrets(ctx, answer))
    _check_menu(config, restaurant)
    records(ctx).set_job_config(ctx.job_id, encrypt_secret_fields(config))
    return {"configured": True, "subdomain": config["restaurant"]["subdomain"],
            "registration_mode": config["restaurant"]["registration_mode"],
            "menu_id": config["menu"]["menu_id"], "import_menu": config["menu"]["import_menu"],
            "password_rule": config["account"]["password_rule"], "theme": config["website"]["theme"]}


configure_registration = action_step_type(
    "configure_registration", request=request, apply=apply,
    description="Confirm or edit the registration config (defaults derived from the restaurant)")
