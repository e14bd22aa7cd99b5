"""Metrics against hand-computed values and scikit-learn."""

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.metrics import adjusted_mutual_info_score, adjusted_rand_score

from clusterkit.metrics import (
    ami,
    bootstrap_jaccard,
    community_quality,
    concentration,
    engagement_share,
    gini,
    hhi,
    pairwise_ari,
    size_distribution,
)


def test_ami_matches_sklearn():
    rng = np.random.default_rng(0)
    a, b = rng.integers(0, 4, 200), rng.integers(0, 5, 200)
    assert ami(a, b) == pytest.approx(adjusted_mutual_info_score(a, b))
    assert ami(a, (a + 1) % 4) == pytest.approx(1.0)


def test_gini_and_hhi_by_hand():
    assert gini([5, 5, 5]) == 0.0
    # sorted [1, 2, 3, 4]: sum (2i - n - 1) x_i = -3 - 2 + 3 + 12 = 10; / (4 * 10) = 0.25
    assert gini([4, 1, 3, 2]) == pytest.approx(0.25)
    # mean absolute difference definition: sum |xi - xj| / (2 n^2 mean)
    x = np.array([0.5, 7, 2, 2, 9])
    mad = np.abs(x[:, None] - x[None, :]).sum() / (2 * len(x) ** 2 * x.mean())
    assert gini(x) == pytest.approx(mad)
    assert gini([]) == 0.0 and gini([0, 0]) == 0.0
    assert hhi([1, 1]) == pytest.approx(0.5)
    assert hhi([2, 1, 1]) == pytest.approx(0.25 + 0.0625 + 0.0625)
    c = concentration([2, 1, 1])
    assert c["top_share"] == 0.5 and c["effective_number"] == pytest.approx(1 / 0.375)


def test_size_distribution():
    d = size_distribution([3, 3, 3, 3, 1, 1, 7, -1, -2, -2])
    assert d["n"] == 3 and d["largest"] == 4 and d["smallest"] == 1
    assert d["median"] == 2.0 and d["mean"] == pytest.approx(7 / 3)
    assert d["largest_share"] == pytest.approx(4 / 7) and d["n_singletons"] == 1
    assert d["n_unlabelled"] == 3 and d["gini"] == pytest.approx(gini([4, 2, 1]))
    assert size_distribution([-1, -1])["n"] == 0


def test_community_quality_has_size_distribution():
    A = sp.csr_array(np.array([[0, 1, 0], [1, 0, 0], [0, 0, 0]], dtype=float))
    q = community_quality(A, np.array([0, 0, -2]))
    assert q["size_distribution"]["n"] == 1 and q["n_isolates"] == 1


def test_engagement_share_by_hand():
    seg = pd.DataFrame(
        {
            "segment": ["a", "a", "b", "b", "b", "c"],
            "engagement_weight": [1.0, 1.0, 5.0, 0.0, 1.0, 2.0],
        }
    )
    es = engagement_share(seg)
    assert es.index.tolist() == ["b", "a", "c"]  # tie a / c (2.0) broken by name
    assert es["size"].tolist() == [3, 2, 1]
    assert es["engagement_share"].tolist() == pytest.approx([0.6, 0.2, 0.2])
    assert es["lift"].tolist() == pytest.approx([1.2, 0.6, 1.2])
    c = concentration(es["engagement_total"])
    assert c["hhi"] == pytest.approx(0.36 + 0.04 + 0.04)
    assert c["gini"] == pytest.approx(gini([6, 2, 2]))
    with pytest.raises(ValueError, match="needs the columns"):
        engagement_share(seg, weight="nope")


def test_pairwise_ari_matches_sklearn():
    rng = np.random.default_rng(1)
    labs = [rng.integers(0, 3, 50) for _ in range(4)]
    mean, mat = pairwise_ari(labs, return_matrix=True)
    expected = [adjusted_rand_score(labs[i], labs[j]) for i in range(4) for j in range(i + 1, 4)]
    assert mean == pytest.approx(np.mean(expected))
    assert mat[0, 1] == pytest.approx(expected[0]) and np.allclose(mat, mat.T)
    assert np.allclose(np.diag(mat), 1)
    assert pairwise_ari([[0, 1, 1], [5, 7, 7]]) == 1.0
    assert np.isnan(pairwise_ari([[0, 1]]))
    with pytest.raises(ValueError, match="same length"):
        pairwise_ari([[0, 1], [0, 1, 1]])


def _jaccard_loop(orig, new):
    """Reference: per original group, the best Jaccard by sets (a loop; tests only)."""
    out = []
    for c in sorted(set(orig[orig >= 0])):
        A = set(np.flatnonzero(orig == c))
        best = 0.0
        for d in set(new[new >= 0]):
            B = set(np.flatnonzero(new == d))
            best = max(best, len(A & B) / len(A | B))
        out.append(best)
    return np.array(out)


def test_bootstrap_jaccard_matches_set_reference():
    """Hennig's definition computed with sets, on a labelling that changes per resample."""
    n = 60
    orig = np.repeat([0, 1, 2], 20)
    orig[:3] = -1  # noise is in no group
    draws = []

    def relabel(idx):  # a deterministic but imperfect re-labelling
        lab = orig[idx].copy()
        lab[(idx % 7) == 0] = 1
        lab[(idx % 11) == 0] = -1
        return lab

    def labels_fn(idx):
        draws.append(idx)
        return relabel(idx)

    table = bootstrap_jaccard(labels_fn, n, labels=orig, n_boot=6, random_state=3)
    assert table.index.tolist() == [0, 1, 2]
    assert table["size"].tolist() == [17, 20, 20]
    expected = []
    for idx in draws:
        uniq, first = np.unique(idx, return_index=True)
        new = relabel(idx)[first]
        expected.append(_jaccard_loop(orig[uniq], new))
    assert table["jaccard_mean"].to_numpy() == pytest.approx(np.mean(expected, axis=0))
    assert table["n_present"].tolist() == [6, 6, 6]


def test_bootstrap_jaccard_stable_and_unstable():
    X = np.r_[np.zeros((30, 2)), np.full((30, 2), 10.0)]
    stable = bootstrap_jaccard(
        lambda rows: (rows[:, 0] > 5).astype(int), X, n_boot=5, random_state=0
    )
    assert np.allclose(stable["jaccard_mean"], 1.0) and (stable["dissolved"] == 0).all()
    # every resample puts everyone in one group: Jaccard = |C| / |all drawn| ~ 0.5
    merged = bootstrap_jaccard(
        lambda rows: np.zeros(len(rows), int),
        X,
        labels=np.repeat([0, 1], 30),
        n_boot=5,
        random_state=0,
    )
    assert (merged["jaccard_mean"] < 0.7).all()
    # same seed, same result; method subsample on a graph
    A = sp.random(40, 40, density=0.2, random_state=0, format="csr")
    A = ((A + A.T) > 0).astype(float)

    def comps(sub):
        return sp.csgraph.connected_components(sub, directed=False)[1]

    t1 = bootstrap_jaccard(comps, A, n_boot=3, method="subsample", random_state=1)
    t2 = bootstrap_jaccard(comps, A, n_boot=3, method="subsample", random_state=1)
    pd.testing.assert_frame_equal(t1, t2)


def test_bootstrap_jaccard_errors():
    with pytest.raises(ValueError, match="'method' parameter"):
        bootstrap_jaccard(lambda i: i, 5, method="jackknife")
    with pytest.raises(ValueError, match="'n_boot' parameter"):
        bootstrap_jaccard(lambda i: i, 5, n_boot=0)
    with pytest.raises(ValueError, match="returned 1 labels"):
        bootstrap_jaccard(lambda i: [0], 5, labels=np.zeros(5, int), n_boot=1)
