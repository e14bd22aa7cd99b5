"""Who touches which item: the rows that affinities count, as integer codes.

For every member, the accounts they act on or follow (``target_id`` of events, not the
member themself, and ``followee_id`` of follows), the topics they use (folded as in
profiles: :func:`~clusterkit.profile.topics.topic_key_sql`) and the channels they use, as
(member, item) integer rows and the item names per kind, code order being text order. Ids
become positions by Arrow hash lookups, or the positions a
:class:`~clusterkit.data.CommunityData` already holds; topics and channels are made
distinct (member, item) pairs here, accounts are left with their repeats for the tally of
:mod:`clusterkit.report.affinity`. No Python loop over members, events or follows.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> events = pd.DataFrame({"member_id": ["a", "b", "b"], "action": "reply",
...                        "timestamp": "2026-01-01", "target_id": ["b", "a", "a"],
...                        "topic": ["#Cats", "cats", None]})
>>> data = CommunityData.from_frames(events=events)
>>> items = affinity_items(data, data.events, None)
>>> sorted(items["rows"]), items["names"][1].to_pylist()  # no channel column: no channels
([0, 1], ['cats'])
>>> [int(v) for v in items["rows"][0][0]]  # member positions of the account rows
[0, 1, 1]
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["KINDS", "affinity_items"]

KINDS = ("account", "topic", "channel")
"""Kinds of items, in the order they are shown."""


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
    width = np.int32 if n_rows < 2**31 else np.int64
    rows = np.repeat(np.arange(n_rows, dtype=width), np.diff(pairs.indptr))
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


def _kind_rows(con, member, events, topic_key: str, kinds, accounts):
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


def _position_items(con, data, events, follows, topic_key: str, kinds) -> dict:
    """:func:`affinity_items` on the connection ``con`` with the topic key ``topic_key``."""
    member = None if events is None else data.event_codes()[0]
    accounts = _node_items(data, events, follows) if "account" in kinds else None
    rows, names, spelled = _kind_rows(con, member, events, topic_key, kinds, accounts)
    return {"rows": rows, "names": names, "spelled": spelled}


def affinity_items(data, events=None, follows=None, *, kinds=KINDS) -> dict:
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

    con = connect()
    try:
        return _position_items(con, data, events, follows, topic_key_sql("v"), kinds)
    finally:
        con.close()


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
    instead (as :func:`affinity_items`; at 1,000,000 members the lookups held ~1 GB)."""
    if data is not None:
        items = _position_items(con, data, events, follows, topic_key, kinds)
        return _grouped(items, data, ids, kinds)
    member = None if events is None else _codes(_text(events["member_id"]), ids)
    accounts = _account_items(ids, events, member, follows) if "account" in kinds else None
    rows, names, spelled = _kind_rows(con, member, events, topic_key, kinds, accounts)
    return [(m, kind, i) for kind, (m, i) in sorted(rows.items())], names, spelled
