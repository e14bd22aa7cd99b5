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
spelling; the counts are integer arrays: one sort per kind of a key packing group, item
and member gives the distinct pairs and every group's counts (no Python loop over members,
events or follows; at 1,000,000 members 9.9 s and +1.35 GB, where the DuckDB query it
replaced took 20.2 s and +1.80 GB, with the same table). The result is sorted on every
column it shows, so it never depends on input row order.

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

__all__ = ["KINDS", "affinities"]

KINDS = ("account", "topic", "channel")
"""Kinds of items, in the order they are shown."""

_GRID_CELLS = 1 << 24
"""(group, item) cells counted by one ``bincount`` at least (8 bytes a cell); beyond both
this and :data:`_CELLS_PER_PAIR` per distinct pair, the pairs' cells are sorted instead."""

_CELLS_PER_PAIR = 4

COLUMNS = ["group", "kind", "item", "count", "size", "share", "community_count",
           "community_share", "lift", "rank"]


def _text(col: pd.Series):
    """A column as Arrow strings (ids of any type as their text, like ``CAST AS VARCHAR``)."""
    import pyarrow as pa

    if col.dtype == object or not pd.api.types.is_string_dtype(col.dtype):
        col = col.astype("string")
    arr = pa.array(col, from_pandas=True)
    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    return pa.chunked_array(chunks).cast(pa.large_string())


def _codes(values, value_set) -> np.ndarray:
    """Position of each value in ``value_set``; -1 where missing or absent."""
    import pyarrow.compute as pc

    found = pc.index_in(values, value_set=value_set)
    return found.fill_null(-1).to_numpy(zero_copy_only=False).astype(np.int64, copy=False)


def _sorted_names(names):
    """``(names sorted, rank of each original position)``: codes that sort like the text
    (bytewise, as DuckDB compares strings), so ties still break on the item's text."""
    import pyarrow.compute as pc

    order = pc.sort_indices(names).to_numpy()
    rank = np.empty(len(order), dtype=np.int32 if len(order) < 2**31 else np.int64)
    rank[order] = np.arange(len(order))
    return names.take(order), rank


def _account_items(ids, events, ev_member, follows):
    """Member and account positions of ``target_id`` (events; ``ev_member`` their members'
    positions) and ``followee_id`` (follows)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    members, targets = [], []
    if events is not None and "target_id" in events.columns:
        members.append(ev_member)
        targets.append(_text(events["target_id"]))
    if follows is not None:
        members.append(_codes(_text(follows["follower_id"]), ids))
        targets.append(_text(follows["followee_id"]))
    if not members:
        return None
    member = np.concatenate(members)
    target = pa.chunked_array([c for t in targets for c in t.chunks])
    item = _codes(target, ids)
    outside = pc.unique(target.filter(pc.and_(pa.array(item < 0), pc.is_valid(target))))
    if len(outside):
        other = _codes(target, outside)
        item = np.where((item < 0) & (other >= 0), other + len(ids), item)
    keep = (member >= 0) & (item >= 0) & (item != member)
    return member[keep], item[keep], pa.chunked_array([*ids.chunks, outside])


def _folded_items(con, events, member, column: str, key_sql: str):
    """Member positions (``member``: each event's) and folded-key codes of a text column of
    events, the keys, and each distinct spelling with its count and key code. Only the
    distinct spellings are folded in SQL (``key_sql`` of ``v``; :func:`fold_codes`)."""
    import pyarrow.compute as pc

    from clusterkit.profile.topics import fold_codes

    col = events[column]
    if isinstance(col.dtype, pd.CategoricalDtype):  # codes and categories: no row decoded
        distinct = _text(pd.Series(col.cat.categories, dtype=object))
        code = col.cat.codes.to_numpy()
    else:
        values = _text(col)
        distinct = pc.unique(values.drop_null())
        code = _codes(values, distinct)
    item, names, key_code, n = fold_codes(con, distinct, code, key_sql)
    keep = (member >= 0) & (item >= 0)
    spelled = pd.DataFrame({"spelling": distinct.to_pandas(), "key": key_code, "n": n})
    return member[keep], item[keep], names, spelled


def _distinct(member: np.ndarray, item: np.ndarray, n_items: int):
    """The distinct ``(member, item)`` pairs (what the SQL keeps of them: ``SELECT
    DISTINCT``), by member then item. A topic or channel recurs in many of a member's
    events: at 1,000,000 members the 23 M channel rows are a few million pairs. A bitmap
    over (member, item), one byte a cell, when it is no larger than 16 bytes a row; else
    a sparse member x item matrix, whose duplicates SciPy sums row by row (44 M account
    rows at 1,000,000 members: 2.2 s, where one sort of packed keys took 4.0 s)."""
    if len(member) == 0:
        return member, item
    n_rows = int(member.max()) + 1
    size = n_rows * n_items
    if size <= 16 * len(member):
        seen = np.zeros(size, dtype=bool)
        seen[member.astype(np.int64) * n_items + item] = True
        key = np.flatnonzero(seen)
        return _compact(key // n_items), _compact(key % n_items)
    import scipy.sparse as sp

    pairs = sp.csr_array((np.ones(len(member), dtype=np.int8), (member, item)),
                         shape=(n_rows, n_items))
    pairs.sum_duplicates()  # rows by member, items sorted within each
    rows = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(pairs.indptr))
    return _compact(rows), _compact(pairs.indices)


def _compact(codes: np.ndarray) -> np.ndarray:
    """Non-negative integer codes as int32 when they fit (they do below 2**31 members)."""
    return codes.astype(np.int32) if codes.max(initial=0) < 2**31 else codes


def _node_items(data, events, follows):
    """:func:`_account_items` from the positions ``data`` already holds (its event codes and
    follow edges): members are member positions, items node positions (members, then
    outside accounts). No id is looked up again but the few events aimed at outside
    accounts; each source is filtered before they are joined."""
    parts = []
    if events is not None and "target_id" in events.columns:
        src, dst = data.event_codes()
        out = np.flatnonzero((dst < 0) & events["target_id"].notna().to_numpy(dtype=bool))
        if len(out):  # targets that are not members: outside accounts
            dst = dst.copy()
            dst[out] = data.node_index(events["target_id"].take(out))
        parts.append(_kept(data.n_members, src, dst))
    if follows is not None and len(follows):
        parts.append(_kept(data.n_members, *data.follow_edges()))
    if not parts:
        return None
    return (np.concatenate([m for m, _ in parts]), np.concatenate([i for _, i in parts]),
            data.node_names())


def _kept(n: int, actor, item):
    """``(actor, item)`` of the rows whose actor is a member (position below ``n``) and
    whose item is another account (int32)."""
    keep = (actor < n) & (item >= 0) & (item != actor)
    return _compact(actor[keep]), _compact(item[keep])


def _kind_rows(con, member, events, follows, topic_key: str, kinds, accounts):
    """The rows of :func:`_items` from each event's member row (``member``, -1: none) and
    the account rows (``accounts``: member rows, items, names; or None)."""
    rows, names, spelled = {}, {}, None  # int32 where positions fit: half the memory
    if accounts is not None:
        who, item, text = accounts
        names[0], rank = _sorted_names(text)
        rows[0] = (_compact(who), _compact(rank[item]))
    for kind, col, key in ((1, "topic", topic_key), (2, "channel", "nullif(trim(v), '')")):
        if KINDS[kind] in kinds and events is not None and col in events.columns:
            who, item, text, spell = _folded_items(con, events, member, col, key)
            names[kind], rank = _sorted_names(text)
            rows[kind] = _distinct(_compact(who), _compact(rank[item]), len(rank))
            if kind == 1:
                spelled = spell.assign(key=np.append(rank, -1).astype(rank.dtype)[
                    spell["key"].to_numpy()])  # -1: a spelling that folds to nothing
    return rows, names, spelled


def affinity_items(data, events=None, follows=None, *, kinds=KINDS, con=None) -> dict:
    """The items the members of ``data`` touch, by member position, for any grouping of
    them: what :func:`affinities` takes as ``items`` (with the same ``data``).

    ``events`` and ``follows`` are ``data``'s tables (or None: not read). Returns
    ``{"rows": {kind code: (member position, item code)}, "names": {kind code: item
    names}, "spelled": the topics' spellings}``; topics and channels as distinct pairs,
    accounts with repeats. Made once, the items serve every grouping: the report's
    segments and communities share their topics (at 1,000,000 members, the second
    grouping's 2.9 s of folding and de-duplicating).
    """
    from clusterkit.data.sql import connect
    from clusterkit.profile.topics import topic_key_sql

    own = con is None
    con = connect() if own else con
    try:
        member = None if events is None else data.event_codes()[0]
        accounts = _node_items(data, events, follows) if "account" in kinds else None
        rows, names, spelled = _kind_rows(con, member, events, follows, topic_key_sql("v"),
                                          kinds, accounts)
    finally:
        if own:
            con.close()
    return {"rows": rows, "names": names, "spelled": spelled}


def _grouped(items: dict, data, ids, kinds):
    """``items``' rows of ``kinds`` (taken out of ``items``: each is freed once tallied)
    with member positions turned into rows of ``ids`` (the groups' members; rows of
    members in no group dropped), as :func:`_items` gives them."""
    row_of = np.full(data.n_members, -1, dtype=np.int32)
    at = data.member_index(ids)
    row_of[at[at >= 0]] = np.flatnonzero(at >= 0)
    rows = []
    for kind in sorted(items["rows"]):
        if KINDS[kind] not in kinds:
            continue
        pos, item = items["rows"].pop(kind)
        member = row_of[pos]
        del pos
        keep = member >= 0
        if not keep.all():
            member, item = member[keep], item[keep]
        rows.append((member, kind, item))
    return rows, items["names"], items["spelled"]


def _items(con, ids, events, follows, topic_key: str, kinds, data=None):
    """``(member, kind, item)`` integer rows (topics and channels distinct, accounts not
    yet), the item names per kind (code order is text order), and the topics' spellings;
    members are rows of ``ids``. Ids become positions by Arrow hash lookups, so tens of
    millions of rows are de-duplicated as integers, never as strings; with ``data`` (whose
    tables ``events`` and ``follows`` are), the positions it already holds are used
    instead (:func:`affinity_items`; at 1,000,000 members the lookups held ~1 GB)."""
    if data is not None:
        items = affinity_items(data, events, follows, kinds=kinds, con=con)
        return _grouped(items, data, ids, kinds)
    member = None if events is None else _codes(_text(events["member_id"]), ids)
    accounts = _account_items(ids, events, member, follows) if "account" in kinds else None
    rows, names, spelled = _kind_rows(con, member, events, follows, topic_key, kinds,
                                      accounts)
    return [(m, kind, i) for kind, (m, i) in sorted(rows.items())], names, spelled


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
