"""Roles learned from labelled members (clusterkit.stages.roles.learned)."""

import numpy as np
import pandas as pd
import pytest

from clusterkit.errors import ConfigError
from clusterkit.stages.roles.calibrate import calibrate_roles
from clusterkit.stages.roles.learned import learned_roles


def _planted(n=3000, seed=0, influencer_share=0.05):
    """Fans told by breadth (channels), which a threshold on volume misses."""
    rng = np.random.default_rng(seed)
    u = rng.random(n)
    role = np.where(u < influencer_share, "influencer",
                    np.where(u < influencer_share + 0.25, "fan", "follower")).astype(object)
    fan, inf = role == "fan", role == "influencer"
    X = pd.DataFrame({
        "n_events": rng.poisson(np.where(fan, 7, 5)) + 1,
        "n_channels": np.where(fan, rng.integers(3, 6, n), rng.integers(1, 3, n)),
        "amplifiers": rng.poisson(np.where(inf, 60, 1)),
        "followers": rng.poisson(np.where(inf, 400, 20)),
    }, index=[f"m{i:05d}" for i in range(n)])
    base = np.where(X["amplifiers"] > 30, "influencer",
                    np.where(X["n_events"] > 9, "fan", "follower")).astype(object)
    return X, role, base


def _labels(role, per_role, seed=1):
    rng = np.random.default_rng(seed)
    return np.sort(np.concatenate([rng.choice(np.flatnonzero(role == r), per_role, replace=False)
                                   for r in np.unique(role)]))


def test_model_corrects_thresholds_that_miss_breadth_and_explains_itself():
    X, role, base = _planted()
    pos = _labels(role, 30)
    roles, conf, text, second, report = learned_roles(X, base, pos, role[pos],
                                                      random_state=0)
    assert report["model"] == "logistic"
    assert report["cv_macro_f1_model"] > report["cv_macro_f1_thresholds"]
    rest = np.setdiff1d(np.arange(len(X)), pos)
    assert (roles[rest] == role[rest]).mean() > (base[rest] == role[rest]).mean() + 0.1
    changed = roles != base
    assert changed.sum() == report["changed"] > 0
    assert all(t.startswith(f"{r}: a model of 90 labelled members") for t, r in
               zip(text[changed], roles[changed], strict=True))
    fans_found = changed & (roles == "fan")
    assert np.mean(["n_channels" in t for t in text[fans_found]]) > 0.9  # the evidence used
    assert ((conf > 0) & (conf <= 1)).all()
    assert (second != roles).all() and set(second) <= set(role)  # the next most probable


def test_balanced_labels_do_not_inflate_a_rare_role():
    """Label shift: 50 labels of each role, 5 % influencers in the population."""
    X, role, base = _planted(influencer_share=0.05, seed=3)
    pos = _labels(role, 50)
    roles, _, _, _, report = learned_roles(X, base, pos, role[pos], model="logistic",
                                        random_state=0)
    assert abs(report["shares"]["influencer"] - (role == "influencer").mean()) < 0.02
    assert abs((roles == "influencer").mean() - (role == "influencer").mean()) < 0.02


def test_thresholds_stand_with_few_labels_or_when_they_already_agree():
    X, role, base = _planted()
    pos = _labels(role, 10)
    roles, *_, report = learned_roles(X, base, pos, role[pos], random_state=0)
    assert roles is None and report["model"] == "thresholds"
    assert "fewer than 15 calibration labels" in report["reason"]
    pos = _labels(role, 40)
    roles, *_, report = learned_roles(X, role.copy(), pos, role[pos], random_state=0)
    assert roles is None and "bootstrap draws of the labels" in report["reason"]
    assert report["model_better_share"] < 0.8


def test_a_few_labels_of_a_role_the_thresholds_never_assign_are_set_aside():
    X, role, base = _planted()
    pos = _labels(role, 30)
    true = role[pos].copy()
    true[:3] = "blogger"  # three bloggers, a role nobody has here
    roles, *_, report = learned_roles(X, base, pos, true, model="logistic", random_state=0)
    assert report["too_few_to_learn"] == {"blogger": 3}
    assert "blogger" not in set(roles)


def test_no_fan_without_events_and_such_labels_are_not_learned():
    X, role, base = _planted()
    X["n_events"] = 0  # a follower graph alone: nothing shows what a fan does
    base = np.where(X["amplifiers"] > 30, "influencer", "follower").astype(object)
    pos = _labels(role, 30)
    roles, *_, report = learned_roles(X, base, pos, role[pos], model="logistic",
                                      random_state=0)
    assert report["unlearnable_labels"] == 30
    assert set(roles) <= {"influencer", "follower"}
    X, role, base = _planted()
    pos = _labels(role, 30)
    quiet = np.setdiff1d(np.flatnonzero(role == "fan"), pos)[:200]
    X.iloc[quiet, X.columns.get_loc("n_events")] = 0  # look like fans, but did nothing
    roles, *_ = learned_roles(X, base, pos, role[pos], model="logistic", random_state=0)
    assert not np.isin(roles[quiet], ["fan", "blogger"]).any()
    assert (roles[np.setdiff1d(np.flatnonzero(role == "fan"), quiet)] == "fan").mean() > 0.6


def test_calibrate_roles_uses_the_model_and_reports_it():
    from clusterkit.data import CommunityData
    from clusterkit.features import build_features
    from clusterkit.stages.roles.rules import RuleRoles
    from clusterkit.synthetic import generate

    synth = generate(1500, seed=4)
    data = CommunityData.from_frames(**synth.tables)
    X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    truth = synth.truth.reindex(X.index)["role"].astype(str)
    picked = pd.concat([g.sample(min(len(g), 30), random_state=0)
                        for _, g in truth.groupby(truth)]).sort_index()
    for model in ("thresholds", "logistic"):
        stage, report = calibrate_roles(RuleRoles(), X, picked, data=data, random_state=0,
                                        model=model)
        assert report["model"]["model"] == model
        roles = pd.Series(stage.roles_, index=X.index)
        assert (roles.loc[picked.index] == picked).all()
        if model == "logistic":  # a role the model changed has another role second
            said = np.asarray(stage.explanations_, dtype=object)
            moved = pd.Series(said).str.contains("a model of").to_numpy()
            assert moved.any() and (np.asarray(stage.secondary_)[moved]
                                    != np.asarray(stage.roles_)[moved]).all()
    with pytest.raises(ConfigError, match="labels_model='forest'"):
        calibrate_roles(RuleRoles(), X, picked, model="forest")


def test_a_bad_labels_model_is_one_line_and_exit_2(tmp_path, capsys):
    from clusterkit.cli.app import main
    from clusterkit.synthetic import generate

    data_dir = generate(200, seed=1).write(tmp_path / "data")
    code = main(["run", "--data", str(data_dir), "--out", str(tmp_path / "run"),
                 "--no-report", "--set", "labels_model=forest"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and len(err.splitlines()) == 1 and "labels_model" in err
    assert not (tmp_path / "run").exists()


def test_a_labelled_run_is_the_same_in_any_row_order(tmp_path):
    from clusterkit import Pipeline
    from clusterkit.config import RunConfig
    from clusterkit.data import CommunityData
    from clusterkit.synthetic import generate

    synth = generate(2000, seed=6)
    truth = synth.truth["role"]
    picked = pd.concat([g.sample(min(len(g), 30), random_state=1)
                        for _, g in truth.groupby(truth)]).sample(frac=1, random_state=2)
    path = tmp_path / "labels.csv"
    picked.rename("role").rename_axis("member_id").to_csv(path)
    config = RunConfig(labels_file=str(path), labels_model="logistic")
    shuffled = {k: v.sample(frac=1, random_state=3) for k, v in synth.tables.items()}
    a, b = (Pipeline(config).run(CommunityData.from_frames(**t), until="roles")
            for t in (synth.tables, shuffled))
    assert a.roles.calibration_["model"]["model"] == "logistic"
    for attr in ("roles_", "explanations_", "secondary_", "confidence_"):
        assert np.array_equal(np.asarray(getattr(a.roles, attr)),
                              np.asarray(getattr(b.roles, attr)))


def test_member_attributes_keep_sign_missing_values_dates_and_flags():
    from clusterkit.data import CommunityData
    from clusterkit.stages.roles.learned import _design, member_attributes

    ids = ["a", "b", "c", "d"]
    data = CommunityData.from_frames(members=pd.DataFrame({
        "member_id": ids, "score": [-3.0, -0.5, np.nan, 2.0],
        "views": [np.nan, 0.0, 10.0, np.inf], "verified": [True, False, True, False],
        "created_at": ["2020-01-01", "2021-01-01", None, "2022-01-01"], "bio": list("wxyz")}),
        follows=pd.DataFrame({"follower_id": ["a"], "followee_id": ["b"]}))
    A = member_attributes(data, ids[::-1])
    assert list(A.columns) == ["attr_score", "attr_views", "attr_verified", "attr_created_at"]
    assert A.loc["a", "attr_created_at"] == 731 and np.isnan(A.loc["c", "attr_created_at"])
    Z, names = _design(A.loc[ids], np.full(4, "follower", dtype=object), ["follower"])
    score, views = Z[:, 0], Z[:, 1]
    assert score[0] < score[1] < score[3] and score[2] == score[1]  # NaN: the median, -0.5
    assert views[3] == views[2] and views[1] < views[2]  # inf: the largest finite value
    assert np.isfinite(Z).all()


def test_shares_count_only_the_roles_a_member_may_have_and_bad_parameters_fail():
    X, role, base = _planted()
    pos = _labels(role, 30)
    quiet = np.setdiff1d(np.flatnonzero(role == "fan"), pos)[:600]
    X.iloc[quiet, X.columns.get_loc("n_events")] = 0
    roles, *_, report = learned_roles(X, base, pos, role[pos], model="logistic",
                                      random_state=0)
    assert abs(report["shares"]["fan"] - (roles == "fan").mean()) < 0.03
    with pytest.raises(ConfigError, match="boot=0"):
        learned_roles(X, base, pos, role[pos], boot=0)
    with pytest.raises(ConfigError, match="model='forest'"):
        learned_roles(X, base, pos, role[pos], model="forest")
