"""The member graph that community detection runs on, built on Spark.

:func:`member_graph` gives the matrix of :func:`clusterkit.graph.member_graph` (follows and
interactions between members, symmetric, weighted, outside accounts left out), built as
DataFrame aggregates and collected as its upper triangle: three numbers per pair of members
that follow or act on each other. The run config's community stage then runs on it, on the
driver, as on one machine (Leiden then gives the same communities; tested in
``tests/test_engine_spark_features.py``).

Assumptions
-----------
- Members are coded by :func:`~clusterkit.engines.spark.table.member_table` (positions in
  the sorted member ids), so the matrix's rows are the single-machine engine's.
- Follows are counted once per (follower, followee) and self-follows dropped, as the
  loader does; interactions are events whose ``target_id`` is another member.
- The collected graph must fit the driver: about 16 bytes per connected pair, plus the
  community stage's own memory. Above ``max_pairs`` pairs a one-line error says so;
  :func:`member_pairs` keeps the graph on Spark, where
  :func:`~clusterkit.engines.spark.community.coarse_leiden` finds its communities and
  collects only a graph of pieces.

Examples
--------
>>> from clusterkit.engines.spark import local_session, member_graph      # doctest: +SKIP
>>> g = member_graph(coded, events=events, follows=follows)               # doctest: +SKIP
"""

from __future__ import annotations

from clusterkit.errors import ConfigError

__all__ = ["MAX_PAIRS", "collect_pairs", "member_edges", "member_graph", "member_pairs"]

MAX_PAIRS = 300_000_000
"""Default limit on the member pairs collected to the driver."""


def member_edges(frame, coded, src: str, dst: str, *, names=("src", "dst")):
    """``frame``'s rows between two different members, with the members' positions in
    columns ``names`` (rows naming an outside account, or a member twice, are left out)."""
    from pyspark.sql import functions as F

    a = coded.select(F.col("member_id").alias(src), F.col("pos").alias(names[0]))
    b = coded.select(F.col("member_id").alias(dst), F.col("pos").alias(names[1]))
    return frame.join(a, src).join(b, dst).where(F.col(names[0]) != F.col(names[1]))


def _follows(follows, coded, weight: float, hub_damping: float):
    """(i, j, w): every follow between members, weighted, hub-damped."""
    from pyspark.sql import functions as F

    e = member_edges(follows.select("follower_id", "followee_id"), coded, "follower_id",
                     "followee_id", names=("i", "j")).select("i", "j").distinct()
    w = F.lit(float(weight))
    if hub_damping > 0:
        indeg = e.groupBy("j").agg(F.count("*").cast("double").alias("k"))
        med = indeg.agg(F.expr("percentile(k, 0.5)").alias("m")).first()["m"] or 0.0
        e = e.join(indeg, "j").withColumn(
            "d", F.pow(F.least(F.lit(1.0), F.lit(med + 1.0) / (F.col("k") + 1.0)),
                       F.lit(float(hub_damping))))
        return e.select("i", "j", (w * F.col("d")).alias("w"))
    return e.select("i", "j", w.alias("w"))


def _interactions(events, coded, weight: float):
    """(i, j, w): ``weight * log1p(n)`` for ``n`` events by member i aimed at member j."""
    from pyspark.sql import functions as F

    return (member_edges(events.select("member_id", "target_id"), coded, "member_id",
                         "target_id", names=("i", "j"))
            .groupBy("i", "j").agg(F.count("*").alias("n"))
            .select("i", "j", (F.lit(float(weight)) * F.log1p(F.col("n"))).alias("w")))


def member_pairs(coded, events=None, follows=None, *, follow_weight: float = 1.0,
                 interaction_weight: float = 1.0, hub_damping: float = 0.0):
    """The member graph on Spark, not collected: ``(i, j, w)`` with ``i < j``, one row per
    connected pair, checkpointed (possibly empty); None when the config's weights or the
    data give no kind of edge (no follows, no ``target_id``).

    Parameters as :func:`member_graph`.
    """
    from pyspark.sql import functions as F

    parts = []
    if follow_weight > 0 and follows is not None:
        parts.append(_follows(follows, coded, follow_weight, hub_damping))
    if interaction_weight > 0 and events is not None and "target_id" in events.columns:
        parts.append(_interactions(events, coded, interaction_weight))
    if not parts:
        return None
    both = parts[0] if len(parts) == 1 else parts[0].unionByName(parts[1])
    lo, hi = F.least("i", "j"), F.greatest("i", "j")  # a + a.T, one row per unordered pair
    return (both.select(lo.alias("i"), hi.alias("j"), "w").groupBy("i", "j")
            .agg(F.sum("w").alias("w")).where(F.col("w") != 0).localCheckpoint(eager=True))


def member_graph(coded, events=None, follows=None, *, follow_weight: float = 1.0,
                 interaction_weight: float = 1.0, hub_damping: float = 0.0,
                 max_pairs: int = MAX_PAIRS):
    """The member graph, built on Spark and collected as a ``scipy.sparse.csr_array``.

    Parameters
    ----------
    coded : pyspark.sql.DataFrame
        ``member_id``, ``pos`` (:func:`~clusterkit.engines.spark.table.member_table`).
    events, follows : pyspark.sql.DataFrame, optional
    follow_weight, interaction_weight, hub_damping : float
        As :func:`clusterkit.graph.member_graph` (the run config's ``graph`` section).
    max_pairs : int
        Most member pairs collected to the driver.

    Returns
    -------
    scipy.sparse.csr_array
        Shape ``(n_members, n_members)``, symmetric, zero diagonal: the single-machine
        matrix to rounding (sums run in Spark's order).
    """
    n = int(coded.count())
    pairs = member_pairs(coded, events, follows, follow_weight=follow_weight,
                         interaction_weight=interaction_weight, hub_damping=hub_damping)
    return collect_pairs(pairs, n, max_pairs)


def collect_pairs(pairs, n: int, max_pairs: int = MAX_PAIRS, m: int | None = None):
    """:func:`member_pairs` on the driver as the symmetric ``csr_array`` of ``n`` members
    (a one-line error above ``max_pairs`` pairs; ``m``: their number, when counted)."""
    import numpy as np
    import scipy.sparse as sp

    if pairs is None:
        return sp.csr_array((n, n), dtype=np.float64)
    m = pairs.count() if m is None else m
    if m > max_pairs:
        raise ConfigError(f"the member graph has {m:,} connected pairs, more than "
                          f"max_pairs={max_pairs:,} to collect to the driver; raise it (about "
                          "16 bytes per pair) or find communities on Spark "
                          "(clusterkit.engines.spark.community.coarse_leiden)")
    t = pairs.toPandas()
    i, j, w = (t["i"].to_numpy(np.int64), t["j"].to_numpy(np.int64),
               t["w"].to_numpy(np.float64))
    del t
    out = sp.csr_array((np.r_[w, w], (np.r_[i, j], np.r_[j, i])), shape=(n, n))
    out.sort_indices()
    return out
