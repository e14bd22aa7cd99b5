"""Attribution whose cost does not grow with the data: exact noisy-OR Shapley values and the
m-out-of-n bootstrap, each checked against the slow way."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.attribution import attribute
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.bootstrap import percentile_interval, subsample_scale
from clusterkit.attribution.noisy_or import exp_shapley
from clusterkit.attribution.shapley import shapley_matrix
from clusterkit.errors import ConfigError
from clusterkit.synthetic.journeys import generate_journeys


def _brute(h, base, pairs):
    m = len(h)
    patterns, w = shapley_matrix(m, max_exact=16)
    H = base + patterns @ h
    for a, b, r in pairs:
        H = H + r * (patterns[:, a] & patterns[:, b])
    return (1.0 - np.exp(-H)) @ w


@pytest.mark.parametrize("seed", range(6))
def test_exp_shapley_matches_every_coalition(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(1, 9, 40)
    indptr = np.r_[0, np.cumsum(sizes)]
    players = np.concatenate([rng.choice(12, s, replace=False) for s in sizes])
    hazard = rng.exponential(0.4, len(players))
    base = rng.exponential(0.2, len(sizes))
    pairs = []
    for r, s in enumerate(sizes):  # 0-3 pairs per row, some players in two pairs
        for _ in range(int(rng.integers(0, 4)) if s > 1 else 0):
            a, b = rng.choice(s, 2, replace=False)
            pairs.append((r, a, b, float(rng.exponential(0.3))))
    pr = tuple(np.array(x) for x in zip(*pairs, strict=True)) if pairs else None
    w = rng.random(len(sizes))
    totals, phi, left = exp_shapley(indptr, players, hazard, base, n_players=12, pairs=pr,
                                    weights=w)
    assert len(left) == 0
    expect = np.zeros(12)
    for r, s in enumerate(sizes):
        lo = indptr[r]
        own = [(a, b, v) for rr, a, b, v in pairs if rr == r]
        ref = _brute(hazard[lo:lo + s], base[r], own)
        np.testing.assert_allclose(phi[lo:lo + s], ref, rtol=1e-9, atol=1e-12)
        np.add.at(expect, players[lo:lo + s], w[r] * ref)
    np.testing.assert_allclose(totals, expect, rtol=1e-9, atol=1e-12)


def test_exp_shapley_is_exact_for_many_free_players_and_leaves_many_paired_ones():
    h = np.linspace(0.01, 0.6, 40)  # 40 players: 2**40 coalitions the long way
    totals, phi, left = exp_shapley(np.array([0, 40]), np.arange(40), h, np.array([0.1]),
                                    n_players=40)
    assert phi.sum() == pytest.approx(np.exp(-0.1) - np.exp(-0.1 - h.sum()), rel=1e-10)
    assert np.all(np.diff(phi) > 0)  # a larger hazard earns more
    pairs = (np.zeros(7, int), np.arange(7), np.arange(7) + 7, np.full(7, 0.1))
    _, _, left = exp_shapley(np.array([0, 40]), np.arange(40), h, np.array([0.1]),
                             n_players=40, pairs=pairs, max_paired=12)
    assert left.tolist() == [0]  # 14 paired players: the caller's coalitions take it


def test_subsample_scale_and_identity():
    assert subsample_scale(1000, None) == 1.0
    assert subsample_scale(1000, 5000) == 1.0
    assert subsample_scale(10_000, 2_500) == pytest.approx(0.5)
    s = np.array([[0.1, 0.5], [0.3, 0.7], [0.2, 0.6]])
    lo, hi = percentile_interval(s, 0.5)
    lo2, hi2 = percentile_interval(s, 0.5, np.array([0.2, 0.6]), 1.0)
    np.testing.assert_allclose([lo, hi], [lo2, hi2])


@pytest.mark.parametrize("model", ["linear", "markov_1"])
def test_m_out_of_n_interval_matches_the_full_bootstrap(model):
    """Rescaled intervals from 1,500 of 12,000 persons per replicate: same centre and width
    as the n-out-of-n bootstrap, within Monte Carlo error (100 replicates each)."""
    arrays = prepare(generate_journeys(12_000, seed=4).journeys)
    full = attribute(arrays, model, bootstrap=100, random_state=1)
    sub = attribute(arrays, model, bootstrap=100, random_state=1, bootstrap_persons=1500)
    np.testing.assert_allclose(sub["share"], full["share"])
    w_full = (full["ci_high"] - full["ci_low"]).to_numpy()
    w_sub = (sub["ci_high"] - sub["ci_low"]).to_numpy()
    ratio = w_sub / w_full
    assert 0.7 < np.median(ratio) < 1.4, ratio
    assert ratio.min() > 0.5 and ratio.max() < 2.0, ratio
    mid_full = (full["ci_high"] + full["ci_low"]).to_numpy() / 2
    mid_sub = (sub["ci_high"] + sub["ci_low"]).to_numpy() / 2
    assert np.abs(mid_sub - mid_full).max() < 0.5 * w_full.max()


def test_bootstrap_persons_is_checked():
    arrays = prepare(generate_journeys(300, seed=0).journeys)
    with pytest.raises(ConfigError, match="bootstrap_persons"):
        attribute(arrays, "last", bootstrap=2, bootstrap_persons=10)


def test_bootstrap_threads_give_the_same_intervals(monkeypatch):
    """Replicates credited in threads (every model, the default one warm-started from the
    full-data fit) give the very same intervals as one at a time."""
    import clusterkit.attribution.api as api

    journeys = generate_journeys(1500, seed=4).journeys
    runs = []
    for threads in (1, 3):
        monkeypatch.setattr(api, "BOOTSTRAP_THREADS", threads)
        runs.append(api.compare_models(journeys, bootstrap=6, bootstrap_persons=400,
                                       random_state=2))
    assert runs[0]["ci_low"].notna().any()
    pd.testing.assert_frame_equal(runs[0], runs[1])
