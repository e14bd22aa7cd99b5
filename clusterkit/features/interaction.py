"""Interaction features: who acts on whom, from events aimed at a ``target_id``.

Only events whose ``target_id`` is another member count (outside accounts and
self-targeted events are ignored). Aggregation runs in DuckDB SQL; the matrix is built
with scipy.sparse. No Python loop over members or events.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from clusterkit.data.schema import CONTENT_ACTIONS
from clusterkit.data.sql import sql, sql_list
from clusterkit.graph.interaction import EDGES_SQL, edge_tables
from clusterkit.provenance import side_by_side, usable_cores
from clusterkit.registry import register
from clusterkit.stages.base import BaseStage
from clusterkit.weights import EngagementWeights

__all__ = ["CREATED_SQL", "ENGAGED_SQL", "InteractionFeatures", "RECEIVED_SQL"]

COLUMNS: tuple[str, ...] = (
    "received_total",
    "received_distinct",
    "amplifiers",
    "conversers",
    "amplification",
    "received_weight",
    "engaged_distinct",
)

RECEIVED_SQL = EDGES_SQL + """
    SELECT dst AS pos, count(*) AS received_total,
           count(DISTINCT src) AS received_distinct,
           count(DISTINCT src) FILTER (WHERE amp) AS amplifiers,
           count(DISTINCT src) FILTER (WHERE talk) AS conversers,
           count(*) FILTER (WHERE amp) AS amp_received,
           sum(weight) AS received_weight
    FROM edges GROUP BY dst
"""
"""What each member receives from other members (over :data:`EDGES_SQL`'s tables); the
Spark engine runs the same text (:mod:`clusterkit.engines.spark.interaction`)."""
ENGAGED_SQL = EDGES_SQL + """
    SELECT src AS pos, count(DISTINCT dst) AS engaged_distinct FROM edges GROUP BY src
"""
"""Distinct other members each member acted on."""
CREATED_SQL = f"""
    SELECT src AS pos, count(*) AS created FROM events
    WHERE action IN ({sql_list(CONTENT_ACTIONS)}) GROUP BY src
"""
"""Content each member created (every event of a ``CONTENT_ACTIONS`` action)."""

@register("features", "interaction")
class InteractionFeatures(BaseStage):
    """How much, and by how many, each member is acted on by other members.

    Counted events are those with a ``target_id`` that is another member; events aimed
    at outside accounts or at oneself are ignored.

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
    ``conversers``        distinct members who mentioned, replied to or commented on the
                          member (``CONVERSATION_ACTIONS``: amplifiers who did more than
                          reshare)
    ``amplification``     amplifying events received / (1 + content the member created,
                          i.e. its ``CONTENT_ACTIONS`` events, targeted or not)
    ``received_weight``   sum of the action weights of events received (the run's
                          :class:`~clusterkit.weights.EngagementWeights`; unknown actions
                          weigh its ``default``)
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
    >>> table[["received_total", "amplifiers", "conversers"]]  # doctest: +NORMALIZE_WHITESPACE
               received_total  amplifiers  conversers
    member_id
    a                     3.0         2.0         1.0
    b                     0.0         0.0         0.0
    c                     0.0         0.0         0.0
    """

    _constraints: ClassVar[dict[str, list]] = {}

    def build(self, data, weights: EngagementWeights | None = None) -> pd.DataFrame:
        """Build the interaction table.

        Parameters
        ----------
        data : clusterkit.data.CommunityData
        weights : EngagementWeights, optional
            The run's engagement weights, for ``received_weight`` (defaults when omitted).

        Returns
        -------
        pandas.DataFrame
            Index ``data.member_ids`` (name ``member_id``), float64 columns as in the
            class notes, no NaN.
        """
        self.warnings_ = []
        index = data.member_ids.copy()
        index.name = "member_id"
        n = data.n_members
        cols = {c: np.zeros(n) for c in COLUMNS}
        tables = edge_tables(data, weights)
        if tables is not None:
            # three independent queries, each on its own one-thread connection
            # (deterministic), side by side where the process may use more than one core
            received, engaged, created = side_by_side(
                lambda q: sql(q, **tables), [(RECEIVED_SQL,), (ENGAGED_SQL,), (CREATED_SQL,)],
                usable_cores())
            pos = received["pos"].to_numpy(dtype=np.int64)
            for c in ("received_total", "received_distinct", "amplifiers", "conversers",
                      "received_weight"):
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
