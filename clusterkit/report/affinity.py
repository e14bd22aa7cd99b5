"""Affinities: the accounts, topics and channels a group of members over-indexes on.

As audience tools show them: for a group (a segment, a community) and an item (an account
its members act on or follow, a topic they post or act on, a channel they use), count the
group's members who touch the item at least once, and compare the group's share with the
whole community's:

* ``count`` — members of the group touching the item; ``size`` — members of the group;
* ``share`` = ``count / size``; ``community_share`` = ``community_count / n`` (all members);
* ``lift`` = ``share / community_share``: 2.0 means the group is twice as likely as the
  community as a whole to touch the item.

Only items that ``min_support`` or more members of the group touch are kept, so a lift of
10 from two members never makes the list; of those, the ones with ``lift > min_lift`` are
ranked by lift, then count, then item. Accounts are the ``target_id`` of events (not the
member themself) and the ``followee_id`` of follows; topics are folded as in profiles
(:func:`~clusterkit.profile.topics.topic_key_sql`: case, spaces and a leading ``#`` ignored)
and shown in their most frequent spelling. Topics are folded in DuckDB, once per distinct
spelling; the counts are integer arrays: the distinct (member, item) pairs of each kind
come from a sparse matrix (or a bitmap), every group's counts from a ``bincount`` over
(group, item) cells (no Python loop over members, events or follows). The items, made once
by :func:`affinity_items`, serve several groupings: at 1,000,000 members the report's
segments and communities take 7.3 s together, where a sort of packed keys per call took
12.3 s and the DuckDB query before it 20.2 s for the segments alone, with the same tables.
The result is sorted on every column it shows, so it never depends on input row order.

Examples
--------
>>> import pandas as pd
>>> groups = pd.DataFrame({"member_id": list("abcdef"), "group": list("xxxyyy")})
>>> events = pd.DataFrame({"member_id": list("abcdef"), "topic": ["#Cats", "cats", "cats",
...                        "dogs", "dogs", "cats"], "channel": "web", "target_id": None})
>>> t = affinities(groups, events, None, min_support=2)
>>> t[["group", "kind", "item", "count", "community_count", "lift"]].values.tolist()
[['x', 'topic', 'cats', 3, 4, 1.5], ['y', 'topic', 'dogs', 2, 2, 2.0]]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.report.touches import (
    KINDS,
    _codes,
    _distinct,
    _grouped,
    _items,
    _sorted_names,
    _text,
    affinity_items,
)

__all__ = ["KINDS", "affinities", "affinity_items"]

_GRID_CELLS = 1 << 24
"""(group, item) cells counted by one ``bincount`` at least (8 bytes a cell); beyond both
this and :data:`_CELLS_PER_PAIR` per distinct pair, the pairs' cells are sorted instead."""

_CELLS_PER_PAIR = 4
"""(group, item) cells per distinct pair that one ``bincount`` may span (see above)."""

COLUMNS = ["group", "kind", "item", "count", "size", "share", "community_count",
           "community_share", "lift", "rank"]


def _tally(member, item, n_items: int, grp, sizes, n: int, support: int, min_lift: float,
           top: int, distinct: bool = False) -> pd.DataFrame | None:
    """One kind's listed items per group: ``grp, item, count, community_count, lift, rank``.

    ``member, item``: (member row, item code) rows, repeats allowed unless ``distinct``
    says they are already distinct pairs; ``grp`` the group code of each member row (codes
    in the groups' text order), ``sizes`` the members per group. The distinct (member,
    item) pairs (:func:`_distinct`) are counted per (group, item) cell by a ``bincount``
    over the cells, or by a sort of them where the cells far outnumber the pairs, so a
    member counts once per item whatever its repeats. The community count of an item is
    the sum of its groups' counts (each member is in one group). An item that fewer than
    ``support`` rows touch can reach ``support`` in no group, so it is dropped first.
    Quotients are taken as in SQL, ``(count / size) /
    (community_count / n)`` in float64; ties in lift break on count (larger first), then
    on the item code (text order).
    """
    if len(member) == 0:
        return None
    raw = np.bincount(item, minlength=n_items)
    keep = raw[item] >= support
    member, item = member[keep], item[keep]
    del keep
    if not distinct:
        member, item = _distinct(member, item, n_items)
    cell = grp[member].astype(np.int64) * n_items + item  # (group, item) of each pair
    del member, item
    if len(cell) == 0:
        return None
    if len(sizes) * n_items <= max(_GRID_CELLS, _CELLS_PER_PAIR * len(cell)):
        count = np.bincount(cell, minlength=len(sizes) * n_items)
        pair = np.flatnonzero(count)
        count = count[pair]
    else:  # more (group, item) cells than rows by far: sort the rows' cells
        cell.sort()
        first = np.flatnonzero(np.r_[True, cell[1:] != cell[:-1]])
        count = np.diff(np.r_[first, len(cell)])
        pair = cell[first]
    del cell
    g, it = pair // n_items, pair % n_items
    community = np.bincount(it, weights=count, minlength=n_items).astype(np.int64)[it]
    share = count / sizes[g].astype(np.float64)
    lift = share / (community / float(n))
    ok = (count >= support) & (lift > min_lift)
    g, it, count, community, lift = g[ok], it[ok], count[ok], community[ok], lift[ok]
    order = np.lexsort((it, -count, -lift, g))
    g, it, count, community, lift = (a[order] for a in (g, it, count, community, lift))
    start = np.flatnonzero(np.r_[True, g[1:] != g[:-1]]) if len(g) else np.zeros(0, int)
    rank = np.arange(len(g)) - np.repeat(start, np.diff(np.r_[start, len(g)])) + 1
    on = rank <= top
    return pd.DataFrame({"grp": g[on], "item": it[on], "count": count[on],
                         "community_count": community[on], "lift": lift[on],
                         "rank": rank[on]})


_SPELLING = """
SELECT key, spelling FROM spelled WHERE key >= 0
QUALIFY row_number() OVER (PARTITION BY key ORDER BY n DESC, spelling) = 1
"""


def affinities(groups: pd.DataFrame, events: pd.DataFrame | None, follows: pd.DataFrame | None,
               *, min_support: int = 10, min_lift: float = 1.0, top: int = 5,
               kinds=KINDS, data=None, items=None) -> pd.DataFrame:
    """The items each group over-indexes on (see the module docstring).

    Parameters
    ----------
    groups : pandas.DataFrame
        ``member_id, group``: one row per member of the community (every member counts in
        ``n``, with or without items).
    events : pandas.DataFrame or None
        ``member_id`` and any of ``target_id``, ``topic``, ``channel``.
    follows : pandas.DataFrame or None
        ``follower_id, followee_id``.
    min_support : int, default 10
        Members of the group who must touch an item for it to be listed.
    min_lift : float, default 1.0
        Only items with a lift above this are listed.
    top : int, default 5
        Items listed per group and kind at most.
    kinds : sequence of str, default KINDS
        Which kinds of items to count.
    data : CommunityData, optional
        The dataset whose ``events`` and ``follows`` these are (or None): its member
        positions are reused instead of looking the ids up again. The result is the same.
    items : dict, optional
        :func:`affinity_items` of ``data`` (required with it), made once for several
        groupings; the rows of ``kinds`` are taken out of it. ``events`` and ``follows``
        are then not read.

    Returns
    -------
    pandas.DataFrame
        Columns ``group, kind, item, count, size, share, community_count,
        community_share, lift, rank`` sorted by group, kind and rank; for topics ``item`` is
        the most frequent spelling.
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    from clusterkit.data.sql import connect
    from clusterkit.profile.topics import topic_key_sql

    if items is not None and data is None:
        raise ValueError("affinities: items come with the data they were made from; pass "
                         "data= as well.")
    n = len(groups)
    empty = pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    if n == 0:
        return empty
    con = connect()
    try:
        ids = _text(groups["member_id"])
        rows, names, spelled = (
            _grouped(items, data, ids, kinds) if items is not None else
            _items(con, ids, events, follows, topic_key_sql("v"), kinds, data))
        if not rows:
            return empty
        group_text = _text(groups["group"])
        distinct_groups = pc.unique(group_text)
        group_names, group_rank = _sorted_names(distinct_groups)
        grp = group_rank[_codes(group_text, distinct_groups)]
        sizes = np.bincount(grp, minlength=len(group_names))
        # members without a group count in n and in the community, but are no group to
        # list (as SQL's join on a NULL group drops it)
        listed = ~np.asarray(group_names.is_null())
        parts = []
        while rows:  # one kind at a time, its rows freed once tallied
            member, kind, item = rows.pop(0)
            part = _tally(member, item, len(names[kind]), grp, sizes, n,
                          int(max(1, min_support)), float(min_lift), int(top),
                          distinct=kind != 0)  # topics and channels: distinct pairs
            del member, item
            if part is not None:
                parts.append(part[listed[part["grp"].to_numpy()]].assign(kind=np.int8(kind)))
        out = (pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
            {c: pd.Series(dtype=np.int64) for c in ("grp", "item", "count",
                                                     "community_count", "rank", "kind")}
        ).assign(lift=pd.Series(dtype=np.float64)))
        grp_out = out["grp"].to_numpy(dtype=np.int64)
        out["group"] = group_names.take(pa.array(grp_out)).to_numpy(zero_copy_only=False)
        out["size"] = sizes[grp_out].astype(np.int64)
        out["share"] = out["count"] / out["size"].astype(np.float64)
        out["community_share"] = out["community_count"] / float(n)
        if spelled is not None and (out["kind"] == 1).any():
            con.register("spelled", spelled)
            spelling = con.execute(_SPELLING).df().set_index("key")["spelling"]
        else:
            spelling = None
    finally:
        con.close()
    item = np.empty(len(out), dtype=object)
    for kind, text in names.items():  # three kinds at most
        at = (out["kind"] == kind).to_numpy()
        if not at.any():  # no item of this kind listed (then no topic spellings either)
            continue
        code = out.loc[at, "item"].to_numpy(dtype=np.int64)
        item[at] = (spelling.reindex(code).to_numpy(dtype=object) if kind == 1
                    else text.take(pa.array(code)).to_numpy(zero_copy_only=False))
    out["item"] = item
    out["group"] = out["group"].astype(object)
    out["kind"] = np.asarray(KINDS, dtype=object)[out["kind"].to_numpy(dtype=np.int64)]
    out["kind"] = pd.Categorical(out["kind"], categories=list(KINDS), ordered=True)
    out = out.sort_values(["group", "kind", "rank"], kind="mergesort")
    out["kind"] = out["kind"].astype(str)
    for col in ("count", "size", "community_count", "rank"):
        out[col] = out[col].astype(np.int64)
    return out[COLUMNS].reset_index(drop=True)
