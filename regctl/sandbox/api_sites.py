"""The restaurants' own websites, under ``/sites/<slug>/``.

Each index page has ``<link rel="icon">`` (ICO and 32×32 PNG), ``<meta name="theme-color">``,
``og:image``, a logo ``<img>`` (SVG on even-numbered fixtures, PNG on odd ones; both files always
exist), its brand colours in the page's CSS, address, phone, opening hours (closed days shown as
"Closed") and the menu. Assets: ``logo.png``, ``logo.svg``, ``favicon.ico``, ``favicon.png``,
``og.jpg`` and ``images/<dish-slug>.jpg``. A fixture without a website has no index page (404),
but its dish photos are still served (its delivery-platform listing links to them).
"""

from __future__ import annotations

from html import escape

from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import BaseRoute

from regctl.sandbox.fixtures import DAYS, RestaurantFixture
from regctl.sandbox.routing import api_route
from regctl.sandbox.world import World

__all__ = ["routes", "site_html"]


def _hours_rows(r: RestaurantFixture) -> str:
    slots: dict[str, list[str]] = {day: [] for day in DAYS}
    for row in r.opening_hours():
        slots[row["day"]].append(f"{row['open']}–{row['close']}")
    return "".join(
        f"<tr><th>{day}</th><td>{', '.join(s) if s else 'Closed'}</td></tr>" for day, s in slots.items()
    )


def _menu_html(r: RestaurantFixture) -> str:
    parts = []
    for category in r.menu():
        items = "".join(
            f"<li><span class=dish>{escape(i.name)}</span> <span class=price>${i.price:.2f}</span>"
            f"<p>{escape(i.description)}</p></li>"
            for i in category.items
        )
        parts.append(f"<section><h3>{escape(category.name)}</h3><ul>{items}</ul></section>")
    return "".join(parts)


def site_html(r: RestaurantFixture, base_url: str) -> str:
    """The index page of ``r``'s website (absolute og:image, relative assets)."""
    site = f"{base_url.rstrip('/')}/sites/{r.slug}"
    dark = r.theme == "dark"
    background, text = ("#111111", "#F5F5F5") if dark else ("#FFFFFF", "#1A1A1A")
    logo = "logo.svg" if r.index % 2 == 0 else "logo.png"
    name = escape(r.name)
    return f"""<!doctype html>
<html lang="en-NZ"><head>
<meta charset="utf-8"><title>{name}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="theme-color" content="{r.primary_colour}">
<meta name="description" content="{name} — {escape(r.address)}">
<meta property="og:title" content="{name}">
<meta property="og:image" content="{site}/og.jpg">
<link rel="icon" href="favicon.ico" sizes="any">
<link rel="icon" type="image/png" sizes="32x32" href="favicon.png">
<style>
 body {{ background: {background}; color: {text}; font-family: Inter, sans-serif; margin: 0; }}
 header {{ background: {r.primary_colour}; padding: 1rem; }}
 .button, .price {{ background: {r.secondary_colour}; color: {background}; padding: .2rem .5rem; }}
 h1, h2, h3 {{ color: {r.primary_colour}; font-family: Gabarito, sans-serif; }}
</style></head>
<body class="theme-{r.theme}">
<header><a href="./"><img class="logo" src="{logo}" alt="{name} logo" width="120" height="120"></a></header>
<main>
<h1>{name}</h1>
<p class="address">{escape(r.address)}</p>
<p class="phone"><a href="tel:{r.phone.replace(" ", "")}">{r.phone}</a></p>
<a class="button" href="{escape(r.ubereats_url)}">Order online</a>
<h2>Opening hours</h2><table class="hours">{_hours_rows(r)}</table>
<h2>Menu</h2>{_menu_html(r)}
</main>{_footer(r)}</body></html>
"""


def _footer(r: RestaurantFixture) -> str:
    # What a fixture prints at the foot of its site (a legal name, an NZBN): evidence for the matcher.
    return f'<footer class="legal">{escape(r.website_footer)}</footer>' if r.website_footer else ""


async def site_index(request: Request, world: World) -> Response:
    r = world.restaurant_by_slug(request.path_params["slug"])
    if r is None or not r.has_website:
        return HTMLResponse("<h1>404 Not Found</h1>", 404)
    return HTMLResponse(site_html(r, str(request.base_url)))


async def site_asset(request: Request, world: World) -> Response:
    found = world.media.site_asset(request.path_params["slug"], request.path_params["name"])
    if found is None:
        return HTMLResponse("<h1>404 Not Found</h1>", 404)
    data, content_type = found
    return Response(data, media_type=content_type, headers={"Cache-Control": "public, max-age=3600"})


async def sites_list(request: Request, world: World) -> Response:
    links = "".join(
        f'<li><a href="{r.slug}/">{escape(r.name)}</a></li>' for r in world.restaurants if r.has_website
    )
    return HTMLResponse(f"<!doctype html><title>Sandbox websites</title><ul>{links}</ul>")


def routes(world: World) -> list[BaseRoute]:
    return [
        api_route(world, "sites.list", "/", sites_list, ["GET"]),
        api_route(world, "sites.page", "/{slug}/", site_index, ["GET"]),
        api_route(world, "sites.asset", "/{slug}/{name:path}", site_asset, ["GET"]),
    ]
