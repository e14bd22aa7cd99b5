"""Who acts on whom: the member × member matrix of events aimed at another member.

Only events whose ``target_id`` is another member count (outside accounts and
self-targeted events are ignored). The counts are one DuckDB query (:data:`EDGES_SQL`)
over integer member positions, shared with the interaction features. The weighted matrix
is built from the event codes: counts per (pair, action), then each pair's weight folded
over its actions in one fixed order (:func:`fold_weights`), so equal evidence gives equal
bits whatever the order of the events, here and on Spark.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from clusterkit.data.schema import AMPLIFYING_ACTIONS, CONVERSATION_ACTIONS
from clusterkit.data.sql import sql, sql_list
from clusterkit.weights import EngagementWeights

__all__ = ["EDGES_SQL", "action_ranks", "edge_tables", "fold_weights", "interaction_matrix"]

EDGES_SQL = f"""
    WITH edges AS (
        SELECT e.src, e.dst, e.action,
               coalesce(w.weight, 1.0) AS weight,
               e.action IN ({sql_list(AMPLIFYING_ACTIONS)}) AS amp,
               e.action IN ({sql_list(CONVERSATION_ACTIONS)}) AS talk
        FROM events e
        LEFT JOIN aw AS w ON e.action = w.action
        WHERE e.dst >= 0 AND e.dst <> e.src
    )
"""
"""The ``edges`` CTE: events by member ``src`` aimed at another member ``dst`` (positions in
``member_ids``), with the action's weight, whether it amplifies and whether it converses
(``talk``: a mention, reply or comment); it reads the tables of
:func:`edge_tables`."""


def edge_tables(data, weights: EngagementWeights | None = None) -> dict | None:
    """Tables for :data:`EDGES_SQL` (``events``, ``aw``), or None without targets.

    ``events`` is an Arrow table of every event: ``src`` and ``dst`` (the actor's and the
    target's member position, -1 for no member target; from
    :meth:`~clusterkit.data.CommunityData.event_codes`, computed once per dataset) and
    ``action``, in event order, so SQL joins and groups integers, never id strings.
    """
    import pyarrow as pa

    events = data.events
    if events is None or "target_id" not in events.columns or len(events) == 0:
        return None
    ew = weights if weights is not None else EngagementWeights()
    weights = ew.table
    unknown = sorted(set(events["action"].dropna().unique()) - set(weights))
    weights.update({a: float(ew.default) for a in unknown})
    src, dst = data.event_codes()
    return {
        "events": pa.table({"src": src, "dst": dst,
                            "action": _text(events["action"])}),
        "aw": pd.DataFrame({"action": list(weights), "weight": list(weights.values())}),
    }


def _text(col: pd.Series):
    """A text column as an Arrow string array; a category column through its dictionary
    (decoding 23 M rows one by one took 3.7 s, three times a run)."""
    import pyarrow as pa

    if isinstance(col.dtype, pd.CategoricalDtype):
        return pa.array(col).cast(pa.string())
    return pa.array(col, type=pa.string())


def interaction_matrix(data, weighted: bool = True,
                       weights: EngagementWeights | None = None) -> sp.csr_array:
    """Member × member matrix of events aimed at other members.

    Parameters
    ----------
    data : clusterkit.data.CommunityData
    weighted : bool, default True
        Sum the action weights of ``weights`` (unknown actions weigh ``weights.default``)
        instead of counting events.
    weights : EngagementWeights, optional
        The run's engagement weights (DESIGN §2 defaults when omitted).

    Returns
    -------
    scipy.sparse.csr_array
        Shape ``(n_members, n_members)`` in :attr:`member_ids` order; ``[i, j]`` is the
        number (or total weight) of events by member ``i`` with ``target_id`` member ``j``.
        Outside targets and the diagonal are left out.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> events = pd.DataFrame({"member_id": ["a", "a", "b"],
    ...                        "action": ["like", "share", "reply"],
    ...                        "timestamp": ["2024-01-01"] * 3,
    ...                        "target_id": ["b", "b", "a"]})
    >>> data = CommunityData.from_frames(events=events)
    >>> interaction_matrix(data).toarray()
    array([[0., 6.],
           [3., 0.]])
    >>> interaction_matrix(data, weighted=False).toarray()
    array([[0., 2.],
           [1., 0.]])
    """
    n, events = data.n_members, data.events
    if events is None or "target_id" not in events.columns or len(events) == 0:
        return sp.csr_array((n, n), dtype=np.float64)
    if weighted:  # counts per action, folded in one fixed order (:func:`fold_weights`)
        return _weighted_matrix(data, weights)
    tables = edge_tables(data, weights)
    agg = sql(EDGES_SQL + "SELECT src, dst, count(*) AS v FROM edges GROUP BY src, dst",
              **tables)
    mat = sp.csr_array(
        (
            agg["v"].to_numpy(dtype="float64"),
            (agg["src"].to_numpy(dtype=np.int64), agg["dst"].to_numpy(dtype=np.int64)),
        ),
        shape=(n, n),
    )
    mat.eliminate_zeros()
    mat.sort_indices()
    return mat


def action_ranks(names, weights: EngagementWeights | None = None) -> tuple[dict, np.ndarray]:
    """Each action name's place among the sorted names, and the weight of each place (an
    unknown action: ``weights.default``; one more place, last, for a missing action,
    weight 1, as :data:`EDGES_SQL` has them)."""
    ew = weights if weights is not None else EngagementWeights()
    table = ew.table
    names = sorted({str(a) for a in names})
    weight = np.array([float(table.get(a, ew.default)) for a in names] + [1.0])
    return {a: i for i, a in enumerate(names)}, weight


def _weighted_matrix(data, weights) -> sp.csr_array:
    """:func:`interaction_matrix`'s weighted matrix, from the event codes: counts per
    (pair, action) by one in-place sort of packed keys, then :func:`fold_weights`; the
    sorted pairs give the CSR arrays directly (no COO copy)."""
    from clusterkit.data.codes import factor

    n = data.n_members
    src, dst = data.event_codes()
    keep = (dst >= 0) & (dst != src)  # a mask: a byte per event, not 8 per kept one
    action = data.events["action"]
    if isinstance(action.dtype, pd.CategoricalDtype):  # the loader's: codes as stored (int8)
        codes, labels = action.cat.codes.to_numpy(), action.cat.categories.astype(str)
    else:
        codes, labels = factor(action)
    place, weight = action_ranks(labels, weights)
    kinds = len(weight)  # the last place: a missing action (code -1 reads the last entry)
    of_code = np.array([place[str(a)] for a in labels] + [kinds - 1], dtype=np.int64)
    key = src[keep].astype(np.int64)
    key *= n
    key += dst[keep]
    key *= kinds
    key += of_code[codes[keep]]
    del keep, codes
    if not len(key):
        return sp.csr_array((n, n), dtype=np.float64)
    key.sort()  # in place: np.unique would sort a copy
    starts = np.flatnonzero(np.r_[True, key[1:] != key[:-1]])
    x = np.diff(np.r_[starts, len(key)]) * weight[key[starts] % kinds]  # count x weight
    key = key[starts] // kinds  # the (pair) of each (pair, action), sorted
    del starts
    first, total = fold_weights(key, x)
    del x
    key = key[first]
    del first
    index = np.int32 if len(key) < 2**31 else np.int64  # as SciPy would choose
    indptr = np.zeros(n + 1, dtype=index)
    np.cumsum(np.bincount(key // n, minlength=n), out=indptr[1:])
    mat = sp.csr_array((total, (key % n).astype(index), indptr), shape=(n, n))
    mat.eliminate_zeros()
    return mat


def fold_weights(pair: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per run of equal ``pair`` keys: its first row, and its ``x`` added in row order.

    The rows are one per (pair, action), sorted by pair and then by the action's place among
    the sorted action names (a missing action last); ``x`` is the action's count times its
    weight. The sum starts from 0 and adds the actions in that order, so its bits depend on
    the counts only, not on the order of the events, nor on the engine (Spark folds the
    same list in the same order: :mod:`clusterkit.engines.spark.scoring`). A loop over the
    actions' places, at most one pass per action kind; never over pairs.

    Examples
    --------
    >>> fold_weights(np.array([1, 1, 2]), np.array([1.0, 0.1, 0.5]))
    (array([0, 2]), array([1.1, 0.5]))
    """
    new = np.ones(len(pair), dtype=bool)
    new[1:] = pair[1:] != pair[:-1]
    starts = np.flatnonzero(new)
    total = x[starts] + 0.0  # the first action's place: 0 + x
    rest = np.flatnonzero(~new)  # later places: few pairs have more than one action
    if len(rest):
        segment = np.searchsorted(starts, rest, side="right") - 1
        place = rest - starts[segment]
        for k in range(1, int(place.max()) + 1):  # per action place, never per pair
            at = place == k
            total[segment[at]] += x[rest[at]]
    return starts, total
