"""The command line: exit codes, one-line errors, the run folder, generate and stages."""

import subprocess
import sys

import pandas as pd
import pytest

from clusterkit.cli.app import main


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_help_is_fast_and_lists_commands():
    proc = subprocess.run([sys.executable, "-m", "clusterkit.cli.app", "--help"],
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0
    for cmd in ("demo", "generate", "run", "stages"):
        assert cmd in proc.stdout
    heavy = subprocess.run(
        [sys.executable, "-c", "import sys, clusterkit.cli.app; "
         "print(sorted(m for m in ('pandas', 'sklearn', 'umap', 'plotly', 'igraph', 'duckdb') "
         "if m in sys.modules))"], capture_output=True, text=True, timeout=60)
    assert heavy.stdout.strip() == "[]"


def test_run_writes_run_folder(small_folder, tmp_path, capsys):
    code, out, err = run_cli(["run", "--data", str(small_folder), "--out",
                              str(tmp_path / "run"), "--no-report"], capsys)
    assert code == 0, err
    seg = pd.read_csv(tmp_path / "run" / "segments.csv")
    assert len(seg) == 600
    assert "segments" in out
    # the profile index's part built before the run was moved in, and nothing is left beside
    assert (tmp_path / "run" / "profile.duckdb").is_file()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_a_run_that_fails_after_the_profile_part_leaves_nothing(small_folder, tmp_path,
                                                                 capsys):
    # the profile index's part is built before the run; the run then fails in a step
    code, _, err = run_cli(["run", "--data", str(small_folder), "--out", str(tmp_path / "run"),
                            "--set", "cluster.params.n_clusters=500",
                            "--set", "engine.attribution_beside=false"], capsys)
    # (a step failing beside another would end the process at once: not in a test)
    assert code == 2 and "n_clusters" in err
    assert [p.name for p in tmp_path.iterdir() if p.name in ("run",) or p.name[0] == "."] == []


@pytest.mark.parametrize("content, expected", [
    ("member_id,timestamp\na,2026-01-01\n", "missing required column 'action'"),
    ("member_id,action,timestamp\na,like,soon\n", "unparsable timestamp"),
    ("member_id,action,timestamp,value\na,like,2026-01-01,x\n", "must be numeric"),
    ("", "the file is empty"),
])
def test_bad_data_one_line_exit_2(tmp_path, capsys, content, expected):
    (tmp_path / "events.csv").write_text(content)
    code, out, err = run_cli(["run", "--data", str(tmp_path), "--out",
                              str(tmp_path / "run")], capsys)
    assert code == 2
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert "Traceback" not in err
    assert not (tmp_path / "run").exists()  # nothing half-written


def test_duplicate_member_exit_2(tmp_path, capsys):
    (tmp_path / "members.csv").write_text("member_id\na\na\n")
    (tmp_path / "follows.csv").write_text("follower_id,followee_id\na,b\n")
    code, _, err = run_cli(["run", "--data", str(tmp_path), "--out", str(tmp_path / "r")],
                           capsys)
    assert code == 2 and "duplicate member_id" in err


def test_bad_config_exit_2(small_folder, tmp_path, capsys):
    code, _, err = run_cli(["run", "--data", str(small_folder), "--out", str(tmp_path / "r"),
                            "--set", "community.name=leidn"], capsys)
    assert code == 2
    assert "Did you mean 'leiden'" in err and len(err.strip().splitlines()) == 1
    cfg = tmp_path / "bad.yaml"
    cfg.write_text("seed: 1\nclustr: {name: kmeans}\n")
    code, _, err = run_cli(["run", str(cfg), "--data", str(small_folder)], capsys)
    assert code == 2 and "unknown key 'clustr'" in err and "Did you mean 'cluster'" in err


def test_debug_shows_traceback(tmp_path, capsys):
    (tmp_path / "events.csv").write_text("member_id\na\n")
    code, _, err = run_cli(["--debug", "run", "--data", str(tmp_path)], capsys)
    assert code == 2 and "Traceback" in err
    code, _, err = run_cli(["run", "--data", str(tmp_path), "--debug"], capsys)  # anywhere
    assert code == 2 and "Traceback" in err
    code, _, err = run_cli(["run", "--data", str(tmp_path)], capsys)
    assert code == 2 and "Traceback" not in err and len(err.strip().splitlines()) == 1


@pytest.mark.parametrize("argv, expected", [
    (["run", "--no-such-option"], "No such option: --no-such-option"),
    (["runs", "--limit", "0"], "'--limit'"),
    (["export"], "Missing argument"),
    (["no-such-command"], "No such command"),
])
def test_usage_error_is_one_line_exit_2(capsys, argv, expected):
    assert main(argv) == 2
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: ") and expected in lines[0]
    assert "--help" in lines[0] and "Usage:" not in err


def test_help_and_bare_command_exit_0(capsys):
    assert main(["run", "--help"]) == 0
    assert "Usage" in capsys.readouterr().out
    assert main([]) == 0
    assert "Commands" in capsys.readouterr().out


def test_existing_non_run_folder_is_not_overwritten(small_folder, tmp_path, capsys):
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    code, _, err = run_cli(["run", "--data", str(small_folder), "--out", str(out),
                            "--no-report"], capsys)
    assert code == 2 and "not a run folder" in err
    assert (out / "notes.txt").read_text() == "keep me"


def test_generate_and_stages(tmp_path, capsys):
    code, _, err = run_cli(["generate", "--members", "200", "--out", str(tmp_path / "g"),
                            "--format", "parquet"], capsys)
    assert code == 0, err
    assert (tmp_path / "g" / "events.parquet").is_file()
    assert (tmp_path / "g" / "truth.csv").is_file()
    code, out, _ = run_cli(["stages", "--kind", "community"], capsys)
    assert code == 0 and "leiden" in out and "louvain" in out


def test_every_command_help_has_an_example(capsys):
    from clusterkit.cli.app import app

    names = [c.name or c.callback.__name__ for c in app.registered_commands]
    assert len(names) >= 12
    for name in names:
        assert main([name, "--help"]) == 0
        out = capsys.readouterr().out
        assert "Example: " in out and f"clusterkit {name}" in out, name


def test_features_writes_the_member_feature_table(small_folder, small_synth, tmp_path, capsys):
    """``clusterkit features`` writes build_features' table (member_id a column), refuses an
    existing --out and, before starting Spark, a features section the Spark engine lacks."""
    from clusterkit.config import RunConfig
    from clusterkit.data import load_dataset
    from clusterkit.features import build_features

    out = tmp_path / "f.parquet"
    code, _, err = run_cli(["features", "--data", str(small_folder), "--out", str(out)], capsys)
    assert code == 0, err
    assert "600 members" in err
    got = pd.read_parquet(out).set_index("member_id")
    want, _ = build_features(load_dataset(small_folder),
                             [(s.name, s.params) for s in RunConfig().features])
    pd.testing.assert_frame_equal(got, want, check_names=False, check_index_type=False)
    code, _, err = run_cli(["features", "--data", str(small_folder), "--out", str(out)], capsys)
    assert code == 2 and "exists" in err and len(err.strip().splitlines()) == 1
    cfg = tmp_path / "c.yaml"
    cfg.write_text("features:\n- name: behaviour\n")
    code, _, err = run_cli(["features", str(cfg), "--engine", "spark", "--data",
                            str(small_folder), "--out", str(tmp_path / "s.parquet")], capsys)
    assert code == 2 and "the Spark engine builds the features" in err
    assert len(err.strip().splitlines()) == 1
    code, _, err = run_cli(["features", "--engine", "dask", "--data", str(small_folder)], capsys)
    assert code == 2 and "--engine must be default or spark" in err


def test_a_cli_exit_with_a_step_still_running_beside_ends_the_process_at_once(monkeypatch):
    # Ctrl-C (or an error) in front of attribution running beside: the interpreter's
    # shutdown freed memory the step's native code still used ("free(): invalid pointer",
    # SIGABRT), so main ends the process with its exit code instead
    import importlib
    import threading

    from clusterkit.provenance import StepClock

    cli_app = importlib.import_module("clusterkit.cli.app")  # the module, not the Typer app

    release, exits = threading.Event(), []
    job = StepClock({}, {}).beside("attribution", lambda: release.wait(10))
    monkeypatch.setattr(cli_app, "_main", lambda argv=None: 130)
    monkeypatch.setattr(cli_app.os, "_exit", exits.append)
    cli_app.main([])
    assert exits == [130]
    release.set()
    job.result()
    exits.clear()
    cli_app.main([])  # nothing beside any more: a normal return
    assert exits == []


def test_a_spark_run_checks_the_community_parameters_before_spark_starts(
        small_folder, tmp_path, capsys, monkeypatch):
    """The community stage may run on Spark (a graph above engine.spark_collect_pairs): its
    parameters are checked first, in one line, and nothing is written."""
    import clusterkit.engines.spark as engine

    def no_spark(*args, **kwargs):
        raise AssertionError("Spark started before the config was checked")

    monkeypatch.setattr(engine, "local_session", no_spark)
    cfg = tmp_path / "c.yaml"
    cfg.write_text("community:\n  name: leiden\n  params:\n    resolution: -1\n")
    out = tmp_path / "r"
    code, _, err = run_cli(["run", str(cfg), "--engine", "spark", "--data", str(small_folder),
                            "--out", str(out), "--no-report"], capsys)
    assert code == 2 and "resolution" in err and len(err.strip().splitlines()) == 1, err
    assert not out.exists()
