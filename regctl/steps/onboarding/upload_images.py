"""upload_images — put the selected menu's item images on the CDN (Uploadcare upload-from-URL).

Only images without a CDN id are sent, five at a time; each upload is polled until the CDN says
success or error (up to :data:`POLL_LIMIT_S`), and its CDN id, URL and filename are recorded at once,
so a retry after a partial failure sends only what is still missing. The upload token is recorded on
the image row as soon as the CDN returns it, before polling: a later attempt (after a failed poll, a
timeout or a killed supervisor) polls that token again instead of starting a second upload of the
same image, and starts again only when the CDN says the token is unknown or its upload failed.
Any failed image fails the attempt with a retryable error listing how many; import_menu runs *after*
this step whatever its outcome, and imports the images that made it. A 429 from the CDN fails no image:
the uploads not yet started are held back, and the step ends with RateLimited carrying the CDN's wait
(``X-Throttle-Wait-Seconds``), which the engine records as ``next_attempt_at`` without spending an attempt.
"""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import urlparse

from regctl.db.domain import DomainStore, records_for
from regctl.errors import PermanentStepError, RateLimited, RetryableStepError, StepError
from regctl.providers.cdn import MAX_FILENAME, Cdn
from regctl.steps.base import StepContext
from regctl.steps.onboarding import menu_records
from regctl.steps.onboarding.registration_common import JSON, selected_menu_id, target_of
from regctl.steps.registry import step_type

__all__ = ["CONCURRENCY", "cdn_filename", "upload_images"]

CONCURRENCY = 5
POLL_INTERVAL_S = 0.25
POLL_LIMIT_S = 60.0
_SLUG = re.compile(r"[^a-z0-9]+")


@dataclass(frozen=True)
class Outcome:
    image_id: int
    uuid: str | None = None
    error: str | None = None
    retryable: bool = True
    throttled: float | None = None  # the CDN said 429: wait this long; not a failure of the image


class Throttle:
    """Shared by the upload threads: once the CDN says 429, no further upload starts this attempt."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.wait: float | None = None

    def note(self, wait: float) -> None:
        with self._lock:
            self.wait = max(self.wait or 0.0, wait)


def _slug(text: str) -> str:
    return _SLUG.sub("-", text.lower()).strip("-")


def cdn_filename(category: str, item: str, source_url: str) -> str:
    """``<category-slug>-<URL basename>`` (or ``<item-slug>.jpg``), at most 100 characters."""
    base = PurePosixPath(urlparse(source_url).path).name
    name = f"{_slug(category)}-{base}" if base and "." in base else f"{_slug(category)}-{_slug(item)}.jpg"
    return name.strip("-")[:MAX_FILENAME]


def _wait_for(cdn: Cdn, token: str, beat: Callable[[], None]) -> str:
    """The CDN id once the upload succeeds. A failed poll raises (retryable); the token stays
    recorded, so the next attempt resumes it."""
    deadline = time.monotonic() + POLL_LIMIT_S
    while time.monotonic() < deadline:
        status = cdn.status(token)
        if status.status == "success" and status.uuid:
            return status.uuid
        if status.status == "error":
            raise PermanentStepError(f"the CDN could not fetch the image: {status.error or 'error'}")
        beat()
        time.sleep(POLL_INTERVAL_S)  # polling an upload in progress, not a retry
    raise RetryableStepError(f"the CDN did not finish the upload within {POLL_LIMIT_S:g} s")


def _upload_or_resume(ctx: StepContext, cdn: Cdn, store: DomainStore, image: menu_records.ImageToUpload,
                      filename: str) -> str:
    """The image's CDN id: the stored token's upload if the CDN still has it, else a new upload."""
    if image.cdn_token:
        status = cdn.status(image.cdn_token)
        if status.status == "success" and status.uuid:
            return status.uuid
        if status.status not in ("unknown", "error"):  # still in progress: keep polling it
            return _wait_for(cdn, image.cdn_token, ctx.heartbeat)
        # unknown or failed: no file came of that upload, so starting again cannot duplicate it
    token = cdn.start_upload(image.source_url, filename)
    store.record_cdn_token(image.image_id, token)
    return _wait_for(cdn, token, ctx.heartbeat)


def _upload_one(ctx: StepContext, cdn: Cdn, store: DomainStore, image: menu_records.ImageToUpload,
                throttle: Throttle) -> Outcome:
    filename = cdn_filename(image.category, image.item, image.source_url)
    if throttle.wait is not None:
        return Outcome(image.image_id, throttled=throttle.wait)
    try:
        ctx.check_cancelled()
        uuid = _upload_or_resume(ctx, cdn, store, image, filename)
    except RateLimited as exc:
        throttle.note(exc.retry_after or 0.0)
        return Outcome(image.image_id, throttled=exc.retry_after or 0.0)
    except StepError as exc:
        return Outcome(image.image_id, error=str(exc), retryable=exc.retryable)
    store.record_cdn_image(image.image_id, uuid=uuid, url=cdn.cdn_url(uuid), filename=filename)
    return Outcome(image.image_id, uuid=uuid)


def _summary(outcomes: list[Outcome], already: int) -> JSON:
    failed = [o for o in outcomes if o.error]
    held = [o for o in outcomes if o.throttled is not None]
    return {"uploaded": len(outcomes) - len(failed) - len(held), "already_on_cdn": already,
            "failed": len(failed), "throttled": len(held),
            "errors": sorted({o.error for o in failed if o.error})[:5]}


@step_type("upload_images", timeout=600.0, retries=3,
           description="Upload the menu's images to the CDN (five at a time), recording CDN ids")
def upload_images(ctx: StepContext) -> JSON:
    menu_id = selected_menu_id(ctx)
    if menu_id is None:
        return {"uploaded": 0, "already_on_cdn": 0, "failed": 0, "note": "no menu selected"}
    pending, already = menu_records.images_to_upload(ctx.database_url, menu_id)
    cdn = Cdn.for_target(target_of(ctx))
    store = records_for(ctx.database_url, ctx.organisation)
    throttle = Throttle()
    try:
        with ThreadPoolExecutor(max_workers=CONCURRENCY, thread_name_prefix="cdn") as pool:
            outcomes = list(pool.map(lambda image: _upload_one(ctx, cdn, store, image, throttle), pending))
    finally:
        cdn.close()
    result = _summary(outcomes, already)
    if result["failed"]:
        detail = "; ".join(result["errors"])
        error = RetryableStepError if any(o.retryable for o in outcomes if o.error) else PermanentStepError
        raise error(f"{result['failed']} of {len(pending)} images did not reach the CDN ({detail})")
    if throttle.wait is not None:
        raise RateLimited(f"the CDN is throttling uploads (HTTP 429): {result['uploaded']} uploaded, "
                          f"{result['throttled']} held back", retry_after=throttle.wait)
    return result
