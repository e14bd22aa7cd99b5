"""The scoring step's data-wide parts on Spark (issue 13, part 3: the per-member stages):
engagement per member and channel, ``authority`` and ``reach_2hop``, equal to one machine's
on the same data whatever the partitions; a run on Spark uses them. Slow (one ``local[2]``
session per module, conftest's ``spark`` fixture).
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

if os.environ.get("CLUSTERKIT_REQUIRE_SPARK") != "1":  # CI sets it: there a skip is a failure
    pytest.importorskip("pyspark")

pytestmark = pytest.mark.slow  # Spark warnings: filterwarnings in pyproject.toml


@pytest.fixture(scope="module")
def folders(tmp_path_factory):
    """Planted data (600 members) as a whole, events only (no follows), graph only, and
    with events that name no target (authority then falls back on the follow graph); the
    events shuffled, with missing channels, an unknown action, labels as users write them
    (``Share ``, `` twitter``, a no-break space) and 30 members acted on alike."""
    from clusterkit.synthetic import generate

    t = generate(600, seed=11).tables
    rng = np.random.default_rng(2)
    ev = t["events"].iloc[rng.permutation(len(t["events"]))].copy()
    ev["channel"] = ev["channel"].astype(object)
    ev.loc[ev.index[::7], "channel"] = None
    ev.loc[ev.index[:9], "action"] = "poke"
    ev.loc[ev.index[20:40], "action"] = ev.loc[ev.index[20:40], "action"].str.title() + " "
    ev.loc[ev.index[40:60], "channel"] = " " + ev.loc[ev.index[40:60], "channel"].fillna("")
    ev.loc[ev.index[60:70], "channel"] = "\u00a0"  # empty once trimmed: missing, "unknown"
    acts = ["view", "view", "like"]  # in three orders: 0.1 + 0.1 + 1 != 1 + 0.1 + 0.1
    tied = pd.DataFrame([  # 30 alike: c_i acts on a_i (like, view, view) and on b_i (like)
        {"member_id": f"c{i:02d}", "target_id": f"{to}{i:02d}", "action": act,
         "timestamp": f"2026-0{1 + k}-1{i % 10}T00:00:00Z", "channel": "twitter"}
        for i in range(30) for k, (to, act) in enumerate(
            [("a", x) for x in acts[i % 3:] + acts[:i % 3]] + [("b", "like")])])
    ev = pd.concat([ev, tied.astype({"timestamp": ev["timestamp"].dtype})],
                   ignore_index=True).iloc[rng.permutation(len(ev) + len(tied))]
    members = pd.concat([t["members"], pd.DataFrame(
        {"member_id": [f"{p}{i:02d}" for p in "abc" for i in range(30)]})], ignore_index=True)
    root = tmp_path_factory.mktemp("scoring")
    cases = {"whole": {"members": members, "events": ev, "follows": t["follows"]},
             "events_only": {"members": members, "events": ev},
             "graph_only": {"members": members, "follows": t["follows"]},
             "no_targets": {"events": ev.drop(columns="target_id"), "follows": t["follows"]}}
    out = {}
    for name, tables in cases.items():
        out[name] = root / name
        out[name].mkdir()
        for table, frame in tables.items():
            frame.to_parquet(out[name] / f"{table}.parquet")
    return out


WEIGHTS = {"actions": {"comment": 5.0}, "channels": {"twitter": 0.5},
           "pairs": {"like": {"instagram": 2.5}}, "half_life_days": 30.0}


def _both(spark, folder, parts: int):
    """The Spark tables (repartitioned into ``parts``), coded members, and the data loaded
    on one machine."""
    from clusterkit.data import load_dataset
    from clusterkit.engines.spark import member_table, read_tables

    tables = {k: v.repartition(parts) for k, v in read_tables(spark, str(folder)).items()}
    ev, fo, me = (tables.get(k) for k in ("events", "follows", "members"))
    coded, _ = member_table(ev, fo, me)
    return ev, fo, coded.localCheckpoint(eager=True), load_dataset(folder)


def _positions(coded, data):
    ids = coded.orderBy("pos").select("member_id").toPandas()["member_id"]
    pos = data.member_index(ids.to_numpy(dtype=object))
    assert (pos >= 0).all() and len(pos) == data.n_members
    return pos


@pytest.mark.parametrize("case", ["whole", "events_only", "graph_only", "no_targets"])
def test_scoring_parts_on_spark_equal_one_machine(spark, folders, case):
    """Engagement per member and channel (non-default action, channel and pair weights
    and a half-life) to 1e-9; authority and two-hop reach equal to the last bit, in three
    and five partitions."""
    from clusterkit.engines.spark.scoring import fitted_scoring, spark_scoring
    from clusterkit.stages.scoring.components import authority, two_hop_reach
    from clusterkit.stages.scoring.engagement import EngagementScoring
    from clusterkit.weights import EngagementWeights

    weights = EngagementWeights(**WEIGHTS)
    for parts in (3, 5):
        ev, fo, coded, data = _both(spark, folders[case], parts)
        got = spark_scoring(coded, ev, fo, weights, random_state=4, n_hashes=40)
        scorer, given = fitted_scoring(EngagementScoring(), got, _positions(coded, data),
                                       data.member_ids)
        one = EngagementScoring().fit(data, weights=weights)
        assert list(scorer.by_channel_.columns) == list(one.by_channel_.columns)
        assert scorer.by_channel_.index.equals(one.by_channel_.index)
        np.testing.assert_allclose(scorer.by_channel_.to_numpy(), one.by_channel_.to_numpy(),
                                   rtol=1e-9, atol=1e-12)
        np.testing.assert_allclose(scorer.scores_, one.scores_, rtol=1e-9, atol=1e-12)
        assert np.array_equal(given["authority"], authority(data, weights=weights))
        assert np.array_equal(given["reach_2hop"], two_hop_reach(data, n_hashes=40,
                                                                 random_state=4))
    if case in ("whole", "events_only"):  # alike members, alike scores: exact ties
        alike = data.member_index(np.array([f"a{i:02d}" for i in range(30)], dtype=object))
        assert len(set(given["authority"][alike].tolist())) == 1
    if case == "events_only":
        assert not given["reach_2hop"].any() and given["authority"].any()
    if case != "graph_only":
        assert "unknown" in scorer.by_channel_.columns and scorer.scores_.sum() > 0
    else:
        assert scorer.by_channel_.shape[1] == 0 and not scorer.scores_.any()
    assert got["authority_on"] == "driver"


def test_authority_iterates_on_spark_above_the_collect_limit(spark, folders):
    """With no edge allowed to the driver, PageRank on the weighted interaction graph runs
    as Spark iterations: equal to the driver's to 1e-12 per value (sums in Spark's
    order); on the follow graph too (events without targets)."""
    from clusterkit.engines.spark.scoring import authority_frame
    from clusterkit.stages.scoring.components import authority

    for case in ("whole", "no_targets"):
        ev, fo, coded, data = _both(spark, folders[case], 3)
        frame, where = authority_frame(coded, ev, fo, max_edges=0)
        assert where == "spark" and frame["pos"].tolist() == list(range(data.n_members))
        got = np.empty(data.n_members)
        got[_positions(coded, data)] = frame["authority"].to_numpy()
        want = authority(data)
        assert np.abs(got - want).max() < 1e-12 * data.n_members
        assert np.corrcoef(got, want)[0, 1] > 0.999999


def test_two_hop_sketch_values_depend_on_the_id_and_seed_only():
    """An id's hash values are the same in any batch, any order, beside any other ids,
    from any starting hash; another seed gives other values; every value is in (0, 1)."""
    from clusterkit.stages.scoring.components import sketch_base, sketch_key, sketch_uniforms

    ids = np.array([f"m{i:05d}" for i in range(500)] + ["NA", "ü", ""], dtype=object)
    key = sketch_key(7)
    full = sketch_uniforms(sketch_base(ids, key), 0, 8)
    rng = np.random.default_rng(0)
    order = rng.permutation(len(ids))
    assert np.array_equal(sketch_uniforms(sketch_base(ids[order], key), 0, 8), full[order])
    assert np.array_equal(sketch_uniforms(sketch_base(ids[:10], key), 3, 5), full[:10, 3:])
    arrow = pd.Series(ids, dtype="string[pyarrow]")  # as Spark's Arrow batches hold them
    assert np.array_equal(sketch_uniforms(sketch_base(arrow, key), 0, 8), full)
    other = sketch_uniforms(sketch_base(ids, sketch_key(8)), 0, 8)
    assert not np.isclose(other, full).any()
    assert ((full > 0) & (full < 1)).all()
    # uniform and independent across hashes: means, and no correlation between columns
    assert abs(full.mean() - 0.5) < 0.02
    corr = np.corrcoef(full.T)[np.triu_indices(8, 1)]
    assert np.abs(corr).max() < 0.15


def test_a_run_on_spark_scores_on_spark(spark, folders, tmp_path):
    """A whole run on Spark with ``engine.spark_scoring``: Spark scored, and the influence
    table and engagement equal a run on one machine (influence to 1e-12: its components
    are the same values); a scoring stage Spark does not have is refused in one line."""
    from clusterkit.cli.spark_run import run_on_spark
    from clusterkit.config import RunConfig
    from clusterkit.data import load_dataset
    from clusterkit.pipeline import Pipeline

    config = RunConfig.model_validate({"engine": {"spark_scoring": True}})
    result, data = run_on_spark(config, str(folders["whole"]), spark=spark)
    one = Pipeline(config).run(load_dataset(folders["whole"]))
    part = result.manifest["engine"]["spark"]
    assert "scoring" in part["built"] and "scoring" in part["timings_s"]
    pd.testing.assert_frame_equal(result.influence, one.influence, rtol=1e-12, atol=1e-12)
    pd.testing.assert_frame_equal(result.engagement_by_channel, one.engagement_by_channel,
                                  rtol=1e-9, atol=1e-12)
    assert result.influence.attrs == one.influence.attrs
    pd.testing.assert_frame_equal(result.segments, one.segments, rtol=1e-9, atol=1e-12)


def test_spark_scoring_needs_the_engagement_stage():
    from clusterkit.cli.spark_run import check_spark_config
    from clusterkit.config import RunConfig
    from clusterkit.errors import ConfigError

    config = RunConfig.model_validate({"engine": {"spark_scoring": True}})
    object.__setattr__(config.scoring, "name", "custom")  # as a plug-in stage would be named
    with pytest.raises(ConfigError, match="engine.spark_scoring: Spark scores with the "
                                          "engagement stage; the config's scoring stage is "
                                          "'custom'"):
        check_spark_config(config)
