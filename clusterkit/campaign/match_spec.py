"""A campaign spec checked against the data: member ids, time bounds, one-line errors.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> from clusterkit.campaign.spec import load_campaign
>>> events = pd.DataFrame({"member_id": ["a", "b"], "action": ["post", "retweet"],
...                        "timestamp": ["2026-01-01", "2026-03-10"], "target_id": [None, "a"]})
>>> data = CommunityData.from_frames(events=events)
>>> spec = load_campaign({"bloggers": ["zz"], "window": {"start": "2026-03-01",
...                       "end": "2026-03-08"}})
>>> resolve_campaign(spec, data)  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
clusterkit.errors.ConfigError: bloggers[0]: 'zz' is not a member id or handle in the data ...
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import numpy as np
import pandas as pd

from clusterkit.campaign.spec import (
    DEFAULT_PRE_DAYS,
    MIN_PRE_DAYS,
    US_PER_DAY,
    CampaignSpec,
)
from clusterkit.errors import ConfigError, DataError, did_you_mean

__all__ = ["ResolvedCampaign", "resolve_campaign"]


@dataclass(frozen=True)
class ResolvedCampaign:
    """A spec checked against data: member ids and epoch-microsecond bounds.

    Attributes
    ----------
    spec : CampaignSpec
    bloggers : tuple of str
        Member ids, in spec order.
    blogger_codes : numpy.ndarray
        Their positions in ``data.member_ids``.
    labels : tuple of str
        Display name per blogger (label, else the handle given, else the member id).
    costs : numpy.ndarray
        Cost per blogger (NaN where none was given).
    start, end : int
        The window, microseconds since the epoch (UTC), ``[start, end)``.
    pre_start, pre_end : int
        The pre-period.
    out_end : int
        End of the outcome period: ``end + attribution_days``, cut at the end of the data.
    data_start, data_end : int
        First and last event time.
    topics : tuple of str
        The topic values in the data that match ``spec.topic`` (any case, ``#`` optional).
    warnings : tuple of str
    """

    spec: CampaignSpec
    bloggers: tuple[str, ...]
    blogger_codes: np.ndarray
    labels: tuple[str, ...]
    costs: np.ndarray
    start: int
    end: int
    pre_start: int
    pre_end: int
    out_end: int
    data_start: int
    data_end: int
    topics: tuple[str, ...] = ()
    warnings: tuple[str, ...] = field(default=())

    @property
    def attribution_us(self) -> int:
        """The attribution window in microseconds."""
        return int(self.spec.attribution_days * US_PER_DAY)


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def _us(value: datetime) -> int:
    """Microseconds since the epoch, exact for any year 1-9999 (no nanosecond overflow)."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return (value - _EPOCH) // timedelta(microseconds=1)


def _day(us: int) -> str:
    return pd.Timestamp(us * 1000, tz="UTC").strftime("%Y-%m-%d %H:%M")


def _handle_map(data) -> pd.Series:
    """Normalised handle (lower case, no '@') → member id, from members and identities."""
    parts = []
    if "handle" in data.members.columns:
        h = data.members["handle"].dropna()
        parts.append(pd.DataFrame({"key": h.to_numpy(dtype=object),
                                   "member_id": h.index.to_numpy(dtype=object)}))
    if data.identities is not None:
        parts.append(pd.DataFrame({"key": data.identities["handle"].to_numpy(dtype=object),
                                   "member_id": data.identities["member_id"].to_numpy(
                                       dtype=object)}))
    if not parts:
        return pd.Series(dtype=object)
    df = pd.concat(parts, ignore_index=True).dropna()
    df["key"] = df["key"].astype(str).str.strip().str.lower().str.lstrip("@")
    return df.drop_duplicates().set_index("key")["member_id"]


def _resolve_bloggers(spec: CampaignSpec, data) -> list[str]:
    ids = []
    wanted = [b.member.strip() for b in spec.bloggers]
    pos = data.member_index(wanted)
    handles = None
    for i, (name, p) in enumerate(zip(wanted, pos, strict=True)):
        if p >= 0:
            ids.append(name)
            continue
        if handles is None:
            handles = _handle_map(data)
        hits = handles[handles.index == name.lower().lstrip("@")].unique() if len(
            handles) else []
        if len(hits) == 1:
            ids.append(str(hits[0]))
            continue
        if len(hits) > 1:
            raise ConfigError(
                f"bloggers[{i}]: handle {name!r} names {len(hits)} members "
                f"({', '.join(map(str, sorted(hits)[:5]))}); give the member id instead.")
        pool = data.member_ids if data.n_members <= 50_000 else data.member_ids[:0]
        did = did_you_mean(name, pool)
        raise ConfigError(
            f"bloggers[{i}]: {name!r} is not a member id or handle in the data "
            f"({data.n_members:,} members).{did} Use a member_id from the data or a handle "
            "from the members / identities table.")
    seen = pd.Index(ids)
    if seen.has_duplicates:
        dup = seen[seen.duplicated()][0]
        raise ConfigError(f"bloggers: member {dup!r} is listed twice; list each blogger once.")
    return ids


def resolve_campaign(spec: CampaignSpec, data) -> ResolvedCampaign:
    """Check a spec against data and return member ids and time bounds.

    Parameters
    ----------
    spec : CampaignSpec
    data : CommunityData
        Needs an events table.

    Returns
    -------
    ResolvedCampaign

    Raises
    ------
    DataError
        No events table, or no event in the pre-period.
    ConfigError
        Unknown blogger, window or pre-period outside the data, content id or topic that
        no event carries.
    """
    ev = data.events
    if ev is None or len(ev) == 0:
        raise DataError("a campaign needs an events table (member_id, action, timestamp, "
                        "target_id); the data has none.")
    bloggers = _resolve_bloggers(spec, data)
    ts = ev["timestamp"]
    data_start, data_end = _us(ts.min()), _us(ts.max())
    lo = data_start - data_start % US_PER_DAY  # whole days of data
    hi = data_end - data_end % US_PER_DAY + US_PER_DAY
    win, pre = spec.window, spec.baseline()
    start, end = _us(win.start), _us(win.end)
    span = f"the data run from {_day(data_start)} to {_day(data_end)} UTC"
    if start < lo or end > hi:
        raise ConfigError(f"window {win.start:%Y-%m-%d %H:%M} to {win.end:%Y-%m-%d %H:%M} lies "
                          f"outside the data: {span}. Move the window inside.")
    pre_start, pre_end = _us(pre.start), _us(pre.end)
    if pre_start < lo:
        which = "pre_period" if spec.pre_period is not None else "the default pre-period " \
            f"({DEFAULT_PRE_DAYS} days before the window)"
        raise ConfigError(f"{which} starts {pre.start:%Y-%m-%d}, before the data: {span}. "
                          "Give a pre_period inside the data (at least "
                          f"{MIN_PRE_DAYS} days, before the window).")
    warnings = []
    out_end = end + int(spec.attribution_days * US_PER_DAY)
    if out_end > hi:
        warnings.append(f"the attribution window runs past the end of the data; outcomes are "
                        f"counted up to {_day(data_end)}.")
        out_end = hi
    if spec.content_ids:
        have = ev["content_id"] if "content_id" in ev.columns else pd.Series(dtype=object)
        missing = sorted(set(spec.content_ids) - set(have[have.isin(spec.content_ids)]))
        if missing:
            raise ConfigError(f"content_ids: {missing[:5]} appear in no event (column "
                              "content_id); check the ids or remove content_ids.")
    topics: tuple[str, ...] = ()
    if spec.topic is not None:
        key = spec.topic.strip().lower().lstrip("#")
        col = ev["topic"] if "topic" in ev.columns else pd.Series(dtype=object)
        values = pd.Series(pd.unique(col.dropna().to_numpy(dtype=object)), dtype=object)
        topics = tuple(sorted(values[values.str.lower().str.lstrip("#") == key]))
        if not topics:
            raise ConfigError(f"topic: no event has topic {spec.topic!r} (column topic); check "
                              "the hashtag or remove topic.")
    conv = ev["action"].isin(spec.conversions)
    if not conv.any():
        warnings.append(f"no {spec.conversions} events in the data: conversions are all 0.")
    labels = []
    for b, mid in zip(spec.bloggers, bloggers, strict=True):
        labels.append(b.label or (b.member if b.member != mid else mid))
    costs = np.array([np.nan if b.cost is None else b.cost for b in spec.bloggers], dtype=float)
    return ResolvedCampaign(
        spec=spec, bloggers=tuple(bloggers),
        blogger_codes=data.member_index(bloggers).astype(np.int64), labels=tuple(labels),
        costs=costs, start=start, end=end, pre_start=pre_start, pre_end=pre_end,
        out_end=out_end, data_start=data_start, data_end=data_end, topics=topics,
        warnings=tuple(warnings))
