"""Corrections of the Splink parameters for data with several records per entity.

Splink estimates u by sampling random pairs and assumes they are non-matches. With 1-4 accounts
per person that is not true for keys a person repeats: most random pairs that share a name
found on two accounts only are the *same* person, so the sampled u of such a level is inflated
(measured: 5-20 times on the generator) and its evidence undervalued. Three corrections, with
Splink's m (EM) kept, iterated to a fixed point:

1. *Prior.* The prior probability that two random accounts match is the expected number of
   matches among the candidate pairs (their summed posterior) over the number of all pairs
   (:func:`fixed_point_prior`, the EM update of the prior with m and u fixed).
2. *Covered levels.* A level that implies equality on a blocking key (same full name, same
   alias, a handle spelling the other's name) has all its pairs among the candidates, so its
   u can be counted instead of sampled: the candidate pairs at the level times the share of
   non-matches among them, over all pairs. The share of matches in that block is estimated
   from the *other* comparisons (EM within the block, leaving the level's own comparison out,
   so that a level cannot vouch for itself; with a Laplace pseudo-count, so that a block with
   little other evidence stays uncertain).
3. *Other levels.* The sampled frequency is ``prior * m + (1 - prior) * u``; u is corrected to
   ``(u_sampled - prior * m) / (1 - prior)``, floored at the sampling resolution.
4. *Pairs with their own block probability.* Where a model gives the probability that a pair
   is one person from one comparison alone (two accounts sharing a full name:
   :mod:`clusterkit.identity.namesakes`), that comparison's weight for the pair is the
   probability's log odds less the prior's, and the pair is left out of its level's count.

A level never observed in sampling or EM carries no evidence (weight 0).

Examples
--------
>>> import numpy as np
>>> round(fixed_point_prior(np.array([20.0, 20.0, -5.0]), 1e6) * 1e6, 2)  # two sure matches
1.05
>>> round(block_match_rate(np.array([10.0] * 8 + [-10.0] * 2)), 2)  # 8 of 10 look like matches
0.75
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["block_match_rate", "fixed_point_prior", "refine"]


def _sigmoid2(x):
    return 1.0 / (1.0 + np.exp2(-np.clip(x, -60, 60)))


def fixed_point_prior(bayes_log2, n_pairs: float, iterations: int = 200, start=None) -> float:
    """Prior probability that two random accounts match, given the scored candidate pairs.

    The expected number of matches (the sum of posterior match probabilities over candidate
    pairs; other pairs count as non-matches) over the number of all pairs, iterated to its
    fixed point.

    Parameters
    ----------
    bayes_log2 : array of float
        log2 Bayes factors of the candidate pairs.
    n_pairs : float
        Number of all pairs of accounts.
    start : float, optional
        Starting prior (default ``1 / n_pairs``).
    """
    w = np.asarray(bayes_log2, dtype=np.float64)
    prior = 1.0 / max(n_pairs, 1.0) if start is None else float(start)
    for _ in range(iterations):
        new = float(_sigmoid2(w + np.log2(prior / (1.0 - prior))).sum()) / n_pairs
        new = min(max(new, 1.0 / n_pairs), 0.5)
        if abs(new - prior) <= 1e-9 * prior:
            return new
        prior = new
    return prior


def block_match_rate(other_log2, iterations: int = 200) -> float:
    """Share of matches in a block of pairs, from the evidence of the other comparisons.

    The fixed point of ``rate = mean(posterior(rate, evidence))`` over the pairs with
    evidence (at least one bit either way; the others follow any rate), with one pseudo-match
    and one pseudo-non-match (Laplace), so that a block with little evidence stays uncertain.
    """
    w = np.asarray(other_log2, dtype=np.float64)
    w = w[np.abs(w) >= 1.0]
    rate = 0.5
    for _ in range(iterations):
        new = float((_sigmoid2(w + np.log2(rate / (1.0 - rate))).sum() + 1.0) / (len(w) + 2.0))
        new = min(max(new, 1e-6), 1.0 - 1e-6)
        if abs(new - rate) <= 1e-9:
            return new
        rate = new
    return rate


def _weights(gammas: dict, levels: pd.DataFrame, log_bf: np.ndarray) -> np.ndarray:
    """Candidate × comparison matrix of log2 Bayes factors (null levels 0)."""
    out = np.zeros((len(next(iter(gammas.values()))), len(gammas)))
    for j, (comp, g) in enumerate(gammas.items()):  # a handful of comparisons
        sel = (levels["comparison"] == comp).to_numpy()
        lookup = np.zeros(int(levels.loc[sel, "gamma"].max()) + 2)
        lookup[levels.loc[sel, "gamma"].to_numpy() + 1] = log_bf[sel]
        out[:, j] = lookup[g + 1]  # gamma -1 (null) → 0
    return out


def _override(w, col, block_log2, prior):
    """Set the block comparison's weight of the pairs with their own probability."""
    if col is not None:
        has = ~np.isnan(block_log2)
        w[has, col] = block_log2[has] - np.log2(prior / (1.0 - prior))
    return w


def refine(gammas: dict, levels: pd.DataFrame, n_pairs: float, resolution: float,
           iterations: int = 30, block_prob=None, block_comparison: str = "name"):
    """Corrected u, prior and candidate weights (see the module docstring).

    Parameters
    ----------
    gammas : dict of str to array of int
        Comparison vector values of the candidate pairs, per comparison (-1 null).
    levels : pandas.DataFrame
        One row per non-null level: ``comparison``, ``level``, ``gamma``, ``m``,
        ``u_sampled``, ``fixed_u``, ``estimated`` and ``covered`` (all pairs at the level are
        candidates).
    n_pairs : float
        Number of all pairs.
    resolution : float
        Smallest u the random sample can resolve (1 / sampled pairs).
    block_prob : array of float, optional
        Per candidate pair, the probability that it is one person from ``block_comparison``
        alone (NaN where not given): see correction 4 in the module docstring.
    block_comparison : str
        The comparison ``block_prob`` stands for.

    Returns
    -------
    total : ndarray
        log2 Bayes factor of each candidate pair.
    prior : float
    model : pandas.DataFrame
        ``levels`` with ``u`` (corrected) and ``bayes_factor``.
    """
    m = levels["m"].to_numpy(dtype=np.float64)
    u_s = levels["u_sampled"].to_numpy(dtype=np.float64)
    fixed = levels["fixed_u"].to_numpy(dtype=bool)
    covered = levels["covered"].to_numpy(dtype=bool) & ~fixed
    estimated = levels["estimated"].to_numpy(dtype=bool)
    names = list(gammas)
    col = levels["comparison"].map({c: j for j, c in enumerate(names)}).to_numpy()
    n_cand = len(next(iter(gammas.values())))
    block = np.full(n_cand, np.nan) if block_prob is None else np.asarray(block_prob, float)
    block_col = names.index(block_comparison) if block_comparison in names else None
    p = np.clip(block, 1e-6, 1.0 - 1e-6)
    block_log2 = np.log2(p / (1.0 - p))
    free = np.isnan(block)
    u = np.where(fixed, u_s, np.maximum(u_s, resolution))
    prior = 1.0 / n_pairs
    floor = 0.5 / n_pairs
    for _ in range(iterations):
        log_bf = np.where(estimated, np.log2(np.clip(m, 1e-12, None) / u), 0.0)
        w = _override(_weights(gammas, levels, log_bf), block_col, block_log2, prior)
        total = w.sum(axis=1)
        prior = fixed_point_prior(total, n_pairs, start=prior)
        new = np.where(fixed, u_s, np.maximum((u_s - prior * m) / (1.0 - prior), resolution))
        for k in np.flatnonzero(covered):  # a few levels
            sel = (gammas[names[col[k]]] == levels["gamma"].iat[k]) & free
            if not sel.any():
                new[k] = floor
                continue
            rate = block_match_rate(total[sel] - w[sel, col[k]])
            new[k] = max(sel.sum() * (1.0 - rate) / n_pairs, floor)
        done = np.allclose(new, u, rtol=1e-4, atol=0)
        u = new
        if done:
            break
    log_bf = np.where(estimated, np.log2(np.clip(m, 1e-12, None) / u), 0.0)
    w = _weights(gammas, levels, log_bf)
    total = _override(w.copy(), block_col, block_log2, prior).sum(axis=1)
    prior = fixed_point_prior(total, n_pairs, start=prior)
    total = _override(w, block_col, block_log2, prior).sum(axis=1)
    model = levels.assign(u=u, bayes_factor=np.exp2(log_bf))
    model.attrs["prior"] = prior
    model.attrs["block_pairs"] = int((~free).sum())
    return total, prior, model
