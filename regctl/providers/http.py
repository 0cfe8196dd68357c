"""The one HTTP base every provider shares: timeouts and the retryable/permanent split.

    the wire failed            → RetryableStepError   (timeout, connection error, 5xx, 408)
    the server said "later"    → RateLimited(retry_after)   (429; the wait each service gives:
                                                       :meth:`HttpProvider.throttle_wait`)
    the server said no         → PermanentStepError   (401/403 naming the credential's variable,
                                                       404, 400/422 validation)

Messages never contain a credential's value: every text taken from a response is passed through
:func:`regctl.secrets.redact` with the provider's secrets.
"""

from __future__ import annotations

import email.utils
import functools
import ssl
import time
from collections.abc import Callable, Mapping
from typing import Any, Self

import httpx

from regctl.errors import PermanentStepError, RateLimited, RetryableStepError
from regctl.secrets import redact

__all__ = ["DEFAULT_TIMEOUT", "HttpProvider", "Refused", "parse_retry_after"]

DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
_DEFAULT_RETRY_AFTER = 5.0
_BODY_SNIPPET = 200


class Refused(PermanentStepError):
    """The server refused the request itself (4xx other than auth and 429); ``status`` says how."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


@functools.cache
def _ssl_context() -> ssl.SSLContext:
    """One verified TLS context per process: building it costs ~0.1 s, so clients share it."""
    return httpx.create_ssl_context()


def parse_retry_after(value: str | None, *, now: float | None = None) -> float:
    """Seconds to wait from a Retry-After header (delta seconds or an HTTP date); 5 s when absent."""
    if not value:
        return _DEFAULT_RETRY_AFTER
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value).timestamp()
    except (TypeError, ValueError):
        return _DEFAULT_RETRY_AFTER
    return max(0.0, when - (time.time() if now is None else now))


class HttpProvider:
    """A small httpx client for one external system.

    ``credential_env`` names the variable holding the credential so auth failures can say which one
    to fix; ``secrets`` are redacted from every message; ``before_request`` runs before each call
    (e.g. taking a token of a shared rate limit).
    """

    system = "http"

    def __init__(self, base_url: str, *, headers: Mapping[str, str] | None = None,
                 credential_env: str | None = None, secrets: list[str] | None = None,
                 timeout: httpx.Timeout | float = DEFAULT_TIMEOUT,
                 transport: httpx.BaseTransport | None = None,
                 before_request: Callable[[], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.credential_env = credential_env
        self.secrets = list(secrets or [])
        self.before_request = before_request
        self.client = httpx.Client(headers=dict(headers or {}), timeout=timeout, transport=transport,
                                   follow_redirects=True, verify=_ssl_context())

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def url(self, path: str) -> str:
        if path.startswith(("http://", "https://")):
            return path
        return f"{self.base_url}/{path.lstrip('/')}"

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        """Send one request; raise the right StepError for anything but a 2xx/3xx answer."""
        if self.before_request is not None:
            self.before_request()
        where = f"{self.system} {method} {self._shown(path)}"
        try:
            response = self.client.request(method, self.url(path), **kwargs)
        except httpx.TimeoutException:
            raise RetryableStepError(f"{where}: timed out") from None
        except httpx.TransportError as exc:
            raise RetryableStepError(f"{where}: connection failed ({type(exc).__name__})") from None
        self.raise_for_status(response, where)
        return response

    def get_json(self, path: str, **kwargs: Any) -> Any:
        return self._json(self.request("GET", path, **kwargs))

    def post_json(self, path: str, body: Any, **kwargs: Any) -> Any:
        return self._json(self.request("POST", path, json=body, **kwargs))

    def raise_for_status(self, response: httpx.Response, where: str) -> None:
        status = response.status_code
        if status < 400:
            return
        if status == 429:
            wait = self.throttle_wait(response)
            raise RateLimited(f"{where}: rate limited (HTTP 429), retry after {wait:g} s", retry_after=wait)
        if status >= 500 or status == 408:
            raise RetryableStepError(f"{where}: server error HTTP {status}")
        if status in (401, 403):
            cred = self.credential_env or "its credential"
            raise PermanentStepError(f"{where}: HTTP {status}, the credential was refused: check {cred}")
        raise Refused(f"{where}: HTTP {status}: {self._snippet(response)}", status=status)

    def throttle_wait(self, response: httpx.Response) -> float:
        """Seconds a 429 asks us to wait. HTTP's ``Retry-After`` here; a service that says it its own
        way (Uploadcare's header, Firecrawl's error text) overrides this."""
        return parse_retry_after(response.headers.get("Retry-After"))

    def _json(self, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            snippet = self._snippet(response)
            raise PermanentStepError(f"{self.system}: expected JSON, got {snippet!r}") from None

    def _snippet(self, response: httpx.Response) -> str:
        return redact(response.text[:_BODY_SNIPPET].replace("\n", " "), self.secrets)

    def _shown(self, path: str) -> str:
        return redact(path.split("?", 1)[0], self.secrets)
