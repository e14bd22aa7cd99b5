"""An influencer's audience answers (DESIGN §3: reach *and* amplification): an account whose
followers in the graph hardly ever amplify it, bought followers, is not an influencer
(:mod:`clusterkit.stages.roles.response`)."""

import json

import numpy as np
import pandas as pd
import pytest

import clusterkit.stages.roles.rules as rules_module
from clusterkit.errors import ConfigError
from clusterkit.registry import create_stage
from clusterkit.stages.roles.response import answer_ratio, response_found, response_share
from clusterkit.stages.roles.rules import RuleRoles


def _world(seed=0, hollow=30):
    """Feature rows: 300 bloggers (20-80 followers, about 40 % of whom amplify), 30
    influencers (300-800 followers, 40-60 % amplify), ``hollow`` accounts that post like
    bloggers with 1,500-3,000 followers of whom 5 % amplify (still more amplifiers than the
    bloggers' break), and 1,500 quiet followers who follow 5-30 accounts."""
    rng = np.random.default_rng(seed)
    n_b, n_i, n_f = 300, 30, 1500
    fol = np.r_[rng.integers(20, 80, n_b), rng.integers(300, 800, n_i),
                rng.integers(1500, 3000, hollow), rng.integers(0, 5, n_f)].astype(float)
    rate = np.r_[np.full(n_b, 0.4), rng.uniform(0.4, 0.6, n_i), np.full(hollow, 0.05),
                 np.zeros(n_f)]
    X = pd.DataFrame({"followers": fol, "amplifiers": rng.binomial(fol.astype(int), rate)})
    X["conversers"] = np.round(X["amplifiers"] * 0.6)
    X["following"] = np.r_[rng.integers(10, 50, n_b + n_i + hollow), rng.integers(5, 30, n_f)]
    creators = n_b + n_i + hollow
    X["act_post"] = np.r_[rng.integers(8, 20, creators), np.zeros(n_f)]
    X["act_comment"] = np.r_[rng.integers(2, 6, creators), rng.binomial(2, 0.3, n_f)]
    X["act_like"] = rng.integers(0, 4, len(X))
    X["received_distinct"] = X["amplifiers"] * 2
    X["n_events"] = X[["act_post", "act_comment", "act_like"]].sum(axis=1)
    X["created"] = X["act_post"]
    X["reacted"] = X["n_events"] - X["created"]
    X["active_days"] = 20.0
    X["tenure_days"] = 90.0
    X.index = [f"m{i:05d}" for i in range(len(X))]
    kind = np.array(["blogger"] * n_b + ["influencer"] * n_i + ["hollow"] * hollow
                    + ["follower"] * n_f)
    return X.astype(float), kind


def test_bought_followers_who_never_amplify_make_no_influencer():
    X, kind = _world()
    off = create_stage("roles", "rules", {"influencer_response_ratio": 0.0}).fit(X)
    on = create_stage("roles", "rules", {}).fit(X)
    assert np.mean(off.roles_[kind == "hollow"] == "influencer") > 0.9  # both gates pass
    assert np.mean(on.roles_[kind == "hollow"] == "influencer") == 0
    assert np.mean(on.roles_[kind == "hollow"] == "blogger") == 1  # they do post
    assert np.mean(on.roles_[kind == "influencer"] == "influencer") == 1
    assert np.array_equal(on.roles_[kind != "hollow"], off.roles_[kind != "hollow"])
    one = np.flatnonzero(kind == "hollow")[0]
    text = on.explanations_[one]
    assert text.startswith("blogger: ") and "influencer evidence: followers in the graph" in text
    assert "% of its reach, under 0.33 x the median 40% of " in text
    assert "does not answer" not in off.explanations_[one]
    # the response is a third gate: the held member is far under it, not "at the threshold"
    assert on.secondary_[one] != "influencer"
    assert 0.35 < on.thresholds_["influencer_response_median"] < 0.45
    assert on.thresholds_["influencer_response_ratio"] == pytest.approx(1 / 3)
    assert "influencer_response_median" not in off.thresholds_
    json.dumps(on.thresholds_)  # recorded as plain JSON


def test_a_held_follower_is_not_below_every_threshold():
    """A hollow account that neither posts nor comments falls to follower: its explanation
    says it passed the influencer's gates, and why it is not one."""
    X, kind = _world()
    one = np.flatnonzero(kind == "hollow")[0]
    X.iloc[one, X.columns.get_loc("act_post")] = 0.0
    X.iloc[one, X.columns.get_loc("created")] = 0.0
    X.iloc[one, X.columns.get_loc("act_comment")] = 0.0
    on = create_stage("roles", "rules", {}).fit(X)
    assert on.roles_[one] == "follower"
    text = on.explanations_[one]
    assert text.startswith("follower: past the influencer's gates but not its response test, "
                           "below every other threshold; ")
    assert "does not answer" in text
    quiet = np.flatnonzero(on.roles_ == "follower")
    assert sum("past the influencer's gates" in on.explanations_[i] for i in quiet) == 1


def test_off_where_followers_are_platform_counts():
    """Without a follow graph (``following`` all zero: the features had no follows table)
    the followers are reported counts, whose audience lies outside the data: no test, and
    the explanation names the source."""
    X, kind = _world()
    X["following"] = 0.0
    on = create_stage("roles", "rules", {}).fit(X)
    assert np.mean(on.roles_[kind == "hollow"] == "influencer") > 0.9
    assert "influencer_response_median" not in on.thresholds_
    first = on.explanations_[np.flatnonzero(kind == "influencer")[0]]
    assert first.startswith("influencer: reported followers (no follow graph): ")


def test_response_reference_does_not_depend_on_row_order():
    X, _ = _world(seed=2)
    a = create_stage("roles", "rules", {}).fit(X)
    perm = np.random.default_rng(3).permutation(len(X))
    b = create_stage("roles", "rules", {}).fit(X.iloc[perm])
    assert a.thresholds_ == b.thresholds_  # bit for bit
    assert np.array_equal(pd.Series(a.roles_, X.index).loc[X.index[perm]].to_numpy(), b.roles_)


def test_too_few_creators_flag_nobody_and_the_share_is_reach_based():
    amp, fol = np.array([10.0, 0, 5, 3]), np.array([5.0, 0, 50, 3])
    assert response_share(amp, fol).tolist() == [1.0, 0.0, 0.1, 1.0]  # reach >= amplifiers
    found = response_found(amp, fol, np.ones(4, bool), min_sample=20)
    assert found == {}
    assert np.isinf(answer_ratio(amp, fol, found, 1 / 3)).all()  # off: never decides
    found = response_found(np.r_[np.full(20, 10.0), 0], np.r_[np.full(20, 20.0), 90],
                           np.ones(21, bool), min_sample=20)
    assert found == {"median": 0.5, "n": 20}  # the unamplified member is not read
    got = answer_ratio(np.array([3.0, 4.0]), np.array([20.0, 20.0]), found, 1 / 3)
    assert got.tolist() == pytest.approx([0.9, 1.2])
    assert np.isinf(answer_ratio(np.array([3.0]), np.array([20.0]), found, 0.0)).all()


def test_reference_from_amplified_members_only_equals_the_whole_table():
    """The Spark engine collects only the amplified members' (amplifiers, creator,
    followers, conversers), sorted by value: the same thresholds as every member's rows."""
    X, _ = _world(seed=1)
    stage = RuleRoles()
    months = stage.months(X)
    pool = stage.influencer_pool(X, months)
    whole = stage.influencer_found(pool["amplifiers"].to_numpy(), pool["followers"].to_numpy(),
                                   pool["creator"].to_numpy(), pool["followers"].to_numpy(),
                                   pool["conversers"].to_numpy())
    amplified = pool[pool["amplifiers"] > 0].sort_values(
        ["amplifiers", "creator", "followers", "conversers"])
    fol = np.sort(pool["followers"][pool["followers"] > 0].to_numpy())
    part = stage.influencer_found(amplified["amplifiers"].to_numpy(), fol,
                                  amplified["creator"].to_numpy(),
                                  amplified["followers"].to_numpy(),
                                  amplified["conversers"].to_numpy())
    assert whole == part and "response" in whole


def test_held_members_are_the_same_in_blocks_of_rows(monkeypatch):
    X, kind = _world(seed=4)
    whole = RuleRoles().fit(X)
    monkeypatch.setattr(rules_module, "BLOCK_ROWS", 37)
    blocks = RuleRoles().fit(X)
    assert np.array_equal(whole.roles_, blocks.roles_)
    assert np.array_equal(whole.confidence_, blocks.confidence_)
    assert list(whole.explanations_) == list(blocks.explanations_)
    assert sum("does not answer" in t for t in blocks.explanations_) == (kind == "hollow").sum()


def test_bad_ratio_is_refused_naming_the_parameter():
    with pytest.raises(ConfigError, match="influencer_response_ratio"):
        create_stage("roles", "rules", {"influencer_response_ratio": 1.5}).fit(_world()[0])
