"""History-matched incremental conversions: exposed members against matched unexposed ones.

The cards' point estimate is the own-trend one (:mod:`clusterkit.campaign.own_trend`); this
estimator is its counterpart under the opposite assumption (the exposed were chosen on their
observed history, so members with the same history are their counterfactual), shown beside
it as ``history_matched_*`` and spanned by the cards' interval
(:mod:`clusterkit.campaign.effects`). Matching on sparse counts regresses to the mean when
the exposed were chosen on an unobserved propensity: their matches, equal in counts, have a
lower rate (issue 17's blogger A: +129 where the truth is 0).

Matching. Every member exposed to any blogger is matched to ``k`` members exposed to none
(with replacement), drawn from at most ``max_controls`` unexposed members (a seeded sample
when there are more). Members are matched exactly on coarse strata (pre-period conversions
0 / 1 / 2+, converted before the pre-period or not, active in the pre-period or not) and,
within a stratum, as nearest neighbours (scikit-learn) on standardised features:
``log1p`` of pre-period conversions, history conversions, pre-period engagement, followers
and followees, and tenure (days from ``created_at``, else the first event, to the window's
start; signed ``log1p``, so members who joined later are matched with late joiners).
(Exact strata by joining time, tried as well, changed nothing measurable.) Ties between identical
members are broken at random by a seeded jitter far below the features' resolution.

Difference-in-differences. For each member ``Δ = post - scale * pre`` (the outcome period
against the pre-period put on the same length); an exposed member's effect is its ``Δ``
minus the mean ``Δ`` of its matches. A blogger's incremental conversions (or engagement) are
the sum of the effects over the blogger's exposed members: the effect on the treated, in
counts. Members exposed to several bloggers count for each, so effects need not add up.

Intervals. A seeded percentile bootstrap, vectorised, that resamples the exposed members and,
independently, the matched controls weighted by how often each is used (see
:func:`matched_did`); above 4,000 units, units are dealt at random into 2,000 blocks and
blocks are resampled (same variance for a sum of independent terms, bounded cost).

Examples
--------
>>> rng = np.random.default_rng(0)
>>> d = rng.normal(0.1, 1.0, 500)
>>> est, lo, hi = bootstrap_sum(d, n_boot=500, confidence=0.9, rng=rng)
>>> bool(lo < est < hi)
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["TIERS", "blogger_groups", "bootstrap_sum", "bootstrap_sums", "did_by_blogger",
           "match_controls", "matched_did", "matched_groups", "matching_features"]

MAX_MEMBER_BOOTSTRAP = 4_000
N_BLOCKS = 2_000
_CHUNK = 20_000_000  # random draws per bootstrap chunk


def matching_features(panel, start_us: int) -> tuple[np.ndarray, np.ndarray]:
    """Stratum codes and standardised continuous features of every member.

    Returns
    -------
    strata : numpy.ndarray of int
    X : numpy.ndarray, shape (n_members, 6)
    """
    strata = (np.minimum(panel.pre_conv, 2) * 4 + (panel.hist_conv > 0) * 2
              + (panel.pre_eng > 0)).astype(np.int64)
    tenure = np.nan_to_num((start_us - panel.first_seen) / 86_400_000_000, nan=0.0)
    tenure = np.sign(tenure) * np.log1p(np.abs(tenure))  # negative: joined after the start
    X = np.column_stack([np.log1p(panel.pre_conv), np.log1p(panel.hist_conv),
                         np.log1p(panel.pre_eng), np.log1p(panel.in_degree),
                         np.log1p(panel.out_degree), tenure])
    sd = X.std(axis=0)
    X = (X - X.mean(axis=0)) / np.where(sd > 0, sd, 1.0)
    return strata, X


def match_controls(strata, X, exposed, pool, *, k: int = 5, max_controls: int = 200_000,
                   seed: int = 0) -> np.ndarray:
    """``k`` matched controls (member positions) for each exposed member.

    Parameters
    ----------
    strata : array of int
        Exact-match stratum per member.
    X : numpy.ndarray
        Standardised features per member.
    exposed, pool : array of int
        Positions of the members to match and of the candidate controls.
    k : int
    max_controls : int
        Candidate controls kept (seeded sample) when the pool is larger.
    seed : int

    Returns
    -------
    numpy.ndarray, shape (len(exposed), k)
        Positions of the matched controls. A stratum without controls is matched across
        strata (the stratum offset then dominates the distance).

    Examples
    --------
    >>> X = np.array([[0.0], [1.0], [0.1], [0.9], [5.0]])
    >>> match_controls(np.zeros(5, int), X, np.array([0, 1]), np.array([2, 3, 4]), k=1)
    array([[2],
           [3]])
    """
    from sklearn.neighbors import NearestNeighbors

    rng = np.random.default_rng([seed, 0])
    pool = np.asarray(pool, dtype=np.int64)
    if len(pool) > max_controls:
        pool = np.sort(rng.choice(pool, max_controls, replace=False))
    if len(pool) == 0:
        raise ValueError("no unexposed member left to match against")
    k = min(k, len(pool))
    jitter = rng.normal(0.0, 1e-6, X.shape)
    offset = 1e3 * strata[:, None].astype(float)  # exact strata: a far-away extra axis
    Z = np.hstack([X + jitter, offset])
    nn = NearestNeighbors(n_neighbors=k).fit(Z[pool])
    _, idx = nn.kneighbors(Z[np.asarray(exposed, dtype=np.int64)])
    return pool[idx]


def bootstrap_sums(values, *, n_boot: int, rng) -> np.ndarray:
    """Bootstrap replicates of the column sums of ``values`` (rows resampled, or blocks).

    Parameters
    ----------
    values : array, shape (n,) or (n, p)
    n_boot : int
    rng : numpy.random.Generator

    Returns
    -------
    numpy.ndarray, shape (n_boot, p)
    """
    d = np.asarray(values, dtype=float)
    d = d[:, None] if d.ndim == 1 else d
    n = len(d)
    if n == 0:
        return np.zeros((n_boot, d.shape[1]))
    if n > MAX_MEMBER_BOOTSTRAP:
        block = rng.permutation(n) % N_BLOCKS
        d = np.vstack([np.bincount(block, weights=d[:, j], minlength=N_BLOCKS)
                       for j in range(d.shape[1])]).T
        n = N_BLOCKS
    sums = np.empty((n_boot, d.shape[1]))
    step = max(1, _CHUNK // n)
    for lo in range(0, n_boot, step):  # chunks of replicates, vectorised over members
        idx = rng.integers(0, n, size=(min(step, n_boot - lo), n))
        sums[lo:lo + len(idx)] = d[idx].sum(axis=1)
    return sums


def bootstrap_sum(d, *, n_boot: int, confidence: float, rng) -> tuple[float, float, float]:
    """Sum of ``d`` and its percentile bootstrap interval (members or random blocks)."""
    d = np.asarray(d, dtype=float)
    sums = bootstrap_sums(d, n_boot=n_boot, rng=rng)[:, 0]
    a = (1 - confidence) / 2
    lo, hi = np.quantile(sums, [a, 1 - a])
    return float(d.sum()), float(lo), float(hi)


def matched_did(delta, members, matches, strata, pool, *, n_boot: int, confidence: float,
                rng) -> np.ndarray:
    """Matched DiD sums of each outcome column and their bootstrap intervals.

    The estimate is ``sum_i (delta_i - mean of delta over i's matches)``, i.e.
    ``sum_i delta_i - sum_j (K_j / k) delta_j`` with ``K_j`` the times control ``j`` is
    used. Its two parts are resampled independently, the exposed members' terms
    ``delta_i - m_i`` and the used controls' terms ``(K_j / k) (delta_j - m_j)``, where
    ``m`` is the mean ``delta`` of the control pool in the member's stratum; so reusing a
    control widens the interval, as it should (Abadie & Imbens 2006).

    Parameters
    ----------
    delta : numpy.ndarray, shape (n_members, p)
        Outcome change per member, one column per outcome.
    members : array of int
        The exposed members.
    matches : numpy.ndarray, shape (len(members), k)
        Their matched controls.
    strata : array of int
    pool : array of int
        The control pool (for the stratum means).
    n_boot, confidence, rng
        Bootstrap settings.

    Returns
    -------
    numpy.ndarray, shape (3, p)
        Estimate, lower and upper bound per outcome.
    """
    k = matches.shape[1]
    cnt = np.bincount(strata[pool], minlength=strata.max() + 1).astype(float)
    m = np.vstack([np.bincount(strata[pool], weights=delta[pool, j], minlength=len(cnt))
                   for j in range(delta.shape[1])]).T
    glob = delta[pool].mean(axis=0)
    m = np.where(cnt[:, None] > 0, m / np.maximum(cnt, 1)[:, None], glob)
    est = (delta[members] - delta[matches].mean(axis=1)).sum(axis=0)
    r = delta[members] - m[strata[members]]
    used, uses = np.unique(matches.ravel(), return_counts=True)
    c = (uses / k)[:, None] * (delta[used] - m[strata[used]])
    reps = est + (bootstrap_sums(r, n_boot=n_boot, rng=rng) - r.sum(axis=0)) \
        - (bootstrap_sums(c, n_boot=n_boot, rng=rng) - c.sum(axis=0))
    a = (1 - confidence) / 2
    lo, hi = np.quantile(reps, [a, 1 - a], axis=0)
    return np.vstack([est, lo, hi])


TIERS = ("all", "adopters", "audience")
"""Exposed groups of a blogger: everyone exposed, those who reshared, those only reached."""


def blogger_groups(exposure: pd.DataFrame, n_bloggers: int) -> dict:
    """Member positions of each ``(blogger, tier)`` group (see :data:`TIERS`).

    Examples
    --------
    >>> exp = pd.DataFrame({"root": [0, 0, 1], "member": [3, 4, 3],
    ...                     "adopter": [True, False, False]})
    >>> {k: v.tolist() for k, v in blogger_groups(exp, 2).items()}[(0, "adopters")]
    [3]
    """
    root = exposure["root"].to_numpy()
    member = exposure["member"].to_numpy(dtype=np.int64)
    adopter = exposure["adopter"].to_numpy(dtype=bool)
    out = {}
    for b in range(n_bloggers):  # a handful of bloggers
        mine = root == b
        out[(b, "all")] = member[mine]
        out[(b, "adopters")] = member[mine & adopter]
        out[(b, "audience")] = member[mine & ~adopter]
    return out


def matched_groups(panel, exposure: pd.DataFrame, camp) -> tuple[pd.DataFrame, dict]:
    """History-matched DiD of conversions per ``(blogger, tier)``, and unexposed look-alikes.

    Parameters
    ----------
    panel : Panel
    exposure : pandas.DataFrame
        From :func:`clusterkit.campaign.exposure.exposure_table`.
    camp : ResolvedCampaign

    Returns
    -------
    table : pandas.DataFrame
        Index ``(blogger, tier)``: ``exposed``, ``matched_controls`` (distinct),
        ``estimate``, ``ci_low``, ``ci_high``, ``match_smd`` (largest absolute standardised
        mean difference of the matching features after matching).
    lookalikes : dict
        ``(blogger, tier)`` → positions of each exposed member's nearest unexposed
        look-alike (the placebo "exposed"), plus ``"pool"``: the unexposed members.
    """
    spec = camp.spec
    n = len(panel.pre_conv)
    groups = blogger_groups(exposure, len(camp.bloggers))
    exposed_any = np.zeros(n, dtype=bool)
    exposed_any[exposure["member"].to_numpy()] = True
    blog = np.zeros(n, dtype=bool)
    blog[np.asarray(camp.blogger_codes, dtype=np.int64)] = True
    pool = np.flatnonzero(~exposed_any & ~blog)
    treated = np.flatnonzero(exposed_any)
    cols = ["exposed", "matched_controls", "estimate", "ci_low", "ci_high", "match_smd"]
    index = pd.MultiIndex.from_tuples(list(groups), names=["blogger", "tier"])
    if len(treated) == 0 or len(pool) == 0:
        table = pd.DataFrame(np.nan, index=index, columns=cols)
        table["exposed"] = [len(g) for g in groups.values()]
        return table, {"pool": pool, **{k: g[:0] for k, g in groups.items()}}
    strata, X = matching_features(panel, camp.start)
    matches = match_controls(strata, X, treated, pool, k=spec.neighbours, seed=spec.seed)
    delta = (panel.post_conv - panel.scale * panel.pre_conv)[:, None]
    row_of = np.full(n, -1)
    row_of[treated] = np.arange(len(treated))
    rows, looks = [], {"pool": pool}
    for i, (key, mem) in enumerate(groups.items()):  # bloggers x tiers
        ctrl = matches[row_of[mem]]
        looks[key] = ctrl[:, 0] if len(mem) else mem
        if len(mem) == 0:
            rows.append([0, 0, 0.0, 0.0, 0.0, np.nan])
            continue
        res = matched_did(delta, mem, ctrl, strata, pool, n_boot=spec.bootstrap,
                          confidence=spec.confidence,
                          rng=np.random.default_rng([spec.seed, 1, i]))
        smd = np.abs(X[mem].mean(axis=0) - X[ctrl.ravel()].mean(axis=0))
        rows.append([len(mem), len(np.unique(ctrl)), *res[:, 0], float(smd.max())])
    table = pd.DataFrame(rows, columns=cols, index=index)
    table[["exposed", "matched_controls"]] = table[["exposed", "matched_controls"]].astype(
        np.int64)
    return table, looks


def did_by_blogger(panel, exposure: pd.DataFrame, camp) -> pd.DataFrame:
    """Matched difference-in-differences of conversions and engagement per blogger.

    Parameters
    ----------
    panel : Panel
    exposure : pandas.DataFrame
        From :func:`clusterkit.campaign.exposure.exposure_table`.
    camp : ResolvedCampaign

    Returns
    -------
    pandas.DataFrame
        Index: blogger position. ``exposed``, ``matched_controls`` (distinct),
        ``incremental_conversions``, ``ci_low``, ``ci_high``, ``incremental_engagement``,
        ``engagement_ci_low``, ``engagement_ci_high``, ``match_smd`` (largest absolute
        standardised mean difference of the matching features after matching).
    """
    spec = camp.spec
    n = len(panel.pre_conv)
    exposed_any = np.zeros(n, dtype=bool)
    exposed_any[exposure["member"].to_numpy()] = True
    blog = np.zeros(n, dtype=bool)
    blog[np.asarray(camp.blogger_codes, dtype=np.int64)] = True
    pool = np.flatnonzero(~exposed_any & ~blog)
    treated = np.flatnonzero(exposed_any)
    strata, X = matching_features(panel, camp.start)
    r = len(camp.bloggers)
    cols = ["exposed", "matched_controls", "incremental_conversions", "ci_low", "ci_high",
            "incremental_engagement", "engagement_ci_low", "engagement_ci_high", "match_smd"]
    if len(treated) == 0 or len(pool) == 0:
        return pd.DataFrame(np.nan, index=range(r), columns=cols).assign(exposed=0)
    matches = match_controls(strata, X, treated, pool, k=spec.neighbours, seed=spec.seed)
    delta = np.column_stack([panel.post_conv - panel.scale * panel.pre_conv,
                             panel.post_eng - panel.scale * panel.pre_eng])
    row_of = np.full(n, -1)
    row_of[treated] = np.arange(len(treated))
    root = exposure["root"].to_numpy()
    member = exposure["member"].to_numpy()
    rows = []
    for b in range(r):  # a handful of bloggers
        mem = member[root == b]
        if len(mem) == 0:
            rows.append([0, 0] + [0.0] * 6 + [np.nan])
            continue
        ctrl = matches[row_of[mem]]
        res = matched_did(delta, mem, ctrl, strata, pool, n_boot=spec.bootstrap,
                          confidence=spec.confidence, rng=np.random.default_rng([spec.seed, 1, b]))
        smd = np.abs(X[mem].mean(axis=0) - X[ctrl.ravel()].mean(axis=0))
        rows.append([len(mem), len(np.unique(ctrl)), *res[:, 0], *res[:, 1], float(smd.max())])
    out = pd.DataFrame(rows, columns=cols)
    out[["exposed", "matched_controls"]] = out[["exposed", "matched_controls"]].astype(np.int64)
    return out
