"""Policies: the answers a manifest lets the supervisor give instead of a person."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest
from review_helpers import recorded

from regctl.errors import UsageError
from regctl.review.policies import evaluate, strong_single_match


def test_review_asks_a_person() -> None:
    assert evaluate("review", recorded("select_company")) is None
    assert evaluate(None, recorded("select_company")) is None


def test_single_strong_registered_match_is_chosen() -> None:
    answer = evaluate("auto_single_strong_match", recorded("select_company"))
    assert answer == {"choice": "company", "company_number": "7012345"}


def test_threshold_is_configurable() -> None:
    request = recorded("select_company")
    assert evaluate({"name": "auto_single_strong_match", "threshold": 0.95}, request) is None
    researched = recorded("select_company_researched")  # one candidate at 0.71
    assert evaluate("auto_single_strong_match", researched) is None
    assert evaluate({"name": "auto_single_strong_match", "threshold": 0.7}, researched) == {
        "choice": "company", "company_number": "8123456"}


def test_two_strong_matches_are_ambiguous() -> None:
    request = recorded("select_company")
    twins = [dict(c, similarity=0.95) for c in request.options]
    assert evaluate("auto_single_strong_match", dataclasses.replace(request, options=twins)) is None


def test_only_registered_companies_count() -> None:
    candidates = [{"company_number": "1", "status": "Removed", "similarity": 0.99},
                  {"company_number": "2", "status": "Registered", "similarity": 0.5}]
    assert strong_single_match(candidates, 0.9) is None
    candidates[1]["similarity"] = 0.9
    assert strong_single_match(candidates, 0.9) == candidates[1]


def test_accept_defaults_answers_with_the_defaults() -> None:
    request = recorded("configure_registration")
    assert evaluate("accept_defaults", request) == request.defaults
    assert evaluate("accept_defaults", recorded("select_company")) is None  # nothing to accept


@pytest.mark.parametrize("policy", ["auto_pick", {"name": "auto_single_strong_match", "threshold": 2},
                                    {"name": "auto_single_strong_match", "threshold": "high"},
                                    {"name": "accept_defaults", "threshold": 0.5},
                                    {"name": "auto_single_strong_match", "treshold": 0.5}])
def test_bad_policies_are_refused_naming_them(policy: object) -> None:
    with pytest.raises(UsageError, match="policies"):
        evaluate(policy, recorded("select_company"))  # type: ignore[arg-type]


def test_a_manifest_names_the_bad_policy_with_its_line(tmp_path: Path) -> None:
    from regctl.errors import ManifestError
    from regctl.manifest import load_manifest

    path = tmp_path / "m.yaml"
    path.write_text("batch: b\norganisation: o\npipeline:\n  name: p\n  steps:\n"
                    "    - {key: approve, uses: builtin.wait}\n"
                    "policies:\n  approve: {name: auto_single_strong_match, threshold: 1.5}\n"
                    "restaurants:\n  - {name: A, address: 1 A St, city: Auckland}\n")
    with pytest.raises(ManifestError, match=r"m.yaml:8: policies.approve: threshold must be between"):
        load_manifest(path)
