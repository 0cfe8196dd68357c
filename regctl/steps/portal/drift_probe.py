"""The portal drift probe behind ``regctl doctor --portal``: visit every page the pipeline uses and
check every locator of its table, read-only.

For each registered table that has a *visit* (how to bring the page into view without changing
anything: navigation, opening a tab, a section or a modal — never a Save), each locator with
``probe=True`` is checked find by find:

- ``missing``: neither the primary nor any fallback matches — the step using it would fail;
- ``drift``: the primary does not match, a fallback does — it works, through the fallback;
- ``stale fallback``: the primary matches but an evidenced ([P]/[R]) fallback does not (a changed
  class hash), or matches another element (a moved section) — the next change would break it. [F]
  fallbacks are alternatives the live page need not show (e.g. other button labels) and are not
  held to that.

Visits are registered with :func:`visit` (portal-menus-hub registers the Menus and hub pages the
same way, in their own modules). A table without a visit is reported as not visited.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.steps.portal import locators as L
from regctl.steps.portal.common import click_and_settle

__all__ = ["Finding", "PageReport", "ProbeContext", "check_table", "probe_portal", "probe_with_browser",
           "visit"]

SETTLE_MS = 10_000  # how long a page may take to show its first locator
FIND_MS = 1_500  # then each find is checked on the settled page


@dataclass(frozen=True)
class Finding:
    page: str
    intent: str
    problem: str  # "missing" | "drift" | "stale fallback"
    locator: str  # the find concerned, with its evidence

    def line(self) -> str:
        return f"{self.problem}: {self.intent} — {self.locator}"


@dataclass
class PageReport:
    page: str
    title: str
    checked: int = 0
    findings: list[Finding] = field(default_factory=list)
    error: str = ""  # the page could not be visited

    @property
    def ok(self) -> bool:
        return not self.findings and not self.error


@dataclass
class ProbeContext:
    """Where and as whom to probe (the portal account needs at least one restaurant)."""

    admin_url: str
    email: str
    password: str
    restaurant_id: str = ""  # filled by the dashboard visit
    # for other visits: the marketing hub's "hub_url", "hub_email", "hub_password" (regctl doctor)
    extra: dict[str, str] = field(default_factory=dict)


Visit = Callable[[Page, ProbeContext], Awaitable[None]]
_VISITS: dict[str, Visit] = {}


def visit(table_name: str) -> Callable[[Visit], Visit]:
    """Register how to bring ``table_name``'s page into view (read-only)."""

    def decorate(fn: Visit) -> Visit:
        _VISITS[table_name] = fn
        return fn

    return decorate


# ---------------------------------------------------------------- checking one table ----------

async def _matches(locator: Locator) -> bool:
    try:
        await locator.first.wait_for(state="attached", timeout=FIND_MS)
    except PlaywrightTimeout:
        return False
    return True


async def _same_element(fallback: Locator, primary: Locator) -> bool:
    """Whether the fallback's element is (or contains) the primary's."""
    handle = await primary.first.element_handle()
    return bool(await fallback.first.evaluate("(el, p) => el === p || el.contains(p)", handle))


async def _check(page: Page, table: L.PageTable, loc: L.Loc) -> list[Finding]:
    params = dict(loc.probe_params)
    intent = loc.intent.format(**params) if params else loc.intent
    where = f"{table.name}.{loc.key}"
    primary = loc.primary.build(page, params)
    found_primary = await _matches(primary)
    findings: list[Finding] = []
    working = []
    for fallback in loc.fallbacks:
        built = fallback.build(page, params)
        works = await _matches(built)
        if works and found_primary and not await _same_element(built, primary):
            works = False
        if works:
            working.append(fallback)
        elif found_primary and fallback.evidence.startswith(("[P]", "[R]")):
            findings.append(Finding(table.name, f"{intent} ({where})", "stale fallback",
                                    f"{fallback.describe(params)} {fallback.evidence}"))
    if not found_primary:
        if working:
            findings.append(Finding(table.name, f"{intent} ({where})", "drift",
                                    f"primary {loc.primary.describe(params)} not found; found by "
                                    f"{working[0].describe(params)} {working[0].evidence}"))
        else:
            tried = "; ".join(f.describe(params) for f in loc.finds())
            findings.append(Finding(table.name, f"{intent} ({where})", "missing", f"tried {tried}"))
    return findings


async def check_table(page: Page, table: L.PageTable) -> PageReport:
    """Check every probe locator of ``table`` on the page as it is now."""
    report = PageReport(table.name, table.title)
    locs = [loc for loc in table if loc.probe]
    if locs:  # let the page settle on its first locator before judging the rest
        await L.probe(page, locs[0], timeout_ms=SETTLE_MS, state="attached", **dict(locs[0].probe_params))
    for loc in locs:
        report.checked += 1
        report.findings.extend(await _check(page, table, loc))
    return report


async def probe_portal(page: Page, ctx: ProbeContext) -> list[PageReport]:
    """Visit every page with a registered visit, in registration order of the tables; check each."""
    reports = []
    for table in L.tables():
        go = _VISITS.get(table.name)
        if not any(loc.probe for loc in table):
            continue  # only states reached by changing something (a dialog after a click): nothing to probe
        if go is None:
            reports.append(PageReport(table.name, table.title, error="not visited (no visit registered)"))
            continue
        try:
            await go(page, ctx)
        except Exception as exc:  # a page that cannot be reached is a finding, not a crash
            first = (str(exc).splitlines() or [type(exc).__name__])[0]
            reports.append(PageReport(table.name, table.title, error=f"could not visit: {first[:200]}"))
            continue
        reports.append(await check_table(page, table))
    return reports


async def probe_with_browser(ctx: ProbeContext) -> list[PageReport]:
    """:func:`probe_portal` in a fresh headless Chromium (regctl.browser)."""
    from regctl.browser import browser_session, fresh_page

    async with browser_session() as browser, fresh_page(browser) as page:
        return await probe_portal(page, ctx)


# ---------------------------------------------------------------- the admin portal's visits ---

async def _settings_tab(page: Page, ctx: ProbeContext, tab: str) -> None:
    url = f"{ctx.admin_url}/restaurant/{ctx.restaurant_id}/settings"
    await page.goto(url, wait_until="domcontentloaded")
    await L.wait_loader_gone(page)
    if tab != "System":
        await click_and_settle(page, (await L.SETTINGS.find(page, "tab", name=tab)).first)


@visit("login")
async def _login_page(page: Page, ctx: ProbeContext) -> None:
    await page.goto(f"{ctx.admin_url}/login", wait_until="domcontentloaded")


@visit("dashboard")
async def _dashboard(page: Page, ctx: ProbeContext) -> None:
    from regctl.steps.portal.login import login
    from regctl.steps.portal.restaurants import list_restaurants, open_restaurant

    await login(page, ctx.admin_url, ctx.email, ctx.password)
    cards = await list_restaurants(page)
    if cards and not ctx.restaurant_id:
        ctx.restaurant_id = await open_restaurant(page, cards[0].name, minimum=1000)
        await page.goto(f"{ctx.admin_url}/", wait_until="domcontentloaded")
        await L.wait_loader_gone(page)


@visit("create")
async def _create_modal(page: Page, ctx: ProbeContext) -> None:
    await (await L.DASHBOARD.find(page, "create")).first.click()  # opens the modal; never submitted


@visit("selectadv")
async def _selectadv(page: Page, ctx: ProbeContext) -> None:
    await (await L.MODAL.find(page, "close")).first.click()


@visit("restaurant")
async def _restaurant(page: Page, ctx: ProbeContext) -> None:
    await page.goto(f"{ctx.admin_url}/restaurant/{ctx.restaurant_id}", wait_until="domcontentloaded")
    await L.wait_loader_gone(page)


@visit("settings")
async def _settings(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "System")


@visit("settings.website")
async def _website(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "Website")


@visit("settings.open_section")
async def _open_colors(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "Website")
    await click_and_settle(page, (await L.SETTINGS.find(page, "section", title="Colors", n=3)).first)


@visit("settings.services")
async def _services(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "Services")


@visit("settings.payments")
async def _payments(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "Payments")


@visit("modal")
async def _payment_modal(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "Payments")
    await (await L.PAYMENTS.find(page, "add_method")).first.click()  # the modal is closed, never used


@visit("settings.integrations")
async def _integrations(page: Page, ctx: ProbeContext) -> None:
    await _settings_tab(page, ctx, "Integrations")


@visit("developers")
async def _developers(page: Page, ctx: ProbeContext) -> None:
    await page.goto(f"{ctx.admin_url}/", wait_until="domcontentloaded")
    await L.wait_loader_gone(page)
    await click_and_settle(page, (await L.DASHBOARD.find(page, "developers")).first)
