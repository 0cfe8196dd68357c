"""create_account — register the owner's platform account over the platform API (CloudWaitress).

Two calls: ``POST /users/register/start`` with an HMAC-SHA256 signature over e-mail‖phone‖password
(key: the integrator secret), then ``POST /users/register/verify`` with the admin bypass code. An
answer saying the account "already exists" / "is already registered" means the account is there:
the step adopts it. Account creation is globally rate-limited (``platform_account_creation``,
shared by all supervisors through the database); the token is taken just before the start call.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from typing import Any

from regctl.errors import PermanentStepError
from regctl.providers.http import HttpProvider
from regctl.steps.base import StepContext
from regctl.steps.onboarding.registration_common import (
    JSON,
    account_credentials,
    config_section,
    normalise_nz_phone,
    target_of,
)
from regctl.steps.registry import step_type
from regctl.targets import System

__all__ = ["RATE_LIMIT", "create_account", "register_signature"]

RATE_LIMIT = "platform_account_creation"
_ALREADY = re.compile(r"already (exists|registered|in use)", re.IGNORECASE)


class PlatformApi(HttpProvider):
    system = "platform_api"

    def raise_for_status(self, response: Any, where: str) -> None:
        """A 4xx saying the account already exists is an answer to adopt, not a failure."""
        if response.status_code in (400, 409, 422) and _ALREADY.search(response.text or ""):
            return
        super().raise_for_status(response, where)


def register_signature(secret: str, email: str, phone: str, password: str) -> str:
    """Hex HMAC-SHA256 of ``email + phone + password`` keyed with the integrator secret."""
    return hmac.new(secret.encode(), (email + phone + password).encode(), hashlib.sha256).hexdigest()


def _provider(system: System) -> PlatformApi:
    return PlatformApi(system.url, credential_env=system.credential_env("secret"), secrets=system.secrets())


def _already_exists(answer: Any) -> bool:
    return isinstance(answer, dict) and bool(_ALREADY.search(str(answer.get("message", ""))))


def _failed(answer: Any, what: str, api: PlatformApi) -> PermanentStepError:
    from regctl.secrets import redact

    message = answer.get("message", answer) if isinstance(answer, dict) else answer
    return PermanentStepError(f"platform_api {what} refused: {redact(str(message), api.secrets)[:200]}")


def _start(api: PlatformApi, system: System, email: str, phone: str, password: str) -> Any:
    body = {"integrator_id": system.credential("integrator_id"), "email": email, "phone": phone,
            "password": password,
            "signature": register_signature(system.credential("secret"), email, phone, password)}
    response = api.request("POST", "/users/register/start", json=body)
    return _json_or_refusal(api, response, "register start")


def _json_or_refusal(api: PlatformApi, response: Any, what: str) -> Any:
    try:
        return response.json()
    except ValueError:
        raise _failed(response.text, what, api) from None


def _verify(api: PlatformApi, system: System, token: str) -> Any:
    body = {"token": token, "email_confirmation_code": system.credential("admin_code")}
    return _json_or_refusal(api, api.request("POST", "/users/register/verify", json=body), "register verify")


def _register(ctx: StepContext, api: PlatformApi, system: System, email: str, phone: str,
              password: str) -> JSON:
    ctx.acquire_rate_limit(RATE_LIMIT)
    started = _start(api, system, email, phone, password)
    if _already_exists(started):
        return {"email": email, "adopted": True, "created": False}
    if not isinstance(started, dict) or started.get("outcome") != 0 or not started.get("token"):
        raise _failed(started, "register start", api)
    verified = _verify(api, system, str(started["token"]))
    if _already_exists(verified):
        return {"email": email, "adopted": True, "created": False}
    if not isinstance(verified, dict) or verified.get("outcome") != 0:
        raise _failed(verified, "register verify", api)
    return {"email": email, "adopted": False, "created": True, "user_id": verified.get("user_id") or email}


@step_type("create_account", timeout=60.0, retries=3,
           description="Register the owner's platform account (adopts one that already exists)")
def create_account(ctx: StepContext) -> JSON:
    email, password = account_credentials(ctx)
    phone = normalise_nz_phone(config_section(ctx, "account").get("phone")
                               or config_section(ctx, "restaurant").get("phone"))
    system = target_of(ctx).system("platform_api")
    api = _provider(system)
    try:
        result = _register(ctx, api, system, email, phone, password)
    finally:
        api.close()
    result["phone"] = phone
    return result
