"""Lean paths over codes and chunks (issue 13) give what the plain computation gives."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp

from clusterkit.data import CommunityData
from clusterkit.errors import DataError
from clusterkit.profile.index import _follow_counts
from clusterkit.report import community_map as cm
from clusterkit.stages.community import LeidenCommunity
from clusterkit.stages.scoring.engagement import EngagementScoring
from clusterkit.weights import EngagementWeights


def test_engagement_reads_channel_codes_with_missing_channels_and_pairs():
    events = pd.DataFrame({
        "member_id": ["a", "a", "b", "b", "c"],
        "action": ["like", "share", "like", "comment", "like"],
        "timestamp": ["2026-01-01"] * 5,
        "channel": ["x", None, "unknown", "y", "y"],
    })
    w = EngagementWeights(channels={"x": 2.0, "unknown": 0.5},
                          pairs={"like": {"unknown": 10.0, "y": 7.0}})
    s = EngagementScoring().fit(CommunityData.from_frames(events=events), weights=w)
    # a: like on x (1 x 2) + share with no channel ("unknown": 5 x 0.5)
    # b: like on "unknown" (the pair: 10) + comment on y (3); c: like on y (the pair: 7)
    assert s.scores_.tolist() == [4.5, 13.0, 7.0]
    assert list(s.by_channel_.columns) == ["unknown", "x", "y"]
    assert s.by_channel_.loc["a"].tolist() == [2.5, 2.0, 0.0]
    no_channel = CommunityData.from_frames(events=events.drop(columns="channel"))
    assert list(EngagementScoring().fit(no_channel).by_channel_.columns) == ["unknown"]


def test_symmetry_check_compares_values_not_only_structure():
    a = sp.csr_array(np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 2.0], [0.0, 2.0 + 1e-6, 0.0]]))
    with pytest.raises(DataError, match="symmetric"):
        LeidenCommunity(random_state=0).fit(a)
    # an entry with no mirror, below the tolerance, is accepted, as before
    b = sp.csr_array(np.array([[0.0, 1.0, 1e-15], [1.0, 0.0, 1.0], [0.0, 1.0, 0.0]]))
    assert LeidenCommunity(random_state=0).fit(b).labels_.shape == (3,)


@pytest.mark.parametrize("width", [7, 5000])
def test_community_pair_counts_in_chunks_equal_one_sort(monkeypatch, width):
    rng = np.random.default_rng(0)
    code = rng.integers(0, width, size=300)
    src, dst = rng.integers(0, 300, size=(2, 5000))
    want = np.unique(code[src] * width + code[dst], return_counts=True)
    monkeypatch.setattr(cm, "PAIR_CHUNK", 97)
    got = cm._pair_counts(code, src, dst, width)
    assert all(np.array_equal(g, w) for g, w in zip(got, want, strict=True))


def test_profile_follow_counts_split_members_and_outside_accounts():
    follows = pd.DataFrame({"follower_id": ["a", "a", "b", "c", "c"],
                            "followee_id": ["b", "brand", "a", "a", "b"]})
    members = pd.DataFrame({"member_id": ["a", "b", "c"]})
    counts = _follow_counts(CommunityData.from_frames(members=members, follows=follows))
    assert counts.to_dict("list") == {
        "pos": [0, 1, 2], "followers_members": [2, 2, 0],
        "following_members": [1, 1, 2], "following_outside": [1, 0, 0]}
