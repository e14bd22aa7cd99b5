"""The default attribution: a fitted conversion model, with Shapley values over its predictions.

Rule-based and Markov attribution credit touches by how often they appear on converting
paths, so a channel that is everywhere gets credit whether or not it changes anything.
Data-driven attribution instead asks what a touch *adds* to the probability of conversion,
comparing journeys with and without it (Shao & Li 2011; Dalessandro et al. 2012; Google
Ads' data-driven attribution uses Shapley values over a fitted conversion model).

1. **Conversion model.** A logistic regression (scikit-learn, L2, Newton–Cholesky) of
   *converted* on, per touch ``c``: ``present_c`` (touched at all), ``log(count_c)``
   (repetition beyond the first touch) and ``recency_c = 2 ** (-age_c / half_life_days)``
   (``age_c``: days from the touch's last occurrence to the journey's end), plus, with
   ``interactions``, ``present_a * present_b`` for every pair of touches seen together in
   at least ``min_pair_journeys`` journeys (synergy). The pair terms get a tight Gaussian
   prior (sd ``interaction_scale`` in logit units, by scaling their columns, as the L2
   penalty is otherwise negligible on large data): many weakly identified pair terms
   would otherwise trade off against the main effects and add variance. Converting and
   non-converting journeys are both used, so a channel touched as often on journeys that
   do not convert earns nothing: frequency and effect are separated.
2. **Credit.** For each journey ``j`` with touch set ``S``, the model gives ``v_j(T) =
   sigmoid(b0 + sum_{c in T} a_c(j) + sum_{a<b in T} g_ab)`` for every ``T ⊆ S``
   (``a_c(j)`` is touch ``c``'s part of the logit, ``g_ab`` a pair's). Touch ``c`` gets
   its Shapley value ``phi_c(j)`` in this game (exact up to ``max_exact`` touches per
   journey, seeded permutation sampling beyond), or, with ``credit="removal"``, the
   counterfactual drop ``v_j(S) - v_j(S - c)`` (pair terms included). A touch's
   *conversions* are ``sum_j phi_c(j)`` over all journeys: the conversions it adds on top
   of the no-touch baseline ``sum_j sigmoid(b0)``. Shares are these over their sum; a
   touch that lowers conversion gets a negative share.

Assumptions: no unmeasured confounding of touches and conversion (the same limit as every
observational attribution); effects of more than two touches together are not modelled.
Measured against planted effects in ``experiments/results/attribution.md``.

References
----------
.. [1] Shao, X., Li, L. (2011). Data-driven multi-touch attribution models. KDD '11,
   258–264.
.. [2] Dalessandro, B., Perlich, C., Stitelman, O., Provost, F. (2012). Causally motivated
   attribution for online advertising. ADKDD '12.
.. [3] Google Ads Help, "About data-driven attribution" (Shapley values over a conversion
   model of paths with and without each touchpoint).

Examples
--------
>>> from clusterkit.synthetic.journeys import generate_journeys
>>> from clusterkit.attribution._arrays import prepare
>>> sj = generate_journeys(4000, seed=1)
>>> m = ConversionModel().fit(prepare(sj.journeys))
>>> m.coef_.shape
(8, 3)
"""

from __future__ import annotations

import numpy as np
import scipy.sparse as sp
from scipy.special import expit

from clusterkit.attribution.shapley import grouped_shapley
from clusterkit.stages._params import Interval, Options, check_params

__all__ = ["ConversionModel"]

_DENSE_MAX = 100_000_000  # design-matrix entries (400 MB as float32) kept dense
_SMALL = 10_000_000  # below this many entries the fit runs on one BLAS thread


class ConversionModel:
    """Logistic conversion model over touch presence, repetition and recency, with credit.

    Parameters
    ----------
    half_life_days : float, default 7
        Half-life of the recency feature.
    C : float, default 1.0
        Inverse L2 strength (scikit-learn's, relative to the summed sample weight).
    interactions : bool, default True
        Model pairs of touches (synergy).
    min_pair_journeys : int, default 100
        A pair is modelled when this many journeys have both touches.
    interaction_scale : float, default 0.05
        Prior sd of a pair term (logit units, relative to ``C``).
    credit : {"shapley", "removal"}
        Shapley values over the model's predicted probability (default), or counterfactual
        removal of one touch at a time.
    max_exact : int, default 14
        Exact Shapley for journeys with at most this many distinct touches.
    n_permutations : int, default 128
        Permutations (each with its reverse) for larger journeys.
    random_state : int, default 0
        Seed of the permutation sampling.

    Attributes
    ----------
    coef_ : ndarray, shape (n_touches, 3)
        Logit coefficients per touch: presence, log count, recency.
    interaction_ : ndarray, shape (n_touches, n_touches)
        Pair terms ``g_ab`` (upper triangle; 0 for pairs not modelled).
    intercept_ : float
        Baseline logit (no touch).
    """

    _constraints = {
        "half_life_days": [Interval(float, 0, None, closed="neither")],
        "C": [Interval(float, 0, None, closed="neither")],
        "interactions": [bool],
        "min_pair_journeys": [Interval(int, 1, None)],
        "interaction_scale": [Interval(float, 0, None, closed="neither")],
        "credit": [Options("shapley", "removal")],
        "max_exact": [Interval(int, 1, 20, closed="both")],
        "n_permutations": [Interval(int, 1, None)],
        "random_state": [Interval(int, 0, None)],
    }

    def __init__(self, *, half_life_days=7.0, C=1.0, interactions=True, min_pair_journeys=100,
                 interaction_scale=0.05, credit="shapley", max_exact=14, n_permutations=128,
                 random_state=0):
        self.half_life_days = half_life_days
        self.interactions = interactions
        self.min_pair_journeys = min_pair_journeys
        self.interaction_scale = interaction_scale
        self.C = C
        self.credit = credit
        self.max_exact = max_exact
        self.n_permutations = n_permutations
        self.random_state = random_state

    def _features(self, arrays):
        """Design matrix: presence, log count and recency per touch, then touch pairs."""
        j, t, count, age = arrays.pairs
        k = arrays.n_touches
        logc = np.log(count.astype(np.float64))
        rec = np.exp2(-age / float(self.half_life_days))
        kept = np.zeros(0, dtype=np.int64)
        pj = pcol = np.zeros(0, dtype=np.int64)
        if self.interactions:
            pj, pid = _journey_pairs(arrays)
            ids, n = np.unique(pid, return_counts=True)
            kept = ids[n >= self.min_pair_journeys]
            col = np.searchsorted(kept, pid)
            ok = np.isin(pid, kept)
            pj, pcol = pj[ok], 3 * k + col[ok]
        shape = (arrays.n_journeys, 3 * k + len(kept))
        scale = float(self.interaction_scale)
        if shape[0] * shape[1] <= _DENSE_MAX:  # BLAS on a dense float32 matrix is fastest
            x = np.zeros(shape, dtype=np.float32)
            x[j, t] = 1.0
            x[j, t + k] = logc
            x[j, t + 2 * k] = rec
            x[pj, pcol] = scale
        else:
            x = sp.csr_array((np.concatenate([np.ones(len(j)), logc, rec,
                                              np.full(len(pj), scale)]),
                              (np.concatenate([j, j, j, pj]),
                               np.concatenate([t, t + k, t + 2 * k, pcol]))), shape=shape)
        return x, logc, rec, kept

    def fit(self, arrays, weights=None):
        """Fit the conversion model on :class:`JourneyArrays` (optionally weighted)."""
        from sklearn.linear_model import LogisticRegression

        check_params(type(self).__name__, vars(self), self._constraints)
        x, logc, rec, kept = self._features(arrays)
        y = arrays.converted
        sw = None if weights is None else np.asarray(weights, dtype=np.float64)
        if sw is not None:  # rows a bootstrap replicate left out change nothing
            keep = sw > 0
            x, y, sw = x[keep], y[keep], sw[keep]
        k = arrays.n_touches
        if len(np.unique(y)) < 2:  # every journey converts, or none: nothing to contrast
            rate = (float(np.sum(y if sw is None else sw * y)) + 0.5) / (
                float(len(y) if sw is None else sw.sum()) + 1.0)
            self.coef_, self.interaction_ = np.zeros((k, 3)), np.zeros((k, k))
            self.intercept_ = float(np.log(rate / (1.0 - rate)))
            self._logit_parts = np.zeros(len(arrays.pairs[1]))
            return self
        lr = LogisticRegression(C=float(self.C), solver="newton-cholesky", max_iter=200,
                                tol=1e-6)
        if x.shape[0] * x.shape[1] < _SMALL:  # BLAS threads only cost time on small designs
            from clusterkit.provenance import one_blas_thread

            with one_blas_thread():
                lr.fit(x, y, sample_weight=sw)
        else:
            lr.fit(x, y, sample_weight=sw)
        coef = lr.coef_.ravel()
        coef = coef.astype(np.float64)
        self.coef_ = coef[: 3 * k].reshape(3, k).T.copy()
        self.interaction_ = np.zeros((k, k))
        self.interaction_[kept // k, kept % k] = coef[3 * k:] * float(self.interaction_scale)
        self.intercept_ = float(lr.intercept_[0])  # float32 design: coefficients to ~1e-6
        _, t, _, _ = arrays.pairs
        self._logit_parts = (self.coef_[t, 0] + self.coef_[t, 1] * logc
                             + self.coef_[t, 2] * rec)
        return self

    def credit_(self, arrays, weights=None) -> np.ndarray:
        """Conversions each touch adds, summed over journeys (after :meth:`fit`)."""
        a = self._logit_parts
        _, t, _, _ = arrays.pairs
        indptr = arrays.set_start
        w = np.ones(arrays.n_journeys) if weights is None else np.asarray(weights, np.float64)
        b0 = self.intercept_
        g = self.interaction_
        if self.credit == "removal":
            return self._removal(arrays, w)

        def value(rows, P, patterns):
            m = P.shape[1]
            pos = indptr[rows][:, None] + np.arange(m)
            pat = patterns.T.astype(np.float64)
            logit = b0 + a[pos] @ pat
            if m > 1 and g.any():
                p, q = np.triu_indices(m, 1)
                logit += g[P[:, p], P[:, q]] @ (pat[p] * pat[q])
            return expit(logit)

        totals, _ = grouped_shapley(indptr, t, value, n_players=arrays.n_touches, weights=w,
                                    max_exact=self.max_exact,
                                    n_permutations=self.n_permutations,
                                    random_state=self.random_state)
        return totals

    def _removal(self, arrays, w) -> np.ndarray:
        a = self._logit_parts
        jp, t, _, _ = arrays.pairs
        full = self.intercept_ + np.bincount(jp, weights=a, minlength=arrays.n_journeys)
        inter = np.zeros(len(t))  # each touch's interaction terms with the journey's others
        if self.interaction_.any():
            pj, pid = _journey_pairs(arrays)
            k = arrays.n_touches
            gv = self.interaction_[pid // k, pid % k]
            full += np.bincount(pj, weights=gv, minlength=arrays.n_journeys)
            key = jp * k + t
            for side in (pid // k, pid % k):
                inter += np.bincount(np.searchsorted(key, pj * k + side), weights=gv,
                                     minlength=len(t))
        drop = expit(full[jp]) - expit(full[jp] - a - inter)
        return np.bincount(t, weights=drop * w[jp], minlength=arrays.n_touches)

    def baseline_conversions(self, arrays, weights=None) -> float:
        """Conversions the model expects with no touch at all: ``sum_j sigmoid(b0)``."""
        w = np.ones(arrays.n_journeys) if weights is None else np.asarray(weights, np.float64)
        return float(w.sum() * expit(self.intercept_))


def _journey_pairs(arrays):
    """Every pair of distinct touches within a journey: ``(journey, a * K + b)``, a < b."""
    jp, t, _, _ = arrays.pairs
    indptr = arrays.set_start
    size = np.diff(indptr)
    k = arrays.n_touches
    out_j, out_id = [], []
    for m in np.unique(size[size > 1]):  # a handful of set sizes
        rows = np.flatnonzero(size == m)
        P = t[indptr[rows][:, None] + np.arange(m)].astype(np.int64)
        p, q = np.triu_indices(m, 1)
        out_j.append(np.repeat(rows, len(p)))
        out_id.append((P[:, p] * k + P[:, q]).ravel())
    if not out_j:
        return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64)
    return np.concatenate(out_j), np.concatenate(out_id)
