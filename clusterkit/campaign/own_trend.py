"""Incremental outcomes against the exposed members' own past, net of the community's shift.

Estimand. For a group ``g`` of exposed members (a blogger's exposed members, or a tier of
them: the adopters who reshared, the audience who only follow a cascade node), the effect
on the treated in counts: ``sum_{i in g} (Y_i(1) - Y_i(0))`` over the outcome period
``[origin, origin + length)``, where ``Y_i(0)`` is what member ``i`` would have done
without the campaign. The realised ``Y_i(1)`` is observed; ``Y_i(0)`` is predicted.

Counterfactual. Each member has a purchase (or engagement) rate that is stable over time
up to a shift shared by the whole community. The member's own baseline is estimated from
the full history before the origin (up to ``baseline_days``, at least the pre-period; cut
at the member's first appearance): ``k_i`` outcomes in ``T_i`` days. Sparse counts are
shrunk with a Gamma-Poisson (empirical Bayes) prior fitted by moments **on the group
itself**, ``rate_i = (k_i + a_g) / (T_i + b_g)``, so the group's total baseline equals its
own observed rate (shrinking towards the whole community would reintroduce regression to
the mean when the group was selected on its propensity). The community-wide shift is the
ratio ``R`` of the unexposed members' outcomes in the outcome period to their own
baselines, computed the same way. Then
``estimate_g = sum_g Y_i - R * length * sum_g rate_i``.

Assumptions. (1) Selection into exposure may depend on a member's stable propensity, even
one that is never observed (retweeters chosen because they buy a lot), but not on
transient deviations from it that also shape the history (members chosen for having just
bought). (2) Without the campaign, the exposed members' rates would have shifted in
proportion with the unexposed members' (a seasonal lift of +15 % for everyone is removed;
a trend peculiar to the exposed is not). (3) No interference beyond exposure: unexposed
members are untouched by the campaign. Matching on the history
(:mod:`clusterkit.campaign.incrementality`) makes the opposite trade: right under (1)'s
exception, biased under (1). :mod:`clusterkit.campaign.placebo` checks both on the data.

Intervals. A seeded percentile bootstrap resampling the group's members and, independently,
the unexposed members (so the uncertainty of ``R`` is carried), vectorised through
:func:`clusterkit.campaign.incrementality.bootstrap_sums`.

Examples
--------
>>> import scipy.sparse as sp
>>> rng = np.random.default_rng(0)
>>> lam = rng.gamma(0.6, 0.03, 4000)                   # latent daily rates
>>> daily = sp.csr_matrix(rng.poisson(lam[:, None] * np.ones(150)).astype(float))
>>> chosen = rng.choice(4000, 300, replace=False, p=lam / lam.sum())  # chosen on the rate
>>> rest = np.setdiff1d(np.arange(4000), chosen)
>>> out, shift = own_trend(daily, np.zeros(4000), {"chosen": chosen}, rest, origin=120,
...                        length=30, n_boot=400, confidence=0.95, rng=rng)
>>> bool(out.loc["chosen", "ci_low"] < 0 < out.loc["chosen", "ci_high"])
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.campaign.incrementality import bootstrap_sums
from clusterkit.data.sql import member_codes, sql
from clusterkit.weights import EngagementWeights

__all__ = ["DailyPanel", "daily_panel", "gamma_prior", "own_rates", "own_trend"]

US_PER_DAY = 86_400_000_000
BASELINE_DAYS = 365
"""Longest history (days before the origin) a member's own baseline is taken from."""


class DailyPanel:
    """Per-member daily outcomes (sparse) and first appearance, in days from ``day0``.

    Attributes
    ----------
    conversions, engagement : scipy.sparse.csr_matrix, shape (n_members, n_days)
        Conversions and engagement weight per member and day.
    first : numpy.ndarray
        First appearance (``created_at``, else first event) in days from ``day0``; ``-inf``
        when unknown (treated as present throughout).
    day0 : int
        The first day (µs since the epoch, midnight UTC).
    origin, length, start : float
        The window's start, the outcome period's length and the baseline's start, in days
        from ``day0``.
    """

    def __init__(self, conversions, engagement, first, day0, origin, length, start):
        self.conversions, self.engagement, self.first = conversions, engagement, first
        self.day0, self.origin, self.length, self.start = day0, origin, length, start

    def matrix(self, metric: str):
        """The daily matrix of ``"conversions"`` or ``"engagement"``."""
        return self.conversions if metric == "conversions" else self.engagement


def daily_panel(data, camp, weights: EngagementWeights | None = None,
                first_seen=None) -> DailyPanel:
    """Aggregate daily conversions and engagement per member (one DuckDB pass, sparse).

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign
    weights : EngagementWeights, optional
        Action weights of the engagement metric (DESIGN §2 defaults when omitted).
    first_seen : numpy.ndarray, optional
        Per-member first appearance in µs (:attr:`Panel.first_seen`); NaN when unknown.

    Returns
    -------
    DailyPanel
    """
    import scipy.sparse as sp

    day0 = camp.data_start - camp.data_start % US_PER_DAY
    lo = max(day0, camp.start - BASELINE_DAYS * US_PER_DAY)  # a long history, at least
    lo = min(lo - lo % US_PER_DAY, camp.pre_start - camp.pre_start % US_PER_DAY)  # the pre
    w = (weights or EngagementWeights()).sql_case()
    agg = sql(f"""SELECT member_id, (epoch_us(timestamp) - $d0) // $day AS d,
                    count(*) FILTER (WHERE action IN (SELECT unnest($conv))) AS c,
                    coalesce(sum({w}) FILTER (WHERE action NOT IN (SELECT unnest($conv))), 0)
                      AS e
                  FROM ev WHERE epoch_us(timestamp) >= $lo AND epoch_us(timestamp) < $hi
                  GROUP BY 1, 2""",
              {"d0": day0, "day": US_PER_DAY, "conv": list(camp.spec.conversions),
               "lo": lo, "hi": camp.out_end},
              ev=data.events[["member_id", "action", "timestamp"]])
    n_days = int(-(-(camp.out_end - day0) // US_PER_DAY))
    rows = member_codes(data, agg["member_id"])
    cols = agg["d"].to_numpy(dtype=np.int64)

    def mat(v):
        m = sp.csr_matrix((v, (rows, cols)), shape=(data.n_members, n_days))
        m.eliminate_zeros()
        return m

    first = np.full(data.n_members, -np.inf) if first_seen is None else \
        np.where(np.isnan(first_seen), -np.inf, (np.asarray(first_seen) - day0) / US_PER_DAY)
    return DailyPanel(mat(agg["c"].to_numpy(dtype=float)), mat(agg["e"].to_numpy(dtype=float)),
                      first, day0, origin=(camp.start - day0) / US_PER_DAY,
                      length=(camp.out_end - camp.start) / US_PER_DAY,
                      start=(lo - day0) / US_PER_DAY)


def _period(matrix, lo: float, hi: float) -> np.ndarray:
    """Per-member sums over whole days ``[lo, hi)``."""
    a, b = int(np.floor(lo)), int(np.floor(hi))
    return np.asarray(matrix[:, max(a, 0):max(b, 0)].sum(axis=1)).ravel()


def gamma_prior(k, T) -> tuple[float, float]:
    """Gamma prior ``(a, b)`` (shape, rate per day) of Poisson rates, by moments.

    Parameters
    ----------
    k : array of float
        Counts (or weights) per member.
    T : array of float
        Days each member was observed.

    Returns
    -------
    a, b : float
        Shape and rate; the prior mean ``a / b`` is the pooled rate ``sum k / sum T``.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> a, b = gamma_prior(rng.poisson(rng.gamma(0.5, 0.04, 20000) * 100), np.full(20000, 100.))
    >>> round(a, 1), round(a / b, 3)
    (0.5, 0.02)
    """
    k, T = np.asarray(k, dtype=float), np.asarray(T, dtype=float)
    ok = T > 0
    m = k[ok].sum() / T[ok].sum() if ok.any() and T[ok].sum() > 0 else 0.0
    if m <= 0:
        return 1.0, 1e12
    excess = ((k[ok] - m * T[ok]) ** 2 - k[ok]).sum()  # over-dispersion beyond Poisson
    inv_a = np.clip(excess / (m * m * (T[ok] ** 2).sum()), 1e-3, 1e3)
    a = 1.0 / inv_a
    return float(a), float(a / m)


def own_rates(matrix, first, members, origin: float, start: float) -> np.ndarray:
    """Shrunken daily rates of ``members`` from their history ``[start, origin)``.

    The prior is fitted on ``members`` themselves (see the module docstring).
    """
    k = _period(matrix[members], start, origin)
    T = np.clip(origin - np.maximum(first[members], start), 0.0, None)
    a, b = gamma_prior(k, T)
    return (k + a) / (T + b)


def _columns(matrix, first, members, origins, length, start) -> np.ndarray:
    """``(outcome, baseline)`` column pairs of ``members``, one pair per origin."""
    cols = []
    for o in origins:  # one to a few origins
        cols += [_period(matrix[members], o, o + length),
                 own_rates(matrix, first, members, o, start) * length]
    return np.column_stack(cols)


def _sums(cols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Outcome and baseline sums per origin, from column sums (..., 2 * origins)."""
    return cols[..., 0::2], cols[..., 1::2]


def own_trend(matrix, first, groups: dict, controls, *, origin, length: float,
              start: float = 0.0, n_boot: int = 1000, confidence: float = 0.95,
              rng=None, replicates: dict | None = None) -> tuple[pd.DataFrame, dict]:
    """Own-baseline estimates of every group, net of the controls' shift, with intervals.

    Parameters
    ----------
    matrix : scipy.sparse matrix, shape (n_members, n_days)
        Daily outcomes per member.
    first : numpy.ndarray
        First appearance per member (days, same origin as the matrix's columns).
    groups : dict of name to array of int
        Member positions of each exposed group (groups may overlap; a member listed twice
        counts twice).
    controls : array of int
        Unexposed members (the community shift).
    origin : float or sequence of float
        Start of the outcome period ``[origin, origin + length)`` in days. Several origins
        (placebo dates) give the mean of their estimates, resampled jointly.
    length : float
        Days of the outcome period.
    start : float
        First day of the baselines.
    n_boot, confidence : int, float
        Bootstrap settings.
    rng : numpy.random.Generator, optional
    replicates : dict, optional
        When given, filled with group name → the estimate's bootstrap replicates (all
        groups share the replicates of the controls' shift, so they can be compared
        replicate by replicate).

    Returns
    -------
    estimates : pandas.DataFrame
        Index: group name. ``members``, ``actual``, ``expected`` (``R`` times the baseline),
        ``estimate``, ``ci_low``, ``ci_high`` (means over origins).
    shift : dict
        ``ratio`` (``R``), ``ci_low``, ``ci_high`` (bootstrap), ``actual`` and ``baseline``
        of the controls (means over origins).
    """
    rng = np.random.default_rng(0) if rng is None else rng
    origins = np.atleast_1d(np.asarray(origin, dtype=float))
    a = (1 - confidence) / 2
    controls = np.asarray(controls, dtype=np.int64)
    cc = _columns(matrix, first, controls, origins, length, start)
    c_post, c_base = _sums(cc.sum(axis=0))
    R = c_post / np.maximum(c_base, 1e-12)
    b_post, b_base = _sums(bootstrap_sums(cc, n_boot=n_boot, rng=rng))
    R_boot = b_post / np.maximum(b_base, 1e-12)
    shift = {"ratio": float(R.mean()), "ci_low": float(np.quantile(R_boot.mean(1), a)),
             "ci_high": float(np.quantile(R_boot.mean(1), 1 - a)),
             "actual": float(c_post.mean()), "baseline": float(c_base.mean())}
    rows = []
    for name, members in groups.items():  # a handful of groups
        members = np.asarray(members, dtype=np.int64)
        if len(members) == 0:
            rows.append([name, 0, 0.0, 0.0, 0.0, 0.0, 0.0])
            if replicates is not None:
                replicates[name] = np.zeros(n_boot)
            continue
        gc = _columns(matrix, first, members, origins, length, start)
        g_post, g_base = _sums(gc.sum(axis=0))
        est = float((g_post - R * g_base).mean())
        r_post, r_base = _sums(bootstrap_sums(gc, n_boot=n_boot, rng=rng))
        reps = (r_post - R_boot * r_base).mean(axis=1)
        if replicates is not None:
            replicates[name] = reps
        lo, hi = np.quantile(reps, [a, 1 - a])
        rows.append([name, len(members), float(g_post.mean()), float((R * g_base).mean()),
                     est, float(lo), float(hi)])
    out = pd.DataFrame(rows, columns=["group", "members", "actual", "expected", "estimate",
                                      "ci_low", "ci_high"]).set_index("group")
    return out, shift
