"""The image CDN's Upload API (Uploadcare, upload.uploadcare.com), under ``/cdn``.

``POST /from_url/`` (form fields ``pub_key``, ``source_url``, ``store`` 0|1|auto, ``filename``,
``metadata[…]``, ``check_URL_duplicates`` 0|1: reuse the file an earlier upload of the same URL made,
``save_URL_duplicates``, ``signature``, ``expire``) → ``{"type": "token", "token": …}``;
``GET /from_url/status/?token=…`` → ``{"status": "progress", …}`` for the first poll(s), then
``{"status": "success", "uuid": …, …}`` or ``{"status": "error", "error": …}``;
``GET /info/?pub_key=…&file_id=…`` → file info. Files are *not* served here: they live on the CDN host
(``api_ucarecdn``, ucarecdn.com), so a file URL built on the upload host is a 404.
Errors are plain text with 400/403/404, as the Upload API answers; a field the API does not define is
refused (400) so a client relying on one finds out.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox import credentials
from regctl.sandbox.routing import api_route
from regctl.sandbox.world import World

__all__ = ["routes"]


FROM_URL_FIELDS = frozenset({"pub_key", "source_url", "store", "filename", "check_URL_duplicates",
                             "save_URL_duplicates", "signature", "expire"})
STATUS_PARAMS = frozenset({"token", "jsonerrors"})
INFO_PARAMS = frozenset({"pub_key", "file_id", "jsonerrors"})


def _unknown(names: list[str], allowed: frozenset[str]) -> Response | None:
    unknown = sorted(n for n in names if n not in allowed and not n.startswith("metadata["))
    return PlainTextResponse(f"Unknown parameter: {unknown[0]}.", 400) if unknown else None


def _key_problem(pub_key: str | None) -> Response | None:
    if not pub_key:
        return PlainTextResponse("pub_key is required.", 400)
    if pub_key != credentials.UPLOADCARE_PUBLIC_KEY:
        return PlainTextResponse(f"pub_key is invalid: {pub_key!r}.", 403)
    return None


async def from_url(request: Request, world: World) -> Response:
    form = await request.form()
    unknown = _unknown(list(form.keys()), FROM_URL_FIELDS)
    if unknown is not None:
        return unknown
    denied = _key_problem(str(form.get("pub_key") or ""))
    if denied is not None:
        return denied
    source_url = str(form.get("source_url") or "")
    if not source_url:
        return PlainTextResponse("source_url is required.", 400)
    filename = str(form.get("filename") or "")
    stored = str(form.get("store") or "auto") in ("1", "auto", "true")
    token = world.new_uuid("cdn-token")
    reuse = str(form.get("check_URL_duplicates") or "0") in ("1", "true")
    known = {f.uuid for f in world.media.files.values()}
    upload = world.media.start_upload(token, source_url, filename, stored, world.new_uuid, reuse)
    if upload.file_uuid in known:
        world.audit(
            "cdn",
            "POST",
            request.url.path,
            f"from_url duplicate source_url={source_url} uuid={upload.file_uuid}",
        )
        return JSONResponse({"type": "token", "token": token})
    outcome = f"uuid={upload.file_uuid}" if upload.file_uuid else f"error={upload.error}"
    world.audit(
        "cdn", "POST", request.url.path, f"from_url source_url={source_url} filename={filename} {outcome}"
    )
    return JSONResponse({"type": "token", "token": token})


async def from_url_status(request: Request, world: World) -> Response:
    unknown = _unknown(list(request.query_params.keys()), STATUS_PARAMS)
    if unknown is not None:
        return unknown
    token = request.query_params.get("token")
    if not token:
        return PlainTextResponse("token is required.", 400)
    return JSONResponse(world.media.poll(token))


async def file_info(request: Request, world: World) -> Response:
    unknown = _unknown(list(request.query_params.keys()), INFO_PARAMS)
    if unknown is not None:
        return unknown
    denied = _key_problem(request.query_params.get("pub_key"))
    if denied is not None:
        return denied
    file = world.media.files.get(request.query_params.get("file_id", ""))
    if file is None:
        return PlainTextResponse("File is not found.", 404)
    return JSONResponse(file.to_json())


def routes(world: World) -> list[BaseRoute]:
    return [
        api_route(world, "cdn.from_url", "/from_url/", from_url, ["POST"]),
        api_route(world, "cdn.status", "/from_url/status/", from_url_status, ["GET"]),
        api_route(world, "cdn.info", "/info/", file_info, ["GET"]),
    ]
