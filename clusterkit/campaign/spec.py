"""The campaign spec: who was invited, when, what counts as a conversion; checked against data.

A campaign spec is a YAML mapping (unknown keys are errors)::

    name: summer-launch
    bloggers:                      # member ids or handles ("@alex", "alex" or a member id)
      - {member: m000123, cost: 800}
      - "@sofia.kim"               # shorthand: no cost
    window: {start: 2026-05-01, end: 2026-05-08}       # end is exclusive: 1-7 May
    pre_period: {start: 2026-03-01, end: 2026-05-01}   # default: the 56 days before the window
    content_ids: [c001, c002]      # optional: only cascades of these contents
    topic: "#launch"               # optional: only events with this topic
    conversions: [purchase]
    attribution_days: 14           # conversions up to 14 days after a member's exposure
    dormancy_days: 30              # "reactivated": no event in the 30 days before the window

:func:`load_campaign` reads and validates the YAML (``ConfigError``, one line each:
unknown key, bad value, pre-period overlapping the window or too short);
:func:`clusterkit.campaign.match_spec.resolve_campaign` then checks it against the data.

Examples
--------
>>> spec = CampaignSpec.model_validate({"bloggers": ["a"],
...     "window": {"start": "2026-01-20", "end": "2026-01-27"}})
>>> spec.bloggers[0].member, spec.attribution_days
('a', 14.0)
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Literal

import pandas as pd
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from clusterkit.errors import ConfigError, did_you_mean

__all__ = ["BloggerSpec", "CampaignSpec", "Period", "load_campaign"]

US_PER_DAY = 86_400_000_000
DEFAULT_PRE_DAYS = 56
MIN_PRE_DAYS = 14


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _utc(value) -> datetime:
    if isinstance(value, datetime):
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    ts = pd.Timestamp(str(value))
    return (ts.tz_localize("UTC") if ts.tzinfo is None else ts.tz_convert("UTC")).to_pydatetime()


class Period(_Strict):
    """A half-open time span ``[start, end)`` in UTC; dates mean midnight UTC."""

    start: datetime
    end: datetime

    @field_validator("start", "end", mode="before")
    @classmethod
    def _parse(cls, value):
        try:
            return _utc(value)
        except (ValueError, TypeError):
            raise ValueError(f"{value!r} is not a date or ISO-8601 timestamp") from None

    @model_validator(mode="after")
    def _ordered(self):
        if self.end <= self.start:
            raise ValueError(f"end {self.end:%Y-%m-%d %H:%M} must be after start "
                             f"{self.start:%Y-%m-%d %H:%M}")
        return self

    @property
    def days(self) -> float:
        """Length in days."""
        return (self.end - self.start) / timedelta(days=1)


class BloggerSpec(_Strict):
    """An invited blogger (or an event's account): member id or handle, optional cost."""

    member: str = Field(min_length=1)
    cost: float | None = Field(None, ge=0)
    label: str | None = None


class CampaignSpec(_Strict):
    """A campaign: invited bloggers, window, pre-period, conversions, attribution window.

    Attributes
    ----------
    name : str
        Shown in outputs.
    bloggers : list of BloggerSpec
        Member ids or handles (``"@alex"``, ``"alex"`` or ``"m000123"``), each with an
        optional ``cost`` (currency of your choice) and ``label``. A plain string is
        shorthand for ``{member: ...}``.
    window : Period
        The event or activation window; cascades are the reshares made in it.
    pre_period : Period, optional
        Baseline for matching, difference-in-differences and the counterfactual series;
        default: the :data:`DEFAULT_PRE_DAYS` days before the window. At least
        :data:`MIN_PRE_DAYS` days, ending at or before the window's start.
    content_ids : list of str
        Only cascades of these contents (default: any content of the bloggers).
    topic : str, optional
        Only events with this topic / hashtag (case-insensitive; ``#`` optional).
    cascade_actions : list of str
        Actions that propagate a cascade (each with a ``target_id``).
    target_is : {"parent", "author"}
        What an event's ``target_id`` names. ``"parent"``: the member whose reshare was
        reshared (a reshare of an adopter continues the cascade). ``"author"``: the original
        author, as in Twitter's retweets (only events aimed at the blogger join, and parents
        come from the follow graph).
    conversions : list of str
        Actions that count as conversions.
    attribution_days : float
        A conversion is attributed to a blogger when it happens within this many days of
        the member's exposure; the outcome period is ``[window.start, window.end +
        attribution_days)``.
    dormancy_days : float
        A member is *reactivated* when active before the window but not in the
        ``dormancy_days`` before it.
    neighbours : int
        Matched unexposed members per exposed member.
    bootstrap : int
        Bootstrap replicates of the incrementality intervals.
    confidence : float
        Level of every interval.
    counterfactual_level : {"local level", "local linear trend"}
        Trend of the community counterfactual (see
        :mod:`clusterkit.campaign.counterfactual`).
    attribution_model : str
        Attribution model that credits each blogger as a channel (a name of
        ``clusterkit.attribution.MODELS``; see :mod:`clusterkit.campaign.channel`).
    seed : int
        Seed of matching ties, bootstrap and counterfactual simulation.
    """

    name: str = "campaign"
    bloggers: list[BloggerSpec] = Field(min_length=1)
    window: Period
    pre_period: Period | None = None
    content_ids: list[str] = Field(default_factory=list)
    topic: str | None = None
    cascade_actions: list[str] = Field(
        default_factory=lambda: ["share", "retweet", "mention", "reply"], min_length=1)
    target_is: Literal["parent", "author"] = "parent"
    conversions: list[str] = Field(default_factory=lambda: ["purchase"], min_length=1)
    attribution_days: float = Field(14.0, gt=0, le=365)
    dormancy_days: float = Field(30.0, gt=0)
    neighbours: int = Field(5, ge=1, le=50)
    bootstrap: int = Field(1000, ge=100, le=100_000)
    confidence: float = Field(0.95, gt=0.5, lt=1)
    counterfactual_level: Literal["local level", "local linear trend"] = "local level"
    attribution_model: str = "model"
    seed: int = Field(0, ge=0)

    @field_validator("bloggers", mode="before")
    @classmethod
    def _shorthand(cls, value):
        if isinstance(value, list):
            return [{"member": str(v)} if isinstance(v, str | int) else v for v in value]
        return value

    @field_validator("cascade_actions", "conversions")
    @classmethod
    def _lower(cls, value):
        return [str(v).strip().lower() for v in value]

    @model_validator(mode="after")
    def _periods(self):
        pre = self.pre_period
        if pre is not None and pre.end > self.window.start:
            raise ValueError(
                f"pre_period ({pre.start:%Y-%m-%d} to {pre.end:%Y-%m-%d}) overlaps the window "
                f"starting {self.window.start:%Y-%m-%d}; end the pre-period at or before it")
        if pre is not None and pre.days < MIN_PRE_DAYS:
            raise ValueError(f"pre_period is {pre.days:g} days; give at least {MIN_PRE_DAYS} "
                             "days (matching and the counterfactual need a baseline)")
        try:  # every date the campaign derives must exist (a window from 0001 to 9999 …)
            base = self.baseline()
            _ = (base.start - timedelta(days=self.dormancy_days),
                 self.window.end + timedelta(days=self.attribution_days))
        except OverflowError:
            raise ValueError(
                f"window {self.window.start:%Y-%m-%d} to {self.window.end:%Y-%m-%d} with its "
                f"pre-period, {self.dormancy_days:g} dormancy days and "
                f"{self.attribution_days:g} attribution days reaches past the years 1-9999; "
                "give a narrower window") from None
        return self

    def baseline(self) -> Period:
        """The pre-period, defaulted to the :data:`DEFAULT_PRE_DAYS` days before the window."""
        if self.pre_period is not None:
            return self.pre_period
        start = self.window.start - timedelta(days=DEFAULT_PRE_DAYS)
        return Period(start=start, end=self.window.start)


def _one_line(exc: ValidationError, source: str) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"]) or "(top level)"
    if err["type"] == "extra_forbidden":
        valid = list(CampaignSpec.model_fields)
        did = did_you_mean(err["loc"][-1], valid)
        return f"{source}: unknown key {loc!r}.{did} Valid keys: {', '.join(valid)}."
    msg = err["msg"].removeprefix("Value error, ")
    got = f" (got {err['input']!r})" if err["type"] != "value_error" and "input" in err else ""
    where = f"{loc}: " if err["loc"] else ""
    return f"{source}: {where}{msg}{got}."


def load_campaign(path_or_mapping) -> CampaignSpec:
    """Read a campaign YAML file (or a mapping) into a validated :class:`CampaignSpec`.

    Raises
    ------
    ConfigError
        Unreadable file, unknown key, bad value, pre-period overlapping the window; one line.

    Examples
    --------
    >>> load_campaign({"bloggers": ["a"], "window": {"start": "2026-01-20",
    ...                "end": "2026-01-10"}})  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    clusterkit.errors.ConfigError: campaign: window: end 2026-01-10 00:00 must be after ...
    """
    if isinstance(path_or_mapping, dict):
        raw, source = path_or_mapping, "campaign"
    else:
        from clusterkit.config import read_yaml_mapping

        source = str(path_or_mapping)
        raw = read_yaml_mapping(Path(path_or_mapping))
    try:
        return CampaignSpec.model_validate(raw)
    except ValidationError as exc:
        raise ConfigError(_one_line(exc, source)) from None
