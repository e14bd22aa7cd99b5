"""The column mapping (``columns`` in the run config): files named otherwise than the contract."""

import pandas as pd
import pytest

from clusterkit.cli.app import main
from clusterkit.config import RunConfig, load_config
from clusterkit.data import load_dataset
from clusterkit.errors import ConfigError, DataError

MAP = {"events": {"user_id": "member_id", "type": "action", "ts": "timestamp",
                  "to": "target_id"},
       "follows": {"src": "follower_id", "dst": "followee_id"},
       "members": {"user_id": "member_id", "screen_name": "handle"}}

EVENTS = pd.DataFrame({"member_id": ["007", "NA", "7", "007"], "action": ["like", "share",
                       "comment", "purchase"], "target_id": ["7", "007", "NA", None],
                       "timestamp": ["2026-01-01T00:00:00Z", "2026-01-02T00:00:00Z",
                                     "2026-01-03T00:00:00Z", "2026-01-04T00:00:00Z"]})
FOLLOWS = pd.DataFrame({"follower_id": ["007", "7", "NA"], "followee_id": ["7", "NA", "007"]})
MEMBERS = pd.DataFrame({"member_id": ["007", "7", "NA"], "handle": ["@a", "@b", "@na"]})


def _write(folder, fmt, renamed: bool):
    folder.mkdir(parents=True, exist_ok=True)
    for name, df in (("events", EVENTS), ("follows", FOLLOWS), ("members", MEMBERS)):
        if renamed:
            df = df.rename(columns={v: k for k, v in MAP[name].items()})
        if fmt == "csv":
            df.to_csv(folder / f"{name}.csv", index=False)
        elif fmt == "jsonl":
            df.to_json(folder / f"{name}.jsonl", orient="records", lines=True)
        else:
            df.to_parquet(folder / f"{name}.parquet", index=False)
    return folder


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "parquet"])
def test_a_mapped_folder_loads_as_the_contract_would(tmp_path, fmt):
    plain = load_dataset(_write(tmp_path / "plain", fmt, renamed=False))
    mapped = load_dataset(_write(tmp_path / "mapped", fmt, renamed=True), columns=MAP)
    assert mapped.fingerprint() == plain.fingerprint()
    assert mapped.member_ids.tolist() == ["007", "7", "NA"]  # ids verbatim, not numbers
    assert list(mapped.members["handle"]) == ["@a", "@b", "@na"]


@pytest.mark.parametrize("columns, message", [
    ({"event": {"a": "member_id"}}, "unknown table 'event'. Did you mean 'events'?"),
    ({"events": {"a": "member"}}, "'member' is not a column of the events table. Did you "
                                  "mean 'member_id'?"),
    ({"events": {"a": "member_id", "b": "member_id"}}, "'a' and 'b' are both mapped"),
    ({"events": ["user_id"]}, "columns.events: expected {file column: contract column}"),
    ({"events": {"": "member_id"}}, "both names must be non-empty text"),
])
def test_a_bad_mapping_is_a_config_error(tmp_path, columns, message):
    folder = _write(tmp_path / "mapped", "csv", renamed=True)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("{", r"\{")
                       .replace("?", r"\?")):
        load_dataset(folder, columns=columns)


def test_a_mapped_column_missing_from_the_file_or_colliding_names_the_file(tmp_path):
    folder = _write(tmp_path / "mapped", "csv", renamed=True)
    bad = {**MAP, "follows": {"source": "follower_id", "dst": "followee_id"}}
    with pytest.raises(DataError, match=r"follows.csv.*'source' \(mapped to 'follower_id'"):
        load_dataset(folder, columns=bad)
    both = pd.read_csv(folder / "follows.csv").assign(follower_id="x")
    both.to_csv(folder / "follows.csv", index=False)
    with pytest.raises(DataError, match="has both 'src' and 'follower_id'"):
        load_dataset(folder, columns=MAP)


def test_the_run_config_carries_the_mapping_and_the_cli_uses_it(tmp_path, capsys):
    assert RunConfig().columns == {}
    folder = _write(tmp_path / "mapped", "csv", renamed=True)
    cfg = tmp_path / "cfg.yaml"
    cfg.write_text("columns:\n" + "".join(
        f"  {t}: {{{', '.join(f'{k}: {v}' for k, v in m.items())}}}\n" for t, m in MAP.items())
        + "attribution: {enabled: false}\nreport: {enabled: false}\n")
    assert load_config(cfg).columns == MAP
    code = main(["run", str(cfg), "--data", str(folder), "--out", str(tmp_path / "run"),
                 "--no-report"])
    assert code == 0, capsys.readouterr().err
    seg = pd.read_csv(tmp_path / "run" / "segments.csv", dtype=str, keep_default_na=False)
    assert sorted(seg["member_id"]) == ["007", "7", "NA"]
    capsys.readouterr()
    code = main(["run", str(cfg), "--data", str(folder), "--out", str(tmp_path / "run2"),
                 "--set", "columns.events.user_id=member"])
    err = capsys.readouterr().err
    assert code == 2 and len(err.strip().splitlines()) == 1 and "Did you mean 'member_id'" in err
    assert not (tmp_path / "run2").exists()


def test_ids_are_stripped_and_blank_ones_are_missing():
    # stripping and blanks-as-missing, whether or not a column has a blank value at all
    from clusterkit.data import CommunityData

    events = pd.DataFrame({"member_id": [" a", "b ", "a"], "action": ["like", " share", "like"],
                           "target_id": ["b", "   ", ""],
                           "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03"]})
    data = CommunityData.from_frames(events=events)
    assert sorted(data.member_ids) == ["a", "b"]
    ev = data.events.sort_values("timestamp")
    assert ev["action"].astype(str).tolist() == ["like", "share", "like"]
    assert ev["target_id"].isna().tolist() == [False, True, True]


def test_a_run_on_events_whose_topic_column_is_empty():
    # an optional column present but empty everywhere is valid input (it crashed the
    # fingerprint: a category column with no category at all)
    from clusterkit.data import CommunityData
    from clusterkit.pipeline import Pipeline

    events = pd.DataFrame({"member_id": ["a", "b", "c"], "action": ["like", "share", "post"],
                           "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03"],
                           "topic": [None, None, None], "target_id": ["b", "a", None]})
    data = CommunityData.from_frames(events=events)
    assert len(data.fingerprint()) > 0
    result = Pipeline().run(data)
    assert sorted(result.segments["member_id"]) == ["a", "b", "c"]
