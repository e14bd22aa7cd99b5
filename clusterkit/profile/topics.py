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

from clusterkit.errors import ClusterkitInputError

__all__ = ["topic_credibility", "topic_key_sql", "write_topic_tables"]

_TOPIC_SQL = """
CREATE TEMP TABLE tk AS  -- each distinct spelling folded once, with its events
SELECT topic, {key} AS topic_key, n
FROM (SELECT topic, count(*) AS n FROM topic_events WHERE topic IS NOT NULL GROUP BY topic);

CREATE TABLE profile_topic_members AS
WITH e AS (SELECT s.pos, s.tpos, s.action, tk.topic_key FROM topic_events s JOIN tk USING (topic)),
     act AS (SELECT topic_key, pos, count(*) AS events FROM e
             WHERE topic_key IS NOT NULL GROUP BY topic_key, pos),
     recv AS (SELECT e.topic_key, t.pos, count(DISTINCT e.pos) AS amplifiers,
                     count(*) AS amplifying_events
              FROM e JOIN m AS t ON e.tpos = t.pos
              WHERE e.topic_key IS NOT NULL AND e.action IN ({amplifying}) AND t.pos <> e.pos
              GROUP BY e.topic_key, t.pos),
     ranked AS (SELECT topic_key, pos, amplifiers, amplifying_events,
                       (rank() OVER (PARTITION BY topic_key ORDER BY amplifiers)
                        + (count(*) OVER (PARTITION BY topic_key, amplifiers) - 1) / 2.0)
                       / count(*) OVER (PARTITION BY topic_key) AS amplification_pct
                FROM recv)
SELECT hash(topic_key) AS h, topic_key, pos, coalesce(a.events, 0) AS events,
       coalesce(r.amplifiers, 0) AS amplifiers,
       coalesce(r.amplifying_events, 0) AS amplifying_events, r.amplification_pct
FROM act a FULL OUTER JOIN ranked r USING (topic_key, pos)
ORDER BY h, topic_key, pos;

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


def write_topic_tables(con, amplifying: str) -> None:
    """Create ``profile_topic_members`` and ``profile_topic_stats`` from the events.

    ``con`` is the index being built: ``topic_events`` (``pos``, ``tpos``, ``action``,
    ``topic``: the event's member position and its target's, NULL or -1 for none or an
    account that is not a member) and ``m`` (the members with their positions) exist;
    ``amplifying`` is the SQL list of amplifying actions. Each distinct spelling of a topic
    is folded once, and members are joined on positions, never on id strings.
    """
    con.execute(_TOPIC_SQL.format(key=topic_key_sql("topic"), amplifying=amplifying))


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
    >>> _ = con.execute("CREATE TABLE m AS SELECT * FROM (VALUES ('a', 0), ('b', 1)) "
    ...                 "t(member_id, pos)")
    >>> _ = con.execute("CREATE TABLE topic_events AS SELECT * FROM (VALUES "
    ...                 "(0, 'post', '#AI', -1), (1, 'share', 'ai', 0), "
    ...                 "(1, 'post', 'food', -1)) t(pos, action, topic, tpos)")
    >>> write_topic_tables(con, "'share'")
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
