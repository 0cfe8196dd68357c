"""Fault injection for the sandbox: latency, 5xx, 429 bursts, dropped connections, page faults.

A fault file (YAML or JSON) maps an endpoint or page name to a :class:`FaultSpec`::

    seed: 7                                  # optional; --seed overrides it
    faults:
      "*": {latency_ms: 20}                  # every API endpoint
      nzbn: {error_rate: 0.1}                # every nzbn.* endpoint
      firecrawl.scrape: {burst_429: {every: 5, length: 2, retry_after: 1}}
      cdn.status: {drop_rate: 0.2}
      portal.dashboard: {loader_never_clears: true, times: 1}
      portal.menu_import: {csv_import_fails: true}
      portal.layout: {layout_drift: [save_button_text, moved_section]}   # the portal's release churn
      portal.payments: {stripe_form: no_connect}   # the Stripe form without its Connect block

``layout_drift`` kinds (LAYOUT_DRIFTS): ``create_button_text`` ("Create New Restaurant" reads "Add
Restaurant"), ``save_button_text`` (every settings "Save" reads "Save Changes"), ``section_class_hash``
(``section__SettingsSectionWrapper-VLcLJ gVhfCf`` gets another hash) and ``moved_section`` (Website's
Themes and Colors sections swap places), ``menus_create_text`` (the Menus page's "Create New Option
Set" / "Create New Item Tag" read "New Option Set" / "New Item Tag"). ``stripe_form``: ``connect``
(default, ST) or ``no_connect`` (SN), the two live versions of the Stripe form (real-portal-pages.md §2 #1).

Names are looked up exactly, then by system prefix (the part before the first dot), then ``*``
(``*`` never applies to portal./hub. pages). Every random choice comes from a generator seeded
with ``seed`` and the endpoint name, so a run is reproducible whatever the interleaving of
endpoints. ``times: N`` makes a fault fire at most N times, then lift by itself.
"""

from __future__ import annotations

import json
import random
import threading
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

import yaml

from regctl.errors import UsageError

__all__ = [
    "CSV_IMPORT_FAILURE_TEXT",
    "LAYOUT_DRIFTS",
    "Burst429",
    "FaultAction",
    "FaultSet",
    "FaultSpec",
    "load_faults",
]

# What the portal shows when the csv_import_fails fault fires (the real portal's wording).
CSV_IMPORT_FAILURE_TEXT = (
    "Error: Failed to import menu - the import limit was reached, please try again later"
)

PAGE_PREFIXES = ("portal.", "hub.")
LAYOUT_DRIFTS = ("create_button_text", "save_button_text", "section_class_hash", "moved_section",
                 "menus_create_text")
STRIPE_FORMS = ("connect", "no_connect")


@dataclass(frozen=True)
class Burst429:
    """Requests number k (0-based, per endpoint) with ``k % every >= every - length`` get a 429."""

    every: int = 5
    length: int = 1
    retry_after: float = 1.0


@dataclass(frozen=True)
class FaultSpec:
    latency_ms: float = 0.0  # added to every matching request
    latency_jitter_ms: float = 0.0  # plus a seeded random 0..jitter
    error_rate: float = 0.0  # probability of a 5xx answer
    error_status: int = 503
    drop_rate: float = 0.0  # probability the connection is dropped mid-response
    burst_429: Burst429 | None = None
    loader_never_clears: bool = False  # page fault: the portal's .cover-loader stays .active
    csv_import_fails: bool = False  # page fault: the CSV import reports CSV_IMPORT_FAILURE_TEXT
    csv_import_message: str = CSV_IMPORT_FAILURE_TEXT
    layout_drift: tuple[str, ...] = ()  # page fault (portal.layout): LAYOUT_DRIFTS to apply
    stripe_form: str = "connect"  # portal.payments: which version of the Stripe form (STRIPE_FORMS)
    times: int | None = None  # fire at most this many times, then lift

    @property
    def latency(self) -> float:
        """Alias the portal engineer's pages may read (milliseconds)."""
        return self.latency_ms


@dataclass(frozen=True)
class FaultAction:
    """What to do with one request: wait, then answer normally, with an error, a 429, or drop."""

    delay_s: float = 0.0
    status: int | None = None  # 5xx or 429; None = answer normally
    retry_after: float | None = None
    drop: bool = False


@dataclass
class _Counter:
    requests: int = 0
    fired: int = 0


@dataclass
class FaultSet:
    """The active faults and their per-endpoint counters and random generators."""

    specs: dict[str, FaultSpec] = field(default_factory=dict)
    seed: int = 0
    _counters: dict[str, _Counter] = field(default_factory=dict, repr=False)
    _rngs: dict[str, random.Random] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def spec_for(self, name: str) -> FaultSpec | None:
        """The spec that applies to ``name``: exact, then system prefix, then ``*`` (APIs only)."""
        if name in self.specs:
            return self.specs[name]
        system = name.split(".", 1)[0]
        if system in self.specs:
            return self.specs[system]
        if not name.startswith(PAGE_PREFIXES):
            return self.specs.get("*")
        return None

    def active(self, name: str) -> FaultSpec | None:
        """The page fault for ``name`` if it should fire now (counts one use when ``times`` is set)."""
        spec = self.spec_for(name)
        if spec is None:
            return None
        with self._lock:
            counter = self._counters.setdefault(name, _Counter())
            if spec.times is not None and counter.fired >= spec.times:
                return None
            counter.fired += 1
        return spec

    def decide(self, name: str) -> FaultAction:
        """Roll the dice for one API request to endpoint ``name``."""
        spec = self.spec_for(name)
        if spec is None:
            return FaultAction()
        with self._lock:
            counter = self._counters.setdefault(name, _Counter())
            index = counter.requests
            counter.requests += 1
            if spec.times is not None and counter.fired >= spec.times:
                return FaultAction()
            action = self._roll(name, spec, index)
            if action != FaultAction():
                counter.fired += 1
        return action

    def _roll(self, name: str, spec: FaultSpec, index: int) -> FaultAction:
        rng = self._rngs.setdefault(name, random.Random(f"{self.seed}:{name}"))
        delay = (spec.latency_ms + rng.random() * spec.latency_jitter_ms) / 1000.0
        burst = spec.burst_429
        if burst is not None and index % burst.every >= burst.every - burst.length:
            return FaultAction(delay_s=delay, status=429, retry_after=burst.retry_after)
        if spec.error_rate and rng.random() < spec.error_rate:
            return FaultAction(delay_s=delay, status=spec.error_status)
        if spec.drop_rate and rng.random() < spec.drop_rate:
            return FaultAction(delay_s=delay, drop=True)
        return FaultAction(delay_s=delay)

    def reset_counters(self) -> None:
        """Start every endpoint's sequence again (same seed → same faults)."""
        with self._lock:
            self._counters.clear()
            self._rngs.clear()

    def to_json(self) -> dict[str, Any]:
        return {"seed": self.seed, "faults": {name: asdict(spec) for name, spec in self.specs.items()}}


def _spec_from(name: str, raw: Any, where: str) -> FaultSpec:
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: faults.{name}: expected a mapping, got {type(raw).__name__}")
    known = {f.name for f in fields(FaultSpec)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise UsageError(
            f"{where}: faults.{name}: unknown field(s) {', '.join(unknown)}; "
            f"known: {', '.join(sorted(known))}"
        )
    values = dict(raw)
    if values.get("burst_429") is not None:
        burst = values["burst_429"]
        if not isinstance(burst, dict) or set(burst) - {"every", "length", "retry_after"}:
            raise UsageError(f"{where}: faults.{name}.burst_429: expected {{every, length, retry_after}}")
        values["burst_429"] = Burst429(**burst)
        if values["burst_429"].every < 1 or not 0 <= values["burst_429"].length <= values["burst_429"].every:
            raise UsageError(f"{where}: faults.{name}.burst_429: need every >= 1 and 0 <= length <= every")
    if "layout_drift" in values:
        drift = values["layout_drift"]
        drift = [drift] if isinstance(drift, str) else list(drift or [])
        bad = sorted(set(drift) - set(LAYOUT_DRIFTS))
        if bad:
            raise UsageError(f"{where}: faults.{name}.layout_drift: unknown {', '.join(bad)}; "
                             f"known: {', '.join(LAYOUT_DRIFTS)}")
        values["layout_drift"] = tuple(drift)
    if values.get("stripe_form", "connect") not in STRIPE_FORMS:
        raise UsageError(f"{where}: faults.{name}.stripe_form: expected one of {', '.join(STRIPE_FORMS)}")
    for rate in ("error_rate", "drop_rate"):
        if not 0.0 <= float(values.get(rate, 0.0)) <= 1.0:
            raise UsageError(f"{where}: faults.{name}.{rate}: must be between 0 and 1")
    try:
        return FaultSpec(**values)
    except TypeError as exc:
        raise UsageError(f"{where}: faults.{name}: {exc}") from exc


def faults_from_dict(raw: Any, *, seed: int | None = None, where: str = "<faults>") -> FaultSet:
    """Validate a parsed fault document; ``seed`` (from --seed) overrides the document's."""
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise UsageError(f"{where}: expected a mapping with 'faults' (and optional 'seed')")
    unknown = sorted(set(raw) - {"seed", "faults"})
    if unknown:
        raise UsageError(f"{where}: unknown top-level key(s) {', '.join(unknown)}; expected seed, faults")
    entries = raw.get("faults") or {}
    if not isinstance(entries, dict):
        raise UsageError(f"{where}: faults: expected a mapping of endpoint/page name to fault")
    specs = {str(name): _spec_from(str(name), spec, where) for name, spec in entries.items()}
    chosen_seed = seed if seed is not None else int(raw.get("seed", 0) or 0)
    return FaultSet(specs=specs, seed=chosen_seed)


def load_faults(path: str | Path | None, *, seed: int | None = None) -> FaultSet:
    """Read a YAML/JSON fault file (or none: no faults)."""
    if path is None:
        return FaultSet(seed=seed or 0)
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise UsageError(f"{file}: cannot read fault file: {exc.strerror}") from exc
    try:
        raw = json.loads(text) if file.suffix == ".json" else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        raise UsageError(f"{file}: not valid {'JSON' if file.suffix == '.json' else 'YAML'}: {exc}") from exc
    return faults_from_dict(raw, seed=seed, where=str(file))
