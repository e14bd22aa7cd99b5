"""Segments matched to a previous run: names and keys carry over where members stay."""

import json

import numpy as np
import pandas as pd

from clusterkit.cli.app import main
from clusterkit.results import RunResult, match_segments


def _result(ids, names):
    seg = pd.DataFrame({"member_id": ids, "segment": names})
    seg["segment_key"] = seg["segment"].str.replace(" ", "-")
    summary = pd.DataFrame({"segment": sorted(set(names))})
    eng = pd.DataFrame({"segment": sorted(set(names)), "channel": "all"})
    return RunResult(seg, summary, pd.DataFrame(), np.zeros((0, 2)), {}, {"config_hash": "x"},
                     segment_engagement=eng)


def test_continuing_segments_inherit_names_and_others_keep_theirs():
    rng = np.random.default_rng(0)
    ids = [f"m{i:04d}" for i in range(1000)]
    old_names = np.repeat(["buying fans", "quiet followers", "prolific bloggers"],
                          [300, 600, 100])
    new_names = old_names.astype(object).copy()
    new_names[old_names == "buying fans"] = "newsletter-reading fans"  # renamed by the run
    new_names[old_names == "quiet followers"] = "buying fans"  # a name the old run used
    moved = rng.choice(np.flatnonzero(old_names == "prolific bloggers"), 70, replace=False)
    new_names[moved] = "prolific bloggers"  # 70 of 100 stay: Jaccard 0.7 with the old one
    keep = np.flatnonzero(old_names == "prolific bloggers")
    new_names[np.setdiff1d(keep, moved)] = "video-making bloggers"
    old = _result(ids, list(old_names))
    new = _result(ids, list(new_names))
    got = match_segments(new, old)
    seg = got.segments.set_index("member_id")["segment"]
    assert (seg[np.asarray(ids)[old_names == "buying fans"]] == "buying fans").all()
    assert (seg[np.asarray(ids)[old_names == "quiet followers"]] == "quiet followers").all()
    assert (seg[np.asarray(ids)[moved]] == "prolific bloggers").all()
    assert set(seg) == {"buying fans", "quiet followers", "prolific bloggers",
                        "video-making bloggers"}
    assert set(got.summary["segment"]) == set(seg)
    assert set(got.segment_engagement["segment"]) == set(seg)
    assert (got.segments["segment_key"] == got.segments["segment"].str.replace(" ", "-")
            ).all()
    pairs = got.manifest["segment_matching"]["pairs"]
    assert {p["previous"] for p in pairs if p["matched"]} == set(old_names)
    # the previous run's row order does not matter
    shuffled = _result(list(np.asarray(ids)[::-1]), list(old_names[::-1]))
    pd.testing.assert_frame_equal(match_segments(new, shuffled).segments, got.segments)


def test_a_segment_that_does_not_continue_is_not_matched_and_a_taken_name_is_numbered():
    ids = [f"m{i}" for i in range(100)]
    old = _result(ids, ["fans"] * 50 + ["followers"] * 50)
    # new "fans": 30 old fans and 40 old followers (Jaccard 30/90 and 40/80): it continues
    # the old followers; new "followers" (20 old fans, Jaccard 0.4) continues nothing
    names = ["fans"] * 30 + ["followers"] * 20 + ["fans"] * 40 + ["lurkers"] * 10
    got = match_segments(_result(ids, names), old)
    pairs = {p["was"]: p for p in got.manifest["segment_matching"]["pairs"]}
    assert pairs["fans"]["matched"] and pairs["fans"]["previous"] == "followers"
    assert pairs["fans"]["jaccard"] == 0.5
    assert not pairs["followers"]["matched"] and pairs["followers"]["jaccard"] == 0.4
    seg = got.segments["segment"]
    assert seg.iloc[0] == "followers" and seg.iloc[30] == "followers 2"  # name taken
    assert seg.iloc[95] == "lurkers"


def test_cli_run_with_previous_keeps_names(small_folder, tmp_path, capsys):
    first, second = tmp_path / "april", tmp_path / "may"
    args = ["run", "--data", str(small_folder), "--no-report", "--set",
            "attribution.enabled=false"]
    assert main(args + ["--out", str(first)]) == 0
    assert main(args + ["--out", str(second), "--previous", str(first),
                        "--set", "seed=7"]) == 0, capsys.readouterr().err
    a = pd.read_csv(first / "segments.csv").set_index("member_id")
    b = pd.read_csv(second / "segments.csv").set_index("member_id")
    matching = json.loads((second / "manifest.json").read_text())["segment_matching"]
    for p in matching["pairs"]:
        if p["matched"]:
            members = b.index[b["segment"] == p["segment"]]
            assert (a.loc[members, "segment"] == p["previous"]).mean() >= 0.5
    assert set(b["segment_key"]) == set(b["segment"].map(
        lambda s: s.lower().replace(" ", "-")))
    capsys.readouterr()
    code = main(args + ["--out", str(tmp_path / "x"), "--previous", str(small_folder)])
    err = capsys.readouterr().err
    assert code == 2 and "not a run folder" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "x").exists()
