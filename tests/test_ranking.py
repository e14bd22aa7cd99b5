"""Ranking: mean ranks, Friedman, Nemenyi and Wilcoxon-Holm on constructed tables."""

import numpy as np
import pandas as pd
import pytest
from scipy.stats import friedmanchisquare, wilcoxon

from clusterkit.experiment.ranking import critical_difference, holm, parse_metrics, rank_methods


def _table(n_blocks=10, seed=0):
    """Method 'best' always wins, 'mid' always second, 'worst' always last; plus noise."""
    rng = np.random.default_rng(seed)
    rows = []
    for b in range(n_blocks):
        base = rng.normal(0, 0.1)
        for method, shift in (("mid", 0.5), ("best", 1.0), ("worst", 0.0)):
            rows.append(
                {
                    "method": method,
                    "dataset": f"d{b % 2}",
                    "seed": b,
                    "score": base + shift + rng.uniform(0, 0.01),
                    "time": 10 + shift + rng.uniform(0, 0.01),
                }
            )
    return pd.DataFrame(rows)


def test_one_method_always_best():
    t = _table()
    r = rank_methods(
        t, ["score:higher", "time:lower"], method_cols="method", block_cols=["dataset", "seed"]
    )
    by_score = r.mean_ranks.sort_values("score").index.tolist()
    assert by_score == ["best", "mid", "worst"]
    assert r.mean_ranks.loc["best", "score"] == 1.0
    assert r.mean_ranks.loc["worst", "score"] == 3.0
    assert r.mean_ranks.loc["best", "time"] == 3.0  # lower is better; best is slowest
    assert r.mean_ranks.loc["best", "overall"] == 2.0
    f = r.friedman.loc["score"]
    # Friedman by hand: chi2 = 12N/(k(k+1)) * sum(R^2) - 3N(k+1) with R = 1, 2, 3
    n, k = 10, 3
    chi2 = 12 * n / (k * (k + 1)) * (1 + 4 + 9) - 3 * n * (k + 1)
    assert f["statistic"] == pytest.approx(chi2) == pytest.approx(20.0)
    ref = friedmanchisquare(*[t[t.method == m]["score"] for m in ("mid", "best", "worst")])
    assert f["p_value"] == pytest.approx(ref.pvalue)
    assert f["n_methods"] == 3 and f["n_blocks"] == 10 and f["reason"] == ""
    assert f["cd"] == pytest.approx(2.343 * np.sqrt(3 * 4 / 60), abs=1e-3)


def test_posthoc_pvalues():
    t = _table()
    r = rank_methods(t, "score:higher", method_cols="method", block_cols="seed")
    post = r.posthoc.set_index(["method_a", "method_b"])
    bw = (
        post.loc[("best", "worst")]
        if ("best", "worst") in post.index
        else post.loc[("worst", "best")]
    )
    # rank difference 2 >= CD 1.048: Nemenyi significant
    assert bw["nemenyi_significant"] and bw["nemenyi_p"] < 0.01
    ref = wilcoxon(
        t[t.method == "mid"]["score"].to_numpy(), t[t.method == "best"]["score"].to_numpy()
    )
    assert post.loc[("mid", "best"), "wilcoxon_p"] == pytest.approx(ref.pvalue)
    assert post.loc[("mid", "best"), "wilcoxon_p_holm"] == pytest.approx(
        min(1, 3 * ref.pvalue)
    )  # all three p are equal (exact test, all signs equal)
    assert post["wilcoxon_significant"].all()
    assert list(post.columns)[:4] == ["metric", "rank_a", "rank_b", "rank_diff"]


def test_holm_by_hand():
    p = [0.01, 0.04, 0.03, 0.005]
    # sorted 0.005*4=0.02, 0.01*3=0.03, 0.03*2=0.06, 0.04*1=0.04 -> monotone 0.06
    assert holm(p).tolist() == pytest.approx([0.03, 0.06, 0.06, 0.02])
    assert np.isnan(holm([np.nan, 0.2])[0]) and holm([np.nan, 0.2])[1] == pytest.approx(0.2)


def test_critical_difference_table_values():
    # Demšar (2006), Table 5(a): q_0.05 for k = 2..5: 1.960, 2.343, 2.569, 2.728
    for k, q in ((2, 1.960), (3, 2.343), (4, 2.569), (5, 2.728)):
        assert critical_difference(k, 6) == pytest.approx(q * np.sqrt(k * (k + 1) / 36), abs=2e-3)


def test_too_few_methods_or_blocks_gives_nan_with_reason():
    t = _table(n_blocks=4)
    two = rank_methods(
        t[t.method != "mid"], "score:higher", method_cols="method", block_cols="seed"
    )
    assert np.isnan(two.friedman.loc["score", "p_value"])
    assert ">= 3 methods" in two.friedman.loc["score", "reason"]
    one = rank_methods(t[t.seed == 0], "score:higher", method_cols="method", block_cols="seed")
    assert ">= 2 complete blocks" in one.friedman.loc["score", "reason"]
    assert "Wilcoxon needs" in one.posthoc["reason"].iloc[0]


def test_ties_and_incomplete_blocks():
    t = pd.DataFrame({"m": list("abc") * 3, "s": np.repeat([0, 1, 2], 3), "v": [1.0, 1.0, 1.0] * 3})
    r = rank_methods(t, "v:higher", method_cols="m", block_cols="s")
    assert r.mean_ranks["v"].tolist() == [2.0, 2.0, 2.0]
    assert r.friedman.loc["v", "reason"] == "all methods tie in every block"
    assert (r.posthoc["wilcoxon_p"] == 1.0).all()
    t.loc[0, "v"] = np.nan  # block 0 incomplete: dropped
    assert (
        rank_methods(t, "v:higher", method_cols="m", block_cols="s").friedman.loc["v", "n_blocks"]
        == 2
    )


def test_metric_parsing_errors():
    assert parse_metrics(["nmi", "x:lower"]) == {"nmi": "higher", "x": "lower"}
    with pytest.raises(ValueError, match="no known direction"):
        parse_metrics(["mystery"])
    with pytest.raises(ValueError, match="'higher' or 'lower'"):
        parse_metrics({"nmi": "up"})
    with pytest.raises(ValueError, match="not in the table"):
        rank_methods(_table(), "nmi", method_cols="method")
