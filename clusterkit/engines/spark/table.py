"""The default feature table on Spark: behaviour, graph and interaction columns.

:func:`feature_table` gives, for data held as Spark DataFrames, the member × feature table
that :func:`clusterkit.features.build_features` gives with the default builders
(``behaviour``, ``graph``, ``interaction``): the same columns, in the same order, equal to
1e-9 (``tests/test_engine_spark.py``). Event aggregation runs the builders' own SQL text
(:func:`~clusterkit.engines.spark.features.spark_sql`); degrees, reciprocity and PageRank
are DataFrame work over the coded follow graph; the k-core and PageRank are computed on the
driver, from the collected edge list (two integers per edge), by the single-machine
:func:`~clusterkit.features.graph.coreness` and :func:`clusterkit.graph.pagerank`: the
k-core's hundreds of peeling rounds would each be a Spark job, and PageRank's power
iteration on a graph whose edges are on the driver anyway is faster there (on a graph too
large for the driver, :func:`clusterkit.engines.spark.pagerank` is the same definition).

Assumptions
-----------
- The tables follow DESIGN §2 and are already typed: ids are strings, ``timestamp`` is a
  Spark TIMESTAMP (the session in UTC), ``value`` and the members' ``followers`` numeric or
  numeric text. Validation (:func:`clusterkit.data.load_dataset`) is not repeated here.
- Members are as :func:`clusterkit.data.load_dataset` defines them: with a members table,
  its ids and every actor (``events.member_id``, ``follows.follower_id``); accounts only
  referenced (``target_id``, ``followee_id``) are outside accounts. Without a members
  table every id is a member. Outside accounts are nodes of the follow graph (they take
  part in PageRank and the k-core) but get no row.
- The k-core and PageRank need the edge list on the driver: 8 bytes per distinct follow
  (and its sparse matrix, about 12 more). Above ``kcore_max_edges`` edges it raises a
  one-line error instead of running out of memory.

Examples
--------
>>> from clusterkit.engines.spark import local_session, feature_table   # doctest: +SKIP
>>> spark = local_session()                                             # doctest: +SKIP
>>> table = feature_table(events=spark.read.parquet("data/events.parquet"),
...                       follows=spark.read.parquet("data/follows.parquet"))  # doctest: +SKIP
"""

from __future__ import annotations

from clusterkit.errors import ConfigError

__all__ = ["KCORE_MAX_EDGES", "feature_table", "member_table"]

KCORE_MAX_EDGES = 500_000_000
"""Default limit on the follows collected to the driver for the k-core (4 GB of codes)."""


def _ids(frame, column):
    from pyspark.sql import functions as F

    return frame.select(F.col(column).alias("member_id")).where(F.col("member_id").isNotNull())


def member_table(events=None, follows=None, members=None):
    """Members coded by position, and every node of the follow graph.

    Returns
    -------
    members : pyspark.sql.DataFrame
        ``member_id``, ``pos`` (its position in the sorted member ids, long).
    nodes : pyspark.sql.DataFrame
        ``member_id``: members and outside accounts.
    """
    from clusterkit.engines.spark.edges import _rank

    actors, referenced = [], []
    if events is not None:
        actors.append(_ids(events, "member_id"))
        if "target_id" in events.columns:
            referenced.append(_ids(events, "target_id"))
    if follows is not None:
        actors.append(_ids(follows, "follower_id"))
        referenced.append(_ids(follows, "followee_id"))
    if not actors and members is None:
        raise ConfigError("feature_table needs events or follows (DESIGN §2)")
    listed = [_ids(members, "member_id")] if members is not None else []
    pool = listed + actors + ([] if members is not None else referenced)
    ids = pool[0]
    for part in pool[1:]:
        ids = ids.unionByName(part)
    coded = _rank(ids.distinct().withColumnRenamed("member_id", "id"))
    coded = coded.select(coded["id"].alias("member_id"), coded["vid"].alias("pos"))
    nodes = coded.select("member_id")
    for part in referenced if members is not None else []:
        nodes = nodes.unionByName(part)
    return coded, nodes.distinct()


def _interaction(events, coded, weights):
    """The interaction columns, by the SQL text of the DuckDB builder."""
    from pyspark.sql import functions as F

    from clusterkit.engines.spark.features import spark_sql
    from clusterkit.features.interaction import (
        COLUMNS,
        CREATED_SQL,
        ENGAGED_SQL,
        RECEIVED_SQL,
    )

    spark = coded.sparkSession
    if events is None or "target_id" not in events.columns:
        return coded.select("member_id", *[F.lit(0.0).alias(c) for c in COLUMNS])
    table = dict(weights.table)
    seen = [r[0] for r in events.select("action").distinct().collect()]  # a handful
    table.update({a: float(weights.default) for a in seen if a is not None and a not in table})
    src = coded.select(F.col("member_id"), F.col("pos").alias("src"))
    dst = coded.select(F.col("member_id").alias("target_id"), F.col("pos").alias("dst"))
    (events.select("member_id", "target_id", "action").join(src, "member_id")
     .join(dst, "target_id", "left")
     .select("src", F.coalesce("dst", F.lit(-1)).alias("dst"), "action")
     .createOrReplaceTempView("events"))
    spark.createDataFrame(sorted(table.items()), "action string, weight double") \
        .createOrReplaceTempView("aw")
    received = spark.sql(spark_sql(RECEIVED_SQL))
    engaged = spark.sql(spark_sql(ENGAGED_SQL))
    created = spark.sql(spark_sql(CREATED_SQL))
    c = coded.join(received, coded["pos"] == received["pos"], "left").drop(received["pos"])
    c = c.join(engaged, c["pos"] == engaged["pos"], "left").drop(engaged["pos"])
    c = c.join(created, c["pos"] == created["pos"], "left").drop(created["pos"])
    z = {k: F.coalesce(F.col(k), F.lit(0)).cast("double") for k in (
        "received_total", "received_distinct", "amplifiers", "conversers", "amp_received",
        "received_weight", "engaged_distinct", "created")}
    return c.select("member_id", z["received_total"].alias("received_total"),
                    z["received_distinct"].alias("received_distinct"),
                    z["amplifiers"].alias("amplifiers"),
                    z["conversers"].alias("conversers"),
                    (z["amp_received"] / (F.lit(1.0) + z["created"])).alias("amplification"),
                    z["received_weight"].alias("received_weight"),
                    z["engaged_distinct"].alias("engaged_distinct"))


def _reported(members):
    """The members table's ``followers`` as a double, missing or not finite → 0, or None."""
    from pyspark.sql import functions as F

    if members is None or "followers" not in members.columns:
        return None
    x = F.expr("try_cast(followers AS DOUBLE)")  # malformed text: NULL, as pandas' coerce
    ok = x.isNotNull() & ~F.isnan(x) & (F.abs(x) != float("inf"))
    return members.select("member_id", F.when(ok, x).otherwise(0.0).alias("reported_followers"))


def _on_driver(g, damping: float, max_edges: int):
    """(vid, pagerank, kcore) from the collected edge list, by the single-machine functions.

    The k-core's peeling rounds (hundreds) would each be Spark jobs; with the edge codes on
    the driver for it, PageRank's power iteration runs there too (the definition and
    stopping rule of :func:`clusterkit.engines.spark.pagerank`, which a graph too large
    for the driver would use).
    """
    import numpy as np
    import pandas as pd
    import scipy.sparse as sp

    from clusterkit.features.graph import coreness
    from clusterkit.graph import pagerank

    if g.m > max_edges:
        raise ConfigError(f"the k-core collects the follow edges to the driver: {g.m:,} "
                          f"edges is more than kcore_max_edges={max_edges:,}; raise it "
                          "(8 bytes per edge on the driver) or drop the graph builder")
    edges = g.edges.select("src", "dst").toPandas()
    adj = sp.csr_array((np.ones(len(edges)), (edges["src"].to_numpy(np.int64),
                                              edges["dst"].to_numpy(np.int64))),
                       shape=(g.n, g.n))
    del edges
    frame = pd.DataFrame({"vid": np.arange(g.n, dtype=np.int64),
                          "pagerank": pagerank(adj, damping=damping) * float(g.n),
                          "kcore": coreness(adj).astype("float64")})
    return g.edges.sparkSession.createDataFrame(frame)


def _graph(follows, coded, nodes, members, damping: float, max_edges: int):
    """The graph columns (followers, following, reciprocity, pagerank, kcore and, with a
    reported count, reported_followers)."""
    from pyspark.sql import functions as F

    from clusterkit.engines.spark.edges import edge_table

    reported = _reported(members)
    if follows is None:
        out = coded.select("member_id", *[F.lit(0.0).alias(c) for c in (
            "followers", "following", "reciprocity", "pagerank", "kcore")])
        if reported is not None:
            out = (out.drop("followers").join(reported, "member_id", "left")
                   .select("member_id", F.coalesce("reported_followers", F.lit(0.0))
                           .alias("followers"), "following", "reciprocity", "pagerank",
                           "kcore", F.coalesce("reported_followers", F.lit(0.0))
                           .alias("reported_followers")))
        return out
    g = edge_table(follows, nodes)
    e = g.edges
    back = e.select(F.col("dst").alias("src"), F.col("src").alias("dst"), F.lit(1).alias("b"))
    per = (e.join(back, ["src", "dst"], "left").groupBy(F.col("src").alias("vid"))
           .agg(F.count("*").alias("out_d"), F.count("b").alias("mutual")))
    into = e.groupBy(F.col("dst").alias("vid")).agg(F.count("*").alias("in_d"))
    v = (g.vertices.withColumnRenamed("id", "member_id").join(coded, "member_id")
         .join(per, "vid", "left").join(into, "vid", "left")
         .join(_on_driver(g, damping, max_edges), "vid"))
    out_d = F.coalesce("out_d", F.lit(0)).cast("double")
    cols = [F.coalesce("in_d", F.lit(0)).cast("double").alias("followers"),
            out_d.alias("following"),
            F.when(out_d > 0, F.coalesce("mutual", F.lit(0)) / out_d).otherwise(0.0)
            .alias("reciprocity"),
            F.col("pagerank"),
            F.col("kcore")]
    out = v.select("member_id", *cols)
    if reported is not None:
        out = out.join(reported, "member_id", "left").fillna(0.0, ["reported_followers"])
    return out


def feature_table(events=None, follows=None, members=None, weights=None, *,
                  damping: float = 0.85, kcore_max_edges: int = KCORE_MAX_EDGES, coded=None):
    """The default member × feature table, on Spark.

    Parameters
    ----------
    events, follows, members : pyspark.sql.DataFrame, optional
        The dataset's tables (DESIGN §2; see the module's assumptions). At least one of
        ``events`` and ``follows``.
    weights : clusterkit.weights.EngagementWeights, optional
        The run's engagement weights (DESIGN §2 defaults when omitted).
    damping : float, default 0.85
        PageRank damping (the ``graph`` builder's parameter).
    kcore_max_edges : int
        Most follow edges collected to the driver for the k-core.
    coded : tuple, optional
        :func:`member_table`'s ``(coded, nodes)`` of these tables, when already made.

    Returns
    -------
    pyspark.sql.DataFrame
        ``member_id`` and the columns of ``build_features`` with the default builders,
        all double, one row per member, ordered by ``member_id``.
    """
    from pyspark.sql import functions as F

    from clusterkit.engines.spark.features import behaviour_table
    from clusterkit.features.behaviour import BASE_COLUMNS
    from clusterkit.weights import EngagementWeights

    if events is None and follows is None:
        raise ConfigError("feature_table needs events or follows (DESIGN §2)")
    ew = weights if weights is not None else EngagementWeights()
    coded, nodes = coded if coded is not None else member_table(events, follows, members)
    coded = coded.localCheckpoint(eager=True)
    if events is not None:
        behaviour = behaviour_table(events, coded.select("member_id"), ew)
    else:
        behaviour = coded.select("member_id", *[F.lit(0.0).alias(c) for c in BASE_COLUMNS])
    parts = [behaviour, _graph(follows, coded, nodes, members, float(damping),
                               int(kcore_max_edges)),
             _interaction(events, coded, ew)]
    out = parts[0]
    for part in parts[1:]:
        out = out.join(part, "member_id")
    columns = [c for part in parts for c in part.columns if c != "member_id"]
    return out.select("member_id", *columns).orderBy("member_id")
