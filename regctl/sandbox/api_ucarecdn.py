"""The image CDN's file host (Uploadcare's ucarecdn.com), under ``/ucarecdn`` — apart from the Upload API.

``GET /<uuid>/`` and ``GET /<uuid>/<operations…>`` (e.g. ``-/resize/200x/``, as ucarecdn.com applies
image operations in the path) → the file's bytes; an unknown uuid → 404 ``Not Found`` (plain text).
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox.routing import api_route
from regctl.sandbox.world import World

__all__ = ["routes"]


async def serve_file(request: Request, world: World) -> Response:
    file = world.media.files.get(request.path_params["uuid"])
    if file is None:
        return PlainTextResponse("Not Found", 404)
    return Response(
        file.data, media_type=file.content_type, headers={"Cache-Control": "public, max-age=31536000"}
    )


def routes(world: World) -> list[BaseRoute]:
    return [
        api_route(world, "cdn.file", "/{uuid:str}/", serve_file, ["GET"]),
        api_route(world, "cdn.file", "/{uuid:str}/{rest:path}", serve_file, ["GET"]),
    ]
