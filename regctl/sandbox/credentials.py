"""The sandbox's fixed, fictional credentials (documented in docs/sandbox.md).

They exist so that clients written for the real systems can be pointed at the sandbox with
ordinary configuration. None of them is a secret and none works anywhere but the sandbox.
"""

from __future__ import annotations

__all__ = [
    "ADMIN_CONFIRMATION_CODE",
    "FIRECRAWL_API_KEY",
    "HUB_CREDENTIALS",
    "INTEGRATOR_ID",
    "INTEGRATOR_SECRET",
    "NZBN_SUBSCRIPTION_KEY",
    "ONBOARDING_API_KEY",
    "UPLOADCARE_PUBLIC_KEY",
    "as_env",
]

# CloudWaitress-style platform registration API (/platform-api).
INTEGRATOR_ID = "CWI_sandbox"
INTEGRATOR_SECRET = "CWS_sandbox_secret"
# The admin e-mail-confirmation bypass code accepted by /users/register/verify.
ADMIN_CONFIRMATION_CODE = "sandbox-admin-code"

# NZBN API v5 (/nzbn/v5): sent as the Ocp-Apim-Subscription-Key header.
NZBN_SUBSCRIPTION_KEY = "nzbn-sandbox-key"

# Firecrawl v2 (/firecrawl/v2): sent as "Authorization: Bearer fc-sandbox".
FIRECRAWL_API_KEY = "fc-sandbox"

# Uploadcare upload API (/cdn): the pub_key form field.
UPLOADCARE_PUBLIC_KEY = "sandbox_pub_key"

# Supabase PostgREST of the onboarding database (/onboarding/rest/v1): the apikey header.
ONBOARDING_API_KEY = "sandbox-onboarding-service-key"


def as_env() -> dict[str, str]:
    """The credentials under the environment names the production profile would read."""
    return {
        "CLOUDWAITRESS_INTEGRATOR_ID": INTEGRATOR_ID,
        "CLOUDWAITRESS_SECRET": INTEGRATOR_SECRET,
        "PUMPD_ADMIN_PASSWORD": ADMIN_CONFIRMATION_CODE,
        "NZBN_API_KEY": NZBN_SUBSCRIPTION_KEY,
        "FIRECRAWL_API_KEY": FIRECRAWL_API_KEY,
        "UPLOADCARE_PUBLIC_KEY": UPLOADCARE_PUBLIC_KEY,
        "ONBOARDING_SUPABASE_SERVICE_KEY": ONBOARDING_API_KEY,
    }


def _hub_credentials() -> dict[str, str]:
    from regctl.sandbox.portal_state import HUB_ADMIN_EMAIL, HUB_ADMIN_PASSWORD

    return {"email": HUB_ADMIN_EMAIL, "password": HUB_ADMIN_PASSWORD}


# The marketing hub's super-admin login (defined with the hub's state in portal_state.py).
HUB_CREDENTIALS = _hub_credentials()
