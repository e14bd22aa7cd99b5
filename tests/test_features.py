"""Feature builders: hand-counted fixture, reference graph measures, edge cases."""

from __future__ import annotations

import math

import networkx as nx
import numpy as np
import pandas as pd
import pytest

import clusterkit.registry as registry
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError
from clusterkit.features import build_features
from clusterkit.features.behaviour import BASE_COLUMNS, BehaviourFeatures
from clusterkit.features.graph import GraphFeatures
from clusterkit.features.interaction import InteractionFeatures
from clusterkit.graph import interaction_matrix
from clusterkit.weights import EngagementWeights, action_weights

MEMBERS = ["a", "b", "c", "d", "e", "f"]
# member, action, timestamp, channel, target, value
EVENTS = [
    ("a", "post", "2024-03-01T09:00Z", "twitter", None, None),
    ("a", "blog_post", "2024-03-01T12:00Z", "blog", None, None),
    ("a", "video", "2024-03-03T08:00Z", "instagram", None, None),
    ("b", "share", "2024-03-01T10:00Z", "twitter", "a", None),
    ("b", "like", "2024-03-02T10:00Z", "twitter", "a", None),
    ("b", "comment", "2024-03-03T09:00Z", "instagram", "a", None),
    ("c", "retweet", "2024-03-02T11:00Z", "twitter", "a", None),
    ("c", "like", "2024-03-02T12:00Z", "instagram", "b", None),
    ("c", "mention", "2024-03-03T10:00Z", "twitter", "brand", None),  # outside target
    ("c", "purchase", "2024-03-04T15:00Z", None, None, 50.0),  # channel missing
    ("d", "like", "2024-03-01T11:00Z", "twitter", "a", None),
    ("d", "like", "2024-03-01T11:30Z", "twitter", "d", None),  # self-targeted
    ("d", "reply", "2024-03-04T16:00Z", "twitter", "b", None),
    ("e", "view", "2024-03-02T08:00Z", "blog", None, None),
    ("e", "view", "2024-03-02T20:00Z", "blog", None, None),
    ("e", "purchase", "2024-03-04T18:00Z", "blog", None, 20.0),  # reference time
]
# a <-> b reciprocal, a -> brand (outside); e has no edge; f has no event.
FOLLOWS = [("b", "a"), ("a", "b"), ("c", "a"), ("d", "a"), ("a", "brand"), ("f", "a"), ("d", "c")]


def _frames():
    events = pd.DataFrame(
        EVENTS, columns=["member_id", "action", "timestamp", "channel", "target_id", "value"]
    )
    follows = pd.DataFrame(FOLLOWS, columns=["follower_id", "followee_id"])
    members = pd.DataFrame({"member_id": MEMBERS, "followers": [1000, 50, None, 3, 0, 7]})
    return members, events, follows


@pytest.fixture(scope="module")
def data():
    members, events, follows = _frames()
    return CommunityData.from_frames(members=members, events=events, follows=follows)


def _check_table(table, data):
    assert table.index.equals(data.member_ids)
    assert table.index.name == "member_id"
    assert (table.dtypes == "float64").all()
    assert np.isfinite(table.to_numpy()).all()


def test_fixture_outside_account(data):
    assert list(data.member_ids) == MEMBERS
    assert list(data.outside_ids) == ["brand"]


def test_behaviour_counts(data):
    t = BehaviourFeatures().build(data)
    _check_table(t, data)
    acts = [c for c in t.columns if c.startswith("act_")]
    assert acts == sorted(f"act_{a}" for a in {e[1] for e in EVENTS})
    assert t["act_like"].tolist() == [0, 1, 1, 2, 0, 0]
    assert t["act_purchase"].tolist() == [0, 0, 1, 0, 1, 0]
    assert t["act_view"].tolist() == [0, 0, 0, 0, 2, 0]
    chans = [c for c in t.columns if c.startswith("chan_")]
    assert chans == ["chan_blog", "chan_instagram", "chan_twitter", "chan_unknown"]
    assert t["chan_twitter"].tolist() == [1, 2, 2, 3, 0, 0]
    assert t["chan_unknown"].tolist() == [0, 0, 1, 0, 0, 0]
    assert t["chan_blog"].tolist() == [1, 0, 0, 0, 3, 0]
    assert t["n_events"].tolist() == [3, 3, 4, 3, 3, 0]
    np.testing.assert_allclose(t["engagement"], [14, 9, 18, 5, 8.2, 0])
    assert t["active_days"].tolist() == [2, 3, 3, 2, 2, 0]
    assert t["created"].tolist() == [3, 0, 0, 0, 0, 0]
    assert t["reacted"].tolist() == [0, 3, 4, 3, 3, 0]
    assert t["created_ratio"].tolist() == [1, 0, 0, 0, 0, 0]
    assert t["n_channels"].tolist() == [3, 2, 3, 1, 1, 0]
    h_b = -(2 / 3 * math.log2(2 / 3) + 1 / 3 * math.log2(1 / 3))
    np.testing.assert_allclose(t["channel_entropy"], [math.log2(3), h_b, 1.5, 0, 0, 0])
    assert t["conversions"].tolist() == [0, 0, 1, 0, 1, 0]
    assert t["value_total"].tolist() == [0, 0, 50, 0, 20, 0]
    # reference time = latest event (e's purchase, 2024-03-04T18:00Z)
    np.testing.assert_allclose(
        t["recency"],
        [
            0.5 ** ((34 / 24) / 30),
            0.5 ** ((33 / 24) / 30),
            0.5 ** ((3 / 24) / 30),
            0.5 ** ((2 / 24) / 30),
            1.0,
            0.0,
        ],
    )
    np.testing.assert_allclose(t["tenure_days"], [81 / 24, 80 / 24, 55 / 24, 79 / 24, 58 / 24, 0])
    assert ((t["recency"] > 0) == (t["n_events"] > 0)).all()


def test_behaviour_weights(data):
    t = BehaviourFeatures().build(data, weights=EngagementWeights(actions={"like": 2, "View": 1}))
    np.testing.assert_allclose(t["engagement"], [14, 10, 19, 7, 10, 0])
    t = BehaviourFeatures().build(data, weights=EngagementWeights(channels={"Twitter": 2}))
    np.testing.assert_allclose(t["engagement"], [16, 15, 27, 10, 8.2, 0])
    w = action_weights({"like": 3})
    assert w["like"] == 3.0 and w["share"] == 5.0
    assert action_weights()["like"] == 1.0
    with pytest.raises(ConfigError):
        BehaviourFeatures().build(data, weights=EngagementWeights(actions={"like": -1}))
    with pytest.raises(ConfigError):
        BehaviourFeatures().build(data, weights=EngagementWeights(half_life_days=0))


def test_unknown_action_warning():
    events = pd.DataFrame(
        {
            "member_id": ["x", "x", "y", "y"],
            "action": ["foo", "foo", "Bar-Baz", "like"],
            "timestamp": ["2024-01-01"] * 4,
        }
    )
    data = CommunityData.from_frames(events=events)
    b = BehaviourFeatures()
    t = b.build(data, weights=EngagementWeights(default=0.5))
    assert b.warnings_ == ["unknown actions weighted with default_weight=0.5: foo (2), bar-baz (1)"]
    assert t["act_bar_baz"].tolist() == [0, 1]
    assert t["engagement"].tolist() == [1.0, 1.5]
    assert "channel_entropy" in t and not any(c.startswith("chan_") for c in t)
    assert t["n_channels"].tolist() == [1, 1]  # no channel column: all on "unknown"
    b2 = BehaviourFeatures()
    b2.build(CommunityData.from_frames(events=events[events["action"] == "like"]))
    assert b2.warnings_ == []


def test_half_life_decay():
    events = pd.DataFrame(
        {
            "member_id": ["old", "new"],
            "action": ["share", "share"],
            "timestamp": ["2024-01-01T00:00Z", "2024-04-10T00:00Z"],  # 100 days apart
        }
    )
    data = CommunityData.from_frames(events=events)
    flat = BehaviourFeatures().build(data)
    decayed = BehaviourFeatures().build(data, weights=EngagementWeights(half_life_days=50))
    assert flat.loc["old", "engagement"] == flat.loc["new", "engagement"] == 5.0
    assert decayed.loc["new", "engagement"] == pytest.approx(5.0)
    assert decayed.loc["old", "engagement"] == pytest.approx(5.0 * 0.25)
    assert decayed.loc["old", "engagement"] < flat.loc["old", "engagement"]


def test_interaction(data):
    b = InteractionFeatures()
    t = b.build(data)
    _check_table(t, data)
    assert t["received_total"].tolist() == [5, 2, 0, 0, 0, 0]
    assert t["received_distinct"].tolist() == [3, 2, 0, 0, 0, 0]
    assert t["amplifiers"].tolist() == [2, 1, 0, 0, 0, 0]
    np.testing.assert_allclose(t["amplification"], [3 / 4, 1, 0, 0, 0, 0])
    np.testing.assert_allclose(t["received_weight"], [15, 4, 0, 0, 0, 0])
    assert t["engaged_distinct"].tolist() == [0, 1, 2, 2, 0, 0]
    assert b.warnings_ == []


def test_interaction_matrix(data):
    pos = {m: i for i, m in enumerate(MEMBERS)}
    counts = np.zeros((6, 6))
    weights = np.zeros((6, 6))
    for (src, dst), n, w in [
        (("b", "a"), 3, 9),
        (("c", "a"), 1, 5),
        (("c", "b"), 1, 1),
        (("d", "a"), 1, 1),
        (("d", "b"), 1, 3),
    ]:
        counts[pos[src], pos[dst]] = n
        weights[pos[src], pos[dst]] = w
    m = interaction_matrix(data, weighted=False)
    assert m.shape == (6, 6) and m.dtype == np.float64
    np.testing.assert_array_equal(m.toarray(), counts)
    np.testing.assert_array_equal(interaction_matrix(data).toarray(), weights)


def test_weighted_interactions_equal_sql_and_tie_whatever_the_event_order():
    """The weighted matrix (counts per action folded in the actions' sorted order) equals
    the summed action weights of SQL to rounding, with an unknown action, outside and self
    targets; and two members acted on by the same multiset of fractional weights
    in different event orders get the very same weight (a sum in event order gives
    1 + 0.1 + 0.1 != 0.1 + 0.1 + 1)."""
    from clusterkit.data.sql import sql
    from clusterkit.graph.interaction import EDGES_SQL, edge_tables

    rng = np.random.default_rng(3)
    ids = [f"m{i}" for i in range(40)]
    acts = np.array(["like", "view", "newsletter_open", "poke", "share"], dtype=object)
    n_ev = 3000
    events = pd.DataFrame({
        "member_id": rng.choice(ids, n_ev), "timestamp": "2024-01-01",
        "action": rng.choice(acts, n_ev),
        "target_id": rng.choice(ids + ["outside", None], n_ev)})
    tied = [("x", "a", "like"), ("x", "a", "view"), ("x", "a", "view"),
            ("y", "b", "view"), ("y", "b", "view"), ("y", "b", "like")]
    events = pd.concat([events, pd.DataFrame(
        [{"member_id": m, "target_id": t, "action": a, "timestamp": f"2024-01-0{i + 2}"}
         for i, (m, t, a) in enumerate(tied)])], ignore_index=True)
    weights = EngagementWeights(actions={"like": 1.0, "view": 0.1, "newsletter_open": 0.3})
    data = CommunityData.from_frames(events=events)
    m = interaction_matrix(data, weights=weights)
    agg = sql(EDGES_SQL + "SELECT src, dst, sum(weight) AS v FROM edges GROUP BY src, dst",
              **edge_tables(data, weights))
    ref = np.zeros((data.n_members, data.n_members))
    ref[agg["src"].to_numpy(), agg["dst"].to_numpy()] = agg["v"].to_numpy()
    np.testing.assert_allclose(m.toarray(), ref, rtol=1e-12)
    pos = {k: i for i, k in enumerate(data.member_ids)}
    assert m[pos["x"], pos["a"]] == m[pos["y"], pos["b"]] == 1.2
    shuffled = CommunityData.from_frames(events=events.sample(frac=1.0, random_state=0))
    again = interaction_matrix(shuffled, weights=weights)
    assert (again != m).nnz == 0 and m.has_sorted_indices


def test_graph_fixture(data):
    b = GraphFeatures()
    t = b.build(data)
    _check_table(t, data)
    assert t["followers"].tolist() == [4, 1, 1, 0, 0, 0]
    assert t["following"].tolist() == [2, 1, 1, 2, 0, 1]
    assert t["reciprocity"].tolist() == [0.5, 1, 0, 0, 0, 0]
    assert t["reported_followers"].tolist() == [1000, 50, 0, 3, 0, 7]
    g = nx.DiGraph(FOLLOWS)
    g.add_nodes_from(MEMBERS)
    ref = nx.pagerank(g, alpha=0.85, tol=1e-13, max_iter=10_000)
    n_nodes = len(data.node_ids())
    np.testing.assert_allclose(t["pagerank"] / n_nodes, [ref[m] for m in MEMBERS], atol=1e-6)
    assert t.loc["e", "pagerank"] > 0  # isolated: teleport mass only
    core = nx.core_number(g.to_undirected())
    assert t["kcore"].tolist() == [core[m] for m in MEMBERS]


@pytest.mark.parametrize("damping", [0.85, 0.5])
def test_graph_random_reference(damping):
    g = nx.gnp_random_graph(40, 0.1, seed=1, directed=True)
    ids = {v: f"n{v:02d}" for v in g.nodes}
    follows = pd.DataFrame(
        [(ids[u], ids[v]) for u, v in g.edges], columns=["follower_id", "followee_id"]
    )
    members = pd.DataFrame({"member_id": list(ids.values())})
    data = CommunityData.from_frames(members=members, follows=follows)
    t = GraphFeatures(damping=damping).build(data)
    _check_table(t, data)
    nodes = [v for v in sorted(g.nodes, key=ids.get)]
    assert [ids[v] for v in nodes] == list(data.member_ids)
    pr = nx.pagerank(g, alpha=damping, tol=1e-13, max_iter=10_000)
    ours = t["pagerank"].to_numpy()
    np.testing.assert_allclose(ours / ours.sum(), [pr[v] for v in nodes], atol=1e-6)
    assert ours.mean() == pytest.approx(1.0)
    core = nx.core_number(g.to_undirected())
    assert t["kcore"].tolist() == [core[v] for v in nodes]
    assert t["followers"].tolist() == [g.in_degree(v) for v in nodes]
    assert t["following"].tolist() == [g.out_degree(v) for v in nodes]
    hand = [
        len(set(g.successors(v)) & set(g.predecessors(v))) / g.out_degree(v)
        if g.out_degree(v)
        else 0.0
        for v in nodes
    ]
    np.testing.assert_allclose(t["reciprocity"], hand)
    overall = (t["reciprocity"] * t["following"]).sum() / t["following"].sum()
    assert overall == pytest.approx(nx.overall_reciprocity(g))


def test_follows_only():
    _, _, follows = _frames()
    data = CommunityData.from_frames(follows=follows)
    assert "brand" in data.member_ids  # no members table: every account is a member
    for builder in (BehaviourFeatures(), GraphFeatures(), InteractionFeatures()):
        t = builder.build(data)
        _check_table(t, data)
    t = BehaviourFeatures().build(data)
    assert list(t.columns) == list(BASE_COLUMNS)
    assert (t.to_numpy() == 0).all()
    assert (InteractionFeatures().build(data).to_numpy() == 0).all()
    assert interaction_matrix(data).nnz == 0


def test_events_only():
    members, events, _ = _frames()
    data = CommunityData.from_frames(members=members, events=events)
    t = GraphFeatures().build(data)
    _check_table(t, data)
    assert t["followers"].tolist() == [1000, 50, 0, 3, 0, 7]  # reported, NaN -> 0
    assert (t[["following", "reciprocity", "pagerank", "kcore"]].to_numpy() == 0).all()
    data = CommunityData.from_frames(events=events)
    t = GraphFeatures().build(data)
    _check_table(t, data)
    assert "reported_followers" not in t and (t.to_numpy() == 0).all()
    for builder in (BehaviourFeatures(), InteractionFeatures()):
        _check_table(builder.build(data), data)


def test_permutation_invariance():
    members, events, follows = _frames()
    rng = np.random.default_rng(0)

    def shuffle(df):
        return df.iloc[rng.permutation(len(df))].reset_index(drop=True)

    def tables(d):
        return [
            BehaviourFeatures().build(d, weights=EngagementWeights(half_life_days=3)),
            GraphFeatures().build(d),
            InteractionFeatures().build(d),
            pd.DataFrame(interaction_matrix(d).toarray()),
        ]

    base = tables(CommunityData.from_frames(members=members, events=events, follows=follows))
    for _ in range(3):
        other = tables(
            CommunityData.from_frames(
                members=shuffle(members), events=shuffle(events), follows=shuffle(follows)
            )
        )
        for x, y in zip(base, other, strict=True):
            pd.testing.assert_frame_equal(x, y)


def test_build_features(data, monkeypatch):
    monkeypatch.setattr(registry, "_loaded", True)  # only this package's builders needed
    table, warnings = build_features(
        data, [("behaviour", {}), ("graph", None), ("interaction", {})],
        weights=EngagementWeights(actions={"like": 2}),
    )
    _check_table(table, data)
    pd.testing.assert_frame_equal(table[["followers"]], GraphFeatures().build(data)[["followers"]])
    assert table.loc["a", "received_distinct"] == 3
    assert warnings == []
    with pytest.raises(ConfigError, match="both produce"):
        build_features(data, [("graph", {}), ("graph", {"damping": 0.5})])
    with pytest.raises(ConfigError):
        build_features(data, [("graph", {"dampening": 0.5})])
