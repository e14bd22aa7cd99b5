"""Placebo checks of the incrementality estimate, printed on every campaign card.

Two placebos, each the same estimator (:func:`clusterkit.campaign.own_trend.own_trend`) run
where the true effect is zero by construction:

- **fake dates**: the real exposed members, with the campaign moved back into the
  pre-period by one, two and three outcome-period lengths (those that leave at least
  :data:`MIN_BASELINE_DAYS` days of baseline); the mean of their estimates, resampled
  jointly. Non-zero: the exposed members' outcomes drift relative to the community's
  before any campaign (a trend of their own, or selection on a recent burst).
- **look-alikes**: each exposed member's nearest unexposed member on the purchase
  history, engagement, degrees and tenure (the matching of
  :mod:`clusterkit.campaign.incrementality`), treated as if exposed. This is *not* a
  falsification test of the estimate: look-alikes are chosen on their observed history, so
  under selection on an unobserved propensity they regress to the mean and the placebo is
  non-zero even when the estimate is right (it reproduces the history-matched estimator's
  bias). What it measures is the own-trend estimate's sensitivity to the opposite
  assumption: how far off it would be *if* the exposed had been chosen on their recent
  history. The card calls it a **history check**, and the card's interval already spans the
  history-matched estimate that covers that case.

:func:`placebo_note` puts the placebos into words. A placebo is flagged only when it is
both *clearly* and *materially* away from zero: its interval excludes 0 **and** its size is
at least the estimate's own standard error (:func:`material_size`: half the own-trend
interval's width over the normal quantile), i.e. it would move the estimate by a whole
standard error. A placebo whose interval narrowly excludes 0 but that is small beside the
estimate's noise is printed on the card and not flagged. A material fake-date placebo is a
**PLACEBO FAILS**; a material look-alike placebo is a **HISTORY CHECK** caution.

Examples
--------
>>> placebo_note({"incremental_conversions": 5.0, "incremental_ci_low": -20.0,
...               "incremental_ci_high": 30.0, "own_trend_ci_low": -20.0,
...               "own_trend_ci_high": 30.0, "placebo_dates": 1.0,
...               "placebo_dates_ci_low": -9.0, "placebo_dates_ci_high": 11.0,
...               "placebo_lookalike": -2.0, "placebo_lookalike_ci_low": -12.0,
...               "placebo_lookalike_ci_high": 8.0})
'placebos near zero'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.campaign.own_trend import own_trend

__all__ = ["MIN_BASELINE_DAYS", "fake_origins", "material_size", "placebo_checks",
           "placebo_fails", "placebo_note"]

MIN_BASELINE_DAYS = 14.0
N_FAKE_DATES = 3


def fake_origins(origin: float, length: float, start: float,
                 n: int = N_FAKE_DATES) -> np.ndarray:
    """Placebo campaign dates: ``origin - j * length`` for ``j = 1..n`` with enough baseline.

    Examples
    --------
    >>> fake_origins(120.0, 28.0, 0.0).tolist()
    [92.0, 64.0, 36.0]
    >>> fake_origins(56.0, 21.0, 0.0).tolist()
    [35.0, 14.0]
    """
    o = origin - length * np.arange(1, n + 1)
    return o[o - start >= MIN_BASELINE_DAYS]


def placebo_checks(matrix, first, groups: dict, lookalikes: dict, controls, *, origin: float,
                   length: float, start: float, n_boot: int, confidence: float,
                   seed: int) -> pd.DataFrame:
    """Fake-date and look-alike placebo estimates of every group, with intervals.

    Parameters
    ----------
    matrix : scipy.sparse matrix
        Daily outcomes per member (:class:`~clusterkit.campaign.own_trend.DailyPanel`).
    first : numpy.ndarray
        First appearance per member, in days.
    groups : dict
        Group key → exposed member positions.
    lookalikes : dict
        Group key → one unexposed look-alike per exposed member
        (:func:`~clusterkit.campaign.incrementality.matched_groups`).
    controls : array of int
        Unexposed members.
    origin, length, start : float
        The real outcome period and the baselines' start, in days.
    n_boot, confidence, seed
        Bootstrap settings.

    Returns
    -------
    pandas.DataFrame
        Index: group key. ``placebo_dates``, ``placebo_dates_ci_low``,
        ``placebo_dates_ci_high``, ``placebo_n_dates`` (NaN when the pre-period is too
        short for a fake date), ``placebo_lookalike``, ``placebo_lookalike_ci_low``,
        ``placebo_lookalike_ci_high``.
    """
    keys = list(groups)
    named = {i: groups[k] for i, k in enumerate(keys)}
    out = pd.DataFrame(index=range(len(keys)), dtype=float)
    fakes = fake_origins(origin, length, start)
    cols = ["estimate", "ci_low", "ci_high"]
    if len(fakes):
        est, _ = own_trend(matrix, first, named, controls, origin=fakes, length=length,
                           start=start, n_boot=n_boot, confidence=confidence,
                           rng=np.random.default_rng([seed, 11]))
        out[["placebo_dates", "placebo_dates_ci_low", "placebo_dates_ci_high"]] = \
            est[cols].to_numpy()
    else:
        out[["placebo_dates", "placebo_dates_ci_low", "placebo_dates_ci_high"]] = np.nan
    out["placebo_n_dates"] = len(fakes)
    look = {i: np.asarray(lookalikes.get(k, []), dtype=np.int64) for i, k in enumerate(keys)}
    used = np.unique(np.concatenate([np.zeros(0, np.int64), *look.values()]))
    rest = np.setdiff1d(np.asarray(controls, dtype=np.int64), used)
    if len(rest) and any(len(v) for v in look.values()):
        est, _ = own_trend(matrix, first, look, rest, origin=origin, length=length,
                           start=start, n_boot=n_boot, confidence=confidence,
                           rng=np.random.default_rng([seed, 12]))
        out[["placebo_lookalike", "placebo_lookalike_ci_low", "placebo_lookalike_ci_high"]] = \
            est[cols].to_numpy()
    else:
        out[["placebo_lookalike", "placebo_lookalike_ci_low",
             "placebo_lookalike_ci_high"]] = np.nan
    out.index = pd.Index(keys) if not isinstance(keys[0], tuple) else \
        pd.MultiIndex.from_tuples(keys)
    return out


def material_size(ci_low: float, ci_high: float, confidence: float = 0.95) -> float:
    """The estimate's standard error from its interval: the size a placebo must reach.

    Examples
    --------
    >>> round(material_size(10.0, 49.2), 1)
    10.0
    """
    from scipy.stats import norm

    return float((ci_high - ci_low) / (2 * norm.ppf(0.5 + confidence / 2)))


def placebo_fails(p, lo, hi, material) -> bool:
    """Whether a placebo is clearly and materially away from zero (see the module docstring).

    Parameters
    ----------
    p, lo, hi : float
        The placebo estimate and its interval.
    material : float
        The smallest size that counts (:func:`material_size` of the estimate).

    Examples
    --------
    >>> placebo_fails(30.0, 10.0, 50.0, 17.0)
    True
    >>> placebo_fails(8.0, 1.0, 15.0, 17.0)   # excludes 0, but small beside the noise
    False
    >>> placebo_fails(25.0, -5.0, 55.0, 17.0)  # large, but its interval covers 0
    False
    """
    if p != p:  # NaN: no placebo
        return False
    return bool((lo > 0 or hi < 0) and abs(p) >= material)


def placebo_note(card, prefix: str = "", confidence: float = 0.95) -> str:
    """The card's verdict on its placebos, in words (``prefix``: a tier's column prefix)."""
    material = material_size(card[f"{prefix}own_trend_ci_low"],
                             card[f"{prefix}own_trend_ci_high"], confidence)
    words = []
    p = f"{prefix}placebo_dates"
    if placebo_fails(card[p], card[f"{p}_ci_low"], card[f"{p}_ci_high"], material):
        words.append(
            f"PLACEBO FAILS on fake dates before the campaign: {card[p]:+,.1f} "
            f"[{card[f'{p}_ci_low']:+,.1f}, {card[f'{p}_ci_high']:+,.1f}] where 0 is expected "
            f"(the estimate's standard error is {material:,.1f}); the exposed members' "
            "outcomes drifted against the community's before the campaign, so the estimate "
            "may carry that drift")
    p = f"{prefix}placebo_lookalike"
    if placebo_fails(card[p], card[f"{p}_ci_low"], card[f"{p}_ci_high"], material):
        words.append(
            f"HISTORY CHECK: unexposed look-alikes (same purchase history) give "
            f"{card[p]:+,.1f} [{card[f'{p}_ci_low']:+,.1f}, {card[f'{p}_ci_high']:+,.1f}]; "
            "members chosen on this history do not keep their past rate, so if the exposed "
            "were chosen on their recent history rather than a stable propensity the "
            "point estimate is off by about that much (the interval spans the "
            "history-matched estimate, which covers that case); not a failure when the "
            "exposed were chosen on who they are")
    return "; ".join(words) if words else "placebos near zero"
