"""Reshare cascades of each blogger: reconstruction, shape and structural virality.

A cascade is a tree rooted at a blogger. Its nodes are the members who reshared, mentioned
or replied to (``cascade_actions``) the blogger's campaign content in the window; each node's
parent is the member it got the content from.

Reconstruction rules (vectorised: pandas merges per depth level, no loop over members):

1. **Events.** Cascade actions in ``[window.start, window.end)`` with a ``target_id`` other
   than the actor, filtered by ``content_ids`` and ``topic`` when the spec gives them.
2. **Which blogger.** When an event's ``content_id`` was created (post / blog_post / video)
   by a blogger, the event can only join that blogger's cascade; content created by anyone
   else never joins; events without known content can join any cascade through their target.
3. **Adoption.** A member joins a blogger's cascade at the earliest event aimed at a node
   that joined before it (with ``target_is="author"``, aimed at the blogger himself). The
   earliest-arrival times are a fixed point, reached by relaxing all events once per depth
   level. Each member joins a cascade once; later events still count as amplifications.
4. **Parent.** The target of the adopting event, except when that target is the blogger
   (ambiguous: platforms credit the original author however the content travelled). Then
   the parent is the most recent exposure through the follow graph: of the members the
   adopter follows, the one who joined the cascade last before the adopter; if the adopter
   follows no earlier node, the blogger. Ties go to the smaller member id.

Shape: size (nodes, blogger included), depth, maximum breadth (nodes at one depth) and
structural virality (Goel, Anderson, Hofman & Watts 2016): the mean distance between all
pairs of nodes of the tree, computed in O(n) from subtree sizes,
``SV = 2 / (n (n - 1)) * sum over edges of s (n - s)`` with ``s`` the size of the subtree
below the edge.

Examples
--------
>>> import numpy as np
>>> structural_virality(np.array([-1, 0, 0, 1]))   # path 3-1-0-2: mean distance 5/3
array([1.66666667])
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterkit.data.schema import CONTENT_ACTIONS
from clusterkit.data.sql import member_codes, sql

__all__ = ["Cascades", "build_cascades", "cascade_forest", "cascade_shape",
           "structural_virality"]

RESHARE_ACTIONS = ("retweet", "share")
"""Actions counted as 'retweets' on the contribution card (the natural metric)."""

ANY_ROOT, NO_ROOT = -1, -2


def structural_virality(parent, tree=None) -> np.ndarray:
    """Mean pairwise shortest-path distance of each tree of a forest, in O(n).

    Parameters
    ----------
    parent : array of int
        Parent position of each node, ``-1`` for roots. Parents need not precede children.
    tree : array of int, optional
        Tree id (0 .. T-1) per node; default: found by following parents to the root.

    Returns
    -------
    numpy.ndarray
        One value per tree (ordered by tree id, or by root position when ``tree`` is not
        given); NaN for a single-node tree.

    Examples
    --------
    >>> structural_virality(np.array([-1, 0, 0, 0]))           # star of 4: 1.5
    array([1.5])
    >>> structural_virality(np.array([-1, 0, -1]), np.array([0, 0, 1])).tolist()
    [1.0, nan]
    """
    parent = np.asarray(parent, dtype=np.int64)
    depth, top = _depths(parent)
    if tree is None:
        roots = np.flatnonzero(parent < 0)
        tree = np.searchsorted(roots, top)
    tree = np.asarray(tree, dtype=np.int64)
    n_trees = int(tree.max()) + 1 if len(tree) else 0
    size = _subtree_sizes(parent, depth)
    n = np.bincount(tree, minlength=n_trees).astype(float)
    edge = parent >= 0
    s = size[edge]
    wiener = np.bincount(tree[edge], weights=s * (n[tree[edge]] - s), minlength=n_trees)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(n > 1, 2.0 * wiener / (n * (n - 1)), np.nan)


def _depths(parent: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Depth and root of every node (one vectorised step per level)."""
    depth = np.where(parent < 0, 0, -1)
    top = np.where(parent < 0, np.arange(len(parent)), -1)
    for _ in range(len(parent) + 1):
        todo = depth < 0
        if not todo.any():
            break
        ready = todo & (depth[np.maximum(parent, 0)] >= 0)
        if not ready.any():
            raise ValueError("parent array has a cycle")
        depth[ready] = depth[parent[ready]] + 1
        top[ready] = top[parent[ready]]
    return depth, top


def _subtree_sizes(parent: np.ndarray, depth: np.ndarray) -> np.ndarray:
    size = np.ones(len(parent), dtype=float)
    for d in range(int(depth.max()) if len(depth) else 0, 0, -1):
        at = np.flatnonzero(depth == d)
        size += np.bincount(parent[at], weights=size[at], minlength=len(parent))
    return size


def cascade_forest(actor, target, time, roots, *, pin=None, start: int = 0,
                   target_is: str = "parent", follow_pairs=None) -> pd.DataFrame:
    """Reconstruct cascade trees from coded events (the rules of the module docstring).

    Parameters
    ----------
    actor, target, time : array of int
        Node codes of who acted and whom they acted on, and event times.
    roots : array of int
        Node code of each cascade's root (blogger), distinct.
    pin : array of int, optional
        Per event: root position it must join, :data:`ANY_ROOT` (-1) or :data:`NO_ROOT` (-2).
    start : int
        Time at which the roots hold the content; events must come strictly later.
    target_is : {"parent", "author"}
    follow_pairs : callable, optional
        ``follow_pairs(followers, followees) -> (src, dst)``: the follow edges from a set of
        node codes to another. Without it, an ambiguous parent is the root.

    Returns
    -------
    pandas.DataFrame
        One row per node, roots first then by (root, time, node): ``root`` (position in
        ``roots``), ``node``, ``parent`` (node code, -1 for a root), ``time``, ``depth``,
        ``via`` (``"root"``, ``"target"``, ``"follow"`` or ``"blogger"``).

    Examples
    --------
    >>> f = cascade_forest([1, 2, 3], [0, 1, 0], [10, 20, 30], roots=[0])
    >>> f[["node", "parent", "depth"]].to_numpy().tolist()
    [[0, -1, 0], [1, 0, 1], [2, 1, 2], [3, 0, 1]]
    """
    roots = np.asarray(roots, dtype=np.int64)
    ev = pd.DataFrame({"actor": np.asarray(actor, dtype=np.int64),
                       "target": np.asarray(target, dtype=np.int64),
                       "time": np.asarray(time, dtype=np.int64)})
    ev["pin"] = ANY_ROOT if pin is None else np.asarray(pin, dtype=np.int64)
    ev = ev[(ev["actor"] != ev["target"]) & (ev["pin"] != NO_ROOT)]
    state = pd.DataFrame({"root": np.arange(len(roots)), "node": roots,
                          "t": np.full(len(roots), start - 1, dtype=np.int64)})
    ev_join = ev if target_is == "parent" else ev[np.isin(ev["target"].to_numpy(), roots)]
    cand = pd.DataFrame()
    for _ in range(len(ev_join) + 1):  # one pass per depth level, at most
        cand = _candidates(ev_join, state, roots, target_is)
        best = cand.groupby(["root", "actor"], sort=False)["time"].min().reset_index()
        best.columns = ["root", "node", "t"]
        new = pd.concat([state, best], ignore_index=True).groupby(
            ["root", "node"], sort=True)["t"].min().reset_index()
        if len(new) == len(state) and np.array_equal(new["t"].to_numpy(),
                                                     state.sort_values(["root", "node"])[
                                                         "t"].to_numpy()):
            break
        state = new
    state = state.sort_values(["root", "node"], ignore_index=True)
    adopt = cand.merge(state.rename(columns={"node": "actor", "t": "t_actor"}),
                       on=["root", "actor"])
    adopt = adopt[adopt["time"] == adopt["t_actor"]]
    adopt = adopt.sort_values(["root", "actor", "t_target", "target"],
                              ascending=[True, True, False, True])
    adopt = adopt.drop_duplicates(["root", "actor"])
    out = state.merge(adopt[["root", "actor", "target"]].rename(columns={"actor": "node"}),
                      on=["root", "node"], how="left")
    is_root = out["node"].to_numpy() == roots[out["root"].to_numpy()]
    tgt = out["target"].fillna(-1).to_numpy(dtype=np.int64)
    parent = np.where(is_root, -1, tgt)
    via = np.where(is_root, "root", "target").astype(object)
    ambiguous = ~is_root & (tgt == roots[out["root"].to_numpy()])
    if ambiguous.any():
        via[ambiguous] = "blogger"
        if follow_pairs is not None:
            rule = _follow_rule(out[ambiguous], state, roots, follow_pairs)
            hit = rule.reindex(out.index[ambiguous])
            found = hit.notna().to_numpy()
            idx = np.flatnonzero(ambiguous)[found]
            parent[idx] = hit.to_numpy()[found].astype(np.int64)
            via[idx] = "follow"
    out["parent"] = parent
    out["via"] = via
    key = out["root"].to_numpy() * (int(max(out["node"].max(), 0)) + 1) + out["node"].to_numpy()
    pkey = out["root"].to_numpy() * (int(max(out["node"].max(), 0)) + 1) + parent
    ppos = pd.Index(key).get_indexer(pkey)
    ppos[parent < 0] = -1
    out["depth"] = _depths(ppos)[0]
    out = out.sort_values(["root", "t", "node"], ignore_index=True)
    return out.rename(columns={"t": "time"})[["root", "node", "parent", "time", "depth", "via"]]


def _candidates(ev, state, roots, target_is) -> pd.DataFrame:
    st = state.rename(columns={"node": "target", "t": "t_target"})
    if target_is == "author":
        st = st[st["target"].to_numpy() == roots[st["root"].to_numpy()]]
    c = ev.merge(st, on="target")
    r = c["root"].to_numpy()
    ok = (c["time"].to_numpy() > c["t_target"].to_numpy()) & (c["actor"].to_numpy() != roots[r])
    ok &= (c["pin"].to_numpy() == ANY_ROOT) | (c["pin"].to_numpy() == r)
    return c[ok]


def _follow_rule(amb: pd.DataFrame, state: pd.DataFrame, roots, follow_pairs) -> pd.Series:
    """Most recent earlier adopter among each ambiguous adopter's followees (index of ``amb``).

    The root itself is not a candidate: an adopter with no earlier adopter among its
    followees keeps the blogger as parent.
    """
    state = state[state["node"].to_numpy() != roots[state["root"].to_numpy()]]
    src, dst = follow_pairs(np.unique(amb["node"].to_numpy()), np.unique(state["node"]))
    edges = pd.DataFrame({"node": np.asarray(src, dtype=np.int64),
                          "w": np.asarray(dst, dtype=np.int64)})
    a = amb[["root", "node", "t"]].reset_index().merge(edges, on="node")
    a = a.merge(state.rename(columns={"node": "w", "t": "t_w"}), on=["root", "w"])
    a = a[(a["t_w"] < a["t"]) & (a["w"] != a["node"])]
    a = a.sort_values(["index", "t_w", "w"], ascending=[True, False, True])
    return a.drop_duplicates("index").set_index("index")["w"]


def cascade_shape(forest: pd.DataFrame, n_roots: int) -> pd.DataFrame:
    """Size, depth, maximum breadth and structural virality of each cascade.

    Parameters
    ----------
    forest : pandas.DataFrame
        Output of :func:`cascade_forest`.
    n_roots : int

    Returns
    -------
    pandas.DataFrame
        Index ``root`` (0 .. n_roots-1): ``size`` (nodes, root included), ``depth``,
        ``max_breadth`` (most nodes at one depth below the root), ``structural_virality``.
    """
    root = forest["root"].to_numpy()
    depth = forest["depth"].to_numpy()
    m = int(max(forest["node"].max(), 0)) + 1 if len(forest) else 1
    key = pd.Index(root * m + forest["node"].to_numpy())
    parent = forest["parent"].to_numpy()
    ppos = np.where(parent < 0, -1, key.get_indexer(root * m + np.maximum(parent, 0)))
    sv = np.full(n_roots, np.nan)
    if len(forest):
        part = structural_virality(ppos, root)
        sv[:len(part)] = part
    dmax = int(depth.max()) + 1 if len(depth) else 1
    below = depth > 0
    breadth = np.bincount(root[below] * dmax + depth[below], minlength=n_roots * dmax)
    out = pd.DataFrame({
        "size": np.bincount(root, minlength=n_roots),
        "depth": pd.Series(depth).groupby(root).max().reindex(range(n_roots)).fillna(0)
        .to_numpy(dtype=np.int64),
        "max_breadth": breadth.reshape(n_roots, dmax).max(axis=1),
        "structural_virality": sv,
    })
    out.index.name = "root"
    return out


@dataclass(frozen=True)
class Cascades:
    """Cascades of a campaign's bloggers.

    Attributes
    ----------
    nodes : pandas.DataFrame
        One row per (blogger, node): ``blogger``, ``member_id``, ``parent_id`` (missing for
        the blogger), ``time`` (UTC), ``depth``, ``via`` (how the parent was found).
    shape : pandas.DataFrame
        Index ``blogger`` (spec order): ``size``, ``depth``, ``max_breadth``,
        ``structural_virality``, ``adopters`` (size - 1), ``amplifications`` (cascade events,
        repeats included), ``retweets`` (retweet / share events aimed at the blogger or at
        the blogger's content in the window: the natural metric).
    forest : pandas.DataFrame
        The same trees in member codes (positions in ``data.member_ids``), as returned by
        :func:`cascade_forest`.
    """

    nodes: pd.DataFrame
    shape: pd.DataFrame
    forest: pd.DataFrame


def _window_events(data, camp, actions) -> pd.DataFrame:
    spec = camp.spec
    where = ["action IN (SELECT unnest(?))", "target_id IS NOT NULL",
             "member_id <> target_id", "epoch_us(timestamp) >= ?", "epoch_us(timestamp) < ?"]
    params: list = [list(actions), camp.start, camp.end]
    has_content = "content_id" in data.events.columns
    if spec.content_ids and has_content:
        where.append("content_id IN (SELECT unnest(?))")
        params.append(list(spec.content_ids))
    if camp.topics:
        where.append("topic IN (SELECT unnest(?))")
        params.append(list(camp.topics))
    content = "content_id" if has_content else "NULL::VARCHAR AS content_id"
    return sql(f"SELECT member_id, target_id, action, epoch_us(timestamp) AS time, {content} "
               f"FROM ev WHERE {' AND '.join(where)}", params, ev=data.events)


def _content_authors(data, content_ids) -> pd.Series:
    """content_id → member who created it (earliest creating event), for the given ids."""
    if "content_id" not in data.events.columns or not len(content_ids):
        return pd.Series(dtype=object)
    df = sql("SELECT content_id, arg_min(member_id, (epoch_us(timestamp), member_id)) AS author "
             "FROM ev WHERE content_id IN (SELECT unnest(?)) AND action IN (SELECT unnest(?)) "
             "GROUP BY content_id", [list(content_ids), sorted(CONTENT_ACTIONS)],
             ev=data.events)
    return df.set_index("content_id")["author"]


def follow_pairs_for(data):
    """A ``follow_pairs(followers, followees)`` callable over member codes of ``data``."""

    def pairs(a_codes, b_codes):
        ids = data.member_ids.to_numpy(dtype=object)
        if data.follows is None:
            return np.array([], dtype=np.int64), np.array([], dtype=np.int64)
        a = pd.DataFrame({"id": ids[np.asarray(a_codes)]})
        b = pd.DataFrame({"id": ids[np.asarray(b_codes)]})
        df = sql("SELECT follower_id, followee_id FROM f WHERE follower_id IN (SELECT id FROM a)"
                 " AND followee_id IN (SELECT id FROM b)", f=data.follows[
                     ["follower_id", "followee_id"]], a=a, b=b)
        return member_codes(data, df["follower_id"]), member_codes(data, df["followee_id"])

    return pairs


def build_cascades(data, camp) -> Cascades:
    """Cascades of every blogger of a resolved campaign.

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign

    Returns
    -------
    Cascades
    """
    spec = camp.spec
    ev = _window_events(data, camp, sorted(set(spec.cascade_actions) | set(RESHARE_ACTIONS)))
    roots = member_codes(data, camp.bloggers)
    authors = _content_authors(data, pd.unique(ev["content_id"].dropna().to_numpy(dtype=object)))
    author = ev["content_id"].map(authors).to_numpy(dtype=object)
    author_code = member_codes(data, np.where(pd.isna(author), "", author).astype(object))
    root_of = pd.Index(roots).get_indexer(author_code)
    pin = np.where(pd.isna(author), ANY_ROOT, np.where(root_of >= 0, root_of, NO_ROOT))
    actor, target = member_codes(data, ev["member_id"]), member_codes(data, ev["target_id"])
    time = ev["time"].to_numpy(dtype=np.int64)
    casc = np.isin(ev["action"].to_numpy(dtype=object), spec.cascade_actions)
    ok = casc & (actor >= 0) & (target >= 0)
    forest = cascade_forest(actor[ok], target[ok], time[ok], roots, pin=pin[ok],
                            start=camp.start, target_is=spec.target_is,
                            follow_pairs=follow_pairs_for(data))
    shape = cascade_shape(forest, len(roots))
    shape["adopters"] = shape["size"] - 1
    # amplifications: every cascade event aimed at a node after it joined
    st = forest[["root", "node", "time"]].rename(columns={"node": "target", "time": "t_target"})
    if spec.target_is == "author":
        st = st[st["target"].to_numpy() == roots[st["root"].to_numpy()]]
    ce = pd.DataFrame({"target": target[ok], "time": time[ok], "pin": pin[ok]}).merge(
        st, on="target")
    keep = (ce["time"] > ce["t_target"]) & ((ce["pin"] == ANY_ROOT) | (ce["pin"] == ce["root"]))
    shape["amplifications"] = np.bincount(ce.loc[keep, "root"], minlength=len(roots))
    rt = np.isin(ev["action"].to_numpy(dtype=object), RESHARE_ACTIONS)
    tpos = pd.Index(roots).get_indexer(target)
    who = np.where(pin >= 0, pin, np.where(pin == ANY_ROOT, tpos, -1))
    shape["retweets"] = np.bincount(who[rt & (who >= 0)], minlength=len(roots))
    ids = data.member_ids.to_numpy(dtype=object)
    blog = np.asarray(camp.bloggers, dtype=object)
    nodes = pd.DataFrame({
        "blogger": blog[forest["root"].to_numpy()],
        "member_id": ids[forest["node"].to_numpy()],
        "parent_id": pd.array(np.where(forest["parent"] >= 0,
                                       ids[np.maximum(forest["parent"].to_numpy(), 0)], None),
                              dtype="string"),
        "time": pd.to_datetime(forest["time"].to_numpy(), unit="us", utc=True),
        "depth": forest["depth"].to_numpy(),
        "via": forest["via"].to_numpy(),
    })
    nodes.loc[forest["parent"].to_numpy() < 0, "time"] = pd.NaT
    shape.index = pd.Index(blog, name="blogger")
    return Cascades(nodes=nodes, shape=shape, forest=forest)
