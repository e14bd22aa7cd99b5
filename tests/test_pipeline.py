"""The whole chain: quality against planted truth, determinism, partial data, run folder."""

import json

import numpy as np
import pandas as pd
import pytest

from clusterkit import save_run
from clusterkit.config import RunConfig, apply_overrides
from clusterkit.data import CommunityData, load_dataset
from clusterkit.metrics import nmi, role_macro_f1
from clusterkit.pipeline import Pipeline
from clusterkit.results import RUN_FILES, load_run

QUICK = RunConfig(attribution={"enabled": False})  # for runs whose checks never read it


@pytest.fixture(scope="module")
def result(synth_data):
    return Pipeline().run(synth_data)


def test_roles_match_planted_truth(result, synth):
    truth = synth.truth.reindex(result.segments["member_id"])
    assert role_macro_f1(truth["role"], result.segments["role"]) >= 0.85


def test_communities_match_planted_truth(result, synth):
    truth = synth.truth.reindex(result.segments["member_id"])
    assert nmi(truth["community"], result.segments["community"]) >= 0.9


def test_every_member_once_with_one_role(result, synth_data):
    seg = result.segments
    assert list(seg["member_id"]) == list(synth_data.member_ids)
    assert set(seg["role"]) <= {"influencer", "blogger", "fan", "follower"}
    assert seg["explanation"].str.len().min() > 10
    assert seg["confidence"].between(0, 1).all()
    assert not seg.isna().any().any()


def test_summary_is_consistent(result):
    s = result.summary
    assert s["size"].sum() == len(result.segments)
    assert s["segment"].is_unique
    assert np.isclose(s["engagement_share"].sum(), 1.0)
    roles = s[["role_influencer", "role_blogger", "role_fan", "role_follower"]].sum(axis=1)
    assert np.allclose(roles, 1.0)
    assert np.isclose(s["engagement_total"].sum(), result.segments["engagement_weight"].sum())


def test_influence_is_not_follower_count(result, synth):
    """Members with bought followers rank low on influence despite high reported counts."""
    seg = result.segments.set_index("member_id")
    truth = synth.truth.reindex(seg.index)
    bought = truth["bought_followers"].to_numpy(dtype=bool)
    infl = (truth["role"] == "influencer").to_numpy()
    assert seg["influence"][bought].median() < seg["influence"][infl].median() - 0.3


def test_run_folder_contract(result, synth_data, tmp_path):
    out = save_run(result, tmp_path / "run", data=synth_data)
    for name in RUN_FILES:
        assert (out / name).is_file(), name
    seg = pd.read_csv(out / "segments.csv")
    assert list(seg.columns) == ["member_id", "segment", "segment_key", "role", "cluster",
                                 "community",
                                 "engagement_weight", "influence", "confidence", "membership",
                                 "outlier", "explanation", "secondary_role"]
    manifest = json.loads((out / "manifest.json").read_text())
    for key in ("config", "config_hash", "data_fingerprint", "seed", "versions", "timings_s"):
        assert key in manifest
    back = load_run(out)
    assert list(back.segments["member_id"]) == list(result.segments["member_id"])
    assert not list(tmp_path.glob(".run.*"))  # no temporary folder left behind


def _segments_csv(data, tmp_path, name, config=QUICK):
    result = Pipeline(config).run(data)
    return (result.save(tmp_path / name) / "segments.csv").read_bytes()


def test_same_seed_gives_identical_bytes(small_synth, tmp_path):
    data = CommunityData.from_frames(**small_synth.tables)
    assert _segments_csv(data, tmp_path, "a") == _segments_csv(data, tmp_path, "b")


def test_shuffled_input_rows_give_identical_bytes(small_synth, tmp_path):
    rng = np.random.default_rng(3)
    shuffled = {
        name: df.iloc[rng.permutation(len(df))][list(rng.permutation(df.columns))]
        for name, df in small_synth.tables.items()
    }
    a = _segments_csv(CommunityData.from_frames(**small_synth.tables), tmp_path, "a")
    b = _segments_csv(CommunityData.from_frames(**shuffled), tmp_path, "b")
    assert a == b


def test_graph_only_folder(small_synth, tmp_path):
    small_synth.tables["follows"].to_csv(tmp_path / "follows.csv", index=False)
    result = Pipeline().run(load_dataset(tmp_path))
    truth = small_synth.truth.reindex(result.segments["member_id"])
    assert len(result.segments) >= len(small_synth.truth)
    members = truth["community"].notna().to_numpy()  # the brand is a member here
    assert nmi(truth["community"][members], result.segments["community"][members]) > 0.8
    assert (result.segments["role"] == "influencer").any()


def test_events_only_folder(small_synth, tmp_path):
    small_synth.tables["events"].to_csv(tmp_path / "events.csv", index=False)
    result = Pipeline().run(load_dataset(tmp_path))
    assert {"fan", "follower"} <= set(result.segments["role"])
    assert result.segments["engagement_weight"].sum() > 0


@pytest.mark.parametrize("override", [
    "cluster.name=gmm", "cluster.name=hdbscan", "community.name=louvain",
    "community.name=label_propagation", "reduce.name=none",
])
def test_alternative_stages_run(small_synth, override):
    data = CommunityData.from_frames(**small_synth.tables)
    cfg = apply_overrides(QUICK, [override])
    result = Pipeline(cfg).run(data)
    assert len(result.segments) == data.n_members


def test_default_yaml_is_the_default_config():
    from pathlib import Path

    import yaml

    text = (Path(__file__).parents[1] / "configs" / "default.yaml").read_text()
    assert RunConfig.model_validate(yaml.safe_load(text)) == RunConfig()


def test_cache_reuses_features_and_graph_without_changing_results(small_synth):
    data = CommunityData.from_frames(**small_synth.tables)
    cache = {}
    first = Pipeline(QUICK).run(data, cache=cache)
    assert len(cache) == 2
    again = Pipeline(QUICK).run(data, cache=cache)
    pd.testing.assert_frame_equal(first.segments, again.segments)
    other = Pipeline(apply_overrides(QUICK, ["community.params.resolution=3.0"]))
    assert other.run(data, cache=cache).segments["community"].max() >= first.segments[
        "community"].max()
    assert len(cache) == 2  # same features and graph settings: reused


def test_roles_given_in_the_cache_are_the_runs_and_never_stored(small_synth):
    """A fitted role stage given under the config's roles key (as the Spark run gives it)
    is the run's; a sweep's cache never stores one (the roles are refitted per run), and a
    config with other role parameters does not take it."""
    from clusterkit.pipeline import roles_cache_key

    data = CommunityData.from_frames(**small_synth.tables)
    cache = {}
    first = Pipeline(QUICK).run(data, cache=cache)
    assert not any(roles_cache_key(QUICK) == key for _, key in cache)
    from clusterkit.stages.roles.rules import RuleRoles

    given = RuleRoles().fit(first.features)
    given.roles_ = np.where(given.roles_ == "follower", "fan", given.roles_).astype(object)
    cache[(data.fingerprint(), roles_cache_key(QUICK))] = given
    taken = Pipeline(QUICK).run(data, cache=cache)
    assert "follower" not in set(taken.segments["role"])
    other = apply_overrides(QUICK, ["roles.params.fan_scale=1.5"])
    assert roles_cache_key(other) != roles_cache_key(QUICK)
    assert "follower" in set(Pipeline(other).run(data, cache=cache).segments["role"])


@pytest.mark.parametrize("overrides, expect", [
    (["cluster.name=hdbscan", "cluster.params.min_cluster_size=10"], "some"),
    (["cluster.name=hdbscan", "cluster.params.min_cluster_size=10",
      "segments.outliers=nearest"], "none"),
    (["segments.target_outlier_rate=0.05"], "rate"),
])
def test_outlier_policies(small_synth, overrides, expect):
    data = CommunityData.from_frames(**small_synth.tables)
    seg = Pipeline(apply_overrides(QUICK, overrides)).run(data).segments
    share = seg["outlier"].mean()
    assert (seg["outlier"] == (seg["segment"] == "outliers")).all()
    if expect == "some":
        assert share > 0
    elif expect == "none":
        assert share == 0
    else:
        assert abs(share - 0.05) < 0.02  # rounded per role group


def test_weights_file_and_pair_weights_change_engagement(small_synth, tmp_path):
    data = CommunityData.from_frames(**small_synth.tables)
    base = Pipeline(QUICK).run(data).segments["engagement_weight"].sum()
    path = tmp_path / "w.csv"
    path.write_text("action,channel,weight\npurchase,,80\nlike,twitter,0\n")
    cfg = apply_overrides(QUICK, [f"weights_file={path}"])
    heavier = Pipeline(cfg).run(data).segments["engagement_weight"].sum()
    assert heavier > base
    ev = small_synth.tables["events"]
    n_purchase = (ev["action"] == "purchase").sum()
    n_like_tw = ((ev["action"] == "like") & (ev["channel"] == "twitter")).sum()
    assert np.isclose(heavier - base, n_purchase * (80 - 8) - n_like_tw * 1.0)


def test_missing_weights_file_is_a_config_error():
    from clusterkit.errors import DataError

    with pytest.raises(DataError, match="weights file 'nope.csv' not found"):
        apply_overrides(RunConfig(), ["weights_file=nope.csv"])


def test_events_without_targets_or_follows():
    """No follow graph and no target_id: nobody can be an influencer, nothing crashes."""
    events = pd.DataFrame({
        "member_id": [f"m{i % 50}" for i in range(600)],
        "action": (["post", "like", "comment", "view"] * 150),
        "timestamp": pd.date_range("2026-01-01", periods=600, freq="6h").astype(str),
        "channel": "blog",
    })
    result = Pipeline().run(CommunityData.from_frames(events=events))
    assert len(result.segments) == 50
    assert "influencer" not in set(result.segments["role"])
    assert (result.segments["community"] == -2).all()  # no graph: every member an isolate


def test_set_reaches_nested_and_listed_parameters():
    """--set reaches every nested parameter: attribution models, stages of a list."""
    from clusterkit.errors import ConfigError

    cfg = apply_overrides(RunConfig(), ["attribution.params.model.half_life_days=10",
                                        "transform.1.params.method=standard",
                                        "features.1.params.damping=0.9"])
    assert cfg.attribution.params == {"model": {"half_life_days": 10}}
    assert cfg.transform[1].params == {"method": "standard"}
    assert cfg.features[1].params == {"damping": 0.9}
    with pytest.raises(ConfigError, match="is a list of stages; address one by its position"):
        apply_overrides(RunConfig(), ["features.params.damping=0.9"])
    with pytest.raises(ConfigError, match="has 3 stage"):
        apply_overrides(RunConfig(), ["features.7.params.damping=0.9"])


def test_a_whole_run_lets_go_of_the_graph_before_attribution(small_synth, monkeypatch):
    # what the result does not keep is released before the last step (memory at 1 M
    # members); a run stopped before it still returns everything it computed
    data = CommunityData.from_frames(**small_synth.tables)
    seen = {}
    real = Pipeline._result

    def spy(self, s):
        seen.update(graph=s.graph, transformed=s.transformed, dims=s.embedding.shape[1])
        return real(self, s)

    import clusterkit.pipeline as pipeline_module

    assigned = pipeline_module._assign

    def after_community(s, name, value):
        assigned(s, name, value)
        if name == "community":
            seen["graph_after_community"] = s.graph
            seen["kept_after_cluster"] = (s.transformed is not None, s.embedding.shape[1])

    monkeypatch.setattr(Pipeline, "_result", spy)
    monkeypatch.setattr(pipeline_module, "_assign", after_community)
    stopped = Pipeline().run(data, until="segments")
    assert stopped.graph is not None and stopped.transformed is not None
    assert stopped.embedding.shape[1] > 2 and seen.pop("graph_after_community") is not None
    assert seen.pop("kept_after_cluster")[0]
    assert not seen
    whole = Pipeline(QUICK).run(data)
    assert len(whole.segments) == data.n_members
    assert seen["graph"] is None and seen["transformed"] is None and seen["dims"] == 2
    assert seen["graph_after_community"] is None  # let go at the community step already
    # the transformed table and the embedding's other columns, after the cluster step;
    # the segments and the cluster metrics read from them are those of the stopped run
    assert seen["kept_after_cluster"] == (False, 2)
    for name in ("segments", "summary", "segment_engagement"):
        pd.testing.assert_frame_equal(getattr(whole, name), getattr(stopped, name))
    assert whole.metrics["cluster"] == stopped.metrics["cluster"]
    # its metrics were taken before: the same as a run that kept the graph
    from clusterkit.metrics import graph_summary

    assert whole.metrics["graph"] == graph_summary(stopped.graph)
    assert whole.metrics["community"]["modularity"] == pytest.approx(
        stopped.metrics["community"]["modularity"])


def test_a_whole_run_attributes_first_with_the_same_result(small_synth):
    # a whole run computes attribution before the features (its memory peak then sits on
    # the data alone); the result must equal the step run last (until="attribution")
    data = CommunityData.from_frames(**small_synth.tables)
    order = []
    first = RunConfig(engine={"attribution_beside": False})  # not beside: test_engine_tier
    whole = Pipeline(first).run(data, progress=order.append)
    last = Pipeline(first).run(data, until="attribution")
    assert order[0] == "attribution" and list(whole.manifest["timings_s"])[0] == "attribution"
    assert list(last.manifest["timings_s"])[-1] == "attribution"
    assert whole.attribution and set(whole.attribution) == set(last.attribution)
    for name, table in whole.attribution.items():
        pd.testing.assert_frame_equal(table, last.attribution[name])
    pd.testing.assert_frame_equal(whole.segments, last.segments)
    assert whole.manifest["warnings"] == last.manifest["warnings"]
    assert Pipeline().run(data, until="segments").attribution == {}  # not computed early


def test_a_spark_run_gives_roles_only_for_uncalibrated_rules(tmp_path):
    """Spark computes the roles for the ``rules`` stage (with its parameters); with user
    labels to calibrate on, or another role stage, the driver fits them."""
    from clusterkit.cli.spark_run import _spark_roles

    stage = _spark_roles(apply_overrides(QUICK, ["roles.params.fan_scale=0.5"]))
    assert type(stage).__name__ == "RuleRoles" and stage.fan_scale == 0.5
    assert not hasattr(stage, "roles_")
    labels = tmp_path / "labels.csv"
    labels.write_text("member_id,role\nm000001,fan\n")
    assert _spark_roles(QUICK.model_copy(update={"labels_file": str(labels)})) is None
    assert _spark_roles(apply_overrides(QUICK, ["roles.name=prototypes"])) is None
