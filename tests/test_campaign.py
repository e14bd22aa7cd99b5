"""Campaigns: cascade reconstruction and shape, spec errors, the CLI, row-order invariance."""

import json

import networkx as nx
import numpy as np
import pandas as pd
import pytest

from clusterkit.campaign import CARD_COLUMNS, load_campaign, resolve_campaign, run_campaign
from clusterkit.campaign.cascades import (
    build_cascades,
    cascade_forest,
    cascade_shape,
    structural_virality,
)
from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError
from clusterkit.synthetic.campaign import generate_campaign

# --------------------------------------------------------------------------------------------
# structural virality


@pytest.mark.parametrize("seed", range(6))
def test_structural_virality_equals_networkx_mean_distance(seed):
    rng = np.random.default_rng(seed)
    sizes = rng.integers(2, 60, size=4)
    parents, trees, offset = [], [], 0
    for t, n in enumerate(sizes):  # a forest of random recursive trees, shuffled positions
        p = np.array([-1] + [offset + rng.integers(i) for i in range(1, n)])
        parents.append(p)
        trees.append(np.full(n, t))
        offset += n
    parent, tree = np.concatenate(parents), np.concatenate(trees)
    perm = rng.permutation(len(parent))
    inv = np.argsort(perm)
    shuffled = np.where(parent[perm] >= 0, inv[np.maximum(parent[perm], 0)], -1)
    got = structural_virality(shuffled, tree[perm])
    for t in range(len(sizes)):
        nodes = np.flatnonzero(tree == t)
        g = nx.Graph([(int(i), int(parent[i])) for i in nodes if parent[i] >= 0])
        assert got[t] == pytest.approx(nx.average_shortest_path_length(g), rel=1e-12)


def test_structural_virality_star_vs_chain():
    n = 50
    star = np.array([-1] + [0] * (n - 1))
    chain = np.arange(-1, n - 1)
    sv = structural_virality(np.concatenate([star, chain + n * (chain >= 0)]),
                             np.repeat([0, 1], n))
    assert sv[0] == pytest.approx(2 * (n - 1) / n)  # a broadcast: just under 2
    assert sv[1] == pytest.approx((n + 1) / 3)  # a path: (n + 1) / 3


# --------------------------------------------------------------------------------------------
# cascade reconstruction on a hand-made fixture

T0 = pd.Timestamp("2026-03-01", tz="UTC")


def _ev(member, action, hours, target=None, content=None, topic=None):
    return {"member_id": member, "action": action, "timestamp": T0 + pd.Timedelta(hours=hours),
            "target_id": target, "content_id": content, "topic": topic}


def fixture_data():
    ev = [
        _ev("b1", "post", -200, content="c1"), _ev("b2", "post", -200, content="c2"),
        _ev("u9", "post", -200, content="c9"),
        _ev("u1", "retweet", 1, "b1", "c1"),   # parent b1 (follows no earlier node)
        _ev("u2", "retweet", 2, "u1", "c1"),   # explicit parent u1
        _ev("u3", "retweet", 3, "b1", "c1"),   # ambiguous: follows u1 and u2 -> u2 (latest)
        _ev("u4", "retweet", 0.5, "u2", "c1"),  # u2 not yet in the cascade: no adoption
        _ev("u4", "mention", 4, "u3"),         # later, via u3 (no content): parent u3
        _ev("u5", "retweet", 1, "b2", "c2"),   # b2's cascade
        _ev("u6", "retweet", 5, "u1", "c9"),   # content by u9: never joins
        _ev("u7", "retweet", 300, "b1", "c1"),  # after the window
        _ev("u8", "like", 2, "b1", "c1"),      # not a cascade action
        _ev("u1", "retweet", 6, "b1", "c1"),   # a repeat: amplification, no new node
        _ev("u1", "purchase", -500), _ev("u8", "purchase", -400), _ev("u8", "like", -100),
        _ev("u5", "like", -1000), _ev("u9", "like", -1000), _ev("u6", "like", -900),
        _ev("u2", "like", 30), _ev("u6", "like", 40),
    ]
    follows = pd.DataFrame({"follower_id": ["u3", "u3", "u2", "u8", "u9", "u6", "u1"],
                            "followee_id": ["u1", "u2", "u1", "u3", "b2", "b1", "b1"]})
    members = pd.DataFrame({"member_id": ["b1", "b2"], "handle": ["@Blogger.One", "@b2"]})
    return CommunityData.from_frames(events=pd.DataFrame(ev), follows=follows, members=members)


def fixture_spec(**kw):
    base = {"bloggers": [{"member": "b1"}, {"member": "@b2", "cost": 100}],
            "window": {"start": "2026-03-01", "end": "2026-03-08"},
            "pre_period": {"start": "2026-02-01", "end": "2026-03-01"}}
    return load_campaign(base | kw)


def test_cascade_reconstruction_fixture():
    data = fixture_data()
    camp = resolve_campaign(fixture_spec(), data)
    assert camp.bloggers == ("b1", "b2")  # the handle resolved
    casc = build_cascades(data, camp)
    got = {(r.blogger, r.member_id): (r.parent_id if pd.notna(r.parent_id) else None, r.depth,
                                      r.via) for r in casc.nodes.itertuples()}
    assert got == {
        ("b1", "b1"): (None, 0, "root"), ("b1", "u1"): ("b1", 1, "blogger"),
        ("b1", "u2"): ("u1", 2, "target"), ("b1", "u3"): ("u2", 3, "follow"),
        ("b1", "u4"): ("u3", 4, "target"),
        ("b2", "b2"): (None, 0, "root"), ("b2", "u5"): ("b2", 1, "blogger"),
    }
    shape = casc.shape
    assert shape.loc["b1", ["size", "depth", "max_breadth", "adopters"]].tolist() == [5, 4, 1, 4]
    assert shape.loc["b1", "structural_virality"] == pytest.approx(2.0)  # a 5-node path
    # retweets of b1's content in the window: u1 twice, u2, u3 and u4's early one (which
    # joins nothing: u2 had not reshared yet); not u7's (after the window)
    assert shape.loc["b1", "retweets"] == 5
    assert shape.loc["b1", "amplifications"] == 5  # + u4's mention
    assert np.isnan(cascade_shape(casc.forest[casc.forest["root"] == 0], 2).loc[
        1, "structural_virality"])


def test_cascade_forest_author_mode_uses_follow_graph():
    # target_is="author": every event names the root; parents come from the follow graph
    follows = {(2, 1), (3, 2), (3, 1)}

    def pairs(a, b):
        e = [(s, d) for s, d in follows if s in set(a.tolist()) and d in set(b.tolist())]
        return np.array([s for s, _ in e]), np.array([d for _, d in e])

    f = cascade_forest([1, 2, 3, 4], [0, 0, 0, 2], [10, 20, 30, 40], roots=[0],
                       target_is="author", follow_pairs=pairs)
    assert dict(zip(f["node"], f["parent"], strict=True)) == {0: -1, 1: 0, 2: 1, 3: 2}
    # event order does not matter
    g = cascade_forest([3, 2, 1, 4], [0, 0, 0, 2], [30, 20, 10, 40], roots=[0],
                       target_is="author", follow_pairs=pairs)
    pd.testing.assert_frame_equal(f, g)


def test_new_reactivated_and_attribution_on_fixture():
    data = fixture_data()
    res = run_campaign(fixture_spec(bootstrap=200, dormancy_days=30), data, attribution=False)
    card = res.cards.set_index("blogger")
    # exposed to b1: u1..u4 (adopters) + followers u3, u2, u8 (of u3), u6, u1 (of b1)
    assert card.loc["b1", "reach"] == 6
    # engaged: adopters u1..u4, u6 and u8 (active in the outcome period); new: u2, u3, u4
    # (no event before the window); reactivated: u6 (last event 900 h before the window)
    assert card.loc["b1", "engaged"] == 6
    assert card.loc["b1", "new_members"] == 3
    assert card.loc["b1", "reactivated_members"] == 1
    assert card.loc["b2", "cost"] == 100
    assert list(res.cards.columns) == list(CARD_COLUMNS)


# --------------------------------------------------------------------------------------------
# spec errors: one clear line each


@pytest.mark.parametrize("change, expected", [
    ({"bloggers": ["nobody"]}, "bloggers[0]: 'nobody' is not a member id or handle"),
    ({"bloggers": ["b1", "@blogger.one"]}, "member 'b1' is listed twice"),
    ({"window": {"start": "2027-01-01", "end": "2027-01-08"}}, "lies outside the data"),
    ({"pre_period": {"start": "2026-02-01", "end": "2026-03-03"}}, "overlaps the window"),
    ({"pre_period": {"start": "2025-01-01", "end": "2025-02-01"}}, "before the data"),
    ({"pre_period": {"start": "2026-02-25", "end": "2026-03-01"}}, "at least 14 days"),
    ({"content_ids": ["zz"]}, "content_ids: ['zz'] appear in no event"),
    ({"topic": "#nothing"}, "no event has topic '#nothing'"),
    ({"windw": {}}, "unknown key 'windw'. Did you mean 'window'?"),
    ({"attribution_days": -1}, "attribution_days: Input should be greater than 0"),
])
def test_spec_errors_are_one_clear_line(change, expected):
    with pytest.raises(ConfigError) as info:
        resolve_campaign(fixture_spec(**change), fixture_data())
    msg = str(info.value)
    assert expected in msg and "\n" not in msg


# --------------------------------------------------------------------------------------------
# CLI


def _fake_run(tmp_path, data_dir, n_members):
    """The parts of a run folder that the campaign command reads."""
    run = tmp_path / "run"
    run.mkdir(parents=True)
    (run / "manifest.json").write_text(json.dumps({
        "sources": {"events": str(data_dir / "events.csv")}, "n_members": n_members}))
    pd.DataFrame({"member_id": ["b1"], "role": ["blogger"], "segment": ["s1"]}).to_parquet(
        run / "segments.parquet")
    return run


@pytest.fixture(scope="module")
def small_campaign(tmp_path_factory):
    sc = generate_campaign(1500, seed=3)
    return sc, sc.write(tmp_path_factory.mktemp("camp") / "data")


def test_cli_campaign_writes_folder_and_exit_codes(small_campaign, tmp_path, capsys):
    sc, folder = small_campaign
    run = _fake_run(tmp_path, folder, 1500)
    code = main(["campaign", str(run), str(folder / "campaign.yaml"), "--out",
                 str(tmp_path / "out")])
    out = capsys.readouterr()
    assert code == 0, out.err
    cards = pd.read_csv(tmp_path / "out" / "campaign.csv")
    assert list(cards.columns) == list(CARD_COLUMNS) and cards["label"].tolist() == ["A", "B"]
    assert (tmp_path / "out" / "campaign.html").stat().st_size > 100_000  # plotly inlined
    assert "incremental" in out.out and "community conversions: actual" in out.out
    bad = tmp_path / "bad.yaml"
    for text, expected in [
        ("bloggers: [ghost]\nwindow: {start: 2026-05-01, end: 2026-05-08}\n",
         "'ghost' is not a member id or handle"),
        ("bloggers: [m000001]\nwindow: {start: 2026-05-01, end: 2026-05-08}\n"
         "pre_period: {start: 2026-04-01, end: 2026-05-03}\n", "overlaps the window"),
        ("bloggers: [m000001]\nwindow: {start: 2030-05-01, end: 2030-05-08}\n",
         "lies outside the data"),
    ]:
        bad.write_text(text)
        code = main(["campaign", str(run), str(bad)])
        err = capsys.readouterr().err
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
        assert expected in lines[0]
    # a folder that is neither a run nor a dataset: one line, exit 2
    assert main(["campaign", str(tmp_path), str(folder / "campaign.yaml")]) == 2
    assert "no events or follows file" in capsys.readouterr().err
    wrong = _fake_run(tmp_path / "w", folder, 99)
    assert main(["campaign", str(wrong), str(folder / "campaign.yaml")]) == 2
    assert "was made from 99" in capsys.readouterr().err


def test_cli_campaign_needs_no_prior_run(small_campaign, tmp_path, capsys):
    """Given the dataset folder, the campaign computes the roles it needs itself."""
    sc, folder = small_campaign
    out = tmp_path / "out"
    code = main(["campaign", str(folder), str(folder / "campaign.yaml"), "--out", str(out)])
    assert code == 0, capsys.readouterr().err
    cards = pd.read_csv(out / "campaign.csv")
    assert cards["label"].tolist() == ["A", "B"]
    assert cards["role"].notna().all()


# --------------------------------------------------------------------------------------------
# row-order invariance


def test_row_order_invariance(small_campaign):
    sc, _ = small_campaign
    rng = np.random.default_rng(0)
    shuffled = {k: v.sample(frac=1.0, random_state=rng.integers(1 << 31)).reset_index(drop=True)
                for k, v in sc.tables.items()}
    spec = load_campaign(sc.spec | {"bootstrap": 300})
    a = run_campaign(spec, CommunityData.from_frames(**sc.tables), attribution=False)
    b = run_campaign(spec, CommunityData.from_frames(**shuffled), attribution=False)
    pd.testing.assert_frame_equal(a.cards, b.cards)
    pd.testing.assert_frame_equal(a.cascades.nodes, b.cascades.nodes)
    pd.testing.assert_frame_equal(a.exposure, b.exposure)
    assert a.manifest["counterfactual"] == b.manifest["counterfactual"]


def test_bloggers_as_channels_in_attribution(small_campaign):
    pytest.importorskip("clusterkit.attribution")
    sc, _ = small_campaign
    res = run_campaign(load_campaign(sc.spec | {"bootstrap": 200}),
                       CommunityData.from_frames(**sc.tables))
    table = res.attribution
    assert {"blogger:A", "blogger:B"} <= set(table["touch"])
    assert table["share"].sum() == pytest.approx(1.0)
    card = res.cards.set_index("label")
    assert card.loc["B", "attribution_share"] > card.loc["A", "attribution_share"]
    with pytest.raises(ConfigError, match="attribution_model: unknown model 'modle'. Did you "
                                          "mean 'model'"):
        run_campaign(load_campaign(sc.spec | {"attribution_model": "modle"}),
                     CommunityData.from_frames(**sc.tables))
