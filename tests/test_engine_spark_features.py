"""The Spark engine's feature table, reader and job equal the single-machine engine
(issue 13, part 3): every column of the default builders to 1e-9, a dataset folder typed as
``load_dataset`` types it, ``clusterkit features --engine spark`` and its ``spark-submit``
entry. One ``local[2]`` session for the module; a file of its own so that CI's slow step
runs it beside ``test_engine_spark.py`` (one worker and one JVM per file).
"""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

if os.environ.get("CLUSTERKIT_REQUIRE_SPARK") != "1":  # CI sets it: there a skip is a failure
    pytest.importorskip("pyspark")

from clusterkit.errors import DataError  # noqa: E402

pytestmark = pytest.mark.slow  # Spark warnings: filterwarnings in pyproject.toml


def _spark_events(spark, events):
    """A validated events frame as a Spark DataFrame (text columns, UTC microseconds)."""
    ev = events.copy()
    for c in ("action", "channel", "topic"):
        if c in ev.columns:
            ev[c] = ev[c].astype(object)
    ev["timestamp"] = ev["timestamp"].astype("datetime64[us, UTC]")
    return spark.createDataFrame(ev)


def _default_features(data, weights=None):
    from clusterkit.config import RunConfig
    from clusterkit.features import build_features

    return build_features(data, [(s.name, s.params) for s in RunConfig().features],
                          weights=weights)[0]


def test_the_whole_default_feature_table_equals_duckdbs(spark):
    """Every column of the default builders, to 1e-9, on data with outside accounts (a
    followed brand, a targeted outsider), a self-follow, a duplicate follow, members listed
    with no activity, and reported follower counts that are missing, text or padded."""
    import warnings

    from clusterkit.data import CommunityData
    from clusterkit.engines.spark import feature_table
    from clusterkit.synthetic import generate
    from clusterkit.weights import EngagementWeights

    t = generate(150, seed=4).tables
    members = t["members"][["member_id", "followers"]].astype({"followers": object})
    members = pd.concat([members, pd.DataFrame({"member_id": ["zz_idle", "zz_quiet"],
                                                "followers": ["12", None]})])
    members.iloc[[0, 1, 2], 1] = ["n/a", " 7 ", "3.5e2"]
    follows = pd.concat([t["follows"][["follower_id", "followee_id"]], pd.DataFrame(
        {"follower_id": ["m000001", "m000002", "m000003", "m000003"],
         "followee_id": ["brand", "m000002", "m000004", "m000004"]})], ignore_index=True)
    events = t["events"][["member_id", "action", "timestamp", "channel", "target_id",
                          "value"]].copy()
    events.loc[events.index[:5], "target_id"] = "outsider"
    events.loc[events.index[5:9], "action"] = "Story-Reply"  # unknown, not [a-z0-9_]
    weights = EngagementWeights(half_life_days=20.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = CommunityData.from_frames(members=members, events=events, follows=follows)
    assert sorted(data.outside_ids) == ["brand", "outsider"]
    want = _default_features(data, weights)
    got = feature_table(_spark_events(spark, data.events), spark.createDataFrame(follows),
                        spark.createDataFrame(members), weights).toPandas()
    assert got["member_id"].tolist() == want.index.tolist()
    assert list(got.columns[1:]) == list(want.columns)
    gap = (got.set_index("member_id") - want).abs().max()
    assert float(gap.max()) <= 1e-9, gap[gap > 1e-9]
    assert want.loc["zz_idle", "reported_followers"] == 12 and want["kcore"].max() > 1


def test_feature_table_on_events_alone_and_follows_alone(spark):
    """No members table, no channel, no target: behaviour only; follows alone with a
    members table of reported counts: graph columns, reported count as followers' twin."""
    import warnings

    from clusterkit.data import CommunityData
    from clusterkit.engines.spark import feature_table

    events = pd.DataFrame({"member_id": ["b", "a", "a", "c"],
                           "action": ["like", "post", "purchase", "share"],
                           "timestamp": pd.to_datetime(["2024-01-02", "2024-01-01",
                                                        "2024-01-03", "2024-01-03"], utc=True),
                           "value": [None, None, 30.0, None]})
    follows = pd.DataFrame({"follower_id": ["a", "b", "c", "d"],
                            "followee_id": ["b", "a", "a", "x"]})
    members = pd.DataFrame({"member_id": ["a", "b", "c", "d"], "followers": [10, 0, 5, 7]})
    for kw, frames in (({"events": events}, {"events": _spark_events(spark, events)}),
                       ({"follows": follows, "members": members},
                        {"follows": spark.createDataFrame(follows),
                         "members": spark.createDataFrame(members)})):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            want = _default_features(CommunityData.from_frames(**kw))
        got = feature_table(**frames).toPandas().set_index("member_id")
        assert list(got.columns) == list(want.columns) and got.index.tolist() == \
            want.index.tolist()
        assert float((got - want).abs().to_numpy().max()) <= 1e-9


def test_read_tables_types_a_folder_as_the_single_machine_loader_does(spark, tmp_path):
    """CSV events with ISO and epoch-second timestamps and ids that look like numbers,
    a JSON-lines members table: the Spark feature table equals load_dataset's."""
    from clusterkit.data import load_dataset
    from clusterkit.engines.spark import feature_table, read_tables

    (tmp_path / "events.csv").write_text(
        "member_id,action,timestamp,channel,value,target_id\n"
        "007,post,2024-03-01T10:00:00Z,blog,,\n"
        "7,like,1709287200,Twitter,,007\n"
        "7,purchase,2024-03-02T09:30:00+02:00,shop,19.5,\n"
        "x1,share,1709373600.5,twitter,,007\n")
    (tmp_path / "members.jsonl").write_text(
        '{"member_id": "007", "followers": 120}\n{"member_id": "idle", "followers": null}\n')
    want = _default_features(load_dataset(tmp_path))
    tables = read_tables(spark, str(tmp_path))
    assert sorted(tables) == ["events", "members"]
    got = feature_table(tables["events"], None, tables["members"]).toPandas()
    got = got.set_index("member_id")
    assert got.index.tolist() == want.index.tolist() == ["007", "7", "idle", "x1"]
    assert list(got.columns) == list(want.columns)
    assert float((got - want).abs().to_numpy().max()) <= 1e-9


def test_read_tables_names_the_file_of_a_bad_timestamp_or_a_missing_table(spark, tmp_path):
    from clusterkit.engines.spark import read_tables

    with pytest.raises(DataError, match="no events or follows table"):
        read_tables(spark, str(tmp_path))
    (tmp_path / "events.csv").write_text("member_id,action,timestamp\na,like,yesterday\n")
    with pytest.raises(DataError, match=r"events\.csv.*'yesterday'|'yesterday'.*events\.csv"):
        read_tables(spark, str(tmp_path))


def test_the_features_command_on_spark_writes_what_one_machine_writes(spark, tmp_path):
    """``clusterkit features --engine spark`` (the session already running is reused):
    the same table as the default engine; a failing job leaves nothing under --out."""
    from clusterkit.cli.app import main
    from clusterkit.synthetic import generate

    data = generate(120, seed=5).write(tmp_path / "data")
    assert main(["features", "--data", str(data), "--out", str(tmp_path / "one.parquet")]) == 0
    assert main(["features", "--engine", "spark", "--data", str(data), "--out",
                 str(tmp_path / "spark.parquet")]) == 0
    one = pd.read_parquet(tmp_path / "one.parquet").set_index("member_id")
    got = pd.read_parquet(tmp_path / "spark.parquet").set_index("member_id")
    assert list(got.columns) == list(one.columns) and got.index.tolist() == one.index.tolist()
    assert float((got - one).abs().to_numpy().max()) <= 1e-9
    # the config's column mapping is read on Spark as on one machine
    events = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    events.rename(columns={"member_id": "user"}).to_csv(data / "events.csv", index=False)
    (tmp_path / "map.yaml").write_text("columns:\n  events:\n    user: member_id\n")
    assert main(["features", str(tmp_path / "map.yaml"), "--engine", "spark", "--data",
                 str(data), "--out", str(tmp_path / "mapped.parquet")]) == 0
    mapped = pd.read_parquet(tmp_path / "mapped.parquet").set_index("member_id")
    assert float((mapped - one).abs().to_numpy().max()) <= 1e-9
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "events.csv").write_text("member_id,action,timestamp\na,like,later\n")
    assert main(["features", "--engine", "spark", "--data", str(bad), "--out",
                 str(tmp_path / "bad.parquet")]) == 2
    assert not any(p.name.startswith("bad.parquet") for p in tmp_path.iterdir())


def test_the_spark_submit_recipe_writes_the_table(spark, tmp_path):
    """The README's ``spark-submit`` line, on a small events-only folder: the entry file runs
    as a script (its folder would shadow the standard library's ``profile``)."""
    import shutil

    import clusterkit.cli.spark_submit as entry
    from clusterkit.data import load_dataset

    bindir = os.path.dirname(sys.executable)
    submit = shutil.which("spark-submit", path=bindir + os.pathsep + os.environ["PATH"])
    if submit is None:
        pytest.skip("no spark-submit next to this interpreter or on PATH")
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "events.csv").write_text(
        "member_id,action,timestamp,channel\na,post,2024-03-01T10:00:00Z,blog\n"
        "b,like,2024-03-02T10:00:00Z,blog\nb,share,2024-03-03T10:00:00Z,twitter\n")
    env = {**os.environ, "PATH": bindir + os.pathsep + os.environ["PATH"],
           "PYSPARK_PYTHON": sys.executable, "PYSPARK_DRIVER_PYTHON": sys.executable}
    proc = subprocess.run([submit, "--master", "local[1]", entry.__file__, "--data",
                           str(tmp_path / "data"), "--out", str(tmp_path / "f.parquet")],
                          capture_output=True, text=True, timeout=300, env=env)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "2 members" in proc.stdout
    got = pd.read_parquet(tmp_path / "f.parquet").set_index("member_id")
    want = _default_features(load_dataset(tmp_path / "data"))
    assert float((got.loc[want.index, list(want.columns)] - want).abs().to_numpy().max()) < 1e-9


@pytest.mark.parametrize("hub_damping", [0.0, 0.7])
def test_the_member_graph_equals_the_single_machines_and_so_do_its_communities(spark,
                                                                                hub_damping):
    """Follows and interactions between members (outside accounts, a self-follow and a
    duplicate follow left out), weighted and hub-damped as one machine does: equal to 1e-12,
    and Leiden on it gives the same communities."""
    import warnings

    from clusterkit.data import CommunityData
    from clusterkit.engines.spark import member_graph, member_table
    from clusterkit.graph import member_graph as one_machine
    from clusterkit.registry import create_stage
    from clusterkit.synthetic import generate

    t = generate(200, seed=6).tables
    follows = pd.concat([t["follows"][["follower_id", "followee_id"]], pd.DataFrame(
        {"follower_id": ["m000001", "m000003", "m000003", "m000005"],
         "followee_id": ["brand", "m000004", "m000004", "m000005"]})], ignore_index=True)
    events = t["events"][["member_id", "action", "timestamp", "target_id"]]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data = CommunityData.from_frames(members=t["members"][["member_id"]], events=events,
                                         follows=follows)
    want = one_machine(data, follow_weight=1.0, interaction_weight=0.5,
                       hub_damping=hub_damping)
    ev, fo = _spark_events(spark, data.events), spark.createDataFrame(follows)
    coded, _ = member_table(ev, fo, spark.createDataFrame(t["members"][["member_id"]]))
    got = member_graph(coded, ev, fo, follow_weight=1.0, interaction_weight=0.5,
                       hub_damping=hub_damping)
    assert got.shape == want.shape and got.nnz == want.nnz
    assert float(abs(got - want).max()) <= 1e-12
    leiden = [create_stage("community", "leiden", {"random_state": 3}).fit(g).labels_
              for g in (want, got)]
    assert np.array_equal(leiden[0], leiden[1])
