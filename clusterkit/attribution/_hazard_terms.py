"""The terms of :class:`~clusterkit.attribution.hazard.HazardModel` and their fit.

Private helpers: the additive terms grouped by
how they are binned (:class:`Terms`: exposure, events at conversions, cumulative parts), the
penalised maximum likelihood fit (:func:`solve`) and one decay's whole fit with its tests of
synergies and of each touch type (:func:`fit_terms`, :func:`touch_lr`). The Shapley credit
of ``1 - exp(-H)`` per spell is :func:`clusterkit.attribution.noisy_or.shapley_credit`.

Examples
--------
>>> import numpy as np
>>> binned(np.array([0.5, 10.0]), np.array([0.0, 1.0, 7.0, np.inf])).tolist()
[[0.5, 0.0, 0.0], [1.0, 6.0, 3.0]]
"""

from __future__ import annotations

import numpy as np

from clusterkit.attribution._pairs import PAIR_SPAN_ROWS, span_jobs
from clusterkit.provenance import one_blas_thread, side_by_side

__all__ = ["BASE_EDGES", "NB0", "Terms", "at_risk", "base_edges", "binned", "fit_terms",
           "rebased", "repeat_weight", "solve", "start_from", "touch_lr", "touch_params"]

BASE_EDGES = np.array([0.0, 14.0, 45.0, 120.0, np.inf])
"""Coarse bins of the baseline hazard over the time since the spell's start, in days (so
that a frequent touch that opens most spells is not confused with the spell's start; the
default model refines them by BIC where the data need it, :func:`base_edges`).
With ``decay`` < 1 they are too coarse: a placebo touch then stands in for the baseline's
shape (likelihood ratio 41 on 6 terms, 21 % of the credit on
``tests/test_attribution_hazard.py``'s process; with bins 0, 1, 3, 7, 14, 30, 60, 120: 3.6,
0 %). See ``experiments/results/attribution_blind.md``."""
NB0 = len(BASE_EDGES) - 1


def at_risk(arrays):
    """The spells with non-converting ones cut at the person's last sign of activity: one of
    their own typical gaps between touches after the last touch (the median gap for a
    single touch), or the end of the data if sooner."""
    from dataclasses import replace

    if not len(arrays.age_days):
        return arrays
    jr = arrays.journey
    first = arrays.per_journey(np.maximum, arrays.age_days, 0.0)
    last = arrays.per_journey(np.minimum, arrays.age_days, np.inf)
    n = np.diff(arrays.start)
    gap = np.where(n > 1, (first - last) / np.maximum(n - 1, 1), np.nan)
    med = float(np.nanmedian(gap)) if np.isfinite(gap).any() else 0.0
    gap = np.where(np.isfinite(gap), gap, med)
    shift = np.where(arrays.converted, 0.0, np.maximum(last - gap, 0.0))
    if not shift.any():
        return arrays
    return replace(arrays, age_days=arrays.age_days - shift[jr])


def base_edges(length, converted, w, bins):
    """Edges of the baseline's bins over the time since the spell's start, in days.

    ``bins`` ``"coarse"``: :data:`BASE_EDGES`; an int ``q``: those and the ``q``-quantiles
    of the converting spells' durations (weighted by ``w``, rounded to the hour, duplicates
    merged), so that the baseline can follow the shape of the conversions over time however
    it is, and nests the coarse one; :data:`BASE_EDGES` when no spell converts.

    Examples
    --------
    >>> base_edges(np.array([1.0, 2, 3, 4, 9]), np.array([1, 1, 1, 1, 0], bool),
    ...            np.ones(5), 2).tolist()
    [0.0, 2.0, 14.0, 45.0, 120.0, inf]
    """
    conv = np.flatnonzero(converted & (w > 0))
    if isinstance(bins, str) or not len(conv):
        return BASE_EDGES
    order = conv[np.argsort(length[conv], kind="stable")]
    cum = np.cumsum(w[order])
    at = np.searchsorted(cum, cum[-1] * np.arange(1, int(bins)) / int(bins))
    inner = np.unique(np.r_[np.round(length[order][np.minimum(at, len(order) - 1)] * 24) / 24,
                            BASE_EDGES[1:-1]])
    return np.r_[0.0, inner[inner > 0], np.inf]


class Terms:
    """The additive terms of the hazard, grouped by how they are binned.

    ``groups``: tuples ``(param offset, spell, touch a, touch b, age in days, bin edges,
    weight)`` per entry; an own-touch entry has ``a == b`` and the weight of its rank among
    the spell's touches of that type, a pair entry ``a`` the primer and weight 1 (a
    read-only view of one value, not an array per entry). ``shift`` is added to every
    group's parameter offsets when they are read, so that terms rebased on other baseline
    bins share the entry arrays instead of copying them.
    """

    def __init__(self, groups, kind, length, n_base, n_own, n_params, pairs,
                 edges=BASE_EDGES, shift=0):
        self.groups, self.kind, self.length = groups, kind, length
        self.n_base, self.n_own, self.n_params, self.pairs = n_base, n_own, n_params, pairs
        self.base_edges, self.nb0 = np.asarray(edges, np.float64), len(edges) - 1
        self.shift = int(shift)

    def exposure(self, w):
        """Days each parameter is active, summed over spells (weighted).

        Computed in place, one bin at a time, with a multiplication by weights that are all
        1 skipped (it changes no bit): at 1,000,000 members a group holds ~38 M entries and
        each temporary over them is 300 MB.
        """
        out = np.zeros(self.n_params)
        unit = bool(np.all(w == 1.0))
        for off, j, _, _, age, edges, mult in self.groups:
            wj = None if unit else w[j]  # gathered once per group, not once per bin
            scale = not np.all(mult == 1.0)
            idx = off.astype(np.int64)  # bincount's own index type: it makes no copy
            idx += self.shift
            d = np.empty(len(age))
            for b in range(len(edges) - 1):  # a handful of bins; each one vectorised
                np.clip(age, edges[b], edges[b + 1], out=d)
                d -= edges[b]
                if scale:
                    d *= mult
                if wj is not None:
                    d *= wj
                out += np.bincount(idx, weights=d, minlength=self.n_params)
                idx += 1
            del wj, idx, d
        base = binned(self.length, self.base_edges) * w[:, None]
        for s in (0, 1):
            out[s * self.nb0:(s + 1) * self.nb0] = base[self.kind == s].sum(axis=0)
        return out

    def events(self, converted, span=PAIR_SPAN_ROWS):
        """Sparse (converting spell x parameter) counts of what is active at the conversion.

        Read ``span`` entries at a time: the temporaries over a group's every entry were
        0.6 GB at 1,000,000 members.
        """
        import scipy.sparse as sp

        conv = np.flatnonzero(converted)
        pos = np.full(len(converted), -1)
        pos[conv] = np.arange(len(conv))
        nb0 = self.nb0
        b0 = np.minimum(np.searchsorted(self.base_edges, self.length[conv], side="right") - 1,
                        nb0 - 1)
        rows, cols = [np.arange(len(conv))], [self.kind[conv] * nb0 + b0]
        vals = [np.ones(len(conv))]
        for off, j, _, _, age, edges, mult in self.groups:
            for lo in range(0, len(age), span):  # in order: the same matrix as in one go
                sl = slice(lo, lo + span)
                b = np.searchsorted(edges, age[sl], side="right") - 1
                pj = pos[j[sl]]
                live = (pj >= 0) & (b < len(edges) - 1)
                rows.append(pj[live])
                cols.append(off[sl][live] + (b[live] + self.shift))
                vals.append(mult[sl][live])
        rows, cols = np.concatenate(rows), np.concatenate(cols)
        return sp.csr_array((np.concatenate(vals), (rows, cols)),
                            shape=(len(conv), self.n_params)), conv

    def parts(self, arrays, theta):
        """Cumulative hazard over each spell: per (spell, touch) pair of ``arrays.pairs``,
        per modelled (spell, a, b) pair ``(pair index of a, of b, spell, value)``, and the
        baseline per spell."""
        jp, t, _, _ = arrays.pairs
        k = arrays.n_touches
        keys = jp * k + t
        solo = np.zeros(len(jp))
        duo = (np.zeros(0, np.int64),) * 3 + (np.zeros(0),)
        for gi, (off, j, a, b, age, edges, mult) in enumerate(self.groups):
            if gi == 0:
                add = self._added(theta, off, age, edges) * mult
                solo = np.bincount(np.searchsorted(keys, j * k + b), weights=add,
                                   minlength=len(jp))
                continue
            duo = self._pair_sums(theta, keys, jp, k, off, j, a, b, age, edges, mult)
        base = (binned(self.length, self.base_edges) * theta[: self.n_base].reshape(
            2, self.nb0)[self.kind]).sum(axis=1)
        return solo, duo, base

    def _added(self, theta, off, age, edges):
        """Hazard each entry adds over its spell: its lag bins' rates times their days."""
        add = np.zeros(len(age))
        for q in range(len(edges) - 1):
            add += theta[off + (q + self.shift)] * (
                np.clip(age, edges[q], edges[q + 1]) - edges[q])
        return add

    def _pair_sums(self, theta, keys, jp, k, off, j, a, b, age, edges, mult,
                   rows_per_span=PAIR_SPAN_ROWS):
        """Per modelled (spell, a, b): ``(spell, pair index of a, of b, summed hazard)``,
        sorted by the pair indices.

        Taken over spans of consecutive spells of about ``rows_per_span`` entries, so its
        temporaries are a span's (at 1,000,000 members the pair entries are ~38 M rows and
        each temporary 300 MB). Exact: every entry of a (spell, a, b) lies in one span and
        is summed in its order, and a later span's keys all follow an earlier span's, so the
        spans end to end are the whole, however long they are. With more than one span and
        two cores or more, spans of ``rows_per_span / cores`` entries run side by side in
        threads (the same temporaries at once; 1,000,000 members: 7.0 s → 4.0 s).
        """
        jobs = span_jobs(len(j), rows_per_span)
        span = max(rows_per_span // jobs, 1)
        per_spell = np.cumsum(np.bincount(j)) if len(j) else np.zeros(0, np.int64)
        cuts = np.unique(np.searchsorted(per_spell, np.arange(
            span, len(j), span), side="right"))  # first spell of a span

        def one(lo, hi):
            sel = slice(None) if not len(cuts) else (j >= lo) & (j < hi)
            jj, add = j[sel], self._added(theta, off[sel], age[sel], edges) * mult[sel]
            ia = np.searchsorted(keys, jj * k + a[sel])
            ib = np.searchsorted(keys, jj * k + b[sel])
            uniq, inv = np.unique(ia * len(jp) + ib, return_inverse=True)
            ia, ib = uniq // len(jp), uniq % len(jp)
            return jp[ia], ia, ib, np.bincount(inv, weights=add)

        parts = side_by_side(one, zip(np.r_[0, cuts], np.r_[cuts, len(per_spell)],
                                      strict=True), jobs)
        return tuple(np.concatenate(col) for col in zip(*parts, strict=True))


def rebased(terms, edges0) -> Terms:
    """``terms`` with the baseline's bins ``edges0``: the touch and pair terms are the same,
    their parameters shifted after the new baseline's."""
    nb0 = len(edges0) - 1
    shift = 2 * nb0 - terms.n_base
    out = Terms(list(terms.groups), terms.kind, terms.length, 2 * nb0, terms.n_own + shift,
                terms.n_params + shift, terms.pairs, edges0, terms.shift + shift)
    out.rank = terms.rank
    out.param_kind = np.r_[np.repeat([0, 1], nb0), terms.param_kind[terms.n_base:]]
    return out


def repeat_weight(decay, rank):
    """Each own-touch entry's weight ``decay ** rank``; with ``decay`` 1 (the default) one
    shared read-only 1 instead of an array (186 MB at 1,000,000 members)."""
    if float(decay) == 1.0:
        return np.broadcast_to(np.float64(1.0), rank.shape)
    return float(decay) ** rank


def binned(x, edges):
    """Time spent in each bin by a clock that ran for ``x`` days: shape (len(x), bins)."""
    return np.clip(x[:, None], edges[:-1], edges[1:]) - edges[:-1]


def solve(events, expo, wc, free, terms, sds, start=None):
    """Penalised maximum likelihood over the ``free`` parameters (the rest stay 0).

    ``sds``: the prior sd of touch and of pair parameters (baselines: flat). The objective
    is convex (linear exposure, minus the log of a linear hazard, plus a ridge), so
    ``start`` (parameters in the layout of ``terms``, e.g. a full-data fit for a bootstrap
    replicate) changes only how many iterations it takes; without it, or where it puts no
    hazard at all, every free parameter starts equal. Returns ``(theta, iterations, f)``.
    """
    import scipy.sparse as sp
    from scipy.optimize import minimize

    n_free = int(free.sum())
    if n_free == 0:  # nothing to fit (e.g. every conversion at its spell's first instant)
        return np.zeros(terms.n_params), 0, 0.0
    n_conv = max(float(wc.sum()), 1.0)
    scale = np.where(free, n_conv / np.where(expo > 0, expo, 1.0), 0.0)  # unit-free
    ev = (events @ sp.diags_array(scale)).tocsc()[:, free].tocsr()
    sd = np.r_[np.full(terms.n_base, np.inf), np.full(terms.n_own - terms.n_base, sds[0]),
               np.full(terms.n_params - terms.n_own, sds[1])][free]
    ridge = 1.0 / (sd ** 2 * n_conv)
    n_base = int(free[: terms.n_base].sum())  # the free baselines come first

    def objective(phi):
        h = np.maximum(ev @ phi, 1e-300)
        f = phi.sum() - wc @ np.log(h) / n_conv + 0.5 * ridge @ phi ** 2
        g = 1.0 - ev.T @ (wc / h) / n_conv + ridge * phi
        return f, g

    bounds = [(1e-9, None)] * n_base + [(0.0, None)] * (n_free - n_base)
    x0 = None
    if start is not None:
        x0 = np.maximum(np.nan_to_num(start[free] / scale[free]), 0.0)
        x0[:n_base] = np.maximum(x0[:n_base], 1e-9)
        if not (ev @ x0 > 0).all():  # a conversion with no hazard: no usable start
            x0 = None
    if x0 is None:
        x0 = np.full(n_free, 0.5 / n_free)
        x0[:n_base] = 0.5 / max(n_base, 1)
    # L-BFGS-B on ~100 parameters: with OpenBLAS's 2 threads ``setulb`` took 2-3 ms a call
    # (a 20,000-person bootstrap replicate 1.0 s instead of 0.2 s)
    with one_blas_thread():
        res = minimize(objective, x0, jac=True, method="L-BFGS-B", bounds=bounds,
                       options={"maxiter": 5000, "ftol": 1e-13, "gtol": 1e-10})
    theta = np.zeros(terms.n_params)
    theta[free] = res.x * scale[free]
    return theta, int(res.nit), float(res.fun)


def touch_params(terms, n_touches, n_bins, n_pair_bins):
    """Boolean (touch type x parameter): the touch's own terms (both spell kinds) and the
    terms of every modelled pair it is part of."""
    out = np.zeros((n_touches, terms.n_params), bool)
    own = terms.n_base + ((np.arange(2)[:, None] * n_touches + np.arange(n_touches))[..., None]
                          * n_bins + np.arange(n_bins))  # (kind, touch, bin)
    for c in range(n_touches):
        out[c, own[:, c].ravel()] = True
    a, b = terms.pairs // n_touches % n_touches, terms.pairs % n_touches
    for i in range(len(terms.pairs)):
        out[[a[i], b[i]], terms.n_own + n_pair_bins * i + np.arange(n_pair_bins)[:, None]] = True
    return out


def touch_lr(events, expo, wc, free, terms, sds, theta, f, params):
    """Penalised likelihood ratio of each touch type: ``2 (loglik - loglik without it)``.

    ``theta``, ``f``: the fit with every ``free`` term; ``params``: :func:`touch_params`.
    The fit without a touch type's terms starts from ``theta``; a touch whose terms are all
    0 there has ratio 0 without a refit. Returns ``(ratio, dof, iterations)`` per touch
    type, ``dof`` its free parameters.
    """
    n_conv = max(float(wc.sum()), 1.0)
    ratio, n_iter = np.zeros(len(params)), 0
    dof = (params & free).sum(axis=1)
    for c, idx in enumerate(params):  # one refit per touch type
        if not (theta[idx] > 0).any():
            continue
        _, more, f_c = solve(events, expo, wc, free & ~idx, terms, sds, theta)
        ratio[c], n_iter = max(2.0 * n_conv * (f_c - f), 0.0), n_iter + more
    return ratio, dof, n_iter


def fit_terms(terms, arrays, w, start, model, n_bins, n_pair_bins, gate=None):
    """One decay's fit of :class:`~clusterkit.attribution.hazard.HazardModel`: touch terms,
    the synergies that pass their score test, then each touch type's likelihood-ratio test.

    Returns ``(theta, iterations, f, (ratio, kept))``: the parameters, the penalised
    negative log-likelihood per conversion ``f``, and each touch type's likelihood ratio
    and whether it passed (NaN and all True when ``model.touch_alpha`` is 1: no test).
    ``gate``: a lock held while the exposure and the events at conversions are computed
    (their temporaries span every entry), so that fits in other threads take turns there.
    """
    from contextlib import nullcontext

    from scipy.stats import chi2

    with gate or nullcontext():
        expo = terms.exposure(w)
        events, conv = terms.events(arrays.converted)
    wc = w[conv]
    hit = np.asarray(events.T @ wc).ravel() > 0
    free = expo > 0
    free[: terms.n_base] &= hit[: terms.n_base]  # a baseline bin without conversions: 0
    for s in (0, 1):  # a kind of spell that never converts has no hazard at all
        if not hit[s * terms.nb0:(s + 1) * terms.nb0].any():
            free[terms.param_kind == s] = False
    pair = np.arange(terms.n_params) >= terms.n_own
    sds = (float(model.prior_sd), float(model.pair_prior_sd))
    theta, n_iter, f = solve(events, expo, wc, free & ~pair, terms, sds, start)
    fitted = free & ~pair
    if pair[free].any():
        h = np.maximum(events @ theta, 1e-300)
        score = events.T @ (wc / h) - expo
        info = (events * events).T @ (wc / h / h)
        z = np.where(info > 0, score / np.sqrt(np.maximum(info, 1e-300)), 0.0)
        strong = (z[terms.n_own:].reshape(-1, n_pair_bins) > float(model.pair_z)).any(axis=1)
        if strong.any():
            fitted = free & (~pair | np.r_[np.zeros(terms.n_own, bool),
                                           np.repeat(strong, n_pair_bins)])
            x0 = theta if start is None else np.where(pair, start, theta)
            theta, more, f = solve(events, expo, wc, fitted, terms, sds, x0)
            n_iter += more
    k = arrays.n_touches
    if float(model.touch_alpha) >= 1:
        return theta, n_iter, f, (np.full(k, np.nan), np.ones(k, bool))
    params = touch_params(terms, k, n_bins, n_pair_bins)
    ratio, dof, more = touch_lr(events, expo, wc, fitted, terms, sds, theta, f, params)
    kept = ratio > chi2.isf(float(model.touch_alpha), np.maximum(dof, 1))
    n_iter += more
    if not kept.all():
        theta, more, f = solve(events, expo, wc, fitted & ~params[~kept].any(axis=0), terms,
                               sds, theta)
        n_iter += more
    return theta, n_iter, f, (ratio, kept)


def start_from(init, terms, k, nb, n_pair_bins):
    """``init``'s parameters in the layout of ``terms`` (None without a usable ``init``);
    only a start: the objective is convex."""
    beta = getattr(init, "beta_", None)
    if beta is None or beta.shape != (2, k, nb) or init.h0_.shape != (2, terms.nb0):
        return None
    gamma = init.gamma_.reshape(2 * k * k, n_pair_bins)[terms.pairs]
    return np.r_[init.h0_.ravel(), beta.ravel(), gamma.ravel()]
