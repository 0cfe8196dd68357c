"""Stand-in action step types that ask the recorded requests (tests/fixtures/requests/*.json).

They let the review flows run end to end — database, session, prompts, decisions — without the
sandbox: ``uses: review_steps:select_company`` / ``review_steps:configure_registration`` in a
manifest (``tests`` on the Python path). State that must survive between processes (the re-search
happened) is a file in the step's data directory.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from regctl.errors import DecisionError
from regctl.steps.base import DecisionRequest, StepContext, StepKind, StepType

FIXTURES = Path(__file__).parent / "fixtures" / "requests"
JSON = dict[str, Any]


def _recorded(name: str) -> JSON:
    return json.loads((FIXTURES / f"{name}.json").read_text())  # type: ignore[no-any-return]


def _company_request(ctx: StepContext) -> DecisionRequest:
    researched = (ctx.data_dir / "researched.json").exists()
    name = "select_company_researched" if researched else "select_company"
    return DecisionRequest.from_json(_recorded(name))


def _company_apply(ctx: StepContext, answer: JSON) -> JSON:
    if answer["choice"] == "research":
        (ctx.data_dir / "researched.json").write_text(json.dumps(answer["research"]))
        return {"ask_again": True}
    return dict(answer)


def _no_menu(ctx: StepContext) -> bool:
    return bool((ctx.restaurant.get("extra") or {}).get("no_menu"))


def _config_request(ctx: StepContext) -> DecisionRequest:
    name = "configure_registration_no_menu" if _no_menu(ctx) else "configure_registration"
    data = _recorded(name)
    data["defaults"]["restaurant"]["name"] = ctx.restaurant["name"]
    data["defaults"]["account"]["email"] = f"owner{ctx.job_id}@example.nz"
    data["context"]["restaurant"] = ctx.restaurant["name"]
    return DecisionRequest.from_json(data)


def _config_apply(ctx: StepContext, answer: JSON) -> JSON:
    if _no_menu(ctx) and answer["menu"]["import_menu"]:
        raise DecisionError(f"{ctx.restaurant['name']} has no menu but menu.import_menu is true")
    return dict(answer)


select_company = StepType(name="review_steps:select_company", kind=StepKind.ACTION_REQUIRED,
                          request=_company_request, apply=_company_apply)
configure_registration = StepType(name="review_steps:configure_registration", kind=StepKind.ACTION_REQUIRED,
                                  request=_config_request, apply=_config_apply)


def _counted_request(ctx: StepContext) -> DecisionRequest:
    return DecisionRequest(kind="generic", prompt="Approve?", schema={
        "type": "object", "required": ["ok"], "properties": {"ok": {"type": "boolean"}}})


def _counted_apply(ctx: StepContext, answer: JSON) -> JSON:
    """Appends to a file in the step's data directory: how many times apply really ran."""
    with (ctx.data_dir / "applied.log").open("a") as log:
        log.write(json.dumps(answer) + "\n")
    return dict(answer)


counted = StepType(name="review_steps:counted", kind=StepKind.ACTION_REQUIRED,
                   request=_counted_request, apply=_counted_apply)
