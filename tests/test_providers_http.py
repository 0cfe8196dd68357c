"""providers/http: the retryable/permanent split, Retry-After, and no secret in any message.

The other side is an httpx MockTransport here (status codes on demand); the same clients run
against the real sandbox in test_providers_sandbox.py.
"""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from regctl.errors import PermanentStepError, RateLimited, RetryableStepError
from regctl.providers.company_register import CompanyRegister
from regctl.providers.http import HttpProvider, parse_retry_after
from regctl.targets import System, Target

SECRET = "nzbn-key-very-secret-123"


def _register(handler: Callable[[httpx.Request], httpx.Response]) -> CompanyRegister:
    system = System(
        "company_register",
        "http://127.0.0.1:9/nzbn/v5",
        {"key": SECRET},
        {"key": "REGCTL_TARGET_PROD_COMPANY_REGISTER_KEY"},
    )
    target = Target("prod", {"company_register": system})
    return CompanyRegister.for_target(target, transport=httpx.MockTransport(handler))


def _status(code: int, headers: dict[str, str] | None = None, body: str = "") -> CompanyRegister:
    return _register(lambda _r: httpx.Response(code, headers=headers, text=body or f"echo {SECRET}"))


def test_success_parses_search_items() -> None:
    def handler(request: httpx.Request) -> httpx.Response:
        assert request.headers["Ocp-Apim-Subscription-Key"] == SECRET
        assert request.url.params["search-term"] == "Texas Chicken"
        return httpx.Response(
            200,
            json={
                "items": [
                    {
                        "entityName": "TEXAS CHICKEN LIMITED",
                        "nzbn": "942900",
                        "sourceRegisterUniqueId": "123",
                        "entityStatusDescription": "Registered",
                    }
                ]
            },
        )

    [candidate] = _register(handler).search_by_name("Texas Chicken")
    assert candidate["company_number"] == "123" and candidate["status"] == "Registered"


def test_429_is_rate_limited_with_retry_after() -> None:
    with pytest.raises(RateLimited) as info:
        _status(429, {"Retry-After": "7"}).search_by_name("x")
    assert info.value.retry_after == 7.0


@pytest.mark.parametrize("code", [500, 502, 503, 504, 408])
def test_server_errors_are_retryable(code: int) -> None:
    with pytest.raises(RetryableStepError) as info:
        _status(code).search_by_name("x")
    assert not isinstance(info.value, RateLimited)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("code", [401, 403])
def test_auth_failure_is_permanent_and_names_the_variable(code: int) -> None:
    with pytest.raises(PermanentStepError) as info:
        _status(code).search_by_name("x")
    assert "REGCTL_TARGET_PROD_COMPANY_REGISTER_KEY" in str(info.value)
    assert SECRET not in str(info.value)


@pytest.mark.parametrize("code", [400, 404, 422])
def test_client_errors_are_permanent_and_redacted(code: int) -> None:
    with pytest.raises(PermanentStepError) as info:
        _status(code).entity("942900")
    assert f"HTTP {code}" in str(info.value) and SECRET not in str(info.value)


def test_timeouts_and_connection_errors_are_retryable() -> None:
    def slow(request: httpx.Request) -> httpx.Response:
        raise httpx.ReadTimeout("slow", request=request)

    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    for handler in (slow, refused):
        with pytest.raises(RetryableStepError):
            _register(handler).search_by_name("x")


def test_before_request_runs_first_and_can_refuse() -> None:
    calls: list[str] = []

    def take() -> None:
        calls.append("token")
        raise RateLimited("no token", retry_after=3)

    provider = HttpProvider(
        "http://127.0.0.1:9",
        before_request=take,
        transport=httpx.MockTransport(lambda r: httpx.Response(200)),
    )
    with pytest.raises(RateLimited):
        provider.request("GET", "/x")
    assert calls == ["token"]


@pytest.mark.parametrize(("value", "expected"), [("12", 12.0), (None, 5.0), ("soon", 5.0), ("-3", 0.0)])
def test_parse_retry_after(value: str | None, expected: float) -> None:
    assert parse_retry_after(value) == expected


def test_parse_retry_after_http_date() -> None:
    assert parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now=1445412500.0) == 10.0


def test_firecrawl_429_waits_as_long_as_its_error_text_says() -> None:
    # issue 12 item 4: Firecrawl sends no Retry-After; the wait is in the error body.
    from regctl.providers.extraction import ExtractionApi

    text = ("Rate limit exceeded. Consumed (req/min): 11, Remaining (req/min): 0. Upgrade your plan at "
            "https://firecrawl.dev/pricing for increased rate limits or please retry after 47s, resets at …")
    body = {"success": False, "error": text}
    system = System("extraction_api", "http://127.0.0.1:9/firecrawl", {"key": "fc-x"})
    api = ExtractionApi.for_target(Target("prod", {"extraction_api": system}),
                                   transport=httpx.MockTransport(lambda _r: httpx.Response(429, json=body)))
    with pytest.raises(RateLimited) as info:
        api.scrape("https://example.org", ["markdown"])
    assert info.value.retry_after == 47.0


def test_uploadcare_429_waits_x_throttle_wait_seconds() -> None:
    from regctl.providers.cdn import Cdn

    systems = {"image_cdn": System("image_cdn", "http://127.0.0.1:9/cdn", {"public_key": "pk"}),
               "image_cdn_files": System("image_cdn_files", "http://127.0.0.1:9/ucarecdn")}
    answer = httpx.Response(429, headers={"X-Throttle-Wait-Seconds": "12"}, text="Request was throttled.")
    cdn = Cdn.for_target(Target("prod", systems), transport=httpx.MockTransport(lambda _r: answer))
    with pytest.raises(RateLimited) as info:
        cdn.start_upload("http://127.0.0.1:9/x.jpg", "x.jpg")
    assert info.value.retry_after == 12.0
    assert cdn.cdn_url("abc") == "http://127.0.0.1:9/ucarecdn/abc/"
