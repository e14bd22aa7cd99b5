"""Bootstrap confidence intervals over persons, seeded.

A replicate draws persons with replacement (``numpy.random.default_rng(seed)``) and gives
every journey its person's draw count as a weight; the model is re-run with those weights,
so a person's journeys stay together. Replicates are drawn in order from one generator: the
same seed gives the same intervals.

With more than ``max_persons`` persons, a replicate draws ``m = max_persons`` of the ``n``
persons (the *m-out-of-n* bootstrap) and the model runs on their journeys only, so a
replicate costs the same at any size. Its spread is then that of an ``m``-person sample, and
the interval is rescaled to ``n`` persons around the full-data share ``s``::

    [s + f (Q_lo - M), s + f (Q_hi - M)],   f = sqrt(m / n)

with ``Q_lo``, ``Q_hi`` the percentiles and ``M`` the median of the replicates' shares
(centring on ``M`` removes the bias of the smaller sample). Assumptions, stated: a share is a
smooth function of per-person means, so its spread falls as ``1 / sqrt(persons)``; unlike the
n-out-of-n bootstrap, the m-out-of-n bootstrap stays consistent for a parameter on the
boundary (a touch with no effect, whose effects are bounded at zero; Andrews 2000).
``tests/test_attribution_scale.py`` checks the rescaled interval against the full bootstrap.
With ``m = n`` the interval is the plain percentile interval.

References
----------
.. [1] Bickel, P. J., Götze, F., van Zwet, W. R. (1997). Resampling fewer than n
   observations: gains, losses, and remedies for losses. Statistica Sinica 7, 1-31.
.. [2] Andrews, D. W. K. (2000). Inconsistency of the bootstrap when a parameter is on the
   boundary of the parameter space. Econometrica 68, 399-405.

Examples
--------
>>> import numpy as np
>>> w = person_weights(np.array([0, 0, 1, 2]), 3, np.random.default_rng(0))
>>> int(w[0] == w[1]), float(np.bincount([0, 1, 2], weights=w[[0, 2, 3]]).sum())
(1, 3.0)
"""

from __future__ import annotations

import numpy as np

from clusterkit.provenance import step_detail

__all__ = ["bootstrap_shares", "person_weights", "percentile_interval", "subsample_scale"]


def person_weights(person: np.ndarray, n_persons: int, rng, m: int | None = None) -> np.ndarray:
    """Journey weights of one replicate: the draw count of each journey's person among ``m``
    draws (default ``n_persons``)."""
    draws = np.bincount(rng.integers(0, n_persons, n_persons if m is None else m),
                        minlength=n_persons)
    return draws[person].astype(np.float64)


def subsample_scale(n_persons: int, max_persons: int | None) -> float:
    """``sqrt(m / n)``: how much narrower the spread of ``n`` persons is than of ``m``."""
    if max_persons is None or max_persons >= n_persons:
        return 1.0
    return float(np.sqrt(max_persons / n_persons))


def bootstrap_shares(arrays, credits, n_boot: int, random_state: int = 0,
                     max_persons: int | None = None, n_jobs: int = 1) -> np.ndarray:
    """Shares of ``n_boot`` replicates per model, shape (n_models, n_boot, n_touches).

    Every model is credited on the same replicates, each drawn once: drawing the persons
    and cutting their journeys out of millions of rows costs more than a simple model's
    credit, so a replicate's subset is shared by the models and let go before the next.

    Parameters
    ----------
    arrays : JourneyArrays
    credits : sequence of callable
        ``credit(arrays, weights) -> ndarray (n_touches,)`` of credited conversions, one
        per model. With ``n_jobs > 1`` they are called from several threads at once, so
        they must not change shared state.
    n_boot : int
    random_state : int
    max_persons : int, optional
        Draw at most this many persons per replicate (m-out-of-n; default: all).
    n_jobs : int, default 1
        Replicates credited at once, in threads (the sorts and searches of the models
        release the GIL). Every replicate's persons are drawn first, in order, from the one
        generator, and each result goes to its replicate's row: the output does not depend
        on ``n_jobs``.

    Examples
    --------
    >>> from clusterkit.synthetic.journeys import generate_journeys
    >>> from clusterkit.attribution._arrays import prepare
    >>> from clusterkit.attribution.heuristic import heuristic_credit
    >>> a = prepare(generate_journeys(500, seed=1).journeys)
    >>> last = lambda arr, w: heuristic_credit(arr, "last", w)
    >>> first = lambda arr, w: heuristic_credit(arr, "first", w)
    >>> both = bootstrap_shares(a, [last, first], 5, max_persons=200)
    >>> both.shape == (2, 5, a.n_touches), bool(np.allclose(np.nansum(both, axis=2), 1))
    (True, True)
    >>> bool(np.array_equal(both[0], bootstrap_shares(a, [last], 5, max_persons=200)[0]))
    True
    >>> bool(np.array_equal(both, bootstrap_shares(a, [last, first], 5, max_persons=200,
    ...                                            n_jobs=2), equal_nan=True))
    True
    """
    rng = np.random.default_rng(random_state)
    n = arrays.n_persons
    m = n if max_persons is None else min(int(max_persons), n)
    # the draws of every replicate, in order (what person_weights would draw): m ints each
    draws = [rng.integers(0, n, m) for _ in range(n_boot)]
    out = np.full((len(credits), n_boot, arrays.n_touches), np.nan)

    def replicate(b):
        w = np.bincount(draws[b], minlength=n)[arrays.person].astype(np.float64)
        sub = arrays
        if m < n:
            drawn = np.flatnonzero(w > 0)
            sub, w = arrays.subset(drawn), w[drawn]
            if not sub.converted.any():  # a replicate with nothing to credit stays NaN
                return None
        return [credit(sub, w) for credit in credits]  # a handful of models

    def record(b, found):
        step_detail(f"bootstrap {b + 1}/{n_boot}")
        for i, c in enumerate(found or ()):
            total = c.sum()
            if total != 0:
                out[i, b] = c / total

    if n_jobs <= 1 or n_boot <= 1:
        for b in range(n_boot):  # a loop over replicates; each one is vectorised
            record(b, replicate(b))
        return out
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(int(n_jobs)) as pool:
        for b, found in enumerate(pool.map(replicate, range(n_boot))):  # in order
            record(b, found)
    return out


def percentile_interval(samples: np.ndarray, level: float = 0.95, estimate=None,
                        scale: float = 1.0):
    """Lower and upper bounds per column (NaN replicates ignored).

    The percentile interval; for m-out-of-n replicates (``scale`` from
    :func:`subsample_scale` below 1) rescaled around ``estimate`` as the module docstring
    says.
    """
    alpha = (1.0 - level) / 2.0
    with np.errstate(all="ignore"):
        lo = np.nanquantile(samples, alpha, axis=0)
        hi = np.nanquantile(samples, 1.0 - alpha, axis=0)
        if scale < 1.0 and estimate is not None:
            mid = np.nanmedian(samples, axis=0)
            lo, hi = estimate + scale * (lo - mid), estimate + scale * (hi - mid)
    return lo, hi
