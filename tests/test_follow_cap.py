"""A follow export cut at a fixed number of followers per account: read, said, and the
influencer's audience gate held at the cap."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.data import CommunityData
from clusterkit.features.graph import GraphFeatures
from clusterkit.graph.censoring import export_cap
from clusterkit.registry import create_stage


def _heavy_tail(n, seed):
    rng = np.random.default_rng(seed)
    return np.floor(rng.pareto(1.3, n) * 8)


@pytest.mark.parametrize("seed", range(5))
def test_natural_tails_are_not_cut(seed):
    assert export_cap(_heavy_tail(20000, seed)) is None


@pytest.mark.parametrize("seed", range(5))
def test_cut_tails_are_read(seed):
    counts = np.minimum(_heavy_tail(20000, seed), 150)
    assert export_cap(counts) == 150.0
    assert export_cap(np.random.default_rng(seed).permutation(counts)) == 150.0


def test_small_or_flat_graphs_are_not_cut():
    assert export_cap(np.full(100, 12.0)) is None  # under the floor
    assert export_cap(np.r_[np.full(30, 40.0), np.full(100, 39.0)]) is None  # no spike
    assert export_cap(np.r_[np.full(19, 40.0), np.arange(1, 30)]) is None  # too few
    assert export_cap([]) is None


def _capped_world(seed=0, cap=30):
    """60 influencers (followed by 40-80 each, cut at ``cap``; amplified by 25-40 distinct
    members), 150 bloggers (followed by 10-25, amplified by 1-3), 1,200 followers."""
    rng = np.random.default_rng(seed)
    inf = [f"i{k:03d}" for k in range(60)]
    blog = [f"b{k:03d}" for k in range(150)]
    fol = [f"f{k:04d}" for k in range(1200)]
    follows, events = [], []
    t0 = pd.Timestamp("2024-01-01", tz="UTC")
    for who, lo, hi, alo, ahi in ((inf, 40, 80, 25, 40), (blog, 10, 25, 1, 3)):
        for m in who:
            k = min(int(rng.integers(lo, hi)), cap)
            follows += [(f, m) for f in rng.choice(fol, k, replace=False)]
            for d in range(12):
                events.append((m, "post", t0 + pd.Timedelta(days=5 * d), None))
            for a in rng.choice(fol, int(rng.integers(alo, ahi + 1)), replace=False):
                events.append((a, "share", t0 + pd.Timedelta(days=int(rng.integers(60))), m))
    for f in fol[:600]:
        events.append((f, "like", t0 + pd.Timedelta(days=int(rng.integers(60))),
                       inf[int(rng.integers(60))]))
    ev = pd.DataFrame(events, columns=["member_id", "action", "timestamp", "target_id"])
    fo = pd.DataFrame(follows, columns=["follower_id", "followee_id"])
    return CommunityData.from_frames(events=ev, follows=fo), set(inf)


def test_graph_features_warn_about_a_cut_export():
    data, _ = _capped_world()
    g = GraphFeatures()
    g.build(data)
    assert len(g.warnings_) == 1 and "cut per account" in g.warnings_[0]
    assert "30 followers" in g.warnings_[0]
    uncut, _ = _capped_world(cap=10**6)
    g.build(uncut)
    assert g.warnings_ == []


def test_influencer_gate_is_held_at_the_cap():
    from clusterkit.features import build_features

    data, influencers = _capped_world()
    X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    st = create_stage("roles", "rules", {}).fit(X)
    called = set(X.index[np.asarray(st.roles_) == "influencer"])
    assert st.thresholds_["influencer_followers"] == 30.0
    assert "cap" in st.thresholds_["influencer_followers_how"]
    assert len(called & influencers) >= 55 and len(called - influencers) <= 3
    first = np.flatnonzero(np.asarray(st.roles_) == "influencer")[0]
    assert "follow export's cap" in st.explanations_[first]
