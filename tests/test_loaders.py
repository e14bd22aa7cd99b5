"""Loading and validating dataset folders: every error case names file, column, rows, fix."""

import gzip
import json

import numpy as np
import pandas as pd
import pytest

from clusterkit.data import CommunityData, load_dataset
from clusterkit.errors import DataError

EVENTS = (
    "member_id,action,timestamp,channel,target_id,value\n"
    "a,like,2026-01-01T10:00:00Z,twitter,b,\n"
    "b,post,1767261600,blog,,\n"
    "c,purchase,2026-01-03,shop,,19.5\n"
)
FOLLOWS = "follower_id,followee_id\na,b\nb,a\nc,brand\n"


def write(folder, name, text):
    (folder / name).write_text(text)
    return folder


def test_loads_csv_folder(tmp_path):
    write(tmp_path, "events.csv", EVENTS)
    write(tmp_path, "follows.csv", FOLLOWS)
    data = load_dataset(tmp_path)
    assert list(data.member_ids) == ["a", "b", "brand", "c"]
    assert str(data.events["timestamp"].dt.tz) == "UTC"
    assert data.events.loc[data.events.member_id == "b", "timestamp"].iloc[0] == pd.Timestamp(
        "2026-01-01T10:00:00Z")
    assert data.events["value"].dtype == np.float64


@pytest.mark.parametrize("fmt", ["csv.gz", "parquet", "jsonl"])
def test_other_formats_give_the_same_data(tmp_path, fmt):
    ref_dir = tmp_path / "csv"
    ref_dir.mkdir()
    write(ref_dir, "events.csv", EVENTS)
    ref = load_dataset(ref_dir)
    other = tmp_path / fmt
    other.mkdir()
    df = pd.read_csv(ref_dir / "events.csv", dtype=str)
    if fmt == "csv.gz":
        with gzip.open(other / "events.csv.gz", "wt") as fh:
            fh.write(EVENTS)
    elif fmt == "parquet":
        df.to_parquet(other / "events.parquet")
    else:
        with open(other / "events.jsonl", "w") as fh:
            for rec in df.to_dict(orient="records"):
                fh.write(json.dumps({k: v for k, v in rec.items() if isinstance(v, str)}) + "\n")
    got = load_dataset(other)
    assert list(got.member_ids) == list(ref.member_ids)
    assert got.fingerprint() == ref.fingerprint()


def test_members_only_listed_are_members_and_outside_accounts_counted(tmp_path):
    write(tmp_path, "members.csv", "member_id,name\na,A\nb,B\nc,C\nd,D\n")
    write(tmp_path, "follows.csv", FOLLOWS)
    data = load_dataset(tmp_path)
    assert list(data.member_ids) == ["a", "b", "c", "d"]  # d has no edge: kept
    assert list(data.outside_ids) == ["brand"]
    assert any("not members" in w and "'brand'" in w for w in data.warnings)


def test_missing_required_column(tmp_path):
    write(tmp_path, "events.csv", "member_id,timestamp\na,2026-01-01\n")
    with pytest.raises(DataError, match=r"events\.csv: missing required column 'action'") as e:
        load_dataset(tmp_path)
    assert e.value.column == "action"
    assert "Rename or add the column" in str(e.value)


def test_duplicate_member_id(tmp_path):
    write(tmp_path, "members.csv", "member_id,name\na,A\nb,B\na,A2\n")
    write(tmp_path, "follows.csv", FOLLOWS)
    with pytest.raises(DataError, match=r"members\.csv: duplicate member_id.*'a'.*rows \[1, 3\]"):
        load_dataset(tmp_path)


def test_unparsable_timestamps_quote_values_and_count(tmp_path):
    bad = "member_id,action,timestamp\na,like,2026-01-01\nb,like,yesterday\nc,like,31/02/2026\n"
    write(tmp_path, "events.csv", bad)
    with pytest.raises(DataError) as e:
        load_dataset(tmp_path)
    msg = str(e.value)
    assert "events.csv" in msg and "'timestamp'" in msg
    assert "2 unparsable timestamp(s)" in msg
    assert "'yesterday'" in msg and "rows [2, 3]" in msg
    assert "ISO-8601" in msg
    assert e.value.rows == [2, 3]


def test_empty_file_and_header_only(tmp_path):
    write(tmp_path, "events.csv", "")
    with pytest.raises(DataError, match=r"events\.csv: the file is empty"):
        load_dataset(tmp_path)
    write(tmp_path, "events.csv", "member_id,action,timestamp\n")
    with pytest.raises(DataError, match=r"no events or follows table with rows \(events: a "
                                        r"header only\)"):
        load_dataset(tmp_path)
    # a header only is a table without rows: read as no such table, and said
    write(tmp_path, "follows.csv", "follower_id,followee_id\na,b\n")
    write(tmp_path, "members.csv", "member_id,name\n")
    data = load_dataset(tmp_path)
    assert data.events is None and len(data.members.columns) == 0
    assert list(data.member_ids) == ["a", "b"]
    said = [w for w in data.warnings if "a header and no rows" in w]
    assert len(said) == 2 and any("members.csv" in w for w in said)
    write(tmp_path, "members.csv", "member_ID,name\n")  # still a contract breach
    with pytest.raises(DataError, match="missing required column 'member_id'"):
        load_dataset(tmp_path)


def test_non_numeric_value(tmp_path):
    text = ("member_id,action,timestamp,value\n"
            "a,purchase,2026-01-01,12.5\nb,purchase,2026-01-01,ten\n")
    write(tmp_path, "events.csv", text)
    with pytest.raises(DataError, match=r"column 'value' must be numeric.*rows \[2\].*'ten'"):
        load_dataset(tmp_path)


def test_self_follows_dropped_and_counted(tmp_path):
    write(tmp_path, "follows.csv", "follower_id,followee_id\na,b\nb,b\nc,c\nc,a\n")
    data = load_dataset(tmp_path)
    assert len(data.follows) == 2
    assert any("dropped 2 self-follow(s)" in w for w in data.warnings)
    assert "b" in data.member_ids and "c" in data.member_ids  # never dropped as members


def test_no_events_or_follows(tmp_path):
    write(tmp_path, "members.csv", "member_id\na\n")
    with pytest.raises(DataError, match="no events or follows file"):
        load_dataset(tmp_path)


def test_missing_folder(tmp_path):
    with pytest.raises(DataError, match="does not exist"):
        load_dataset(tmp_path / "nope")


def test_table_given_twice(tmp_path):
    write(tmp_path, "follows.csv", FOLLOWS)
    pd.read_csv(tmp_path / "follows.csv").to_parquet(tmp_path / "follows.parquet")
    with pytest.raises(DataError, match="given twice"):
        load_dataset(tmp_path)


def test_empty_member_id(tmp_path):
    write(tmp_path, "events.csv",
          "member_id,action,timestamp\na,like,2026-01-01\n,like,2026-01-01\n")
    with pytest.raises(DataError,
                       match=r"column 'member_id' is empty in 1 row\(s\), at rows \[2\]"):
        load_dataset(tmp_path)


def test_ids_stay_strings(tmp_path):
    write(tmp_path, "follows.csv", "follower_id,followee_id\n007,0100\n0100,7\n")
    data = load_dataset(tmp_path)
    assert list(data.member_ids) == ["007", "0100", "7"]


def test_row_order_does_not_matter(tmp_path):
    rng = np.random.default_rng(0)
    n = 200
    events = pd.DataFrame({
        "member_id": [f"m{i % 37}" for i in range(n)],
        "action": rng.choice(["like", "share", "post"], n),
        "timestamp": pd.date_range("2026-01-01", periods=n, freq="h").astype(str),
        "target_id": [f"m{(i * 7) % 37}" for i in range(n)],
    })
    a = CommunityData.from_frames(events=events)
    b = CommunityData.from_frames(events=events.sample(frac=1, random_state=3)[
        ["timestamp", "target_id", "action", "member_id"]])
    pd.testing.assert_frame_equal(a.events, b.events)
    assert a.fingerprint() == b.fingerprint()


def test_data_is_not_mutated():
    events = pd.DataFrame({"member_id": ["b", "a"], "action": ["Like", "post"],
                           "timestamp": ["2026-01-01", "2026-01-02"]})
    before = events.copy()
    CommunityData.from_frames(events=events)
    pd.testing.assert_frame_equal(events, before)


def test_low_cardinality_event_columns_are_categories_and_odd_values_survive(tmp_path):
    # memory at 1 M members: action, channel and topic as categories (sorted), with nulls
    # and the text 'NA' kept; a whole run and its folder work on them
    from clusterkit import save_run
    from clusterkit.data import CommunityData
    from clusterkit.pipeline import Pipeline

    events = pd.DataFrame({
        "member_id": ["a", "b", "c", "a", "b", "c"] * 4,
        "action": ["like", "share", "purchase", "comment", "NA", "like"] * 4,
        "timestamp": pd.date_range("2026-01-01", periods=24, freq="D").astype(str),
        "channel": pd.Series(["web", None, "NA", "app", "web", None] * 4, dtype=object),
        "topic": pd.Series([None, "#x", "x", "y", None, "NA"] * 4, dtype=object),
        "target_id": ["b", "c", None, "c", "a", "b"] * 4})
    data = CommunityData.from_frames(events=events)
    for col in ("action", "channel", "topic"):
        dtype = data.events[col].dtype
        assert isinstance(dtype, pd.CategoricalDtype)
        assert list(dtype.categories) == sorted(dtype.categories)
    assert data.events["channel"].isna().sum() == 8
    assert (data.events["action"] == "na").sum() == 4  # actions are folded to lower case
    out = save_run(Pipeline().run(data), tmp_path / "run", data=data)
    seg = pd.read_csv(out / "segments.csv", keep_default_na=False)
    assert sorted(seg["member_id"]) == ["a", "b", "c"]


def test_duplicate_follows_keep_the_same_copy_in_any_row_order():
    # a duplicate edge whose copies differ (channel, since) keeps the first copy in sorted
    # order, so the follows table does not depend on the rows' order
    from clusterkit.data import CommunityData

    follows = pd.DataFrame({
        "follower_id": ["a", "b", "a", "c", "a", "b"],
        "followee_id": ["b", "c", "b", "a", "b", "c"],
        "channel": ["x", "web", "blog", "x", "x", None],
        "since": pd.to_datetime(["2026-01-03", "2026-01-01", "2026-01-02", "2026-01-01",
                                 "2026-01-01", "2026-01-05"], utc=True)})
    seen = []
    for seed in range(4):
        shuffled = follows.sample(frac=1, random_state=seed).reset_index(drop=True)
        data = CommunityData.from_frames(follows=shuffled)
        assert any("dropped 3 duplicate follow edge(s)" in w for w in data.warnings)
        seen.append(data.follows)
    for other in seen[1:]:
        pd.testing.assert_frame_equal(seen[0], other)
    kept = seen[0].set_index(["follower_id", "followee_id"])["channel"]
    assert kept[("a", "b")] == "blog" and kept[("b", "c")] == "web" and len(kept) == 3
