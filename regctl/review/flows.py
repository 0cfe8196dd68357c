"""The prompt flows of `regctl review`: one per request kind, all through an injected Prompter.

A flow turns one :class:`DecisionRequest` into an :class:`Outcome` (the answer to record). It writes
nothing: recording is :mod:`regctl.review.decisions`' job, after the flow returned, so Ctrl-C
(``KeyboardInterrupt``) mid-flow leaves the decision waiting exactly as it was.

- select_company: :mod:`regctl.review.company_flow` (the company picker);
- configure_registration: :mod:`regctl.review.config_flow` (the Yolo mode settings);
- anything else: one prompt per property of the answer's JSON Schema (:func:`ask_generic`).
"""

from __future__ import annotations

from regctl.review.company_flow import MANUAL_FIELDS, ask_select_company, candidate_rows
from regctl.review.config_flow import ask_configuration
from regctl.review.protocol import FlowContext, Outcome, Prompter
from regctl.review.schema_prompts import ask_object
from regctl.steps.base import DecisionRequest

__all__ = ["MANUAL_FIELDS", "ask", "ask_generic", "ask_select_company", "candidate_rows"]


def ask(p: Prompter, request: DecisionRequest, flow: FlowContext | None = None) -> Outcome:
    """Ask a person to answer ``request`` on a screen of its own; dispatches on ``request.kind``."""
    flow = flow or FlowContext()
    if flow.header:
        p.screen(flow.header)
    if request.kind == "select_company":
        return ask_select_company(p, request, flow)
    if request.kind == "configure_registration":
        return ask_configuration(p, request, flow)
    return ask_generic(p, request)


def ask_generic(p: Prompter, request: DecisionRequest) -> Outcome:
    """Any other action step: one prompt per property of the answer's JSON Schema."""
    p.say(request.prompt)
    return Outcome(answer=ask_object(p, request.schema, request.defaults))
