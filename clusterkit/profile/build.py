"""How the profile index (:mod:`clusterkit.profile.index`) is built: the connection, and
the SQL of the tables the data alone gives (:data:`DATA_SQL`, built before a run by the
CLI) and of those that read the run's result (:data:`CHANNELS_SQL`, :data:`MEMBERS_SQL`,
:data:`MEMBERS_JOIN_SQL`).

Registered views: ``ev`` (the events with member and target positions), ``m`` (member id,
position and handle), ``idt`` and ``keys`` (lookup keys), ``fol`` (follow counts), ``base``
(the members' wide rows) and ``cw`` (engagement weight per member and channel).
"""

from __future__ import annotations

import shutil
import time
from contextlib import contextmanager
from pathlib import Path

__all__ = ["CHANNELS_SQL", "DATA_SQL", "MEMBERS_JOIN_SQL", "MEMBERS_SQL", "building",
           "check_prebuilt", "lap", "n_events"]

CHANNELS_SQL = """
CREATE TABLE profile_channels AS
WITH c AS (SELECT pos, channel, count(*) AS events, min(timestamp) AS first_event,
                  max(timestamp) AS last_event FROM profile_events GROUP BY pos, channel),
     w AS (SELECT m.pos, cw.channel, cw.weight FROM cw JOIN m USING (member_id))
SELECT coalesce(c.pos, w.pos) AS pos, coalesce(c.channel, w.channel) AS channel,
       coalesce(c.events, 0) AS events, c.first_event, c.last_event,
       coalesce(w.weight, 0.0) AS engagement_weight
FROM c FULL OUTER JOIN w ON c.pos = w.pos AND c.channel IS NOT DISTINCT FROM w.channel
ORDER BY pos, events DESC, engagement_weight DESC, channel NULLS LAST;
"""

DATA_SQL = """
CREATE TABLE profile_topics AS
SELECT pos, topic, events FROM (
    SELECT pos, topic, count(*) AS events,
           row_number() OVER (PARTITION BY pos ORDER BY count(*) DESC, topic) AS rk
    FROM profile_events WHERE topic IS NOT NULL GROUP BY pos, topic)
WHERE rk <= {top_topics} ORDER BY pos, events DESC, topic;

CREATE TABLE amp AS
SELECT e.tpos AS pos, e.pos AS src, count(*) AS events
FROM ev e WHERE e.action IN ({amplifying}) AND e.tpos >= 0 AND e.tpos <> e.pos
GROUP BY e.tpos, e.pos;

CREATE TABLE profile_amplifiers AS
SELECT a.pos, s.member_id AS amplifier_id, s.handle, a.events FROM (
    SELECT pos, src, events,
           row_number() OVER (PARTITION BY pos ORDER BY events DESC, src) AS rk FROM amp) a
JOIN m AS s ON a.src = s.pos
WHERE a.rk <= {top_amplifiers} ORDER BY a.pos, a.events DESC, a.src;

CREATE TABLE profile_identities AS
SELECT DISTINCT m.pos, i.channel, i.handle, i.email, i.source
FROM idt i JOIN m USING (member_id)
ORDER BY m.pos, i.source DESC, i.channel NULLS LAST, i.handle NULLS LAST, i.email NULLS LAST;

CREATE TABLE profile_keys AS
SELECT hash(key) AS h, key, kind, pos FROM (
    SELECT member_id AS key, 'member_id' AS kind, pos FROM m
    UNION ALL
    SELECT k.key, min(k.kind) AS kind, m.pos FROM keys k JOIN m USING (member_id)
    GROUP BY k.key, m.pos)
ORDER BY h, key, kind, pos;
"""

MEMBERS_SQL = """
CREATE TEMP TABLE member_counts AS
WITH ev AS (SELECT pos, count(*) AS n_events, min(timestamp) AS first_event,
                   max(timestamp) AS last_event FROM profile_events GROUP BY pos),
     ampn AS (SELECT pos, count(*) AS amplifiers, sum(events) AS amplifying_events
              FROM amp GROUP BY pos),
     persons AS (SELECT person_id, count(*) AS n_accounts FROM base GROUP BY person_id)
SELECT b.pos, p.n_accounts,
       f.followers_members, f.following_members, f.following_outside,
       coalesce(ampn.amplifiers, 0) AS amplifiers,
       coalesce(ampn.amplifying_events, 0) AS amplifying_events,
       coalesce(ev.n_events, 0) AS n_events, ev.first_event, ev.last_event
FROM base b JOIN persons p USING (person_id)
LEFT JOIN ev USING (pos) JOIN fol f USING (pos)
LEFT JOIN ampn USING (pos)
ORDER BY b.pos;
DROP TABLE amp;
"""
"""The counts per member, one narrow row per member in ``pos`` order (every member: ``fol``
has each position and ``person_id`` is never null), put beside ``base`` by
:data:`MEMBERS_JOIN_SQL`."""

MEMBERS_JOIN_SQL = """
CREATE TABLE profile_members AS
SELECT b.*, c.* EXCLUDE (pos) FROM base b POSITIONAL JOIN member_counts c;
DROP TABLE member_counts;

CREATE TABLE profile_persons AS
SELECT hash(person_id) AS h, person_id, member_id FROM profile_members WHERE n_accounts > 1
ORDER BY h, person_id, member_id;
"""


@contextmanager
def building(path: Path, memory_limit: str):
    """A DuckDB connection that builds an index file at ``path``: copies, counts, ranks,
    totally ordered (so any number of threads gives the same tables); aggregates past
    ``memory_limit`` spill to a folder beside it, removed at the end."""
    from clusterkit.data.sql import connect

    spill = path.with_name(f"{path.name}.spill")
    con = connect(path, config={"memory_limit": memory_limit, "temp_directory": str(spill),
                                "preserve_insertion_order": True}, exact=True)
    try:
        yield con
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)


def lap(timings: dict, clock: list, step: str) -> None:
    """Seconds since ``clock[0]`` into ``timings[step]``; the clock restarts."""
    now = time.perf_counter()
    timings[step] = now - clock[0]
    clock[0] = now


def n_events(data) -> int:
    """The data's number of events (0 without an events table)."""
    return 0 if data.events is None else int(len(data.events))


def check_prebuilt(path, data) -> None:
    """Refuse a prebuilt part (:func:`~clusterkit.profile.index.prebuild_profile_index`)
    that was not built from data of this size."""
    from clusterkit.data.sql import connect

    con = connect(path, read_only=True)
    try:
        got = con.execute("SELECT n_members, n_events FROM profile_prebuilt").fetchone()
    finally:
        con.close()
    if tuple(got) != (int(data.n_members), n_events(data)):
        from clusterkit.errors import ClusterkitInputError

        raise ClusterkitInputError(
            f"prebuilt profile index {path}: built from {got[0]} members and {got[1]} "
            f"events, not the run's {data.n_members} and {n_events(data)}; build it again "
            "from the run's data")
