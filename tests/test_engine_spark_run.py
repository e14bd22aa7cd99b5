"""``clusterkit run --engine spark`` (issue 13, part 3): Spark builds the feature table and
the member graph, the driver runs the other steps, and the run folder is the single-machine
run's. One ``local[2]`` session per worker (conftest's ``spark`` fixture); slow, as the
other Spark files.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pandas as pd
import pytest

if os.environ.get("CLUSTERKIT_REQUIRE_SPARK") != "1":  # CI sets it: there a skip is a failure
    pytest.importorskip("pyspark")

pytestmark = pytest.mark.slow  # Spark warnings: filterwarnings in pyproject.toml


def _folder(tmp_path):
    """A dataset folder of CSV files in shuffled row order, with a member spelt ``NA``, an
    unknown action, and the events' member column named ``user_id`` (mapped by config)."""
    from clusterkit.synthetic import generate

    t = generate(300, seed=8).tables
    rng = np.random.default_rng(1)
    folder = tmp_path / "data"
    folder.mkdir()
    for name in ("members", "events", "follows"):
        df = t[name].iloc[rng.permutation(len(t[name]))].copy()
        for c in ("member_id", "target_id", "follower_id", "followee_id"):
            if c in df.columns:
                df[c] = df[c].astype(object).where(df[c].astype(object) != "m000007", "NA")
        if name == "events":
            df.loc[df.index[:5], "action"] = "poke"
            df = df.rename(columns={"member_id": "user_id"})
        df.to_csv(folder / f"{name}.csv", index=False)
    config = tmp_path / "config.yaml"
    config.write_text("columns:\n  events:\n    user_id: member_id\n")
    return folder, config


def test_a_run_on_spark_writes_the_single_machine_run_folder(spark, tmp_path, capsys):
    """The CLI on Spark and on one machine, same data and config: the same segments file
    byte for byte, the same data fingerprint and warnings, features equal to 1e-9; the
    manifest says what Spark built and how long its steps took."""
    from clusterkit.cli import main

    folder, config = _folder(tmp_path)
    outs = {}
    for engine in ("default", "spark"):
        outs[engine] = tmp_path / f"run_{engine}"
        code = main(["run", str(config), "--data", str(folder), "--out", str(outs[engine]),
                     "--no-report", *(["--engine", "spark"] if engine == "spark" else [])])
        err = capsys.readouterr().err
        assert code == 0, err
    one, on_spark = (outs[e] for e in ("default", "spark"))
    assert (one / "segments.csv").read_bytes() == (on_spark / "segments.csv").read_bytes()
    assert "NA" in set(pd.read_csv(on_spark / "segments.csv", keep_default_na=False)
                       ["member_id"])
    m1, m2 = (json.loads((p / "manifest.json").read_text()) for p in (one, on_spark))
    assert m1["data_fingerprint"] == m2["data_fingerprint"]
    assert m1["warnings"] == m2["warnings"]
    assert any("unknown actions" in w and "poke (5)" in w for w in m2["warnings"])
    spark_part = m2["engine"]["spark"]
    assert spark_part["built"] == ["features", "member graph", "roles"]
    assert set(spark_part["timings_s"]) == {"start", "read", "features", "roles", "graph",
                                            "collect"}
    assert "spark" not in m1["engine"]
    f1, f2 = (pd.read_parquet(p / "features.parquet") for p in (one, on_spark))
    assert list(f1.columns) == list(f2.columns) and f1.index.equals(f2.index)
    assert float((f1 - f2).abs().to_numpy().max()) < 1e-9
    for name in ("segment_summary.csv", "attribution.csv"):
        assert (one / name).read_bytes() == (on_spark / name).read_bytes(), name


def test_a_spark_run_names_a_missing_mapped_column(spark, tmp_path, capsys):
    """A config mapping a column the file lacks: one line naming it, exit 2, no run folder."""
    from clusterkit.cli import main

    folder, _ = _folder(tmp_path)
    config = tmp_path / "bad.yaml"
    config.write_text("columns:\n  events:\n    person: member_id\n")
    code = main(["run", str(config), "--data", str(folder), "--out", str(tmp_path / "r"),
                 "--no-report", "--engine", "spark"])
    err = capsys.readouterr().err.strip()
    assert code == 2 and "'person'" in err and "events.csv" in err, err
    assert len(err.splitlines()) == 1
    assert not (tmp_path / "r").exists()


def test_the_spark_submit_entry_runs_a_whole_run(spark, tmp_path, capsys):
    """``spark_submit.py --run`` (in this process: the session is the fixture's) writes the
    run folder of ``clusterkit run``; an --out that is a file is refused before any work."""
    from clusterkit.cli.spark_submit import main

    folder, config = _folder(tmp_path)
    out = tmp_path / "run"
    assert main(["--data", str(folder), "--out", str(out), "--config", str(config), "--run"]) == 0
    assert capsys.readouterr().out.startswith("300 members, ")
    segments = pd.read_csv(out / "segments.csv", keep_default_na=False)
    assert len(segments) == 300 and "NA" in set(segments["member_id"])
    assert json.loads((out / "manifest.json").read_text())["engine"]["spark"]["built"]
    from clusterkit.errors import ClusterkitInputError

    (tmp_path / "notes.txt").write_text("mine")
    with pytest.raises(ClusterkitInputError, match="not a run folder"):
        main(["--data", str(folder), "--out", str(tmp_path / "notes.txt"), "--run"])
    assert (tmp_path / "notes.txt").read_text() == "mine"


def test_tables_come_to_the_driver_in_chunks_with_every_row(spark):
    """Collected in chunks (a hash of the row), a table keeps every row, duplicates
    included, and its types."""
    from clusterkit.cli.spark_run import _collected

    frame = pd.DataFrame({"member_id": [f"m{i % 37}" for i in range(500)] + ["NA", "NA"],
                          "value": [float(i) for i in range(500)] + [1.5, 1.5]})
    got = _collected(spark.createDataFrame(frame), chunk_rows=60)
    assert len(got) == len(frame)
    key = ["member_id", "value"]
    pd.testing.assert_frame_equal(
        got.sort_values(key, ignore_index=True).astype({"member_id": object}),
        frame.sort_values(key, ignore_index=True).astype({"member_id": object}))


def test_a_graph_above_the_collect_limit_gets_its_communities_on_spark(spark, tmp_path,
                                                                        capsys):
    """With ``engine.spark_collect_pairs`` below the graph's pairs (100, against 5,904;
    the graph of pieces must fit under it too), the member graph never reaches the
    driver: Leiden runs on Spark on a graph of pieces, and its communities and
    metrics are close to the one-machine run's; another community stage gets one line.
    (On 300 members, Leiden's own seeds agree only to NMI 0.61: the communities are
    compared on the planted ones.)"""
    from clusterkit.cli import main
    from clusterkit.metrics import nmi
    from clusterkit.synthetic import generate

    folder, config = _folder(tmp_path)
    config.write_text(config.read_text() + "engine:\n  spark_collect_pairs: 100\n")
    outs = {}
    for engine in ("default", "spark"):
        outs[engine] = tmp_path / f"run_{engine}"
        code = main(["run", str(config), "--data", str(folder), "--out", str(outs[engine]),
                     "--no-report", *(["--engine", "spark"] if engine == "spark" else [])])
        assert code == 0, capsys.readouterr().err
    one, on_spark = (pd.read_csv(outs[e] / "segments.csv", keep_default_na=False)
                     for e in ("default", "spark"))
    assert list(one["member_id"]) == list(on_spark["member_id"])
    truth = generate(300, seed=8).truth["community"].rename(index={"m000007": "NA"})
    truth = truth.reindex(one["member_id"]).to_numpy()
    assert nmi(truth, on_spark["community"]) >= nmi(truth, one["community"]) - 0.05
    q1, q2 = (json.loads((outs[e] / "metrics.json").read_text())["community"]
              for e in ("default", "spark"))
    assert q2["method"].startswith("leiden on a graph of pieces, on Spark")
    assert q2["pieces"] > 0 and q2["refine_rounds"] >= 1
    assert abs(q1["modularity"] - q2["modularity"]) < 0.02
    assert q2["n_isolates"] == q1["n_isolates"]
    g1, g2 = (json.loads((outs[e] / "metrics.json").read_text())["graph"]
              for e in ("default", "spark"))
    assert g1["n_edges"] == g2["n_edges"] > 100 and g1["isolated_share"] == g2["isolated_share"]
    assert abs(g1["total_weight"] - g2["total_weight"]) < 1e-9 * g1["total_weight"]
    spark_part = json.loads((outs["spark"] / "manifest.json").read_text())["engine"]["spark"]
    assert spark_part["built"][-1] == "communities" and "community" in spark_part["timings_s"]

    config.write_text(config.read_text() + "community:\n  name: louvain\n")
    code = main(["run", str(config), "--data", str(folder), "--out", str(tmp_path / "r3"),
                 "--no-report", "--engine", "spark"])
    err = capsys.readouterr().err.strip().splitlines()
    assert code == 2 and not (tmp_path / "r3").exists()
    assert "only the leiden stage runs on Spark (got 'louvain')" in err[-1]
