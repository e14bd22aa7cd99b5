"""Issue 15, first slice: odd but valid input accepted, bad input refused in one line (exit 2).

- ids spelt like a missing value (``NA``, ``null``, ``#N/A`` …) are ids in every format;
- a member seen only in a self-follow is kept;
- duplicate or colliding column names, non-object or nested JSONL, non-plain or unreadable
  configs and an ``--out`` under a file are refused with one line and exit 2, before any work;
- column names with quotes reach DuckDB quoted.
"""

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.config import load_config
from clusterkit.data import load_dataset
from clusterkit.data.sql import ident
from clusterkit.errors import ConfigError, DataError

NA_IDS = ["NA", "N/A", "n/a", "null", "NULL", "NaN", "-nan", "#N/A"]
RING = list(zip(NA_IDS, NA_IDS[1:] + NA_IDS[:1], strict=True))


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def write_follows(folder, fmt, pairs, extra=None):
    folder.mkdir(parents=True, exist_ok=True)
    df = pd.DataFrame(pairs, columns=["follower_id", "followee_id"])
    for k, v in (extra or {}).items():
        df[k] = v
    if fmt == "csv":
        df.to_csv(folder / "follows.csv", index=False)
    elif fmt == "csv.gz":
        (folder / "follows.csv.gz").write_bytes(gzip.compress(df.to_csv(index=False).encode()))
    elif fmt == "jsonl":
        (folder / "follows.jsonl").write_text(
            "".join(json.dumps(r) + "\n" for r in df.to_dict("records")))
    else:
        df.to_parquet(folder / "follows.parquet", index=False)
    return folder


def assert_one_line_error(code, err, *needles):
    assert code == 2, err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    for needle in needles:
        assert needle in lines[0], lines[0]


# 1. ids spelt like missing values ------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "csv.gz", "jsonl", "parquet"])
def test_na_spelt_ids_are_ids_in_every_format(tmp_path, fmt):
    data = load_dataset(write_follows(tmp_path / "d", fmt, RING))
    assert sorted(data.member_ids) == sorted(NA_IDS)
    assert len(data.follows) == len(RING)


def test_na_spelt_ids_in_every_column_of_a_csv(tmp_path):
    (tmp_path / "events.csv").write_text(
        "member_id,action,timestamp,target_id,channel,value\n"
        "NA,like,2026-01-01T00:00:00Z,null,N/A,NA\n"
        "null,share,2026-01-02T00:00:00Z,#N/A,,3\n"
        "b,like,2026-01-03T00:00:00Z,,web,\n")
    (tmp_path / "members.csv").write_text(
        "member_id,name,followers,created_at,score\nNaN,NULL,NA,NA,NA\nb,,12,,1.5\n")
    data = load_dataset(tmp_path)
    assert list(data.member_ids) == ["NA", "NaN", "b", "null"]
    ev = data.events.set_index("member_id")
    assert ev.loc["NA", "target_id"] == "null" and ev.loc["null", "target_id"] == "#N/A"
    assert ev.loc["NA", "channel"] == "N/A"
    assert pd.isna(ev.loc["b", "target_id"])  # empty is missing
    assert np.isnan(ev.loc["NA", "value"]) and ev.loc["null", "value"] == 3.0  # numeric parses
    assert data.members.loc["NaN", "name"] == "NULL"
    assert np.isnan(data.members.loc["NaN", "followers"])
    assert data.members.loc["b", "followers"] == 12.0
    assert pd.isna(data.members.loc["NaN", "created_at"])
    assert pd.api.types.is_float_dtype(data.members["score"])  # numeric attribute stays numeric
    assert "#N/A" in data.outside_ids


@pytest.mark.parametrize("fmt", ["csv", "jsonl"])
def test_na_spelt_members_appear_in_segments(tmp_path, capsys, fmt):
    folder = write_follows(tmp_path / "d", fmt, RING)
    code, _, err = run_cli(["run", "--data", str(folder), "--out", str(tmp_path / "run"),
                            "--no-report"], capsys)
    assert code == 0, err
    seg = pd.read_csv(tmp_path / "run" / "segments.csv", dtype=str, keep_default_na=False)
    assert sorted(seg["member_id"]) == sorted(NA_IDS)


# 2. self-follow only --------------------------------------------------------------------------

def test_member_only_in_a_self_follow_is_kept(tmp_path, capsys):
    folder = write_follows(tmp_path / "d", "csv", [("a", "b"), ("b", "a"), ("c", "c")])
    data = load_dataset(folder)
    assert list(data.member_ids) == ["a", "b", "c"]
    assert len(data.follows) == 2
    assert any("dropped 1 self-follow(s)" in w for w in data.warnings)
    code, _, err = run_cli(["run", "--data", str(folder), "--out", str(tmp_path / "run"),
                            "--no-report"], capsys)
    assert code == 0, err
    seg = pd.read_csv(tmp_path / "run" / "segments.csv", dtype=str)
    assert sorted(seg["member_id"]) == ["a", "b", "c"]
    assert "dropped 1 self-follow(s)" in err


# 3. crashes become one-line errors -----------------------------------------------------------

@pytest.mark.parametrize("name, text, needles", [
    ("members.csv", "member_id,member_id\na,a\nb,b\n", ["'member_id' appears twice"]),
    ("members.csv", "member_id, member_id\na,a\nb,b\n", ["'member_id' appears twice"]),
    ("members.csv", "member_id,x,x\na,1,2\nb,1,2\n", ["'x' appears twice", "columns 2 and 3"]),
    ("members.csv", "member_id,MEMBER_ID\na,x\nb,y\n", ["'member_id'", "'MEMBER_ID'"]),
    ("members.csv", "member_id,,\na,1,\nb,,\n", ["column 2 has no name"]),
])
def test_colliding_columns_refused(tmp_path, capsys, name, text, needles):
    write_follows(tmp_path / "d", "csv", [("a", "b"), ("b", "a")])
    (tmp_path / "d" / name).write_text(text)
    code, _, err = run_cli(["run", "--data", str(tmp_path / "d"), "--out",
                            str(tmp_path / "run"), "--no-report"], capsys)
    assert_one_line_error(code, err, name, *needles)
    assert not (tmp_path / "run").exists()


@pytest.mark.parametrize("header", ["follower_id,followee_id,follower_id",
                                    "follower_id,followee_id,FOLLOWEE_ID"])
def test_colliding_required_columns_refused_in_events_and_follows(tmp_path, header):
    (tmp_path / "follows.csv").write_text(header + "\na,b,c\nb,a,c\n")
    with pytest.raises(DataError, match="Rename or remove one of them"):
        load_dataset(tmp_path)


def test_trailing_comma_gives_an_empty_column_that_is_dropped(tmp_path):
    (tmp_path / "follows.csv").write_text("follower_id,followee_id,\na,b,\nb,a,\n")
    data = load_dataset(tmp_path)
    assert list(data.follows.columns) == ["follower_id", "followee_id"]


@pytest.mark.parametrize("text, needles", [
    ('{"follower_id": "a", "followee_id": "b", "x": {"k": 1}}', ["line 1", "'x'", "object"]),
    ('{"follower_id": "a", "followee_id": "b"}\n{"follower_id": "b", "followee_id": "a", '
     '"x": [1]}', ["line 2", "'x'", "list"]),
    ('{"follower_id": "a", "followee_id": "b"}\n[1, 2]', ["line 2", "not an object"]),
    ('{"follower_id": "a", "followee_id": "b"}\n\n"a"', ["line 3", "not an object"]),
    ('{"follower_id": "a", "followee_id": "b"}\n{"follower_id": ', ["line 2", "not valid JSON"]),
    ('{"follower_id": "a", "followee_id": "b", "follower_id": "c"}',
     ["line 1", "'follower_id' appears twice"]),
])
def test_jsonl_non_objects_and_nested_values_refused(tmp_path, capsys, text, needles):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "follows.jsonl").write_text(text + "\n")
    code, _, err = run_cli(["run", "--data", str(tmp_path / "d"), "--out",
                            str(tmp_path / "run"), "--no-report"], capsys)
    assert_one_line_error(code, err, "follows.jsonl", *needles)


@pytest.mark.parametrize("kind", ["date", "binary", "set", "latin1", "folder"])
def test_non_plain_or_unreadable_config_refused(tmp_path, capsys, kind):
    path = tmp_path / "cfg.yaml"
    if kind == "folder":
        path.mkdir()
    else:
        path.write_bytes({"date": b"name: 2026-01-01\n", "binary": b"name: !!binary aGk=\n",
                          "set": b"name: !!set {a: null}\n",
                          "latin1": b"name: caf\xe9\n"}[kind])
    with pytest.raises(ConfigError, match="cfg.yaml"):
        load_config(path)
    write_follows(tmp_path / "d", "csv", [("a", "b"), ("b", "a")])
    code, _, err = run_cli(["run", str(path), "--data", str(tmp_path / "d"), "--out",
                            str(tmp_path / "run"), "--no-report"], capsys)
    assert_one_line_error(code, err, "cfg.yaml")


def test_date_in_set_override_is_its_text():
    assert load_config(None, ["name=2026-01-01"]).name == "2026-01-01"


def test_out_under_a_file_refused_before_any_work(tmp_path, capsys):
    (tmp_path / "afile").write_text("x")
    # the data folder does not exist: the --out check must come first
    code, out, err = run_cli(["run", "--data", str(tmp_path / "missing"), "--out",
                              str(tmp_path / "afile" / "run"), "--no-report"], capsys)
    assert_one_line_error(code, err, "afile", "is a file")
    assert out == ""


def test_out_at_data_folder_refused_before_any_work(tmp_path, capsys):
    folder = write_follows(tmp_path / "d", "csv", [("a", "b"), ("b", "a")])
    code, _, err = run_cli(["run", "--data", str(folder), "--out", str(folder),
                            "--no-report"], capsys)
    assert_one_line_error(code, err, "is not a run folder")
    assert "loading" not in err and "warning" not in err
    assert sorted(p.name for p in folder.iterdir()) == ["follows.csv"]


# 4. identifiers quoted in DuckDB SQL ---------------------------------------------------------

def test_ident_doubles_quotes():
    assert ident("a") == '"a"'
    assert ident('we"ird') == '"we""ird"'


@pytest.mark.parametrize("col", ['we"ird', '"', "x NULLS LAST; DROP TABLE t; --", 'a""b'])
def test_column_names_with_quotes_reach_duckdb_quoted(tmp_path, col):
    frame = pd.DataFrame({"follower_id": ["a", "b"], "followee_id": ["b", "a"],
                          col: ["1", "2"]})
    frame.to_parquet(tmp_path / "follows.parquet", index=False)
    data = load_dataset(tmp_path)
    assert list(data.member_ids) == ["a", "b"]
    assert (col) in data.follows.columns


# further cases of the families --------------------------------------------------------

@pytest.mark.parametrize("name", ["follows.csv", "events.jsonl", "members.csv"])
def test_a_folder_named_like_a_table_is_refused(tmp_path, capsys, name):
    folder = write_follows(tmp_path / "d", "jsonl" if name == "follows.csv" else "csv",
                           [("a", "b"), ("b", "a")])
    (folder / name).mkdir()
    code, _, err = run_cli(["run", "--data", str(folder), "--out", str(tmp_path / "run"),
                            "--no-report"], capsys)
    assert_one_line_error(code, err, name, "is a folder")


@pytest.mark.parametrize("column, value, needle", [
    ("followers", "-5", "negative"), ("following", "-1e12", "negative"),
    ("followers", "inf", "infinite"), ("score", "-5", None),
])
def test_negative_counts_and_infinite_numbers_refused(tmp_path, column, value, needle):
    write_follows(tmp_path, "csv", [("a", "b"), ("b", "a")])
    (tmp_path / "members.csv").write_text(f"member_id,{column}\na,{value}\nb,3\n")
    if needle is None:  # an attribute may be negative
        assert load_dataset(tmp_path).members.loc["a", column] == -5
        return
    with pytest.raises(DataError, match=rf"members.csv: column '{column}' has 1 {needle} "
                                        r"value\(s\) at rows \[1\]"):
        load_dataset(tmp_path)


def test_infinite_event_value_names_file_column_and_rows(tmp_path):
    (tmp_path / "events.csv").write_text(
        "member_id,action,timestamp,value\na,like,2026-01-01T00:00:00Z,1\n"
        "b,purchase,2026-01-02T00:00:00Z,-inf\n")
    with pytest.raises(DataError, match=r"events.csv: column 'value' .*infinite.*rows \[2\]"):
        load_dataset(tmp_path)


def test_a_long_text_field_is_read(tmp_path):
    write_follows(tmp_path, "csv", [("a", "b"), ("b", "a")])
    bio = "x" * 3_000_000  # longer than pyarrow's default CSV block
    (tmp_path / "members.csv").write_text(f"member_id,bio\na,{bio}\nb,short\n")
    data = load_dataset(tmp_path)
    assert len(data.members.loc["a", "bio"]) == 3_000_000


def test_float_ids_past_int64_are_read_exactly(tmp_path):
    (tmp_path / "follows.jsonl").write_text(
        '{"follower_id": 1e20, "followee_id": 2}\n{"follower_id": 2, "followee_id": 1e20}\n')
    data = load_dataset(tmp_path)
    assert list(data.member_ids) == ["100000000000000000000", "2"]


# temporary folders: private while written, removed after a kill -----------------------------

def test_temporary_folder_is_private_and_output_is_not(tmp_path):
    import os
    import stat

    from clusterkit.provenance import atomic_folder

    out = tmp_path / "run"
    with atomic_folder(out) as tmp:
        assert stat.S_IMODE(tmp.stat().st_mode) == 0o700
        (tmp / "manifest.json").write_text("{}")
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(out.stat().st_mode) == 0o777 & ~umask
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


def test_folder_left_by_a_killed_write_is_removed_by_the_next(tmp_path):
    import subprocess
    import sys

    from clusterkit.provenance import atomic_folder

    out = tmp_path / "run"
    code = ("import os, signal, sys\n"
            "from clusterkit.provenance import atomic_folder\n"
            "with atomic_folder(sys.argv[1]) as tmp:\n"
            "    (tmp / 'identifiers.parquet').write_text('secret')\n"
            "    os.kill(os.getpid(), signal.SIGKILL)\n")
    proc = subprocess.run([sys.executable, "-c", code, str(out)], timeout=120)
    assert proc.returncode != 0
    left = [p.name for p in tmp_path.iterdir()]
    assert len(left) == 1 and left[0].startswith(".run.") and left[0].endswith(".tmp")
    with atomic_folder(out) as tmp:
        (tmp / "manifest.json").write_text("{}")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["run"]


# epoch timestamps in any unit -----------------------------------------------------------------

@pytest.mark.parametrize("value, word", [
    ("1700000000", None), ("1700000000000", "milliseconds"),
    ("1700000000000000", "microseconds"), ("1700000000000000000", "nanoseconds"),
])
def test_epoch_unit_told_by_magnitude_and_recorded(tmp_path, capsys, value, word):
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "events.csv").write_text(
        f"member_id,action,timestamp\na,like,{value}\nb,share,2023-11-15T00:00:00Z\n")
    data = load_dataset(tmp_path / "d")
    ts = data.events.set_index("member_id")["timestamp"]
    assert ts["a"] == pd.Timestamp("2023-11-14T22:13:20Z")
    noted = [w for w in data.warnings if "epoch" in w]
    assert (noted == []) if word is None else (word in noted[0] and "events.csv" in noted[0])
    code, _, err = run_cli(["run", "--data", str(tmp_path / "d"), "--out",
                            str(tmp_path / "run"), "--no-report"], capsys)
    assert code == 0, err
    manifest = json.loads((tmp_path / "run" / "manifest.json").read_text())
    assert word is None or any(word in w for w in manifest["warnings"])


def test_numeric_epoch_milliseconds_in_parquet(tmp_path):
    pd.DataFrame({"member_id": ["a", "b"], "action": ["like", "like"],
                  "timestamp": np.array([1700000000000, 1700000001000], dtype=np.int64)}
                 ).to_parquet(tmp_path / "events.parquet", index=False)
    data = load_dataset(tmp_path)
    assert data.events["timestamp"].min() == pd.Timestamp("2023-11-14T22:13:20Z")
