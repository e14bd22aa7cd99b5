"""Interaction features: who acts on whom, from events aimed at a ``target_id``.

Only events whose ``target_id`` is another member count (outside accounts and
self-targeted events are ignored). Aggregation runs in DuckDB SQL; the matrix is built
with scipy.sparse. No Python loop over members or events.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd
import scipy.sparse as sp

from clusterkit.data.schema import AMPLIFYING_ACTIONS, CONTENT_ACTIONS
from clusterkit.features.behaviour import _sql_list, action_weights, query
from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.base import BaseStage

__all__ = ["InteractionFeatures", "interaction_matrix"]

COLUMNS: tuple[str, ...] = (
    "received_total",
    "received_distinct",
    "amplifiers",
    "amplification",
    "received_weight",
    "engaged_distinct",
)

_EDGES = f"""
    WITH edges AS (
        SELECT s.pos AS src, t.pos AS dst, e.action,
               coalesce(w.weight, 1.0) AS weight,
               e.action IN ({_sql_list(AMPLIFYING_ACTIONS)}) AS amp
        FROM events e
        JOIN m AS s ON e.member_id = s.member_id
        JOIN m AS t ON e.target_id = t.member_id
        LEFT JOIN aw AS w ON e.action = w.action
        WHERE e.target_id IS NOT NULL AND e.target_id <> e.member_id
    )
"""


def _tables(data, weights=None, default_weight: float = 1.0) -> dict[str, pd.DataFrame] | None:
    """Frames for :data:`_EDGES`, or None when no event has a target."""
    events = data.events
    if events is None or "target_id" not in events.columns or len(events) == 0:
        return None
    weights = action_weights(weights)
    unknown = sorted(set(events["action"].dropna().unique()) - set(weights))
    weights.update({a: float(default_weight) for a in unknown})
    return {
        "events": events[["member_id", "action", "target_id"]],
        "m": pd.DataFrame(
            {
                "member_id": np.asarray(data.member_ids, dtype=object),
                "pos": np.arange(data.n_members, dtype=np.int64),
            }
        ),
        "aw": pd.DataFrame({"action": list(weights), "weight": list(weights.values())}),
    }


def interaction_matrix(data, weighted: bool = True, weights=None,
                       default_weight: float = 1.0) -> sp.csr_array:
    """Member × member matrix of events aimed at other members.

    Parameters
    ----------
    data : clusterkit.data.CommunityData
    weighted : bool, default True
        Sum action weights (:func:`~clusterkit.features.behaviour.action_weights` updated by
        ``weights``; unknown actions weigh ``default_weight``) instead of counting events.
    weights : dict, optional
        Action weight overrides.
    default_weight : float, default 1.0

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
    n = data.n_members
    tables = _tables(data, weights, default_weight)
    if tables is None:
        return sp.csr_array((n, n), dtype=np.float64)
    value = "sum(weight)" if weighted else "count(*)"
    agg = query(_EDGES + f"SELECT src, dst, {value} AS v FROM edges GROUP BY src, dst", tables)
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


@register("features", "interaction")
class InteractionFeatures(BaseStage):
    """How much, and by how many, each member is acted on by other members.

    Counted events are those with a ``target_id`` that is another member; events aimed
    at outside accounts or at oneself are ignored.

    Parameters
    ----------
    weights : dict, optional
        Action weight overrides for ``received_weight`` (the pipeline passes the config's).
    default_weight : float, default=1.0
        Weight of actions outside the known vocabulary.

    Attributes
    ----------
    warnings_ : list of str
        Set by :meth:`build` (empty: nothing here warns).

    Notes
    -----
    Columns (all float64; zero for members nobody acts on or without events):

    ===================== =================================================================
    column                meaning
    ===================== =================================================================
    ``received_total``    events targeting the member
    ``received_distinct`` distinct members who acted on the member
    ``amplifiers``        distinct members who acted on the member with an amplifying action
                          (``AMPLIFYING_ACTIONS``: share, retweet, mention, reply, comment)
    ``amplification``     amplifying events received / (1 + content the member created,
                          i.e. its ``CONTENT_ACTIONS`` events, targeted or not)
    ``received_weight``   sum of the action weights of events received (``weights`` over
                          :func:`~clusterkit.features.behaviour.action_weights`; unknown
                          actions weigh ``default_weight``)
    ``engaged_distinct``  distinct other members this member acted on
    ===================== =================================================================

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> events = pd.DataFrame({"member_id": ["a", "b", "c", "c"],
    ...                        "action": ["post", "share", "like", "reply"],
    ...                        "timestamp": ["2024-01-01"] * 4,
    ...                        "target_id": [None, "a", "a", "a"]})
    >>> data = CommunityData.from_frames(events=events)
    >>> table = InteractionFeatures().build(data)
    >>> table[["received_total", "amplifiers", "amplification"]]  # doctest: +NORMALIZE_WHITESPACE
               received_total  amplifiers  amplification
    member_id
    a                     3.0         2.0            1.0
    b                     0.0         0.0            0.0
    c                     0.0         0.0            0.0
    """

    _constraints: ClassVar[dict[str, list]] = {
        "weights": [dict, None],
        "default_weight": [Interval(float, 0, None)],
    }

    def __init__(self, weights=None, default_weight=1.0):
        self.weights = weights
        self.default_weight = default_weight

    def build(self, data) -> pd.DataFrame:
        """Build the interaction table.

        Parameters
        ----------
        data : clusterkit.data.CommunityData

        Returns
        -------
        pandas.DataFrame
            Index ``data.member_ids`` (name ``member_id``), float64 columns as in the
            class notes, no NaN.
        """
        self._validate_params()
        self.warnings_ = []
        index = data.member_ids.copy()
        index.name = "member_id"
        n = data.n_members
        cols = {c: np.zeros(n) for c in COLUMNS}
        tables = _tables(data, self.weights, self.default_weight)
        if tables is not None:
            received = query(
                _EDGES
                + """
                SELECT dst AS pos, count(*) AS received_total,
                       count(DISTINCT src) AS received_distinct,
                       count(DISTINCT src) FILTER (WHERE amp) AS amplifiers,
                       count(*) FILTER (WHERE amp) AS amp_received,
                       sum(weight) AS received_weight
                FROM edges GROUP BY dst
            """,
                tables,
            )
            engaged = query(
                _EDGES
                + """
                SELECT src AS pos, count(DISTINCT dst) AS engaged_distinct
                FROM edges GROUP BY src
            """,
                tables,
            )
            created = query(
                f"""
                SELECT m.pos, count(*) AS created FROM events e JOIN m USING (member_id)
                WHERE e.action IN ({_sql_list(CONTENT_ACTIONS)}) GROUP BY m.pos
            """,
                tables,
            )
            pos = received["pos"].to_numpy(dtype=np.int64)
            for c in ("received_total", "received_distinct", "amplifiers", "received_weight"):
                cols[c][pos] = received[c].to_numpy(dtype="float64")
            amp = np.zeros(n)
            amp[pos] = received["amp_received"].to_numpy(dtype="float64")
            n_created = np.zeros(n)
            n_created[created["pos"].to_numpy(dtype=np.int64)] = created["created"].to_numpy(
                dtype="float64"
            )
            cols["amplification"] = amp / (1.0 + n_created)
            cols["engaged_distinct"][engaged["pos"].to_numpy(dtype=np.int64)] = engaged[
                "engaged_distinct"
            ].to_numpy(dtype="float64")
        return pd.DataFrame(cols, index=index, columns=list(COLUMNS)).astype("float64")
