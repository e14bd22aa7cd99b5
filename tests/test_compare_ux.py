"""compare as a user meets it: errors before any work, one recommendation, degenerate points
flagged, noise shown, truth-based ranking, deterministic tie-break (issue 14)."""

from pathlib import Path

import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.errors import ConfigError
from clusterkit.experiment import ExperimentConfig, load_experiment, run_experiment
from clusterkit.experiment.ranking import rank_methods
from clusterkit.experiment.verdict import decide, degenerate_flags
from clusterkit.synthetic.community import generate

CONFIGS = Path(__file__).parent.parent / "configs"
GRID = {"community.name": ["leiden", "label_propagation"], "cluster.name": ["kmeans", "hdbscan"]}


@pytest.fixture(scope="module")
def tiny():
    return generate(300, seed=3)


@pytest.fixture(scope="module")
def tiny_folder(tiny, tmp_path_factory):
    return tiny.write(tmp_path_factory.mktemp("tiny") / "data")


@pytest.fixture
def no_work(monkeypatch):
    """Reading the data or starting a run fails the test: errors must come before."""

    def boom(*a, **k):
        raise AssertionError("work started before the spec was checked")

    monkeypatch.setattr("clusterkit.data.load_dataset", boom)
    monkeypatch.setattr("clusterkit.experiment.runner._one_run", boom)


def _cli(args, capsys):
    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


# ---- errors before work ---------------------------------------------------------------


def test_config_without_sweep_is_refused_before_work(tiny_folder, tmp_path, capsys, no_work):
    out = tmp_path / "cmp"
    code, _, err = _cli(["compare", CONFIGS / "default.yaml", "--data", tiny_folder,
                         "--out", out], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and "no 'sweep' block" in lines[0]
    assert "--set 'sweep.grid." in lines[0]  # says how to add one
    assert not out.exists()


def test_set_sweep_turns_a_run_config_into_a_sweep():
    cfg = load_experiment(CONFIGS / "default.yaml", ["sweep.grid.community.name=[leiden, louvain]"])
    assert [p.label for p in cfg.points()[0]] == ["leiden", "louvain"]


def test_rank_nmi_without_truth_is_refused_before_work(tiny_folder, tmp_path, capsys, no_work):
    out = tmp_path / "cmp"
    code, _, err = _cli(["compare", CONFIGS / "compare_example.yaml", "--data", tiny_folder,
                         "--out", out, "--set", "sweep.rank=[nmi]"], capsys)
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and "--truth" in lines[0] and "'nmi'" in lines[0]
    assert not out.exists()


def test_unmeasurable_rank_metrics_are_config_errors(tiny, no_work):
    cfg = ExperimentConfig.from_dict({"sweep": {"grid": GRID, "rank": ["ari"]}})
    with pytest.raises(ConfigError, match="pass --truth"):
        run_experiment(cfg, CommunityData.from_frames(**tiny.tables))
    roles_only = tiny.truth[["role"]]
    with pytest.raises(ConfigError, match="the truth has only role"):
        run_experiment(cfg, CommunityData.from_frames(**tiny.tables), truth=roles_only)
    with pytest.raises(ConfigError, match="sweep.bootstrap"):
        ExperimentConfig.from_dict({"sweep": {"grid": GRID, "rank": ["community_jaccard"]}})


# ---- the verdict on made-up tables (no pipeline) ---------------------------------------


def _verdict(values, *, ari=None, noise=None, n_comm=None, grid_keys=(), metric="modularity"):
    """``values``: label -> per-seed metric values."""
    labels = list(values)
    n = len(next(iter(values.values())))
    runs = pd.DataFrame([
        {"point": i, "label": lab, "seed_index": s, metric: values[lab][s],
         "n_communities": (n_comm or {}).get(lab, 4), "n_clusters": 3,
         "noise_share": (noise or {}).get(lab, 0.0)}
        for i, lab in enumerate(labels) for s in range(n)
    ])
    g = runs.groupby("point")
    summary = pd.DataFrame({
        "point": range(len(labels)), "label": labels,
        f"{metric}_mean": g[metric].mean().to_numpy(),
        f"{metric}_std": g[metric].std(ddof=1).to_numpy(),
        "noise_share_mean": g["noise_share"].mean().to_numpy(),
        "community_seed_ari": [(ari or {}).get(lab, 0.9) for lab in labels],
        "wall_s_mean": 1.0,
    })
    flags = degenerate_flags(runs, summary)
    ranking = rank_methods(runs, [metric], method_cols="label", block_cols="seed_index")
    return decide(summary, ranking, flags=flags, grid_keys=grid_keys)


def test_tie_is_shown_and_broken_by_seed_stability():
    v = _verdict({"a": [0.4, 0.4, 0.4], "b": [0.4, 0.4, 0.4], "c": [0.1, 0.2, 0.1]},
                 ari={"a": 0.8, "b": 0.95})
    assert v.winner == "b" and v.runner_up == "a" and v.ties == [["b", "a"]]
    assert "tied on rank, chosen by community seed ARI 0.950 vs 0.800" in v.line
    assert "ties of the mean rank: b = a at 1.50; broken by higher community seed ARI" in (
        " ".join(v.notes))


def test_tie_falls_back_to_spread_then_grid_order():
    v = _verdict({"a": [0.4, 0.5, 0.3], "b": [0.4, 0.5, 0.3], "c": [0.1, 0.2, 0.1]})
    assert v.winner == "a" and "grid order" in v.line  # all equal: the earlier point
    again = _verdict({"a": [0.4, 0.5, 0.3], "b": [0.4, 0.5, 0.3], "c": [0.1, 0.2, 0.1]})
    assert again.to_dict() == v.to_dict()  # deterministic: no wall time involved


def test_winner_line_names_one_point_with_its_margin():
    v = _verdict({"a": [0.30, 0.31, 0.32], "b": [0.40, 0.41, 0.42], "c": [0.1, 0.2, 0.1]})
    assert v.line.startswith("recommended: b, mean rank 1.00 on modularity")
    assert "vs 0.31 for the runner-up a (+0.1)" in v.line
    assert any(n.startswith("Friedman (modularity): p =") for n in v.notes)
    assert any(n.startswith("Nemenyi (winner vs runner-up)") for n in v.notes)
    assert any("Wilcoxon-Holm" in n and "cannot go below" in n for n in v.notes)


def test_degenerate_points_are_flagged_and_never_win():
    v = _verdict({"lp": [0.9, 0.9, 0.9], "hdb": [0.8, 0.8, 0.8], "a": [0.4, 0.5, 0.4]},
                 n_comm={"lp": 1}, noise={"hdb": 0.26}, ari={"lp": 1.0})
    assert v.flags == {"lp": "1 community", "hdb": "26% noise"}
    assert v.winner == "a" and "only grid point that is not degenerate" in v.line
    assert v.order == ["a", "lp", "hdb"]
    assert any("lp: 1 community; its seed ARI 1 only says the collapse repeats" in n
               for n in v.notes)
    none = _verdict({"lp": [0.9, 0.9], "b": [0.1, 0.2]}, n_comm={"lp": 1, "b": 1})
    assert none.winner is None and none.line.startswith("no recommendation")


def test_modularity_resolution_note_only_when_resolution_is_swept():
    values = {"a": [0.3, 0.3], "b": [0.4, 0.4]}
    swept = _verdict(values, grid_keys=["community__resolution"])
    assert any("favours resolution near 1.0" in n for n in swept.notes)
    assert not any("resolution" in n for n in _verdict(values, grid_keys=["x"]).notes)


# ---- one small sweep through the API and the CLI ---------------------------------------


@pytest.fixture(scope="module")
def swept(tiny):
    cfg = ExperimentConfig.from_dict({"seed": 3, "sweep": {"grid": GRID, "seeds": 2}})
    mp = pytest.MonkeyPatch()

    def no_attribution(*a, **k):
        raise AssertionError("attribution ran in a sweep that does not vary it")

    mp.setattr("clusterkit.attribution.attribution_outputs", no_attribution)
    try:
        return run_experiment(cfg, CommunityData.from_frames(**tiny.tables), truth=tiny.truth)
    finally:
        mp.undo()


def test_sweep_ranks_by_truth_skips_attribution_and_flags(swept):
    assert list(swept.ranking.metrics) == ["nmi"]  # a truth: ranked by agreement with it
    assert swept.verdict.notes[0].startswith("ranked by nmi")
    assert swept.manifest["attribution"].startswith("off")
    s = swept.summary.set_index("label")
    assert s.loc["label_propagation, kmeans", "flag"].startswith("1 community")
    assert "noise" in s.loc["leiden, hdbscan", "flag"]  # HDBSCAN leaves most as noise here
    assert swept.verdict.winner == "leiden, kmeans"
    assert swept.manifest["recommendation"]["label"] == "leiden, kmeans"


def test_cli_prints_noise_flags_and_one_recommendation(tiny_folder, tmp_path, capsys):
    exp = tmp_path / "exp.yaml"
    exp.write_text("name: ux\nseed: 3\nsweep:\n  grid:\n"
                   "    community.name: [leiden, label_propagation]\n  seeds: 2\n")
    out = tmp_path / "cmp"
    code, stdout, err = _cli(["compare", exp, "--data", tiny_folder, "--out", out,
                              "--truth", tiny_folder / "truth.csv"], capsys)
    assert code == 0, err
    flat = " ".join(stdout.split())
    assert "noise" in flat and "degenerate" in flat and "ranked by nmi" in flat
    assert sum(ln.startswith("recommended: ") for ln in stdout.splitlines()) == 1
    assert "recommended: leiden" in flat
    assert "Recommendation" in (out / "comparison.html").read_text()
    summary = pd.read_csv(out / "summary.csv")
    assert summary.set_index("label").loc["label_propagation", "flag"] == "1 community"



def test_compare_tables_keep_words_whole_at_80_columns():
    import re
    from types import SimpleNamespace

    from rich.console import Console

    from clusterkit.cli.compare import _print_compare

    labels = [f"{m}, resolution={r}" for m in ("leiden", "louvain") for r in (0.5, 1.0, 2.0)]
    labels.append("label_propagation")
    values = {lab: [0.4 + 0.01 * i, 0.41 + 0.01 * i, 0.42] for i, lab in enumerate(labels)}
    v = _verdict(values, n_comm={"label_propagation": 1}, metric="nmi",
                 grid_keys=["community__resolution"])
    runs = pd.DataFrame([{"point": i, "label": lab, "seed_index": s, "nmi": values[lab][s],
                          "n_communities": 1 if lab == "label_propagation" else 9}
                         for i, lab in enumerate(labels) for s in range(3)])
    g = runs.groupby("point")
    summary = pd.DataFrame({
        "point": range(len(labels)), "label": labels,
        "nmi_mean": g["nmi"].mean().to_numpy(), "nmi_std": g["nmi"].std().to_numpy(),
        "n_communities_mean": g["n_communities"].mean().to_numpy(),
        "n_communities_std": g["n_communities"].std().to_numpy(),
        "noise_share_mean": 0.0, "community_seed_ari": 0.9, "wall_s_mean": 0.7,
        "flag": [v.flags.get(lab, "") and "1 community in 2/3 seeds" for lab in labels]})
    result = SimpleNamespace(
        summary=summary, verdict=v, runs=runs, manifest={"seeds": [1, 2, 3]},
        ranking=rank_methods(runs, ["nmi"], method_cols="label", block_cols="seed_index"),
        skipped=pd.DataFrame({"reason": []}))
    console = Console(width=80, record=True, color_system=None)
    _print_compare(result, console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    words = set(re.findall(r"\S+", " ".join(labels + list(summary["flag"]))))
    words |= {"degenerate", "communities", "recommended"}
    found = set(re.findall(r"[^\s│┃|]+", text))
    assert words <= found, sorted(words - found)  # each word whole on one line
