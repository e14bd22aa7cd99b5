"""Experiments: config parsing, grid expansion, determinism, the compare folder and CLI."""

import json
import re

import numpy as np
import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.errors import ClusterkitInputError, ConfigError
from clusterkit.experiment import (
    EXPERIMENT_FILES,
    TIMING_COLUMNS,
    ExperimentConfig,
    drop_timing,
    load_experiment,
    load_truth,
    run_experiment,
)

GRID = {"community.name": ["leiden", "label_propagation"], "community__resolution": [0.5, 1.0]}


@pytest.fixture(autouse=True)
def _home(tmp_path, monkeypatch):
    monkeypatch.setenv("CLUSTERKIT_HOME", str(tmp_path / "home"))


@pytest.fixture(scope="module")
def small_data(small_synth):
    return CommunityData.from_frames(**small_synth.tables)


def _cfg(grid=GRID, seeds=2, **sweep):
    return ExperimentConfig.from_dict(
        {"name": "t", "seed": 7, "sweep": {"grid": grid, "seeds": seeds, **sweep}}
    )


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- grid expansion ---------------------------------------------------------------------


def test_stage_without_the_parameter_runs_once_with_reason():
    points, skipped = _cfg().points()
    assert [p.label for p in points] == [
        "leiden, resolution=0.5",
        "leiden, resolution=1.0",
        "label_propagation",
    ]
    lp = points[2]
    assert lp.params == {"community.name": "label_propagation", "community__resolution": None}
    assert lp.config.community.params == {}
    assert "label_propagation has no parameter 'resolution'" in lp.note
    assert (
        len(skipped) == 1 and "same effective configuration as point 2" in skipped["reason"].iloc[0]
    )
    assert points[0].config.community.params == {"resolution": 0.5}


def test_switched_stage_starts_from_its_defaults():
    """Base leiden params (objective) are kept for leiden, not passed to louvain."""
    cfg = ExperimentConfig.from_dict(
        {
            "community": {"name": "leiden", "params": {"objective": "cpm", "resolution": 0.05}},
            "sweep": {"grid": {"community.name": ["leiden", "louvain"]}},
        }
    )
    points, _ = cfg.points()
    assert points[0].config.community.params == {"objective": "cpm", "resolution": 0.05}
    assert points[1].config.community.params == {}


def test_non_stage_keys_and_dotted_params():
    cfg = _cfg({"graph.interaction_weight": [0, 2], "cluster.params.k_max": [4]})
    points, skipped = cfg.points()
    assert len(points) == 2 and skipped.empty
    assert points[1].config.graph.interaction_weight == 2
    assert points[1].config.cluster.params["k_max"] == 4
    assert points[1].label == "graph.interaction_weight=2, k_max=4"


def test_seeds_derived_from_config_seed():
    cfg = _cfg(seeds=3)
    seeds = cfg.seed_list()
    assert seeds[0] == 7 and len(set(seeds)) == 3 and seeds == _cfg(seeds=3).seed_list()
    assert _cfg(seeds=[5, 9]).seed_list() == [5, 9]


@pytest.mark.parametrize(
    "grid, sweep, match",
    [
        ({"comunity.name": ["leiden"]}, {}, "Did you mean 'community'"),
        ({"community__resolutoin": [1.0]}, {}, "Did you mean community__resolution"),
        ({"community.name": ["leidn"]}, {}, "Did you mean 'leiden'"),
        ({"community.name": []}, {}, "empty list of values"),
        ({"community__resolution": [-1.0]}, {}, "must be a float in the range"),
        ({"seed": [1, 2]}, {}, "sweep.seeds"),
        ({}, {"seedz": 3}, "Did you mean 'seeds'"),
        ({}, {"seeds": 0}, "at least 1"),
        ({}, {"rank": ["nmii"]}, "Did you mean 'nmi'"),
    ],
)
def test_bad_sweep_is_a_config_error(grid, sweep, match):
    with pytest.raises(ConfigError, match=match):
        _cfg(grid, **sweep)


def test_load_experiment_and_overrides(tmp_path):
    path = tmp_path / "exp.yaml"
    path.write_text(
        "name: x\nseed: 3\nsweep:\n  grid:\n    community.name: [leiden]\n"
        "  seeds: 4\n  truth: truth.csv\n"
    )
    cfg = load_experiment(
        path, ["sweep.seeds=2", "graph.hub_damping=0.5", "sweep.grid.community__resolution=[1, 2]"]
    )
    assert cfg.sweep.seeds == 2 and cfg.base.graph.hub_damping == 0.5
    assert cfg.sweep.truth == str(tmp_path / "truth.csv")
    assert len(cfg.points()[0]) == 2
    path.write_text("seed: 3\nclustr: {name: kmeans}\nsweep: {seeds: 2}\n")
    with pytest.raises(ConfigError, match="unknown key 'clustr'.*Did you mean 'cluster'"):
        load_experiment(path)


def test_example_config_is_valid():
    from pathlib import Path

    cfg = load_experiment(Path(__file__).parent.parent / "configs" / "compare_example.yaml")
    points, skipped = cfg.points()
    assert len(points) == 7 and len(skipped) == 2 and len(cfg.seed_list()) == 5


def test_truth_errors(tmp_path, small_data):
    bad = tmp_path / "t.csv"
    bad.write_text("id,community\na,1\n")
    with pytest.raises(ClusterkitInputError, match="no 'member_id' column"):
        load_truth(bad)
    bad.write_text("member_id,color\na,1\n")
    with pytest.raises(ClusterkitInputError, match="'community' and/or 'role'"):
        load_truth(bad)
    with pytest.raises(ClusterkitInputError, match="not found"):
        load_truth(tmp_path / "missing.csv")
    bad.write_text("member_id,community\nnobody,1\n")
    with pytest.raises(ClusterkitInputError, match="no member_id in common"):
        run_experiment(_cfg({}, seeds=1), small_data, truth=bad)


# ---- running ----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def result(small_data, small_synth):
    cfg = ExperimentConfig.from_dict(
        {
            "name": "t",
            "seed": 7,
            "sweep": {"grid": GRID, "seeds": 2, "rank": ["nmi", "modularity"], "bootstrap": 2},
        }
    )
    return run_experiment(cfg, small_data, truth=small_synth.truth)


def test_partial_truth_is_said_and_recorded(small_data, small_synth):
    # was: a truth covering part of the members, or naming others, used without a word
    from clusterkit.experiment.spec import truth_coverage

    truth = small_synth.truth.iloc[10:].copy()
    truth.loc["ghost"] = truth.iloc[0]
    covered, notes = truth_coverage(truth, small_data.member_ids)
    n = small_data.n_members
    assert covered == len(truth) - 1 and len(notes) == 2
    assert f"covers {covered:,} of the data's {n:,} members" in notes[0]
    assert "1 member_id(s) are not members" in notes[1] and "'ghost'" in notes[1]
    assert truth_coverage(small_synth.truth, small_data.member_ids) == (n, [])
    res = run_experiment(_cfg({"community__resolution": [1.0]}, seeds=1), small_data,
                         truth=truth)
    assert res.manifest["truth"]["warnings"] == notes


def test_run_table(result, small_synth):
    runs = result.to_frame()
    assert len(runs) == 6 and runs["run"].tolist() == list(range(6))
    assert runs["seed"].tolist()[:2] == [7, result.config.seed_list()[1]]
    assert (
        runs.loc[runs["community.name"] == "label_propagation", "community__resolution"]
        .isna()
        .all()
    )
    for col in (
        "nmi",
        "ami",
        "ari",
        "role_macro_f1",
        "modularity",
        "silhouette",
        "community_jaccard",
        "engagement_gini",
        "n_segments",
        "n_communities",
        "config_hash",
        *TIMING_COLUMNS,
    ):
        assert col in runs.columns, col
    assert runs["nmi"].between(0, 1).all() and (runs["wall_s"] > 0).all()
    assert runs["community_jaccard"].between(0, 1).all()
    assert runs["config_hash"].is_unique
    # the metrics are those of a single run with the same config and seed
    from clusterkit.metrics import nmi
    from clusterkit.pipeline import Pipeline

    cfg = result.config_for(0).model_copy(update={"seed": int(runs.at[1, "seed"])})
    seg = Pipeline(cfg).run(CommunityData.from_frames(**small_synth.tables)).segments
    truth = small_synth.truth.reindex(seg["member_id"])
    assert runs.at[1, "nmi"] == pytest.approx(nmi(truth["community"].astype(str), seg["community"]))


def test_summary_stability_ranking(result):
    s = result.summary
    assert len(s) == 3 and s["n_runs"].tolist() == [2, 2, 2]
    runs = result.runs
    first = runs[runs["point"] == 0]["modularity"]
    assert s.at[0, "modularity_mean"] == pytest.approx(first.mean())
    assert s.at[0, "modularity_std"] == pytest.approx(first.std(ddof=1))
    assert s["community_seed_ari"].between(-1, 1).all()
    assert len(result.stability) == 3 * 2  # one pair per point, community and cluster
    r = result.ranking
    assert set(r.mean_ranks.index) == set(s["label"]) and list(r.metrics) == ["nmi", "modularity"]
    assert r.friedman.loc["nmi", "n_blocks"] == 2
    best = result.best("nmi")
    assert best["nmi_mean"] == s["nmi_mean"].max()
    assert (
        result.best("mean_conductance")["mean_conductance_mean"] == s["mean_conductance_mean"].min()
    )
    with pytest.raises(KeyError, match="no metric"):
        result.best("nope")


def test_same_experiment_twice_is_identical(result, small_data, small_synth):
    again = run_experiment(result.config, small_data, truth=small_synth.truth)
    exact = {"check_exact": True}
    pd.testing.assert_frame_equal(drop_timing(result.runs), drop_timing(again.runs), **exact)
    pd.testing.assert_frame_equal(drop_timing(result.summary), drop_timing(again.summary), **exact)
    pd.testing.assert_frame_equal(result.stability, again.stability, **exact)
    pd.testing.assert_frame_equal(result.ranking.mean_ranks, again.ranking.mean_ranks)
    pd.testing.assert_frame_equal(result.labels, again.labels)


def test_parallel_gives_the_same_tables(small_data, small_synth):
    cfg = _cfg({"community.name": ["leiden", "label_propagation"]}, seeds=2)
    serial = run_experiment(cfg, small_data, truth=small_synth.truth)
    par = run_experiment(cfg, small_data, truth=small_synth.truth, n_jobs=2)
    pd.testing.assert_frame_equal(drop_timing(serial.runs), drop_timing(par.runs), check_exact=True)
    with pytest.raises(ConfigError, match="'n_jobs' parameter"):
        run_experiment(cfg, small_data, n_jobs=0)


def test_progress_callback(small_data):
    calls = []
    run_experiment(_cfg({}, seeds=2), small_data, progress=lambda *a: calls.append(a))
    assert [c[0] for c in calls] == [0, 1, 2] and calls[-1] == (2, 2, "done")


def test_save_folder(result, tmp_path):
    out = result.save(tmp_path / "cmp")
    for name in EXPERIMENT_FILES:
        assert (out / name).is_file(), name
    back = pd.read_parquet(out / "runs.parquet")
    pd.testing.assert_frame_equal(back, result.runs)
    man = json.loads((out / "manifest.json").read_text())
    assert man["n_runs"] == 6 and man["kind"] == "compare" and man["skipped"]
    page = (out / "comparison.html").read_text()
    assert page.count("plotly.js v") <= 2 and page.count('<script type="text/javascript">/**') <= 1
    for div in ('id="metric-nmi"', 'id="seed-stability"', 'id="ranking"', "Friedman"):
        assert div in page
    assert "cdn.plot.ly/plotly" not in page and not re.search(r"<script[^>]*\ssrc=", page)
    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "notes.txt").write_text("keep")
    with pytest.raises(ClusterkitInputError, match="not a compare folder"):
        result.save(precious)
    assert result.save(out) == out  # a compare folder may be replaced


# ---- CLI --------------------------------------------------------------------------------


def _write_cfg(tmp_path, text=None):
    path = tmp_path / "exp.yaml"
    path.write_text(
        text
        or (
            "name: cli-compare\nseed: 3\nsweep:\n  grid:\n"
            "    community.name: [leiden, label_propagation]\n"
            "    community__resolution: [1.0, 2.0]\n  seeds: 2\n  rank: [nmi]\n"
        )
    )
    return path


def test_cli_compare_end_to_end_twice(small_folder, tmp_path, capsys):
    cfg = _write_cfg(tmp_path)
    outs = []
    for i in range(2):
        out = tmp_path / f"cmp{i}"
        code, stdout, err = run_cli(
            [
                "compare",
                str(cfg),
                "--data",
                str(small_folder),
                "--out",
                str(out),
                "--truth",
                str(small_folder / "truth.csv"),
            ],
            capsys,
        )
        assert code == 0, err
        assert "grid points" in stdout and "ranking" in stdout and "Friedman" in stdout
        for name in ("runs.parquet", "runs.csv", "summary.csv", "comparison.html", "manifest.json"):
            assert (out / name).is_file()
        outs.append(out)
    for name in ("runs.csv", "summary.csv"):
        a, b = (drop_timing(pd.read_csv(o / name)) for o in outs)
        pd.testing.assert_frame_equal(a, b, check_exact=True)
    runs = pd.read_csv(outs[0] / "runs.csv")
    assert len(runs) == 6 and "nmi" in runs.columns
    code, stdout, _ = run_cli(["runs", "--kind", "compare", "--json"], capsys)
    rows = [json.loads(line) for line in stdout.splitlines()]
    assert code == 0 and len(rows) == 2 and rows[0]["n_runs"] == 6
    assert rows[0]["name"] == "cli-compare" and rows[0]["metrics"]["best"]["nmi"]["label"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("sweep:\n  grid:\n    comunity.name: [leiden]\n", "Did you mean 'community'"),
        ("sweep:\n  grid:\n    community__resolutoin: [1]\n", "Did you mean community__resolution"),
        ("sweep:\n  grid:\n    community.name: []\n", "empty list of values"),
        ("sweep:\n  sedes: 2\n", "Did you mean 'seeds'"),
    ],
)
def test_cli_bad_sweep_exit_2_one_line(small_folder, tmp_path, capsys, text, expected):
    cfg = _write_cfg(tmp_path, text)
    code, _, err = run_cli(
        ["compare", str(cfg), "--data", str(small_folder), "--out", str(tmp_path / "o")], capsys
    )
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ")
    assert expected in lines[0]
    assert not (tmp_path / "o").exists()


def test_cli_bad_truth_exit_2(small_folder, tmp_path, capsys):
    cfg = _write_cfg(tmp_path)
    bad = tmp_path / "truth.csv"
    bad.write_text("member,community\na,1\n")
    code, _, err = run_cli(
        [
            "compare",
            str(cfg),
            "--data",
            str(small_folder),
            "--out",
            str(tmp_path / "o"),
            "--truth",
            str(bad),
        ],
        capsys,
    )
    assert code == 2 and "no 'member_id' column" in err and len(err.strip().splitlines()) == 1


def test_labels_table(result):
    lab = result.labels
    assert lab.columns[0] == "member_id" and len(lab.columns) == 1 + 2 * len(result.runs)
    assert np.array_equal(lab["member_id"].to_numpy(), lab["member_id"].sort_values().to_numpy())
