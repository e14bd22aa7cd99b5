"""The run registry: recording, listing, filters, and never failing the run."""

import json
import os
import stat
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from clusterkit.cli.app import main
from clusterkit.errors import ClusterkitInputError
from clusterkit.experiment.tracking import list_runs, record, registry_path


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    path = tmp_path / "ckhome"
    monkeypatch.setenv("CLUSTERKIT_HOME", str(path))
    return path


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_registry_path_follows_env(home, monkeypatch):
    assert registry_path() == home / "runs.duckdb"
    monkeypatch.delenv("CLUSTERKIT_HOME")
    assert registry_path() == Path.home() / ".clusterkit" / "runs.duckdb"  # path only


def test_record_and_filter(home):
    assert list_runs().empty
    a = record(
        {
            "kind": "run",
            "name": "alpha",
            "config_hash": "abc123",
            "seed": 1,
            "modularity": 0.5,
            "metrics": {"x": float("nan"), "y": 1},
        }
    )
    b = record(
        {
            "kind": "compare",
            "name": "Beta sweep",
            "config_hash": "def456",
            "seed": 2,
            "created_at": datetime(2020, 1, 1),
        }
    )
    assert a and b and (home / "runs.duckdb").is_file()
    df = list_runs()
    assert df["id"].tolist() == [a, b]  # newest first
    assert json.loads(df.loc[0, "metrics"]) == {"x": None, "y": 1}
    assert list_runs(kind="compare")["id"].tolist() == [b]
    assert list_runs(name="beta")["id"].tolist() == [b]
    assert list_runs(config_hash="abc")["id"].tolist() == [a]
    assert list_runs(since="2021-01-01")["id"].tolist() == [a]
    assert list_runs(since=(datetime.now() - timedelta(days=400)).date())["id"].tolist() == [a]
    assert len(list_runs(limit=1)) == 1
    with pytest.raises(ClusterkitInputError, match="--since"):
        list_runs(since="yesterday")
    with pytest.raises(ClusterkitInputError, match="--kind"):
        list_runs(kind="sweep")


@pytest.mark.skipif(
    hasattr(os, "geteuid") and os.geteuid() == 0, reason="root ignores file permissions"
)
def test_read_only_home_warns_and_continues(home, capsys):
    home.mkdir()
    os.chmod(home, stat.S_IRUSR | stat.S_IXUSR)
    try:
        assert record({"kind": "run", "name": "x"}) is None
    finally:
        os.chmod(home, stat.S_IRWXU)
    assert "warning: not recorded in the run registry" in capsys.readouterr().err


def test_unwritable_registry_warns_and_continues(home, capsys):
    home.mkdir()
    (home / "runs.duckdb").mkdir()  # a folder where the file should be: cannot be opened
    assert record({"kind": "run", "name": "x"}) is None
    err = capsys.readouterr().err
    assert err.startswith("warning: not recorded in the run registry")
    assert len(err.strip().splitlines()) == 1


def test_locked_registry_does_not_fail_the_run(home, small_folder, tmp_path, capsys, monkeypatch):
    import clusterkit.experiment.tracking as runs_mod

    record({"kind": "run", "name": "first"})
    monkeypatch.setattr(runs_mod, "_LOCK_TRIES", 2)
    monkeypatch.setattr(runs_mod, "_LOCK_WAIT_S", 0.05)
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); "
            "print('locked', flush=True); time.sleep(60)",
            str(home / "runs.duckdb"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "locked"
        code, out, err = run_cli(
            ["run", "--data", str(small_folder), "--out", str(tmp_path / "run"), "--no-report",
             "--set", "attribution.enabled=false"],  # the registry is the point, not the steps
            capsys,
        )
    finally:
        holder.kill()
        holder.wait()
    assert code == 0
    assert (tmp_path / "run" / "segments.csv").is_file()
    assert "warning: not recorded in the run registry" in err


def test_cli_run_is_recorded_and_listed(small_folder, tmp_path, capsys):
    code, _, err = run_cli(
        ["run", "--data", str(small_folder), "--out", str(tmp_path / "run"), "--no-report",
         "--set", "attribution.enabled=false"], capsys  # the registry is the point
    )
    assert code == 0, err
    df = list_runs()
    assert len(df) == 1
    row = df.iloc[0]
    man = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert row["kind"] == "run" and row["config_hash"] == man["config_hash"]
    assert row["data_fingerprint"] == man["data_fingerprint"] and row["seed"] == man["seed"]
    assert row["output_path"] == str((tmp_path / "run").resolve())
    assert row["n_segments"] > 0 and 0 < row["modularity"] < 1 and row["wall_s"] > 0
    assert json.loads(row["metrics"])["community"]["n_communities"] == row["n_communities"]
    code, out, _ = run_cli(["runs", "--kind", "run"], capsys)
    assert code == 0 and row["id"] in out and "recorded run" in out
    code, out, _ = run_cli(["runs", "--json", "--config-hash", man["config_hash"][:6]], capsys)
    assert code == 0 and json.loads(out.splitlines()[0])["id"] == row["id"]
    code, out, err = run_cli(["runs", "--kind", "compare"], capsys)
    assert code == 0 and "no runs recorded" in err
    code, _, err = run_cli(["runs", "--since", "soon"], capsys)
    assert code == 2 and "--since" in err


def test_duckdb_stays_lazy():
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sys, clusterkit.experiment.tracking, clusterkit.cli.app; "
            "print('duckdb' in sys.modules)",
        ],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert proc.stdout.strip() == "False"
