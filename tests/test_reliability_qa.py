"""Reliability fixes found by QA: valid but odd data runs, bad input fails in one line."""

import re

import numpy as np
import pandas as pd
import pytest
from test_bad_input_slice import assert_one_line_error

from clusterkit.attribution import AttributionConfig, attribution_outputs
from clusterkit.config import RunConfig, apply_overrides
from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline
from clusterkit.synthetic import generate

FAST = ["attribution.models=[last, model]"]


@pytest.fixture(scope="module")
def tables():
    """300 synthetic members, as ``clusterkit generate --members 300`` writes them."""
    return dict(generate(300, seed=1).tables)


# 1. touches outside every lookback window ------------------------------------------------

def test_run_with_one_event_far_after_the_rest_learns_weights(tables):
    """One event a year after the others ends every non-converting journey there: their
    touches fall outside every 30-day window, but the default model (whole spells) credits
    them. The run completes and every touch type of the data has a finite weight."""
    events = tables["events"].copy()
    events.loc[events.index[0], "timestamp"] = "2027-01-01T00:00:00Z"
    data = CommunityData.from_frames(**{**tables, "events": events})
    result = Pipeline(apply_overrides(RunConfig(), FAST)).run(data)
    weights = result.attribution["weights"]
    touches = data.events.loc[data.events["action"] != "purchase", ["action", "channel"]]
    have = set(zip(weights["action"], weights["channel"], strict=True))
    assert set(touches.itertuples(index=False, name=None)) <= have
    assert np.isfinite(weights["weight"]).all() and (weights["weight"] >= 0).all()


def test_attribution_with_a_tiny_lookback_still_learns_weights(tables):
    """``lookback_days=0.001`` leaves almost no touch in a window: the windowed models
    credit nothing (a warning each), the default model and the weights stand."""
    data = CommunityData.from_frames(**tables)
    out = attribution_outputs(data, AttributionConfig(models=["last", "model"],
                                                      lookback_days=0.001,
                                                      placebo_check=False))
    att = out["attribution"]
    assert att.loc[att["model"] == "model", "share"].notna().any()
    assert att.loc[att["model"] == "last", "share"].isna().all()
    assert len(out["weights"]) and np.isfinite(out["weights"]["weight"]).all()
    result = Pipeline(apply_overrides(RunConfig(), [*FAST, "attribution.lookback_days=0.001"]))
    warnings = result.run(data).manifest["warnings"]
    assert any("model 'last' credits no conversion" in w for w in warnings)


# helpers for the command line ------------------------------------------------------------

def run_cli(args, capsys):
    from clusterkit.cli.app import main

    code = main([str(a) for a in args])
    out = capsys.readouterr()
    return code, out.out, out.err


def write_events(folder, rows):
    folder.mkdir(parents=True, exist_ok=True)
    pd.DataFrame(rows, columns=["member_id", "action", "timestamp"]).to_csv(
        folder / "events.csv", index=False)
    return folder


EVENTS = [("a", "like", "2026-01-01T00:00:00Z"), ("b", "like", "2026-01-02T00:00:00Z"),
          ("a", "comment", "2026-01-03T00:00:00Z")]


# 2. nested (list, struct, map) values ------------------------------------------------------

@pytest.mark.parametrize("values", [
    [["x", "y"], None, ["z"]],  # a Parquet list column
    [{"k": 1}, {"k": 2}, None],  # a struct column
])
def test_parquet_nested_column_refused_at_load_in_one_line(tmp_path, capsys, values):
    import pyarrow as pa
    import pyarrow.parquet as pq

    folder = write_events(tmp_path / "d", EVENTS)
    pq.write_table(pa.table({"member_id": ["a", "b", "c"], "tags": values}),
                   folder / "members.parquet")
    code, out, err = run_cli(["run", "--data", folder, "--out", tmp_path / "run",
                              "--no-report"], capsys)
    assert_one_line_error(code, err, "members.parquet", "column 'tags'", "nested",
                          "rows [1, 2]" if values[1] is not None else "rows [1, 3]")
    assert not (tmp_path / "run").exists()


def test_nested_values_refused_from_python_as_from_jsonl(tmp_path):
    from clusterkit.data import load_dataset
    from clusterkit.errors import DataError

    members = pd.DataFrame({"member_id": ["a", "b"], "tags": [np.array(["x"]), None]})
    with pytest.raises(DataError, match="column 'tags' holds nested values") as info:
        CommunityData.from_frames(events=pd.DataFrame(EVENTS, columns=[
            "member_id", "action", "timestamp"]), members=members)
    assert info.value.column == "tags" and info.value.rows == [1]
    folder = write_events(tmp_path / "d", EVENTS)
    (folder / "members.jsonl").write_text('{"member_id": "a", "tags": ["x"]}\n')
    with pytest.raises(DataError, match="members.jsonl: line 1: the value of 'tags'"):
        load_dataset(folder)
    # plain mixed values (text beside numbers) are still attributes
    (folder / "members.jsonl").write_text('{"member_id": "a", "v": "x"}\n'
                                          '{"member_id": "b", "v": 1.5}\n')
    assert load_dataset(folder).n_members == 2


# 3. true/false as timestamps -------------------------------------------------------------

@pytest.mark.parametrize("table, column", [("events", "timestamp"), ("follows", "since"),
                                           ("members", "created_at")])
def test_boolean_timestamps_refused_in_jsonl_and_parquet(tmp_path, capsys, table, column):
    import json

    rows = {"events": [{"member_id": "a", "action": "like"},
                       {"member_id": "b", "action": "like"}],
            "follows": [{"follower_id": "a", "followee_id": "b"},
                        {"follower_id": "b", "followee_id": "a"}],
            "members": [{"member_id": "a"}, {"member_id": "b"}]}[table]
    rows = [{**r, column: flag} for r, flag in zip(rows, [True, False], strict=True)]
    for fmt in ("jsonl", "parquet"):
        folder = tmp_path / fmt
        folder.mkdir()
        if table != "events":
            write_events(folder, EVENTS)
        path = folder / f"{table}.{fmt}"
        if fmt == "jsonl":
            path.write_text("".join(json.dumps(r) + "\n" for r in rows))
        else:
            pd.DataFrame(rows).to_parquet(path, index=False)
        code, _, err = run_cli(["run", "--data", folder, "--out", tmp_path / f"run_{fmt}",
                                "--no-report"], capsys)
        assert_one_line_error(code, err, f"{table}.{fmt}", f"column {column!r}",
                              "true/false", "rows [1, 2]")
        assert not (tmp_path / f"run_{fmt}").exists()


# 4. influence weights --------------------------------------------------------------------

@pytest.mark.parametrize("value, needles", [
    ("{reach: -1}", ["influence_weights.reach must be a finite number >= 0", "Got -1"]),
    ("{reach: .nan}", ["influence_weights.reach must be a finite number >= 0", "Got nan"]),
    ("{reach: 1, authority: .inf}", ["influence_weights.authority must be a finite number"]),
    ("{reach: 0, authority: 0}", ["influence_weights: every weight is 0"]),
])
def test_bad_influence_weights_refused_from_set_and_yaml(tmp_path, capsys, value, needles):
    from clusterkit.config import RunConfig, apply_overrides, load_config
    from clusterkit.errors import ConfigError

    for call in (lambda: load_config(None, [f"influence_weights={value}"]),
                 lambda: apply_overrides(RunConfig(), [f"influence_weights={value}"])):
        with pytest.raises(ConfigError) as info:
            call()
        assert all(n in str(info.value) for n in needles), str(info.value)
    path = tmp_path / "cfg.yaml"
    path.write_text(f"influence_weights: {value}\n")
    folder = write_events(tmp_path / "d", EVENTS)
    code, _, err = run_cli(["run", path, "--data", folder, "--out", tmp_path / "run",
                            "--no-report"], capsys)
    assert_one_line_error(code, err, *needles)
    assert not (tmp_path / "run").exists()


def test_valid_influence_weights_still_accepted():
    from clusterkit.config import load_config

    assert load_config(None, ["influence_weights={reach: 0, authority: 2}"]) \
        .influence_weights == {"reach": 0.0, "authority": 2.0}
    assert load_config(None, []).influence_weights == {}  # the defaults


# 5. seed ---------------------------------------------------------------------------------

@pytest.mark.parametrize("value, needle", [
    ("1180591620717411303424", "less than or equal to 9223372036854775807"),
    ("true", "valid integer (got True)"),
    ("false", "valid integer (got False)"),
    ("-1", "greater than or equal to 0"),
])
def test_bad_seed_refused_from_set_and_yaml(tmp_path, capsys, value, needle):
    from clusterkit.config import RunConfig, apply_overrides, load_config
    from clusterkit.errors import ConfigError

    with pytest.raises(ConfigError, match=rf"seed: .*{re.escape(needle)}"):
        load_config(None, [f"seed={value}"])
    with pytest.raises(ConfigError, match=rf"--set: seed: .*{re.escape(needle)}"):
        apply_overrides(RunConfig(), [f"seed={value}"])
    path = tmp_path / "cfg.yaml"
    path.write_text(f"seed: {value}\n")
    folder = write_events(tmp_path / "d", EVENTS)
    code, _, err = run_cli(["run", path, "--data", folder, "--out", tmp_path / "run",
                            "--no-report"], capsys)
    assert_one_line_error(code, err, "cfg.yaml: seed:", needle)
    assert not (tmp_path / "run").exists()


def test_largest_seed_accepted():
    from clusterkit.config import load_config

    assert load_config(None, [f"seed={2**63 - 1}"]).seed == 2**63 - 1
    assert load_config(None, ["seed=0"]).seed == 0


# 6. generate into a folder that holds files ----------------------------------------------

@pytest.mark.parametrize("fmt", ["csv", "parquet"])
def test_generate_refuses_a_non_empty_folder(tmp_path, capsys, fmt):
    out = tmp_path / "mydata"
    out.mkdir()
    (out / "events.csv").write_text("member_id,action,timestamp\na,like,2026-01-01\n")
    code, _, err = run_cli(["generate", "--members", "50", "--out", out, "--format", fmt],
                           capsys)
    assert_one_line_error(code, err, str(out), "not empty", "new or empty folder")
    assert sorted(p.name for p in out.iterdir()) == ["events.csv"]  # untouched
    assert (out / "events.csv").read_text().endswith("a,like,2026-01-01\n")


def test_generate_writes_a_new_or_empty_folder_whole_or_not_at_all(tmp_path, capsys,
                                                                   monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    for out in (empty, tmp_path / "new" / "sub"):
        code, _, err = run_cli(["generate", "--members", "50", "--out", out, "--format",
                                "parquet"], capsys)
        assert code == 0, err
        assert {"events.parquet", "truth.csv"} <= {p.name for p in out.iterdir()}
    from clusterkit.synthetic.community import SyntheticData

    def broken(self, out_dir, format="csv"):
        (out_dir / "events.csv").write_text("half")
        raise OSError("disk full")

    monkeypatch.setattr(SyntheticData, "write", broken)
    code, _, err = run_cli(["generate", "--members", "50", "--out", tmp_path / "half"],
                           capsys)
    assert code == 1 and "disk full" in err
    left = {p.name for p in tmp_path.iterdir()} - {"ckhome", "empty", "new"}
    assert not left  # neither "half" nor a temporary folder beside it


# 7. files in the data folder that are not read -------------------------------------------

def test_misnamed_table_files_are_named_in_the_run_warnings(tmp_path):
    import json

    folder = write_events(tmp_path / "d", EVENTS)
    (folder / "Members.csv").write_text("member_id,name\na,Ann\nz,Zed\n")
    (folder / "events.CSV").write_text("member_id,action,timestamp\n")
    (folder / "events.tsv").write_text("member_id\taction\ttimestamp\n")
    (folder / "members.xlsx").write_bytes(b"PK")
    (folder / "users.csv").write_text("member_id\n")
    for quiet in ("README.md", "truth.csv", ".DS_Store"):  # not tables: passed over
        (folder / quiet).write_text("x")
    (folder / "old").mkdir()
    from clusterkit.cli.app import main

    code = main(["run", "--data", str(folder), "--out", str(tmp_path / "run"), "--no-report"])
    assert code == 0
    warnings = json.loads((tmp_path / "run" / "manifest.json").read_text())["warnings"]
    unread = [w for w in warnings if "not read" in w]
    assert unread == [
        f"{folder / 'Members.csv'} is not read: table file names are lower-case "
        "(members.csv); rename it.",
        f"{folder / 'events.CSV'} is not read: events.csv is the events table read (table "
        "file names are lower-case).",
        f"{folder / 'events.tsv'} is not read: events.csv is the events table read (a table "
        "file is .csv, .csv.gz, .parquet or .jsonl).",
        f"{folder / 'members.xlsx'} is not read: a table file is .csv, .csv.gz, .parquet or "
        ".jsonl (members.csv …); convert or rename it.",
        f"{folder}: 1 file(s) not read, not named after a table (members, events, follows, "
        "identities as .csv, .csv.gz, .parquet or .jsonl): users.csv. Rename them, or move "
        "them out of the data folder."]
    assert not any(q in w for w in warnings for q in ("README", "truth.csv", "DS_Store"))


def test_a_table_named_only_in_the_wrong_case_is_named_in_the_error(tmp_path, capsys):
    folder = tmp_path / "d"
    folder.mkdir()
    (folder / "Follows.csv").write_text("follower_id,followee_id\na,b\n")
    code, _, err = run_cli(["run", "--data", folder, "--out", tmp_path / "run",
                            "--no-report"], capsys)
    assert_one_line_error(code, err, "no events or follows file",
                          "Follows.csv is not read: table file names are lower-case "
                          "(follows.csv); rename it.")


def test_a_clean_or_generated_folder_has_no_unread_warning(tmp_path):
    from clusterkit.data import load_dataset

    folder = generate(60, seed=3).write(tmp_path / "g")  # tables and truth.csv
    assert not [w for w in load_dataset(folder).warnings if "not read" in w]
