"""An influencer's audience is read against the typical creator's too (issue 16).

Planted structure, a creator economy: many bloggers with audiences of 60-120 followers,
influencers with 300-450 followers (about 4 x the typical blogger's audience, but under
15 x the median member's) and amplified by many distinct members, hollow accounts with
bought followers and no amplification, fans and followers. With the gate at 15 x the median
member alone, no influencer passes; against 3 x the amplified creators' median, all do, and
no blogger or hollow account does. The same world with passive members of 1-2 followers:
15 x the median member falls below the bloggers, and the floor of 2 x the typical creator's
audience keeps them out.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.stages.roles.rules import RuleRoles


def _table(seed=0, bloggers=120, passive=(20, 40)):
    rng = np.random.default_rng(seed)
    groups = {  # name: (members, followers, amplifiers, posts, comments, views)
        "influencer": (12, (300, 450), (40, 80), (8, 15), (0, 3), (0, 5)),
        "blogger": (bloggers, (60, 120), (2, 20), (10, 30), (0, 5), (0, 10)),
        "hollow": (6, (300, 500), (0, 2), (0, 2), (0, 2), (0, 20)),
        "fan": (150, passive, (0, 3), (0, 1), (15, 40), (5, 30)),
        "follower": (400, passive, (0, 1), (0, 1), (0, 2), (5, 40)),
    }
    frames = []
    for name, (k, fol, amp, post, comment, view) in groups.items():
        frames.append(pd.DataFrame({
            "group": name, "followers": rng.integers(*fol, k), "amplifiers": rng.integers(*amp, k),
            "act_post": rng.integers(*post, k), "act_comment": rng.integers(*comment, k),
            "act_view": rng.integers(*view, k)}))
    X = pd.concat(frames, ignore_index=True)
    X.index = [f"m{i:04d}" for i in range(len(X))]
    X["tenure_days"] = 180.0
    X["active_days"] = 30.0
    X["received_distinct"] = X["amplifiers"] * 2 + 1
    return X


def test_influencers_above_the_typical_creator_pass_where_the_member_median_would_miss_them():
    X = _table()
    by = X.pop("group")
    stage = RuleRoles().fit(X)
    roles = pd.Series(stage.roles_, index=X.index)
    t = stage.thresholds_
    member_gate = 15 * np.median(X["followers"])
    assert t["influencer_followers"] < member_gate
    assert t["influencer_followers"] == pytest.approx(
        3 * np.median(X.loc[(by == "blogger") | (by == "influencer"), "followers"]
                      [X["amplifiers"] > 0]), rel=0.05)
    assert "amplified content creators" in t["influencer_followers_how"]
    assert (roles[by == "influencer"] == "influencer").all()
    assert not (roles[by == "blogger"] == "influencer").any()
    assert not (roles[by == "hollow"] == "influencer").any()
    first = np.flatnonzero((by == "influencer").to_numpy())[0]
    assert "amplified content creators" in stage.explanations_[first]

    # the witness: the median member's gate alone calls none of them
    off = RuleRoles(creator_reach=0).fit(X)
    assert off.thresholds_["influencer_followers"] == pytest.approx(member_gate)
    assert not (pd.Series(off.roles_, index=X.index)[by == "influencer"] == "influencer").any()


def test_where_members_have_almost_no_followers_the_gate_stays_above_the_bloggers():
    X = _table(seed=4, passive=(1, 3))  # the median member: 1-2 followers
    by = X.pop("group")
    member_gate = 15 * np.median(X["followers"])
    assert member_gate < np.median(X.loc[by == "blogger", "followers"])
    stage = RuleRoles().fit(X)
    roles = pd.Series(stage.roles_, index=X.index)
    assert stage.thresholds_["influencer_followers_how"].startswith(
        "2 x median of") and stage.thresholds_["influencer_followers"] > member_gate
    assert (roles[by == "influencer"] == "influencer").all()
    assert not (roles[by == "blogger"] == "influencer").any()
    # the witness: without the floor, the median member's gate calls bloggers influencers
    off = pd.Series(RuleRoles(creator_floor=0).fit(X).roles_, index=X.index)
    assert (off[by == "blogger"] == "influencer").mean() > 0.2


def test_the_creator_bounds_need_enough_creators_and_move_the_gate_only_past_them():
    X = _table(seed=1).drop(columns="group")
    member_gate = 15 * np.median(X["followers"])
    high = RuleRoles(creator_reach=100.0).fit(X)  # between the bounds: not moved
    assert high.thresholds_["influencer_followers"] == pytest.approx(member_gate)
    assert high.thresholds_["influencer_followers_how"] == "15 x median"
    few = _table(seed=2, bloggers=4).drop(columns="group")  # 16 amplified creators < 20
    assert RuleRoles().fit(few).thresholds_["influencer_followers_how"] == "15 x median"


def test_the_same_roles_in_any_row_order():
    X = _table(seed=3).drop(columns="group")
    a = pd.Series(RuleRoles().fit(X).roles_, index=X.index)
    shuffled = X.sample(frac=1.0, random_state=7)
    b = pd.Series(RuleRoles().fit(shuffled).roles_, index=shuffled.index)
    assert a.equals(b.reindex(X.index))


def test_a_negative_creator_reach_is_refused():
    with pytest.raises(ValueError, match="creator_reach"):
        RuleRoles(creator_reach=-1.0).fit(_table().drop(columns="group"))
    with pytest.raises(ValueError, match="creator_floor"):
        RuleRoles(creator_floor=-0.5).fit(_table().drop(columns="group"))
