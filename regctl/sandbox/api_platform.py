"""The platform registration API (CloudWaitress shapes), under ``/platform-api``.

``POST /users/register/start`` ``{integrator_id, email, phone, password, signature}`` with
``signature = hex HMAC-SHA256(secret, email + phone + password)`` → ``{outcome: 0, token}``;
``POST /users/register/verify`` ``{token, email_confirmation_code}`` → ``{outcome: 0, user_id}``.
Phones must be in international format (``+6493761234``). Like the real API, a refusal is HTTP 200
with ``outcome: 1`` and a ``message`` (an existing e-mail's message contains "already exists");
only a body that is not JSON gets a 400. A field the API does not take is refused the same way
(``outcome: 1``, ``Unknown field: <name>``), so a client sending an invented field finds out.
"""

from __future__ import annotations

import hashlib
import hmac
import re

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox import credentials
from regctl.sandbox.routing import api_route, error_response, read_json
from regctl.sandbox.world import Refusal, World

__all__ = ["routes", "signature_for"]

START_FIELDS = ("integrator_id", "email", "phone", "password", "signature")
VERIFY_FIELDS = ("token", "email_confirmation_code")


def _unknown_field(body: dict[str, object], allowed: tuple[str, ...]) -> str | None:
    unknown = sorted(k for k in body if k not in allowed)
    return f"Unknown field: {unknown[0]}" if unknown else None


def signature_for(secret: str, email: str, phone: str, password: str) -> str:
    """What a client must send: hex HMAC-SHA256 of email+phone+password keyed by the integrator secret."""
    return hmac.new(secret.encode(), (email + phone + password).encode(), hashlib.sha256).hexdigest()


def _refused(message: str) -> Response:
    return JSONResponse({"outcome": 1, "message": message})


def _check_start(body: dict[str, object]) -> str | None:
    """The refusal message for a malformed or unauthorised start request, else None."""
    for name in START_FIELDS:
        if not isinstance(body.get(name), str) or not body.get(name):
            return f"Missing required field: {name}"
    if body["integrator_id"] != credentials.INTEGRATOR_ID:
        return "Invalid integrator_id"
    if "@" not in str(body["email"]):
        return "Invalid email address"
    if not re.fullmatch(r"\+\d{8,15}", str(body["phone"])):
        return "Invalid phone number: use the international format, e.g. +6493761234"
    expected = signature_for(
        credentials.INTEGRATOR_SECRET, str(body["email"]), str(body["phone"]), str(body["password"])
    )
    if not hmac.compare_digest(expected, str(body["signature"]).lower()):
        return "Invalid signature"
    return None


async def register_start(request: Request, world: World) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        return error_response("platform", 400, "Request body must be a JSON object")
    email = str(body.get("email", ""))
    problem = _unknown_field(body, START_FIELDS) or _check_start(body)
    if problem is not None:
        world.audit("platform", "POST", request.url.path, f"register start refused ({problem}) email={email}")
        return _refused(problem)
    try:
        token = world.register_start(email, str(body["phone"]), str(body["password"]))
    except Refusal as refusal:
        world.audit(
            "platform", "POST", request.url.path, f"register start refused (already exists) email={email}"
        )
        return _refused(refusal.message)
    world.audit("platform", "POST", request.url.path, f"register start email={email}")
    return JSONResponse({"outcome": 0, "token": token})


async def register_verify(request: Request, world: World) -> Response:
    body = await read_json(request)
    if not isinstance(body, dict):
        return error_response("platform", 400, "Request body must be a JSON object")
    unknown = _unknown_field(body, VERIFY_FIELDS)
    if unknown is not None:
        return _refused(unknown)
    token, code = body.get("token"), body.get("email_confirmation_code")
    if not isinstance(token, str) or not isinstance(code, str):
        return _refused("Missing required field: token and email_confirmation_code")
    try:
        account = world.register_verify(token, code, credentials.ADMIN_CONFIRMATION_CODE)
    except Refusal as refusal:
        world.audit("platform", "POST", request.url.path, f"register verify refused ({refusal.message})")
        return _refused(refusal.message)
    world.audit(
        "platform",
        "POST",
        request.url.path,
        f"account created email={account.email} user_id={account.user_id}",
    )
    return JSONResponse({"outcome": 0, "user_id": account.user_id, "email": account.email})


def routes(world: World) -> list[BaseRoute]:
    return [
        api_route(world, "platform.register_start", "/users/register/start", register_start, ["POST"]),
        api_route(world, "platform.register_verify", "/users/register/verify", register_verify, ["POST"]),
    ]
