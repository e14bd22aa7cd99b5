"""Member profiles: the index built with the run, lookups, and ``clusterkit profile``."""

import dataclasses
import json
import shutil

import numpy as np
import pandas as pd
import pytest

from clusterkit import save_run
from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.data.schema import AMPLIFYING_ACTIONS
from clusterkit.data.sql import connect
from clusterkit.errors import ClusterkitInputError
from clusterkit.pipeline import Pipeline
from clusterkit.profile import INDEX_FILE, ProfileIndex, lookup, write_profile_index
from clusterkit.results import load_run
from clusterkit.synthetic.community import generate

TABLES = ("profile_members", "profile_events", "profile_channels", "profile_topics",
          "profile_identities", "profile_amplifiers", "profile_keys", "profile_persons",
          "profile_meta")


@pytest.fixture(scope="module")
def synth():
    return generate(600, seed=21)


@pytest.fixture(scope="module")
def data(synth):
    return CommunityData.from_frames(**synth.tables)


@pytest.fixture(scope="module")
def result(data):
    return Pipeline().run(data)


@pytest.fixture(scope="module")
def run_dir(result, data, tmp_path_factory):
    return save_run(result, tmp_path_factory.mktemp("profile") / "run", data=data,
                    report=False)


@pytest.fixture(scope="module")
def index(run_dir):
    with ProfileIndex(run_dir) as idx:
        yield idx


def _amplifier_counts(data, member_id):
    ev = data.events
    hit = ev[ev["action"].isin(AMPLIFYING_ACTIONS) & (ev["target_id"] == member_id)
             & (ev["member_id"] != member_id)]
    return hit["member_id"].value_counts()


def _tables(path):
    con = connect(path, read_only=True)  # the project's one connection policy
    try:
        return {t: con.execute(f"SELECT * FROM {t}").df() for t in TABLES}
    finally:
        con.close()


def test_save_writes_index(run_dir, data):
    assert (run_dir / INDEX_FILE).is_file()
    counts = _tables(run_dir / INDEX_FILE)
    assert len(counts["profile_members"]) == data.n_members
    assert len(counts["profile_events"]) == len(data.events)


def test_planted_influencer(index, synth, data, result):
    planted = synth.truth.index[synth.truth["role"] == "influencer"]
    assert len(planted) >= 5
    profiles = [index.get(m, events=5) for m in planted]
    roles = [p["role"]["role"] for p in profiles]
    assert np.mean([r == "influencer" for r in roles]) >= 0.7, roles
    seg = result.segments.set_index("member_id")
    for p in profiles:
        m = p["member_id"]
        assert p["role"]["role"] == seg.loc[m, "role"]
        assert p["segment"]["segment"] == seg.loc[m, "segment"]
        counts = _amplifier_counts(data, m)
        assert p["reach"]["amplifiers"] == len(counts)
        assert p["reach"]["amplifying_events"] == counts.sum()
        assert p["influence"]["components"]["amplification"]["value"] == len(counts)
        expected = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:10]
        got = [(a["member_id"], a["events"]) for a in p["reach"]["top_amplifiers"]]
        assert got == expected
        followers = int((data.follows["followee_id"] == m).sum())
        assert p["reach"]["followers_members"] == followers
    best = max(profiles, key=lambda p: p["reach"]["amplifiers"])
    assert best["role"]["role"] == "influencer"
    assert 0.5 < best["influence"]["components"]["amplification"]["percentile"] <= 1.0
    assert best["role"]["explanation"].startswith("influencer")


def test_timeline_ordered_and_limited(index, data):
    busiest = data.events["member_id"].value_counts().index[0]
    own = data.events[data.events["member_id"] == busiest]
    p = index.get(busiest, events=7)
    assert len(p["timeline"]) == 7 and p["events"]["total"] == len(own)
    stamps = [e["timestamp"] for e in p["timeline"]]
    assert stamps == sorted(stamps, reverse=True)
    newest = own["timestamp"].max().strftime("%Y-%m-%dT%H:%M:%SZ")
    assert stamps[0] == newest == p["events"]["last"]
    assert len(index.get(busiest, events=0)["timeline"]) == 0
    full = index.get(busiest, events=10_000)["timeline"]
    assert len(full) == len(own)
    by_channel = own["channel"].value_counts()  # a category column: drop unseen channels
    by_channel = by_channel[by_channel > 0]
    assert {a["channel"]: a["events"] for a in p["activity"]} == by_channel.to_dict()
    top = own["topic"].value_counts()
    assert p["topics"][0]["events"] == top.iloc[0]


def test_lookup_by_handle_and_email(run_dir, index, data):
    members = data.members
    row = members[members["email"].notna() & members["handle"].notna()].iloc[0]
    m = row.name
    assert index.get(row["handle"].upper())["member_id"] == m
    assert index.get(row["handle"].lstrip("@"))["member_id"] == m
    assert index.get("  " + row["email"].upper() + " ")["member_id"] == m
    assert lookup(run_dir, row["email"])["member_id"] == m
    idt = data.identities
    other = idt[idt["handle"].str.startswith("@")].iloc[0]
    p = index.get(other["handle"])
    assert p["member_id"] == other["member_id"]
    assert other["handle"] in {i["handle"] for i in p["identities"]}


def test_unknown_key_names_it_and_suggests(index, run_dir):
    with pytest.raises(ClusterkitInputError, match="no member 'nobody-here'"):
        index.get("nobody-here")
    with pytest.raises(ClusterkitInputError, match="did you mean 'm000123'"):
        index.get("m00012x3")
    with pytest.raises(ClusterkitInputError, match="events must be >= 0"):
        index.get("m000001", events=-1)


def test_not_a_run_and_old_run(tmp_path, run_dir):
    with pytest.raises(ClusterkitInputError, match="is not a run folder"):
        ProfileIndex(tmp_path)
    old = tmp_path / "old"
    shutil.copytree(run_dir, old)
    (old / INDEX_FILE).unlink()
    with pytest.raises(ClusterkitInputError, match="--data DIR"):
        lookup(old, "m000001")


def test_index_from_loaded_run_matches(run_dir, data, tmp_path):
    """Built later from load_run + the data (the --data path): the same profiles."""
    write_profile_index(tmp_path, load_run(run_dir), data)
    with ProfileIndex(tmp_path) as later, ProfileIndex(run_dir) as now:
        for m in ("m000000", "m000300", "m000599"):
            assert later.get(m) == now.get(m)
    with pytest.raises(ClusterkitInputError, match="--data DIR"):
        write_profile_index(tmp_path, load_run(run_dir))


def test_row_order_invariance(result, data, run_dir, tmp_path):
    rng = np.random.default_rng(3)

    def shuffle(df):
        return df.iloc[rng.permutation(len(df))]

    shuffled = data.with_tables(events=shuffle(data.events), follows=shuffle(data.follows),
                                identities=shuffle(data.identities),
                                members=shuffle(data.members))
    res = dataclasses.replace(result, segments=shuffle(result.segments),
                              influence=shuffle(result.influence),
                              engagement_by_channel=shuffle(result.engagement_by_channel))
    write_profile_index(tmp_path, res, shuffled)
    a, b = _tables(run_dir / INDEX_FILE), _tables(tmp_path / INDEX_FILE)
    for t in TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)


def test_several_accounts_and_shared_email(tmp_path):
    members = pd.DataFrame({
        "member_id": ["a1", "a2", "b", "c"], "handle": ["@Ann", "@ann_shop", "@bob", "@cy"],
        "email": ["ann@x.test", "ann@x.test", None, "cy@x.test"],
        "person_id": ["ann", "ann", None, None]})
    events = pd.DataFrame({
        "member_id": ["b", "c", "c", "a2"], "action": ["share", "mention", "like", "post"],
        "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04"],
        "target_id": ["a1", "a1", "a1", None]})
    data = CommunityData.from_frames(members=members, events=events)
    write_profile_index(tmp_path, Pipeline().run(data), data)
    with ProfileIndex(tmp_path) as idx:
        p = idx.get("@ann")
        assert p["member_id"] == "a1" and p["person_id"] == "ann"
        assert p["accounts"] == ["a1", "a2"]
        assert p["reach"]["amplifiers"] == 2  # the like is not amplifying
        assert idx.get("b")["person_id"] == "b"
        with pytest.raises(ClusterkitInputError, match="of 2 members"):
            idx.get("ANN@x.test")


def run_cli(args, capsys):
    code = main(args)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_json_and_rich(run_dir, capsys):
    code, out, err = run_cli(["profile", str(run_dir), "m000010", "--json", "--events", "3"],
                             capsys)
    assert code == 0, err
    p = json.loads(out)
    assert {"member_id", "person_id", "accounts", "identities", "timeline", "activity",
            "role", "segment", "influence", "topics", "credibility", "reach"} <= set(p)
    assert len(p["timeline"]) <= 3
    assert set(p["influence"]["components"]) >= {"reach", "amplification", "authority"}
    assert all(set(c) == {"value", "percentile"} for c in p["influence"]["components"].values())
    code, out, err = run_cli(["profile", str(run_dir), "m000010", "--events", "3"], capsys)
    assert code == 0, err
    for text in ("identities across channels", "recent actions", "activity by channel",
                 "influence components", "whom the member reaches", p["role"]["role"]):
        assert text in out


def test_cli_errors_exit_2(run_dir, tmp_path, capsys):
    for args, expected in (([str(run_dir), "zz-unknown"], "no member 'zz-unknown'"),
                           ([str(tmp_path), "m000001"], "is not a run folder")):
        code, out, err = run_cli(["profile", *args], capsys)
        lines = [ln for ln in err.splitlines() if ln.strip()]
        assert code == 2 and len(lines) == 1 and lines[0].startswith("error: ")
        assert expected in lines[0]


def test_cli_builds_missing_index_with_data(run_dir, synth, tmp_path, capsys):
    old = tmp_path / "old"
    shutil.copytree(run_dir, old)
    (old / INDEX_FILE).unlink()
    folder = synth.write(tmp_path / "data")
    code, out, err = run_cli(["profile", str(old), "m000002", "--json", "--data", str(folder)],
                             capsys)
    assert code == 0, err
    assert json.loads(out)["member_id"] == "m000002"
    assert (old / INDEX_FILE).is_file()
    other = generate(600, seed=22).write(tmp_path / "other")
    (old / INDEX_FILE).unlink()
    code, _, err = run_cli(["profile", str(old), "m000002", "--data", str(other)], capsys)
    assert code == 2 and "is not the dataset" in err


def test_events_order_with_ties_matches_sql_order_by_every_column(tmp_path):
    # day-resolution timestamps: many events share member and time; ties go by action, then
    # every column, nulls last, also when the events are not in canonical order
    rng = np.random.default_rng(5)
    n = 400
    events = pd.DataFrame({
        "member_id": rng.choice(["a", "b", "c", "ü"], n),
        "action": rng.choice(["like", "share", "comment"], n),
        "timestamp": rng.choice(["2026-01-01", "2026-01-02"], n),
        "channel": pd.Series(rng.choice(["x", "y", None], n), dtype=object),
        "target_id": pd.Series(rng.choice(["a", "b", "zz", None], n), dtype=object),
        "value": rng.choice([1.0, 2.0, np.nan], n)})
    data = CommunityData.from_frames(events=events)
    res = Pipeline().run(data)
    shuffled = data.with_tables(events=data.events.iloc[rng.permutation(len(data.events))]
                                .reset_index(drop=True))
    for i, d in enumerate((data, shuffled)):
        write_profile_index(tmp_path / str(i), res, d)
        con = connect(tmp_path / str(i) / INDEX_FILE, read_only=True)
        try:
            got = con.execute("SELECT * FROM profile_events").df()
            want = con.execute(
                "SELECT * FROM profile_events ORDER BY pos, timestamp DESC, action, "
                "channel NULLS LAST, target_id NULLS LAST, content_id NULLS LAST, "
                "topic NULLS LAST, value NULLS LAST").df()
        finally:
            con.close()
        assert len(got) == n and got["timestamp"].duplicated().any()
        pd.testing.assert_frame_equal(got, want)


def test_index_from_a_prebuilt_part_equals_one_built_at_once(result, data, synth,
                                                             tmp_path):
    # the CLI builds the tables that read the data alone before the run (memory at
    # 1,000,000 members); the save moves them in and adds the rest: the same index
    from clusterkit.profile.index import prebuild_profile_index

    write_profile_index(tmp_path / "whole", result, data)
    part = prebuild_profile_index(tmp_path / "part.duckdb", data)
    write_profile_index(tmp_path / "parts", result, data, prebuilt=part)
    assert not part.exists()
    whole, parts = (_tables(tmp_path / n / INDEX_FILE) for n in ("whole", "parts"))
    for t in TABLES:
        pd.testing.assert_frame_equal(whole[t], parts[t], obj=t)
    con = connect(tmp_path / "parts" / INDEX_FILE, read_only=True)
    names = {r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables").fetchall()}
    con.close()
    assert "profile_prebuilt" not in names and "profile_topic_stats" in names
    other = CommunityData.from_frames(**generate(300, seed=3).tables)
    part = prebuild_profile_index(tmp_path / "other.duckdb", other)
    assert "_event_codes" not in vars(other)  # not held through the run's first steps
    with pytest.raises(ClusterkitInputError, match="built from 300 members"):
        write_profile_index(tmp_path / "wrong", result, data, prebuilt=part)


def test_index_built_on_several_threads_equals_one_thread(result, data, tmp_path,
                                                          monkeypatch):
    # the index's statements are copies, counts and ranks under total orders
    # (data/sql.py, exact=True): built on 3 threads, every table is the one-thread build's
    import clusterkit.provenance as provenance

    built = {}
    for cores in (1, 3):
        monkeypatch.setattr(provenance, "usable_cores", lambda cores=cores: cores)
        con = connect(exact=True)
        assert con.execute("SELECT current_setting('threads')").fetchone()[0] == cores
        con.close()
        write_profile_index(tmp_path / str(cores), result, data)
        built[cores] = _tables(tmp_path / str(cores) / INDEX_FILE)
    for t in TABLES:
        assert len(built[1][t]) or t == "profile_persons"
        pd.testing.assert_frame_equal(built[1][t], built[3][t], obj=t)
    con = connect()  # any other connection keeps the one thread
    assert con.execute("SELECT current_setting('threads')").fetchone()[0] == 1
    con.close()
