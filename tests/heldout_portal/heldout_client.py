"""A held-out client for the REAL Pumpd admin portal and marketing hub, run against the sandbox.

Written from ../shared/reference/real-portal-pages.md (and prior-system-steps.md) only, without
reading regctl's sandbox or page objects: every selector, text and wait below is the one the prior
system's production scripts used on the live pages (the section of the reference is cited next to
it). It drives each onboarding flow the way those scripts did and prints one JSON line per flow:

    {"flow": "...", "ok": true|false, "step": "<the step that failed>", "error": "...", "facts": {...}}

Usage: python heldout_client.py --api http://127.0.0.1:PORT --domain pumpd.test [--flows a,b]

The admin portal is reached as http://admin.<domain>/ and the hub as http://manage.<domain>/ with
Chromium's --host-resolver-rules mapping both names to the sandbox's port (as `regctl sandbox serve`
prints). Nothing here is tuned to the sandbox: where the real scripts have one primary selector, the
client uses it and nothing else, so a sandbox that only satisfies a fallback fails here.

Deliberate differences from the prior scripts, none of which makes the client more lenient:
- fixed sleeps (2-15 s) are replaced by waiting for the element the next step needs, and a few short
  pauses where the script's next action needs the UI to have settled (§18.1);
- time inputs are cleared with Control+A instead of Meta+A (§2 #22: Meta+A is macOS only);
- steps the scripts only warned about (locale, timezone, currency) are failures here: the flow must
  go through, not "complete with warnings".
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import re
import struct
import sys
import tempfile
import time
import urllib.request
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, BrowserContext, Page, sync_playwright

# ------------------------------------------------------------------ constants from the reference --

# §3.1 / prior-system-steps §5: the bot-detection workaround the prior scripts ran with.
USER_AGENT = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/131.0.0.0 Safari/537.36"
)

KP = "div.group__FormGroupContent-ccjnpO.kpPgpj"  # §1.8 form group content
CONTENT_PATH = "#scroll-root > div > div > div > div > div"  # §1.5 six levels down
SECTION = CONTENT_PATH + " > div.section__SettingsSectionWrapper-VLcLJ.gVhfCf > div > div:nth-child({n})"
OPEN = (
    CONTENT_PATH + " > div.section__SettingsSectionWrapper-VLcLJ.gVhfCf > div > "
    "div.block__Block-ljvlRq.epsQby > div.block__Content-bopatn.lbcjnQ"
)  # §9
SWATCH = "div.colorpicker__SwatchWrapper-kmfhwV.hqNLmj"  # §11.2
HEX_INPUT = (
    "div.colorpicker__DropWrapper-hDQMcy.cAaOXs > div > div:nth-child(2) > div:nth-child(2) > "
    "div.flexbox-fix > div > div > input"
)  # §11.1 Colors / §8
# §1.10 inner tab bars; §7 / §8 the items tree's root expander
INNER_TAB = (
    "#{name}-tab-options-tab-select-content > div.components__TabSelectOptionsComponent-USxIn.cCRcoK > "
    "div:nth-child({n}) > div"
)
TREE_ROOT = "form > div > div:nth-child(1) > div > div > div > div > div > div > div.cursor.flex-center > svg"
ERROR_TEXT = re.compile(r"Error|Failed|Invalid|Blocked|limit|rejected", re.I)  # §6.2 IM:594

# §17.1 OP:91, verbatim (the hub's yellow login button inside the Radix "login" tab panel).
HUB_LOGIN_BUTTON = (
    r"#radix-\:r0\:-content-login > form > button.inline-flex.items-center.justify-center.gap-2."
    r"whitespace-nowrap.rounded-md.text-sm.font-medium.ring-offset-background.transition-colors."
    r"focus-visible\:outline-none.focus-visible\:ring-2.focus-visible\:ring-ring."
    r"focus-visible\:ring-offset-2.disabled\:pointer-events-none.disabled\:opacity-50."
    r"\[\&_svg\]\:pointer-events-none.\[\&_svg\]\:size-4.\[\&_svg\]\:shrink-0.h-10.px-4.py-2.w-full."
    r"relative.bg-brand-yellow.hover\:bg-brand-yellow-light-1.text-brand-dark-text."
    r"\[\&_svg\]\:text-brand-dark-text.\[\&_svg\]\:stroke-brand-dark-text"
)

# §6.2: the header the portal's CSV import accepts.
CSV_HEADER = (
    "menuID,menuName,menuDisplayName,menuDescription,categoryID,categoryName,categoryDisplayName,"
    "categoryDescription,dishID,dishName,dishPrice,dishType,dishDescription,displayName,printName,"
    "tags,isCDNImage,imageCDNID,imageCDNFilename,imageExternalURL"
)
MENU = {  # category -> [(dish, price, description)]
    "Burgers": [
        ("Pork Belly Burger", "26.49", "Slow-cooked pork belly, slaw"),
        ("Chicken Burger", "22.00", "Crispy chicken, aioli"),
    ],
    "Drinks": [("Lemonade", "6.50", "House-made")],
}

# prior-system-steps §2: option sets as the prior system passed them to OS.
OPTION_SETS = [
    {
        "name": "Choose Size",
        "display": "Size",
        "required": True,
        "multiple": False,
        "min": 1,
        "max": 1,
        "options": [("Regular", 0.0), ("Large", 2.5)],
        "items": ["Pork Belly Burger", "Chicken Burger"],
    },
    {
        "name": "Add Extras",
        "display": "Extras",
        "required": False,
        "multiple": True,
        "min": 0,
        "max": 3,
        "options": [("Cheese", 1.0), ("Bacon", 2.0)],
        "items": ["Chicken Burger"],
    },
]
ITEM_TAGS = [("Popular", "#b400fa", ["Pork Belly Burger"]), ("Vegan", "#36AB36", [])]  # §8 presets


class FlowFailed(Exception):
    pass


class Run:
    """One flow: which step it is at, facts it read, and the outcome."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.step = "start"
        self.facts: dict[str, Any] = {}

    @contextmanager
    def at(self, step: str) -> Iterator[None]:
        self.step = step
        yield


# ------------------------------------------------------------------------------- small helpers --


def pause(page: Page, ms: int) -> None:
    page.wait_for_timeout(ms)


def strict_click(page: Page, selector: str, timeout: float = 15_000) -> None:
    """A **U** selector (§18.2): it must match exactly one element; Playwright's strictness checks it."""
    page.locator(selector).click(timeout=timeout)


def png_bytes(colour: tuple[int, int, int] = (200, 40, 40), size: int = 32) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    row = b"\x00" + bytes(colour) * size
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", size, size, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(row * size))
        + chunk(b"IEND", b"")
    )


def register_account(api: str, email: str, phone: str, password: str) -> None:
    """prior-system-steps §1 step 1: the CloudWaitress register API (sandbox credentials: docs/sandbox.md)."""
    secret, integrator = "CWS_sandbox_secret", "CWI_sandbox"
    sig = hmac.new(secret.encode(), (email + phone + password).encode(), hashlib.sha256).hexdigest()

    def post(path: str, body: dict[str, str]) -> dict[str, Any]:
        req = urllib.request.Request(
            api + "/platform-api/users/register/" + path,
            json.dumps(body).encode(),
            {"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(req, timeout=30) as resp:
            answer: dict[str, Any] = json.loads(resp.read())
        if answer.get("outcome") != 0:
            raise FlowFailed(f"register {path}: {answer}")
        return answer

    start = post(
        "start",
        {"integrator_id": integrator, "email": email, "phone": phone, "password": password, "signature": sig},
    )
    post("verify", {"token": start["token"], "email_confirmation_code": "sandbox-admin-code"})


def normalise(name: str) -> str:
    return re.sub(r"\s+", " ", name.lower().replace("'", "").replace("\u2019", "")).strip()


def fuzzy_pick(names: list[str], wanted: str) -> int:
    """§3.3 the scripts' fuzzy match (LR:726-800): highest score, first index on a tie."""
    want = normalise(wanted)
    words = [w for w in want.split(" ") if len(w) > 1]
    best, best_i = 0, -1
    for i, raw in enumerate(names):
        name = normalise(raw)
        if name == want:
            score = 1000
        else:
            score, matched = 0, 0
            name_words = name.split(" ")
            for w in words:
                if w in name_words:
                    score, matched = score + 10, matched + 1
                elif any(
                    abs(len(n) - len(w)) <= 2 and sum(a != b for a, b in zip(n, w, strict=False)) <= 1
                    for n in name_words
                ):
                    score, matched = score + 8, matched + 1
                elif any(w in n or n in w for n in name_words):
                    score, matched = score + 5, matched + 1
            if words and matched == len(words):
                score += 50
            score -= 2 * max(0, len(name_words) - len(words))
            if score <= 0 and want in name:
                score = 25
        if score > best:
            best, best_i = score, i
    return best_i


# ------------------------------------------------------------------------------- the portal ----


class Portal:
    def __init__(self, ctx: BrowserContext, domain: str, email: str, password: str) -> None:
        self.ctx = ctx
        self.host = f"admin.{domain}"
        self.base = f"http://{self.host}"
        self.email, self.password = email, password

    def new_page(self) -> Page:
        page = self.ctx.new_page()
        page.on("dialog", lambda d: d.accept())  # §18.2: every native dialog is accepted (WD:189-197)
        return page

    # §3.2 login, §20.1
    def login(self, run: Run, page: Page) -> None:
        with run.at("login: open /login"):
            page.goto(self.base + "/login", wait_until="domcontentloaded", timeout=60_000)
            page.wait_for_selector('input[type="email"]', timeout=30_000)  # PTO advice
        with run.at("login: fill and submit"):
            page.fill('input[type="email"]', self.email)
            page.fill('input[type="password"]', self.password)
            count = page.locator('button[type="submit"]').count()
            if count != 1:
                raise FlowFailed(f'button[type="submit"] matched {count} elements, the real page has one')
            strict_click(page, 'button[type="submit"]')
        with run.at("login: wait for the dashboard"):
            page.wait_for_url(f"**/{self.host}/**", timeout=15_000)
            # LR:218-221 - not tolerated by LR/IM.
            page.wait_for_function(
                "() => { const l = document.querySelector('.cover-loader');"
                " return !l || !l.classList.contains('active'); }",
                timeout=12_000,
            )
            # The list is at / titled "Dashboard" [R] SES:8: the SPA must get there by itself.
            page.wait_for_url(re.compile(rf"^https?://{re.escape(self.host)}/?$"), timeout=15_000)
            page.wait_for_function("() => document.title === 'Dashboard'", timeout=15_000)
        with run.at("dashboard: facts"):
            # [R] RWY:40 Uploadcare's CSS is in every admin page's HTML; §1.3 the SPA keeps one document
            run.facts["uploadcare_css"] = "uploadcare--" in page.content()
            page.evaluate("window.__heldout = 'one document'")
            run.facts["h4_outside_list"] = page.evaluate(
                "[...document.querySelectorAll('h4')]"
                ".filter(h => !h.closest('[id^=restaurant-list-item-]')).length"
            )

    # §3.3, §5, LR:802-868
    def manage(self, run: Run, page: Page, name: str) -> str:
        with run.at("dashboard: wait for Manage buttons"):
            page.wait_for_selector('button:has-text("Manage")', timeout=15_000)
        with run.at("dashboard: fuzzy-match the h4 names"):
            names = page.locator("h4").all_text_contents()
            i = fuzzy_pick(names, name)
            if i < 0:
                raise FlowFailed(f"no h4 matches {name!r}: {names}")
            item = page.locator(f"#restaurant-list-item-{i}")
            if item.count() != 1 or name.lower() not in normalise(item.inner_text()):
                raise FlowFailed(f"h4 #{i} {names[i]!r} is not in #restaurant-list-item-{i}")
        with run.at("dashboard: click Manage"):
            page.locator(f'#restaurant-list-item-{i} button:has-text("Manage")').first.click()
            page.wait_for_url(f"**/{self.host}/restaurant/**", timeout=15_000)
        with run.at("restaurant page: read the RES id"):
            m = re.search(r"/restaurant/(RES[A-Za-z0-9_-]+)", page.url, re.I)
            if not m:
                raise FlowFailed(f"no RES id in {page.url}")
            page.wait_for_selector("#nav-link-settings", state="visible", timeout=10_000)  # SV:327-368
            if not self.same_document(page):
                raise FlowFailed("Manage loaded a new document: the real portal routes client-side (§18.2)")
            return m.group(1)

    def login_flow(self, run: Run) -> None:
        page = self.new_page()
        self.login(run, page)
        with run.at("dashboard: never network-idle ([R] SES:8,9)"):
            fresh = self.new_page()
            fresh.goto(self.base + "/", wait_until="domcontentloaded")
            fresh.wait_for_selector('h4, button:has-text("Create New Restaurant")', timeout=15_000)
            try:
                fresh.wait_for_load_state("networkidle", timeout=5_000)
                run.facts["dashboard_network_idle"] = True
            except Exception:
                run.facts["dashboard_network_idle"] = False

    def bot_detection(self, run: Run, browser: Browser) -> None:
        """[R] RWY:19,30,36-44: the default headless user agent gets "Admin Dashboard" with no form."""
        with run.at("bot detection: /login with the default headless user agent"):
            ctx = browser.new_context()
            try:
                page = ctx.new_page()
                page.goto(self.base + "/login", wait_until="domcontentloaded")
                pause(page, 1000)
                run.facts["user_agent_headless"] = "HeadlessChrome" in page.evaluate("navigator.userAgent")
                run.facts["title"] = page.title()
                run.facts["forms_inputs"] = [page.locator("form").count(), page.locator("input").count()]
            finally:
                ctx.close()
            if run.facts["forms_inputs"] != [0, 0] or run.facts["title"] != "Admin Dashboard":
                raise FlowFailed(f"a headless user agent got {run.facts}: the real portal shows no form")

    @staticmethod
    def same_document(page: Page) -> bool:
        """§1.3, §18.2: Manage, Settings, the tabs, sections and saves change the view without a load."""
        return bool(page.evaluate("window.__heldout === 'one document'"))

    def open_restaurant(self, run: Run, name: str) -> Page:
        page = self.new_page()
        self.login(run, page)
        run.facts["restaurant_id"] = self.manage(run, page, name)
        return page

    # ------------------------------------------------------------------ create restaurant §4 ----
    def create_restaurant(self, run: Run, r: dict[str, Any]) -> None:  # noqa: C901 - one script, LR
        page = self.new_page()
        self.login(run, page)
        with run.at('create: click "Create New Restaurant"'):
            count = page.locator('button:has-text("Create New Restaurant")').count()
            if count != 1:  # LR:233-246: counted, then clicked strictly [R] SES:8
                raise FlowFailed(f'"Create New Restaurant" matched {count}')
            strict_click(page, 'button:has-text("Create New Restaurant")')
            page.wait_for_selector("form", timeout=10_000)
            url_before = page.url
        form_row = "form > div:nth-child({n}) > div > " + KP
        with run.at("create: name (first text input)"):
            page.locator('form input[type="text"]').first.fill(r["name"])
        with run.at("create: subdomain (input-group wrapper, typed)"):
            strict_click(page, "div.inputgroup__InputGroupField-cWVTlp.ezKAHp")  # LR:286-308 [R]
            pause(page, 200)
            page.keyboard.type(r["subdomain"])
            typed = page.locator("div.inputgroup__InputGroupField-cWVTlp.ezKAHp input").input_value()
            if typed != r["subdomain"]:
                raise FlowFailed(f"the subdomain input holds {typed!r} after typing {r['subdomain']!r}")
        with run.at('create: "Google Maps"'):
            page.locator('button:has-text("Google Maps")').click()  # LR:318 [R]
            pause(page, 300)
        with run.at("create: address (selectasync)"):
            strict_click(page, form_row.format(n=4) + " > div > div.selectasync__WrapperInner-fSgFTI.eMHWRb")
            pause(page, 500)
            page.keyboard.type(r["address"])
            page.wait_for_function(  # LR:353-363: a non-"Loading" first option within ~12 s
                """() => { const d = document.querySelector('div.selectasync__Dropdown-bYdgnM.dIqlbY');
                           if (!d) return false; const first = d.querySelector('div');
                           return !!first && !first.textContent.includes('Loading'); }""",
                timeout=12_000,
            )
            first_part = r["address"].split(",")[0]
            option = page.locator("div.selectasync__DropdownOption-gQpgNZ", has_text=first_part).first
            if option.count() == 0:
                option = page.locator("div.selectasync__DropdownOption-gQpgNZ").first
            option.hover()
            pause(page, 300)
            option.click()
        with run.at("create: phone"):
            page.fill('input[type="tel"]', r["phone"])  # LR:394
        hours = r["hours"]
        with run.at('create: hours - "Add Time Slot"'):
            for _ in range(len(hours) - 1):
                strict_click(page, 'button:has-text("Add Time Slot")')  # LR:457-467, U
                pause(page, 150)
        with run.at("create: hours - day selects"):
            days = page.locator("select").filter(has=page.locator('option:has-text("Monday")'))
            if days.count() != len(hours):
                raise FlowFailed(f"{days.count()} day selects for {len(hours)} rows")
            for i, (day, _, _) in enumerate(hours):
                days.nth(i).select_option(day)
        with run.at("create: hours - time text inputs"):
            times = page.locator('form > div:nth-child(6) input[type="text"]')
            if times.count() != 2 * len(hours):
                raise FlowFailed(f"{times.count()} time inputs in row 6 for {len(hours)} rows")
            for i, (_, opens, closes) in enumerate(hours):
                for j, value in ((2 * i, opens), (2 * i + 1, closes)):
                    times.nth(j).click()
                    page.keyboard.press("Control+A")
                    page.keyboard.press("Backspace")
                    page.keyboard.type(value)
        for row, label, typed in (
            (7, "System Locale", r["locale"]),
            (9, "Timezone", r["timezone"]),
            (12, "Currency", r["currency"]),
        ):
            with run.at(f"create: {label} (selectadv row {row})"):
                page.locator(f"h2, h3, h4, div >> text={label}").first.scroll_into_view_if_needed()
                strict_click(page, form_row.format(n=row) + " > div")  # LR:545-640, U
                pause(page, 500)
                page.keyboard.type(typed)
                pause(page, 800)
                opt = page.locator(
                    form_row.format(n=row) + " > div > div.selectadv__Dropdown-eSUwYi.dtQnDO > div"
                )
                chosen = opt.first.inner_text()
                if typed.lower() not in chosen.lower():  # Appendix A: the first option must be the wanted one
                    raise FlowFailed(f"typing {typed!r} left {chosen!r} as the first option")
                opt.first.click()
        with run.at('create: "Tax in Prices" toggle label (row 13)'):
            strict_click(page, form_row.format(n=13) + " > div > label")  # LR:659, U
        with run.at("create: submit (form > button)"):
            strict_click(page, "form > button")  # LR:674, U
        with run.at("create: back on the dashboard with the new restaurant"):
            page.wait_for_url(f"**/{self.host}/**", timeout=30_000)
            page.wait_for_selector("form", state="detached", timeout=16_000)  # §20.3 the modal closes
            if page.url != url_before:
                run.facts["url_changed"] = page.url
            page.wait_for_function(
                "n => [...document.querySelectorAll('h4')].some(h => h.textContent.trim() === n)",
                arg=r["name"],
                timeout=16_000,
            )
        run.facts["restaurant_id"] = self.manage(run, page, r["name"])
        with run.at("restaurant page: network-idle (LR:868, unguarded)"):
            page.wait_for_load_state("networkidle", timeout=30_000)
        page.close()

    # ------------------------------------------------------------------------ menus §6-§8 ----
    def open_menus(self, run: Run, page: Page) -> None:
        with run.at("menus: #nav-link-menus"):
            page.locator("#nav-link-menus").click()  # IM:421
            page.wait_for_load_state("domcontentloaded")

    def import_csv(self, run: Run, name: str, csv_path: Path) -> None:
        page = self.open_restaurant(run, name)
        self.open_menus(run, page)
        with run.at("csv: header button 3 (CSV import)"):
            page.locator(
                CONTENT_PATH + " > div.flex-l-r-center.m-b-6 > div > div:nth-child(3) > button"
            ).click(timeout=15_000)
        with run.at('csv: type "import" in the confirmation input'):
            box = page.locator("div.content__Content-hOzsB.UWPkM input").first
            box.click()
            box.fill("import")
        with run.at('csv: "Proceed"'):
            page.locator('button:has-text("Proceed")').click()
        with run.at("csv: set the file"):
            page.locator('input[type="file"]').first.set_input_files(str(csv_path))
        with run.at('csv: "Upload"'):
            page.locator('button:has-text("Upload"):visible').click()
        with run.at("csv: the modal closes silently"):
            pause(page, 1000)
            body = page.locator("body").inner_text()
            hit = ERROR_TEXT.search(body)
            if hit:
                raise FlowFailed(
                    f"error text after upload: {body[max(0, hit.start() - 60) : hit.end() + 60]!r}"
                )
            page.wait_for_selector("div.content__Content-hOzsB.UWPkM", state="detached", timeout=30_000)
        page.close()

    def import_rejected(self, run: Run, name: str, csv_path: Path) -> None:
        """S7:255-261: an invalid CSV is rejected, with error text within the 5 s IM waits (IM:591-603)."""
        page = self.open_restaurant(run, name)
        self.open_menus(run, page)
        with run.at("bad csv: open, confirm, proceed, upload"):
            page.locator(
                CONTENT_PATH + " > div.flex-l-r-center.m-b-6 > div > div:nth-child(3) > button"
            ).click()
            page.locator("div.content__Content-hOzsB.UWPkM input").first.fill("import")
            page.locator('button:has-text("Proceed")').click()
            page.locator('input[type="file"]').first.set_input_files(str(csv_path))
            page.locator('button:has-text("Upload"):visible').click()
        with run.at("bad csv: error text within 5 s"):
            deadline = time.monotonic() + 5
            while not ERROR_TEXT.search(page.locator("body").inner_text()):
                if time.monotonic() > deadline:
                    raise FlowFailed(
                        "no error text 5 s after uploading an invalid CSV: IM would report success"
                    )
                pause(page, 250)
            text = page.locator("body").inner_text()
            hit = ERROR_TEXT.search(text)
            run.facts["error"] = text[max(0, hit.start() - 40) : hit.end() + 60] if hit else ""

    def _menu_tab(self, page: Page, n: int) -> None:
        page.locator(
            CONTENT_PATH + f" > div.group__ButtonGroupComponent-dVAWMN.puSOV.bsl-1 > button:nth-child({n})"
        ).click()  # OS:113-114; IT:471-476

    def _create_button(self, page: Page) -> None:
        page.locator(
            CONTENT_PATH + " > div.m-t-8 > div.grid-2.xs.xs-gap.m-t-10 > div:nth-child(1) > div > button"
        ).click()  # OS:117; IT:95

    def _tick_items(self, run: Run, page: Page, items: list[str], root: str) -> None:
        # OS:653-659 tolerates a failure here ("may already be expanded")
        with run.at("tree: expand the root"), suppress(Exception):
            page.locator(root).first.click(timeout=3_000)
        with run.at("tree: expand the categories"):
            chevrons = page.locator("form div.m-l-2 > div > div > div.cursor.flex-center > svg")
            for i in range(chevrons.count()):
                chevrons.nth(i).click()
                pause(page, 100)
        for item in items:
            with run.at(f"tree: tick {item!r}"):
                spans = page.locator(f'span.m-l-2:text-is("{item}")')
                if spans.count() == 0:
                    raise FlowFailed(f"no span.m-l-2 {item!r} in the items tree")
                for i in range(spans.count()):
                    spans.nth(i).locator("xpath=ancestor::label").first.click()  # OS:684-691

    def option_sets(self, run: Run, name: str) -> None:
        page = self.open_restaurant(run, name)
        self.open_menus(run, page)
        with run.at('option sets: tab "Option Sets" (button 2)'):
            self._menu_tab(page, 2)
        tab = INNER_TAB.format(name="option-set", n="{n}")
        row = "form > div > div:nth-child(1) > div:nth-child({n}) > div > " + KP
        with run.at("option sets: Escape closes an unsaved dialog (OS:724-730)"):
            self._create_button(page)
            page.locator(row.format(n=2) + " > input").wait_for()
            page.keyboard.press("Escape")
            page.wait_for_selector("form", state="detached", timeout=2_000)
        created = 0
        for s in OPTION_SETS:
            with run.at(f"option set {s['name']}: Create"):
                self._create_button(page)
            with run.at(f"option set {s['name']}: name and display name"):
                page.locator(row.format(n=2) + " > input").fill(s["name"])  # OS:120, U
                page.locator(row.format(n=3) + " > input").fill(s["display"])  # OS:121, U
            with run.at(f"option set {s['name']}: Conditions tab"):
                page.locator(tab.format(n=3)).click()
                if s["required"]:
                    page.locator(row.format(n=1) + " > div > label").click()
                if s["multiple"]:
                    page.locator(row.format(n=2) + " > div > label").click()
                if s["max"] > 1:
                    page.locator(row.format(n=3) + " > div > label").click()
                page.locator(row.format(n=4) + " > input").click()
                page.locator(row.format(n=4) + " > input").fill(str(s["min"]))
                page.locator(row.format(n=5) + " > input").fill(str(s["max"]))
            with run.at(f"option set {s['name']}: Options tab"):
                page.locator(tab.format(n=2)).click()
                add = page.locator(
                    "form > div > div:nth-child(1) > div > div > div > div:nth-child(2) > button"
                )
                for _ in s["options"]:
                    add.click()
                    pause(page, 100)
                rows = page.locator("form table tbody tr")
                if rows.count() != len(s["options"]):
                    raise FlowFailed(f"{rows.count()} option rows after {len(s['options'])} Add Option")
                for i, (opt, price) in enumerate(s["options"]):
                    r = rows.nth(i)
                    r.locator('input[type="text"]').nth(0).fill(opt)
                    r.locator('input[type="text"]').nth(1).fill(opt)
                    if price > 0:
                        r.locator('input[type="number"]').nth(0).fill(f"{price:.2f}")
            with run.at(f"option set {s['name']}: Add / Remove From Items tab"):
                page.locator(tab.format(n=4)).click()
            self._tick_items(
                run,
                page,
                s["items"],
                TREE_ROOT,
            )
            with run.at(f"option set {s['name']}: Save and the dialog closes"):
                page.locator("form > div > div:last-child > button").click()  # OS:142
                page.wait_for_selector("form", state="detached", timeout=30_000)
                created += 1
        run.facts["created"] = f"{created}/{len(OPTION_SETS)}"
        page.close()

    def item_tags(self, run: Run, name: str) -> None:
        page = self.open_restaurant(run, name)
        self.open_menus(run, page)
        with run.at('item tags: tab "Item Tags" (button 3)'):
            self._menu_tab(page, 3)
        field = "form > div > div:nth-child(3) > div:nth-child({n}) > div > " + KP
        for tag, colour, items in ITEM_TAGS:
            with run.at(f"tag {tag}: Create"):
                self._create_button(page)
            with run.at(f"tag {tag}: name and text"):
                page.locator(field.format(n=1) + " > input").fill(tag)  # IT:96, U
                page.locator(field.format(n=2) + " > input").fill(tag)  # IT:97, U
            with run.at(f"tag {tag}: colour"):
                swatch_group = (
                    field.format(n=4)
                    + " > div > div.group__FormGroupComponent-evaCTb.joUTxJ.m-b-0.m-r-6 > div > div > div"
                )
                page.locator(swatch_group + f" > {SWATCH} > div").click()  # IT:98
                pause(page, 300)
                page.locator(swatch_group + " > " + HEX_INPUT).fill(colour)  # IT:99, U
            if items:
                with run.at(f"tag {tag}: Add / Remove From Items tab"):
                    page.locator(INNER_TAB.format(name="tag", n=2)).click()
                self._tick_items(
                    run,
                    page,
                    items,
                    TREE_ROOT,
                )
            with run.at(f"tag {tag}: Save and the dialog closes"):
                page.locator("form > div > div:nth-child(4) > button").click()  # IT:100
                page.wait_for_selector("form", state="detached", timeout=30_000)
        page.close()

    # --------------------------------------------------------------------- settings §9-§14 ----
    def open_settings(self, run: Run, name: str, tab: str | None) -> Page:
        page = self.open_restaurant(run, name)
        with run.at("settings: #nav-link-settings"):
            page.locator("#nav-link-settings").click()
            page.wait_for_selector('[class*="TabSelectComponent"]', timeout=10_000)
            labels = [
                t.strip()
                for t in page.locator('[class*="TabSelectComponent"]').first.inner_text().split("\n")
                if t.strip()
            ]
            run.facts["tabs"] = labels
            want = ["System", "Services", "Payments", "Website", "Integrations"]
            if [t for t in labels if t in want] != want:
                raise FlowFailed(f"top tabs {labels}, the real order is {want}")
            page.wait_for_selector("text=/System|Restaurant Name|Timezone/i", timeout=5_000)  # System default
        if tab:
            self.settings_tab(run, page, tab)
        return page

    def settings_tab(self, run: Run, page: Page, tab: str) -> None:
        with run.at(f'settings: text="{tab}"'):
            page.locator(f'text="{tab}"').first.click()
            pause(page, 500)

    def section(self, run: Run, page: Page, n: int, title: str) -> None:
        with run.at(f"section {n} {title}: open"):
            head = page.locator(SECTION.format(n=n))
            head.scroll_into_view_if_needed()
            if title.lower() not in head.inner_text().lower():
                raise FlowFailed(f"section {n} is {head.inner_text()[:60]!r}, not {title!r}")
            head.click()
            page.wait_for_selector(OPEN, timeout=10_000)
            if page.locator(OPEN).count() != 1:  # §9: only one block content exists at a time
                raise FlowFailed(f"{page.locator(OPEN).count()} open block contents")

    def save(self, run: Run, page: Page, selector: str, label: str) -> None:
        with run.at(f"{label}: Save"):
            button = page.locator(selector)
            button.scroll_into_view_if_needed()
            button.click()
            pause(page, 800)
            if not self.same_document(page):
                raise FlowFailed("the Save loaded a new document: the real portal saves in place (§1.3)")

    def pick_colour(self, page: Page, swatch: str, hex_input: str, colour: str) -> None:
        page.locator(swatch).click()
        page.locator(hex_input).fill(colour)
        page.keyboard.press("Escape")  # WD:642
        pause(page, 300)

    def upload(self, run: Run, page: Page, button: str, png: Path, label: str) -> None:
        """§11.3 the Uploadcare dialog."""
        with run.at(f"{label}: upload button"):
            page.locator(button).first.click()  # not a U selector: page.click takes the first match
            page.wait_for_selector(".uploadcare--dialog", timeout=10_000)
        with run.at(f'{label}: "Choose a local file"'):
            with page.expect_file_chooser(timeout=10_000) as chooser:
                page.locator('button:has-text("Choose a local file")').first.click()
            chooser.value.set_files(str(png))
        with run.at(f"{label}: preview"):
            page.locator('.uploadcare--preview__image, img[src*="ucarecdn.com"]').first.wait_for(
                timeout=8_000
            )
        with run.at(f'{label}: "Add"'):
            page.locator('.uploadcare--dialog button:has-text("Add")').first.click()
            page.wait_for_selector(".uploadcare--dialog", state="detached", timeout=10_000)

    def website(self, run: Run, name: str, png: Path) -> None:
        page = self.open_settings(run, name, "Website")
        with run.at("website: tab check"):
            page.wait_for_selector("text=/Themes|Colors|Fonts/i", timeout=5_000)  # WLb:274
        self.section(run, page, 2, "Themes")
        with run.at('themes: "Dark Theme" (confirm accepted)'):
            with page.expect_event("dialog", timeout=10_000) as dialog:
                page.locator(OPEN + " > div > div > div > div > button:nth-child(3)").click()  # WD:598
            message = dialog.value.message
            if "overwrite your existing colors" not in message:
                raise FlowFailed(f"confirm said {message!r}")
            pause(page, 500)
        self.section(run, page, 3, "Colors")
        row = OPEN + " > form > div > div:nth-child({k}) > div > " + KP + " > div"
        colours = ["#E63946", "#FFFFFF", "#111111", "#FAFAFA", "#222222", "#FFFFFF"]
        with run.at("colors: six pickers bottom to top"):
            for k in range(6, 0, -1):  # WL:634,674
                self.pick_colour(
                    page,
                    row.format(k=k) + " > " + SWATCH,
                    row.format(k=k) + " > " + HEX_INPUT,
                    colours[k - 1],
                )
        self.save(run, page, OPEN + " > form > div > button", "colors")
        self.section(run, page, 4, "Fonts")
        with run.at("fonts: heading and normal font"):
            for n, pick in ((3, "first"), (4, "last")):
                sel = (
                    OPEN
                    + f" > form > div > div:nth-child({n}) > div > {KP} > div > "
                    + "div.selectadv__WrapperInner-iDIBDX.WOtfi"
                )
                page.locator(sel).click()
                page.keyboard.type("Gabarito")
                pause(page, 500)
                opts = page.locator('div.selectadv__Dropdown-eSUwYi div:has-text("Gabarito")')
                (opts.first if pick == "first" else opts.last).click()
        self.save(run, page, OPEN + " > form > div > button", "fonts")
        self.section(run, page, 5, "Top Nav Bar")
        with run.at("top nav: nav text colour"):
            pre = (
                OPEN
                + f" > form > div > div:nth-child(1) > div > {KP}.grid-2.sm.sm-gap.max300"
                + f" > div:nth-child(2) > div > {KP} > div > "
            )
            self.pick_colour(page, pre + SWATCH + " > div", pre + HEX_INPUT, "#FFFFFF")  # WD:812-824
        logo_group = OPEN + f" > form > div > div:nth-child(3) > div > {KP}"
        self.upload(run, page, logo_group + " > div > button:nth-child(1)", png, "top nav logo")
        with run.at("top nav: uploaded logo preview"):
            img = page.locator(logo_group + " > a > img")
            img.wait_for(timeout=8_000)
            run.facts["uploadedLogoUrl"] = img.get_attribute("src")
        self.save(run, page, OPEN + " > form > div > button", "top nav")
        self.section(run, page, 7, "Header")
        with run.at("header: show header toggle"):
            page.locator(OPEN + f" > form > div > div:nth-child(1) > div > {KP} > div > label").click()
        self.upload(
            run,
            page,
            OPEN
            + f" > form > div > div:nth-child(3) > div > {KP} > div.flex-line.centered > button:nth-child(1)",
            png,
            "header background",
        )
        with run.at("header: title = one space"):
            title = page.locator(OPEN + f" > form > div > div:nth-child(5) > div > {KP} > input").first
            title.click()
            title.fill(" ")
        self.upload(
            run,
            page,
            OPEN + f" > form > div > div:nth-child(7) > div > {KP} > div > button",
            png,
            "header logo",
        )
        self.save(run, page, OPEN + " > form > div > button >> nth=0", "header")
        self.section(run, page, 9, "Items")
        with run.at("items: style Card, tag position Inner Bottom"):
            style = page.locator(OPEN + f" > form > div > div:nth-child(1) > div > {KP} > select")
            style.select_option(index=2)
            run.facts["item_style"] = style.locator("option:checked").inner_text()
            pos = page.locator(OPEN + f" > form > div > div:nth-child(2) > div > {KP} > select")
            pos.select_option(index=1)
            run.facts["tag_position"] = pos.locator("option:checked").inner_text()
        self.save(run, page, OPEN + " > form > div > button >> nth=0", "items")
        self.section(run, page, 15, "Favicon")
        self.upload(
            run, page, OPEN + " > form > div > div > div > div > div > button:nth-child(1)", png, "favicon"
        )
        self.save(run, page, 'button:has-text("Save") >> nth=0', "favicon")
        self.section(run, page, 16, "SEO")
        with run.at("seo: title and meta description"):
            page.locator(OPEN + f" > form > div > div:nth-child(1) > div > {KP} input").first.fill(
                f"{name} Auckland - Order Online for Delivery or Pickup"
            )
            page.locator(OPEN + f" > form > div > div:nth-child(2) > div > {KP} input").first.fill(
                "171 Queen Street +6493761234 - Best Food in Auckland"
            )
        self.save(run, page, OPEN + " > form > div > button", "seo")
        self.section(run, page, 17, "Social")
        with run.at("social: facebook and instagram"):
            page.locator(OPEN + f" > form > div > div:nth-child(2) > div > {KP} input").first.fill(
                "https://facebook.com/heldout"
            )
            page.locator(OPEN + f" > form > div > div:nth-child(3) > div > {KP} input").first.fill(
                "https://instagram.com/heldout"
            )
        self.save(run, page, OPEN + " > form > div > button", "social")
        self.section(run, page, 18, "Custom Code")
        with run.at("custom code: head and body textareas"):
            page.locator("textarea").first.fill("<script>/* heldout head */</script>")
            page.locator("textarea").nth(1).fill("<script>/* heldout body */</script>")
        self.save(run, page, 'button:has-text("Save"), button:has-text("Update") >> nth=0', "custom code")
        with run.at("view store: #nav-link-view-store opens a new tab"):
            with self.ctx.expect_page(timeout=10_000) as new:
                page.locator("#nav-link-view-store").click()
            store = new.value
            store.wait_for_load_state("domcontentloaded")
            run.facts["store_url"] = store.url
            store.close()
        page.close()

    def services(self, run: Run, name: str) -> None:
        page = self.open_settings(run, name, "Services")
        with run.at("services: tab check"):
            page.wait_for_selector("text=/Delivery|Pickup|Dine/i", timeout=5_000)  # SV:408
        f = OPEN + " > div > form > div > div > div > div > div > div:nth-child({n}) > div > " + KP
        save = OPEN + " > div > form > div > button"
        top = "document.querySelector('#scroll-root').scrollTop = 0"
        self.section(run, page, 1, "Pickups")
        with run.at('pickups: "Order Timing"'):
            page.evaluate(top)
            page.locator('text="Order Timing"').first.click()
            page.locator(f.format(n=2) + " > input").fill("0")
            page.locator(f.format(n=3) + " > input").fill("15")
            page.locator(f.format(n=5) + " > input").fill("8")
        self.save(run, page, save, "pickups order timing")
        with run.at('pickups: "Wait Times & Auto Statuses"'):
            page.evaluate(top)
            page.locator('text="Wait Times & Auto Statuses"').first.click()
            for k in (1, 2, 3):
                page.locator(f.format(n=2) + f" > div:nth-child({k}) > div").click()
            for n, v in ((3, "1"), (4, "15"), (5, "30")):
                page.locator(f.format(n=n) + " > input").click()
                page.locator(f.format(n=n) + " > input").fill(v)
        self.save(run, page, save, "pickups wait times")
        self.section(run, page, 2, "Deliveries")
        with run.at("deliveries: map picker, street number, street address toggles"):
            for n in (6, 10, 11):
                page.locator(f.format(n=n) + " > div > label").click()
        self.save(run, page, save, "deliveries general")
        dtab = INNER_TAB.format(name="section", n="{n}")
        with run.at("deliveries: Conditions tab, minimum order"):
            page.evaluate(top)
            page.locator(dtab.format(n=2)).click()
            page.locator(f.format(n=1) + " > input").fill("2")
        self.save(run, page, save, "deliveries conditions")
        with run.at("deliveries: Order Timing tab"):
            page.evaluate(top)
            page.locator(dtab.format(n=5)).click()
            for n, v in ((2, "0"), (3, "15"), (5, "8")):
                page.locator(f.format(n=n) + " > input").fill(v)
        self.save(run, page, save, "deliveries order timing")
        with run.at("deliveries: Wait Times & Auto Statuses tab"):
            page.evaluate(top)
            page.locator('text="Wait Times & Auto Statuses"').first.click()
            for k in (1, 2, 3, 4):
                page.locator(f.format(n=2) + f" > div:nth-child({k}) > div").click()
            for n, v in ((3, "1"), (4, "15"), (5, "10"), (6, "30")):
                page.locator(f.format(n=n) + " > input").fill(v)
        self.save(run, page, save, "deliveries wait times")
        with run.at("deliveries: Custom Checkout Fields, remove the default field"):
            page.evaluate(top)
            page.locator(dtab.format(n=8)).click()
            pause(page, 300)
            remove = page.locator(
                OPEN + " > div > form > div > div > div > div > div > div > div > div:nth-child(1) > "
                "div:nth-child(1) > div.preview__FieldActions-fEoEZR.jZeUTf > button"
            )
            run.facts["checkout_field_present"] = remove.count() > 0
            if remove.count():
                remove.first.click()
        self.save(run, page, save, "deliveries checkout fields")
        for n, title in ((3, "Dine"), (4, "Table Bookings")):
            self.section(run, page, n, title)
            with run.at(f"{title}: turn off"):
                page.locator(f.format(n=1) + " > div > label").click()
            self.save(run, page, save, title)
        page.close()

    def payments(self, run: Run, name: str) -> None:
        page = self.open_settings(run, name, "Payments")
        with run.at("payments: tab check"):
            page.wait_for_selector("text=/Payment Methods|Transaction|Fee/i", timeout=5_000)  # ST:413
        with run.at('payments: "Add Payment Method"'):
            page.locator(
                CONTENT_PATH + " > div.section__SettingsSectionWrapper-VLcLJ.gVhfCf > div > "
                "div.heading__SettingsSectionHeading-gINcTH.hDzVir.flex-l-r-center > "
                "div.flex-line.centered.cursor"
            ).click()  # ST:437
        with run.at("payments: choose Stripe"):
            page.locator('div[id$="-content"] > div:nth-child(4) > div > div:nth-child(1)').click()  # ST:445
        with run.at('payments: "Add Method"'):
            strict_click(page, 'div[id$="-content"] > div:nth-child(5) > button')  # ST:453, U
            page.wait_for_selector(SECTION.format(n=4), timeout=5_000)
        self.section(run, page, 4, "Stripe")
        row = OPEN + " > form > div > div:nth-child({n}) > div > " + KP
        connect = page.locator(OPEN + " > form > div > div:nth-child(2) > div > div > button")
        with_link = connect.count() == 1 and "Connect" in connect.inner_text()
        run.facts["stripe_form"] = "ST (Connect to Stripe)" if with_link else "SN (no Connect block)"
        d = 0 if with_link else -1  # §2 #1: without Connect every later row shifts up by one
        with run.at("stripe: Enabled toggle"):
            page.locator(row.format(n=1) + " > div > label").click()
        with run.at("stripe: Currency"):
            page.locator(row.format(n=3 + d) + " > div").click()
            page.keyboard.type("NZD")
            pause(page, 500)
            opt = page.locator(
                row.format(n=3 + d) + " > div > div.selectadv__Dropdown-eSUwYi.dtQnDO > div"
            ).first
            if "NZD" not in opt.inner_text():
                raise FlowFailed(f"first currency option after typing NZD: {opt.inner_text()!r}")
            opt.click()
        with run.at("stripe: Layout (3rd option)"):
            page.locator(row.format(n=6 + d)).click()
            opt = page.locator(
                row.format(n=6 + d) + " > div > div.selectadv__Dropdown-eSUwYi.dtQnDO > div:nth-child(3)"
            )
            run.facts["layout"] = opt.inner_text()
            opt.click()
        with run.at("stripe: Theme (3rd option)"):
            page.locator(row.format(n=7 + d) + " > div").click()
            opt = page.locator(
                row.format(n=7 + d) + " > div > div.selectadv__Dropdown-eSUwYi.dtQnDO > div:nth-child(3)"
            )
            run.facts["theme"] = opt.inner_text()
            opt.click()
        with run.at("stripe: labels and order values"):
            for n, v in (
                (9, "Stripe"),
                (10, "Stripe"),
                (11, "Paid Online - Pump'd"),
                (12, "9999"),
                (13, "2"),
            ):
                page.locator(row.format(n=n + d) + " > input").fill(v)
        self.save(run, page, OPEN + " > form > div > button", "stripe")
        if with_link:
            with run.at('stripe: "Connect to Stripe"'):
                before = len(self.ctx.pages)
                strict_click(page, OPEN + " > form > div > div:nth-child(2) > div > div > button")
                deadline = time.monotonic() + 10
                url = ""
                while time.monotonic() < deadline and "stripe.com" not in url:
                    pause(page, 300)
                    if "stripe.com" in page.url:
                        url = page.url
                    elif len(self.ctx.pages) > before:
                        url = self.ctx.pages[-1].url
                if "stripe.com" not in url:
                    raise FlowFailed(f"no stripe.com URL after Connect (page {page.url})")
                run.facts["Final URL"] = url
        page.close()

    def integrations(self, run: Run, name: str) -> None:
        page = self.open_settings(run, name, "Integrations")
        with run.at("integrations: tab check"):
            page.wait_for_selector("text=/Google|Xero|Delivery Platforms/i", timeout=5_000)
        with run.at("integrations: card 11 (Uber Delivery Management)"):
            card = page.locator(CONTENT_PATH + " > div.m-t-4.grid-2.md.sm-gap > div:nth-child(11)")
            card.scroll_into_view_if_needed()
            run.facts["card"] = card.inner_text()[:60]
            if "Uber" not in run.facts["card"]:
                raise FlowFailed(f"card 11 is {run.facts['card']!r}")
            card.click()
        m = '//*[contains(@id, "-content")]/div[3]/form'
        with run.at("uber: enable and fill the form"):
            strict_click(page, f"xpath={m}/div[1]/div[1]/div[2]/label")  # FO:406, U
            for n, v in (
                (3, "9429041234567"),
                (4, "Heldout Kitchen Limited"),
                (5, "Heldout Kitchen"),
                (6, "Jane Director"),
                (7, "+64211234567"),
            ):
                page.locator(f"xpath={m}/div[{n}]/div/div/input").fill(v)
            page.locator('xpath=//*[@id="agree"]').click()
        with run.at("uber: Save (the modal stays open)"):
            page.locator(f"xpath={m}/button").click()
            pause(page, 1000)
        with run.at("uber: close the modal"):
            strict_click(page, ".modal__CloseButton-ciHmJi")  # FO:459, U
            page.wait_for_selector('[id$="-content"]', state="detached", timeout=10_000)
            page.evaluate("document.querySelector('#scroll-root').scrollTop = 0")
        self.settings_tab(run, page, "Services")
        self.section(run, page, 2, "Deliveries")
        f3 = OPEN + " > div > form > div > div > div > div > div > div:nth-child(3) > div > " + KP
        with run.at("deliveries: Default Delivery Provider = Uber"):
            page.locator(
                f3 + " > div.selectadv__Wrapper-cKWklP.hPMCFC > div.selectadv__InputIcon-dZhktu.PrPXn"
            ).click()
            page.locator('div.selectadv__DropdownOption-bmnJxJ:has-text("Uber")').first.click()
        self.save(run, page, OPEN + " > div > form > div > button", "deliveries provider")
        page.close()

    def system(self, run: Run, name: str, png: Path) -> None:
        """§10, SY: the System tab (the default tab) - tax, phone, printer, receipt logo, audio, Google
        login, webhook."""
        page = self.open_settings(run, name, None)
        modal = '//*[contains(@id, "-content")]'
        self.section(run, page, 2, "General")
        tax = OPEN + f" > form > div > div:nth-child(8) > div > {KP} > div > div"
        with run.at("general: create a GST tax"):
            page.locator(tax + " > button").first.click(timeout=5_000)  # SY:430-462
            pair = (
                tax + " > div > div.flex-line > div.flex-line > div:nth-child({n}) > div > " + KP + " > input"
            )
            page.locator(pair.format(n=1)).first.fill("GST")
            page.locator(pair.format(n=2)).first.fill("15")
        self.save(run, page, OPEN + " > form > div > button", "general")
        self.section(run, page, 3, "Location")
        with run.at("location: the phone entered at creation, rewritten +64"):
            phone = page.locator(OPEN + f" > form > div > div:nth-child(4) > div > {KP} > input")
            run.facts["phone_read"] = phone.input_value()  # SY:493-537
            if not run.facts["phone_read"]:
                raise FlowFailed(
                    "the Location phone is empty; it holds the creation phone on the real portal"
                )
            phone.fill("+6493761234")
        self.save(run, page, OPEN + " > form > div > button", "location")
        self.section(run, page, 8, "Receipt Printing")
        with run.at('receipt printing: "Create Printer"'):
            page.locator(
                OPEN
                + " > div > div.p-4 > div.flex > button.button__ButtonComponent-igFjHP.kkCuBg.p-lr-2.m-r-2"
            ).click()
        with run.at("printer modal: name and Auto print"):
            page.locator(f"xpath={modal}/form/div/div[1]/div[1]/div/div[2]/input").fill(
                "Receipt"
            )  # SY:582, U
            page.locator(f"xpath={modal}/form/div/div[1]/div[2]/div/div[2]/div/label").click()
        with run.at("printer modal: the printer's key"):
            key = page.locator(f"xpath={modal}/div[2]/p/span").first
            run.facts["receiptPrinterKey"] = key.inner_text()[:10] + "…"
        with run.at("printer modal: Save, the modal closes"):
            page.locator(f"xpath={modal}/form/div/div[2]/button").click()
            page.locator(f"xpath={modal}/form").first.wait_for(state="detached", timeout=10_000)
        with run.at('receipt printing: "Receipt Logo" tab'):  # SY:945-948, the section still open
            page.locator(
                'xpath=//*[@id="notifications-tab-options-tab-select-content"]/div[1]/div[2]/div'
            ).click()
            pause(page, 500)
        logo_row = (
            "xpath=/html/body/div[1]/main/div[2]/div/div/div/div/div/div[3]/div/div[8]/div[2]/div/form"
            "/div/div/div/div[2]"
        )  # SY:952-963, absolute
        with run.at('receipt logo: "Custom Receipt Logo"'):
            page.locator(logo_row + "/div[1]/button[2]").click()
            pause(page, 500)
        self.upload(run, page, logo_row + "/div[2]/div/button[1]", png, "receipt logo")
        self.save(run, page, OPEN + " > div > form > div > button", "receipt logo")  # SY:996-1002
        self.section(run, page, 10, "Audio")
        audio = OPEN + " > div > form > div > div:nth-child({n}) > div > " + KP
        with run.at('audio: sound "Plucky", repeat 5, stop on click'):
            page.locator(audio.format(n=1) + " > div > div.selectadv__InputIcon-dZhktu.PrPXn").click()
            plucky = page.locator(
                audio.format(n=1) + " > div > div.selectadv__Dropdown-eSUwYi.dtQnDO > div:nth-child(6)"
            )
            run.facts["sound"] = plucky.inner_text()
            plucky.click()
            page.locator(audio.format(n=2) + " input").fill("5")
            page.locator(audio.format(n=3) + " > div > label").click()
        self.save(run, page, OPEN + " > div > form > div > button", "audio")
        self.section(run, page, 11, "Customer Accounts")
        with run.at("customer accounts: Google tab, client id"):
            page.locator(INNER_TAB.format(name="accounts", n=3)).click()
            page.locator(
                OPEN + f" > div > form > div > div > div > div > div > div > div > {KP} > input"
            ).fill("1234-heldout.apps.googleusercontent.com")
        self.save(run, page, OPEN + " > div > form > div > button", "customer accounts")
        self.section(run, page, 14, "Webhooks")
        with run.at('webhooks: "Create Webhook", URL, secret'):
            page.locator(OPEN + " > div > button").click()
            page.locator(f"xpath={modal}/form/div/div[1]/div[2]/div/div[2]/input").fill(
                "https://example.nz/hook"
            )
            run.facts["webhookSecret"] = (
                page.locator(f"xpath={modal}/div[2]/p/span").first.inner_text()[:8] + "…"
            )
        with run.at("webhooks: Events tab, turn five events off"):
            page.locator(INNER_TAB.format(name="webhook", n=2)).click()
            for n in (2, 4, 5, 6, 7):
                page.locator(f"xpath={modal}/form/div/div[1]/div[{n}]/div/div[2]/div/label").click()
        with run.at("webhooks: Save, the modal closes"):
            page.locator(f"xpath={modal}/form/div/div[2]/button").click()
            page.locator(f"xpath={modal}/form").first.wait_for(state="detached", timeout=10_000)
        page.close()

    def developers(self, run: Run) -> None:
        page = self.new_page()
        self.login(run, page)
        with run.at("developers: top-nav link 4"):
            link = page.locator(
                "#scroll-root > div > div > menu > div > div:nth-child(1) > nav > a:nth-child(4)"
            )
            link.wait_for(state="visible", timeout=10_000)
            link.click()  # AK:177-186, U
        with run.at('developers: "Create API Key"'):
            strict_click(page, CONTENT_PATH + " > div:nth-child(1) > div.flex-l-r-center.m-b-7 > button")
            page.wait_for_selector("#api-form-modal-content", timeout=5_000)
        form = "#api-form-modal-content > div.content__Content-hOzsB.UWPkM > form"
        with run.at("api key: name"):
            page.locator(form + f" > div:nth-child(1) > div > {KP} > input").fill(
                "Online Ordering Integration"
            )
        with run.at("api key: Restaurant Access (absent for one restaurant)"):
            group = form + f" > div:nth-child(2) > div > {KP}"
            access = page.locator(group + " > div > div.selectadv__InputIcon-dZhktu.PrPXn")
            run.facts["restaurant_access_shown"] = access.count() > 0
            if access.count():
                # AK:211-274: open, pick option i (which closes the list), reopen for the next, up to 10;
                # the list is left open when option i does not exist, and Escape closes it.
                picked = []
                for i in range(1, 11):
                    access.click()
                    option = page.locator(
                        group
                        + " > div.selectadv__Wrapper-cKWklP.FVSIE > div.selectadv__Dropdown-eSUwYi.dtQnDO"
                        f" > div:nth-child({i})"
                    )
                    try:
                        option.wait_for(timeout=1_500)
                    except Exception:
                        break
                    picked.append(option.inner_text())
                    option.click()
                run.facts["picked"] = picked
                page.keyboard.press("Escape")
        with run.at("api key: Save"):
            strict_click(page, form + " > button")
        with run.at("api key: read the newest key"):
            key = page.locator(
                CONTENT_PATH + " > div:nth-child(1) > div.item-list__ItemListWrapper-dyLBYn.jkyIVq > "
                "div > div > div.p-lr-4.p-tb-2 > p.small > span"
            ).first
            key.wait_for(state="visible", timeout=5_000)
            run.facts["apiKey"] = key.inner_text()[:12] + "…"
            if not key.inner_text().strip():
                raise FlowFailed("empty API key")
        page.close()


# ---------------------------------------------------------------------------------- the hub ----


class Hub:
    def __init__(self, ctx: BrowserContext, domain: str, email: str, password: str) -> None:
        self.ctx = ctx
        self.base = f"http://manage.{domain}"
        self.email, self.password = email, password

    def login(self, run: Run, button: str) -> Page:
        page = self.ctx.new_page()
        with run.at("hub: open the root"):
            page.goto(self.base, wait_until="networkidle", timeout=30_000)  # OU:108; OP:82
        with run.at("hub: #email / #password"):
            page.locator("#email").first.fill(self.email)
            page.locator("#password").first.fill(self.password)
        with run.at(f"hub: login button {button[:40]}"):
            page.locator(button).first.click()
        with run.at("hub: logged in (nav)"):
            page.wait_for_function("() => !location.pathname.includes('/login')", timeout=10_000)
            page.wait_for_selector("nav", timeout=10_000)
        return page

    def add_user(self, run: Run, name: str, email: str, password: str) -> None:
        page = self.login(run, "button.bg-brand-yellow")  # OU:129
        with run.at('hub: nav button "Super Admin"'):
            page.locator('nav button:has-text("Super Admin")').first.click()  # OU:164
            page.wait_for_selector('h1:has-text("Super Admin")', timeout=10_000)
        with run.at('super admin: "Add User"'):
            page.locator('button:has-text("Add User")').first.click()
        with run.at("add user: name, email, password"):
            page.locator(
                'label:has-text("Name") + input, label:has-text("Name") ~ input, input[placeholder*="Name"]'
            ).first.fill(name)
            page.locator(
                'label:has-text("Email") + input, label:has-text("Email") ~ input, input[type="email"]'
            ).first.fill(email)
            page.locator('xpath=//*[contains(@id, "password")]').fill(password)  # OU:247, U
        with run.at('add user: defaults "New Sign Up" and "None"'):
            page.locator('text="New Sign Up"').first.wait_for(timeout=3_000)
            page.locator('text="None"').first.wait_for(timeout=3_000)
        with run.at('add user: "Create User"'):
            submit = page.locator('button:has-text("Create User")')
            if submit.count() == 0:
                raise FlowFailed('no "Create User" button')
            submit.last.click()
        with run.at("add user: e-mail in the users table"):
            page.locator(f'text="{email}"').first.wait_for(timeout=10_000)
        page.close()

    def ordering_page(self, run: Run, restaurant: str) -> None:
        page = self.login(run, HUB_LOGIN_BUTTON)  # OP:91
        with run.at('hub: nav button "Ordering Page" (twice)'):
            nav = page.locator('nav button:has-text("Ordering Page")').first
            nav.click()
            pause(page, 300)
            nav.click()
        with run.at("code gen: brand colours"):
            mono = page.locator("input.font-mono.text-sm")
            mono.first.fill("#E63946")
            mono.nth(1).fill("#1D3557")
        with run.at("code gen: #light-mode"):
            page.locator("#light-mode").click()
        with run.at("code gen: Presets tab"):
            page.locator('button:has-text("Presets"), [id*="trigger-presets"]').first.click()
        with run.at('code gen: preset "Interactive Showcase"'):
            card = page.locator(
                '[id*="content-category"] > div:nth-child(3) > div.grid.gap-3 > div:nth-child(2) > div'
            ).first
            run.facts["preset"] = card.inner_text()[:40]
            if "Interactive Showcase" not in card.inner_text():
                raise FlowFailed(f"3rd category, 2nd card is {run.facts['preset']!r}")
            card.click()
        with run.at("code gen: Components tab"):
            page.evaluate("window.scrollTo(0, 0)")
            page.locator('button:has-text("Components"), [id*="trigger-components"]').first.click()
        cards = (
            '[id*="content-components"] > div > div.space-y-6 > div:nth-child({c}) > '
            "div.space-y-2 > div:nth-child({k})"
        )
        with run.at("code gen: Service Choice Styles (light)"):
            page.locator(cards.format(c=5, k=2)).click()
            page.locator("#serviceChoiceStyles-service-comprehensive").click()
        with run.at("code gen: Price Tag Enhancements (no gradient)"):
            page.locator(cards.format(c=6, k=1)).click()
            page.locator("#priceTagEnhancements-price-tag-single-color").click()
        with run.at("code gen: Nav Bar Text Effects, untick the three"):
            page.locator(cards.format(c=6, k=2)).click()
            for opt in (
                "#navBarTextEffects-nav-logo-gradient",
                "#navBarTextEffects-nav-logo-text-glow",
                "#navBarTextEffects-nav-logo-glow",
            ):
                box = page.locator(opt)
                if box.is_checked():
                    box.click()
                if box.is_checked():
                    raise FlowFailed(f"{opt} still checked")
        with run.at("code gen: Welcome Messages"):
            page.locator(cards.format(c=6, k=3)).click()
            greeting = page.locator("#welcomeMessages-welcome-greeting-basic")
            greeting.click()
            pause(page, 200)
            greeting.click()
            page.locator('button:has-text("Remove Gradient")').first.click()
            name = page.locator(
                "div.mt-6.pt-4.border-t.border-gray-200 div.space-y-6 > div:nth-child(1) > "
                "div:nth-child(6) > input"
            )
            name.click()
            name.fill(restaurant)  # OP:427, U
            pause(page, 1000)
        with run.at("code gen: head code"):
            head = page.locator('[id*="content-head"] pre, [id*="content-head"] code').first
            head_code = head.inner_text()
            if restaurant not in head_code and "<" not in head_code:
                raise FlowFailed(f"head code {head_code[:80]!r}")
            run.facts["head_chars"] = len(head_code)
        with run.at("code gen: Body tab and body code"):
            page.locator('button:has-text("Body"), [id*="trigger-body"]').first.click()
            body = page.locator('[id*="content-body"] pre, [id*="content-body"] code').first
            body.wait_for(state="visible", timeout=5_000)
            run.facts["body_chars"] = len(body.inner_text())
            run.facts["name_in_code"] = restaurant in head_code + body.inner_text()
        page.close()


# ------------------------------------------------------------------------------------- main ----

FLOWS = [
    "bot_detection",
    "login",
    "create_restaurant",
    "csv_import",
    "csv_rejected",
    "option_sets",
    "item_tags",
    "system",
    "website",
    "services",
    "payments",
    "integrations",
    "developers",
    "hub_add_user",
    "hub_code_generator",
]


def run_flows(
    api: str, domain: str, port: int, flows: list[str], headed: bool = False
) -> list[dict[str, Any]]:
    stamp = str(int(time.time() * 1000))[-8:]
    email, password = f"heldout{stamp}@example.nz", "Heldout-pass-1"
    restaurant = {
        "name": f"Heldout Kitchen {stamp[-4:]}",
        "subdomain": f"heldoutkitchen{stamp[-4:]}",
        "address": "171 Queen Street, Auckland Central, Auckland 1010",
        "phone": "+6493761234",
        "hours": [
            ("Monday", "09:00", "21:30"),
            ("Tuesday", "09:00", "21:30"),
            ("Wednesday", "12:00", "14:00"),
            ("Wednesday", "17:00", "21:30"),
            ("Thursday", "09:00", "21:30"),
            ("Friday", "09:00", "23:00"),
            ("Saturday", "09:00", "23:00"),
            ("Sunday", "10:30", "20:30"),
        ],
        "locale": "New Zealand",
        "timezone": "Auckland",
        "currency": "NZD",
    }
    second = dict(restaurant, name=f"Second Noodle House {stamp[-4:]}", subdomain=f"secondnoodle{stamp[-4:]}")
    work = Path(tempfile.mkdtemp(prefix="heldout-"))
    csv_path = work / "menu.csv"
    lines = [CSV_HEADER] + [
        f',Menu,,,,{cat},,,,{dish},{price},standard,"{desc}",,,,FALSE,,,'
        for cat, dishes in MENU.items()
        for dish, price, desc in dishes
    ]
    csv_path.write_text("\n".join(lines) + "\n")
    bad_csv = work / "bad.csv"
    bad_csv.write_text("name,price\nPork Belly Burger,26.49\n")  # not the header of §6.2
    png = work / "logo.png"
    png.write_bytes(png_bytes())
    results: list[dict[str, Any]] = []
    rules = ", ".join(f"MAP {h}.{domain} 127.0.0.1:{port}" for h in ("admin", "manage", "*"))
    with sync_playwright() as pw:
        browser: Browser = pw.chromium.launch(
            executable_path="/usr/bin/chromium",
            headless=not headed,
            args=[
                "--no-sandbox",
                "--disable-blink-features=AutomationControlled",
                f"--host-resolver-rules={rules}",
            ],
        )
        try:
            register_account(api, email, restaurant["phone"], password)
        except Exception as exc:
            browser.close()
            return [{"flow": "account", "ok": False, "step": "register", "error": str(exc)}]
        # Each prior script ran in a browser of its own (one process per step), so each flow gets a
        # fresh context: no session carried over from the previous flow.
        ctx = browser.new_context()
        portal = Portal(ctx, domain, email, password)
        hub = Hub(ctx, domain, "admin@hub.sandbox.test", "sandbox-hub-admin")
        name = restaurant["name"]
        actions: dict[str, Callable[[Run], None]] = {
            "login": lambda run: portal.login_flow(run),
            "bot_detection": lambda run: portal.bot_detection(run, browser),
            "create_restaurant": lambda run: portal.create_restaurant(run, restaurant),
            "csv_import": lambda run: portal.import_csv(run, name, csv_path),
            "create_second_restaurant": lambda run: portal.create_restaurant(run, second),
            "csv_rejected": lambda run: portal.import_rejected(run, name, bad_csv),
            "system": lambda run: portal.system(run, name, png),
            "option_sets": lambda run: portal.option_sets(run, name),
            "item_tags": lambda run: portal.item_tags(run, name),
            "website": lambda run: portal.website(run, name, png),
            "services": lambda run: portal.services(run, name),
            "payments": lambda run: portal.payments(run, name),
            "integrations": lambda run: portal.integrations(run, name),
            "developers": lambda run: portal.developers(run),
            "hub_add_user": lambda run: hub.add_user(run, "Heldout Owner", email, "Heldoutkitchen789!"),
            "hub_code_generator": lambda run: hub.ordering_page(run, name),
        }
        for flow in flows:
            run = Run(flow)
            ctx.close()
            ctx = browser.new_context(
                user_agent=USER_AGENT,
                locale="en-NZ",
                timezone_id="Pacific/Auckland",
                viewport={"width": 1280, "height": 800},
            )  # BC, §3.1
            ctx.set_default_timeout(15_000)
            portal.ctx = hub.ctx = ctx
            t0 = time.monotonic()
            try:
                actions[flow](run)
                results.append({"flow": flow, "ok": True, "facts": run.facts})
            except Exception as exc:
                message = str(exc).split("\n")
                short = " | ".join(line.strip() for line in message[:4] if line.strip())
                results.append(
                    {"flow": flow, "ok": False, "step": run.step, "error": short[:400], "facts": run.facts}
                )
            results[-1]["seconds"] = round(time.monotonic() - t0, 1)
            print(json.dumps(results[-1]), flush=True)
        ctx.close()
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--api", required=True, help="the sandbox's API base, http://127.0.0.1:PORT")
    parser.add_argument("--domain", default="pumpd.test")
    parser.add_argument("--flows", default=",".join(FLOWS))
    parser.add_argument("--headed", action="store_true")
    args = parser.parse_args(argv)
    port = int(args.api.rsplit(":", 1)[1].rstrip("/"))
    results = run_flows(args.api.rstrip("/"), args.domain, port, args.flows.split(","), args.headed)
    return 0 if all(r["ok"] for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
