"""Readers for the real datasets in ``../shared/datasets/`` (experiment 7(b) of issue 3).

Each reader takes the raw files exactly as stored there and returns a :class:`Loaded`
``(data, truth, info)``:

- ``data``: a :class:`~clusterkit.data.CommunityData` (DESIGN §2 contract). Graphs become the
  ``follows`` table, ``follower_id -> followee_id``; timestamped interactions become ``events``.
  A ``members`` table lists every node (so isolated nodes stay members) with the attributes
  the files give (name, handle, party …).
- ``truth``: a ``pandas.Series`` of labels indexed by ``member_id`` (str), only for the members
  that have one, or ``None`` when the folder has no ground truth.
- ``info``: a dict describing what was read and how (direction, counts, truth kind, caveats).

Conventions
-----------
Undirected graphs (football games, polbooks co-purchases, Facebook friendships, musae mutual
likes / mutual follows) are written as follows **in both directions**: the relation is
symmetric, so every member "follows" and "is followed by" each neighbour. Community detection
does not care (``member_graph`` symmetrises, and a uniform factor 2 does not change modularity),
but graph features and roles of the default pipeline (in-degree, followers) would otherwise
depend on the arbitrary column order of the edge file.

Directed graphs keep their direction, written as "who pays attention to whom":

===================== ===================================================================
email-eu-core         ``u v`` (u e-mailed v) → ``follower_id=u, followee_id=v``
us-senate-twitter     ``following=TRUE`` on (source, target) → source follows target
congress-twitter      edge ``u v w``: v retweets / quotes / replies to / mentions u with
                      probability w → ``follower_id=v, followee_id=u`` (weight kept as the
                      extra column ``weight``; ``member_graph`` does not use it)
higgs-twitter         activity ``A B t RT|MT|RE`` → event ``member_id=A, target_id=B``
                      (action retweet / mention / reply); the truncated follower sample
                      ``A B`` (A follows B) → follows
enron-perry-wolfe     one event per (message, recipient): ``member_id=sender,
                      target_id=receiver, action="email"``
===================== ===================================================================

Ground truth
------------
football (12 conferences; "Independents" is not a real community), polbooks (3 leanings),
email-eu-core (42 departments), us-senate-twitter-2018 (party), congress-twitter (party:
the JSON file carries a ``partyList`` key, D/R, that the folder's README does not mention),
musae-facebook (page type), musae-github (ML vs web developer), enron-perry-wolfe (department:
an attribute, not a community partition), ego-facebook (see :func:`read_ego_facebook`).
higgs-twitter has none.

The data root is a parameter; by default the environment variable ``CLUSTERKIT_DATASETS`` or
``../shared/datasets`` relative to the repository root. A missing dataset raises
:class:`DatasetNotFoundError` naming the path that was looked at.

Nothing runs at import.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from clusterkit.data import CommunityData

__all__ = [
    "DATASETS",
    "TRUTH_DATASETS",
    "DatasetNotFoundError",
    "Loaded",
    "dataset_root",
    "load",
    "read_congress_twitter",
    "read_ego_facebook",
    "read_email_eu_core",
    "read_enron",
    "read_football",
    "read_gml_graph",
    "read_higgs",
    "read_musae_facebook",
    "read_musae_github",
    "read_musae_twitch_de",
    "read_polbooks",
    "read_us_senate",
]

REPO_ROOT = Path(__file__).resolve().parents[1]
ENV_VAR = "CLUSTERKIT_DATASETS"

FOOTBALL_CONFERENCES = {
    0: "Atlantic Coast",
    1: "Big East",
    2: "Big Ten",
    3: "Big Twelve",
    4: "Conference USA",
    5: "Independents",
    6: "Mid-American",
    7: "Mountain West",
    8: "Pacific Ten",
    9: "Southeastern",
    10: "Sun Belt",
    11: "Western Athletic",
}
EGOS = (0, 107, 348, 414, 686, 698, 1684, 1912, 3437, 3980)
HIGGS_ACTIONS = {"RT": "retweet", "MT": "mention", "RE": "reply"}


class DatasetNotFoundError(FileNotFoundError):
    """A dataset folder or one of its files is missing."""


class Loaded(NamedTuple):
    """What a reader returns: unpacks as ``data, truth, info``."""

    data: CommunityData
    truth: pd.Series | None
    info: dict


# --------------------------------------------------------------------------------------------
# paths


def dataset_root(root: str | os.PathLike | None = None) -> Path:
    """The datasets folder: ``root``, else ``$CLUSTERKIT_DATASETS``, else ``../shared/datasets``.

    Raises
    ------
    DatasetNotFoundError
        If the folder does not exist.
    """
    if root is None:
        env = os.environ.get(ENV_VAR)
        path = Path(env) if env else REPO_ROOT.parent / "shared" / "datasets"
        how = f"${ENV_VAR}" if env else "the default (../shared/datasets from the repo root)"
    else:
        path, how = Path(root), "the root given"
    path = path.expanduser().resolve()
    if not path.is_dir():
        raise DatasetNotFoundError(
            f"datasets root {str(path)!r} (from {how}) does not exist. Pass --root PATH / "
            f"root=PATH or set ${ENV_VAR} to the folder holding football/, polbooks/, …"
        )
    return path


def _files(root, folder: str, *names: str) -> list[Path]:
    base = dataset_root(root) / folder
    if not base.is_dir():
        raise DatasetNotFoundError(
            f"dataset folder {str(base)!r} does not exist (dataset {folder!r}). Check the "
            f"datasets root or pass a different one (--root / ${ENV_VAR})."
        )
    paths = [base / n for n in names]
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise DatasetNotFoundError(f"dataset {folder!r} is missing file(s): {', '.join(missing)}.")
    return paths


# --------------------------------------------------------------------------------------------
# helpers


def _ids(values) -> pd.Series:
    """Node ids as strings ('12', not '12.0')."""
    s = pd.Series(values)
    if pd.api.types.is_float_dtype(s):
        s = s.astype("Int64")
    return s.astype(str).str.strip()


def _follows(src, dst, *, both: bool, extra: dict | None = None) -> pd.DataFrame:
    """Follow table from source / target arrays; both directions for undirected graphs."""
    src, dst = _ids(src).to_numpy(dtype=object), _ids(dst).to_numpy(dtype=object)
    cols = {"follower_id": src, "followee_id": dst, **(extra or {})}
    out = pd.DataFrame(cols)
    if both:
        rev = out.rename(columns={"follower_id": "followee_id", "followee_id": "follower_id"})
        out = pd.concat([out, rev[out.columns]], ignore_index=True)
        out = out.drop_duplicates(["follower_id", "followee_id"], ignore_index=True)
    return out


def _edge_list(path: Path, names: list[str], **kw) -> pd.DataFrame:
    """Whitespace-separated edge list (plain or gzip; CRLF or LF), all columns as str."""
    return pd.read_csv(path, sep=r"\s+", header=None, names=names, dtype=str, comment=None, **kw)


def _undirected_counts(src, dst) -> tuple[int, int]:
    """(distinct undirected non-loop edges, self-loops) of an edge list."""
    a, b = np.asarray(src, dtype=object), np.asarray(dst, dtype=object)
    loops = int((a == b).sum())
    lo, hi = np.where(a < b, a, b), np.where(a < b, b, a)
    pairs = pd.DataFrame({"u": lo, "v": hi})[a != b]
    return int(len(pairs.drop_duplicates())), loops


# --------------------------------------------------------------------------------------------
# GML: football, polbooks


def read_gml_graph(path: Path, label: str = "id"):
    """Read a GML graph with networkx, tolerating duplicated edges.

    Newman's older ``football.gml`` copies hold two duplicated edges (615 instead of 613);
    networkx refuses those in a simple graph ("edge … is duplicated"). They are then read as
    a multigraph and collapsed. Nodes are keyed by the GML ``id`` (not ``label``, which need
    not be unique in every copy).

    Returns
    -------
    (networkx.Graph, int)
        The simple graph and the number of duplicate edges dropped.
    """
    import networkx as nx

    text = Path(path).read_text(encoding="utf-8", errors="replace")
    try:
        return nx.parse_gml(text, label=label), 0
    except nx.NetworkXError as exc:
        if "duplicated" not in str(exc):
            raise
    multi = re.sub(r"(\bgraph\s*\[)", r"\1\n  multigraph 1", text, count=1)
    g = nx.parse_gml(multi, label=label)
    simple = nx.Graph(g) if not g.is_directed() else nx.DiGraph(g)
    return simple, g.number_of_edges() - simple.number_of_edges()


def _gml_dataset(path: Path, name: str, truth_name: str, truth_map=None) -> Loaded:
    import networkx as nx

    g, dup = read_gml_graph(path)
    nodes = pd.DataFrame(
        [{"member_id": str(n), **d} for n, d in g.nodes(data=True)]  # 100s of nodes
    )
    edges = nx.to_pandas_edgelist(g, source="u", target="v")
    loops = int((edges["u"] == edges["v"]).sum())
    follows = _follows(edges["u"], edges["v"], both=not g.is_directed())
    members = nodes.rename(columns={"label": "name"}).drop(columns=["value"])
    truth = pd.Series(
        nodes["value"].to_numpy(), index=pd.Index(nodes["member_id"], dtype=object), name=truth_name
    )
    if truth_map is not None:
        truth = truth.map(truth_map).rename(truth_name)
    data = CommunityData.from_frames(members=members, follows=follows)
    info = {
        "name": name,
        "directed": g.is_directed(),
        "n_nodes": g.number_of_nodes(),
        "n_edges": g.number_of_edges(),
        "self_loops": loops,
        "duplicate_edges_dropped": dup,
        "follows": "both directions (undirected graph)",
        "truth": truth_name,
        "truth_kind": "partition",
        "n_classes": int(truth.nunique()),
        "files": [str(path)],
    }
    return Loaded(data, truth, info)


def read_football(root=None) -> Loaded:
    """American college football 2000 (GML): 115 teams, 613 games, truth = conference.

    Truth labels are conference names; "Independents" (5 teams) is kept as a class (it is in
    every published NMI) but is not a real community. Duplicated edges of older copies are
    dropped (``info["duplicate_edges_dropped"]``).
    """
    (path,) = _files(root, "football", "football.gml")
    return _gml_dataset(
        path, "football", "conference", truth_map=lambda v: FOOTBALL_CONFERENCES.get(int(v), str(v))
    )


def read_polbooks(root=None) -> Loaded:
    """Books about US politics (GML): 105 books, 441 edges, truth = l / n / c leaning."""
    (path,) = _files(root, "polbooks", "polbooks.gml")
    return _gml_dataset(
        path, "polbooks", "leaning", truth_map={"l": "liberal", "n": "neutral", "c": "conservative"}
    )


# --------------------------------------------------------------------------------------------
# edge lists


def read_email_eu_core(root=None) -> Loaded:
    """email-Eu-core: directed e-mail graph, 1,005 people, truth = one of 42 departments.

    ``u v`` (u sent e-mail to v) becomes u follows v. The 642 self-loops are dropped by
    validation (recorded in ``data.warnings``). Files have CRLF line ends.
    """
    edges_p, labels_p = _files(
        root, "email-eu-core", "email-Eu-core.txt", "email-Eu-core-department-labels.txt"
    )
    edges = _edge_list(edges_p, ["u", "v"])
    labels = _edge_list(labels_p, ["member_id", "department"])
    members = pd.DataFrame({"member_id": labels["member_id"]})
    data = CommunityData.from_frames(
        members=members, follows=_follows(edges["u"], edges["v"], both=False)
    )
    truth = pd.Series(
        labels["department"].to_numpy(),
        index=pd.Index(labels["member_id"], dtype=object),
        name="department",
    )
    und, loops = _undirected_counts(edges["u"], edges["v"])
    info = {
        "name": "email-eu-core",
        "directed": True,
        "n_nodes": int(data.n_members),
        "n_edges": int(len(edges)),
        "undirected_edges": und,
        "self_loops": loops,
        "follows": "u -> v: sender follows receiver",
        "truth": "department",
        "truth_kind": "partition",
        "n_classes": int(truth.nunique()),
        "files": [str(edges_p), str(labels_p)],
    }
    return Loaded(data, truth, info)


def _musae(
    root, folder: str, edges_name: str, target_name: str, truth_col: str, name_col: str, name: str
) -> Loaded:
    edges_p, target_p = _files(root, folder, edges_name, target_name)
    edges = pd.read_csv(edges_p, dtype=str)
    target = pd.read_csv(target_p, dtype=str, keep_default_na=False)
    members = target.rename(columns={"id": "member_id", name_col: "name"})
    if "facebook_id" in members:
        members = members.rename(columns={"facebook_id": "handle"})
    members = members.drop(columns=[truth_col])
    data = CommunityData.from_frames(
        members=members, follows=_follows(edges["id_1"], edges["id_2"], both=True)
    )
    truth = pd.Series(
        target[truth_col].to_numpy(), index=pd.Index(target["id"], dtype=object), name=truth_col
    )
    und, loops = _undirected_counts(edges["id_1"], edges["id_2"])
    info = {
        "name": name,
        "directed": False,
        "n_nodes": int(len(target)),
        "n_edges": int(len(edges)),
        "undirected_edges": und,
        "self_loops": loops,
        "follows": "both directions (mutual relation)",
        "truth": truth_col,
        "truth_kind": "attribute (account type), not a community partition",
        "n_classes": int(truth.nunique()),
        "files": [str(edges_p), str(target_p)],
    }
    return Loaded(data, truth, info)


def read_musae_facebook(root=None) -> Loaded:
    """Facebook page-page graph (22,470 pages, 171,002 mutual-like edges), truth = page type.

    The JSON text features (``facebook.json``) are not needed for community truth and are not
    read.
    """
    return _musae(
        root,
        "musae-facebook",
        "facebook_edges.csv",
        "facebook_target.csv",
        "page_type",
        "page_name",
        "musae-facebook",
    )


def read_musae_github(root=None) -> Loaded:
    """GitHub mutual-follower graph (37,700 developers, 289,003 edges), truth = ML (1) / web (0)."""
    return _musae(
        root, "musae-github", "git_edges.csv", "git_target.csv", "ml_target", "name", "musae-github"
    )


def read_musae_twitch_de(root=None, *, attributes: bool = True) -> Loaded:
    """German Twitch streamers' mutual-follow graph: 9,498 members, 153,138 mutual edges.

    Truth: the ``partner`` flag (Twitch's own pick of streamers with a large, engaged
    audience), an influencer proxy. Each mutual edge becomes two follows. With
    ``attributes`` the members table carries ``views`` (channel views), ``created_at``
    (from the account age ``days``, counted back from 2018-06-01, about when the data was
    collected) and ``mature``; without, the data is the graph alone.
    """
    edge_p, target_p = _files(root, "musae-twitch-de", "DE_edges.csv", "DE_target.csv")
    edges = pd.read_csv(edge_p, dtype=str)
    target = pd.read_csv(target_p)
    follows = _follows(edges["from"], edges["to"], both=True)
    ids = _ids(target["new_id"])
    members = pd.DataFrame({"member_id": ids.to_numpy(dtype=object)})
    if attributes:
        ref = pd.Timestamp("2018-06-01", tz="UTC")
        members["views"] = target["views"].to_numpy()
        members["created_at"] = (ref - pd.to_timedelta(target["days"], unit="D")).astype(str)
        members["mature"] = target["mature"].astype(str).to_numpy()
    data = CommunityData.from_frames(members=members, follows=follows)
    truth = pd.Series(target["partner"].astype(bool).to_numpy(), index=ids, name="partner")
    return Loaded(data, truth.reindex(data.member_ids), {
        "name": "musae-twitch-de", "members": data.n_members,
        "edges": int(len(edges)), "partners": int(truth.sum())})


def read_us_senate(root=None) -> Loaded:
    """US senators on Twitter (2018): 100 accounts, 5,697 directed follows, truth = party.

    ``senators_follow.csv`` lists all ordered pairs; ``following=TRUE`` means source follows
    target (``followed_by`` is the same relation seen from the other side and is not needed).
    Party comes from ``senators_twitter.csv``, joined case-insensitively on the handle (five
    handles differ in case); ``followers`` (platform count) from ``senators_wfollowers.csv``
    where present (95 of 100). Independents (King, Sanders) are their own class.
    """
    follow_p, tw_p, wf_p = _files(
        root,
        "us-senate-twitter-2018",
        "senators_follow.csv",
        "senators_twitter.csv",
        "senators_wfollowers.csv",
    )
    pairs = pd.read_csv(follow_p, dtype=str)
    flag = pairs["following"].str.strip().str.upper() == "TRUE"
    edges = pairs[flag & (pairs["source"] != pairs["target"])]
    handles = pd.Index(pd.unique(pd.concat([pairs["source"], pairs["target"]])), dtype=object)
    tw = pd.read_csv(tw_p, dtype=str)
    tw["key"] = tw["Official Twitter"].str.strip().str.lower()
    wf = pd.read_csv(wf_p, dtype=str)
    wf["key"] = wf["Official.Twitter"].str.strip().str.lower()
    members = pd.DataFrame({"member_id": handles, "key": handles.str.lower()})
    members = members.merge(
        tw[["key", "Senator", "State", "Party affiliation"]], on="key", how="left"
    ).merge(wf[["key", "followers_count"]], on="key", how="left")
    party = members["Party affiliation"].str.replace(" Party", "", regex=False)
    members = members.rename(
        columns={"Senator": "name", "State": "state", "followers_count": "followers"}
    )
    members["handle"] = members["member_id"]
    members["party"] = party
    members = members.drop(columns=["key", "Party affiliation"])
    data = CommunityData.from_frames(
        members=members, follows=_follows(edges["source"], edges["target"], both=False)
    )
    has = party.notna().to_numpy()
    truth = pd.Series(
        party.to_numpy()[has], index=pd.Index(members["member_id"][has], dtype=object), name="party"
    )
    info = {
        "name": "us-senate-twitter-2018",
        "directed": True,
        "n_nodes": int(len(handles)),
        "n_edges": int(len(edges)),
        "follows": "source follows target (following=TRUE)",
        "reciprocated": int((edges["followed_by"].str.upper() == "TRUE").sum()),
        "unmatched_party": int((~has).sum()),
        "truth": "party",
        "truth_kind": "partition",
        "n_classes": int(truth.nunique()),
        "files": [str(follow_p), str(tw_p), str(wf_p)],
    }
    return Loaded(data, truth, info)


def read_congress_twitter(root=None) -> Loaded:
    """117th Congress Twitter interaction graph: 475 members, 13,289 weighted directed edges.

    ``congress.edgelist`` lines are ``u v w`` (plain, not the ``{'weight': w}`` dict form the
    folder README describes). ``u -> v`` with weight w: v engages with u's tweets with
    probability w, so v follows u here (``weight`` kept as an extra column, unused by
    ``member_graph``). Handles and party come from ``congress_network_data.json``
    (``usernameList``; ``partyList`` D / R — not mentioned in the README, which says there is
    no ground truth; independents appear to be coded with the party they caucus with).
    """
    edges_p, json_p = _files(
        root, "congress-twitter", "congress.edgelist", "congress_network_data.json"
    )
    edges = _edge_list(edges_p, ["u", "v", "weight"])
    meta = json.loads(json_p.read_text())[0]
    n = len(meta["usernameList"])
    members = pd.DataFrame(
        {"member_id": [str(i) for i in range(n)], "handle": meta["usernameList"]}
    )
    truth = None
    if "partyList" in meta:
        members["party"] = meta["partyList"]
        truth = pd.Series(
            members["party"].to_numpy(),
            index=pd.Index(members["member_id"], dtype=object),
            name="party",
        )
    follows = _follows(
        edges["v"],
        edges["u"],
        both=False,
        extra={"weight": pd.to_numeric(edges["weight"]).to_numpy()},
    )
    data = CommunityData.from_frames(members=members, follows=follows)
    info = {
        "name": "congress-twitter",
        "directed": True,
        "n_nodes": n,
        "n_edges": int(len(edges)),
        "json_edges": int(sum(map(len, meta["outList"]))),
        "follows": "edge u -> v (v engages with u) becomes v follows u; weight kept, unused",
        "truth": "party" if truth is not None else None,
        "truth_kind": "partition (partyList in the JSON; not in the README)"
        if truth is not None
        else None,
        "n_classes": int(truth.nunique()) if truth is not None else 0,
        "files": [str(edges_p), str(json_p)],
    }
    return Loaded(data, truth, info)


# --------------------------------------------------------------------------------------------
# ego-facebook


def _circles(path: Path) -> dict[str, list[str]]:
    """``name<TAB>m1<TAB>m2 …`` per line → name → member ids (line format; 193 lines in all)."""
    out = {}
    for line in path.read_text().splitlines():
        parts = line.split()
        if parts:
            out[parts[0]] = parts[1:]
    return out


def read_ego_facebook(root=None, ego: int | None = None) -> Loaded:
    """Facebook ego networks (SNAP): the combined graph, or one ego's alter network.

    Circles are overlapping, incomplete and nested, so plain NMI against them is undefined.
    Two truths are offered:

    ``ego=None`` (default)
        The combined graph (4,039 nodes, 88,234 friendships, both directions). Truth: the
        **ego network** a node belongs to (10 classes: the ego and its alters). Nodes that are
        alters of several egos, or an ego that is another ego's alter, are ambiguous and left
        out of the truth (``info["ambiguous"]``). This is a coarse but real partition: the
        ten surveys are the communities the combined graph was built from.
    ``ego=<id>``
        That ego's alters and their edges (``<ego>.edges``; the ego, tied to everyone, is
        left out as in McAuley & Leskovec). Members are the ``.feat`` rows, so alters without
        an edge stay members. Truth: the circle of alters in **exactly one** circle; alters
        in none or several are left out. ``info["circles"]`` keeps the full overlapping
        cover (circle → member ids) for overlap-aware scores.
    """
    if ego is None:
        (comb_p,) = _files(root, "ego-facebook", "facebook_combined.txt")
        edges = _edge_list(comb_p, ["u", "v"])
        alters = []
        for e in EGOS:
            (feat_p,) = _files(root, "ego-facebook", f"facebook/{e}.feat")
            ids = pd.read_csv(feat_p, sep=r"\s+", header=None, usecols=[0], dtype=str)[0]
            alters.append(pd.DataFrame({"member_id": ids, "ego": str(e)}))
            alters.append(pd.DataFrame({"member_id": [str(e)], "ego": [str(e)]}))
        owner = pd.concat(alters, ignore_index=True).drop_duplicates()
        count = owner.groupby("member_id")["ego"].transform("size")
        unique = owner[count == 1]
        nodes = pd.Index(pd.unique(pd.concat([edges["u"], edges["v"]])), dtype=object)
        data = CommunityData.from_frames(
            members=pd.DataFrame({"member_id": nodes}),
            follows=_follows(edges["u"], edges["v"], both=True),
        )
        truth = pd.Series(
            unique["ego"].to_numpy(), index=pd.Index(unique["member_id"], dtype=object), name="ego"
        )
        truth = truth[truth.index.isin(nodes)]
        und, loops = _undirected_counts(edges["u"], edges["v"])
        info = {
            "name": "ego-facebook",
            "directed": False,
            "n_nodes": int(len(nodes)),
            "n_edges": int(len(edges)),
            "undirected_edges": und,
            "self_loops": loops,
            "follows": "both directions (friendship)",
            "truth": "ego network",
            "truth_kind": "partition (ego network of each node; ambiguous nodes left out)",
            "ambiguous": int(owner["member_id"].nunique() - len(unique)),
            "n_classes": int(truth.nunique()),
            "egos": list(EGOS),
            "files": [str(comb_p)],
        }
        return Loaded(data, truth, info)

    edges_p, circ_p, feat_p = _files(
        root,
        "ego-facebook",
        f"facebook/{ego}.edges",
        f"facebook/{ego}.circles",
        f"facebook/{ego}.feat",
    )
    edges = _edge_list(edges_p, ["u", "v"])
    ids = pd.read_csv(feat_p, sep=r"\s+", header=None, usecols=[0], dtype=str)[0]
    circles = _circles(circ_p)
    cover = pd.DataFrame(
        [(m, c) for c, ms in circles.items() for m in ms], columns=["member_id", "circle"]
    ).drop_duplicates()
    n_circ = cover.groupby("member_id")["circle"].transform("size")
    single = cover[n_circ == 1]
    nodes = pd.Index(pd.unique(pd.concat([ids, edges["u"], edges["v"]])), dtype=object)
    data = CommunityData.from_frames(
        members=pd.DataFrame({"member_id": nodes}),
        follows=_follows(edges["u"], edges["v"], both=True),
    )
    truth = pd.Series(
        single["circle"].to_numpy(),
        index=pd.Index(single["member_id"], dtype=object),
        name="circle",
    )
    truth = truth[truth.index.isin(nodes)]
    und, loops = _undirected_counts(edges["u"], edges["v"])
    info = {
        "name": f"ego-facebook/{ego}",
        "directed": False,
        "n_nodes": int(len(nodes)),
        "n_edges": und,
        "edge_lines": int(len(edges)),
        "self_loops": loops,
        "follows": "both directions (friendship); ego left out",
        "truth": "circle",
        "truth_kind": "alters in exactly one circle (circles overlap)",
        "n_circles": len(circles),
        "in_any_circle": int(cover["member_id"].nunique()),
        "in_one_circle": int(len(truth)),
        "n_classes": int(truth.nunique()),
        "circles": circles,
        "files": [str(edges_p), str(circ_p), str(feat_p)],
    }
    return Loaded(data, truth, info)


# --------------------------------------------------------------------------------------------
# event data: enron, higgs


def read_enron(root=None) -> Loaded:
    """Enron (Perry & Wolfe): 156 employees, 38,388 timestamped sender → receiver e-mails.

    One event per (message, recipient): ``member_id`` = sender, ``target_id`` = receiver,
    ``action="email"`` (not in the known vocabulary: it gets the config's default weight and a
    validation warning), ``channel="email"``, ``content_id`` = message id, ``timestamp`` =
    Unix seconds. Members carry name, department, title, gender, seniority. Truth: the
    department (Legal / Trading / Other) — an organisational attribute, not a community
    partition ("Other" is a catch-all).
    """
    emp_p, msg_p, rcp_p = _files(
        root, "enron-perry-wolfe", "employees.tsv", "messages.tsv", "recipients.tsv"
    )
    emp = pd.read_csv(
        emp_p,
        sep="\t",
        header=None,
        dtype=str,
        quoting=3,
        names=[
            "member_id",
            "name",
            "department",
            "long_department",
            "title",
            "gender",
            "seniority",
        ],
    )
    msg = pd.read_csv(
        msg_p,
        sep="\t",
        header=None,
        dtype=str,
        quoting=3,
        names=["content_id", "filename", "timestamp", "subject", "sender"],
    )
    rcp = pd.read_csv(
        rcp_p, sep="\t", header=None, dtype=str, quoting=3, names=["content_id", "rno", "target_id"]
    )
    ev = rcp.merge(msg[["content_id", "timestamp", "sender"]], on="content_id", how="left")
    events = pd.DataFrame(
        {
            "member_id": ev["sender"],
            "action": "email",
            "timestamp": pd.to_numeric(ev["timestamp"]),
            "channel": "email",
            "target_id": ev["target_id"],
            "content_id": ev["content_id"],
        }
    )
    data = CommunityData.from_frames(members=emp, events=events)
    truth = pd.Series(
        emp["department"].to_numpy(),
        index=pd.Index(emp["member_id"], dtype=object),
        name="department",
    )
    info = {
        "name": "enron-perry-wolfe",
        "directed": True,
        "n_nodes": int(len(emp)),
        "n_messages": int(len(msg)),
        "n_events": int(len(events)),
        "n_pairs": int(len(events[["member_id", "target_id"]].drop_duplicates())),
        "follows": None,
        "events": "sender -> each receiver, action 'email'",
        "truth": "department",
        "truth_kind": "attribute (department), not a community partition",
        "n_classes": int(truth.nunique()),
        "files": [str(emp_p), str(msg_p), str(rcp_p)],
    }
    return Loaded(data, truth, info)


def read_higgs(root=None, *, follows: bool = True) -> Loaded:
    """Higgs Twitter (1–7 July 2012): 563,069 RT / MT / RE events among 304,691 users.

    Events: ``A B t type`` → ``member_id=A, target_id=B``, action retweet / mention / reply,
    channel ``twitter``. With ``follows=True`` the **truncated** follower sample (``A B``: A
    follows B; 355,074 complete lines, the last, cut-off line dropped) is added as follows —
    not a uniform sample: the full out-lists of the first 5,395 users only. No ground truth.
    """
    (act_p,) = _files(root, "higgs-twitter", "higgs-activity_time.txt.gz")
    act = _edge_list(act_p, ["member_id", "target_id", "timestamp", "type"])
    events = pd.DataFrame(
        {
            "member_id": act["member_id"],
            "action": act["type"].map(HIGGS_ACTIONS),
            "timestamp": pd.to_numeric(act["timestamp"]),
            "channel": "twitter",
            "target_id": act["target_id"],
        }
    )
    tables = {"events": events}
    info = {
        "name": "higgs-twitter",
        "directed": True,
        "n_events": int(len(events)),
        "actions": events["action"].value_counts().to_dict(),
        "truth": None,
        "truth_kind": None,
        "files": [str(act_p)],
    }
    if follows:
        (soc_p,) = _files(root, "higgs-twitter", "higgs-social_network.edgelist.truncated")
        soc = _edge_list(soc_p, ["u", "v"])
        with open(soc_p, "rb") as fh:
            fh.seek(-1, os.SEEK_END)
            cut = fh.read(1) != b"\n"
        if cut:  # the last record was cut off mid-line
            soc = soc.iloc[:-1]
        tables["follows"] = _follows(soc["u"], soc["v"], both=False)
        info.update(
            n_follows=int(len(soc)),
            dropped_cut_line=bool(cut),
            follows="A follows B (truncated sample)",
            files=[str(act_p), str(soc_p)],
        )
    data = CommunityData.from_frames(**tables)
    info["n_nodes"] = int(data.n_members)
    return Loaded(data, None, info)


# --------------------------------------------------------------------------------------------

DATASETS = {
    "football": read_football,
    "polbooks": read_polbooks,
    "email-eu-core": read_email_eu_core,
    "us-senate-twitter-2018": read_us_senate,
    "congress-twitter": read_congress_twitter,
    "ego-facebook": read_ego_facebook,
    "enron-perry-wolfe": read_enron,
    "musae-facebook": read_musae_facebook,
    "musae-github": read_musae_github,
    "musae-twitch-de": read_musae_twitch_de,
    "higgs-twitter": read_higgs,
}
"""Dataset name (its folder) → reader."""

TRUTH_DATASETS = (
    "football",
    "polbooks",
    "email-eu-core",
    "us-senate-twitter-2018",
    "congress-twitter",
    "ego-facebook",
    "enron-perry-wolfe",
    "musae-facebook",
    "musae-github",
)
"""Datasets whose files carry a label to score communities against."""


def load(name: str, root=None, **kwargs) -> Loaded:
    """Read dataset ``name`` (a key of :data:`DATASETS`) from ``root``."""
    if name not in DATASETS:
        import difflib

        hint = difflib.get_close_matches(name, list(DATASETS), n=1)
        did = f" Did you mean {hint[0]!r}?" if hint else ""
        raise KeyError(f"unknown dataset {name!r}.{did} Known: {', '.join(DATASETS)}.")
    return DATASETS[name](root, **kwargs)
