"""The default attribution: a time-to-conversion model of touches, with Shapley credit.

A journey here is a *spell*: the time a person is at risk of converting, from their first
touch (after the previous conversion, if any) up to the conversion, or, for a spell that does
not convert, up to the person's last sign of activity (one of their own typical gaps between
touches after the last touch) or the end of the data, whichever comes first (censoring).
Every quantity is defined the same way whether the spell converted or not: a touch counts
from the moment it happens, and only while the person is at risk, so nothing measured at
"the end" can leak the outcome, and touches after a conversion never explain it.

1. **Conversion hazard.** The rate of conversion at time ``t`` of spell ``j`` is additive
   (Aalen 1989; Zhang, Wei & Ren 2014 model touches as additive hazards, too):

   ``h_j(t) = h0[s_j, u] + sum_k decay ** r_k * beta[s_j, c_k, b(t - t_k)]
   + sum_(a -> b) gamma[s_j, a, b, b'(t - t_b)]``

   over the spell's touches ``k`` before ``t`` with lag below the last of
   ``lag_edges_days``. ``c_k`` is the touch (channel, or action on a channel), ``r_k`` how
   many touches of ``c_k`` came before it in the spell (diminishing returns, one ``decay``
   for all touch types), ``b`` a lag bin (0, 1, 3, 7, 14, 30, 60 days), ``s_j`` whether
   the person had converted before (first purchases and repeat ones are separate
   processes: acquisition and retention), ``u`` the time since the spell started (coarse
   bins: 0, 14, 45, 120 days; the at-risk population thins out as the likeliest buyers
   convert). ``gamma`` is a synergy: the touches of ``b`` that follow a touch of ``a``.
   Every term is ``>= 0``.
2. **Fit.** Maximum penalised likelihood of the observed spells (censoring included):
   ``sum_j w_j [delta_j log h_j(T_j) - H_j]``, ``H_j`` the hazard integrated over the
   spell, with a Gaussian prior on each touch term (``prior_sd``, as a share of all
   conversions; baselines flat). It is concave in the parameters: L-BFGS-B with the bounds
   above finds its maximum. ``decay`` is chosen by likelihood; a synergy is kept only when
   its score test passes ``pair_z``; with ``touch_alpha`` < 1 (not the default), a touch
   type is kept only when its likelihood-ratio test passes it (below). Weights ``w_j``
   are bootstrap draw counts.

   *Test of any effect per touch type.* ``LR_c = 2 (l - l_-c)``, ``l_-c`` the penalised
   log-likelihood refitted without every term of touch ``c`` (its own, both spell kinds,
   and the synergies it is part of). ``c`` is kept when ``LR_c`` exceeds the upper
   ``touch_alpha`` quantile of chi-square with as many degrees of freedom as those terms;
   otherwise its terms are 0 and so is its credit. Assumption: with no effect, ``LR_c``
   is at most that chi-square (it is a chi-bar-square, a mixture of chi-squares with fewer
   degrees of freedom, since the terms are ``>= 0``), so ``touch_alpha`` bounds the chance
   that one touch type with no effect keeps its terms. Why: a very frequent touch with no
   effect is nearly collinear with the baseline, its ``>= 0`` estimate is poorly
   identified and its truncation biased upward (6-11 % of the credit on the blind
   generators with ``decay`` < 1; its likelihood ratio there: 3-10 on 6 terms). The
   price: a weak effect that the data cannot show is dropped too (with ``decay="auto"``:
   instagram, true share 0.05, in 1 of 12 blind cases; tiktok, 0.013, in 2). A bootstrap
   replicate is refitted whole, so it tests again: the interval includes the selection
   (which keeps a null touch in more replicates than in the data: a replicate's ratio is
   inflated by the duplicated persons).
3. **Credit.** The model's probability that spell ``j`` converts with only the touch types
   in ``S`` present is ``v_j(S) = 1 - exp(-H0_j - sum_{c in S} A_jc - sum_{a, b in S}
   G_jab)``, ``A_jc`` the hazard touch ``c``'s occurrences add over the spell, ``G_jab``
   a synergy's. Each touch gets its Shapley value in this game (exact up to ``max_exact``
   touches per spell, seeded permutations beyond; a synergy splits between its two
   touches); a touch's *conversions* are these values summed over every spell, converting
   or not: the expected conversions it adds over the no-touch baseline
   ``sum_j (1 - exp(-H0_j))``.

Estimand: each touch's Shapley share of the expected conversions over the observed spells,
had the touches of other types been absent (their times and order kept).

Assumptions (what makes the estimate causal):

* no unmeasured confounding: given the spell kind, who is touched, when and how often is
  unrelated to the person's baseline propensity (otherwise no observational model holds);
* a person is at risk from their first touch until the conversion, or until one of their
  own touch gaps after their last touch (a person who has stopped acting is no longer
  watched; keeping them at risk would make any frequent touch a sign of life that
  "predicts" conversion). Measured: with censoring at the end of the data instead, a
  frequent zero-effect touch took 6-8 % of the credit on a generator whose histories stop
  at arbitrary times; with this rule, 0.3-4 %;
* effects add on the hazard scale, decay within the longest lag and never lower the
  conversion rate; a synergy raises the later touch of the pair;
* touches after a spell's conversion belong to the next spell: they can explain a repeat
  conversion, never the one that caused them.

Where it fails: a design in which conversion is decided once at the end of a fixed window
and a non-converter's touches are all placed in the last days of the data (our own
:mod:`clusterkit.synthetic.journeys`) is not a process in time; the hazard model credits
frequent touches there (TV 0.43) and ``logistic`` fits it. Because effects are kept
``>= 0``, a touch with no effect gets a small positive share from noise and its bootstrap
interval sits just above 0 (unless the test drops it: then it is 0 and its interval
starts at 0). Figures: ``experiments/results/attribution_blind.md``.

References
----------
.. [1] Aalen, O. O. (1989). A linear regression model for the analysis of life times.
   Statistics in Medicine 8(8), 907–925.
.. [2] Zhang, Y., Wei, Y., Ren, J. (2014). Multi-touch attribution in online advertising
   with survival theory. IEEE ICDM 2014, 687–696.
.. [3] Shapley, L. S. (1953). A value for n-person games.

Examples
--------
>>> from clusterkit.synthetic.journeys import generate_journeys
>>> from clusterkit.attribution._arrays import prepare
>>> sj = generate_journeys(3000, seed=1)
>>> m = HazardModel().fit(prepare(sj.journeys))
>>> m.beta_.shape          # spell kind x touch x lag bin
(2, 8, 6)
>>> bool((m.beta_ >= 0).all())
True
"""

from __future__ import annotations

import numpy as np
from scipy.special import expm1

from clusterkit.attribution._hazard_terms import NB0, Terms, fit_terms, primers, shapley_credit
from clusterkit.stages._params import Interval, Options, check_params

__all__ = ["DEFAULT_LAG_EDGES", "HazardModel"]

DEFAULT_LAG_EDGES = (0.0, 1.0, 3.0, 7.0, 14.0, 30.0, 60.0)
"""Lag bins of a touch's effect, in days."""

_DECAYS = (1.0, 0.8, 0.6, 0.4)
"""Candidate rates of diminishing returns (``decay="auto"``)."""
_PAIR_EDGES = np.array([0.0, 1.0, 3.0, 14.0])
"""Lag bins of a synergy term (the last one runs to the longest lag)."""
_NBP = len(_PAIR_EDGES)


class HazardModel:
    """Additive conversion hazard of touches over censored spells, with Shapley credit.

    Parameters
    ----------
    lag_edges_days : sequence of float, default (0, 1, 3, 7, 14, 30, 60)
        Increasing bin edges (days) of a touch's effect after it happens; the last edge is
        the longest lag at which a touch still acts.
    censor : {"activity", "end"}, default "activity"
        Where a spell that did not convert stops being at risk: one of the person's own
        typical gaps between touches after their last touch (the median gap for a single
        touch), or the end of the data if sooner; ``"end"``: the end of the data. Kept at
        risk after they stop acting, any frequent touch would "predict" conversion.
    decay : float in (0, 1] or "auto", default 1
        The ``r``-th repeat of a touch type in a spell acts with weight ``decay ** r``;
        ``"auto"`` picks the likeliest of 1, 0.8, 0.6, 0.4 (each with its own touch
        tests). Default 1: on the blind generators ``"auto"`` gave a frequent zero-effect
        touch up to 11 % (1: 0.6 %); with ``touch_alpha=0.05`` it gave it 0 and a better
        fit (TV worst 0.115 -> 0.076), but is not the default yet (see ``touch_alpha``).
    interactions : bool, default True
        Synergy: a touch of ``b`` that follows a touch of ``a`` in the same spell adds
        ``gamma[a, b]`` (lag bins 0, 1, 3, 14 days, then up to the longest lag), for every
        ordered pair seen so in at least ``min_pair_spells`` spells.
    min_pair_spells : int, default 200
        Support a pair needs to be modelled.
    prior_sd : float, default 0.05
        Gaussian prior (sd) of each touch parameter, as the share of all conversions it
        explains; it resolves touches that always come together (e.g. a frequent touch and
        the spell's start) in favour of the baseline. Baselines have a flat prior.
    pair_z : float, default 3
        A pair is kept when its score test against the fit without pairs exceeds this
        z-value in one lag bin (one-sided).
    touch_alpha : float in (0, 1], default 1
        Level of each touch type's likelihood-ratio test of any effect (the ``Fit``
        section above); 1: no test, every touch type kept. Not on by default: on small or
        effect-free data no touch passes and nothing is credited (600-member pipeline
        example, random journeys), and with ``decay`` < 1 the coarse baseline bins let a
        placebo pass (``_hazard_terms.BASE_EDGES``).
    pair_prior_sd : float, default 0.05
        The same as ``prior_sd``, for pair (synergy) parameters.
    credit : {"shapley", "removal"}
        Shapley values of each spell's conversion probability (default), or the drop in it
        when one touch type is removed.
    max_exact : int, default 14
        Exact Shapley for spells with at most this many distinct touches.
    n_permutations : int, default 128
        Permutations (each with its reverse) for larger spells.
    random_state : int, default 0
        Seed of the permutation sampling.

    Attributes
    ----------
    h0_ : ndarray, shape (2, 4)
        Baseline hazard per day, for first and repeat spells, by time since the spell's
        start (bins 0, 14, 45, 120 days and more).
    beta_ : ndarray, shape (2, n_touches, n_bins)
        Hazard per day a first touch adds: spell kind, touch, lag bin (a repeat adds
        ``decay_ ** r`` times as much).
    decay_ : float
        The rate of diminishing returns used.
    gamma_ : ndarray, shape (2, n_touches, n_touches, 4)
        Hazard per day a touch of ``b`` adds after a touch of ``a``: spell kind, ``a``,
        ``b``, lag bin (0 for pairs not modelled).
    touch_lr_ : ndarray, shape (n_touches,)
        Each touch type's likelihood ratio at the chosen decay (NaN without the test).
    touch_kept_ : ndarray of bool, shape (n_touches,)
        Whether it passed (its terms are 0 otherwise).
    """

    _constraints = {
        "lag_edges_days": [tuple, list],
        "censor": [Options("activity", "end")],
        "decay": [Options("auto"), Interval(float, 0, 1, closed="right")],
        "interactions": [bool],
        "min_pair_spells": [Interval(int, 1, None)],
        "prior_sd": [Interval(float, 0, None, closed="neither")],
        "pair_prior_sd": [Interval(float, 0, None, closed="neither")],
        "pair_z": [Interval(float, 0, None)],
        "touch_alpha": [Interval(float, 0, 1, closed="right")],
        "credit": [Options("shapley", "removal")],
        "max_exact": [Interval(int, 1, 20, closed="both")],
        "n_permutations": [Interval(int, 1, None)],
        "random_state": [Interval(int, 0, None)],
    }

    def __init__(self, *, lag_edges_days=DEFAULT_LAG_EDGES, censor="activity", decay=1.0,
                 interactions=True, min_pair_spells=200, pair_z=3.0, prior_sd=0.05,
                 pair_prior_sd=0.05, touch_alpha=1.0, credit="shapley", max_exact=14,
                 n_permutations=128, random_state=0):
        self.lag_edges_days = lag_edges_days
        self.censor = censor
        self.decay = decay
        self.interactions = interactions
        self.min_pair_spells = min_pair_spells
        self.prior_sd = prior_sd
        self.pair_prior_sd = pair_prior_sd
        self.pair_z = pair_z
        self.touch_alpha = touch_alpha
        self.credit = credit
        self.max_exact = max_exact
        self.n_permutations = n_permutations
        self.random_state = random_state

    def _edges(self) -> np.ndarray:
        from clusterkit.errors import ConfigError

        e = np.asarray(self.lag_edges_days, dtype=np.float64)
        if e.ndim != 1 or len(e) < 2 or e[0] != 0 or not np.all(np.diff(e) > 0) \
                or not np.isfinite(e).all():
            raise ConfigError("The 'lag_edges_days' parameter of the attribution model must "
                              "be increasing day edges starting at 0, e.g. [0, 1, 3, 7, 14, "
                              f"30, 60]. Got {self.lag_edges_days!r} instead.")
        return e

    def _at_risk(self, arrays):
        """The spells with non-converting ones cut at the person's last sign of activity."""
        from dataclasses import replace

        if self.censor == "end" or not len(arrays.age_days):
            return arrays
        jr = arrays.journey
        first = np.zeros(arrays.n_journeys)
        np.maximum.at(first, jr, arrays.age_days)
        last = np.full(arrays.n_journeys, np.inf)
        np.minimum.at(last, jr, arrays.age_days)
        n = np.diff(arrays.start)
        gap = np.where(n > 1, (first - last) / np.maximum(n - 1, 1), np.nan)
        med = float(np.nanmedian(gap)) if np.isfinite(gap).any() else 0.0
        gap = np.where(np.isfinite(gap), gap, med)
        shift = np.where(arrays.converted, 0.0, np.maximum(last - gap, 0.0))
        if not shift.any():
            return arrays
        return replace(arrays, age_days=arrays.age_days - shift[jr])

    def _terms(self, arrays, pairs_kept=None, decay=1.0):
        """Every hazard term: baselines, touches, pairs (a ``_hazard_terms.Terms``)."""
        edges = self._edges()
        nb = len(edges) - 1
        k = arrays.n_touches
        jr = arrays.journey
        kind = (arrays.prior > 0).astype(np.int64)
        length = np.zeros(arrays.n_journeys)
        np.maximum.at(length, jr, arrays.age_days)
        key = jr * k + arrays.codes
        order = np.argsort(key, kind="stable")  # time order kept within (spell, touch)
        ks = key[order]
        rank = np.empty(len(ks))
        rank[order] = np.arange(len(ks)) - np.searchsorted(ks, ks)
        n_base = 2 * NB0
        own = n_base + (kind[jr] * k + arrays.codes) * nb
        n_own = n_base + 2 * k * nb
        groups = [(own, jr, arrays.codes, arrays.codes, arrays.age_days, edges,
                   float(decay) ** rank)]
        primed = None
        if pairs_kept is None:
            pairs_kept = np.zeros(0, dtype=np.int64)
            if self.interactions:
                primed = primers(arrays)  # (primer touch, touch row) of every primed row
                pairs_kept = self._pair_support(arrays, kind, *primed)
        if len(pairs_kept):
            a, row = primers(arrays) if primed is None else primed
            pid = (kind[jr[row]] * k + a) * k + arrays.codes[row]
            at = np.searchsorted(pairs_kept, pid)
            ok = (at < len(pairs_kept)) & (pairs_kept[np.minimum(at, len(pairs_kept) - 1)]
                                           == pid)
            row, a, at = row[ok], a[ok], at[ok]
            pedges = np.r_[np.minimum(_PAIR_EDGES, edges[-1]), edges[-1]]  # empty bins stay 0
            groups.append((n_own + _NBP * at, jr[row], a, arrays.codes[row],
                           arrays.age_days[row], pedges, np.ones(len(row))))
        n_params = n_own + _NBP * len(pairs_kept)
        terms = Terms(groups, kind, length, n_base, n_own, n_params, pairs_kept)
        terms.rank = rank
        terms.param_kind = np.r_[np.repeat([0, 1], NB0), np.repeat([0, 1], k * nb),
                                 np.repeat(pairs_kept // (k * k), _NBP)]
        return terms

    def _pair_support(self, arrays, kind, a, row):
        """Ordered pairs (kind, a, b) where b follows a in enough spells, as sorted ids."""
        k = arrays.n_touches
        jr = arrays.journey[row]
        pid = (kind[jr] * k + a) * k + arrays.codes[row]
        uniq = np.unique(jr * (2 * k * k) + pid)  # one count per spell
        ids, n = np.unique(uniq % (2 * k * k), return_counts=True)
        return ids[n >= self.min_pair_spells]

    def fit(self, arrays, weights=None, *, init=None):
        """Fit on :class:`~clusterkit.attribution._arrays.JourneyArrays` (optionally weighted).

        ``init`` (a fitted model on the same touches, e.g. the full-data fit for bootstrap
        replicates) only starts the optimiser at its parameters: the penalised likelihood is
        convex, so the optimum is the same, reached in fewer iterations.

        For each candidate ``decay``, touch terms are fitted first; a synergy term is then
        kept only when its score test against that fit passes ``pair_z`` in one of its lag
        bins (a one-sided test of more conversions after ``a`` then ``b`` than the touches
        alone explain), and everything is refitted with the kept pairs. The decay with the
        highest penalised likelihood wins.
        """
        check_params(type(self).__name__, vars(self), self._constraints)
        w = np.ones(arrays.n_journeys) if weights is None else np.asarray(weights, np.float64)
        source, arrays = arrays, self._at_risk(arrays)
        terms = self._terms(arrays)
        rank = terms.rank
        start = _start_from(init, terms, arrays.n_touches, len(self._edges()) - 1)
        best = None
        for d in (_DECAYS if self.decay == "auto" else (float(self.decay),)):
            g = terms.groups[0]
            terms.groups[0] = g[:-1] + (d ** rank,)
            theta, n_iter, f, test = self._fit_terms(terms, arrays, w, start)
            if best is None or f < best[2] - 1e-12:
                best = (d, theta, f, n_iter, test)
        d, theta, _, n_iter, (self.touch_lr_, self.touch_kept_) = best
        k, nb = arrays.n_touches, len(self._edges()) - 1
        self.decay_ = d
        self.h0_ = theta[: terms.n_base].reshape(2, NB0)
        self.beta_ = theta[terms.n_base: terms.n_own].reshape(2, k, nb)
        gamma = np.zeros((2 * k * k, _NBP))
        gamma[terms.pairs] = theta[terms.n_own:].reshape(-1, _NBP)
        self.gamma_ = gamma.reshape(2, k, k, _NBP)
        self.n_iter_ = n_iter
        self._theta, self._pairs = theta, terms.pairs
        terms.groups[0] = terms.groups[0][:-1] + (d ** rank,)
        self._fitted = (source, arrays, terms)  # credit_ on the same arrays reuses them
        return self

    def _spells_and_terms(self, arrays):
        """The censored spells and fitted terms of ``arrays`` (built once per fit)."""
        source, spells, terms = getattr(self, "_fitted", (None, None, None))
        if source is arrays:
            return spells, terms
        spells = self._at_risk(arrays)
        return spells, self._terms(spells, self._pairs, self.decay_)

    def _fit_terms(self, terms, arrays, w, start=None):
        """``(theta, iterations, f, (touch_lr, touch_kept))`` for one decay."""
        return fit_terms(terms, arrays, w, start, self, len(self._edges()) - 1, _NBP)

    def credit_(self, arrays, weights=None) -> np.ndarray:
        """Expected conversions each touch adds, summed over spells (after :meth:`fit`)."""
        arrays, terms = self._spells_and_terms(arrays)
        solo, duo, base = terms.parts(arrays, self._theta)
        w = np.ones(arrays.n_journeys) if weights is None else np.asarray(weights, np.float64)
        jp, t, _, _ = arrays.pairs
        if self.credit == "removal":
            full = base + np.bincount(jp, weights=solo, minlength=arrays.n_journeys)
            dj, da, db, dv = duo
            full += np.bincount(dj, weights=dv, minlength=arrays.n_journeys)
            inter = np.bincount(da, weights=dv, minlength=len(jp)) + \
                np.bincount(db, weights=dv, minlength=len(jp))
            drop = np.exp(-(full[jp] - solo - inter)) - np.exp(-full[jp])
            return np.bincount(t, weights=drop * w[jp], minlength=arrays.n_touches)
        return shapley_credit(arrays, solo, duo, base, w, self)

    def baseline_conversions(self, arrays, weights=None) -> float:
        """Conversions the model expects with no touch at all: ``sum_j 1 - exp(-H0_j)``."""
        arrays, terms = self._spells_and_terms(arrays)
        _, _, base = terms.parts(arrays, self._theta)
        w = np.ones(arrays.n_journeys) if weights is None else np.asarray(weights, np.float64)
        return float(w @ -expm1(-base))


def _start_from(init, terms, k, nb):
    """``init``'s parameters in the layout of ``terms`` (None without a usable ``init``)."""
    beta = getattr(init, "beta_", None)
    if beta is None or beta.shape != (2, k, nb):
        return None
    gamma = init.gamma_.reshape(2 * k * k, _NBP)[terms.pairs]
    return np.r_[init.h0_.ravel(), beta.ravel(), gamma.ravel()]
