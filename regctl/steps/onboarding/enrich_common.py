"""What the enrichment steps share: the domain store, the restaurant, providers with the shared limit."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from regctl.db.domain import DomainStore, records_for
from regctl.errors import PermanentStepError
from regctl.providers.companies_office import CompaniesOffice
from regctl.providers.company_register import CompanyRegister
from regctl.providers.extraction import ExtractionApi
from regctl.steps.base import StepContext
from regctl.steps.onboarding.registration_common import target_of

__all__ = ["EXTRACTION_LIMIT", "companies_office", "company_register", "extraction_api", "records",
           "restaurant_id"]

EXTRACTION_LIMIT = "extraction_api"  # SPEC §2: 10 per 60 s across all supervisors


def records(ctx: StepContext) -> DomainStore:
    return records_for(ctx.database_url, ctx.organisation)


def restaurant_id(ctx: StepContext) -> int:
    rid = (ctx.restaurant or {}).get("id")
    if rid is None:
        raise PermanentStepError(f"job {ctx.job_id} has no restaurant record")
    return int(rid)


def _rate_limited(ctx: StepContext, name: str) -> Callable[[], None]:
    def take() -> None:
        ctx.check_cancelled()
        ctx.acquire_rate_limit(name)
    return take


def extraction_api(ctx: StepContext, **kwargs: Any) -> ExtractionApi:
    """A Firecrawl client whose every call takes a token of the shared ``extraction_api`` limit."""
    return ExtractionApi.for_target(target_of(ctx), before_request=_rate_limited(ctx, EXTRACTION_LIMIT),
                                    **kwargs)


def company_register(ctx: StepContext, **kwargs: Any) -> CompanyRegister:
    return CompanyRegister.for_target(target_of(ctx), before_request=ctx.check_cancelled, **kwargs)


def companies_office(ctx: StepContext, **kwargs: Any) -> CompaniesOffice:
    """The Companies Office register website through the extraction API (same shared limit)."""
    return CompaniesOffice(extraction_api(ctx, **kwargs))
