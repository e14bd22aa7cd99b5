"""Build the profile index of a run: one DuckDB file that makes a member lookup fast.

The index is ``profile.duckdb`` in the run folder, written by :func:`clusterkit.save_run`
when it is given the run's input data, or by
:func:`write_profile_index` for an older run (``clusterkit profile RUN MEMBER --data DIR``).
Every table but ``profile_keys`` is keyed by ``pos``, the member's position in the sorted
member ids, and stored sorted by it, so DuckDB's per-row-group min/max (zonemaps) reduce a
lookup to one row group of each table whatever the size of the run (string zonemaps keep only
8 bytes, which is why the key is an integer).

=================== =========================================================================
table               content
=================== =========================================================================
profile_members     one row per member: ``member_id``, ``person_id`` (the person behind the
                    account: from a ``person_id`` column of the segments or members table,
                    else the member id), ``n_accounts`` of that person, the segments row
                    (segment, role, confidence, explanation …), influence components with
                    their percentiles and credibility signals, member attributes
                    (``attr_<column>``), and reach counts: ``followers_members``,
                    ``following_members``, ``following_outside``, ``amplifiers``,
                    ``amplifying_events``, ``n_events``, ``first_event``, ``last_event``
profile_events      the member's events, newest first (ties broken by every column), with
                    ``target_handle``: the members-table handle of ``target_id``
profile_channels    events, first and last event and engagement weight per member and channel
profile_topics      the member's most frequent topics (top :data:`TOP_TOPICS`)
profile_identities  channel handles and emails (from the members and identities tables)
profile_amplifiers  the members who amplified the member most (top :data:`TOP_AMPLIFIERS`),
                    with their handles
profile_persons     member ids of persons with several accounts, sorted by ``hash(person_id)``
profile_keys        ``pos`` by member id (``kind`` member_id, as given), by normalised
                    handle / email (see :func:`normalise_keys`) and by folded display name
                    (``kind`` name, :func:`~clusterkit.profile.keys.fold_name`), sorted by
                    ``h``, DuckDB's
                    ``hash(key)``: a lookup reads one row group even where keys share long
                    prefixes (URLs)
profile_meta        one row: format version, counts, config hash, data fingerprint and the
                    names of the influence components and credibility signals
profile_topic_*     credibility on a topic (:mod:`clusterkit.profile.topics`)
=================== =========================================================================

Amplifying actions are :data:`clusterkit.data.schema.AMPLIFYING_ACTIONS` aimed at another
member (the same definition as the ``amplifiers`` feature and influence component).
Aggregation runs in DuckDB SQL over Arrow, the topic tables on integer arrays
(:func:`~clusterkit.profile.topics.write_topic_tables`); contents do not depend on input
row order.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.profile.events import EVENT_COLUMNS as _EVENT_COLUMNS
from clusterkit.profile.events import events_frame, events_in_order
from clusterkit.profile.keys import identities_frame, keys_frame, normalise_keys

__all__ = ["FORMAT_VERSION", "INDEX_FILE", "TOP_AMPLIFIERS", "TOP_TOPICS", "normalise_keys",
           "write_profile_index"]

INDEX_FILE = "profile.duckdb"
"""File name of the profile index inside a run folder."""

FORMAT_VERSION = 2
"""Version of the index layout; :class:`~clusterkit.profile.ProfileIndex` refuses others."""

TOP_TOPICS = 10
"""Topics kept per member."""

TOP_AMPLIFIERS = 10
"""Amplifiers kept per member."""

SIGNALS = ("authenticity", "amplifier_mix", "conversation", "consistency", "tenure",
           "suspicious_followers", "credibility")
"""Credibility signals (see :func:`clusterkit.stages.scoring.influence.credibility_signals`)."""

HASH_CHECK = "clusterkit profile"
"""A text whose DuckDB hash is stored in the index: a reader whose DuckDB hashes it
differently falls back to comparing keys (slower, same answers)."""



def _arrow(df: pd.DataFrame):
    import pyarrow as pa

    return pa.Table.from_pandas(df, preserve_index=False)


def _member_frame(result, data) -> pd.DataFrame:
    """One row per member in ``data.member_ids`` order: ids, segments, influence, attributes."""
    ids = data.member_ids
    seg = result.segments.set_index("member_id").reindex(ids)
    seg.index.name = "member_id"
    frames = [seg]
    infl = result.influence
    if len(infl.columns):
        frames.append(infl.drop(columns=[c for c in infl.columns if c in seg.columns])
                      .reindex(ids).set_axis(ids, axis=0))
    attrs = data.members.reindex(ids).set_axis(ids, axis=0)
    person = None
    for source in (seg, attrs):
        if "person_id" in source.columns:
            person = source["person_id"].astype("string")
            break
    attrs = attrs.drop(columns=["person_id"], errors="ignore")
    for col in attrs.columns:
        if isinstance(attrs[col].dtype, pd.DatetimeTZDtype):  # naive UTC, like events
            attrs[col] = attrs[col].dt.tz_convert(None)
        elif attrs[col].dtype == object:  # extra attributes of any type: kept as text
            attrs[col] = attrs[col].astype("string")
    frames.append(attrs.add_prefix("attr_"))
    out = pd.concat(frames, axis=1)
    out = out.drop(columns=[c for c in ("person_id",) if c in out.columns])
    member_id = pd.Series(np.asarray(ids, dtype=object), index=ids, dtype="string")
    out.insert(0, "person_id", member_id if person is None else person.fillna(member_id))
    out.insert(0, "member_id", member_id)
    out.insert(0, "pos", np.arange(len(ids), dtype=np.int64))
    return out.reset_index(drop=True)


def _follow_counts(data) -> pd.DataFrame:
    """``pos, followers_members, following_members, following_outside`` per member.

    Counted on the follow matrix's own arrays: no copy of the edges is registered (at
    1,000,000 members and 20 M follows, the build's peak fell from +2.95 to +2.15 GB).
    """
    n = data.n_members
    src, dst = data.follow_edges()
    inside = dst < n
    return pd.DataFrame({
        "pos": np.arange(n, dtype=np.int64),
        "followers_members": np.bincount(dst[inside], minlength=n)[:n].astype(np.int64),
        "following_members": np.bincount(src[inside], minlength=n)[:n].astype(np.int64),
        "following_outside": np.bincount(src[~inside], minlength=n)[:n].astype(np.int64),
    })


def _channel_weights(result) -> pd.DataFrame:
    ebc = result.engagement_by_channel
    if not len(ebc.columns):
        return pd.DataFrame({"member_id": pd.Series([], dtype="string"),
                             "channel": pd.Series([], dtype="string"),
                             "weight": pd.Series([], dtype="float64")})
    long = ebc.rename_axis("member_id").reset_index().melt(
        id_vars="member_id", var_name="channel", value_name="weight")
    long = long[long["weight"] != 0]
    return long.astype({"member_id": "string", "channel": "string", "weight": "float64"})



_DERIVED_SQL = """
CREATE TABLE profile_channels AS
WITH c AS (SELECT pos, channel, count(*) AS events, min(timestamp) AS first_event,
                  max(timestamp) AS last_event FROM profile_events GROUP BY pos, channel),
     w AS (SELECT m.pos, cw.channel, cw.weight FROM cw JOIN m USING (member_id))
SELECT coalesce(c.pos, w.pos) AS pos, coalesce(c.channel, w.channel) AS channel,
       coalesce(c.events, 0) AS events, c.first_event, c.last_event,
       coalesce(w.weight, 0.0) AS engagement_weight
FROM c FULL OUTER JOIN w ON c.pos = w.pos AND c.channel IS NOT DISTINCT FROM w.channel
ORDER BY pos, events DESC, engagement_weight DESC, channel NULLS LAST;

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

_MEMBERS_SQL = """
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
:data:`_MEMBERS_JOIN_SQL`."""

_MEMBERS_JOIN_SQL = """
CREATE TABLE profile_members AS
SELECT b.*, c.* EXCLUDE (pos) FROM base b POSITIONAL JOIN member_counts c;
DROP TABLE member_counts;

CREATE TABLE profile_persons AS
SELECT hash(person_id) AS h, person_id, member_id FROM profile_members WHERE n_accounts > 1
ORDER BY h, person_id, member_id;
"""


def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def write_profile_index(folder, result, data=None, *, memory_limit: str = "600MB",
                        timings: dict | None = None) -> Path:
    """Write the profile index ``profile.duckdb`` of a run into ``folder``.

    Parameters
    ----------
    folder : str or Path
        The run folder (or any folder) to write :data:`INDEX_FILE` into; created if needed.
    result : RunResult
        The run: its segments, influence and engagement by channel.
    data : CommunityData, optional
        The run's input (the CommunityData the run was made from).
    memory_limit : str, default="600MB"
        DuckDB memory limit while building; aggregates beyond it spill to a temporary
        folder. The events arrive already in order (no sort in SQL), so the limit mostly
        bounds DuckDB's cache of written blocks. At 1,000,000 members and 23 M events,
        built on two cores, the build takes 40 s and adds at most 1.85 GB to the process
        (at most 2.41 GB with 1GB and batches of twice :data:`EVENT_BATCH` rows; 55 s and
        1.92 GB on one core).
    timings : dict, optional
        Filled with seconds per build step (``prepare``, ``events``, ``derived``,
        ``topics``, ``members``, ``write``).

    Returns
    -------
    Path
        The index file. It is written to a temporary name and renamed, so a reader never
        sees a half-written index.

    Raises
    ------
    clusterkit.errors.ClusterkitInputError
        When there is no data (``data`` is None).

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.pipeline import Pipeline
    >>> from clusterkit.profile import ProfileIndex
    >>> events = pd.DataFrame({"member_id": ["b", "c", "c", "a"],
    ...                        "action": ["share", "mention", "like", "post"],
    ...                        "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03",
    ...                                      "2026-01-04"], "target_id": ["a", "a", "a", None]})
    >>> data = CommunityData.from_frames(events=events)
    >>> result = Pipeline().run(data)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = write_profile_index(tmp, result, data)
    ...     with ProfileIndex(tmp) as index:
    ...         index.get("a")["reach"]["amplifiers"]  # b shared, c mentioned (a like is not)
    2
    """
    import shutil
    import time
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

    from clusterkit.data.schema import AMPLIFYING_ACTIONS
    from clusterkit.data.sql import connect
    from clusterkit.errors import ClusterkitInputError
    from clusterkit.profile.topics import write_topic_tables
    from clusterkit.stages.scoring.influence import COMPONENTS

    if data is None:
        raise ClusterkitInputError(
            "the profile index needs the run's input data: pass data=load_dataset(folder) "
            "(CLI: clusterkit profile RUN MEMBER --data DIR).")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / INDEX_FILE
    tmp = folder / f".{INDEX_FILE}.{os.getpid()}.tmp"
    spill = folder / f".{INDEX_FILE}.{os.getpid()}.spill"
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    timings = {} if timings is None else timings
    t0 = time.perf_counter()

    def lap(step):
        nonlocal t0
        timings[step] = time.perf_counter() - t0
        t0 = time.perf_counter()

    side = ThreadPoolExecutor(1)  # the lookup keys (Python string work; 3.6 s at 1,000,000
    # members) are folded while DuckDB copies the events
    lookup = side.submit(lambda: (_arrow(identities_frame(data)), _arrow(keys_frame(data))))
    side.shutdown(wait=False)
    base = _member_frame(result, data)
    ev = events_frame(data)
    present = [c for c in _EVENT_COLUMNS if ev is not None and c in ev.columns]
    if ev is None:  # follows only: an empty, typed events table
        ev = pd.DataFrame({"action": pd.Series([], dtype="string"),
                           "timestamp": pd.Series([], dtype="datetime64[us]"),
                           "pos": pd.Series([], dtype="int64"),
                           "tpos": pd.Series([], dtype="int64")})
    config = {"memory_limit": memory_limit, "temp_directory": str(spill),
              "preserve_insertion_order": True}
    con = connect(tmp, config=config, exact=True)  # copies, counts, ranks, totally ordered
    try:
        handle = base["attr_handle"] if "attr_handle" in base else pd.Series(
            None, index=base.index, dtype="string")
        con.register("m", _arrow(base[["member_id", "pos"]].assign(handle=handle)))
        con.register("base", _arrow(base))
        con.register("ev", _arrow(ev))
        con.register("fol", _arrow(_follow_counts(data)))
        con.register("cw", _arrow(_channel_weights(result)))
        lap("prepare")
        con.register("ev_ordered", events_in_order(ev, pa.array(handle, from_pandas=True),
                                                   present))
        con.execute("CREATE TABLE profile_events AS SELECT * FROM ev_ordered")
        con.unregister("ev_ordered")
        for name, table in zip(("idt", "keys"), lookup.result(), strict=True):
            con.register(name, table)
        lap("events")
        amplifying = _sql_list(AMPLIFYING_ACTIONS)
        con.execute(_DERIVED_SQL.format(top_topics=TOP_TOPICS, top_amplifiers=TOP_AMPLIFIERS,
                                        amplifying=amplifying))
        lap("derived")
        write_topic_tables(con, ev if "topic" in present else None, AMPLIFYING_ACTIONS)
        lap("topics")
        con.execute(_MEMBERS_SQL)  # the wide rows of base are joined by position, not sorted
        counted = con.execute("SELECT count(*) FROM member_counts").fetchone()[0]
        if counted != len(base):
            raise RuntimeError(f"profile index: counts for {counted} of {len(base)} members")
        con.execute(_MEMBERS_JOIN_SQL)
        lap("members")
        meta = {
            "format_version": FORMAT_VERSION,
            "n_members": int(data.n_members),
            "n_events": 0 if data.events is None else int(len(data.events)),
            "config_hash": result.manifest.get("config_hash"),
            "data_fingerprint": result.manifest.get("data_fingerprint"),
            "components": [c for c in COMPONENTS if c in base.columns],
            "signals": [s for s in SIGNALS if s in base.columns],
            "event_columns": ["timestamp", "action", *_EVENT_COLUMNS, "target_handle"],
            "hash_check": HASH_CHECK,
        }
        meta["hash_check_value"] = str(con.execute("SELECT hash(?)", [HASH_CHECK]).fetchone()[0])
        con.execute("CREATE TABLE profile_meta AS SELECT ? AS meta", [json.dumps(meta)])
        con.execute("CHECKPOINT")
    finally:
        con.close()
        shutil.rmtree(spill, ignore_errors=True)
    os.replace(tmp, target)
    lap("write")
    return target
