"""Decision policies: answers a manifest lets the supervisor give instead of a person.

The engine calls :func:`evaluate` right after it stores a step's :class:`DecisionRequest`. A policy
returns the answer (which the engine records as a decision by ``policy:NAME``) or ``None``, meaning
"ask a person" — the step stays ``action_required`` for ``regctl review``.

A manifest names a policy per step key, either as a bare name or as a mapping with options::

    policies:
      select_company: {name: auto_single_strong_match, threshold: 0.85}
      configure_registration: accept_defaults

``auto_evidence`` (select_company) weighs each candidate's stored ``evidence`` (regctl/matching/):
it picks a company when the best eligible one scores ``threshold`` (default 0.75) and leads the next
by ``margin`` (default 0.25); says "none of these" when nothing is plausible and ``on_no_match: none``;
otherwise asks. Its answer carries the verdict's reason, score and evidence, so the decision record
shows why.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from regctl.errors import UsageError
from regctl.matching import DEFAULT_MARGIN, decide
from regctl.matching import DEFAULT_THRESHOLD as EVIDENCE_THRESHOLD
from regctl.steps.base import DecisionRequest, StepContext

__all__ = ["DEFAULT_THRESHOLD", "PolicyName", "evaluate", "policy_name", "strong_single_match"]

NO_MATCH_CHOICES = ("review", "none")

JSON = dict[str, Any]
DEFAULT_THRESHOLD = 0.9


class PolicyName(enum.StrEnum):
    REVIEW = "review"  # ask a person (the default when the manifest names no policy)
    ACCEPT_DEFAULTS = "accept_defaults"  # answer with the request's pre-filled defaults
    AUTO_SINGLE_STRONG_MATCH = "auto_single_strong_match"  # pick the one strong registered company
    AUTO_EVIDENCE = "auto_evidence"  # pick the company the evidence clearly supports (regctl/matching)


def policy_name(spec: str | Mapping[str, Any] | None) -> PolicyName:
    """The policy a manifest entry names; a UsageError naming the unknown policy otherwise."""
    raw = spec.get("name") if isinstance(spec, Mapping) else spec
    if raw is None:
        return PolicyName.REVIEW
    try:
        name = PolicyName(str(raw))
    except ValueError:
        known = ", ".join(p.value for p in PolicyName)
        raise UsageError(f"policies: unknown policy {raw!r} (known: {known})") from None
    if isinstance(spec, Mapping):
        _check_options(name, spec)
    return name


def _check_options(name: PolicyName, spec: Mapping[str, Any]) -> None:
    allowed = {"name", *_OPTIONS.get(name, ())}
    unknown = sorted(set(spec) - allowed)
    if unknown:
        raise UsageError(f"policies: {name.value} has no option {unknown[0]!r}")
    if "threshold" in spec:
        _threshold(dict(spec))
    if "margin" in spec:
        _unit(dict(spec), "margin", 0.0)
    if spec.get("on_no_match", "review") not in NO_MATCH_CHOICES:
        raise UsageError(f"policies: on_no_match must be one of {', '.join(NO_MATCH_CHOICES)}, "
                         f"not {spec['on_no_match']!r}")


def evaluate(policy: str | Mapping[str, Any] | None, request: DecisionRequest,
             ctx: StepContext | None = None) -> JSON | None:
    """The policy's answer to ``request``, or None when a person must decide."""
    name = policy_name(policy)
    options = dict(policy) if isinstance(policy, Mapping) else {}
    return _POLICIES[name](request, options)


def _review(request: DecisionRequest, options: JSON) -> JSON | None:
    return None


def _accept_defaults(request: DecisionRequest, options: JSON) -> JSON | None:
    # An empty default is no answer: a request without defaults still needs a person.
    return dict(request.defaults) or None


def _auto_single_strong_match(request: DecisionRequest, options: JSON) -> JSON | None:
    threshold = _threshold(options)
    chosen = strong_single_match(request.options, threshold)
    if chosen is None:
        return None
    return {"choice": "company", "company_number": str(chosen["company_number"])}


def _auto_evidence(request: DecisionRequest, options: JSON) -> JSON | None:
    verdict = decide(request.options, threshold=_unit(options, "threshold", EVIDENCE_THRESHOLD),
                     margin=_unit(options, "margin", DEFAULT_MARGIN),
                     none_when_nothing=options.get("on_no_match") == "none" and _searched_fully(request))
    if verdict.choice == "company":
        return {"choice": "company", "company_number": verdict.company_number, "reason": verdict.reason,
                "score": verdict.score, "evidence": verdict.evidence}
    if verdict.choice == "none":
        return {"choice": "none", "reason": verdict.reason}
    return None


def _searched_fully(request: DecisionRequest) -> bool:
    """Both searches ran and answered: only then does nothing found mean "none of these"."""
    queries = request.context.get("queries") or {}
    return bool(queries.get("name_searched")) and bool(queries.get("address_searched"))


def _threshold(options: JSON) -> float:
    return _unit(options, "threshold", DEFAULT_THRESHOLD)


def _unit(options: JSON, key: str, default: float) -> float:
    raw = options.get(key, default)
    try:
        value = float(raw)
    except (TypeError, ValueError):
        raise UsageError(f"policies: {key} must be a number between 0 and 1, not {raw!r}") from None
    if not 0.0 <= value <= 1.0:
        raise UsageError(f"policies: {key} must be between 0 and 1, not {value}")
    return value


def strong_single_match(candidates: Sequence[Mapping[str, Any]],
                        threshold: float) -> Mapping[str, Any] | None:
    """The only registered candidate whose name similarity reaches ``threshold``, else None.

    Two strong registered candidates are ambiguous, so none is chosen. The rule itself is the
    company search's (one place); imported late because importing it registers every onboarding step.
    """
    from regctl.steps.onboarding.companies import strong_single_match as rule

    return rule(candidates, threshold)


_OPTIONS: dict[PolicyName, tuple[str, ...]] = {
    PolicyName.AUTO_SINGLE_STRONG_MATCH: ("threshold",),
    PolicyName.AUTO_EVIDENCE: ("threshold", "margin", "on_no_match"),
}

_POLICIES: dict[PolicyName, Callable[[DecisionRequest, JSON], JSON | None]] = {
    PolicyName.REVIEW: _review,
    PolicyName.ACCEPT_DEFAULTS: _accept_defaults,
    PolicyName.AUTO_SINGLE_STRONG_MATCH: _auto_single_strong_match,
    PolicyName.AUTO_EVIDENCE: _auto_evidence,
}
