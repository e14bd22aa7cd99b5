"""Reach of an influencer is its audience: followers, or distinct amplifiers when more (issue 16).

Planted structure: micro-influencers whose follow-graph in-degree is below the reach gate but
who are amplified by more distinct members than that gate; hollow accounts with many
followers and no amplification; bloggers amplified by some members. The follow graph is a
sample of the platform, so the amplifiers a member demonstrably reached count as reach.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.stages.roles.rules import RuleRoles


def _table(seed=0):
    rng = np.random.default_rng(seed)
    groups = {  # name: (members, followers, amplifiers)
        "influencer": (10, lambda k: rng.integers(250, 400, k), lambda k: rng.integers(70, 120, k)),
        "micro": (8, lambda k: rng.integers(20, 40, k), lambda k: rng.integers(90, 140, k)),
        "hollow": (6, lambda k: rng.integers(400, 600, k), lambda k: rng.integers(0, 2, k)),
        "blogger": (40, lambda k: rng.integers(10, 40, k), lambda k: rng.integers(5, 15, k)),
        "fan": (80, lambda k: rng.integers(1, 10, k), lambda k: rng.integers(1, 4, k)),
        "follower": (300, lambda k: rng.integers(1, 10, k), lambda k: np.zeros(k, int)),
    }
    frames = []
    for name, (k, fol, amp) in groups.items():
        frames.append(pd.DataFrame({"group": name, "followers": fol(k), "amplifiers": amp(k)}))
    X = pd.concat(frames, ignore_index=True)
    X.index = [f"m{i:04d}" for i in range(len(X))]
    X["tenure_days"] = 120.0
    return X


def test_micro_influencers_reach_through_amplifiers_and_hollow_accounts_do_not():
    X = _table()
    stage = RuleRoles().fit(X.drop(columns="group"))
    roles = pd.Series(stage.roles_, index=X.index)
    by = X["group"]
    t_fol = stage.thresholds_["influencer_followers"]
    assert (X.loc[by == "micro", "followers"] < t_fol).all()  # below the gate on followers
    assert (roles[by == "micro"] == "influencer").all()
    assert (roles[by == "influencer"] == "influencer").all()
    assert (roles[by == "hollow"] != "influencer").all()
    assert (roles[by == "blogger"] != "influencer").all()
    micro = np.flatnonzero((by == "micro").to_numpy())[0]
    assert "distinct amplifiers)" in stage.explanations_[micro]
