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
  :mod:`clusterkit.campaign.incrementality`), treated as if exposed. Non-zero: members with
  this history do not keep their own past rate; the estimate then rests on the exposed
  members being chosen on a stable propensity rather than on that history, and the
  history-matched estimate, which assumes the opposite, should be read beside it.

:func:`placebo_note` puts a failing placebo into words: a placebo is *not near zero* when
its interval excludes 0, or when it is at least half the size of an estimate whose own
interval excludes 0.

Examples
--------
>>> placebo_note({"incremental_conversions": 5.0, "incremental_ci_low": -20.0,
...               "incremental_ci_high": 30.0, "placebo_dates": 1.0,
...               "placebo_dates_ci_low": -9.0, "placebo_dates_ci_high": 11.0,
...               "placebo_lookalike": -2.0, "placebo_lookalike_ci_low": -12.0,
...               "placebo_lookalike_ci_high": 8.0})
'placebos near zero'
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.campaign.own_trend import own_trend

__all__ = ["MIN_BASELINE_DAYS", "fake_origins", "placebo_checks", "placebo_note",
           "placebo_fails"]

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


def placebo_fails(p, lo, hi, est, est_lo, est_hi) -> bool:
    """Whether a placebo is not near zero (see the module docstring).

    Examples
    --------
    >>> placebo_fails(30.0, 10.0, 50.0, 5.0, -20.0, 30.0)
    True
    >>> placebo_fails(12.0, -8.0, 32.0, 20.0, 5.0, 35.0)
    True
    >>> placebo_fails(4.0, -8.0, 16.0, 20.0, 5.0, 35.0)
    False
    """
    if p != p:  # NaN: no placebo
        return False
    significant = est_lo > 0 or est_hi < 0
    return bool(lo > 0 or hi < 0 or (significant and abs(p) >= 0.5 * abs(est)))


def placebo_note(card, prefix: str = "") -> str:
    """The card's verdict on its placebos, in words (``prefix``: a tier's column prefix)."""
    est = card[f"{prefix}incremental_conversions"]
    e_lo, e_hi = card[f"{prefix}incremental_ci_low"], card[f"{prefix}incremental_ci_high"]
    words = []
    p = f"{prefix}placebo_dates"
    if placebo_fails(card[p], card[f"{p}_ci_low"], card[f"{p}_ci_high"], est, e_lo, e_hi):
        words.append(
            f"PLACEBO FAILS on fake dates before the campaign: {card[p]:+,.1f} "
            f"[{card[f'{p}_ci_low']:+,.1f}, {card[f'{p}_ci_high']:+,.1f}] where 0 is expected; "
            "the exposed members' outcomes drifted against the community's before the "
            "campaign, so the estimate may carry that drift")
    p = f"{prefix}placebo_lookalike"
    if placebo_fails(card[p], card[f"{p}_ci_low"], card[f"{p}_ci_high"], est, e_lo, e_hi):
        words.append(
            f"PLACEBO FAILS on unexposed look-alikes: {card[p]:+,.1f} "
            f"[{card[f'{p}_ci_low']:+,.1f}, {card[f'{p}_ci_high']:+,.1f}] where 0 is expected; "
            "members with this purchase history do not keep their past rate, so the estimate "
            "holds only if the exposed were chosen on a stable propensity (the interval also "
            "spans the history-matched estimate, which assumes the opposite)")
    return "; ".join(words) if words else "placebos near zero"
