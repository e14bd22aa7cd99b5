"""The segments step's tables against their definitions, computed the plain way (issue 13:
they are now built one channel and one feature column at a time, to hold no member x
channel or squared member x feature copy at 1,000,000 members)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.segments import cluster_zscores, segment_channel_engagement


def _gini(x: np.ndarray) -> float:
    x = np.sort(x)
    n, total = len(x), x.sum()
    return float(((2 * np.arange(1, n + 1) - n - 1) * x).sum() / (n * total)) if total else 0.0


@pytest.mark.parametrize("seed", [0, 1])
def test_segment_channel_engagement_is_its_definition(seed):
    rng = np.random.default_rng(seed)
    n = 600
    segs = rng.choice(["b seg", "a seg", "c seg"], n)
    by_channel = pd.DataFrame({
        "twitter": rng.exponential(2.0, n) * (rng.random(n) < 0.5),
        "blog": np.round(rng.exponential(1.0, n)),  # ties
        "events": np.zeros(n),  # a channel nobody used
        "Newsletter": rng.exponential(3.0, n),
    }, index=pd.Index([f"m{i}" for i in range(n)]))
    got = segment_channel_engagement(pd.DataFrame({"segment": segs}), by_channel)

    rows = []
    long = by_channel.assign(all=by_channel.sum(axis=1))
    for seg in sorted(set(segs)):
        rows += [(seg, ch, long.loc[segs == seg, ch].to_numpy()) for ch in sorted(long.columns)]
    assert list(zip(got["segment"], got["channel"], strict=True)) == [r[:2] for r in rows]
    seg_total = {s: long.loc[segs == s, "all"].sum() for s in set(segs)}
    chan_total = long.sum(axis=0)
    for (seg, ch, x), (_, row) in zip(rows, got.iterrows(), strict=True):
        assert row["total"] == pytest.approx(x.sum(), rel=1e-12, abs=1e-12)
        assert row["mean"] == pytest.approx(x.mean(), rel=1e-12, abs=1e-12)
        assert row["gini"] == pytest.approx(_gini(x), rel=1e-9, abs=1e-12)
        assert row["share_of_segment"] == pytest.approx(x.sum() / seg_total[seg], rel=1e-12)
        expected = x.sum() / chan_total[ch] if chan_total[ch] else 0.0
        assert row["share_of_channel"] == pytest.approx(expected, rel=1e-12, abs=1e-12)
    assert (got.loc[got["channel"] == "events", ["total", "gini"]] == 0).all().all()


def test_cluster_zscores_is_its_definition():
    rng = np.random.default_rng(3)
    n = 900
    Xt = pd.DataFrame(rng.normal(size=(n, 4)), columns=list("abcd"))
    groups = rng.choice(["fan", "follower", "blogger"], n)
    clusters = np.where(groups == "fan", rng.integers(0, 3, n),
                        np.where(groups == "follower", 3 + rng.integers(0, 2, n), 5))
    Xt.loc[clusters == 1, "b"] += 2.0  # a cluster apart from its group on one feature
    z = cluster_zscores(Xt, clusters, groups)
    for c in range(6):
        g = groups[clusters == c][0]
        several = len(set(clusters[groups == g])) > 1
        ref = Xt[groups == g] if several else Xt  # a one-cluster group: every member
        expected = (Xt[clusters == c].mean() - ref.mean()) / ref.std()
        np.testing.assert_allclose(z.loc[c].to_numpy(), expected.to_numpy(), rtol=1e-10)
    assert z.abs().to_numpy().max() == z.loc[1, "b"] > 0.8  # the planted difference
