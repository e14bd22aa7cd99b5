"""Build the profile index of a run: one DuckDB file that makes a member lookup fast.

The index is ``profile.duckdb`` in the run folder, written by :func:`clusterkit.save_run`
when it is given the run's input data, or by
:func:`write_profile_index` for an older run (``clusterkit profile RUN MEMBER --data DIR``).
``clusterkit run`` builds the tables that read only the data before the pipeline
(:func:`prebuild_profile_index`) and the save completes them: the same index.
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
import shutil
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.profile.build import (
    CHANNELS_SQL,
    DATA_SQL,
    MEMBERS_JOIN_SQL,
    MEMBERS_SQL,
    building,
    check_prebuilt,
    lap,
    n_events,
)
from clusterkit.profile.events import EVENT_COLUMNS as _EVENT_COLUMNS
from clusterkit.profile.events import events_frame, events_in_order
from clusterkit.profile.keys import identities_frame, keys_frame, normalise_keys

__all__ = ["FORMAT_VERSION", "INDEX_FILE", "TOP_AMPLIFIERS", "TOP_TOPICS", "normalise_keys",
           "prebuild_profile_index", "write_profile_index"]

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


def _member_keys(data) -> pd.DataFrame:
    """``member_id, pos, handle`` per member in ``data.member_ids`` order: what the lookups
    read of the member rows, from the data alone (the handle as ``attr_handle`` of
    :func:`_member_frame`, or null without one)."""
    ids = data.member_ids
    handle = data.members["handle"] if "handle" in data.members.columns else None
    handle = pd.Series(None, index=ids, dtype="string") if handle is None else \
        handle.reindex(ids)
    if handle.dtype == object:
        handle = handle.astype("string")
    return pd.DataFrame({"member_id": pd.Series(np.asarray(ids, dtype=object), dtype="string"),
                         "pos": np.arange(len(ids), dtype=np.int64),
                         "handle": handle.reset_index(drop=True)})


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



def _sql_list(values) -> str:
    return ", ".join("'" + v.replace("'", "''") + "'" for v in sorted(values))


def write_profile_index(folder, result, data=None, *, memory_limit: str = "600MB",
                        timings: dict | None = None, prebuilt=None) -> Path:
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
    prebuilt : str or Path, optional
        The tables that read only ``data``, built before the run by
        :func:`prebuild_profile_index`: the file is moved into ``folder`` (it is gone
        afterwards) and completed; refused when built from data of another size.

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
    import time

    from clusterkit.errors import ClusterkitInputError

    if data is None:
        raise ClusterkitInputError(
            "the profile index needs the run's input data: pass data=load_dataset(folder) "
            "(CLI: clusterkit profile RUN MEMBER --data DIR).")
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / INDEX_FILE
    tmp = folder / f".{INDEX_FILE}.{os.getpid()}.tmp"
    for p in (tmp, Path(f"{tmp}.wal")):
        p.unlink(missing_ok=True)
    timings = {} if timings is None else timings
    clock = [time.perf_counter()]
    if prebuilt is not None:
        check_prebuilt(prebuilt, data)
        shutil.move(prebuilt, tmp)  # the data's tables, built before the run
    with building(tmp, memory_limit) as con:
        keys = None if prebuilt is not None else _data_tables(con, data, timings, clock)
        _result_tables(con, result, data, timings, clock, keys)
    os.replace(tmp, target)
    lap(timings, clock, "write")
    return target


def prebuild_profile_index(path, data, *, memory_limit: str = "600MB") -> Path:
    """Build the tables of the profile index that read only the data (the events, topics,
    amplifiers, identities and lookup keys) into the file ``path``, before a run: at
    1,000,000 members they are most of the index's time and memory, which then come
    while little but the data is held, instead of at the save beside the whole result.
    :func:`write_profile_index` with ``prebuilt=path`` moves the file into the run folder
    and adds the tables that read the result; the index is the same as one built at once.

    Examples
    --------
    >>> import tempfile
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.pipeline import Pipeline
    >>> events = pd.DataFrame({"member_id": ["b", "c", "a"], "action": ["share", "like", "post"],
    ...                        "timestamp": ["2026-01-01", "2026-01-02", "2026-01-03"],
    ...                        "target_id": ["a", "a", None]})
    >>> data = CommunityData.from_frames(events=events)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     part = prebuild_profile_index(Path(tmp) / "part.duckdb", data)
    ...     index = write_profile_index(Path(tmp) / "run", Pipeline().run(data), data,
    ...                                 prebuilt=part)
    ...     (index.name, part.exists())
    ('profile.duckdb', False)
    """
    path = Path(path)
    for p in (path, Path(f"{path}.wal")):
        p.unlink(missing_ok=True)
    try:
        with building(path, memory_limit) as con:  # nothing left held for the run
            _data_tables(con, data, {}, [0.0], keep=False)
            con.execute("CREATE TABLE profile_prebuilt AS SELECT ? AS n_members, ? AS n_events",
                        [int(data.n_members), n_events(data)])
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    from clusterkit.provenance import release_freed_memory

    release_freed_memory()  # what the build freed, before the run's first step
    return path


def _data_tables(con, data, timings: dict, clock: list, keep: bool = True) -> pd.DataFrame:
    """The tables that read only the data: ``profile_events``, topics, amplifiers (and
    ``amp``, the counts the member rows read), identities and keys (``keep``: hold the
    data's event codes, :meth:`~clusterkit.data.CommunityData.event_codes`). Returns the
    member keys registered as ``m`` (:func:`_member_keys`)."""
    from concurrent.futures import ThreadPoolExecutor

    import pyarrow as pa

    from clusterkit.data.schema import AMPLIFYING_ACTIONS
    from clusterkit.profile.topics import write_topic_tables

    side = ThreadPoolExecutor(1)  # the lookup keys (Python string work; 3.6 s at 1,000,000
    # members) are folded while DuckDB copies the events
    lookup = side.submit(lambda: (_arrow(identities_frame(data)), _arrow(keys_frame(data))))
    side.shutdown(wait=False)
    keys = _member_keys(data)
    ev = events_frame(data, keep=keep)
    present = [c for c in _EVENT_COLUMNS if ev is not None and c in ev.columns]
    if ev is None:  # follows only: an empty, typed events table
        ev = pd.DataFrame({"action": pd.Series([], dtype="string"),
                           "timestamp": pd.Series([], dtype="datetime64[us]"),
                           "pos": pd.Series([], dtype="int64"),
                           "tpos": pd.Series([], dtype="int64")})
    con.register("m", _arrow(keys))
    con.register("ev", _arrow(ev))
    lap(timings, clock, "prepare")
    con.register("ev_ordered", events_in_order(ev, pa.array(keys["handle"], from_pandas=True),
                                               present))
    con.execute("CREATE TABLE profile_events AS SELECT * FROM ev_ordered")
    con.unregister("ev_ordered")
    for name, table in zip(("idt", "keys"), lookup.result(), strict=True):
        con.register(name, table)
    lap(timings, clock, "events")
    con.execute(DATA_SQL.format(top_topics=TOP_TOPICS, top_amplifiers=TOP_AMPLIFIERS,
                                amplifying=_sql_list(AMPLIFYING_ACTIONS)))
    lap(timings, clock, "derived")
    write_topic_tables(con, ev if "topic" in present else None, AMPLIFYING_ACTIONS)
    lap(timings, clock, "topics")
    return keys


def _result_tables(con, result, data, timings: dict, clock: list, keys=None) -> None:
    """The tables that read the run's result: channels (with engagement weights), the
    member rows, persons and the index's meta row (``keys``: :func:`_member_keys` when
    the data's tables were just built, else read again)."""
    from clusterkit.stages.scoring.influence import COMPONENTS

    base = _member_frame(result, data)
    con.register("m", _arrow(_member_keys(data) if keys is None else keys))
    con.register("base", _arrow(base))
    con.register("fol", _arrow(_follow_counts(data)))
    con.register("cw", _arrow(_channel_weights(result)))
    con.execute(CHANNELS_SQL)
    con.execute(MEMBERS_SQL)  # the wide rows of base are joined by position, not sorted
    counted = con.execute("SELECT count(*) FROM member_counts").fetchone()[0]
    if counted != len(base):
        raise RuntimeError(f"profile index: counts for {counted} of {len(base)} members")
    con.execute(MEMBERS_JOIN_SQL)
    con.execute("DROP TABLE IF EXISTS profile_prebuilt")
    lap(timings, clock, "members")
    meta = {
        "format_version": FORMAT_VERSION,
        "n_members": int(data.n_members),
        "n_events": n_events(data),
        "config_hash": result.manifest.get("config_hash"),
        "data_fingerprint": result.manifest.get("data_fingerprint"),
        "components": [c for c in COMPONENTS if c in base.columns],
        "signals": [s for s in SIGNALS if s in base.columns],
        "event_columns": ["timestamp", "action", *_EVENT_COLUMNS, "target_handle"],
        "hash_check": HASH_CHECK,
    }
    meta["hash_check_value"] = str(con.execute("SELECT hash(?)", [HASH_CHECK]).fetchone()[0])
    con.execute("CREATE TABLE profile_meta AS SELECT ? AS meta", [json.dumps(meta)])
