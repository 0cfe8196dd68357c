"""Contract: the extraction API (Firecrawl v2 /v2/scrape) and the restaurant websites."""

from __future__ import annotations

import io
import re
from typing import Any

import httpx
from PIL import Image

from regctl.sandbox import credentials
from regctl.sandbox.ground_truth import ground_truth
from regctl.sandbox.server import SandboxHandle

AUTH = {"Authorization": f"Bearer {credentials.FIRECRAWL_API_KEY}"}
STORE = "https://www.ubereats.com/nz/store/kai-pai-kitchen-ponsonby/6bf90ccd9fde7de4aae0ef"
MENU_SCHEMA = {
    "type": "object",
    "properties": {
        "categories": {
            "type": "array",
            "items": {
                "type": "object",
                "properties": {
                    "name": {"type": "string"},
                    "items": {
                        "type": "array",
                        "items": {
                            "type": "object",
                            "properties": {
                                "name": {"type": "string"},
                                "price": {"type": "number"},
                                "imageUrl": {"type": "string"},
                            },
                        },
                    },
                },
            },
        }
    },
}


def _scrape(sandbox: SandboxHandle, body: dict[str, Any], headers: dict[str, str] = AUTH) -> httpx.Response:
    return httpx.post(sandbox.urls["extraction_api"] + "/v2/scrape", json=body, headers=headers)


def test_json_format_returns_the_store_menu_shaped_by_the_schema(sandbox: SandboxHandle) -> None:
    answer = _scrape(sandbox, {"url": STORE, "formats": [{"type": "json", "schema": MENU_SCHEMA}]}).json()
    assert answer["success"] is True and answer["data"]["metadata"]["statusCode"] == 200
    categories = answer["data"]["json"]["categories"]
    truth = ground_truth()["restaurants"]["kai-pai-kitchen-ponsonby"]["menu"]
    assert len(categories) == truth["categories"]
    items = [i for c in categories for i in c["items"]]
    assert [i["name"] for i in items] == [i["name"] for i in truth["item_list"]]
    assert set(items[0]) == {"name", "price", "imageUrl"} and isinstance(items[0]["price"], float)
    image = httpx.get(items[0]["imageUrl"])
    assert image.headers["content-type"] == "image/jpeg" and Image.open(io.BytesIO(image.content)).size == (
        480,
        360,
    )


def test_json_with_only_a_prompt_returns_the_canonical_menu_with_option_sets(sandbox: SandboxHandle) -> None:
    data = _scrape(sandbox, {"url": STORE, "formats": [{"type": "json", "prompt": "the menu"}]}).json()[
        "data"
    ]
    burger = data["json"]["categories"][0]["items"][0]
    assert burger["dishName"] == "Classic Kiwi Burger" and burger["dishPrice"] == 18.5
    extras = burger["optionSets"][0]
    assert extras["name"] == "Add extras" and extras["required"] is False and extras["maxSelections"] == 4
    assert extras["options"][0] == {"name": "Cheese", "price": "+$1.50", "priceValue": 1.5}


def test_branding_format_returns_colours_logo_favicon_og_image(sandbox: SandboxHandle) -> None:
    url = sandbox.urls["websites"] + "/kai-pai-kitchen-ponsonby/"
    branding = _scrape(sandbox, {"url": url, "formats": ["branding"]}).json()["data"]["branding"]
    truth = ground_truth()["restaurants"]["kai-pai-kitchen-ponsonby"]["branding"]
    assert branding["colors"]["primary"] == truth["primary_colour"]
    assert branding["colors"]["accent"] == truth["secondary_colour"]
    assert branding["colorScheme"] == truth["theme"]
    assert branding["images"]["logo"].endswith(truth["logo_path"])
    assert httpx.get(branding["images"]["favicon"]).headers["content-type"] == "image/png"
    assert httpx.get(branding["images"]["ogImage"]).headers["content-type"] == "image/jpeg"


def test_example_nz_host_maps_to_the_fixture(sandbox: SandboxHandle) -> None:
    data = _scrape(
        sandbox, {"url": "https://kaipaikitchenponsonby.example.nz/", "formats": ["branding"]}
    ).json()
    assert data["data"]["branding"]["colors"]["primary"].startswith("#")


def test_unknown_url_is_a_404_page(sandbox: SandboxHandle) -> None:
    data = _scrape(sandbox, {"url": "https://nowhere.example.com/", "formats": ["markdown"]}).json()["data"]
    assert data["metadata"]["statusCode"] == 404 and data["markdown"] == ""


def test_auth_and_validation_errors(sandbox: SandboxHandle) -> None:
    denied = _scrape(sandbox, {"url": STORE}, headers={"Authorization": "Bearer fc-wrong"})
    assert denied.status_code == 401 and denied.json()["success"] is False
    assert _scrape(sandbox, {"formats": ["markdown"]}).status_code == 400
    assert _scrape(sandbox, {"url": STORE, "formats": ["nonsense"]}).status_code == 400
    assert _scrape(sandbox, {"url": STORE, "formats": [{"type": "json"}]}).status_code == 400


def test_website_has_icon_theme_colour_og_image_and_logo(sandbox: SandboxHandle) -> None:
    page = httpx.get(sandbox.urls["websites"] + "/texas-chicken-henderson/").text
    truth = ground_truth()["restaurants"]["texas-chicken-henderson"]["branding"]
    assert f'<meta name="theme-color" content="{truth["primary_colour"]}">' in page
    assert 'rel="icon"' in page and 'property="og:image"' in page
    logo = re.search(r'<img class="logo" src="([^"]+)"', page)
    assert logo is not None and truth["logo_path"].endswith(logo.group(1))
    for name in ("logo.png", "logo.svg", "favicon.ico", "favicon.png", "og.jpg"):
        assert httpx.get(f"{sandbox.urls['websites']}/texas-chicken-henderson/{name}").status_code == 200
    assert "Closed" in httpx.get(sandbox.urls["websites"] + "/spice-route-mount-eden/").text


def test_brand_colours_differ_between_restaurants() -> None:
    colours = [
        t["branding"]["primary_colour"] for t in ground_truth()["restaurants"].values() if t["branding"]
    ]
    assert len(set(colours)) == len(colours)


def test_a_restaurant_without_a_website_has_none(sandbox: SandboxHandle) -> None:
    assert httpx.get(sandbox.urls["websites"] + "/cantina-del-sur-ponsonby/").status_code == 404
    assert httpx.get(sandbox.urls["websites"] + "/no-such-place/logo.png").status_code == 404


def test_scrape_refuses_an_unknown_body_key_as_firecrawl_does(sandbox: SandboxHandle) -> None:
    url = sandbox.urls["extraction_api"] + "/v2/scrape"
    body = {"url": STORE, "formats": ["markdown"], "extract": {"schema": {}}}
    answer = httpx.post(url, json=body, headers=AUTH)
    assert answer.status_code == 400
    body = answer.json()
    assert (body["success"], body["code"], body["error"]) == (False, "BAD_REQUEST", "Bad Request")
    assert body["details"][0]["code"] == "unrecognized_keys" and body["details"][0]["keys"] == ["extract"]
    nested = httpx.post(url, json={"url": STORE, "formats": [{"type": "json", "prompt": "x", "mode": "llm"}]},
                        headers=AUTH)
    assert nested.status_code == 400 and nested.json()["details"][0]["path"] == ["formats", 0]


def test_a_firecrawl_429_gives_its_wait_in_the_error_text(sandbox: SandboxHandle) -> None:
    burst = {"burst_429": {"every": 1, "length": 1, "retry_after": 47}}
    sandbox.set_faults({"faults": {"firecrawl.scrape": burst}})
    answer = httpx.post(sandbox.urls["extraction_api"] + "/v2/scrape", json={"url": STORE}, headers=AUTH)
    assert answer.status_code == 429 and "Retry-After" not in answer.headers
    assert "please retry after 47s" in answer.json()["error"]


def test_the_companies_office_search_page(sandbox: SandboxHandle) -> None:
    from regctl.providers.companies_office import SEARCH_SCHEMA, address_search_url

    answer = httpx.post(sandbox.urls["extraction_api"] + "/v2/scrape", headers=AUTH, json={
        "url": address_search_url("12 Wairere Drive", "Hamilton"),
        "formats": [{"type": "json", "schema": SEARCH_SCHEMA}]}).json()
    page = answer["data"]["json"]
    assert page["total_results"] == len(page["companies"]) >= 1
    assert set(page["companies"][0]) == set(SEARCH_SCHEMA["properties"]["companies"]["items"]["properties"])
