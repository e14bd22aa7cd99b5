"""The large tier on one machine (issue 13): chosen by size, recorded, same quality."""

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp

from clusterkit.config import RunConfig, apply_overrides, load_config
from clusterkit.data import CommunityData
from clusterkit.engines.tier import EngineConfig, choose_engine
from clusterkit.errors import ConfigError
from clusterkit.metrics import edge_modularity, nmi
from clusterkit.pipeline import Pipeline
from clusterkit.registry import create_stage

QUICK = RunConfig(attribution={"enabled": False}, report={"enabled": False})


def test_auto_chooses_by_size_and_says_why():
    small, big = (choose_engine(EngineConfig(large_above=1000), n) for n in (999, 1000))
    assert (small.name, big.name) == ("default", "large")
    assert "fewer than" in small.reason and "999" in small.reason
    assert "at least" in big.reason and "1,000" in big.reason
    forced = choose_engine(EngineConfig(name="default", large_above=10), 10**7)
    assert forced.name == "default" and "'default' in the config" in forced.reason


def test_only_the_default_leiden_is_swapped():
    large = choose_engine(EngineConfig(name="large"), 10)
    assert large.community("leiden", {"resolution": 0.5}) == ("plm", {"resolution": 0.5})
    assert large.community("leiden", {"n_iterations": -1}) == ("leiden", {"n_iterations": -1})
    assert large.community("leiden", {"engine": "leidenalg"})[0] == "leiden"
    assert large.community("infomap", {}) == ("infomap", {})
    assert choose_engine(EngineConfig(name="default"), 10).community("leiden", {}) == (
        "leiden", {})


def test_unknown_engine_is_one_clear_config_error():
    with pytest.raises(ConfigError, match=r"engine\.name.*'auto', 'default' or 'large'"):
        load_config(None, ["engine.name=spark"])
    with pytest.raises(ConfigError, match="large_above"):
        load_config(None, ["engine.large_above=0"])


def _weighted_planted(seed=1):
    G = nx.planted_partition_graph(8, 60, 0.2, 0.01, seed=seed)
    A = sp.csr_array(nx.to_scipy_sparse_array(G, nodelist=sorted(G)), dtype=float)
    A.data = np.random.default_rng(seed).uniform(0.5, 2.0, A.nnz)
    return (A + A.T) / 2, np.repeat(np.arange(8), 60)


def test_plm_finds_planted_communities_with_igraphs_modularity():
    A, truth = _weighted_planted()
    plm = create_stage("community", "plm", {"random_state": 0}).fit(A)
    leiden = create_stage("community", "leiden", {"random_state": 0}).fit(A)
    assert nmi(truth, plm.labels_) >= 0.95
    import igraph as ig

    upper = sp.triu(A, k=1).tocoo()
    g = ig.Graph(n=A.shape[0], edges=np.column_stack([upper.row, upper.col]).tolist())
    assert plm.modularity_ == pytest.approx(
        g.modularity(plm.labels_.tolist(), weights=upper.data.tolist()), abs=1e-12)
    assert plm.modularity_ >= leiden.modularity_ - 0.01


def test_plm_is_deterministic_and_keeps_isolates():
    A, _ = _weighted_planted(2)
    A = sp.block_diag([A, sp.csr_array((3, 3))], format="csr")  # three members without edges
    a = create_stage("community", "plm", {"random_state": 5}).fit(A).labels_
    b = create_stage("community", "plm", {"random_state": 5}).fit(A).labels_
    np.testing.assert_array_equal(a, b)
    assert (a[-3:] == -2).all() and (a[:-3] >= 0).all()


def test_edge_modularity_of_one_community_is_zero():
    assert edge_modularity([0, 1], [1, 2], [1.0, 2.0], [0, 0, 0]) == pytest.approx(0.0)


@pytest.fixture(scope="module")
def large_run(small_synth):
    cfg = apply_overrides(QUICK, ["engine.large_above=2"])
    return Pipeline(cfg).run(CommunityData.from_frames(**small_synth.tables))


@pytest.fixture(scope="module")
def default_run(small_synth):
    return Pipeline(QUICK).run(CommunityData.from_frames(**small_synth.tables))


def test_a_large_run_records_its_engine_and_finds_the_communities(large_run, default_run,
                                                                   small_synth):
    engine = large_run.manifest["engine"]
    assert engine["name"] == "large" and engine["community_stage"] == "plm"
    assert engine["requested"] == "auto" and engine["large_above"] == 2
    assert large_run.metrics["community"]["stage"] == "plm"
    truth = small_synth.truth.reindex(large_run.segments["member_id"])["community"]
    large, default = (nmi(truth, r.segments["community"]) for r in (large_run, default_run))
    assert large >= 0.85 and large >= default - 0.02  # 0.888 and 0.863 when written
    # the tier changes the community stage only: roles and scores are the default run's
    for col in ("role", "engagement_weight"):
        assert large_run.segments[col].equals(default_run.segments[col])


def test_a_default_run_records_the_default_engine(default_run):
    assert default_run.manifest["engine"]["name"] == "default"
    assert default_run.manifest["engine"]["community_stage"] == "leiden"


def test_a_large_run_does_not_depend_on_row_order(large_run, small_synth):
    rng = np.random.default_rng(4)
    shuffled = {name: df.iloc[rng.permutation(len(df))]
                for name, df in small_synth.tables.items()}
    cfg = apply_overrides(QUICK, ["engine.large_above=2"])
    again = Pipeline(cfg).run(CommunityData.from_frames(**shuffled))
    cols = ["member_id", "segment", "role", "community", "engagement_weight", "influence"]
    assert again.segments[cols].equals(large_run.segments[cols])


def test_cli_engine_option(small_folder, tmp_path, capsys):
    import json

    from clusterkit.cli import main

    # what a Spark run cannot take is refused in one line before Spark starts (no Java here)
    for sets, says in ((["identity.enabled=true"], "resolve identities first"),
                       (["features=[{name: behaviour}]"], "the Spark engine builds the features")):
        code = main(["run", "--data", str(small_folder), "--out", str(tmp_path / "bad"),
                     "--engine", "spark", "--no-report", *[f"--set={s}" for s in sets]])
        err = capsys.readouterr().err.strip()
        assert code == 2 and says in err and len(err.splitlines()) == 1, err
        assert not (tmp_path / "bad").exists()
    code = main(["run", "--data", str(small_folder), "--out", str(tmp_path / "run"),
                 "--engine", "large", "--no-report", "--set", "attribution.enabled=false"])
    assert code == 0
    engine = json.loads((tmp_path / "run" / "manifest.json").read_text())["engine"]
    assert engine["name"] == "large" and engine["requested"] == "large"
    assert engine["community_stage"] == "plm"


def test_a_spark_failure_is_one_line_naming_its_step():
    """A JVM error inside a Spark step: one line with the step and the Java error; out of
    memory is a ConfigError that says to raise --driver-memory (no Java needed here)."""
    from clusterkit.cli.spark_run import _timed
    from clusterkit.errors import ConfigError

    java = type("Py4JJavaError", (Exception,), {"__module__": "py4j.protocol"})
    timings: dict = {}
    with pytest.raises(ConfigError, match=r"out of memory in its collect step \(java\.lang"
                                          r"\.OutOfMemoryError: Java heap space\).*4g"):
        with _timed(timings, "collect", "4g"):
            raise java("An error occurred while calling o1.collectAsArrowToPython.\n"
                       ": java.lang.OutOfMemoryError: Java heap space\n\tat org.apache.x")
    with pytest.raises(RuntimeError, match=r"^Spark failed in its graph step: org\.apache"
                                           r"\.spark\.SparkException: Job aborted$"):
        with _timed(timings, "graph"):
            raise java("calling o2.count.\n: org.apache.spark.SparkException: Job aborted\n"
                       "\tat org.apache.spark.Foo")
    with pytest.raises(KeyError):  # not Spark's: as it was
        with _timed(timings, "read"):
            raise KeyError("x")
    assert timings == {}


def test_attribution_beside_the_other_steps_gives_the_same_run(small_synth):
    # the large tier runs attribution in a second thread (engine.attribution_beside); every
    # output, warning and key order must be the run's with attribution first
    import pandas as pd

    from clusterkit.pipeline import STEPS

    data = CommunityData.from_frames(**small_synth.tables)
    first = Pipeline(apply_overrides(RunConfig(), ["engine.attribution_beside=false"])).run(data)
    order = []
    beside = Pipeline(apply_overrides(RunConfig(), ["engine.attribution_beside=true"])).run(
        data, progress=order.append)
    assert beside.manifest["engine"]["attribution_beside"] is True
    assert first.manifest["engine"]["attribution_beside"] is False
    assert order[0] == "features" and order[-1] == "attribution"  # the bar waits for it last
    timings = list(beside.manifest["timings_s"])
    assert timings[0] == "attribution" and timings[-1] == "attribution_waited"
    assert set(beside.manifest["peak_memory_mb"]) == set(STEPS) | {"run"}
    assert beside.attribution and set(beside.attribution) == set(first.attribution)
    for name, table in first.attribution.items():
        pd.testing.assert_frame_equal(beside.attribution[name], table)
    pd.testing.assert_frame_equal(beside.segments, first.segments)
    pd.testing.assert_frame_equal(beside.features, first.features)
    assert beside.manifest["warnings"] == first.manifest["warnings"]


def test_a_failure_beside_is_raised_by_the_run(small_synth, monkeypatch):
    import clusterkit.attribution as package

    def broken(*args, **kwargs):
        raise RuntimeError("attribution broke")

    monkeypatch.setattr(package, "attribution_outputs", broken)
    cfg = apply_overrides(RunConfig(), ["engine.attribution_beside=true"])
    with pytest.raises(RuntimeError, match="attribution broke"):
        Pipeline(cfg).run(CommunityData.from_frames(**small_synth.tables))


def test_auto_runs_attribution_beside_with_two_cores_and_memory_to_spare(monkeypatch):
    import clusterkit.engines.tier as tier

    gb = 10**9
    monkeypatch.setattr(tier, "usable_cores", lambda: 2)
    monkeypatch.setattr(tier, "resident_memory", lambda: 3 * gb)
    monkeypatch.setattr(tier, "available_memory", lambda: 20 * gb)
    big = choose_engine(EngineConfig(), n_members=600_000)
    assert big.attribution_beside and "2 cores" in big.beside_reason
    assert choose_engine(EngineConfig(), n_members=6_000).attribution_beside  # either engine
    monkeypatch.setattr(tier, "available_memory", lambda: 8 * gb)  # under 4x the 3 GB held
    tight = choose_engine(EngineConfig(), n_members=600_000)
    assert not tight.attribution_beside and "less memory" in tight.beside_reason
    assert tight.manifest("plm")["attribution_beside_reason"] == tight.beside_reason
    monkeypatch.setattr(tier, "available_memory", lambda: None)  # unknown: not beside
    assert not choose_engine(EngineConfig(), n_members=600_000).attribution_beside
    monkeypatch.setattr(tier, "available_memory", lambda: 20 * gb)
    monkeypatch.setattr(tier, "usable_cores", lambda: 1)  # one core: nothing to gain
    assert not choose_engine(EngineConfig(), n_members=600_000).attribution_beside
    forced = choose_engine(EngineConfig(attribution_beside=True), n_members=10)
    assert forced.attribution_beside and "config" in forced.beside_reason


def test_the_machine_readers_give_plausible_numbers():
    from clusterkit.engines.tier import available_memory, resident_memory, usable_cores

    held, free = resident_memory(), available_memory()
    assert usable_cores() >= 1
    assert held is None or 10**6 < held < 10**12
    assert free is None or 0 <= free < 10**14
