"""Bootstrap confidence intervals over persons, seeded.

A replicate draws ``n_persons`` persons with replacement (``numpy.random.default_rng(seed)``)
and gives every journey its person's draw count as a weight; the model is re-run with those
weights, so a person's journeys stay together. The interval is the percentile interval of the
replicates' shares. Replicates are drawn in order from one generator: the same seed gives the
same intervals.

Examples
--------
>>> import numpy as np
>>> w = person_weights(np.array([0, 0, 1, 2]), 3, np.random.default_rng(0))
>>> int(w[0] == w[1]), float(np.bincount([0, 1, 2], weights=w[[0, 2, 3]]).sum())
(1, 3.0)
"""

from __future__ import annotations

import numpy as np

__all__ = ["bootstrap_shares", "person_weights", "percentile_interval"]


def person_weights(person: np.ndarray, n_persons: int, rng) -> np.ndarray:
    """Journey weights of one bootstrap replicate: the draw count of each journey's person."""
    draws = np.bincount(rng.integers(0, n_persons, n_persons), minlength=n_persons)
    return draws[person].astype(np.float64)


def bootstrap_shares(arrays, credit, n_boot: int, random_state: int = 0) -> np.ndarray:
    """Shares of ``n_boot`` replicates, shape (n_boot, n_touches).

    Parameters
    ----------
    arrays : JourneyArrays
    credit : callable
        ``credit(weights) -> ndarray (n_touches,)`` of credited conversions.
    n_boot : int
    random_state : int
    """
    rng = np.random.default_rng(random_state)
    out = np.full((n_boot, arrays.n_touches), np.nan)
    for b in range(n_boot):  # a loop over replicates; each one is vectorised
        c = credit(person_weights(arrays.person, arrays.n_persons, rng))
        total = c.sum()
        if total != 0:
            out[b] = c / total
    return out


def percentile_interval(samples: np.ndarray, level: float = 0.95):
    """Lower and upper percentile bounds per column (NaN replicates ignored)."""
    alpha = (1.0 - level) / 2.0
    with np.errstate(all="ignore"):
        lo = np.nanquantile(samples, alpha, axis=0)
        hi = np.nanquantile(samples, 1.0 - alpha, axis=0)
    return lo, hi
