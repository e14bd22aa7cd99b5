"""Credibility on a topic: the profile index's topic tables and the lookup that reads them.

``clusterkit profile RUN MEMBER --topic T`` answers two questions about the member and T:

* **activity** — what share of the member's own events are on T, against the community's
  share of events on T (a lift: 2.0 means twice as focused on T as the community);
* **amplification** — how many distinct members amplified the member in events on T
  (:data:`~clusterkit.data.schema.AMPLIFYING_ACTIONS` aimed at the member, not by the member
  themself: the definition of the ``amplifiers`` influence component, restricted to T), the
  member's share of all amplifying events on T, and the member's percentile among the
  members amplified on T (ranked by distinct amplifiers; ties share their average rank,
  like :func:`~clusterkit.stages.scoring.influence.percentile_rank`).

Topics match case-insensitively and without a leading ``#`` (``#AI``, ``ai`` and `` Ai ``
are one topic, :func:`topic_key_sql`), in the index and in the query alike; a topic is shown
in its most frequent spelling.

==================== =====================================================================
table                content
==================== =====================================================================
profile_topic_stats  one row per topic: ``topic_key``, ``topic`` (the spelling shown),
                     ``events``, ``members`` (active on it), ``amplifying_events``,
                     ``amplified_members``; sorted by ``h`` = ``hash(topic_key)``
profile_topic_members one row per topic and member active on it or amplified on it:
                     ``events`` (by the member), ``amplifiers``, ``amplifying_events``
                     (received), ``amplification_pct``; sorted by ``h``, ``pos``
==================== =====================================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.data.order import sorted_unique
from clusterkit.errors import ClusterkitInputError

__all__ = ["topic_credibility", "topic_key_sql", "write_topic_tables"]

_STATS_SQL = """
CREATE TABLE profile_topic_stats AS
WITH lab AS (SELECT topic_key, topic,
                    row_number() OVER (PARTITION BY topic_key ORDER BY n DESC, topic) AS rk
             FROM tk WHERE topic_key IS NOT NULL),
     pm AS (SELECT topic_key, sum(events) AS events,
                   count(*) FILTER (WHERE events > 0) AS members,
                   sum(amplifying_events) AS amplifying_events,
                   count(*) FILTER (WHERE amplifiers > 0) AS amplified_members
            FROM profile_topic_members GROUP BY topic_key)
SELECT hash(pm.topic_key) AS h, pm.topic_key, lab.topic, pm.events, pm.members,
       pm.amplifying_events, pm.amplified_members
FROM pm JOIN lab ON lab.topic_key = pm.topic_key AND lab.rk = 1
ORDER BY h, topic_key;

DROP TABLE tk;
"""


def topic_key_sql(expr: str) -> str:
    """The SQL expression of a topic's key: trimmed, lower case, leading ``#`` removed.

    Used by the index and by the lookup, so both fold a topic the same way (DuckDB's
    ``lower`` handles any script). An empty key is NULL.

    Examples
    --------
    >>> from clusterkit.data.sql import connect
    >>> con = connect()
    >>> con.execute(f"SELECT {topic_key_sql('?')}", [" #Climate "]).fetchone()[0]
    'climate'
    >>> con.close()
    """
    return f"nullif(trim(ltrim(lower(trim({expr})), '#')), '')"


def _runs(key: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """First index and length of each run of equal values of a sorted array."""
    first = np.flatnonzero(np.r_[True, key[1:] != key[:-1]]) if len(key) else \
        np.zeros(0, np.int64)
    return first, np.diff(np.r_[first, len(key)])


def _topic_keys(con, topic: pd.Series):
    """Each event's topic key code (-1: none or empty), the keys (text, sorted bytewise
    so codes sort like them) and ``tk``: each distinct spelling, its key and events. Only
    the distinct spellings are folded, in SQL (:func:`topic_key_sql`)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    col = topic.astype("category") if not isinstance(topic.dtype, pd.CategoricalDtype) \
        else topic
    spelled = pa.array(pd.Series(col.cat.categories, dtype=object).astype(str),
                       type=pa.large_string())
    code = col.cat.codes.to_numpy().astype(np.int64)
    con.register("spellings", pa.table({"topic": spelled}))
    try:
        keys = con.sql(f"SELECT {topic_key_sql('topic')} AS k FROM spellings") \
            .to_arrow_table()["k"].combine_chunks().cast(pa.large_string())
    finally:
        con.unregister("spellings")
    names = pc.unique(keys.drop_null())
    names = names.take(pc.sort_indices(names))
    key_of = pc.index_in(keys, value_set=names).fill_null(-1).to_numpy(
        zero_copy_only=False).astype(np.int64)
    tk = pa.table({"topic": spelled, "topic_key": keys,
                   "n": np.bincount(code[code >= 0], minlength=len(spelled))})
    key = np.where(code >= 0, key_of[np.maximum(code, 0)], -1)
    return key, names, tk.filter(pa.compute.greater(tk["n"], 0))


def topic_member_table(con, events: pd.DataFrame, amplifying) -> object:
    """``profile_topic_members`` as an Arrow table, in its stored order (see the module
    docstring), counted on integer arrays.

    ``events`` has ``pos``, ``tpos`` (-1: no member target), ``action`` and ``topic``;
    ``amplifying`` the amplifying actions. Per (topic, member): the member's own events on
    it, and the distinct members and events amplifying the member on it (amplifying actions
    aimed at another member). ``amplification_pct`` ranks the members amplified on a topic
    by distinct amplifiers, ties at their average rank: ``(rank + (ties - 1) / 2) / n``,
    ``rank`` counted from 1 (SQL's ``rank()``). Rows are sorted by DuckDB's
    ``hash(topic_key)``, the key and the position. Also returns ``tk`` (each spelling with
    its key and events).
    """
    import pyarrow as pa

    key, names, tk = _topic_keys(con, events["topic"])
    pos = events["pos"].to_numpy(dtype=np.int64)
    tpos = events["tpos"].to_numpy(dtype=np.int64)
    n = int(max(pos.max(initial=-1), tpos.max(initial=-1)) + 1)
    has = key >= 0
    own = np.sort(key[has] * n + pos[has])
    first, count = _runs(own)
    act_key, act_n = own[first], count
    amp = has & events["action"].isin(list(amplifying)).to_numpy() & (tpos >= 0) & \
        (tpos != pos)
    if (len(names) + 1) * n * n < 2**63:  # (topic, target, source) in one key
        pair = np.sort((key[amp] * n + tpos[amp]) * n + pos[amp])
        target, source = pair // n, pair % n
        del pair
    else:
        order = np.lexsort((pos[amp], tpos[amp], key[amp]))
        target, source = key[amp][order] * n + tpos[amp][order], pos[amp][order]
    first, count = _runs(target)
    recv_key, recv_events = target[first], count
    new_source = np.r_[True, (target[1:] != target[:-1]) | (source[1:] != source[:-1])]
    recv_amp = np.add.reduceat(new_source, first).astype(np.int64) if len(first) else \
        np.zeros(0, np.int64)  # distinct sources per (topic, target)
    del target, source, new_source
    topic_of = recv_key // n
    order = np.lexsort((recv_amp, topic_of))  # by topic, then amplifiers
    kt, ka = topic_of[order], recv_amp[order]
    tfirst, tcount = _runs(kt)
    total = np.repeat(tcount, tcount)
    group, ties = _runs(kt * (n + 1) + ka)  # runs of equal (topic, amplifiers)
    rank = np.repeat(group - np.repeat(tfirst, tcount)[group] + 1, ties)
    pct = np.empty(len(kt))
    pct[order] = (rank + (np.repeat(ties, ties) - 1) / 2.0) / total
    rows = sorted_unique(np.concatenate([act_key, recv_key]))  # not union1d: a hash
    events_n = np.zeros(len(rows), np.int64)
    events_n[np.searchsorted(rows, act_key)] = act_n
    at = np.searchsorted(rows, recv_key)
    amplifiers = np.zeros(len(rows), np.int64)
    amplifiers[at] = recv_amp
    received = np.zeros(len(rows), np.int64)
    received[at] = recv_events
    has_pct = np.zeros(len(rows), bool)
    has_pct[at] = True
    pct_all = np.zeros(len(rows))
    pct_all[at] = pct
    k, p = rows // n, rows % n
    con.register("names", pa.table({"k": names}))
    try:
        h = con.sql("SELECT hash(k) AS h FROM names").to_arrow_table()["h"].to_numpy()
    finally:
        con.unregister("names")
    order = np.lexsort((p, k, h[k]))  # hash, then the key's text (codes sort like it), pos
    k, p = k[order], p[order]
    table = pa.table({
        "h": pa.array(h[k], pa.uint64()), "topic_key": names.take(pa.array(k)).cast(pa.string()),
        "pos": p, "events": events_n[order], "amplifiers": amplifiers[order],
        "amplifying_events": received[order],
        "amplification_pct": pa.array(pct_all[order], mask=~has_pct[order])})
    return table, tk


def write_topic_tables(con, events: pd.DataFrame | None, amplifying) -> None:
    """Create ``profile_topic_members`` and ``profile_topic_stats`` in the index ``con``.

    ``events``: ``pos``, ``tpos``, ``action``, ``topic`` (None or no ``topic`` column:
    empty tables); ``amplifying``: the amplifying actions. The member table is counted on
    arrays (:func:`topic_member_table`: at 1,000,000 members and 23 M events 11.6 s in
    one DuckDB query before) and the per-topic stats in SQL from it.
    """

    if events is None or "topic" not in events.columns:
        events = pd.DataFrame({"pos": pd.Series([], dtype=np.int64),
                               "tpos": pd.Series([], dtype=np.int64),
                               "action": pd.Series([], dtype=object),
                               "topic": pd.Series([], dtype=object)})
    table, tk = topic_member_table(con, events, amplifying)
    con.register("topic_members", table)
    con.register("tk_arrow", tk)
    try:
        con.execute("CREATE TABLE profile_topic_members AS SELECT * FROM topic_members")
        con.execute("CREATE TEMP TABLE tk AS SELECT topic::VARCHAR AS topic, "
                    "topic_key::VARCHAR AS topic_key, n FROM tk_arrow")
    finally:
        con.unregister("topic_members")
        con.unregister("tk_arrow")
    con.execute(_STATS_SQL)


def _ratio(a, b):
    return None if a is None or not b else a / b


def topic_credibility(con, pos: int, topic: str, member_events: int, total_events: int,
                      by_hash: bool = True, where: str = "this run") -> dict:
    """The credibility on ``topic`` of the member at ``pos`` (see the module docstring).

    Parameters
    ----------
    con : duckdb.DuckDBPyConnection
        An open profile index.
    pos : int
        The member's position.
    topic : str
        The topic asked for, in any case, with or without ``#``.
    member_events, total_events : int
        The member's events and all events of the run.
    by_hash : bool, default=True
        Filter on ``h = hash(topic_key)`` first (False where DuckDB hashes differently from
        the DuckDB that wrote the index).
    where : str
        How to name the run in an error.

    Returns
    -------
    dict
        ``topic`` (as shown), ``activity`` (``events``, ``share``, ``community_events``,
        ``community_share``, ``lift``) and ``amplification`` (``amplifiers``, ``events``,
        ``community_events``, ``share``, ``amplified_members``, ``percentile``).

    Raises
    ------
    clusterkit.errors.ClusterkitInputError
        An empty or unknown topic (naming the closest known topics).

    See Also
    --------
    clusterkit.profile.lookup : the profile with ``topic_credibility`` (``topic=``).

    Examples
    --------
    >>> from clusterkit.data.sql import connect
    >>> con = connect()
    >>> events = pd.DataFrame({"pos": [0, 1, 1], "action": ["post", "share", "post"],
    ...                        "topic": ["#AI", "ai", "food"], "tpos": [-1, 0, -1]})
    >>> write_topic_tables(con, events, ["share"])
    >>> c = topic_credibility(con, 0, "ai", member_events=1, total_events=3)
    >>> c["topic"], c["activity"]["lift"], c["amplification"]["amplifiers"]
    ('#AI', 1.5, 1)
    >>> try:
    ...     topic_credibility(con, 0, "#A1", 1, 3)
    ... except ValueError as err:
    ...     print(err)
    no topic '#A1' in the events of this run; did you mean '#AI', 'food'?
    >>> con.close()
    """
    key = con.execute(f"SELECT {topic_key_sql('?')}", [str(topic)]).fetchone()[0]
    if key is None:
        raise ClusterkitInputError(f"topic {topic!r} is empty; give a topic such as 'climate' "
                                   "or '#climate'.")
    hashed = "h = hash($k) AND " if by_hash else ""
    stats = con.execute(
        f"SELECT topic, events, members, amplifying_events, amplified_members "
        f"FROM profile_topic_stats WHERE {hashed}topic_key = $k", {"k": key}).fetchone()
    if stats is None:
        close = [r[0] for r in con.execute(
            "SELECT topic FROM profile_topic_stats ORDER BY "
            "jaro_winkler_similarity(topic_key, $k) DESC, events DESC, topic_key LIMIT 3",
            {"k": key}).fetchall()]
        if not close:
            raise ClusterkitInputError(
                f"no topic {topic!r}: the events of {where} have no topics (column topic).")
        raise ClusterkitInputError(
            f"no topic {topic!r} in the events of {where}; did you mean "
            f"{', '.join(map(repr, close))}?")
    label, events, members, amp_events, amplified = stats
    row = con.execute(
        f"SELECT events, amplifiers, amplifying_events, amplification_pct "
        f"FROM profile_topic_members WHERE {hashed}topic_key = $k AND pos = $pos",
        {"k": key, "pos": int(pos)}).fetchone() or (0, 0, 0, None)
    own, amplifiers, received, pct = row
    share = _ratio(own, member_events)
    community_share = _ratio(events, total_events)
    return {
        "topic": label,
        "activity": {"events": int(own), "member_events": int(member_events or 0),
                     "share": share, "community_events": int(events),
                     "community_total": int(total_events), "community_share": community_share,
                     "community_members": int(members),
                     "lift": _ratio(share, community_share)},
        "amplification": {"amplifiers": int(amplifiers), "events": int(received),
                          "community_events": int(amp_events),
                          "share": _ratio(received, amp_events),
                          "amplified_members": int(amplified),
                          "percentile": None if pct is None else float(pct)},
    }
