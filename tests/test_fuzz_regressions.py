"""Issue 15: crashes found by the fuzz of the other commands (tests/fuzz_commands.py), each
refused now in one line with exit code 2, nothing written."""

from __future__ import annotations

import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.errors import ClusterkitInputError
from clusterkit.profile import INDEX_FILE, ProfileIndex


def _one_error_line(capsys) -> str:
    captured = capsys.readouterr()
    lines = [ln for ln in captured.err.splitlines() if ln.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), captured.err
    assert "Traceback" not in captured.err + captured.out
    return lines[0]


@pytest.mark.parametrize("content", [b"not a run folder\n", bytes(range(256)) * 8, b""])
def test_profile_of_a_file_that_is_no_index_is_one_line(tmp_path, capsys, content):
    run = tmp_path / "run"
    run.write_bytes(content)  # was: internal error, IOException "not a valid DuckDB file"
    assert main(["profile", str(run), "m1"]) == 2
    assert "is not a clusterkit profile index" in _one_error_line(capsys)


def test_profile_index_that_is_garbage_is_an_input_error(tmp_path):
    (tmp_path / "manifest.json").write_text("{}")
    (tmp_path / INDEX_FILE).write_bytes(b"\xff" * 4096)
    with pytest.raises(ClusterkitInputError, match="is not a clusterkit profile index"):
        ProfileIndex(tmp_path)


def test_compare_spec_with_a_date_value_is_one_line(tmp_path, capsys):
    spec = tmp_path / "spec.yaml"  # was: internal error, date is not JSON serializable
    spec.write_text("name: 2026-01-01\nsweep: {grid: {community__resolution: [1.0]}}\n")
    assert main(["compare", str(spec), "--data", str(tmp_path), "--out",
                 str(tmp_path / "out")]) == 2
    assert "quote it to make it a string" in _one_error_line(capsys)
    assert not (tmp_path / "out").exists()


def test_campaign_window_from_year_1_to_9999_is_a_config_error(tmp_path):
    from clusterkit.campaign.spec import load_campaign
    from clusterkit.errors import ConfigError

    spec = tmp_path / "c.yaml"  # was: internal error, OverflowError: date value out of range
    spec.write_text("bloggers: [a]\nwindow: {start: 0001-01-01, end: 9999-12-31}\n")
    with pytest.raises(ConfigError, match="reaches past the years 1-9999"):
        load_campaign(spec)


def test_campaign_microseconds_are_exact_outside_pandas_nanosecond_range():
    from datetime import UTC, datetime

    from clusterkit.campaign.match_spec import _us

    # was: OverflowError "Cannot convert Timestamp to nanoseconds" for 0100-01-01 .. 9999-01-01
    assert _us(datetime(1970, 1, 2, tzinfo=UTC)) == 86_400_000_000
    assert _us(datetime(9999, 1, 1, tzinfo=UTC)) == 253_370_764_800_000_000
    assert _us(datetime(100, 1, 1, tzinfo=UTC)) == -59_011_459_200_000_000


@pytest.mark.parametrize("out", ["afile", "afile/links.csv", "afile/deeper/folder", "adir.csv"])
def test_resolve_out_that_cannot_be_written_is_refused_before_work(tmp_path, capsys, out):
    data = tmp_path / "data"
    data.mkdir()
    (data / "follows.csv").write_text("follower_id,followee_id\na,b\nb,c\n")
    (tmp_path / "afile").write_text("a file\n")
    (tmp_path / "adir.csv").mkdir()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    # was: internal error, FileExistsError, after the resolution had run
    assert main(["resolve", "--data", str(data), "--rules-only", "--show", "0",
                 "--out", str(tmp_path / out)]) == 2
    assert "--out" in _one_error_line(capsys)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


def test_resolve_writes_a_links_file_whole(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "follows.csv").write_text("follower_id,followee_id\na,b\nb,c\n")
    assert main(["resolve", "--data", str(data), "--rules-only", "--show", "0",
                 "--out", str(tmp_path / "sub" / "links.csv")]) == 0
    assert (tmp_path / "sub" / "links.csv").is_file()
    assert [p.name for p in (tmp_path / "sub").iterdir()] == ["links.csv"]


def _tiny_run(folder):
    import json

    import pandas as pd

    folder.mkdir()
    pd.DataFrame({"member_id": ["a", "b"], "segment": ["fans", "core"], "role": ["fan", "fan"],
                  "engagement_weight": [1.0, 2.0], "influence": [0.1, 0.2],
                  "confidence": [1.0, 1.0]}).to_parquet(folder / "segments.parquet")
    (folder / "manifest.json").write_text(json.dumps({"config_hash": "c", "seed": 1}))
    return folder


@pytest.mark.parametrize("manifest", [b"\xff\xfe not utf-8", b"[1, 2]", b'{"seed": ', b""])
def test_export_of_a_run_with_a_broken_manifest_is_one_line(tmp_path, capsys, manifest):
    run = _tiny_run(tmp_path / "run")
    (run / "manifest.json").write_bytes(manifest)  # was: UnicodeDecodeError, internal error
    assert main(["export", str(run), "--all", "--out", str(tmp_path / "o.csv")]) == 2
    assert "manifest" in _one_error_line(capsys)
    assert not (tmp_path / "o.csv").exists()


@pytest.mark.parametrize("out", ["afile/o.csv", "afile/x/y/o.csv"])
def test_export_out_under_a_file_is_one_line(tmp_path, capsys, out):
    run = _tiny_run(tmp_path / "run")
    (tmp_path / "afile").write_text("a file\n")  # was: FileExistsError, internal error
    assert main(["export", str(run), "--all", "--out", str(tmp_path / out)]) == 2
    assert "cannot be created" in _one_error_line(capsys)


@pytest.mark.parametrize(("name", "content"), [
    ("manifest.json", b"\xff\xfe not utf-8"), ("manifest.json", b"[]"),
    ("segments.parquet", bytes(range(256)) * 4), ("segments.parquet", b"PAR1")])
def test_campaign_on_a_run_with_a_broken_file_is_one_line(tmp_path, capsys, name, content):
    run = _tiny_run(tmp_path / "run")
    (run / name).write_bytes(content)  # was: UnicodeDecodeError / ArrowInvalid, internal error
    spec = tmp_path / "c.yaml"
    spec.write_text("bloggers: [a]\nwindow: {start: 2026-04-01, end: 2026-04-08}\n")
    assert main(["campaign", str(run), str(spec), "--out", str(tmp_path / "c")]) == 2
    assert name in _one_error_line(capsys)
    assert not (tmp_path / "c").exists()


def test_iso_timestamps_with_nanoseconds_and_a_space_load(tmp_path):
    # was: internal error, TypeError "Invalid value ... for dtype 'datetime64[us, UTC]'"
    # (pandas' own CSV writer spells timestamps this way; Arrow's fast path refuses them)
    import pandas as pd

    from clusterkit.data import load_dataset

    (tmp_path / "events.csv").write_text(
        "member_id,action,timestamp\n"
        "a,like,2026-01-14 04:18:58.981379846+00:00\n"
        "b,like,1768364338\n")
    ts = load_dataset(tmp_path).events.sort_values("member_id")["timestamp"]
    assert ts.tolist() == [pd.Timestamp("2026-01-14 04:18:58.981379", tz="UTC"),
                           pd.Timestamp(1768364338, unit="s", tz="UTC")]


def test_rfc3339_lower_case_t_and_z_load(tmp_path):
    # was: "unparsable timestamp" for RFC 3339's lower-case separators
    import pandas as pd

    from clusterkit.data import load_dataset

    (tmp_path / "events.csv").write_text(
        "member_id,action,timestamp\n"
        "a,like,2026-03-01t12:00:00z\n"
        "b,like,2026-03-01T12:00:00Z\n"
        "c,like,2026-03-01t13:30:00+01:00\n")
    ts = load_dataset(tmp_path).events.sort_values("member_id")["timestamp"]
    assert ts.tolist() == [pd.Timestamp("2026-03-01 12:00", tz="UTC")] * 2 + \
        [pd.Timestamp("2026-03-01 12:30", tz="UTC")]


def test_identities_naming_unknown_members_are_said(tmp_path):
    # was: their rows silently linked nothing
    from clusterkit.data import load_dataset

    (tmp_path / "events.csv").write_text(
        "member_id,action,timestamp\na,like,2026-03-01\nb,like,2026-03-01\n")
    (tmp_path / "identities.csv").write_text(
        "member_id,channel,handle\na,x,@a\nghost,x,@g\nb,ig,@b\n")
    said = [w for w in load_dataset(tmp_path).warnings if "identities.csv" in w]
    assert len(said) == 1 and "1 member_id(s) are not members" in said[0]
    assert "ghost" in said[0]
    (tmp_path / "identities.csv").write_text("member_id,channel,handle\na,x,@a\n")
    assert not [w for w in load_dataset(tmp_path).warnings if "identities" in w]


@pytest.mark.parametrize("content, encoding, said", [
    ("member_id;action;timestamp\na;like;2026-03-01\n", "utf-8",
     "looks delimited by ';': save the file comma-separated"),
    ("member_id\taction\ttimestamp\na\tlike\t2026-03-01\n", "utf-8",
     "looks delimited by '\\t'"),
    ("member_id,action,timestamp,channel\nJosé,like,2026-03-01,x\n", "latin-1",
     "(line 2)"),
    ("member_id,action,timestamp,channel\nJosé,like,2026-03-01,x\n", "latin-1",
     "save it as UTF-8"),
    ("member_id,action,timestamp\na,like,2026-03-01\nb,like,2026-03-01,Kim, Alex\n", "utf-8",
     "quote values that hold the delimiter"),
    ("member_id,action,timestamp\r\na,like,2026-03-01\r\na,like,2026-03-02\r\n"
     "b,like,2026-03-01,Kim, Alex\r\n", "utf-8", "events table (line 4)"),
    ("member_id,action,timestamp\n" + "a,like,2026-03-01\n" * 3 + "zoë,like,2026-03-01\n",
     "latin-1", "(line 5)"),
])
def test_a_badly_saved_csv_says_how_to_fix_it(tmp_path, capsys, content, encoding, said):
    # was: the reader's message alone (no fix), or "missing required column" for ';'
    from clusterkit.cli.app import main

    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "events.csv").write_bytes(content.encode(encoding))
    assert main(["run", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "r"),
                 "--no-report"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and said in err[0], err


@pytest.mark.parametrize("line, said", [
    ('{"member_id": "b", "action": "like", "timestamp": ', "line 3 is not valid JSON: the line "
                                                            "stops early, cut off?"),
    ('{"member_id": "b" "action": "like"}', "line 3 is not valid JSON: expecting ',' delimiter "
                                            "at character 19 of 35"),
])
def test_a_bad_jsonl_line_is_described_by_its_own_characters(tmp_path, capsys, line, said):
    # was: "line 11 is not valid JSON (Expecting value: line 2 column 1 (char 176))"
    from clusterkit.cli.app import main

    (tmp_path / "d").mkdir()
    good = '{"member_id": "a", "action": "like", "timestamp": "2026-03-01"}\n'
    (tmp_path / "d" / "events.jsonl").write_text(good * 2 + line + "\n", encoding="utf-8")
    assert main(["run", "--data", str(tmp_path / "d"), "--out", str(tmp_path / "r"),
                 "--no-report"]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and said in err[0], err


def test_a_bad_set_is_blamed_on_set_not_on_the_file(tmp_path):
    # was: "configs/default.yaml: unknown key 'cluster.bogus'" for --set cluster.bogus=1
    from clusterkit.config import load_config
    from clusterkit.errors import ConfigError

    cfg = tmp_path / "c.yaml"
    cfg.write_text("seed: 3\n")
    with pytest.raises(ConfigError, match=r"^--set: unknown key 'cluster.bogus'"):
        load_config(cfg, ["cluster.bogus=1"])
    cfg.write_text("seed: 3\nbogus: 1\n")  # the file's own mistake stays the file's
    with pytest.raises(ConfigError, match=r"c\.yaml: unknown key 'bogus'"):
        load_config(cfg, ["seed=4"])
    cfg.write_text("seed: -1\n")  # a bad file value mended by --set is no error
    assert load_config(cfg, ["seed=4"]).seed == 4


def test_a_bad_set_on_compare_is_blamed_on_set_too(tmp_path):
    from clusterkit.errors import ConfigError
    from clusterkit.experiment import load_experiment

    spec = tmp_path / "sweep.yaml"
    spec.write_text("sweep: {grid: {community__resolution: [0.5, 1.0]}, seeds: 1}\n")
    with pytest.raises(ConfigError, match=r"^--set: unknown key 'cluster.bogus'"):
        load_experiment(spec, ["cluster.bogus=1"])
    spec.write_text("bogus: 1\nsweep: {grid: {community__resolution: [0.5]}, seeds: 1}\n")
    with pytest.raises(ConfigError, match=r"sweep\.yaml: unknown key 'bogus'"):
        load_experiment(spec, [])


def test_more_clusters_than_members_names_the_group_and_the_fix():
    # was: "KMeansCluster: n_samples=73 should be >= 5000 clusters."
    from clusterkit.config import RunConfig, apply_overrides
    from clusterkit.data import CommunityData
    from clusterkit.errors import DataError
    from clusterkit.pipeline import Pipeline
    from clusterkit.synthetic import generate

    data = CommunityData.from_frames(**generate(300, seed=1).tables)
    cfg = apply_overrides(RunConfig(), ["cluster.params.n_clusters=5000",
                                        "attribution.enabled=false"])
    with pytest.raises(DataError, match=r"cluster, group '\w+' \([\d,]+ members\): KMeansCluster: "
                                        r"n_clusters=5000 is more than the [\d,]+ members to "
                                        r"cluster; lower n_clusters or set it to 'auto'"):
        Pipeline(cfg).run(data)


@pytest.mark.parametrize("table, column", [("events", "value"), ("members", "followers")])
def test_a_true_false_column_is_not_read_as_numbers(tmp_path, table, column):
    # was: a Parquet bool column taken as 1 / 0 without a word
    from clusterkit.data import CommunityData
    from clusterkit.errors import DataError

    tables = {"events": pd.DataFrame({"member_id": ["a", "b"], "action": ["purchase", "like"],
                                      "timestamp": ["2026-03-01", "2026-03-02"]})}
    if table == "members":
        tables["members"] = pd.DataFrame({"member_id": ["a", "b"]})
    tables[table][column] = [True, False]
    with pytest.raises(DataError, match=f"column '{column}' must be numeric but is a "
                                        "true/false column"):
        CommunityData.from_frames(**tables)
