"""A blogger's reach: its thresholds read from the data, the test and its explanation.

DESIGN §3: a blogger is a *regular* creator *with moderate reach*. A passive member who
posted a handful of times reaches a few members, as any member does, and is not a blogger.
Reach is the distinct members who acted on the member (``received_distinct``), read against
the typical member's audience (the median over members anyone acted on), not as a
constant. A creator whose content nobody answers (a hollow account posting for bought
followers) still passes when its content rate reaches the break between the two modes of
log(1 + content per month) among members with content (occasional posters / creators,
Otsu).

Where reach cannot be read the test is off: too few members acted on for a median
(``min_sample``), or fewer than :data:`ANSWERED_MIN` of the content creators acted on by
anyone (events whose ``target_id`` does not name whom a reaction answers). The rules stage
(:class:`~clusterkit.stages.roles.rules.RuleRoles`) uses these functions; the thresholds
read only distributions, so an engine can collect them from counts of values.

Examples
--------
>>> import numpy as np
>>> t = reach_thresholds(np.r_[np.ones(30), 40.0], np.r_[np.full(25, 0.2), 6.0], 3.0, 20)
>>> t["reach"], t["how"]
(3.0, 'median of the members acted on')
>>> reached(np.array([2.0, 40.0, 0.0]), np.array([0.2, 6.0, 9.0]), t).tolist()
[False, True, True]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.stages.roles.evidence import column, natural_break
from clusterkit.stages.roles.text import fmt_text, fmt_value

__all__ = ["ANSWERED_MIN", "OFF", "answered_share", "pool_columns", "reach_text",
           "reach_thresholds", "reached", "recorded"]

ANSWERED_MIN = 0.5
"""Fewest content creators, as a share, that anyone acted on for reach to be read: below
it, reactions do not name their authors (``target_id`` given for a few actions only)."""

OFF = {"reach": 0.0, "regular": np.inf, "how": "off"}
"""The thresholds of a test that is off (no ``found["blogger"]``)."""


def reach_thresholds(received, rates, multiple: float, min_sample: int,
                     answered: float = 1.0) -> dict:
    """The blogger's reach thresholds read from every member's evidence.

    Parameters
    ----------
    received : array-like of float
        ``received_distinct`` of every member, or only the positive values (the
        distribution is read, not the order).
    rates : array-like of float
        Content items per month of every member, or only the positive values.
    multiple : float
        ``blogger_reach``: the multiple of the median audience a blogger needs.
    min_sample : int
        Fewest members a distribution needs.
    answered : float, default=1.0
        Share of the content creators that anyone acted on (:func:`answered_share`).

    Returns
    -------
    dict
        ``reach``: ``multiple`` times the median over members anyone acted on; 0 (no test)
        when ``multiple`` is 0, with fewer than ``min_sample`` members acted on, or when
        ``answered`` is under :data:`ANSWERED_MIN`. ``regular``: the creators' break,
        which passes the test without reach; infinite with fewer than ``min_sample``
        members with content. ``how``: why the test is on or off.
    """
    received = np.asarray(received, np.float64)
    received = received[np.isfinite(received) & (received > 0)]
    off = ("off: blogger_reach is 0" if multiple == 0 else
           "off: too few members acted on" if len(received) < min_sample else
           "off: reactions do not name their authors" if answered < ANSWERED_MIN else None)
    if off:
        return dict(OFF, how=off)
    rates = np.asarray(rates, np.float64)
    rates = rates[np.isfinite(rates) & (rates > 0)]
    regular = (float(np.expm1(natural_break(np.log1p(rates), classes=2)))
               if len(rates) >= min_sample else np.inf)
    return {"reach": multiple * float(np.median(received)), "regular": regular,
            "how": "median of the members acted on"}


def answered_share(creator, received) -> float:
    """Share of the content creators (``creator``, a mask) that anyone acted on
    (``received``: ``received_distinct``, NaN as none); 1 without creators."""
    creator = np.asarray(creator, dtype=bool)
    got = np.nan_to_num(np.asarray(received, dtype=np.float64)[creator])
    return float(np.mean(got > 0)) if creator.any() else 1.0


def reached(received, rate, thresholds: dict) -> np.ndarray:
    """Whether each member's content reached enough distinct members (``received``, NaN as
    none), or is regular enough (``rate``: content items per month) to pass without."""
    if thresholds["reach"] == 0:
        return np.ones(len(rate), dtype=bool)
    return (np.nan_to_num(np.asarray(received, np.float64)) >= thresholds["reach"]) | (
        np.asarray(rate) >= thresholds["regular"])


def reach_text(received, thresholds: dict, multiple: float) -> list:
    """The parts of a member's blogger explanation that quote the reach test (none when
    the test is off), for :func:`~clusterkit.stages.roles.text.join_text`."""
    if thresholds["reach"] == 0:
        return []
    regular = ("" if not np.isfinite(thresholds["regular"]) else
               f", or content per month at least {fmt_value(thresholds['regular'])}: "
               "the creators' break")
    return ["; reached by ", fmt_text(np.nan_to_num(np.asarray(received, np.float64))),
            f" distinct members (threshold {fmt_value(thresholds['reach'])} = "
            f"{fmt_value(multiple)} x median of the members acted on{regular})"]


def recorded(thresholds: dict) -> dict:
    """``thresholds`` as ``thresholds_`` records them: strict JSON (None for no break)."""
    return {f"blogger_{k}": v if isinstance(v, str) or np.isfinite(v) else None
            for k, v in thresholds.items()}


def pool_columns(X: pd.DataFrame, rate: np.ndarray) -> dict:
    """What an influencer pool carries for :func:`reach_thresholds` and
    :func:`answered_share`: each member's audience and content rate."""
    return {"received": column(X, "received_distinct"), "content_rate": rate}
