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
and shown in their most frequent spelling. Everything is one DuckDB query over the tables
(no Python loop over members, events or follows), and the result is sorted on every
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

COLUMNS = ["group", "kind", "item", "count", "size", "share", "community_count",
           "community_share", "lift", "rank"]


def _parts(events_cols: set, follows_cols: set, topic_key: str, kinds) -> list[str]:
    """One ``SELECT DISTINCT member_id, kind, item`` per kind (accounts: events and follows
    together); de-duplicating per kind costs half of one DISTINCT over their union."""
    ev = {k: events_cols >= {c} and k in kinds
          for k, c in (("account", "target_id"), ("topic", "topic"), ("channel", "channel"))}
    accounts = []
    if ev["account"]:
        accounts.append("SELECT CAST(member_id AS VARCHAR) AS member_id, 'account' AS kind, "
                        "CAST(target_id AS VARCHAR) AS item FROM ev WHERE target_id IS NOT "
                        "NULL AND CAST(target_id AS VARCHAR) <> CAST(member_id AS VARCHAR)")
    if "account" in kinds and {"follower_id", "followee_id"} <= follows_cols:
        accounts.append("SELECT CAST(follower_id AS VARCHAR) AS member_id, 'account' AS kind, "
                        "CAST(followee_id AS VARCHAR) AS item FROM fo WHERE followee_id IS NOT "
                        "NULL AND followee_id <> follower_id")
    parts = [" UNION ALL ".join(accounts)] if accounts else []
    if ev["topic"]:
        parts.append(f"SELECT CAST(member_id AS VARCHAR) AS member_id, 'topic' AS kind, "
                     f"{topic_key} AS item FROM ev")
    if ev["channel"]:
        parts.append("SELECT CAST(member_id AS VARCHAR) AS member_id, 'channel' AS kind, "
                     "nullif(trim(CAST(channel AS VARCHAR)), '') AS item FROM ev")
    return [f"SELECT DISTINCT * FROM ({p}) WHERE item IS NOT NULL" for p in parts]


_SQL = """
WITH items AS ({union}),
     j AS (SELECT g.grp, i.kind, i.item FROM items i JOIN g USING (member_id)),
     sz AS (SELECT grp, count(*) AS size FROM g GROUP BY grp),
     per AS (SELECT grp, kind, item, count(*) AS cnt FROM j GROUP BY ALL),
     com AS (SELECT kind, item, count(*) AS community_count FROM j GROUP BY ALL),
     res AS (SELECT p.grp AS "group", p.kind, p.item, p.cnt AS "count", sz.size,
                    p.cnt / sz.size AS share, com.community_count,
                    com.community_count / {n} AS community_share,
                    (p.cnt / sz.size) / (com.community_count / {n}) AS lift
             FROM per p JOIN sz USING (grp) JOIN com USING (kind, item)
             WHERE p.cnt >= {support})
SELECT *, row_number() OVER (PARTITION BY "group", kind
                             ORDER BY lift DESC, "count" DESC, item) AS rank
FROM res WHERE lift > {min_lift}
QUALIFY rank <= {top}
ORDER BY "group", kind, rank
"""

_SPELLING = """
SELECT key AS item, topic AS spelling FROM (
  SELECT {key} AS key, topic, n FROM (  -- fold each distinct spelling once
    SELECT CAST(topic AS VARCHAR) AS topic, count(*) AS n FROM ev
    WHERE topic IS NOT NULL GROUP BY 1))
WHERE key IS NOT NULL
QUALIFY row_number() OVER (PARTITION BY key ORDER BY n DESC, topic) = 1
"""


def affinities(groups: pd.DataFrame, events: pd.DataFrame | None, follows: pd.DataFrame | None,
               *, min_support: int = 10, min_lift: float = 1.0, top: int = 5,
               kinds=KINDS) -> pd.DataFrame:
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

    Returns
    -------
    pandas.DataFrame
        Columns ``group, kind, item, count, size, share, community_count,
        community_share, lift, rank`` sorted by group, kind and rank; for topics ``item`` is
        the most frequent spelling.
    """
    import pyarrow as pa

    from clusterkit.data.sql import connect
    from clusterkit.profile.topics import topic_key_sql

    ev_cols = set() if events is None else set(events.columns)
    fo_cols = set() if follows is None else set(follows.columns)
    key = topic_key_sql("CAST(topic AS VARCHAR)")
    parts = _parts(ev_cols, fo_cols, key, kinds)
    n = len(groups)
    if not parts or n == 0:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in COLUMNS})
    con = connect()
    try:
        con.register("g", pa.table({
            "member_id": groups["member_id"].astype(str).to_numpy(dtype=object),
            "grp": groups["group"].astype(str).to_numpy(dtype=object)}))
        if events is not None:
            con.register("ev", events[[c for c in ("member_id", "target_id", "topic", "channel")
                                       if c in ev_cols]])
        if follows is not None:
            con.register("fo", follows[["follower_id", "followee_id"]])
        out = con.execute(_SQL.format(union=" UNION ALL ".join(parts), n=float(n),
                                      support=int(max(1, min_support)),
                                      min_lift=float(min_lift), top=int(top))).df()
        if "topic" in ev_cols and len(out):
            spelling = con.execute(_SPELLING.format(key=key)).df().set_index("item")["spelling"]
            is_topic = out["kind"] == "topic"
            out.loc[is_topic, "item"] = spelling.reindex(out.loc[is_topic, "item"]).fillna(
                out.loc[is_topic, "item"]).to_numpy()
    finally:
        con.close()
    out["kind"] = pd.Categorical(out["kind"], categories=list(KINDS), ordered=True)
    out = out.sort_values(["group", "kind", "rank"], kind="mergesort")
    out["kind"] = out["kind"].astype(str)
    for col in ("count", "size", "community_count", "rank"):
        out[col] = out[col].astype(np.int64)
    return out[COLUMNS].reset_index(drop=True)
