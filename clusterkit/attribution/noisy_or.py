"""Exact Shapley values of a conversion probability under an additive hazard.

The game of each spell is ``v(S) = 1 - exp(-H(S))`` with

``H(S) = base + sum_{i in S} h_i + sum_{(a, b) in pairs, a, b in S} r_ab``,

a noisy-OR of the touches plus a few modelled pairs. With ``q_i = exp(-h_i)`` and
``G(T) = exp(-H(T))`` over the *paired* players ``P`` (those in some pair) only, a free
player ``i`` (in no pair) adds ``G(S)(1 - q_i)`` to any coalition, and the free players
enter ``G`` as a product. Summing over coalitions by their size then needs only the
elementary symmetric polynomials ``e_k`` of the free players' ``q``:

- free ``i``:   ``phi_i = (1 - q_i) sum_t S_t sum_k w_{t+k} e_k(q_F without i)``,
  with ``S_t = sum_{T subset P, |T| = t} G(T)``;
- paired ``i``: ``phi_i = sum_{T subset P without i} (G(T) - G(T + i)) sum_k w_{|T|+k}
  e_k(q_F)``;

where ``w_j = j! (m - j - 1)! / m!`` is the Shapley weight of a coalition of ``j`` others
among ``m`` players. That is exact for any number of free players, at ``O(m**2 + 2**p m)``
per spell instead of the ``2**m`` coalitions (or sampled permutations) of
:func:`~clusterkit.attribution.shapley.grouped_shapley`. ``e_k(q without i)`` is deflated
from ``e_k(q)`` by ``e_k(-i) = e_k - q_i e_{k-1}(-i)``: with ``h >= 0`` every ``q_i <= 1``,
so errors do not grow from step to step.

Examples
--------
>>> import numpy as np
>>> from clusterkit.attribution.shapley import shapley_matrix
>>> h, base = np.array([0.5, 1.0, 0.2, 0.3]), np.array([0.1])
>>> pairs = (np.array([0]), np.array([0]), np.array([2]), np.array([0.4]))  # r(0, 2)
>>> totals, phi, left = exp_shapley(np.array([0, 4]), np.arange(4), h, base,
...                                 n_players=4, pairs=pairs)
>>> patterns, w = shapley_matrix(4)                 # all 16 coalitions, the long way
>>> H = base[0] + patterns @ h + 0.4 * (patterns[:, 0] & patterns[:, 2])
>>> bool(np.allclose(phi, (1 - np.exp(-H)) @ w)), left.tolist()
(True, [])
"""

from __future__ import annotations

import numpy as np
from scipy.special import gammaln

__all__ = ["exp_shapley", "shapley_credit"]

_BLOCK = 1 << 21  # values held at once per block (rows x columns)


def _symmetric(q: np.ndarray) -> np.ndarray:
    """Elementary symmetric polynomials ``e_0 … e_m`` of each row of ``q``: (G, m + 1)."""
    e = np.zeros((len(q), q.shape[1] + 1))
    e[:, 0] = 1.0
    for j in range(q.shape[1]):  # a loop over positions; each step is vectorised
        e[:, 1:j + 2] = e[:, 1:j + 2] + q[:, j:j + 1] * e[:, :j + 1]
    return e


def _block(hz, base, terms, m, p):
    """Shapley values of one block of spells with ``m`` players, the first ``p`` paired.

    ``terms``: (owner row in the block, paired index a, paired index b, value).
    """
    j = np.arange(m)
    w = np.exp(gammaln(j + 1) + gammaln(m - j) - gammaln(m + 1))
    patterns = ((np.arange(1 << p)[:, None] >> np.arange(p)) & 1).astype(bool)
    size = patterns.sum(axis=1)
    h = base[:, None] + hz[:, :p] @ patterns.T.astype(np.float64)
    owner, ia, ib, val = terms
    if len(val):
        both = (patterns[:, ia] & patterns[:, ib]).T * val[:, None]  # (terms, 2**p)
        np.add.at(h, owner, both)
    g = np.exp(-h)  # G(T) for every T within P, base included
    q = np.exp(-hz[:, p:])
    e = _symmetric(q)
    s_t = np.stack([g[:, size == t].sum(axis=1) for t in range(p + 1)], axis=1)
    phi = np.empty_like(hz)
    without = np.ones_like(q)
    acc = np.zeros_like(q)
    for k in range(m - p):  # free players: deflate e_k, weigh by the paired coalitions
        if k:
            without = e[:, k:k + 1] - q * without
        acc += (s_t @ w[np.arange(p + 1) + k])[:, None] * without
    phi[:, p:] = (1.0 - q) * acc
    if p:
        d = np.stack([e @ w[t + np.arange(m - p + 1)] for t in range(p)], axis=1)
        idx = np.arange(1 << p)
        for i in range(p):  # a handful of paired players
            lo = idx[(idx >> i) & 1 == 0]
            phi[:, i] = ((g[:, lo] - g[:, lo | (1 << i)]) * d[:, size[lo]]).sum(axis=1)
    return phi


def exp_shapley(indptr, players, hazard, base, *, n_players, pairs=None, weights=None,
                rows=None, max_paired=12):
    """Exact Shapley values of ``1 - exp(-H)`` per row (see the module docstring).

    Parameters
    ----------
    indptr, players, n_players, weights, rows
        As in :func:`~clusterkit.attribution.shapley.grouped_shapley`.
    hazard : ndarray, shape (len(players),)
        Each row's additive hazard per player (``>= 0``), aligned with ``players``.
    base : ndarray, shape (R,)
        Each row's hazard with no player.
    pairs : tuple of ndarray, optional
        ``(row, a, b, r)``: a hazard ``r`` added when the players at positions ``a`` and
        ``b`` of ``row`` (0-based within the row) are both in the coalition.
    max_paired : int, default 12
        Rows with more paired players than this are left to the caller (``left``).

    Returns
    -------
    totals : ndarray, shape (n_players,)
        ``sum_r weights[r] * phi_r[player]`` over the rows solved.
    phi : ndarray, shape (len(players),)
        Each solved row's Shapley value per player, aligned with ``players`` (0 elsewhere).
    left : ndarray of int
        Rows not solved (more than ``max_paired`` paired players).
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    size = np.diff(indptr)
    n_rows = len(size)
    w_row = np.ones(n_rows) if weights is None else np.asarray(weights, dtype=np.float64)
    row_of = np.repeat(np.arange(n_rows), size)
    local = np.arange(len(players)) - indptr[row_of]
    prow, pa, pb, pval = (np.zeros(0, np.int64),) * 3 + (np.zeros(0),) if pairs is None \
        else tuple(np.asarray(x) for x in pairs)
    flag = np.zeros(len(players), dtype=bool)
    flag[indptr[prow] + pa] = True
    flag[indptr[prow] + pb] = True
    n_paired = np.bincount(row_of[flag], minlength=n_rows)
    order = np.lexsort((local, ~flag, row_of))  # in each row: paired players first
    newpos = np.empty(len(players), dtype=np.int64)
    newpos[order] = local
    by_row = np.argsort(prow, kind="stable")
    prow, pa, pb, pval = prow[by_row], pa[by_row], pb[by_row], pval[by_row]
    pstart = np.searchsorted(prow, np.arange(n_rows + 1))

    chosen = np.arange(n_rows) if rows is None else np.asarray(rows, dtype=np.int64)
    chosen = chosen[size[chosen] > 0]
    left = chosen[n_paired[chosen] > max_paired]
    chosen = chosen[n_paired[chosen] <= max_paired]
    totals, phi = np.zeros(n_players), np.zeros(len(players))
    key = size[chosen] * (max_paired + 1) + n_paired[chosen]
    for kv in np.unique(key):  # a handful of (size, paired) groups
        m, p = int(kv // (max_paired + 1)), int(kv % (max_paired + 1))
        rows_g = chosen[key == kv]
        step = max(1, _BLOCK // max(1 << p, m * m))
        for lo in range(0, len(rows_g), step):  # blocks bound the memory
            rr = rows_g[lo:lo + step]
            entries = order[indptr[rr][:, None] + np.arange(m)]
            n_terms = pstart[rr + 1] - pstart[rr]
            sel = np.repeat(pstart[rr], n_terms) + (np.arange(n_terms.sum()) - np.repeat(
                np.cumsum(n_terms) - n_terms, n_terms))
            owner = np.repeat(np.arange(len(rr)), n_terms)
            terms = (owner, newpos[indptr[prow[sel]] + pa[sel]],
                     newpos[indptr[prow[sel]] + pb[sel]], pval[sel])
            f = _block(hazard[entries], base[rr], terms, m, p)
            phi[entries] = f
            totals += np.bincount(np.asarray(players)[entries].ravel(),
                                  weights=(f * w_row[rr, None]).ravel(), minlength=n_players)
    return totals, phi, left


def shapley_credit(arrays, solo, duo, base, w, model):
    """Shapley values of ``1 - exp(-(base + sum solo + sum pairs))`` per spell, summed.

    Exact in closed form (:func:`~clusterkit.attribution.noisy_or.exp_shapley`); a spell
    with more than 12 touch types in modelled pairs is credited over coalitions instead
    (exact up to ``model.max_exact`` touch types, sampled permutations beyond).
    """
    import scipy.sparse as sp
    from scipy.special import expm1

    from clusterkit.attribution.shapley import grouped_shapley

    jp, t, _, _ = arrays.pairs
    indptr = arrays.set_start
    dj, da, db, dv = duo
    local_a, local_b = da - indptr[dj], db - indptr[dj]
    order = np.argsort(dj, kind="stable")
    dj, local_a, local_b, dv = dj[order], local_a[order], local_b[order], dv[order]
    dstart = np.searchsorted(dj, np.arange(arrays.n_journeys + 1))

    def value(rows, P, patterns):
        m = P.shape[1]
        pos = indptr[rows][:, None] + np.arange(m)
        pat = patterns.T.astype(np.float64)
        h = base[rows][:, None] + solo[pos] @ pat
        if len(dv):
            n_terms = dstart[rows + 1] - dstart[rows]
            if n_terms.any():
                sel = np.repeat(dstart[rows], n_terms) + (
                    np.arange(n_terms.sum()) - np.repeat(np.cumsum(n_terms) - n_terms,
                                                         n_terms))
                owner = np.repeat(np.arange(len(rows)), n_terms)
                both = patterns[:, local_a[sel]] & patterns[:, local_b[sel]]  # (n, terms)
                contrib = both.T * dv[sel][:, None]
                gather = sp.csr_array((np.ones(len(sel)), (owner, np.arange(len(sel)))),
                                      shape=(len(rows), len(sel)))
                h = h + gather @ contrib
        return -expm1(-h)

    # exact in closed form (noisy-OR with a few pairs); coalitions only for many pairs
    totals, _, left = exp_shapley(indptr, t, solo, base, n_players=arrays.n_touches,
                                  pairs=(dj, local_a, local_b, dv), weights=w)
    if len(left):
        totals = totals + grouped_shapley(
            indptr, t, value, n_players=arrays.n_touches, weights=w,
            max_exact=model.max_exact, n_permutations=model.n_permutations,
            random_state=model.random_state, rows=left)[0]
    return totals
