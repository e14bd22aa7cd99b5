"""Shapley attribution: exact over coalitions, sampled with a seed for large ones.

Two value functions over the channel (touch) sets of journeys, as in the attribution
literature (Shao & Li 2011; Dalessandro et al. 2012; Zhao et al. 2018):

``shapley_rate`` (subset-rate)
    Each observed touch set ``S`` is a game on its own players with ``v(T)`` = the
    conversion rate of journeys whose touch set is exactly ``T``; a set that was never
    observed gets the rate of all journeys whose set is a subset of ``T``, and ``v(∅) = 0``
    (journeys without touches are not observed). A channel's credit is
    ``sum_S n(S) * phi_c(v on S)``: every journey shares out its set's conversion rate.
``shapley_count`` (count)
    One game over all touches with ``v(T)`` = conversions of journeys whose set is a subset
    of ``T`` (the "simplified Shapley" of many open-source tools). ``v`` is a sum of
    unanimity games ``conv(S) * [S ⊆ T]``, so its Shapley value is exact in closed form for
    any number of touches: each converting journey's conversion split equally among its
    distinct touches. :func:`shapley_matrix` computes it the long way in the tests.

Both follow how often a channel is touched; the model-based default
(:mod:`clusterkit.attribution.model`) reuses :func:`grouped_shapley` over a fitted
conversion model instead.

Exact Shapley for ``m`` players evaluates all ``2**m`` coalitions; beyond ``max_exact``
players, ``n_permutations`` random permutations (each with its reverse, antithetic) drawn
from ``numpy.random.default_rng(random_state)`` estimate it. Both are a linear map
``phi = V @ W`` of the values ``V`` of a fixed list of coalitions, which lets one value
function serve both.

References
----------
.. [1] Shapley, L. S. (1953). A value for n-person games.
.. [2] Zhao, K., Mahboobi, S. H., Bagheri, S. R. (2018). Shapley value methods for
   attribution modeling in online advertising. arXiv:1804.05327.

Examples
--------
>>> import numpy as np
>>> patterns, w = shapley_matrix(2)
>>> v = np.array([[0.0, 1.0, 2.0, 4.0]])       # v(∅), v({0}), v({1}), v({0, 1})
>>> (v @ w).tolist()
[[1.5, 2.5]]
"""

from __future__ import annotations

from math import factorial

import numpy as np

from clusterkit.errors import ConfigError

__all__ = ["grouped_shapley", "shapley_count", "shapley_matrix", "shapley_rate"]

_BLOCK = 1 << 22  # values evaluated at once (rows x coalitions)


def shapley_matrix(m: int, *, max_exact: int = 14, n_permutations: int = 128, rng=None):
    """Coalitions and weights such that ``phi = V @ W`` for an ``m``-player game.

    Parameters
    ----------
    m : int
        Number of players.
    max_exact : int
        Exact (all ``2**m`` coalitions) up to this many players.
    n_permutations : int
        Beyond ``max_exact``: random permutations (plus their reverses).
    rng : numpy.random.Generator
        Needed for the sampled case.

    Returns
    -------
    patterns : ndarray of bool, shape (n_coalitions, m)
        Coalition membership; exact patterns are in binary order (row ``p`` has bit ``i`` of
        ``p`` for player ``i``).
    weights : ndarray of float, shape (n_coalitions, m)
    """
    if m <= max_exact:
        p = np.arange(1 << m)
        patterns = ((p[:, None] >> np.arange(m)) & 1).astype(bool)
        size = patterns.sum(axis=1)
        fact = np.array([factorial(s) for s in range(m + 1)], dtype=np.float64)
        w_in = fact[np.maximum(size - 1, 0)] * fact[m - size] / fact[m]  # |T|-1 others before
        w_out = fact[size] * fact[np.maximum(m - size - 1, 0)] / fact[m]
        weights = np.where(patterns, w_in[:, None], -w_out[:, None])
        return patterns, weights
    if rng is None:
        raise ValueError("sampled Shapley needs an rng")
    perms = rng.permuted(np.tile(np.arange(m), (n_permutations, 1)), axis=1)
    perms = np.vstack([perms, perms[:, ::-1]])
    n = len(perms)
    member = np.zeros((n, m + 1, m), dtype=bool)  # prefix k of permutation r
    rows = np.repeat(np.arange(n), m)
    ks = np.tile(np.arange(m), n)
    member[rows, ks + 1, perms.ravel()] = True
    member = np.logical_or.accumulate(member, axis=1).reshape(n * (m + 1), m)
    patterns, inverse = np.unique(member, axis=0, return_inverse=True)
    inverse = inverse.reshape(n, m + 1)
    weights = np.zeros((len(patterns), m))
    np.add.at(weights, (inverse[:, 1:].ravel(), perms.ravel()), 1.0 / n)
    np.add.at(weights, (inverse[:, :-1].ravel(), perms.ravel()), -1.0 / n)
    return patterns, weights


def grouped_shapley(indptr, players, value, *, n_players, weights=None, max_exact=14,
                    n_permutations=128, random_state=0, rows=None):
    """Shapley values of many small games, one per row, grouped by size and vectorised.

    Parameters
    ----------
    indptr : ndarray of int, shape (R + 1,)
        Row ``r`` has players ``players[indptr[r]:indptr[r + 1]]`` (distinct).
    players : ndarray of int
        Player ids (touch codes).
    value : callable
        ``value(rows, P, patterns) -> V``: ``rows`` (G,) row ids, ``P`` (G, m) their players,
        ``patterns`` (n, m) bool coalitions; returns ``V`` (G, n), the value of each
        coalition in each row's game.
    n_players : int
        Number of distinct player ids (length of ``totals``).
    weights : ndarray, shape (R,), optional
        Row weights for ``totals``.
    max_exact, n_permutations, random_state
        See :func:`shapley_matrix`.
    rows : ndarray of int, optional
        Only these rows' games (default: every row); the others get zero.

    Returns
    -------
    totals : ndarray, shape (n_players,)
        ``sum_r weights[r] * phi_r[player]``.
    phi : ndarray, shape (len(players),)
        Each row's Shapley value per player, aligned with ``players``.
    """
    indptr = np.asarray(indptr, dtype=np.int64)
    players = np.asarray(players)
    size = np.diff(indptr)
    w = np.ones(len(size)) if weights is None else np.asarray(weights, dtype=np.float64)
    rng = np.random.default_rng(random_state)
    totals = np.zeros(n_players)
    phi = np.zeros(len(players))
    chosen = np.arange(len(size)) if rows is None else np.asarray(rows, dtype=np.int64)
    for m in np.unique(size[chosen][size[chosen] > 0]):  # a handful of sizes
        rows_m = chosen[size[chosen] == m]
        patterns, wmat = shapley_matrix(int(m), max_exact=max_exact,
                                        n_permutations=n_permutations, rng=rng)
        step = max(1, _BLOCK // len(patterns))
        for lo in range(0, len(rows_m), step):  # blocks bound the memory
            rows = rows_m[lo:lo + step]
            pos = indptr[rows][:, None] + np.arange(m)
            P = players[pos]
            f = value(rows, P, patterns) @ wmat
            phi[pos] = f
            totals += np.bincount(P.ravel(), weights=(f * w[rows, None]).ravel(),
                                  minlength=n_players)
    return totals, phi


def _sets(arrays, weights):
    """Distinct touch sets as bit masks, with weighted journey and conversion counts."""
    if arrays.n_touches > 63:
        raise ConfigError(f"set-based Shapley supports at most 63 distinct touches; these "
                          f"journeys have {arrays.n_touches}. Use level='channel' or "
                          "model='model'.")
    j, t, _, _ = arrays.pairs
    bits = np.left_shift(np.uint64(1), t.astype(np.uint64))
    masks = np.zeros(arrays.n_journeys, dtype=np.uint64)
    np.bitwise_or.at(masks, j, bits)
    uniq, inv = np.unique(masks, return_inverse=True)
    w = np.ones(arrays.n_journeys) if weights is None else weights
    n = np.bincount(inv, weights=w, minlength=len(uniq))
    conv = np.bincount(inv, weights=w * arrays.converted, minlength=len(uniq))
    return uniq, n, conv


def _members(masks):
    bits = (masks[:, None] >> np.arange(64, dtype=np.uint64)) & np.uint64(1)
    rows, cols = np.nonzero(bits)
    indptr = np.searchsorted(rows, np.arange(len(masks) + 1))
    return indptr, cols.astype(np.int64)


def shapley_rate(arrays, weights=None, *, empty="zero", min_journeys=30, max_exact=14,
                 n_permutations=128, random_state=0):
    """Credit per touch with the subset-rate value function (see the module docstring).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.attribution._arrays import prepare
    >>> j = pd.DataFrame({"person_id": list("aabc"), "journey_id": [0, 0, 1, 2],
    ...     "step": [0, 1, 0, 0], "touch": ["x", "y", "x", "y"],
    ...     "timestamp": pd.Timestamp("2026-01-01", tz="UTC"),
    ...     "journey_end": pd.Timestamp("2026-01-02", tz="UTC"),
    ...     "converted": [True, True, False, False]})
    >>> shapley_rate(prepare(j)).tolist()     # rates: {x}: 0, {y}: 0, {x, y}: 1
    [0.5, 0.5]
    """
    if empty not in ("zero", "min_single"):
        raise ConfigError(f"The 'empty' parameter of shapley_rate must be 'zero' or "
                          f"'min_single'. Got {empty!r} instead.")
    arrays_masks, n, conv = _sets(arrays, weights)
    seen = n > 0
    obs, n, conv = arrays_masks[seen], n[seen], conv[seen]
    rate = conv / n
    v0 = 0.0
    if empty == "min_single":
        single = (obs & (obs - np.uint64(1))) == 0  # one bit set
        ok = single & (n >= min_journeys)
        v0 = float(rate[ok].min()) if ok.any() else 0.0

    def value(rows, P, patterns):
        bits = np.left_shift(np.uint64(1), P.astype(np.uint64))
        masks = np.zeros((len(P), len(patterns)), dtype=np.uint64)
        for i in range(P.shape[1]):  # a handful of players
            masks |= np.where(patterns[None, :, i], bits[:, i, None], np.uint64(0))
        flat = masks.ravel()
        idx = np.clip(np.searchsorted(obs, flat), 0, len(obs) - 1)
        hit = obs[idx] == flat
        out = np.where(hit, rate[idx], 0.0)
        missing, back = np.unique(flat[~hit], return_inverse=True)
        fill = np.zeros(len(missing))
        step = max(1, _BLOCK // max(len(obs), 1))
        for lo in range(0, len(missing), step):  # blocks of unobserved coalitions
            sub = (obs[None, :] & ~missing[lo:lo + step, None]) == 0
            nn, cc = sub @ n, sub @ conv
            fill[lo:lo + step] = np.divide(cc, nn, out=np.zeros_like(cc), where=nn > 0)
        out[~hit] = fill[back]
        out[flat == 0] = v0
        return out.reshape(masks.shape)

    indptr, players = _members(obs)
    totals, _ = grouped_shapley(indptr, players, value, n_players=arrays.n_touches,
                                weights=n, max_exact=max_exact,
                                n_permutations=n_permutations, random_state=random_state)
    return totals


def shapley_count(arrays, weights=None):
    """Credit per touch with the count value function: exact, closed form.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.attribution._arrays import prepare
    >>> j = pd.DataFrame({"person_id": list("aabc"), "journey_id": [0, 0, 1, 2],
    ...     "step": [0, 1, 0, 0], "touch": ["x", "y", "x", "y"],
    ...     "timestamp": pd.Timestamp("2026-01-01", tz="UTC"),
    ...     "journey_end": pd.Timestamp("2026-01-02", tz="UTC"),
    ...     "converted": [True, True, True, False]})
    >>> shapley_count(prepare(j)).tolist()
    [1.5, 0.5]
    """
    j, t, _, _ = arrays.pairs
    w = np.ones(arrays.n_journeys) if weights is None else weights
    y = w * arrays.converted / np.maximum(np.diff(arrays.set_start), 1)
    return np.bincount(t, weights=y[j], minlength=arrays.n_touches)
