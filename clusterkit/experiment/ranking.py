"""Rank methods across blocks: mean ranks, Friedman test, Nemenyi and Wilcoxon-Holm post-hoc.

A *method* is one configuration (a grid point of a sweep); a *block* is one paired
measurement of every method: a seed, a dataset, or a dataset × seed. Within each block the
methods are ranked on a metric (1 = best, ties get the average rank); the mean rank over
blocks summarises each method. The Friedman test asks whether the mean ranks differ more
than chance allows; when it says they do, the post-hoc tests say which pairs differ:

* Nemenyi: two methods differ when their mean ranks differ by at least the critical
  difference ``CD = q_alpha * sqrt(k (k + 1) / (6 N))`` (``k`` methods, ``N`` blocks), with
  ``q_alpha`` the studentized range quantile over ``sqrt(2)``
  (``scipy.stats.studentized_range.ppf(1 - alpha, k, inf) / sqrt(2)``; 2.343 for ``k = 3``
  at ``alpha = 0.05``, as in Demšar's Table 5). Its p-value is the studentized range tail
  of ``|R_i - R_j| / sqrt(k (k + 1) / (6 N)) * sqrt(2)``.
* Wilcoxon signed-rank on the paired metric values of each pair, with Holm's step-down
  correction over all pairs of one metric.

Blocks where a method has no value are dropped for that metric (the test needs complete
blocks); the number of blocks used is reported.

References
----------
Demšar, J. (2006). Statistical comparisons of classifiers over multiple data sets. Journal
of Machine Learning Research 7, 1-30.

Holm, S. (1979). A simple sequentially rejective multiple test procedure. Scandinavian
Journal of Statistics 6(2), 65-70.

Examples
--------
>>> import pandas as pd
>>> table = pd.DataFrame({
...     "method": ["a", "b", "c"] * 4,
...     "seed": [s for s in range(4) for _ in range(3)],
...     "score": [0.9, 0.5, 0.1, 0.8, 0.6, 0.2, 0.95, 0.4, 0.3, 0.85, 0.55, 0.15],
... })
>>> r = rank_methods(table, "score:higher", method_cols="method", block_cols="seed")
>>> r.mean_ranks["score"].tolist()
[1.0, 2.0, 3.0]
>>> round(float(r.friedman.loc["score", "p_value"]), 4)
0.0183
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = [
    "METRIC_DIRECTIONS",
    "Ranking",
    "critical_difference",
    "holm",
    "parse_metrics",
    "rank_methods",
]

METRIC_DIRECTIONS: dict[str, str] = {
    "modularity": "higher",
    "coverage": "higher",
    "mean_conductance": "lower",
    "silhouette": "higher",
    "davies_bouldin": "lower",
    "calinski_harabasz": "higher",
    "nmi": "higher",
    "ami": "higher",
    "ari": "higher",
    "role_macro_f1": "higher",
    "community_jaccard": "higher",
    "wall_s": "lower",
    "peak_mib": "lower",
    "noise_share": "lower",
}
"""Known metrics and which direction is better; others must say ``name:higher|lower``."""


def parse_metrics(metrics) -> dict[str, str]:
    """``["nmi", "wall_s:lower"]`` or ``{"nmi": "higher"}`` → ``{metric: direction}``.

    Raises
    ------
    ValueError
        A direction other than ``higher`` / ``lower``, or an unknown metric without one.
    """
    if isinstance(metrics, str):
        metrics = [metrics]
    items = (
        metrics.items() if isinstance(metrics, dict) else (m.partition(":")[::2] for m in metrics)
    )
    out: dict[str, str] = {}
    for name, direction in items:
        name, direction = str(name).strip(), str(direction or "").strip().lower()
        if not direction:
            if name not in METRIC_DIRECTIONS:
                raise ValueError(
                    f"metric {name!r} has no known direction; write {name}:higher or "
                    f"{name}:lower. Known: {', '.join(sorted(METRIC_DIRECTIONS))}."
                )
            direction = METRIC_DIRECTIONS[name]
        if direction not in ("higher", "lower"):
            raise ValueError(
                f"metric {name!r}: direction must be 'higher' or 'lower'; got {direction!r}."
            )
        out[name] = direction
    return out


def critical_difference(k: int, n_blocks: int, alpha: float = 0.05) -> float:
    """Nemenyi critical difference of mean ranks for ``k`` methods over ``n_blocks`` blocks.

    Examples
    --------
    >>> round(critical_difference(3, 10), 3)   # Demšar (2006): 2.343 * sqrt(3*4/60)
    1.048
    """
    from scipy.stats import studentized_range

    if k < 2 or n_blocks < 1:
        return float("nan")
    q = studentized_range.ppf(1 - alpha, k, np.inf) / np.sqrt(2)
    return float(q * np.sqrt(k * (k + 1) / (6.0 * n_blocks)))


def holm(p_values) -> np.ndarray:
    """Holm step-down adjusted p-values (monotone, capped at 1; NaN stays NaN).

    Examples
    --------
    >>> holm([0.01, 0.04, 0.03]).round(4).tolist()
    [0.03, 0.06, 0.06]
    """
    p = np.asarray(p_values, dtype=np.float64)
    out = np.full(p.shape, np.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m == 0:
        return out
    order = ok[np.argsort(p[ok], kind="stable")]
    adj = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out[order] = np.minimum(adj, 1.0)
    return out


@dataclass(frozen=True)
class Ranking:
    """Result of :func:`rank_methods`.

    Attributes
    ----------
    metrics : dict
        ``{metric: "higher" | "lower"}`` as used.
    mean_ranks : pandas.DataFrame
        Index the methods, sorted by ``overall``; one column of mean ranks per metric,
        ``overall`` (mean of the per-metric mean ranks) and ``n_blocks`` per metric as
        ``<metric>_n``.
    ranks : pandas.DataFrame
        Long table ``metric, block, method, value, rank``.
    friedman : pandas.DataFrame
        Index the metrics: ``statistic``, ``p_value``, ``n_methods``, ``n_blocks``, ``cd``
        (Nemenyi critical difference at ``alpha``), ``reason`` (why a test is NaN, else "").
    posthoc : pandas.DataFrame
        One row per metric and pair: ``method_a, method_b, rank_a, rank_b, rank_diff,
        nemenyi_p, nemenyi_significant, wilcoxon_stat, wilcoxon_p, wilcoxon_p_holm,
        wilcoxon_significant, reason``.
    alpha : float
    """

    metrics: dict
    mean_ranks: pd.DataFrame
    ranks: pd.DataFrame
    friedman: pd.DataFrame
    posthoc: pd.DataFrame
    alpha: float

    def table(self) -> pd.DataFrame:
        """Mean ranks with the Friedman p-value of each metric as a last row."""
        cols = list(self.metrics) + ["overall"]
        out = self.mean_ranks[cols].copy()
        out.loc["Friedman p"] = [self.friedman.loc[m, "p_value"] for m in self.metrics] + [np.nan]
        return out


def _label(df: pd.DataFrame, cols: list[str]) -> pd.Series:
    if len(cols) == 1:
        return df[cols[0]].astype(str)
    return df[cols].astype(str).agg(", ".join, axis=1)


def rank_methods(
    table: pd.DataFrame, metrics, *, method_cols="method", block_cols="seed", alpha: float = 0.05
) -> Ranking:
    """Rank methods within blocks on one or more metrics and test the differences.

    Parameters
    ----------
    table : pandas.DataFrame
        Tidy: one row per (method, block) with metric columns. Duplicate (method, block)
        rows are averaged.
    metrics : str, list or dict
        Metric names with an optional direction, see :func:`parse_metrics`
        (``["nmi", "wall_s:lower"]``).
    method_cols : str or list of str
        Columns naming a method (joined with ", " when several).
    block_cols : str or list of str
        Columns naming a block (e.g. ``["dataset", "seed"]``).
    alpha : float, default 0.05
        Level of the Nemenyi critical difference and the "significant" flags.

    Returns
    -------
    Ranking

    Notes
    -----
    Friedman needs at least 3 methods and 2 complete blocks (else NaN with a reason); the
    Wilcoxon test needs paired differences that are not all zero. With few blocks the exact
    Wilcoxon p-value cannot go below ``2 / 2**N`` (0.0625 for 5 seeds): use more seeds or
    datasets for a significant pairwise result.

    References
    ----------
    Demšar, J. (2006). Statistical comparisons of classifiers over multiple data sets.
    Journal of Machine Learning Research 7, 1-30.
    """
    from scipy.stats import friedmanchisquare, rankdata, studentized_range, wilcoxon

    directions = parse_metrics(metrics)
    method_cols = [method_cols] if isinstance(method_cols, str) else list(method_cols)
    block_cols = [block_cols] if isinstance(block_cols, str) else list(block_cols)
    missing = [c for c in method_cols + block_cols + list(directions) if c not in table]
    if missing:
        raise ValueError(
            f"rank_methods: columns {missing} not in the table; it has {list(table.columns)}."
        )
    df = pd.DataFrame({"method": _label(table, method_cols), "block": _label(table, block_cols)})
    order = list(dict.fromkeys(df["method"]))  # methods in order of first appearance
    long_parts, fried_rows, post_rows, mean_cols = [], [], [], {}
    for metric, direction in directions.items():
        values = pd.to_numeric(table[metric], errors="coerce").astype(np.float64)
        wide = (
            df.assign(value=values.to_numpy())
            .pivot_table(index="block", columns="method", values="value", aggfunc="mean", sort=True)
            .reindex(columns=order)
        )
        wide = wide.dropna(axis=0, how="any")
        k, n = wide.shape[1], wide.shape[0]
        signed = wide.to_numpy() if direction == "lower" else -wide.to_numpy()
        ranks = rankdata(signed, axis=1) if n else np.zeros((0, k))
        rank_df = pd.DataFrame(ranks, index=wide.index, columns=wide.columns)
        mean_rank = rank_df.mean(axis=0) if n else pd.Series(np.nan, index=wide.columns)
        mean_cols[metric] = mean_rank.reindex(order)
        mean_cols[f"{metric}_n"] = pd.Series(n, index=order)
        long = rank_df.stack().rename("rank").reset_index()
        long["value"] = wide.stack().to_numpy()
        long.insert(0, "metric", metric)
        long_parts.append(long)

        stat = p = np.nan
        reason = ""
        if k < 3:
            reason = f"Friedman needs >= 3 methods; got {k}"
        elif n < 2:
            reason = f"Friedman needs >= 2 complete blocks; got {n}"
        elif np.all(np.ptp(ranks, axis=1) == 0):
            reason = "all methods tie in every block"
        else:
            res = friedmanchisquare(*[wide[c].to_numpy() for c in wide.columns])
            stat, p = float(res.statistic), float(res.pvalue)
            if not np.isfinite(p):
                reason = "all methods tie in every block"
        cd = critical_difference(k, n, alpha) if k >= 2 and n >= 1 else np.nan
        fried_rows.append(
            {
                "metric": metric,
                "direction": direction,
                "statistic": stat,
                "p_value": p,
                "n_methods": k,
                "n_blocks": n,
                "cd": cd,
                "reason": reason,
            }
        )

        pairs = list(itertools.combinations(wide.columns, 2))
        se = np.sqrt(k * (k + 1) / (6.0 * n)) if n else np.nan
        rows = []
        for a, b in pairs:  # a loop over pairs of methods (few)
            diff = abs(mean_rank[a] - mean_rank[b])
            nem_p = (
                float(studentized_range.sf(diff / se * np.sqrt(2), k, np.inf))
                if n and k >= 2
                else np.nan
            )
            w_stat = w_p = np.nan
            why = ""
            d = wide[a].to_numpy() - wide[b].to_numpy()
            if n < 2:
                why = f"Wilcoxon needs >= 2 paired blocks; got {n}"
            elif np.all(d == 0):
                why = "identical values in every block"
                w_p = 1.0
            else:
                res = wilcoxon(wide[a].to_numpy(), wide[b].to_numpy(), zero_method="wilcox")
                w_stat, w_p = float(res.statistic), float(res.pvalue)
            rows.append(
                {
                    "metric": metric,
                    "method_a": a,
                    "method_b": b,
                    "rank_a": float(mean_rank[a]),
                    "rank_b": float(mean_rank[b]),
                    "rank_diff": float(mean_rank[a] - mean_rank[b]),
                    "nemenyi_p": nem_p,
                    "nemenyi_significant": bool(np.isfinite(cd) and diff >= cd),
                    "wilcoxon_stat": w_stat,
                    "wilcoxon_p": w_p,
                    "reason": why,
                }
            )
        adj = holm([r["wilcoxon_p"] for r in rows])
        for r, q in zip(rows, adj, strict=True):
            r["wilcoxon_p_holm"] = float(q)
            r["wilcoxon_significant"] = bool(np.isfinite(q) and q < alpha)
        post_rows += rows

    mean_ranks = pd.DataFrame(mean_cols, index=pd.Index(order, name="method"))
    mean_ranks["overall"] = mean_ranks[list(directions)].mean(axis=1)
    mean_ranks = mean_ranks.sort_values("overall", kind="stable")
    post_cols = [
        "metric",
        "method_a",
        "method_b",
        "rank_a",
        "rank_b",
        "rank_diff",
        "nemenyi_p",
        "nemenyi_significant",
        "wilcoxon_stat",
        "wilcoxon_p",
        "wilcoxon_p_holm",
        "wilcoxon_significant",
        "reason",
    ]
    return Ranking(
        metrics=directions,
        mean_ranks=mean_ranks,
        ranks=pd.concat(long_parts, ignore_index=True) if long_parts else pd.DataFrame(),
        friedman=pd.DataFrame(fried_rows).set_index("metric"),
        posthoc=pd.DataFrame(post_rows, columns=post_cols),
        alpha=alpha,
    )
