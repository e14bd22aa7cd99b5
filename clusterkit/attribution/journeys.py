"""Journeys: each person's ordered touches before a conversion, cut with sorted arrays.

A *journey* is the ordered list of a person's touches (a channel, or an action on a channel)
in a lookback window before one conversion, or, for touches after a person's last conversion
(every touch of a person who never converted), in the lookback window before the end of the
data. One journey per conversion, at most one non-converting journey per person.

Rules, in the order they are applied:

* a *conversion* is an event whose action is in ``conversions`` (default ``purchase``); every
  other event is a *touch*;
* a touch belongs to the first conversion of the same person at or after it (a touch at the
  very instant of a conversion belongs to that conversion), so touches before an earlier
  conversion are never counted twice; touches after the last conversion belong to the
  person's non-converting journey, which ends at the end of the data;
* only touches in ``(end - lookback_days, end]`` are kept, ``end`` being the conversion time
  or the end of the data;
* a conversion with no touch in its window is not a journey: nothing can be credited, and
  persons who neither touched nor converted are not observed either, so keeping them would
  bias every conversion rate upward.

Persons: the ``person_id`` column of the members table when there is one (identity
resolution writes it), else ``persons`` when given, else every member is its own person.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> events = pd.DataFrame({
...     "member_id": ["a", "a", "a", "b", "b"],
...     "action": ["view", "like", "purchase", "view", "like"],
...     "channel": ["web", "twitter", "shop", "web", "twitter"],
...     "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-02", "2026-01-04"]})
>>> j = build_journeys(CommunityData.from_frames(events=events))
>>> print(j[["person_id", "journey_id", "step", "touch", "converted"]].to_string(index=False))
person_id  journey_id  step   touch  converted
        a           0     0     web       True
        a           0     1 twitter       True
        b           1     0     web      False
        b           1     1 twitter      False
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.attribution._spells import Spells
from clusterkit.data.codes import factor as _factor
from clusterkit.errors import ConfigError, DataError

__all__ = ["JOURNEY_COLUMNS", "TOUCH_SEP", "build_journeys", "journey_level", "to_channel_level",
           "window_journeys", "write_journeys"]

TOUCH_SEP = "@"
"""Separator of an action-level touch: ``"like@twitter"`` is a like on twitter."""

JOURNEY_COLUMNS = ("person_id", "journey_id", "step", "touch", "timestamp", "journey_end",
                   "converted", "conversion_value", "prior_conversions")
"""Columns of a journeys frame, one row per touch.

``journey_id`` (int64, dense from 0 in ``(person_id, journey end)`` order), ``step`` (0-based
position in the journey), ``touch`` (categorical: the channel, or ``action@channel``),
``timestamp`` and ``journey_end`` (UTC: the conversion time, or the end of the data for a
non-converting journey), ``converted`` (bool) and ``conversion_value`` (the conversion's
``value``, NaN when the data has none; 0 for a non-converting journey),
``prior_conversions`` (the person's conversions before this journey: 0 for a first
purchase, more for a repeat one).
"""

_NO_LOOKBACK_US = 10**17  # about 3,000 years: every touch of the journey


def _check_params(conversions, level, lookback_days) -> tuple[str, ...]:
    if level not in ("channel", "action"):
        raise ConfigError(f"The 'level' parameter of build_journeys must be 'channel' or "
                          f"'action'. Got {level!r} instead.")
    if lookback_days is not None and (
            isinstance(lookback_days, bool) or not isinstance(lookback_days, int | float) or
            not np.isfinite(lookback_days) or lookback_days <= 0):
        raise ConfigError(f"The 'lookback_days' parameter of build_journeys must be a number "
                          f"> 0 (days of touches kept before a conversion). Got "
                          f"{lookback_days!r} instead.")
    if isinstance(conversions, str):
        conversions = (conversions,)
    conv = tuple(sorted({str(c).strip().lower() for c in conversions}))
    if not conv or "" in conv:
        raise ConfigError("The 'conversions' parameter of build_journeys must name at least "
                          f"one action (e.g. ('purchase',)). Got {conversions!r} instead.")
    return conv


def _dense(codes: np.ndarray):
    """The codes in use (sorted) and each code's rank among them: ``np.unique`` in O(n)."""
    seen = np.bincount(codes) > 0 if len(codes) else np.zeros(0, dtype=bool)
    used = np.flatnonzero(seen)
    rank = np.cumsum(seen) - 1
    return used, rank[codes]


def _utc(us: np.ndarray) -> pd.Series:
    return pd.Series(us.view("datetime64[us]")).dt.tz_localize("UTC")  # one copy, not two


def _person_codes(member_ids: pd.Series, persons: pd.DataFrame):
    """Each event's person as a code that sorts as the person ids do, and the sorted ids."""
    ids = member_ids.astype("str")
    if len(persons):
        at = pd.Index(persons["member_id"]).get_indexer(ids)
        mapped = persons["person_id"].to_numpy(dtype=object)[np.maximum(at, 0)]
        ids = pd.Series(np.where(at >= 0, mapped, ids.to_numpy(dtype=object)), dtype="str")
    codes, names = pd.factorize(ids, sort=True)
    return codes.astype(np.int64), pd.Index(names, dtype="str")


def _touch_codes(ev: pd.DataFrame, level: str, actions=None):
    """Each event's touch (channel, or action@channel) as a code that sorts as its name;
    ``actions``: the action column's :func:`_factor`, when already computed."""
    if "channel" in ev.columns:
        c_codes, c_names = _factor(ev["channel"], fill="unknown")
    else:
        c_codes, c_names = np.zeros(len(ev), np.int64), np.array(["unknown"], dtype=object)
    if level == "action":
        a_codes, a_names = _factor(ev["action"]) if actions is None else actions
        pair = a_codes * len(c_names) + c_codes
        used, inverse = _dense(pair)
        names = (a_names[used // len(c_names)] + TOUCH_SEP + c_names[used % len(c_names)])
    else:
        inverse, names = c_codes, c_names
    order = np.argsort(names.astype(str), kind="stable")
    rank = np.empty(len(order), dtype=np.int64)
    rank[order] = np.arange(len(order))
    return rank[inverse], pd.Index(names[order].astype(str), dtype="str")


def _persons(data, persons) -> pd.DataFrame:
    if persons is None and "person_id" in data.members.columns:
        persons = data.members["person_id"]
    if persons is None:
        return pd.DataFrame({"member_id": pd.Series([], dtype="str"),
                             "person_id": pd.Series([], dtype="str")})
    if isinstance(persons, pd.DataFrame):
        if not {"member_id", "person_id"} <= set(persons.columns):
            raise DataError("persons must have columns member_id and person_id.",
                            column="person_id")
        frame = persons[["member_id", "person_id"]]
    else:
        frame = pd.DataFrame({"member_id": persons.index.astype(str),
                              "person_id": pd.Series(persons).to_numpy()})
    frame = frame.dropna().astype({"member_id": "str", "person_id": "str"})
    dup = frame["member_id"].duplicated()
    if dup.any():
        raise DataError(f"persons maps member {frame['member_id'][dup].iloc[0]!r} to more than "
                        "one person; give one person_id per member.", column="member_id")
    return frame.reset_index(drop=True)


def build_journeys(data, conversions=("purchase",), level="channel", lookback_days=30.0, *,
                   persons=None, end=None, reference="end", seed=0) -> pd.DataFrame:
    """Every person's journeys: ordered touches before each conversion, and the rest.

    Parameters
    ----------
    data : CommunityData
        Needs an events table (``member_id``, ``action``, ``timestamp``; ``channel`` and
        ``value`` are used when present; a missing channel is ``"unknown"``).
    conversions : sequence of str, default ("purchase",)
        Actions that are conversions (case-insensitive).
    level : {"channel", "action"}
        A touch is the event's channel, or ``action@channel``.
    lookback_days : float or None, default 30
        Touches older than this before the journey's end are dropped; ``None`` keeps every
        touch of the journey (a *spell*: since the person's previous conversion), as the
        default attribution model reads them.
    persons : pandas.Series or DataFrame, optional
        member_id → person_id (a Series indexed by member_id, or a frame with both
        columns); default: the members table's ``person_id`` column, else person = member.
    end : timestamp-like, optional
        End of the data; default the latest event.
    reference : {"end", "matched"}, default "end"
        Where a non-converting journey ends. ``"matched"``: at a pseudo-conversion time,
        the person's last touch plus a gap drawn from the converting journeys' gaps
        (conversion minus last touch), so that every journey's end, window and recency are
        defined the same way whether it converted or not. ``"end"``: at the end of the data
        (a converting journey then ends minutes after its last touch and a non-converting
        one days or months later, so recency and the window itself predict conversion).
        The default attribution model needs neither: it reads whole spells
        (``lookback_days=None``) and decides itself how long a person stays at risk.
    seed : int, default 0
        Seed of the drawn gaps (``reference="matched"``).

    Returns
    -------
    pandas.DataFrame
        One row per touch, columns :data:`JOURNEY_COLUMNS`, sorted by journey and step.

    Raises
    ------
    ConfigError
        Bad ``level``, ``lookback_days`` or ``conversions``.
    DataError
        No events, no conversion event, or an action containing ``"@"`` at action level.

    See Also
    --------
    clusterkit.attribution.attribute : credit touches with a model.
    """

    conv = _check_params(conversions, level, lookback_days)
    ev = data.events
    if ev is None or len(ev) == 0:
        raise DataError("journeys need an events table with rows; this dataset has none.",
                        file=data.sources.get("events"))
    src = data.sources.get("events")
    actions = _factor(ev["action"])
    is_conv = np.isin(actions[1], list(conv))[actions[0]]
    if not is_conv.any():
        seen = ev["action"].astype("str").value_counts().head(6)
        raise DataError(
            f"no conversions in the data: no event has action in {list(conv)}. Actions seen "
            f"(most frequent): {', '.join(f'{a} ({n:,})' for a, n in seen.items())}. Pass "
            "the conversion action(s) with conversions=... (CLI --conversions).",
            file=src, column="action")
    if level == "action":
        bad = np.array([TOUCH_SEP in a for a in actions[1]], dtype=bool)[actions[0]] & ~is_conv
        if bad.any():  # the loop is over distinct action names
            first = actions[1][actions[0][np.argmax(bad)]]
            raise DataError(f"action {first!r} contains {TOUCH_SEP!r}, which "
                            "separates action and channel in action-level touches; rename "
                            "it or use level='channel'.", file=src, column="action")
    stop = ev["timestamp"].max() if end is None else pd.Timestamp(end)
    stop = stop.tz_localize("UTC") if stop.tzinfo is None else stop.tz_convert("UTC")
    if reference not in ("matched", "end"):
        raise ConfigError(f"The 'reference' parameter of build_journeys must be one of "
                          f"{{'matched', 'end'}}. Got {reference!r} instead.")
    end_us = int(np.datetime64(stop.tz_localize(None), "us").astype(np.int64))
    lookback_us = _NO_LOOKBACK_US if lookback_days is None else \
        int(round(float(lookback_days) * 86400e6))
    person, person_names = _person_codes(ev["member_id"], _persons(data, persons))
    touch, touch_names = _touch_codes(ev, level, actions)
    value = (pd.to_numeric(ev["value"], errors="coerce").to_numpy(dtype=np.float64,
                                                                   na_value=np.nan)
             if "value" in ev.columns else np.full(len(ev), np.nan))
    ts = ev["timestamp"].array.as_unit("us").asi8
    spells = Spells(person, ts, is_conv, touch, value, end_us)
    del person, is_conv, touch, value  # the spells hold their own sorted copies
    pend = (None, None)
    if reference == "matched":
        gaps = spells.gaps(lookback_us)
        tails, last = spells.tails()
        if len(gaps) and len(tails):
            drawn = np.random.default_rng(seed).choice(gaps, size=len(tails))
            pend = (tails, last + drawn)
    j = spells.journeys(end_us, lookback_us, *pend)
    del spells  # what the journeys do not share (at 1,000,000 members 0.4 GB) before the frame
    present, codes = _dense(j["touch"])
    out = pd.DataFrame({
        "person_id": pd.Series(person_names.take(j["person"]), dtype="str"),
        "journey_id": j["journey_id"], "step": j["step"],
        "touch": pd.Categorical.from_codes(codes.astype(np.int32),
                                           categories=touch_names[present]),
        "timestamp": _utc(j["ts"]), "journey_end": _utc(j["journey_end"]),
        "converted": j["converted"], "conversion_value": j["conversion_value"],
        "prior_conversions": j["prior"]}, copy=False)  # 23 M rows at 1 M members: no copy
    out.attrs["level"] = level
    return out[list(JOURNEY_COLUMNS)]


def window_journeys(journeys: pd.DataFrame, lookback_days: float | None) -> pd.DataFrame:
    """Only the touches of the last ``lookback_days`` before each journey's end.

    Journeys left without a touch are dropped; ``journey_id`` and ``step`` are renumbered
    densely, so the result equals :func:`build_journeys` with that lookback.

    Examples
    --------
    >>> import pandas as pd
    >>> j = pd.DataFrame({"journey_id": [0, 0, 1], "step": [0, 1, 0],
    ...                   "timestamp": pd.to_datetime(["2026-01-01", "2026-01-30",
    ...                                                "2026-01-02"], utc=True),
    ...                   "journey_end": pd.to_datetime(["2026-01-31", "2026-01-31",
    ...                                                  "2026-03-01"], utc=True)})
    >>> window_journeys(j, 10)[["journey_id", "step"]].values.tolist()
    [[0, 0]]
    """
    if lookback_days is None:
        return journeys
    age = journeys["journey_end"] - journeys["timestamp"]
    out = journeys[(age < pd.Timedelta(days=float(lookback_days))).to_numpy()]
    jid = out["journey_id"].to_numpy()
    new = np.unique(jid, return_inverse=True)[1].astype(np.int64) if len(jid) else jid
    out = out.assign(journey_id=new)
    out["step"] = (np.arange(len(out)) - np.searchsorted(new, new)).astype(np.int32)
    out.attrs.update(journeys.attrs)
    return out.reset_index(drop=True)


def journey_level(journeys: pd.DataFrame) -> str:
    """``"action"`` when every touch is ``action@channel``, else ``"channel"``.

    Examples
    --------
    >>> import pandas as pd
    >>> journey_level(pd.DataFrame({"touch": ["like@twitter", "view@web"]}))
    'action'
    """
    touch = journeys["touch"]
    names = touch.cat.categories if isinstance(touch.dtype, pd.CategoricalDtype) else \
        pd.unique(touch.dropna())
    names = pd.Index(names).astype(str)
    if len(names) and names.str.contains(TOUCH_SEP, regex=False).all():
        return "action"
    return "channel"


def write_journeys(folder, journeys: pd.DataFrame) -> Path:
    """Write ``journeys.parquet`` into ``folder`` (created if missing); return its path.

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> j = pd.DataFrame({"journey_id": [0], "touch": ["web"]})
    >>> write_journeys(tempfile.mkdtemp(), j).name
    'journeys.parquet'
    """
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "journeys.parquet"
    journeys.to_parquet(path, index=False)
    return path


def to_channel_level(journeys: pd.DataFrame) -> pd.DataFrame:
    """Action-level journeys (``action@channel``) as channel-level ones.

    Touches become their channel; steps are re-ordered as :func:`build_journeys` orders them
    (time, then touch name), so the result equals ``build_journeys(level="channel")``.

    Examples
    --------
    >>> import pandas as pd
    >>> j = pd.DataFrame({"journey_id": [0, 0], "step": [0, 1],
    ...                   "touch": pd.Categorical(["like@x", "view@web"]),
    ...                   "timestamp": pd.Timestamp("2026-01-01", tz="UTC")})
    >>> to_channel_level(j)["touch"].tolist()
    ['web', 'x']
    """
    if journey_level(journeys) != "action":
        return journeys
    touch = journeys["touch"]
    if not isinstance(touch.dtype, pd.CategoricalDtype):
        touch = touch.astype("category")
    cats = touch.cat.categories.astype(str)
    chan = np.asarray(cats.str.split(TOUCH_SEP, n=1).str[1], dtype=object)
    names, remap = np.unique(chan, return_inverse=True)
    codes = remap[touch.cat.codes.to_numpy()]
    # integer times: a tz-aware column's to_numpy() is an array of Timestamp objects
    ts = pd.to_datetime(journeys["timestamp"], utc=True).array.asi8
    jid = journeys["journey_id"].to_numpy()
    order = np.lexsort((codes, ts, jid))
    if set(journeys.columns) <= set(JOURNEY_COLUMNS) and _sorted_by(jid, ts):
        # rows only move inside ties of (journey, time), whose other columns are equal: only
        # the touch changes (no copy of the whole frame, costly at 20 M touches)
        out = journeys.reset_index(drop=True)
    else:
        out = journeys.iloc[order].reset_index(drop=True)
        jid = jid[order]
    out["touch"] = pd.Categorical.from_codes(codes[order], categories=names.astype(str))
    out["step"] = (np.arange(len(out)) - np.searchsorted(jid, jid)).astype(np.int32)
    out.attrs["level"] = "channel"
    return out


def _sorted_by(jid: np.ndarray, ts: np.ndarray) -> bool:
    """Whether the rows are sorted by journey, then time (as build_journeys writes them)."""
    if len(jid) < 2:
        return True
    dj = np.diff(jid)
    return bool((dj >= 0).all() and (ts[1:][dj == 0] >= ts[:-1][dj == 0]).all())
