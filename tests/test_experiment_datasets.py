"""Readers of experiments/datasets.py on tiny files in each dataset's raw format.

The real datasets are never needed: every test writes its own few-line files to tmp_path.
"""

from __future__ import annotations

import gzip
import importlib.util
import json
import sys
from pathlib import Path

import numpy as np
import pytest

EXPERIMENTS = Path(__file__).resolve().parents[1] / "experiments"


def _load(stem: str, name: str):
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(name, EXPERIMENTS / f"{stem}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ds = _load("datasets", "clusterkit_experiments_datasets")
rd = _load("real_datasets", "clusterkit_experiments_real_datasets")


def _follow_set(data):
    f = data.follows
    return set(zip(f["follower_id"], f["followee_id"], strict=True))


GML = """Creator "test"
graph
[
  directed 0
{nodes}
{edges}
]
"""


def _gml(values, edges, dup=None):
    nodes = "\n".join(
        f'  node\n  [\n    id {i}\n    label "Team{i}"\n    value {v}\n  ]'
        for i, v in enumerate(values)
    )
    edge_list = list(edges) + ([dup] if dup else [])
    es = "\n".join(f"  edge\n  [\n    source {u}\n    target {v}\n  ]" for u, v in edge_list)
    return GML.format(nodes=nodes, edges=es)


FOOT_EDGES = [(0, 1), (1, 2), (0, 2), (3, 4), (4, 5), (3, 5), (2, 3)]


def test_football_gml(tmp_path):
    (tmp_path / "football").mkdir()
    (tmp_path / "football" / "football.gml").write_text(_gml([0, 0, 0, 5, 5, 5], FOOT_EDGES))
    data, truth, info = ds.read_football(tmp_path)
    assert list(data.member_ids) == ["0", "1", "2", "3", "4", "5"]
    assert len(data.follows) == 2 * len(FOOT_EDGES)  # both directions
    assert ("1", "0") in _follow_set(data) and ("0", "1") in _follow_set(data)
    assert truth["0"] == "Atlantic Coast" and truth["5"] == "Independents"
    assert data.members.loc["3", "name"] == "Team3"
    assert info["n_edges"] == 7 and info["duplicate_edges_dropped"] == 0


def test_football_gml_duplicate_edge_is_dropped(tmp_path):
    """Older football.gml copies hold duplicated edges, which networkx refuses by default."""
    (tmp_path / "football").mkdir()
    text = _gml([0, 0, 0, 5, 5, 5], FOOT_EDGES, dup=(1, 0))
    (tmp_path / "football" / "football.gml").write_text(text)
    data, truth, info = ds.read_football(tmp_path)
    assert info["duplicate_edges_dropped"] == 1 and info["n_edges"] == 7
    assert len(data.follows) == 14


def test_polbooks_string_values(tmp_path):
    (tmp_path / "polbooks").mkdir()
    text = _gml(['"l"', '"l"', '"n"', '"c"', '"c"', '"c"'], FOOT_EDGES)
    (tmp_path / "polbooks" / "polbooks.gml").write_text(text)
    data, truth, _ = ds.read_polbooks(tmp_path)
    assert data.n_members == 6
    assert truth.value_counts().to_dict() == {"conservative": 3, "liberal": 2, "neutral": 1}


def test_email_eu_core_crlf_directed(tmp_path):
    d = tmp_path / "email-eu-core"
    d.mkdir()
    (d / "email-Eu-core.txt").write_bytes(b"0 1\r\n1 2\r\n2 2\r\n3 0\r\n")
    (d / "email-Eu-core-department-labels.txt").write_bytes(b"0 1\r\n1 1\r\n2 7\r\n3 7\r\n4 7\r\n")
    data, truth, info = ds.read_email_eu_core(tmp_path)
    assert list(data.member_ids) == ["0", "1", "2", "3", "4"]  # 4 has no edge: kept
    assert _follow_set(data) == {("0", "1"), ("1", "2"), ("3", "0")}  # self-loop dropped
    assert truth.to_dict() == {"0": "1", "1": "1", "2": "7", "3": "7", "4": "7"}
    assert info["self_loops"] == 1 and info["n_edges"] == 4


def test_us_senate_csvs(tmp_path):
    d = tmp_path / "us-senate-twitter-2018"
    d.mkdir()
    (d / "senators_follow.csv").write_text(
        "source,target,following,followed_by\n"
        "SenA,SenA,FALSE,FALSE\nSenA,senb,TRUE,TRUE\nsenb,SenA,TRUE,TRUE\n"
        "SenA,SenC,TRUE,FALSE\nSenC,SenA,FALSE,TRUE\nsenb,SenC,FALSE,FALSE\n"
        "SenC,senb,FALSE,FALSE\nsenb,senb,FALSE,FALSE\nSenC,SenC,FALSE,FALSE\n"
    )
    (d / "senators_twitter.csv").write_text(
        "State,Senator,Official Twitter,Staff Twitter,Campaign Twitter,Party affiliation,label\n"
        'X,"A, Ann",SenA,,,Republican Party,A(R)\n'
        'Y,"B, Bob",SenB,,,Democratic Party,B(D)\n'
        'Z,"C, Cy",SenC,,,Independent,C(I)\n'
    )
    (d / "senators_wfollowers.csv").write_text(
        '"Official.Twitter","State","Senator","Staff.Twitter","Campaign.Twitter",'
        '"Party.affiliation","label","followers_count"\n'
        '"SenA","X","A, Ann","","","Republican Party","A(R)",1200\n'
    )
    data, truth, info = ds.read_us_senate(tmp_path)
    assert list(data.member_ids) == ["SenA", "SenC", "senb"]
    assert _follow_set(data) == {("SenA", "senb"), ("senb", "SenA"), ("SenA", "SenC")}
    assert truth.to_dict() == {
        "SenA": "Republican",
        "SenC": "Independent",
        "senb": "Democratic",
    }  # case-insensitive join
    assert data.members.loc["SenA", "followers"] == 1200
    assert np.isnan(data.members.loc["SenC", "followers"])
    assert info["unmatched_party"] == 0


@pytest.mark.parametrize("kind", ["github", "facebook"])
def test_musae_csvs(tmp_path, kind):
    if kind == "github":
        d = tmp_path / "musae-github"
        d.mkdir()
        (d / "git_edges.csv").write_text("id_1,id_2\n0,1\n1,2\n3,2\n")
        (d / "git_target.csv").write_text("id,name,ml_target\n0,a,0\n1,b,1\n2,c,0\n3,d,1\n4,e,0\n")
        data, truth, info = ds.read_musae_github(tmp_path)
        assert truth.to_dict() == {"0": "0", "1": "1", "2": "0", "3": "1", "4": "0"}
    else:
        d = tmp_path / "musae-facebook"
        d.mkdir()
        (d / "facebook_edges.csv").write_text("id_1,id_2\n0,1\n1,2\n3,2\n4,4\n")
        (d / "facebook_target.csv").write_text(
            "id,facebook_id,page_name,page_type\n0,11,Pägé,tvshow\n1,12,B,company\n"
            "2,13,C,government\n3,14,D,politician\n4,15,E,company\n"
        )
        data, truth, info = ds.read_musae_facebook(tmp_path)
        assert truth["0"] == "tvshow" and data.members.loc["0", "name"] == "Pägé"
        assert info["self_loops"] == 1
    assert list(data.member_ids) == ["0", "1", "2", "3", "4"]
    assert ("1", "0") in _follow_set(data) and ("0", "1") in _follow_set(data)
    assert len(data.follows) == 6
    assert info["undirected_edges"] == 3


def test_congress_direction_and_party(tmp_path):
    d = tmp_path / "congress-twitter"
    d.mkdir()
    (d / "congress.edgelist").write_text("0 1 0.5 \n1 2 0.25 \n2 0 0.1 \n")
    meta = [
        {
            "inList": [[2], [0], [1]],
            "inWeight": [[0.1], [0.5], [0.25]],
            "outList": [[1], [2], [0]],
            "outWeight": [[0.5], [0.25], [0.1]],
            "usernameList": ["a", "b", "c"],
            "partyList": ["D", "R", "D"],
        }
    ]
    (d / "congress_network_data.json").write_text(json.dumps(meta))
    data, truth, info = ds.read_congress_twitter(tmp_path)
    # u -> v means v engages with u: v follows u
    assert _follow_set(data) == {("1", "0"), ("2", "1"), ("0", "2")}
    w = data.follows.set_index(["follower_id", "followee_id"])["weight"]
    assert w[("1", "0")] == 0.5
    assert truth.to_dict() == {"0": "D", "1": "R", "2": "D"}
    assert data.members.loc["2", "handle"] == "c"
    assert info["json_edges"] == 3


def _write_ego(root):
    d = root / "ego-facebook"
    (d / "facebook").mkdir(parents=True)
    lines, next_id = [], 5000
    for ego in ds.EGOS:
        alters = [str(next_id + i) for i in range(3)]
        next_id += 10
        (d / "facebook" / f"{ego}.feat").write_text("".join(f"{a} 0 1 \n" for a in alters))
        lines += [f"{ego} {a}" for a in alters] + [f"{alters[0]} {alters[1]}"]
    # ego 0's first alter is also an alter of ego 107 -> ambiguous
    shared = "5000"
    (d / "facebook" / "107.feat").write_text(
        (d / "facebook" / "107.feat").read_text() + f"{shared} 1 0 \n"
    )
    (d / "facebook_combined.txt").write_text("\n".join(lines) + "\n")
    (d / "facebook" / "0.edges").write_text("5000 5001\n5001 5000\n")
    (d / "facebook" / "0.circles").write_text(
        "circle0\t5000\t5001\ncircle1\t5001\t5002\ncircle2\t5002\n"
    )
    return d


def test_ego_facebook_combined_and_per_ego(tmp_path):
    _write_ego(tmp_path)
    data, truth, info = ds.read_ego_facebook(tmp_path)
    assert data.n_members == 10 + 30
    assert truth["0"] == "0" and truth["5001"] == "0" and truth["5010"] == "107"
    assert "5000" not in truth.index and info["ambiguous"] == 1
    assert truth.nunique() == 10
    data, truth, info = ds.read_ego_facebook(tmp_path, ego=0)
    assert list(data.member_ids) == ["5000", "5001", "5002"]  # 5002: no edge, kept
    assert _follow_set(data) == {("5000", "5001"), ("5001", "5000")}
    # 5000 only in circle0; 5001 in two circles (left out); 5002 in circle1 and circle2
    assert truth.to_dict() == {"5000": "circle0"}
    assert info["circles"]["circle1"] == ["5001", "5002"]
    assert info["in_any_circle"] == 3


def test_enron_events(tmp_path):
    d = tmp_path / "enron-perry-wolfe"
    d.mkdir()
    (d / "employees.tsv").write_text(
        "1\tAnn A\tTrading\tENA\tVP Trading\tFemale\tSenior\n"
        "2\tBob B\tLegal\tENA Legal\tLawyer\tMale\tJunior\n"
        "3\tCy C\tOther\tX\tSpecialist\tMale\tJunior\n"
    )
    (d / "messages.tsv").write_text(
        '1\ta/sent/1\t910930020\tHello "quoted\t1\n2\tb/sent/2\t910930080\tRe: x\t2\n'
    )
    (d / "recipients.tsv").write_text("1\t1\t2\n1\t2\t3\n2\t1\t1\n")
    data, truth, info = ds.read_enron(tmp_path)
    ev = data.events
    assert len(ev) == 3 and set(ev["action"]) == {"email"}
    pairs = set(zip(ev["member_id"], ev["target_id"], strict=True))
    assert pairs == {("1", "2"), ("1", "3"), ("2", "1")}
    assert str(ev["timestamp"].min()) == "1998-11-13 04:07:00+00:00"
    assert truth.to_dict() == {"1": "Trading", "2": "Legal", "3": "Other"}
    assert data.members.loc["2", "seniority"] == "Junior"


def test_higgs_events_and_truncated_follows(tmp_path):
    d = tmp_path / "higgs-twitter"
    d.mkdir()
    with gzip.open(d / "higgs-activity_time.txt.gz", "wt") as fh:
        fh.write("1 2 1341100972 MT\n1 2 1341100972 RE\n3 1 1341101181 RT\n")
    (d / "higgs-social_network.edgelist.truncated").write_bytes(b"1 2\n2 3\n2 1")  # cut off
    data, truth, info = ds.read_higgs(tmp_path)
    assert truth is None
    assert sorted(data.events["action"]) == ["mention", "reply", "retweet"]
    assert _follow_set(data) == {("1", "2"), ("2", "3")}
    assert info["dropped_cut_line"]


def test_missing_root_and_dataset_errors(tmp_path, monkeypatch):
    missing = tmp_path / "nowhere"
    with pytest.raises(ds.DatasetNotFoundError, match="nowhere"):
        ds.read_football(missing)
    with pytest.raises(ds.DatasetNotFoundError, match="polbooks"):
        ds.read_polbooks(tmp_path)  # root exists, dataset folder does not
    (tmp_path / "football").mkdir()
    with pytest.raises(ds.DatasetNotFoundError, match="football.gml"):
        ds.load("football", tmp_path)
    monkeypatch.setenv(ds.ENV_VAR, str(missing))
    with pytest.raises(ds.DatasetNotFoundError, match="CLUSTERKIT_DATASETS"):
        ds.dataset_root()
    with pytest.raises(KeyError, match="Did you mean .football."):
        ds.load("footbal", tmp_path)


def test_env_var_root(tmp_path, monkeypatch):
    (tmp_path / "football").mkdir()
    (tmp_path / "football" / "football.gml").write_text(_gml([0, 0, 0, 5, 5, 5], FOOT_EDGES))
    monkeypatch.setenv(ds.ENV_VAR, str(tmp_path))
    assert ds.load("football").data.n_members == 6


def test_scoring_helpers():
    assert rd.singletons([0, -2, 1, -2, -1]).tolist() == [0, 2, 1, 3, 4]
    cover = [np.array([0, 1]), np.array([1, 2])]
    assert rd.average_f1(cover, np.array([0, 0, 0, 1]), 4) == pytest.approx(0.8)
    assert rd.average_f1(
        [np.array([0, 1]), np.array([2, 3])], np.array([5, 5, 6, 6]), 4
    ) == pytest.approx(1.0)


def test_experiment_end_to_end_on_tiny_folder(tmp_path):
    """The script runs on a tiny football folder and writes its table."""
    (tmp_path / "football").mkdir()
    (tmp_path / "football" / "football.gml").write_text(_gml([0, 0, 0, 5, 5, 5], FOOT_EDGES))
    out = tmp_path / "out.md"
    assert (
        rd.main(
            [
                "--root",
                str(tmp_path),
                "--only",
                "football",
                "--seeds",
                "2",
                "--out",
                str(out),
                "--no-pipeline",
            ]
        )
        == 0
    )
    text = out.read_text()
    assert "| football | 6 | 2 |" in text and "leiden" in text
