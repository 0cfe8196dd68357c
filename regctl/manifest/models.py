"""The manifest's shape as pydantic models (SPEC §5), and pydantic errors → located ManifestErrors.

The models only check shape and types; graph rules (cycles, unknown needs, step types) are
:mod:`regctl.pipeline`'s, and cross-field rules (duplicate restaurants, policies naming steps) are
:mod:`regctl.manifest`'s.
"""

from __future__ import annotations

import math
import re
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictBool,
    StrictInt,
    ValidationError,
    field_validator,
    model_validator,
)

from regctl.bounds import webhook_problem
from regctl.errors import ManifestError
from regctl.manifest.located_yaml import Located, Path_
from regctl.suggest import did_you_mean

__all__ = [
    "ExecutionModel",
    "ManifestModel",
    "PipelineModel",
    "RestaurantModel",
    "StepModel",
    "first_error",
    "located_errors",
    "parse_duration",
]

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([a-z]*)\s*$")
_UNITS = {"": 1.0, "ms": 0.001, "s": 1.0, "sec": 1.0, "secs": 1.0, "second": 1.0, "seconds": 1.0,
          "m": 60.0, "min": 60.0, "mins": 60.0, "minute": 60.0, "minutes": 60.0,
          "h": 3600.0, "hr": 3600.0, "hour": 3600.0, "hours": 3600.0}


def parse_duration(value: Any) -> float:
    """Seconds from ``30``, ``"30s"``, ``"2m"``, ``"150 s"``, ``"30 min"``, ``"1h"``, ``"500ms"``."""
    if isinstance(value, bool):
        raise ValueError("a duration, like 30s, 2m or 1h, not a boolean")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        match = _DURATION.match(str(value).lower())
        if match is None or match.group(2) not in _UNITS:
            raise ValueError(f"{value!r} is not a duration (like 30s, 2m, 150s, 1h)")
        seconds = float(match.group(1)) * _UNITS[match.group(2)]
    if not math.isfinite(seconds) or seconds <= 0:
        raise ValueError(f"{value!r} must be a positive duration")
    if seconds > MAX_DURATION:
        raise ValueError(f"{value!r} is longer than {MAX_DURATION / 86400:.0f} days")
    return seconds


Duration = Annotated[float, BeforeValidator(parse_duration)]
# Every integer has a documented range (docs/security.md, README): a value that validates is one
# the engine can store and act on, so nothing stored can crash a later run.
MAX_DURATION = 7 * 86400.0
MAX_ATTEMPTS = 100  # retries: attempts in all
MAX_PARALLEL = 1000  # max_parallel_restaurants
MAX_SLOTS = 1000  # execution.limits values
MAX_CAPACITY = 100_000  # rate_limits capacity per window
PositiveInt = Annotated[StrictInt, Field(ge=1)]
Name = Annotated[str, Field(min_length=1, max_length=200)]
ShortName = Annotated[str, Field(min_length=1, max_length=100)]  # organisation, target: 100 in the schema
Short = Annotated[str, Field(max_length=100)]
Text = Annotated[str, Field(max_length=2000)]
Url = Annotated[str, Field(max_length=2000, pattern=r"^https?://\S+$")]
_TIME = r"^([01]\d|2[0-3]):[0-5]\d$|^24:00$"
Day = Literal["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StepModel(_Strict):
    key: Annotated[str, Field(min_length=1, max_length=100, pattern=r"^[A-Za-z_][A-Za-z0-9_.-]*$")]
    uses: Annotated[str, Field(min_length=1, max_length=200)]
    with_: dict[str, Any] = Field(default_factory=dict, alias="with")
    needs: Annotated[list[ShortName], Field(max_length=100)] = Field(default_factory=list)
    after: Annotated[list[ShortName], Field(max_length=100)] = Field(default_factory=list)
    when: Text | None = None
    critical: StrictBool = True
    retries: Annotated[StrictInt, Field(ge=1, le=MAX_ATTEMPTS)] | None = None  # attempts in all
    timeout: Duration | None = None


class PipelineModel(_Strict):
    name: Name = "custom"
    steps: Annotated[list[StepModel], Field(min_length=1, max_length=100)]


class RateLimitModel(_Strict):
    capacity: Annotated[StrictInt, Field(ge=1, le=MAX_CAPACITY)]
    window: Duration


class ExecutionModel(_Strict):
    mode: Literal["parallel", "sequential"] = "parallel"
    max_parallel_restaurants: Annotated[StrictInt, Field(ge=1, le=MAX_PARALLEL)] = 10
    limits: Annotated[dict[ShortName, Annotated[StrictInt, Field(ge=1, le=MAX_SLOTS)]],
                      Field(max_length=50)] = Field(default_factory=dict)
    rate_limits: Annotated[dict[ShortName, RateLimitModel], Field(max_length=50)] = Field(
        default_factory=dict)


class OpeningHoursModel(_Strict):
    day: Day
    open: Annotated[str, Field(pattern=_TIME)]
    close: Annotated[str, Field(pattern=_TIME)]


class RestaurantModel(_Strict):
    """One restaurant. Inline, unknown keys are typos (rejected); custom data goes under ``extra``."""

    model_config = ConfigDict(extra="forbid", frozen=True, coerce_numbers_to_str=True)

    name: Annotated[str, Field(min_length=1, max_length=300)]
    address: Text | None = None
    city: Annotated[str, Field(max_length=200)] | None = None
    phone: Short | None = None
    email: Annotated[str, Field(max_length=300, pattern=r"^[^@\s]+@[^@\s]+\.[^@\s]+$")] | None = None
    website: Url | None = None
    ubereats_url: Url | None = None
    menu_file: Annotated[str, Field(max_length=1000)] | None = None
    opening_hours: Annotated[list[OpeningHoursModel], Field(max_length=50)] | None = None
    cuisines: Annotated[list[Short], Field(max_length=50)] | None = None
    extra: dict[str, Any] = Field(default_factory=dict)

    @field_validator("name")
    @classmethod
    def _name_not_blank(cls, value: str) -> str:
        if not value.strip():
            raise ValueError("the name must not be blank")
        return value.strip()


class NotifyModel(_Strict):
    """``notify: {webhook: URL}`` — https, a public address unless ``allow_private_addresses: true``."""

    webhook: Annotated[str, Field(min_length=1, max_length=2000)]
    allow_private_addresses: StrictBool = False

    @model_validator(mode="after")
    def _webhook_allowed(self) -> NotifyModel:
        problem = webhook_problem(self.webhook, allow_private=self.allow_private_addresses)
        if problem:
            raise ValueError(problem)
        return self


class ManifestModel(_Strict):
    """The top level. ``pipeline`` and ``restaurants`` are validated separately, item by item."""

    batch: Name
    organisation: ShortName
    target: ShortName = "sandbox"
    pipeline: Any = "onboarding"
    execution: ExecutionModel = Field(default_factory=ExecutionModel)
    policies: dict[str, Annotated[str, Field(min_length=1)] | dict[str, Any]] = Field(default_factory=dict)
    defaults: dict[str, Any] = Field(default_factory=dict)
    notify: NotifyModel | None = None
    restaurants: list[Any] | None = None
    restaurants_from: Annotated[str, Field(min_length=1)] | None = None

    @field_validator("batch")
    @classmethod
    def _batch_not_a_number(cls, value: str) -> str:
        if value.strip().isdigit():
            raise ValueError("a batch name must not be a plain number (numbers address batches by id)")
        if value != value.strip() or not value:
            raise ValueError("a batch name must not start or end with spaces")
        return value


RESTAURANT_FIELDS = tuple(n for n in RestaurantModel.model_fields if n != "extra")


def located_errors(exc: ValidationError, located: Located, base: Path_ = ()) -> list[ManifestError]:
    """Every error of a pydantic ValidationError, located in the file, in line order — one per mistake:
    a mistyped key (``webhok``) is reported once, with its suggestion, not also as the key it misses."""
    errors = [e for e in exc.errors() if not _misspelt(e, exc.errors())]
    errors.sort(key=lambda e: located.line_of((*base, *e["loc"])) or 0)
    return [located.error(_message(err, (*base, *err["loc"])), (*base, *err["loc"])) for err in errors]


def _misspelt(err: Any, errors: list[Any]) -> bool:
    """A missing key that an unknown sibling key is a misspelling of (its "did you mean" names it)."""
    if err["type"] != "missing":
        return False
    parent, name = tuple(err["loc"][:-1]), str(err["loc"][-1])
    return any(other["type"] == "extra_forbidden" and tuple(other["loc"][:-1]) == parent
               and did_you_mean(other["loc"][-1], [name]) for other in errors)


def first_error(exc: ValidationError, located: Located, base: Path_ = ()) -> ManifestError:
    """The earliest (by line) error of a pydantic ValidationError, located in the file."""
    errors = sorted(exc.errors(), key=lambda e: located.line_of((*base, *e["loc"])) or 0)
    err = errors[0]
    path: Path_ = (*base, *err["loc"])
    more = f" (and {len(errors) - 1} more problem{'s' if len(errors) > 2 else ''})" if len(errors) > 1 else ""
    return located.error(_message(err, path) + more, path)


def _message(err: Any, path: Path_) -> str:
    kind = err["type"]
    if kind == "extra_forbidden":
        return f"unknown key {path[-1]!r}" + _allowed_hint(path)
    if kind == "missing":
        return f"required key {path[-1]!r} is missing"
    if kind == "string_pattern_mismatch":
        return f"{err['input']!r} is not a valid {_PATTERN_NAMES.get(str(path[-1]), str(path[-1]))}"
    message = str(err["msg"]).removeprefix("Value error, ")
    return f"{message} (got {err['input']!r})" if _shows_input(err) else message


_PATTERN_NAMES = {"email": "e-mail address", "website": "URL (http:// or https://)",
                  "ubereats_url": "URL (http:// or https://)", "open": "time (HH:MM, 00:00 to 24:00)",
                  "close": "time (HH:MM, 00:00 to 24:00)", "key": "step key (letters, digits, _ . -)"}


def _shows_input(err: Any) -> bool:
    return not isinstance(err.get("input"), dict | list) and err["type"] != "value_error"


def _allowed_hint(path: Path_) -> str:
    named = [p for p in reversed(path[:-1]) if isinstance(p, str) and p in _MODELS]
    model = _MODELS[named[0]] if named else ManifestModel
    names = [f.alias or n for n, f in model.model_fields.items()]
    hint = "; put custom data under 'extra'" if model is RestaurantModel else ""
    return f"{did_you_mean(path[-1], names)}; allowed: {', '.join(names)}{hint}"


_MODELS: dict[str, type[BaseModel]] = {
    "execution": ExecutionModel, "restaurants": RestaurantModel, "steps": StepModel,
    "opening_hours": OpeningHoursModel, "rate_limits": RateLimitModel, "pipeline": PipelineModel,
    "notify": NotifyModel,
}
