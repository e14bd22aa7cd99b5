"""The profile index's events, in the order it stores them, streamed to DuckDB.

``profile_events`` keeps every event newest first within a member, ties broken by every
column (nulls last). Sorting 23 M rows of every column in DuckDB took 30 s and its whole
memory limit at 1,000,000 members; here the order is computed on integers (member position,
time) and only rows that share both are sorted by their other columns, and the rows reach
DuckDB in batches already in that order.

Examples
--------
>>> import pandas as pd
>>> from clusterkit.data import CommunityData
>>> events = pd.DataFrame({"member_id": ["b", "a", "a"], "action": ["like", "post", "like"],
...                        "timestamp": ["2026-01-01", "2026-01-01", "2026-01-02"]})
>>> reader = events_in_order(events_frame(CommunityData.from_frames(events=events)),
...                          pa.array([None, None], pa.string()), [])
>>> reader.read_all().select(["pos", "action"]).to_pylist()
[{'pos': 0, 'action': 'like'}, {'pos': 0, 'action': 'post'}, {'pos': 1, 'action': 'like'}]
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa

from clusterkit.data.order import time_key

__all__ = ["EVENT_COLUMNS", "events_frame", "events_in_order"]

EVENT_COLUMNS = {"channel": "VARCHAR", "target_id": "VARCHAR", "content_id": "VARCHAR",
                 "topic": "VARCHAR", "value": "DOUBLE"}
"""Optional event columns the index stores, with their SQL types (null when absent)."""

EVENT_BATCH = 1 << 20
"""Rows per Arrow batch streamed into ``profile_events`` (about 50 MB at most). The index is
built on two cores where it may (``connect(exact=True)``), and DuckDB then reads two
batches at once: 2**21 rows a batch added 0.4 GB to the build's peak at 1,000,000 members."""


def events_frame(data, keep: bool = True) -> pd.DataFrame | None:
    """The events with ``pos`` and ``tpos``: the positions of the member and of the target
    (-1: none, or not a member), so that SQL joins members on integers (``keep``: as
    :meth:`~clusterkit.data.CommunityData.event_codes`)."""
    ev = data.events
    if ev is None or len(ev) == 0:
        return None
    cols = ["action", "timestamp"] + [c for c in EVENT_COLUMNS if c in ev]
    out = ev[cols]  # copy-on-write: the string columns are shared, not copied
    actor, target = data.event_codes(keep=keep)
    return out.assign(timestamp=out["timestamp"].dt.tz_convert(None),  # naive UTC
                      pos=actor.astype(np.int64), tpos=target.astype(np.int64))


def _tie_order(ev: pd.DataFrame, present, order: np.ndarray, pos, ts) -> np.ndarray:
    """``order`` (sorted by ``pos``, newest first) with each run of rows that share both put
    in the order of ``action`` and then every column of ``present``, nulls last.

    On validated data such rows are already in that order (events are stored sorted by
    every column, :func:`clusterkit.data.validate.build_dataset`), and there are few of
    them unless timestamps are coarse; only they are sorted here.
    """
    sp, st = pos[order], ts[order]
    same = (sp[1:] == sp[:-1]) & (st[1:] == st[:-1])
    tied = np.r_[False, same] | np.r_[same, False]
    if not tied.any():
        return order
    rows = order[tied]
    keys = ev.iloc[rows][["action", *present]].reset_index(drop=True)
    keys.insert(0, "_ts", -ts[rows])
    keys.insert(0, "_pos", pos[rows])
    ranked = keys.sort_values(list(keys.columns), na_position="last", kind="mergesort")
    out = order.copy()
    out[tied] = rows[ranked.index.to_numpy()]
    return out


def events_in_order(ev: pd.DataFrame, handles, present):
    """``profile_events`` rows as an Arrow batch reader, newest first within a member.

    A stable sort by (``pos``, newest first), then the rows that share both sorted by every
    other column (:func:`_tie_order`): the documented order without a sort in SQL. The rows
    reach DuckDB in batches of :data:`EVENT_BATCH`, taken in that order: at 1,000,000
    members and 23 M events, no sort of every column in DuckDB (30 s, up to its 4 GB memory
    limit). ``handles``: the members-table handle per member position; ``target_handle`` is
    the handle of the member at ``tpos`` (null when the target is no member).
    member at ``tpos`` (null when the target is no member).
    """
    import pyarrow.compute as pc

    table = pa.Table.from_pandas(ev[["pos", "timestamp", "action", *present, "tpos"]],
                                 preserve_index=False)
    ts = ev["timestamp"].to_numpy(dtype="datetime64[us]").view(np.int64)
    pos = ev["pos"].to_numpy(dtype=np.int64)
    key = time_key(pos, ts, newest_first=True)  # one sort of one key, when it fits
    order = _tie_order(ev, present, np.lexsort((-ts, pos)) if key is None else
                       np.argsort(key, kind="stable"), pos, ts)
    types = {"VARCHAR": pa.string(), "DOUBLE": pa.float64()}
    names = ["pos", "timestamp", "action", *EVENT_COLUMNS, "target_handle"]

    def batch(rows):
        part = table.take(pa.array(rows, type=pa.int64()))
        tpos = part["tpos"].to_numpy()
        has = tpos >= 0
        handle = pc.if_else(pa.array(has), handles.take(pa.array(np.where(has, tpos, 0))),
                            pa.scalar(None, handles.type))
        cols = [part["pos"], part["timestamp"], part["action"],
                *[part[c] if c in present else pa.nulls(len(part), types[t])
                  for c, t in EVENT_COLUMNS.items()], handle]
        cols = [c.combine_chunks() if isinstance(c, pa.ChunkedArray) else c for c in cols]
        return pa.RecordBatch.from_arrays(  # category columns stored as text, as ever
            [c.dictionary_decode() if pa.types.is_dictionary(c.type) else c for c in cols],
            names=names)

    return pa.RecordBatchReader.from_batches(
        batch(order[:0]).schema,
        (batch(order[lo: lo + EVENT_BATCH]) for lo in range(0, len(order), EVENT_BATCH)))
