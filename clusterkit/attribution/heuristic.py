"""Heuristic (rule-based) attribution: first, last, linear, time-decay and position-based.

Each converting journey gives one conversion, split over its touches by a fixed rule:

=============  ==============================================================================
``first``      all to the first touch
``last``       all to the last touch
``linear``     equal parts to every touch (a channel touched twice gets two parts)
``time_decay`` parts proportional to ``2 ** (-age / half_life_days)``, ``age`` = days from
               the touch to the conversion (Google Analytics' time-decay, half-life 7 days)
``position``   40 % to the first touch, 40 % to the last, 20 % split among the ones in
               between (a journey of one touch: 100 %; of two: 50 / 50)
=============  ==============================================================================

They credit what is touched, whatever it adds: baselines, never the default.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.attribution._arrays import prepare
>>> j = pd.DataFrame({"person_id": "a", "journey_id": 0, "step": [0, 1, 2],
...                   "touch": ["x", "y", "z"],
...                   "timestamp": pd.to_datetime(["2026-01-01", "2026-01-08", "2026-01-15"],
...                                               utc=True),
...                   "journey_end": pd.Timestamp("2026-01-15", tz="UTC"), "converted": True})
>>> a = prepare(j)
>>> [heuristic_credit(a, r).round(3).tolist() for r in ("first", "linear", "position")]
[[1.0, 0.0, 0.0], [0.333, 0.333, 0.333], [0.4, 0.2, 0.4]]
>>> heuristic_credit(a, "time_decay", half_life_days=7).round(3).tolist()
[0.143, 0.286, 0.571]
"""

from __future__ import annotations

import numpy as np

__all__ = ["RULES", "heuristic_credit"]

RULES = ("first", "last", "linear", "time_decay", "position")


def heuristic_credit(arrays, rule: str, weights=None, *, half_life_days: float = 7.0):
    """Conversions credited to each touch by a heuristic rule.

    Parameters
    ----------
    arrays : JourneyArrays
    rule : {"first", "last", "linear", "time_decay", "position"}
    weights : ndarray, shape (n_journeys,), optional
        Journey weights (the bootstrap's person weights).
    half_life_days : float
        Half-life of ``time_decay``.

    Returns
    -------
    ndarray, shape (n_touches,)
        Credited conversions; they sum to the (weighted) number of conversions.
    """
    y = arrays.converted.astype(np.float64)
    if weights is not None:
        y = y * weights
    rows = np.flatnonzero(arrays.converted[arrays.journey])  # rows of converting journeys
    j = arrays.journey[rows]
    n = arrays.length[j].astype(np.float64)
    step = arrays.step[rows]
    if rule == "first":
        frac = (step == 0).astype(np.float64)
    elif rule == "last":
        frac = (step == n - 1).astype(np.float64)
    elif rule == "linear":
        frac = 1.0 / n
    elif rule == "time_decay":
        d = np.exp2(-arrays.age_days[rows] / float(half_life_days))
        total = np.bincount(j, weights=d, minlength=arrays.n_journeys)
        frac = d / total[j]
    elif rule == "position":
        ends = (step == 0) | (step == n - 1)
        frac = np.where(n == 1, 1.0, np.where(n == 2, 0.5, np.where(
            ends, 0.4, 0.2 / np.maximum(n - 2, 1))))
    else:  # the API checks names first
        raise ValueError(f"unknown heuristic rule {rule!r}; use one of {RULES}")
    return np.bincount(arrays.codes[rows], weights=frac * y[j], minlength=arrays.n_touches)
