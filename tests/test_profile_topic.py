"""Profiles for a crisis (issue 14): credibility on a topic, handles in the timeline, lookup
by display name. Tiny hand-made data with a planted main source on #climate."""

import json

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
from clusterkit.profile import INDEX_FILE, ProfileIndex, lookup

TOPIC_TABLES = ("profile_topic_members", "profile_topic_stats", "profile_events",
                "profile_keys")
SOURCE, QUIET, MINOR = "u00", "u01", "u03"  # main source on climate, none on it, a small one


def _members():
    ids = [f"u{i:02d}" for i in range(30)]
    names = ["Zoë Ames", "Alex Martin", "Alex  MARTIN", "Bo Chen"] + [f"Fan {i}"
                                                                      for i in range(4, 30)]
    handles = ["@ZoeA", "@alexm", "@alex_m2", "@bo"] + [f"@fan{i}" for i in range(4, 29)]
    return pd.DataFrame({"member_id": ids, "name": names, "handle": handles + [None]})


def _events():
    rows = []

    def add(member, action, topic, target=None):
        rows.append((member, action, topic, target))

    for i in range(12):  # the planted source: most of its posts on climate, spelled 3 ways
        add(SOURCE, "post", ["#climate", "Climate", "#CLIMATE", "#climate"][i % 4])
    for _ in range(3):
        add(SOURCE, "post", "food")
    for i in range(15):
        add(QUIET, "post", "food" if i < 10 else "sports")
    for i in range(10):
        add(MINOR, "post", "#climate" if i < 2 else "music")
    for i in range(4, 24):  # 20 distinct amplifiers of the source on climate
        add(f"u{i:02d}", "retweet", "#climate", SOURCE)
    for i in range(4, 9):  # repeat amplification: events, not distinct members
        add(f"u{i:02d}", "share", "climate", SOURCE)
    for i in range(9, 13):
        add(f"u{i:02d}", "retweet", "climate", MINOR)
    for i in range(13, 17):
        add(f"u{i:02d}", "share", "food", QUIET)
    for i in range(20, 24):  # likes are not amplification
        add(f"u{i:02d}", "like", "#climate", SOURCE)
    for i in range(24, 29):  # background chatter: climate is a minority topic
        for j in range(10):
            add(f"u{i:02d}", "post", "music" if (i + j) % 2 else "food")
    add("u29", "mention", "food", "brand")  # an outsider target: no handle
    add("u29", "reply", "#Climate", SOURCE)
    add("u29", "like", None, QUIET)
    ev = pd.DataFrame(rows, columns=["member_id", "action", "topic", "target_id"])
    ev["timestamp"] = pd.date_range("2026-03-01", periods=len(ev), freq="37min", tz="UTC")
    ev["channel"] = "twitter"
    return ev


@pytest.fixture(scope="module")
def frames():
    return _members(), _events()


@pytest.fixture(scope="module")
def run_dir(frames, tmp_path_factory):
    members, events = frames
    data = CommunityData.from_frames(members=members, events=events)
    return save_run(Pipeline().run(data), tmp_path_factory.mktemp("topic") / "run", data=data,
                    report=False)


def _key(s):
    return s.str.strip().str.lower().str.lstrip("#").str.strip()


def _expected(events, member, topic="climate"):
    """The credibility numbers computed plainly with pandas."""
    on = _key(events["topic"]) == topic
    own = events["member_id"] == member
    amp = (on & events["action"].isin(AMPLIFYING_ACTIONS)
           & events["target_id"].isin(_members()["member_id"])
           & (events["member_id"] != events["target_id"]))
    got = amp & (events["target_id"] == member)
    return {"events": int((on & own).sum()), "member_events": int(own.sum()),
            "community_events": int(on.sum()), "community_total": len(events),
            "amplifiers": events.loc[got, "member_id"].nunique(),
            "amp_events": int(got.sum()), "amp_total": int(amp.sum()),
            "amplified": events.loc[amp, "target_id"].nunique()}


def test_planted_source_beats_member_without_topic(run_dir, frames):
    _, events = frames
    src = lookup(run_dir, SOURCE, topic="climate")["topic_credibility"]
    quiet = lookup(run_dir, QUIET, topic="climate")["topic_credibility"]
    minor = lookup(run_dir, MINOR, topic="climate")["topic_credibility"]
    exp = _expected(events, SOURCE)
    act, amp = src["activity"], src["amplification"]
    assert (act["events"], act["member_events"]) == (exp["events"], exp["member_events"])
    assert (act["community_events"], act["community_total"]) == (exp["community_events"],
                                                                  exp["community_total"])
    share, cshare = exp["events"] / exp["member_events"], exp["community_events"] / len(events)
    assert act["lift"] == pytest.approx(share / cshare) and act["lift"] > 2
    assert amp["amplifiers"] == exp["amplifiers"] == 21  # 20 retweets + 1 reply; likes no
    assert amp["events"] == exp["amp_events"] == 26
    assert amp["share"] == pytest.approx(exp["amp_events"] / exp["amp_total"])
    assert amp["amplified_members"] == exp["amplified"] == 2
    assert amp["percentile"] == 1.0 and minor["amplification"]["percentile"] == 0.5
    assert quiet["activity"]["events"] == 0 and quiet["activity"]["lift"] == 0.0
    assert quiet["amplification"]["amplifiers"] == 0
    assert quiet["amplification"]["share"] == 0.0
    assert quiet["amplification"]["percentile"] is None  # not amplified on climate
    assert act["lift"] > minor["activity"]["lift"] > quiet["activity"]["lift"]
    assert amp["share"] > minor["amplification"]["share"] > quiet["amplification"]["share"]
    food = lookup(run_dir, QUIET, topic="food")["topic_credibility"]  # the quiet one's topic
    assert food["amplification"]["amplifiers"] == 4 and food["activity"]["lift"] > 1


def test_topic_case_and_hash_insensitive(run_dir):
    with ProfileIndex(run_dir) as idx:
        blocks = [idx.get(SOURCE, topic=t)["topic_credibility"]
                  for t in ("climate", "#climate", "#CLIMATE", "  Climate ", "CliMate")]
    assert all(b == blocks[0] for b in blocks)
    assert blocks[0]["topic"] == "#climate"  # the most frequent spelling is shown


def test_unknown_topic_suggests(run_dir, capsys):
    with pytest.raises(ClusterkitInputError, match=r"no topic 'climat'.*did you mean '#climate'"):
        lookup(run_dir, SOURCE, topic="climat")
    with pytest.raises(ClusterkitInputError, match="is empty"):
        lookup(run_dir, SOURCE, topic=" # ")
    code = main(["profile", str(run_dir), SOURCE, "--topic", "#musik"])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1 and lines[0].startswith("error: "), err
    assert "no topic '#musik'" in lines[0] and "did you mean 'music'" in lines[0]


def test_run_without_topics(tmp_path):
    ev = _events().drop(columns=["topic"])
    data = CommunityData.from_frames(members=_members(), events=ev)
    run = save_run(Pipeline().run(data), tmp_path / "run", data=data, report=False)
    with pytest.raises(ClusterkitInputError, match="have no topics"):
        lookup(run, SOURCE, topic="climate")


def test_cli_topic_json_and_table(run_dir, capsys):
    code = main(["profile", str(run_dir), "@zoea", "--topic", "#Climate", "--json"])
    out = capsys.readouterr()
    assert code == 0, out.err
    p = json.loads(out.out)
    assert p["member_id"] == SOURCE
    assert p["topic_credibility"]["amplification"]["amplifiers"] == 21
    code = main(["profile", str(run_dir), SOURCE, "--topic", "climate"])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert "credibility on #climate" in out.out and "lift" in out.out
    code = main(["profile", str(run_dir), SOURCE, "--json"])
    assert code == 0 and "topic_credibility" not in json.loads(capsys.readouterr().out)


def test_lookup_by_display_name(run_dir, capsys):
    assert lookup(run_dir, "Zoë Ames")["member_id"] == SOURCE
    assert lookup(run_dir, "zoe ames")["member_id"] == SOURCE  # case and accents folded
    assert lookup(run_dir, "BO CHEN")["member_id"] == MINOR
    assert lookup(run_dir, "@bo")["member_id"] == MINOR  # handles still first
    msg = r"'alex martin' is the name of 2 members: u01 \(@alexm\), u02 \(@alex_m2\)"
    with pytest.raises(ClusterkitInputError, match=msg):
        lookup(run_dir, "alex martin")
    code = main(["profile", str(run_dir), "ALEX MARTIN"])
    err = capsys.readouterr().err
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert code == 2 and len(lines) == 1, err
    assert "u01 (@alexm), u02 (@alex_m2)" in lines[0]


def test_ambiguous_name_lists_at_most_five(tmp_path):
    members = pd.DataFrame({"member_id": [f"x{i}" for i in range(7)], "name": "Sam Lee",
                            "handle": [f"@sam{i}" for i in range(7)]})
    events = pd.DataFrame({"member_id": [f"x{i}" for i in range(7)], "action": "post",
                           "timestamp": pd.date_range("2026-01-01", periods=7, tz="UTC")})
    data = CommunityData.from_frames(members=members, events=events)
    run = save_run(Pipeline().run(data), tmp_path / "run", data=data, report=False)
    with pytest.raises(ClusterkitInputError) as err:
        lookup(run, "sam lee")
    text = str(err.value)
    assert "name of 7 members" in text and "x4 (@sam4)" in text and "x5" not in text
    assert "and 2 more" in text and "\n" not in text


def test_timeline_shows_target_handles(run_dir, capsys):
    p = lookup(run_dir, "u29", events=10)
    by_target = {e["target_id"]: e["target_handle"] for e in p["timeline"]}
    assert by_target == {SOURCE: "@ZoeA", "brand": None, QUIET: "@alexm"}
    code = main(["profile", str(run_dir), "u29", "--events", "10"])
    out = capsys.readouterr().out
    assert code == 0
    assert "u00 (@ZoeA)" in out and "u01 (@alexm)" in out and "brand" in out
    fan = lookup(run_dir, "u04")["timeline"]
    assert {e["target_handle"] for e in fan} == {"@ZoeA"}


def _tables(path):
    con = connect(path, read_only=True)
    try:
        return {t: con.execute(f"SELECT * FROM {t}").df() for t in TOPIC_TABLES}
    finally:
        con.close()


def test_shuffled_event_rows_give_identical_results(frames, run_dir, tmp_path):
    members, events = frames
    rng = np.random.default_rng(7)
    shuffled = CommunityData.from_frames(
        members=members.iloc[rng.permutation(len(members))],
        events=events.iloc[rng.permutation(len(events))])
    other = save_run(Pipeline().run(shuffled), tmp_path / "run", data=shuffled, report=False)
    a, b = _tables(run_dir / INDEX_FILE), _tables(other / INDEX_FILE)
    for t in TOPIC_TABLES:
        pd.testing.assert_frame_equal(a[t], b[t], obj=t)
    for member in (SOURCE, QUIET, MINOR, "u29"):
        for topic in ("climate", "food", "music"):
            pa, pb = lookup(run_dir, member, topic=topic), lookup(other, member, topic=topic)
            assert pa["topic_credibility"] == pb["topic_credibility"]
            assert pa["timeline"] == pb["timeline"]


def test_cli_rebuilds_older_index_with_data(frames, run_dir, tmp_path, capsys):
    import shutil

    members, events = frames
    folder = tmp_path / "data"
    folder.mkdir()
    members.to_csv(folder / "members.csv", index=False)
    events.to_csv(folder / "events.csv", index=False)
    old = tmp_path / "old"
    shutil.copytree(run_dir, old)
    con = connect(old / INDEX_FILE)  # an index of the previous format
    meta = json.loads(con.execute("SELECT meta FROM profile_meta").fetchone()[0])
    con.execute("UPDATE profile_meta SET meta = ?", [json.dumps({**meta, "format_version": 1})])
    con.close()
    assert main(["profile", str(old), SOURCE]) == 2
    assert "has profile index format 1" in capsys.readouterr().err
    code = main(["profile", str(old), SOURCE, "--topic", "climate", "--json", "--data",
                 str(folder)])
    out = capsys.readouterr()
    assert code == 0, out.err
    assert json.loads(out.out)["topic_credibility"]["amplification"]["amplifiers"] == 21


_REFERENCE_SQL = """
CREATE TEMP TABLE tk AS  -- each distinct spelling folded once, with its events
SELECT topic, {key} AS topic_key, n
FROM (SELECT topic, count(*) AS n FROM topic_events WHERE topic IS NOT NULL GROUP BY topic);

CREATE TABLE profile_topic_members AS
WITH e AS (SELECT s.pos, s.tpos, s.action, tk.topic_key FROM topic_events s JOIN tk USING (topic)),
     act AS (SELECT topic_key, pos, count(*) AS events FROM e
             WHERE topic_key IS NOT NULL GROUP BY topic_key, pos),
     recv AS (SELECT e.topic_key, t.pos, count(DISTINCT e.pos) AS amplifiers,
                     count(*) AS amplifying_events
              FROM e JOIN m AS t ON e.tpos = t.pos
              WHERE e.topic_key IS NOT NULL AND e.action IN ({amplifying}) AND t.pos <> e.pos
              GROUP BY e.topic_key, t.pos),
     ranked AS (SELECT topic_key, pos, amplifiers, amplifying_events,
                       (rank() OVER (PARTITION BY topic_key ORDER BY amplifiers)
                        + (count(*) OVER (PARTITION BY topic_key, amplifiers) - 1) / 2.0)
                       / count(*) OVER (PARTITION BY topic_key) AS amplification_pct
                FROM recv)
SELECT hash(topic_key) AS h, topic_key, pos, coalesce(a.events, 0) AS events,
       coalesce(r.amplifiers, 0) AS amplifiers,
       coalesce(r.amplifying_events, 0) AS amplifying_events, r.amplification_pct
FROM act a FULL OUTER JOIN ranked r USING (topic_key, pos)
ORDER BY h, topic_key, pos;
"""


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_topic_tables_equal_the_sql_they_replaced(seed):
    # the DuckDB query the index used before, on events with spellings that fold together,
    # empty and missing topics, self-amplification, targets that are no member, and ties in
    # distinct amplifiers; every column of both topic tables, in stored order, to the bit
    import numpy as np
    import pandas as pd

    from clusterkit.data.sql import connect
    from clusterkit.profile.topics import topic_key_sql, write_topic_tables

    rng = np.random.default_rng(seed)
    n_ev, n = 4000, 60
    spellings = np.array(["#AI", "ai", " Ai ", "food", "#Food", "  ", "#", "élan", "Élan"],
                         dtype=object)
    topic = pd.Series(spellings[rng.integers(0, len(spellings), n_ev)], dtype=object)
    topic[rng.random(n_ev) < 0.1] = None
    pos = rng.integers(0, n, n_ev)
    tpos = np.where(rng.random(n_ev) < 0.7, rng.zipf(1.5, n_ev) % n, -1)
    action = np.array(["share", "like", "mention", "post"], dtype=object)[
        rng.integers(0, 4, n_ev)]
    events = pd.DataFrame({"pos": pos, "tpos": tpos, "action": action, "topic": topic})
    amplifying = ["share", "mention"]
    tables = {}
    for how in ("codes", "sql"):
        con = connect()
        try:
            if how == "codes":
                write_topic_tables(con, events, amplifying)
            else:
                con.register("topic_events", events)
                con.execute(f"CREATE TABLE m AS SELECT range AS pos FROM range({n})")
                con.execute(_REFERENCE_SQL.format(key=topic_key_sql("topic"),
                                                  amplifying="'share', 'mention'"))
                from clusterkit.profile.topics import _STATS_SQL

                con.execute(_STATS_SQL)
            tables[how] = [con.execute(f"SELECT * FROM {t}").df() for t in
                           ("profile_topic_members", "profile_topic_stats")]
        finally:
            con.close()
    assert len(tables["sql"][0]) > 50 and len(tables["sql"][1]) == 3  # ai, food, élan
    for got, ref in zip(tables["codes"], tables["sql"], strict=True):
        pd.testing.assert_frame_equal(got, ref, check_exact=True)
    pct = tables["sql"][0]["amplification_pct"]
    assert pct.isna().any() and (pct.dropna().duplicated()).any()  # nulls and ties covered
