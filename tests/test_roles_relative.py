"""Roles, influence and segments that follow the data, not constants (issue 16).

Planted structure, checked as properties: depth makes a fan, not volume; thresholds are
read from the data; influence uses what the data has and says so; segments keep their
minimum size and say what sets them apart.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline
from clusterkit.stages.roles.evidence import natural_break
from clusterkit.stages.roles.rules import RuleRoles
from clusterkit.stages.scoring.influence import influence_table
from clusterkit.synthetic import generate


def _members(n_fans, n_followers, n_likers, seed=0):
    """A feature table: deep fans, quiet followers and busy one-channel likers."""
    rng = np.random.default_rng(seed)
    n = n_fans + n_followers + n_likers
    X = pd.DataFrame(0.0, index=[f"m{i:04d}" for i in range(n)],
                     columns=["act_comment", "act_share", "act_like", "act_view",
                              "active_days", "tenure_days", "n_events", "amplifiers",
                              "followers"])
    f = slice(0, n_fans)
    X.iloc[f, 0] = rng.poisson(8, n_fans)
    X.iloc[f, 1] = rng.poisson(4, n_fans)
    X.iloc[f, 2] = rng.poisson(5, n_fans)
    fo = slice(n_fans, n_fans + n_followers)
    X.iloc[fo, 3] = rng.poisson(6, n_followers)
    X.iloc[fo, 2] = rng.poisson(1, n_followers)
    li = slice(n_fans + n_followers, n)
    X.iloc[li, 2] = rng.poisson(150, n_likers)  # very busy, but likes only
    X["tenure_days"] = 120.0
    X["active_days"] = 10.0
    X["n_events"] = X[["act_comment", "act_share", "act_like", "act_view"]].sum(axis=1)
    truth = np.array(["fan"] * n_fans + ["follower"] * (n_followers + n_likers), dtype=object)
    return X, truth


def test_busy_likers_are_followers_and_deep_reactors_are_fans():
    X, truth = _members(120, 300, 80)
    roles = RuleRoles().fit(X).roles_
    likers = slice(420, 500)
    assert np.mean(roles[likers] == "fan") <= 0.05
    assert np.mean(roles[:120] == "fan") >= 0.9
    assert np.mean(roles[120:420] == "follower") >= 0.95


def test_fan_threshold_is_read_from_the_data():
    """The same members, ten times as active: the threshold moves with the data."""
    X, _ = _members(120, 300, 80)
    busy = X.copy()
    busy[["act_comment", "act_share", "act_like", "act_view"]] *= 10
    a, b = RuleRoles().fit(X), RuleRoles().fit(busy)
    assert b.thresholds_["fan_rate"] > 3 * a.thresholds_["fan_rate"]
    assert np.mean(a.roles_ == b.roles_) >= 0.95
    assert "break between the active members' two modes" in a.explanations_[0]


def test_natural_break_separates_modes_and_needs_variety():
    v = np.r_[np.zeros(100), np.full(40, 3.0), np.full(10, 8.0)]
    assert 0 < natural_break(v, 2) < 3
    assert 3 < natural_break(v, 3) < 8
    assert natural_break(np.ones(10), 2) == np.inf


def test_influence_renormalises_over_what_the_data_supports():
    """Graph only: the score is not capped by the weight of components that need events."""
    follows = pd.DataFrame({"follower_id": [f"f{i}" for i in range(30)] + ["a", "b"],
                            "followee_id": ["hub"] * 30 + ["b", "a"]})
    data = CommunityData.from_frames(follows=follows)
    X = pd.DataFrame({"followers": data.follow_matrix()[:data.n_members].sum(axis=0)[
        :data.n_members]}, index=data.member_ids)
    tab = influence_table(data, X, random_state=0)
    assert tab["influence"].max() == pytest.approx(1.0)
    assert tab["influence"].idxmax() == "hub"
    assert "amplification" not in tab.attrs["components"]
    assert any(n.startswith("amplification: no evidence") for n in tab.attrs["notes"])


def test_mutual_graph_rewards_the_hub_not_its_friends():
    """On a friendship graph, a hub's friends have a large two-hop reach; the hub leads."""
    hub_friends = [f"h{i}" for i in range(40)]
    edges = [("hub", f) for f in hub_friends] + [(f"h{i}", f"x{i}") for i in range(40)]
    src, dst = zip(*edges, strict=True)
    follows = pd.DataFrame({"follower_id": list(src) + list(dst),
                            "followee_id": list(dst) + list(src)})
    data = CommunityData.from_frames(follows=follows)
    X = pd.DataFrame({"followers": np.zeros(data.n_members)}, index=data.member_ids)
    tab = influence_table(data, X, random_state=0)
    assert set(tab.attrs["components"]) == {"authority"}
    assert tab.loc["hub", "influence"] > tab.loc[hub_friends, "influence"].max()


def test_declared_views_are_a_component():
    follows = pd.DataFrame({"follower_id": ["a", "b", "c", "d"],
                            "followee_id": ["b", "c", "d", "a"]})
    members = pd.DataFrame({"member_id": ["a", "b", "c", "d"], "views": [10, 5000, 20, 30]})
    data = CommunityData.from_frames(members=members, follows=follows)
    X = pd.DataFrame({"followers": np.ones(4)}, index=data.member_ids)
    tab = influence_table(data, X, random_state=0)
    assert "views" in tab.attrs["components"]
    assert tab["influence"].idxmax() == "b"


def test_graph_only_run_keeps_min_size_names_every_segment_and_warns():
    synth = generate(1500, seed=3)
    data = CommunityData.from_frames(follows=synth.tables["follows"])
    result = Pipeline().run(data)
    summary = result.summary
    real = summary[summary["segment"] != "outliers"]
    # a cluster never falls below min_size; a whole role smaller than it stays one segment
    # (merging it away would hide the role, e.g. a community's few influencers)
    role_size = result.segments["role"].value_counts()
    small = real[real["size"] < 40]
    assert (small["size"].to_numpy() == role_size.reindex(small["dominant_role"]).to_numpy()
            ).all()
    assert (real["defining_features"].str.len() > 0).all()
    assert not real["segment"].str.startswith("core ").any()
    warnings = " ".join(result.manifest["warnings"])
    assert "no events" in warnings and "no members table" in warnings
    assert set(result.segments["role"]) <= {"influencer", "follower"}
    top = summary.iloc[0]["top_members"].split()
    seg = result.segments.set_index("member_id")
    assert seg.loc[top, "influence"].is_monotonic_decreasing  # flat engagement: by influence


def _labels_file(tmp_path, rows):
    path = tmp_path / "labels.csv"
    path.write_text("member_id,role\n" + "".join(f"{m},{r}\n" for m, r in rows))
    return path


def test_labels_calibrate_report_held_back_agreement_and_keep_given_roles(tmp_path):
    from clusterkit.config import RunConfig

    synth = generate(800, seed=5)
    data = CommunityData.from_frames(**synth.tables)
    truth = synth.truth.reindex(data.member_ids)["role"]
    picked = truth.sample(120, random_state=0)
    path = _labels_file(tmp_path, picked.items())
    result = Pipeline(RunConfig(labels_file=str(path))).run(data)
    report = result.metrics["roles"]["labels"]
    assert report["labels"] == 120 and report["held_back"] == 36
    assert 0 <= report["held_back_macro_f1_after"] <= 1
    seg = result.segments.set_index("member_id")
    assert (seg.loc[picked.index, "role"] == picked).all()  # given roles are kept
    assert seg.loc[picked.index, "explanation"].str.startswith("given in the labels file").all()


@pytest.mark.parametrize("rows, message", [
    ([("nobody", "fan")], "not members of the data"),
    ([("m000001", "superfan")], "unknown role"),
    ([("m000001", "fan"), ("m000001", "blogger")], "labelled more than once"),
])
def test_bad_labels_are_one_line_and_exit_2(tmp_path, capsys, rows, message):
    from clusterkit.cli.app import main

    data_dir = generate(200, seed=1).write(tmp_path / "data")
    path = _labels_file(tmp_path, rows)
    code = main(["run", "--data", str(data_dir), "--out", str(tmp_path / "run"),
                 "--no-report", "--set", f"labels_file={path}"])
    err = capsys.readouterr().err.strip()
    assert code == 2
    assert len(err.splitlines()) == 1 and message in err and "labels.csv" in err
    assert not (tmp_path / "run").exists()  # nothing half-written
