"""The machinery of the portal's locator tables: finds, tables, the registry, resolving, drift, waits.

The tables themselves are in :mod:`regctl.steps.portal.locators`, which re-exports all of this.

**Stable API** (portal-menus-hub and later page modules build on it; change only by adding):
:class:`Find` and its makers :func:`role`, :func:`text`, :func:`field`, :func:`css`, :func:`xpath`;
:class:`Loc`; :class:`PageTable` + :func:`register` / :func:`table` / :func:`tables` (the registry the
drift probe, ``regctl doctor --portal``, walks); :func:`resolve` / :func:`probe`; the drift hook
(:func:`set_drift_hook`, :func:`drift_hook_of`); the waits :func:`wait_loader_gone`,
:func:`wait_url_on_host` and :func:`wait_present`.

A :class:`Loc` is one intent ("the Save button of the open section") → a primary :class:`Find`
→ fallbacks, each tagged with its evidence (``[R]``/``[P]``/``[F]``/``[I]`` + the section of
/work/shared/reference/real-portal-pages.md, e.g. ``"[P] §11.1 WD:676"``). Primaries go by what a
user sees (role, visible text, the text of a field's label); the reference's structural selectors and
styled-components class names are fallbacks only, and no id or class appears here that the
reference does not show (tests/test_portal_locators.py checks it).

:func:`resolve` waits until the primary *or* any fallback is present (Playwright's ``Locator.or_``,
so no sleeping and no waiting out the primary first), takes the first that matches in table order,
and when that is a fallback calls the page's drift hook with a line such as
``portal drift: the Save button of Themes (settings.save) found by fallback css=… [P] §11.1 WD:676;
primary role=button "Save" did not match``. Pages the portal keeps polling (the dashboard) never go
network-idle, so nothing here waits for that, and nothing sleeps a fixed time.
"""

from __future__ import annotations

import enum
import fnmatch
import weakref
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from dataclasses import field as dc_field
from typing import Any

from playwright.async_api import Locator, Page
from playwright.async_api import TimeoutError as PlaywrightTimeout

from regctl.errors import RetryableStepError

__all__ = [
    "LOADER_TIMEOUT_MS",
    "DriftHook",
    "Find",
    "Kind",
    "Loc",
    "PageTable",
    "Resolution",
    "css",
    "drift_hook_of",
    "drift_message",
    "field",
    "probe",
    "register",
    "resolve",
    "role",
    "set_drift_hook",
    "table",
    "tables",
    "text",
    "url_glob",
    "wait_loader_gone",
    "wait_present",
    "wait_url_on_host",
    "xpath",
]

DriftHook = Callable[[str], None]
Root = Page | Locator
RESOLVE_TIMEOUT_MS = 15_000
LOADER_TIMEOUT_MS = 20_000  # the real cover clears in a few seconds (§18.1); longer means stuck
ACTIVE_LOADER = ".cover-loader.active"  # [P] §3.2 LR:218-221


class Kind(enum.StrEnum):
    ROLE = "role"  # get_by_role(role, name=value)
    TEXT = "text"  # get_by_text(value)
    FIELD = "field"  # the control nearest to a visible label text (a form row)
    CSS = "css"  # evidenced structure or styled-components classes (fallbacks, mostly)
    XPATH = "xpath"  # the reference's XPaths (fallbacks)


@dataclass(frozen=True)
class Find:
    """One way to find an element. ``value`` may hold ``{param}`` placeholders (see :func:`resolve`)."""

    kind: Kind
    value: str
    evidence: str
    role: str = ""  # Kind.ROLE: the ARIA role; Kind.FIELD: the control, e.g. "input", "select", "label"
    exact: bool = True
    nth: int | None = None  # take the n-th match (the scripts' ``.nth(i)``), e.g. the 2nd text input

    def filled(self, params: Mapping[str, Any]) -> str:
        return self.value.format(**params) if params else self.value

    def build(self, root: Root, params: Mapping[str, Any] | None = None) -> Locator:
        found = self._build(root, self.filled(params or {}))
        return found if self.nth is None else found.nth(self.nth)

    def _build(self, root: Root, value: str) -> Locator:
        if self.kind is Kind.ROLE:
            return root.get_by_role(self.role, name=value, exact=self.exact)  # type: ignore[arg-type]
        if self.kind is Kind.TEXT:
            return root.get_by_text(value, exact=self.exact)
        if self.kind is Kind.FIELD:
            return root.locator(_field_xpath(value, self.role or "input"))
        if self.kind is Kind.XPATH:
            return root.locator(f"xpath={value}")
        return root.locator(value)

    def describe(self, params: Mapping[str, Any] | None = None) -> str:
        value = self.filled(params or {})
        if self.kind is Kind.ROLE:
            return f'role={self.role} "{value}"'
        if self.kind is Kind.FIELD:
            return f'{self.role or "input"} of field "{value}"'
        shown = f"{self.kind.value}={value}"
        return shown if self.nth is None else f"{shown} #{self.nth}"


def _xpath_literal(value: str) -> str:
    if "'" not in value:
        return f"'{value}'"
    if '"' not in value:
        return f'"{value}"'
    parts = value.split("'")
    return "concat(" + ", \"'\", ".join(f"'{p}'" for p in parts) + ")"


def _field_xpath(label: str, control: str) -> str:
    """The first ``control`` inside the nearest ancestor of the element whose own text is ``label``
    (the label element itself excluded, so a ``label`` control is the toggle, not the caption)."""
    lit = _xpath_literal(label)
    other = f"{control}[not(normalize-space(text())={lit})]"
    return f"xpath=(.//*[normalize-space(text())={lit}]/ancestor::*[.//{other}][1]//{other})[1]"


def role(name: str, value: str, evidence: str, *, exact: bool = True) -> Find:
    """By ARIA role and accessible name, e.g. ``role("button", "Save", "[P] §11.1")``."""
    return Find(Kind.ROLE, value, evidence, role=name, exact=exact)


def text(value: str, evidence: str, *, exact: bool = True) -> Find:
    """By visible text (exact by default, as the scripts' ``text="…"``)."""
    return Find(Kind.TEXT, value, evidence, exact=exact)


def field(label: str, evidence: str, control: str = "input") -> Find:
    """The ``control`` of the form row whose visible label is ``label`` (no id or class needed)."""
    return Find(Kind.FIELD, label, evidence, role=control)


def css(selector: str, evidence: str, *, nth: int | None = None) -> Find:
    return Find(Kind.CSS, selector, evidence, nth=nth)


def xpath(path: str, evidence: str) -> Find:
    return Find(Kind.XPATH, path, evidence)


@dataclass(frozen=True)
class Loc:
    """One intent on one page: what a reader calls it, and the ways to find it, best first."""

    key: str
    intent: str  # may hold {param}s: "the Save button of {section}"
    primary: Find
    fallbacks: tuple[Find, ...] = ()
    probe_params: Mapping[str, Any] = dc_field(default_factory=dict)  # doctor's sample parameters
    probe: bool = True  # False: exists only after a change (doctor must not make it appear)

    def finds(self) -> tuple[Find, ...]:
        return (self.primary, *self.fallbacks)


@dataclass(frozen=True)
class PageTable:
    """The locators of one page (or one state of it, e.g. a dialog open)."""

    name: str  # "settings.website"
    title: str  # "Settings → Website tab"
    evidence: str  # the reference section(s)
    locs: tuple[Loc, ...]

    def __getitem__(self, key: str) -> Loc:
        for loc in self.locs:
            if loc.key == key:
                return loc
        raise KeyError(f"{self.name} has no locator {key!r}")

    def __iter__(self) -> Iterator[Loc]:
        return iter(self.locs)

    async def find(self, root: Root, key: str, *, timeout_ms: float = 0, state: str = "visible",
                   **params: Any) -> Locator:
        """:func:`resolve` of this table's ``key`` (drift lines name ``<table>.<key>``)."""
        return await resolve(root, self[key], timeout_ms=timeout_ms or RESOLVE_TIMEOUT_MS, state=state,
                             table_name=self.name, **params)


_REGISTRY: dict[str, PageTable] = {}


def register(page_table: PageTable) -> PageTable:
    """Add a table to the registry the drift probe walks (a later definition replaces an earlier)."""
    _REGISTRY[page_table.name] = page_table
    return page_table


def table(name: str) -> PageTable:
    return _REGISTRY[name]


def tables() -> list[PageTable]:
    """Every registered table, in registration order."""
    return list(_REGISTRY.values())


# ---------------------------------------------------------------- drift hook ------------------

_HOOKS: weakref.WeakKeyDictionary[Page, DriftHook] = weakref.WeakKeyDictionary()


def set_drift_hook(page: Page, hook: DriftHook | None) -> None:
    """Route this page's drift warnings to ``hook`` (the browser step records them as warnings)."""
    if hook is None:
        _HOOKS.pop(page, None)
    else:
        _HOOKS[page] = hook


def drift_hook_of(page: Page) -> DriftHook | None:
    return _HOOKS.get(page)


def _page_of(root: Root) -> Page:
    return root if isinstance(root, Page) else root.page


def drift_message(loc: Loc, used: Find, params: Mapping[str, Any], table_name: str = "") -> str:
    where = f"{table_name}.{loc.key}" if table_name else loc.key
    return (f"portal drift: {loc.intent.format(**params) if params else loc.intent} ({where}) found by "
            f"fallback {used.describe(params)} {used.evidence}; primary "
            f"{loc.primary.describe(params)} did not match")


# ---------------------------------------------------------------- resolving -------------------

@dataclass(frozen=True)
class Resolution:
    """What :func:`probe` found: the locator and which of the loc's finds matched (None: nothing)."""

    loc: Loc
    used: Find | None
    locator: Locator | None

    @property
    def found(self) -> bool:
        return self.used is not None

    @property
    def by_fallback(self) -> bool:
        return self.used is not None and self.used is not self.loc.primary


async def _matches(locator: Locator, state: str) -> bool:
    if not await locator.count():
        return False
    return state != "visible" or await locator.first.is_visible()


async def probe(root: Root, loc: Loc, *, timeout_ms: float = RESOLVE_TIMEOUT_MS, state: str = "visible",
                **params: Any) -> Resolution:
    """Wait up to ``timeout_ms`` for any of ``loc``'s finds; report the first that matches. Never clicks."""
    candidates = [(find, find.build(root, params)) for find in loc.finds()]
    anyone = candidates[0][1]
    for _, candidate in candidates[1:]:
        anyone = anyone.or_(candidate)
    try:
        await anyone.first.wait_for(state=state, timeout=timeout_ms)  # type: ignore[arg-type]
    except PlaywrightTimeout:
        return Resolution(loc, None, None)
    for find, candidate in candidates:
        if await _matches(candidate, state):
            return Resolution(loc, find, candidate)
    return Resolution(loc, None, None)


async def resolve(root: Root, loc: Loc, *, timeout_ms: float = RESOLVE_TIMEOUT_MS, state: str = "visible",
                  table_name: str = "", **params: Any) -> Locator:
    """The locator for ``loc`` (primary first, then fallbacks), reporting drift to the page's hook.

    Nothing found within ``timeout_ms`` → RetryableStepError naming the intent and every find tried.
    The result may match several elements; callers take ``.first`` / ``.nth(i)`` where they mean it.
    """
    found = await probe(root, loc, timeout_ms=timeout_ms, state=state, **params)
    if found.used is None or found.locator is None:
        tried = "; ".join(f.describe(params) for f in loc.finds())
        intent = loc.intent.format(**params) if params else loc.intent
        raise RetryableStepError(f"the portal shows no {intent} within {timeout_ms / 1000:.0f} s "
                                 f"(tried {tried})")
    if found.by_fallback:
        hook = drift_hook_of(_page_of(root))
        if hook is not None:
            hook(drift_message(loc, found.used, params, table_name))
    return found.locator


# ---------------------------------------------------------------- waiting on signals ----------

async def wait_loader_gone(page: Page, timeout_ms: float = LOADER_TIMEOUT_MS) -> None:
    """Until no ``.cover-loader`` is ``.active`` ([P] §3.2 LR:218-221; §18.1) — never networkidle."""
    try:
        await page.wait_for_selector(ACTIVE_LOADER, state="detached", timeout=timeout_ms)
    except PlaywrightTimeout:
        raise RetryableStepError(
            f"the portal's loading cover did not clear within {timeout_ms / 1000:.0f} s") from None


def url_glob(host_url: str, path_glob: str = "/**") -> str:
    """``**/admin.pumpd.co.nz/restaurant/**`` from a base URL and a path glob (§1.2: host only)."""
    host = host_url.split("://", 1)[-1].split("/", 1)[0]
    return f"**/{host}{path_glob}"


async def wait_url_on_host(page: Page, host_url: str, path_glob: str = "/**",
                           timeout_ms: float = RESOLVE_TIMEOUT_MS) -> None:
    """Until the page's URL is on ``host_url``'s host and matches ``path_glob`` (client-side or not)."""
    glob = url_glob(host_url, path_glob)
    if fnmatch.fnmatchcase(page.url, glob.replace("**", "*")):
        return
    try:
        await page.wait_for_url(glob, timeout=timeout_ms, wait_until="commit")
    except PlaywrightTimeout:
        raise RetryableStepError(f"the portal did not reach {glob} within {timeout_ms / 1000:.0f} s "
                                 f"(at {page.url})") from None


async def wait_present(root: Root, loc: Loc, *, timeout_ms: float = RESOLVE_TIMEOUT_MS,
                       **params: Any) -> None:
    """Until ``loc`` is visible (the element signal); drift is reported as by :func:`resolve`."""
    await resolve(root, loc, timeout_ms=timeout_ms, **params)

