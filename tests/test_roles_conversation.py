"""Amplification backed by conversation (DESIGN §3: reshared, mentioned *and* replied to):
bought reshares nobody talks about do not make an influencer."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.registry import create_stage
from clusterkit.stages.roles.conversation import backed_amplifiers, conversation_found


def _found(**kw):
    rng = np.random.default_rng(0)
    amp = rng.integers(5, 200, 400).astype(float)
    talk = rng.binomial(amp.astype(int), 0.6).astype(float)
    args = dict(amp=amp, talk=talk, creators=np.ones(400, bool), conversation_min=0.5,
                min_amplifiers=5, min_sample=20)
    args.update(kw)
    return amp, talk, conversation_found(**args)


def test_typical_share_is_read_from_the_amplified_creators():
    amp, talk, found = _found()
    assert found["typical"] == pytest.approx(0.6, abs=0.03)
    assert "amplified content creators" in found["how"]
    # an honest audience of every size keeps its amplifiers
    assert np.array_equal(backed_amplifiers(amp, talk, found), amp)


def test_without_creators_every_amplified_member_is_read():
    _, _, found = _found(creators=np.zeros(400, bool))
    assert "members amplified by 5 or more" in found["how"]


@pytest.mark.parametrize("kw", [dict(conversation_min=0.0), dict(talk=np.zeros(400)),
                                dict(min_sample=1000),
                                dict(talk=np.r_[np.ones(10), np.zeros(390)])])
def test_off_when_turned_off_or_without_conversation(kw):
    amp, talk, found = _found(**kw)
    assert found == {}
    assert np.array_equal(backed_amplifiers(amp, np.zeros(len(amp)), found), amp)


def test_reshares_without_conversation_count_as_far_as_it_supports():
    _, _, found = _found()
    amp = np.array([4.0, 90.0, 90.0, 90.0, 300.0])
    talk = np.array([0.0, 9.0, 30.0, 54.0, 0.0])
    backed = backed_amplifiers(amp, talk, found)
    assert backed[0] == 4  # four amplifiers: too few for the test to say anything
    assert backed[1] == np.floor(9 / (0.5 * found["typical"])) < 90
    assert backed[2] == 90 and backed[3] == 90  # a third talking: within chance of half
    assert backed[4] == 0
    assert np.all(backed <= amp)


def _world(seed=0):
    """Feature rows: 40 influencers (amplified by 80-150 distinct members, 60 % of whom
    talk), 30 hollow bloggers (amplified by 60-120 bought resharers, 5 % talk), 200
    bloggers (amplified by 2-12), 1,500 followers."""
    rng = np.random.default_rng(seed)
    rows = []
    for kind, k, amp_lo, amp_hi, talk_p, fol_lo, fol_hi in (
            ("influencer", 40, 80, 150, 0.6, 300, 900), ("hollow", 30, 60, 120, 0.05, 200, 600),
            ("blogger", 200, 2, 12, 0.6, 20, 60)):
        amp = rng.integers(amp_lo, amp_hi, k).astype(float)
        rows.append(pd.DataFrame({
            "kind": kind, "amplifiers": amp, "conversers": rng.binomial(amp.astype(int), talk_p),
            "followers": rng.integers(fol_lo, fol_hi, k), "act_post": rng.integers(10, 30, k),
            "act_like": rng.integers(0, 5, k), "active_days": 30, "tenure_days": 90}))
    rows.append(pd.DataFrame({"kind": "follower", "amplifiers": 0.0, "conversers": 0,
                              "followers": rng.integers(0, 5, 1500), "act_post": 0,
                              "act_like": rng.integers(0, 3, 1500), "active_days": 3,
                              "tenure_days": 90}))
    X = pd.concat(rows, ignore_index=True)
    X.index = [f"m{i:05d}" for i in range(len(X))]
    return X.drop(columns="kind").astype(float), X["kind"].to_numpy()


def test_bought_reshares_do_not_make_an_influencer():
    X, kind = _world()
    roles = np.asarray(create_stage("roles", "rules", {}).fit(X).roles_)
    assert np.mean(roles[kind == "influencer"] == "influencer") >= 0.95
    assert np.mean(roles[kind == "hollow"] == "influencer") <= 0.1
    # the same world without the check: the bought reshares pass
    off = np.asarray(create_stage("roles", "rules", {"conversation_min": 0.0}).fit(X).roles_)
    assert np.mean(off[kind == "hollow"] == "influencer") >= 0.8


def test_the_discount_is_explained_and_recorded():
    X, kind = _world()
    # amplified by 600, of whom 60 talk: still an influencer on what the talk supports
    X.loc["loud", :] = X.iloc[0]
    X.loc["loud", ["amplifiers", "conversers"]] = [600.0, 60.0]
    st = create_stage("roles", "rules", {}).fit(X)
    assert st.thresholds_["influencer_conversation_share"] == pytest.approx(0.6, abs=0.1)
    assert "amplified content creators" in st.thresholds_["influencer_conversation_how"]
    text = pd.Series(np.asarray(st.explanations_, dtype=object), index=X.index)
    assert text["loud"].startswith("influencer:")
    assert "of 600 distinct amplifiers only 60 mentioned, replied or commented: 10%" in \
        text["loud"]
    assert not text[X.index[:-1][kind == "influencer"]].str.contains("only as far").any()


def test_without_a_conversers_column_nothing_changes():
    X, _ = _world()
    a = create_stage("roles", "rules", {"conversation_min": 0.0}).fit(X)
    b = create_stage("roles", "rules", {}).fit(X.drop(columns="conversers"))
    assert np.array_equal(a.roles_, b.roles_)
    assert "influencer_conversation_share" not in b.thresholds_


def test_permutation_invariant():
    X, _ = _world()
    perm = np.random.default_rng(3).permutation(len(X))
    a = create_stage("roles", "rules", {}).fit(X)
    b = create_stage("roles", "rules", {}).fit(X.iloc[perm])
    assert np.array_equal(np.asarray(a.roles_)[perm], np.asarray(b.roles_))
    assert a.thresholds_ == b.thresholds_


def test_the_share_is_a_credibility_signal_outside_the_mean():
    from clusterkit.stages.scoring.components import credibility_signals

    X = pd.DataFrame({"amplifiers": [10.0, 0.0, 40.0], "conversers": [6.0, 0.0, 2.0]},
                     index=["a", "b", "c"])
    cred = credibility_signals(X)
    assert cred["conversation"].tolist() == [0.6, 0.0, 0.05]
    same = credibility_signals(X.assign(conversers=[0.0, 0.0, 40.0]))
    assert np.array_equal(cred["credibility"], same["credibility"])
