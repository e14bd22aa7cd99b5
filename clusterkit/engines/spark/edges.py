"""A follows DataFrame coded for iteration: integer vertex codes and a clean edge table.

Assumptions
-----------
- The graph is the project's follow graph (:meth:`clusterkit.data.CommunityData.follow_matrix`):
  a directed edge follower → followee, **self-follows dropped and duplicate rows counted
  once**, and every id that appears in an edge or in the optional ``vertices`` table is a
  node (isolated members come in through ``vertices``).
- Vertices are coded by their position in the sorted ids (0 .. n-1, computed without a
  collect of the ids), so codes depend on the ids only and increase with the id: "the
  smallest code" of a set of vertices is its smallest id, and when every vertex is a member
  the code is the member's position in the canonical member index. Ids may be of any
  orderable Spark type (strings in the project).
- Both tables are materialised with ``localCheckpoint`` (on the executors; not
  fault-tolerant, which a batch job on one machine or a small cluster accepts).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from clusterkit.errors import ConfigError, DataError

__all__ = ["SparkGraph", "edge_table"]


@dataclass(frozen=True)
class SparkGraph:
    """A follow graph coded for iteration.

    Attributes
    ----------
    edges : pyspark.sql.DataFrame
        Columns ``src``, ``dst`` (long vertex codes): distinct directed edges, no self-loop.
    vertices : pyspark.sql.DataFrame
        Columns ``id`` (the original id) and ``vid`` (its position in sorted ids, long).
    n : int
        Number of vertices.
    m : int
        Number of (distinct, non-loop) edges.
    """

    edges: Any
    vertices: Any
    n: int
    m: int


def _check_frame(frame, columns, name):
    """Raise :class:`DataError` if ``frame`` is not a Spark DataFrame with ``columns``."""
    from pyspark.sql import DataFrame

    if not isinstance(frame, DataFrame):
        raise ConfigError(f"{name} must be a Spark DataFrame, got {type(frame).__name__}")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        raise DataError(f"missing column(s) {missing} (has {list(frame.columns)})", file=name)


def _rank(ids):
    """(id, vid) with ``vid`` the position of ``id`` in sorted order, 0 .. n-1.

    A global sort, then each row's index inside its sorted partition plus the number of
    rows in the partitions before it (one small collect: a count per partition). The codes
    depend on the ids only, not on where the sort's range boundaries fell.
    """
    from pyspark.sql import functions as F

    low = (1 << 33) - 1  # monotonically_increasing_id: partition << 33 | row in partition
    part = (ids.orderBy("id").select("id", F.spark_partition_id().alias("p"),
                                      F.monotonically_increasing_id().alias("m"))
            .localCheckpoint(eager=True))
    counts = sorted((r["p"], r["n"]) for r in part.groupBy("p").agg(F.count("*").alias("n"))
                    .collect())
    offsets, total = [], 0
    for p, count in counts:  # one entry per partition, not per vertex
        offsets.append((p, total))
        total += count
    spark = ids.sparkSession
    start = spark.createDataFrame(offsets or [(0, 0)], "p int, start long")
    return (part.join(F.broadcast(start), "p")
            .select("id", (F.col("start") + F.col("m").bitwiseAND(F.lit(low))).alias("vid"))
            .localCheckpoint(eager=True))


def edge_table(follows, vertices=None, *, src: str = "follower_id", dst: str = "followee_id",
               vertex_id: str = "member_id") -> SparkGraph:
    """Code a follows DataFrame (and optional vertex table) as a :class:`SparkGraph`.

    Parameters
    ----------
    follows : pyspark.sql.DataFrame
        One row per follow, with columns ``src`` and ``dst``.
    vertices : pyspark.sql.DataFrame, optional
        Extra nodes (e.g. all members, so members without follows are isolated nodes),
        column ``vertex_id``.
    src, dst : str
        Column names of follower and followee.
    vertex_id : str
        Column name of ``vertices``' ids.

    Returns
    -------
    SparkGraph

    Raises
    ------
    clusterkit.errors.DataError
        A column is missing, the two id columns have different types, or an id is null.
    """
    from pyspark.sql import functions as F

    _check_frame(follows, [src, dst], "follows")
    types = {follows.schema[src].dataType, follows.schema[dst].dataType}
    ids = [follows.select(F.col(src).alias("id")), follows.select(F.col(dst).alias("id"))]
    if vertices is not None:
        _check_frame(vertices, [vertex_id], "vertices")
        types.add(vertices.schema[vertex_id].dataType)
        ids.append(vertices.select(F.col(vertex_id).alias("id")))
    if len(types) > 1:
        raise DataError(f"id columns have different types {sorted(map(str, types))}; "
                        "cast them to one type", file="follows")
    nulls = follows.select(F.count(F.when(F.col(src).isNull() | F.col(dst).isNull(), 1))
                           .alias("n")).first()["n"]
    if nulls:
        raise DataError(f"{nulls} follow row(s) with a null {src} or {dst}", file="follows")
    all_ids = ids[0]
    for part in ids[1:]:
        all_ids = all_ids.unionByName(part)
    coded = _rank(all_ids.where(F.col("id").isNotNull()).distinct())
    n = coded.count()
    e = (follows.where(F.col(src) != F.col(dst)).select(F.col(src).alias("s"),
                                                         F.col(dst).alias("d")).distinct())
    code_s = coded.select(F.col("id").alias("s"), F.col("vid").alias("src"))
    code_d = coded.select(F.col("id").alias("d"), F.col("vid").alias("dst"))
    edges = (e.join(code_s, "s").join(code_d, "d").select("src", "dst")
             .localCheckpoint(eager=True))
    return SparkGraph(edges=edges, vertices=coded, n=int(n), m=int(edges.count()))
