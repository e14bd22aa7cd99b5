"""Markov-chain removal effects of order 1–4, computed exactly with sparse linear solves.

The journeys define an absorbing Markov chain (Anderl et al. 2016, the model behind the
ChannelAttribution package): ``(start)`` → states → ``(conversion)`` or ``(null)``. At order
``k`` a state is a window of ``k`` consecutive touches (sliding by one; a journey shorter
than ``k`` is one state made of all its touches), as in ChannelAttribution. Transition
probabilities are the (weighted) transition counts, normalised per state.

The conversion probability from ``(start)`` solves ``(I - Q) x = r`` (``Q`` transient →
transient, ``r`` transient → conversion). Removing a touch ``c`` sends every state that
contains it to ``(null)``; its *removal effect* is ``1 - P_without_c / P``, which equals the
probability that a converting walk visits ``c`` (what ChannelAttribution estimates by
simulating walks). Credited conversions are the removal effects normalised to the number
of conversions. Here each probability is one sparse LU solve (SuperLU through
:func:`scipy.sparse.linalg.spsolve`): exact and deterministic, no simulation.

Repeated states in a row (self-loops) do not change absorption probabilities, so they are
kept as they are.

References
----------
.. [1] Anderl, E., Becker, I., von Wangenheim, F., Schumann, J. H. (2016). Mapping the
   customer journey: lessons learned from graph-based online attribution modeling.
   International Journal of Research in Marketing 33(3), 457–474.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.attribution._arrays import prepare
>>> j = pd.DataFrame({"person_id": list("aabc"), "journey_id": [0, 0, 1, 2],
...     "step": [0, 1, 0, 0], "touch": ["x", "y", "x", "y"],
...     "timestamp": pd.Timestamp("2026-01-01", tz="UTC"),
...     "journey_end": pd.Timestamp("2026-01-02", tz="UTC"),
...     "converted": [True, True, False, True]})
>>> fit = markov_removal(prepare(j), order=1)
>>> round(fit.p_conversion, 4), fit.removal_effects.round(4).tolist()
(0.6667, [0.5, 1.0])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp
from scipy.sparse.linalg import spsolve

from clusterkit.errors import ConfigError

__all__ = ["MarkovFit", "markov_credit", "markov_removal"]


@dataclass(frozen=True)
class MarkovFit:
    """Result of :func:`markov_removal`.

    Attributes
    ----------
    order : int
    p_conversion : float
        Probability of conversion from ``(start)``.
    removal_effects : ndarray, shape (n_touches,)
        ``1 - P(conversion without touch c) / P(conversion)``.
    n_states : int
        Transient states besides ``(start)``.
    """

    order: int
    p_conversion: float
    removal_effects: np.ndarray
    n_states: int


def _states(arrays, order: int):
    """State code of every window, the journey of each window, and each state's touches."""
    base = arrays.n_touches + 1
    if base ** order >= 2**62:
        raise ConfigError(f"Markov order {order} with {arrays.n_touches} touches does not fit "
                          "a 64-bit state code; use a lower order or level='channel'.")
    n = arrays.length[arrays.journey]
    step = arrays.step
    rows = np.flatnonzero(step <= np.maximum(n - order, 0))  # windows start here
    span = np.minimum(order, n[rows] - step[rows])
    last = len(arrays.codes) - 1
    code = np.zeros(len(rows), dtype=np.int64)
    for i in range(order):  # order <= 4 digits
        digit = np.where(i < span, arrays.codes[np.minimum(rows + i, last)] + 1, 0)
        code = code * base + digit
    uniq, sid = _dense_ids(code, base ** order)
    digits = np.empty((len(uniq), order), dtype=np.int64)
    rest = uniq.copy()
    for i in range(order - 1, -1, -1):
        rest, digits[:, i] = np.divmod(rest, base)
    return sid, arrays.journey[rows], digits - 1  # -1: no touch in that slot


def _dense_ids(keys: np.ndarray, n_keys: int):
    """``np.unique(keys, return_inverse=True)``, by a lookup table when keys are few."""
    if n_keys > 1 << 25:
        return np.unique(keys, return_inverse=True)
    seen = np.zeros(n_keys, dtype=bool)
    seen[keys] = True
    uniq = np.flatnonzero(seen)
    ids = np.zeros(n_keys, dtype=np.int64)
    ids[uniq] = np.arange(len(uniq))
    return uniq, ids[keys]


def _counts(src, dst, weight, n: int) -> sp.csr_array:
    """Summed ``weight`` per (src, dst) as an n x n CSR matrix."""
    key = src * n + dst
    uniq, inv = _dense_ids(key, n * n)
    total = np.bincount(inv, weights=weight, minlength=len(uniq))
    return sp.csr_array((total, (uniq // n, uniq % n)), shape=(n, n))


def _solve(q, r, keep) -> float:
    """Conversion probability from state 0 (start) using only the states in ``keep``."""
    idx = np.flatnonzero(keep)
    sub = q[idx][:, idx]
    a = (sp.identity(len(idx), format="csc") - sub).tocsc()
    x = spsolve(a, r[idx])
    return float(np.atleast_1d(x)[0])


def markov_removal(arrays, order: int = 1, weights=None) -> MarkovFit:
    """Exact removal effects of an order-``order`` Markov chain over the journeys.

    Parameters
    ----------
    arrays : JourneyArrays
    order : int, 1..4
    weights : ndarray, shape (n_journeys,), optional
        Journey weights (bootstrap).

    Returns
    -------
    MarkovFit
    """
    if isinstance(order, bool) or not isinstance(order, int | np.integer) or \
            not 1 <= order <= 4:
        raise ConfigError(f"The 'order' parameter of markov must be an int in the range "
                          f"[1, 4]. Got {order!r} instead.")
    w = np.ones(arrays.n_journeys) if weights is None else np.asarray(weights, np.float64)
    sid, jw, digits = _states(arrays, int(order))
    s = len(digits)
    start, conv, null = 0, s + 1, s + 2  # states are 1..s
    node = sid + 1
    first = np.r_[True, jw[1:] != jw[:-1]]
    last = np.r_[jw[1:] != jw[:-1], True]
    inner = ~last
    src = np.concatenate([np.full(first.sum(), start), node[inner], node[last], node[last]])
    dst = np.concatenate([node[first], node[1:][inner[:-1]], np.full(last.sum(), conv),
                          np.full(last.sum(), null)])
    jl = jw[last]
    y = arrays.converted[jl]
    cnt = np.concatenate([w[jw[first]], w[jw[inner]], w[jl] * y, w[jl] * ~y])
    counts = _counts(src, dst, cnt, s + 3)
    total = np.asarray(counts.sum(axis=1)).ravel()[: s + 1]
    inv = np.divide(1.0, total, out=np.zeros_like(total), where=total > 0)
    p = sp.diags_array(inv) @ counts[: s + 1]
    q = sp.csr_array(p[:, : s + 1])
    r = p[:, [conv]].toarray().ravel()
    everything = np.ones(s + 1, dtype=bool)
    base = _solve(q, r, everything)
    effects = np.zeros(arrays.n_touches)
    if base > 0:
        present = np.zeros((s + 1, arrays.n_touches), dtype=bool)
        rr, cc = np.nonzero(digits >= 0)
        present[rr + 1, digits[rr, cc]] = True
        for c in np.flatnonzero(present.any(axis=0)):  # one solve per touch
            effects[c] = 1.0 - _solve(q, r, ~present[:, c]) / base
    return MarkovFit(int(order), base, np.clip(effects, 0.0, 1.0), s)


def markov_credit(arrays, order: int = 1, weights=None) -> np.ndarray:
    """Conversions credited per touch: removal effects normalised to the conversions."""
    fit = markov_removal(arrays, order, weights)
    w = np.ones(arrays.n_journeys) if weights is None else weights
    n_conv = float(np.sum(w * arrays.converted))
    total = fit.removal_effects.sum()
    if total <= 0:
        return np.zeros(arrays.n_touches)
    return fit.removal_effects / total * n_conv
