"""Outreach-ready member exports (issue 14, "Marketer: exports"): reachable columns, order,
--top, rounding, segment selection by name or key in any case, and segment names that do not
change between runs of the same segments."""

import json

import numpy as np
import pandas as pd
import pytest

from clusterkit import save_run
from clusterkit.cli.app import main
from clusterkit.config import RunConfig, apply_overrides
from clusterkit.data import CommunityData
from clusterkit.errors import ClusterkitInputError
from clusterkit.export import export_audience, write_identifiers
from clusterkit.export.outreach import OUTREACH_COLUMNS, PII_OUTREACH
from clusterkit.pipeline import Pipeline
from clusterkit.segments import name_segments, segment_key
from clusterkit.synthetic.community import generate

IDS = [f"m{i}" for i in range(6)]
NO_PII = ["member_id", "channels", "segment", "segment_key", "role", "followers",
          "reported_followers", "influence", "engagement_weight", "confidence"]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Six members by hand: known handles, channels, follower counts and float noise."""
    folder = tmp_path_factory.mktemp("outreach") / "run"
    folder.mkdir()
    members = pd.DataFrame({"member_id": IDS, "name": [f"Ann Lee{i}" for i in range(6)],
                            "handle": [f"@ann{i}" for i in range(6)],
                            "channel": ["twitter"] * 6,
                            "email": [f"ann{i}@x.com" for i in range(6)]})
    identities = pd.DataFrame({"member_id": ["m1", "m1"], "channel": ["instagram", "blog"],
                               "handle": ["@ann_ig", "ann.blog"]})
    follows = pd.DataFrame({"follower_id": ["m0", "m2", "m3", "m4", "m5", "m0"],
                            "followee_id": ["m1", "m1", "m1", "m1", "m1", "m2"]})
    data = CommunityData.from_frames(members=members, identities=identities, follows=follows)
    pd.DataFrame({
        "member_id": IDS,
        "segment": ["Buying Fans", "high-reach influencers", "Buying Fans",
                    "quiet followers", "quiet followers 2", "quiet followers"],
        "role": ["fan", "influencer", "fan", "follower", "follower", "follower"],
        "engagement_weight": [204.99999999999994, 12.0, 0.30000000000000004, 1.0, 1.0, 7.0],
        "influence": [0.1234567, 0.9, 0.5, 0.5, 0.5, 0.01],
        "confidence": [0.333333333, 1.0, 0.5, 0.5, 0.5, 0.5],
    }).to_parquet(folder / "segments.parquet", index=False)
    pd.DataFrame({"member_id": IDS, "followers": [0.0, 5.0, 1.0, 0.0, 0.0, 0.0],
                  "reported_followers": [10.0, 5000.0, 3.0, 0.0, 1.0, 2.0],
                  "chan_twitter": [1.0, 2.0, 0.0, 0.0, 0.0, 3.0],
                  "chan_shop": [4.0, 0.0, 0.0, 0.0, 0.0, 0.0]}
                 ).to_parquet(folder / "features.parquet", index=False)
    (folder / "manifest.json").write_text(json.dumps({"config_hash": "c0", "seed": 1}))
    write_identifiers(folder, data)
    return folder


def _export(run, tmp_path, **kw):
    res = export_audience(run, out=tmp_path / "o.csv", **kw)
    return pd.read_csv(res.path, dtype={"member_id": str}, keep_default_na=False), res


def test_columns_without_pii(run, tmp_path):
    got, res = _export(run, tmp_path)
    assert list(got.columns) == NO_PII
    assert json.loads(res.sidecar.read_text())["columns"] == NO_PII
    row = got.set_index("member_id").loc["m1"]
    assert row["followers"] == 5 and row["reported_followers"] == 5000  # graph in-degree
    assert row["channels"] == "blog; instagram; twitter"        # accounts (not their handles)
    assert got.set_index("member_id").loc["m0", "channels"] == "shop; twitter"  # + acted on
    assert b"@ann" not in res.path.read_bytes() and b"x.com" not in res.path.read_bytes()


def test_columns_with_pii(run, tmp_path):
    got, _ = _export(run, tmp_path, include_pii=True)
    assert list(got.columns) == list(OUTREACH_COLUMNS)
    assert [c for c in got.columns if c not in PII_OUTREACH] == NO_PII  # same order, plus PII
    row = got.set_index("member_id").loc["m1"]
    assert (row["name"], row["handle"]) == ("Ann Lee1", "@ann1")
    assert row["handles"] == "twitter:@ann1; blog:ann.blog; instagram:@ann_ig"
    assert row["email"] == "ann1@x.com"


def test_sort_and_top(run, tmp_path):
    got, _ = _export(run, tmp_path)
    # influence descending; 0.5 three times: engagement descending, then id
    assert list(got["member_id"]) == ["m1", "m3", "m4", "m2", "m0", "m5"]
    got, res = _export(run, tmp_path, sort="engagement", top=2)
    assert list(got["member_id"]) == ["m0", "m1"] and res.selected == 2
    meta = json.loads(res.sidecar.read_text())
    assert (meta["sort"], meta["top"]) == ("engagement", 2)
    got, _ = _export(run, tmp_path, sort="followers", top=1, role="fan")
    assert list(got["member_id"]) == ["m2"]
    with pytest.raises(ClusterkitInputError, match="--sort 'size': use one of influence"):
        export_audience(run, sort="size", out=tmp_path / "x.csv")


def test_rounding(run, tmp_path):
    text = export_audience(run, out=tmp_path / "o.csv").path.read_text()
    got, _ = _export(run, tmp_path)
    row = got.set_index("member_id").loc["m0"]
    assert row["engagement_weight"] == 205.0 and row["influence"] == 0.1235
    assert row["confidence"] == 0.3333
    assert "205.0," in text and "0.3," in text and "99999" not in text and "00000" not in text
    for col in ("followers", "reported_followers"):
        assert got[col].dtype.kind == "i", col  # counts are whole numbers


@pytest.mark.parametrize("given", ["buying fans", "BUYING FANS", "buying-fans", "Buying Fans"])
def test_segment_any_case_or_key(run, tmp_path, given):
    got, res = _export(run, tmp_path, segment=given)
    assert sorted(got["member_id"]) == ["m0", "m2"]
    assert set(got["segment_key"]) == {"buying-fans"}
    assert json.loads(res.sidecar.read_text())["filters"]["segments"] == ["Buying Fans"]
    assert sorted(_export(run, tmp_path, role="FAN")[0]["member_id"]) == ["m0", "m2"]


def test_unknown_segment_is_one_line_exit_2(run, tmp_path, capsys):
    code = main(["export", str(run), "--segment", "buyers", "--out", str(tmp_path / "o.csv")])
    err = capsys.readouterr().err.strip()
    assert code == 2 and err.startswith("error:") and "\n" not in err
    assert "'Buying Fans', 'high-reach influencers', 'quiet followers'" in err
    assert "buying-fans" in err and "quiet-followers-2" in err
    assert not (tmp_path / "o.csv").exists()
    assert main(["export", str(run), "--all", "--top", "0"]) == 2
    assert "\n" not in capsys.readouterr().err.strip()


def test_cli_top_and_sort(run, tmp_path):
    out = tmp_path / "t.csv"
    assert main(["export", str(run), "--segment", "QUIET-FOLLOWERS", "--top", "1", "--sort",
                 "engagement", "--include-pii", "--out", str(out)]) == 0
    got = pd.read_csv(out)
    assert list(got["member_id"]) == ["m5"] and got.loc[0, "handle"] == "@ann5"


def test_names_do_not_depend_on_label_numbers():
    roles = np.array(["follower"] * 9)
    clusters = np.array([0, 0, 1, 1, 1, 1, 2, 2, 2])
    names = pd.Series(clusters).map(name_segments(clusters, roles, {}))
    perm = np.array([2, 0, 1])[clusters]  # the same partition, labels renumbered
    renamed = pd.Series(perm).map(name_segments(perm, roles, {}))
    assert list(names) == list(renamed)
    # the largest keeps the plain name; the counter follows size, ties by first member
    assert list(names) == ["core followers 3"] * 2 + ["core followers"] * 4 + [
        "core followers 2"] * 3
    assert segment_key("Newsletter-reading Fans & Bloggers 2") == \
        "newsletter-reading-fans-bloggers-2"


def test_names_and_keys_stable_across_input_row_order(tmp_path):
    synth = generate(300, mixing=0.3, seed=5)
    config = apply_overrides(RunConfig(), ["attribution.enabled=false", "report.enabled=false"])
    rng = np.random.default_rng(4)
    shuffled = {k: v.iloc[rng.permutation(len(v))] for k, v in synth.tables.items()
                if v is not None}
    exports = []
    for i, tables in enumerate((synth.tables, shuffled)):
        data = CommunityData.from_frames(**tables)
        folder = save_run(Pipeline(config).run(data), tmp_path / f"run{i}", data=data,
                          report=False)
        res = export_audience(folder, out=tmp_path / f"e{i}.csv", include_pii=True)
        exports.append(res.path.read_bytes())
    assert exports[0] == exports[1]
    got = pd.read_csv(tmp_path / "e0.csv")
    assert got["segment"].map(segment_key).equals(got["segment_key"])
    assert got["followers"].dtype.kind == "i" and got["handle"].notna().all()
