"""The scoring step's data-wide parts on Spark: engagement per member and channel, and the
two influence components that read every event or follow.

:class:`~clusterkit.stages.scoring.engagement.EngagementScoring` and
:func:`~clusterkit.stages.scoring.influence.influence_table` read more than the feature
table in three places only: every event's weight (engagement), the weighted interaction
graph (``authority``, its PageRank) and the follow graph two hops deep (``reach_2hop``).
Here each is DataFrame work where the rows are:

- :func:`engagement_frame`: one row per (member, channel) with its summed weight, the
  action weight × channel multiplier (or the action × channel pair's weight) × time decay
  to the latest event, as the stage defines it;
- :func:`authority_frame`: PageRank on the interaction graph (edge weight: each action's
  count times its weight, added in the order of the sorted action names, as
  :func:`clusterkit.graph.interaction.fold_weights` does on one machine, so the weights
  are the same bits; without interactions, the follow graph between members), times the
  member count. The edge list goes to the driver for the single-machine power iteration
  below ``max_edges`` edges (bit for bit the same ranks); above it,
  :func:`~clusterkit.engines.spark.graph.pagerank` iterates on Spark (the same definition
  and stopping rule, sums in Spark's order);
- :func:`two_hop_frame`: the min-hash sketches of two-hop reach, partition by partition
  (:func:`~clusterkit.stages.scoring.components.sketch_uniforms` gives each member's hash
  values from its id and the seed alone), two minimum aggregates per chunk of hashes.

The rest of influence (percentile ranks over all members, the components read from the
feature table, the weights the data supports) is per-member arithmetic on the run's
collected feature table, on the driver.

Assumptions
-----------
- Members are coded by :func:`~clusterkit.engines.spark.table.member_table` (``pos``: the
  position in the sorted member ids), follows counted once per (follower, followee) with
  self-follows dropped, and a follower is always a member (DESIGN §2), as the loader has it.
- ``timestamp`` is a Spark TIMESTAMP (microseconds): ages in days equal pandas' to
  rounding (1e-12 relative).
- Executors run Python with clusterkit installed (the sketches' hash is computed there by
  the single-machine function, a pandas function over each partition).
- Engagement's sums run in Spark's order: it equals one machine's to rounding (1e-9
  relative, tested). Two-hop reach is exact (minima, then the same NumPy sum per member);
  authority too on the driver path (its edge weights are folded in a fixed order), and
  equal to about 1e-16 per value on the Spark path (the iterations' sums).
- The tables are as :func:`~clusterkit.engines.spark.io.read_tables` gives them (ids and
  labels trimmed, empty text missing, actions in lower case, as the loader has them).

Examples
--------
>>> from clusterkit.engines.spark.scoring import engagement_frame      # doctest: +SKIP
>>> engagement_frame(events, coded).orderBy("member_id", "channel").show()  # doctest: +SKIP
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from clusterkit.engines.spark.member_graph import member_edges

__all__ = ["AUTHORITY_MAX_EDGES", "authority_frame", "engagement_frame", "fitted_scoring",
           "spark_scoring", "two_hop_frame"]

AUTHORITY_MAX_EDGES = 300_000_000
"""Most interaction (or follow) edges collected to the driver for ``authority``'s PageRank
(about 60 bytes each there at the peak: the collected columns, the matrix and the walk);
above it the power iteration runs on Spark. A run on Spark uses
``engine.spark_collect_pairs`` instead."""


def _lookup(spark, rows, schema: str):
    from pyspark.sql import functions as F

    return F.broadcast(spark.createDataFrame(rows, schema))


def engagement_frame(events, coded, weights=None):
    """Engagement weight per member and channel, on Spark.

    Parameters
    ----------
    events : pyspark.sql.DataFrame
        DESIGN §2's events (``member_id``, ``action``, ``timestamp``; ``channel`` optional).
    coded : pyspark.sql.DataFrame
        ``member_id``, ``pos`` (:func:`~clusterkit.engines.spark.table.member_table`).
    weights : clusterkit.weights.EngagementWeights, optional
        The run's engagement weights (DESIGN §2 defaults when omitted).

    Returns
    -------
    pyspark.sql.DataFrame
        ``pos``, ``channel`` (a missing channel is ``"unknown"``), ``weight``: one row per
        member and channel it has events on.
    """
    from pyspark.sql import functions as F

    from clusterkit.weights import EngagementWeights

    ew = weights if weights is not None else EngagementWeights()
    spark = events.sparkSession
    channel = (F.coalesce(F.col("channel").cast("string"), F.lit("unknown"))
               if "channel" in events.columns else F.lit("unknown"))
    ev = events.select("member_id", "action", "timestamp", channel.alias("channel"))
    actions = _lookup(spark, sorted(ew.table.items()) or [("", 0.0)],
                      "action string, aw double")
    ev = ev.join(actions, "action", "left")
    w = F.coalesce(F.col("aw"), F.lit(float(ew.default)))
    if ew.channels:
        mult = _lookup(spark, sorted((str(c), float(v)) for c, v in ew.channels.items()),
                       "channel string, cw double")
        ev = ev.join(mult, "channel", "left")
        w = w * F.coalesce(F.col("cw"), F.lit(1.0))
    if ew.pairs:
        pairs = sorted((str(a), str(c), float(v)) for a, row in ew.pairs.items()
                       for c, v in row.items())
        ev = ev.join(_lookup(spark, pairs, "action string, channel string, pw double"),
                     ["action", "channel"], "left")
        w = F.coalesce(F.col("pw"), w)
    if ew.half_life_days is not None:
        latest = ev.agg(F.max(F.unix_micros("timestamp"))).first()[0]  # no time zone
        micros = F.lit(latest) - F.unix_micros("timestamp")
        age = micros.cast("double") / F.lit(1e6) / F.lit(86400.0)
        w = w * F.pow(F.lit(0.5), age / F.lit(float(ew.half_life_days)))
    return (ev.join(coded, "member_id").groupBy("pos", "channel")
            .agg(F.sum(w).alias("weight")))


def _interaction_edges(events, coded, weights):
    """(src, dst, weight) of events by one member aimed at another: per pair, each action's
    count times its weight (an unknown action: ``weights.default``; a missing one: 1, as
    :data:`clusterkit.graph.interaction.EDGES_SQL` has it), added in the order of the sorted
    action names from 0 (:func:`clusterkit.graph.interaction.fold_weights`: the same bits
    as one machine's); zero sums dropped."""
    from pyspark.sql import functions as F

    from clusterkit.graph.interaction import action_ranks

    seen = [r[0] for r in events.select("action").distinct().collect()]  # a handful
    place, weight = action_ranks([a for a in seen if a is not None] + list(weights.table),
                                 weights)
    rows = sorted((a, i, float(weight[i])) for a, i in place.items())
    ranks = _lookup(events.sparkSession, rows or [("", 0, 0.0)],
                    "action string, r int, aw double")
    last = F.lit(len(weight) - 1)  # a missing action: the last place, weight 1
    e = (member_edges(events.select("member_id", "target_id", "action"), coded,
                      "member_id", "target_id").join(ranks, "action", "left")
         .select("src", "dst", F.coalesce("r", last).alias("r"),
                 F.coalesce("aw", F.lit(float(weight[-1]))).alias("aw")))
    per_action = e.groupBy("src", "dst", "r", "aw").agg(F.count("*").alias("c")).select(
        "src", "dst", F.struct("r", (F.col("c") * F.col("aw")).alias("x")).alias("t"))
    folded = F.aggregate(F.array_sort(F.collect_list("t")), F.lit(0.0),
                         lambda acc, t: acc + t["x"])
    return (per_action.groupBy("src", "dst").agg(folded.alias("weight"))
            .where(F.col("weight") != 0))


def authority_frame(coded, events=None, follows=None, weights=None, *, damping: float = 0.85,
                    max_edges: int = AUTHORITY_MAX_EDGES, n: int | None = None):
    """``authority`` per member: :func:`clusterkit.stages.scoring.components.authority`.

    Parameters
    ----------
    coded : pyspark.sql.DataFrame
        ``member_id``, ``pos``.
    events, follows : pyspark.sql.DataFrame, optional
    weights : clusterkit.weights.EngagementWeights, optional
        The action weights of the interaction graph (DESIGN §2 defaults when omitted).
    damping : float, default 0.85
    max_edges : int
        Most edges collected for the driver's power iteration; above, Spark iterates.
    n : int, optional
        The number of members, when counted.

    Returns
    -------
    (pandas.DataFrame, str)
        ``pos``, ``authority`` for every member; and where the PageRank ran (``"driver"``,
        ``"spark"`` or ``"none"`` without edges).
    """
    from pyspark.sql import functions as F

    from clusterkit.weights import EngagementWeights

    n = int(coded.count()) if n is None else int(n)
    ew = weights if weights is not None else EngagementWeights()
    edges, m = None, 0
    if events is not None and "target_id" in events.columns:
        edges = _interaction_edges(events, coded, ew).persist()
        m = edges.count()
    if m == 0 and follows is not None:  # no interactions: who follows whom is left
        if edges is not None:
            edges.unpersist()
        edges = (member_edges(follows.select("follower_id", "followee_id"), coded,
                              "follower_id", "followee_id").select("src", "dst").distinct()
                 .withColumn("weight", F.lit(1.0)).persist())
        m = edges.count()
    try:
        return _pagerank(edges, m, coded, n, damping, max_edges)
    finally:
        if edges is not None:
            edges.unpersist()  # persisted, not checkpointed: this frees the executors


def _pagerank(edges, m: int, coded, n: int, damping: float, max_edges: int):
    """:func:`authority_frame`'s PageRank of ``m`` weighted edges, on the driver or Spark."""
    from pyspark.sql import functions as F

    if m == 0:
        return pd.DataFrame({"pos": np.arange(n, dtype=np.int64), "authority": 0.0}), "none"
    if m <= max_edges:
        import scipy.sparse as sp

        from clusterkit.graph import pagerank

        t = edges.toPandas()
        adj = sp.csr_array((t["weight"].to_numpy(np.float64),
                            (t["src"].to_numpy(np.int64), t["dst"].to_numpy(np.int64))),
                           shape=(n, n))
        del t
        adj.sum_duplicates()  # one row per pair already: this sorts the indices only
        return pd.DataFrame({"pos": np.arange(n, dtype=np.int64),
                             "authority": pagerank(adj, damping=damping) * n}), "driver"
    from clusterkit.engines.spark.edges import SparkGraph
    from clusterkit.engines.spark.graph import pagerank as spark_pagerank

    graph = SparkGraph(edges=edges, vertices=coded.select(F.col("member_id").alias("id"),
                                                          F.col("pos").alias("vid")),
                       n=n, m=int(m))
    ranks = spark_pagerank(graph, damping=damping).table.join(
        coded.withColumnRenamed("member_id", "id"), "id").select("pos", "pagerank").toPandas()
    ranks = ranks.sort_values("pos", kind="stable")
    return pd.DataFrame({"pos": ranks["pos"].to_numpy(np.int64),
                         "authority": ranks["pagerank"].to_numpy(np.float64) * n}), "spark"


def two_hop_frame(coded, follows, *, n_hashes: int = 64, random_state: int | None = 0,
                  chunk: int = 16, n: int | None = None):
    """``reach_2hop`` per member: :func:`clusterkit.stages.scoring.components.two_hop_reach`.

    One pass per chunk of ``chunk`` hashes: every member's hash values (computed per
    partition from its id), the minimum over each member's followers, then over its
    followers' followers; each member's sum of the two-hop minima comes to the driver,
    where the chunks add up in the single-machine order.

    Parameters
    ----------
    coded : pyspark.sql.DataFrame
        ``member_id``, ``pos``.
    follows : pyspark.sql.DataFrame or None
    n_hashes, random_state, chunk
        As :func:`~clusterkit.stages.scoring.components.two_hop_reach` (``chunk``: the
        hashes of a pass and the order of the sums). At 100,000 members on ``local[2]``,
        passes of 16 took 27.1 s, of 32 27.4 s and one of 64 29.4 s (summed in chunks of
        16 alike): the work is in the rows each pass shuffles.
    n : int, optional
        The number of members, when counted.

    Returns
    -------
    numpy.ndarray
        The estimate per member, by ``pos``.
    """
    from pyspark.sql import functions as F

    from clusterkit.stages.scoring.components import (
        sketch_base,
        sketch_estimate,
        sketch_key,
        sketch_total,
        sketch_uniforms,
    )

    n = int(coded.count()) if n is None else int(n)
    if follows is None:
        return np.zeros(n)
    edges = (member_edges(follows.select("follower_id", "followee_id"), coded,
                          "follower_id", "followee_id").select("src", "dst").distinct()
             .persist())  # persisted: unpersist frees the executors (a checkpoint's blocks
    # go only when the JVM collects its frame); m1 below is checkpointed all the same: a
    # persisted m1 made the passes three times slower (77-84 s against 25 s at 100,000)
    has = np.zeros(n, dtype=bool)
    has[edges.select("dst").distinct().toPandas()["dst"].to_numpy(np.int64)] = True
    if not has.any():
        edges.unpersist()
        return np.zeros(n)
    key, total = sketch_key(random_state), np.zeros(n)
    for done in range(0, n_hashes, chunk):  # a loop over chunks of hashes, not members
        k = min(chunk, n_hashes - done)
        names = [f"h{c}" for c in range(k)]

        def hashes(batches, start=done, k=k, names=names):
            for part in batches:
                values = sketch_uniforms(sketch_base(part["member_id"], key), start, k)
                yield pd.DataFrame(values, columns=names).assign(
                    src=part["pos"].to_numpy(np.int64))

        h = coded.mapInPandas(hashes, ", ".join([f"{c} double" for c in names])
                              + ", src long")
        m1 = (edges.join(h, "src").groupBy(F.col("dst").alias("src"))
              .agg(*[F.min(c).alias(c) for c in names]).localCheckpoint(eager=True))
        m2 = edges.join(m1, "src").groupBy(F.col("dst").alias("pos")).agg(
            *[F.min(c).alias(f"t{c}") for c in names])
        both = m1.withColumnRenamed("src", "pos").join(m2, "pos", "left").select(
            "pos", *[F.least(c, f"t{c}").alias(c) for c in names])

        def totals(batches, names=names):
            for part in batches:  # the chunk's sum per member, as one machine sums it
                values = part[names].to_numpy(np.float64, na_value=np.inf)
                yield pd.DataFrame({"pos": part["pos"].to_numpy(np.int64),
                                    "total": sketch_total(np.ascontiguousarray(values))})

        got = both.mapInPandas(totals, "pos long, total double").toPandas()
        del m1, m2, both, h  # Spark's cleaner frees the checkpoint once these are gone
        total[got["pos"].to_numpy(np.int64)] += got["total"].to_numpy(np.float64)
    edges.unpersist()
    return sketch_estimate(total, has, n_hashes)


def spark_scoring(coded, events=None, follows=None, weights=None, *, random_state=0,
                  n_hashes: int = 64, max_edges: int = AUTHORITY_MAX_EDGES,
                  n: int | None = None) -> dict:
    """The scoring step's data-wide parts, computed on Spark and collected (by ``pos``).

    Returns
    -------
    dict
        ``engagement``: :func:`engagement_frame` as pandas (None without events);
        ``authority`` and ``reach_2hop``: one value per member, by ``pos``;
        ``authority_on``: where its PageRank ran (:func:`authority_frame`).
    """
    n = int(coded.count()) if n is None else int(n)
    auth, where = authority_frame(coded, events, follows, weights, max_edges=max_edges, n=n)
    return {
        "engagement": None if events is None else engagement_frame(events, coded,
                                                                   weights).toPandas(),
        "authority": auth["authority"].to_numpy(np.float64),
        "reach_2hop": two_hop_frame(coded, follows, n_hashes=n_hashes,
                                    random_state=random_state, n=n),
        "authority_on": where,
    }


def fitted_scoring(stage, parts: dict, positions, member_ids):
    """A fitted copy of the engagement ``stage`` and the influence components ``given`` to
    :func:`~clusterkit.stages.scoring.influence.influence_table`, from
    :func:`spark_scoring`'s ``parts``; ``positions[p]`` is where Spark's member ``p`` sits in
    ``member_ids`` (the data's members)."""
    positions = np.asarray(positions, dtype=np.int64)
    n = len(member_ids)
    fitted = stage.__class__(**stage.get_params(deep=False))
    frame = parts["engagement"]
    names = [] if frame is None else sorted(frame["channel"].unique())
    grid = np.zeros((n, len(names)))
    if names:
        column = pd.Index(names).get_indexer(frame["channel"])
        grid[positions[frame["pos"].to_numpy(np.int64)], column] = frame["weight"].to_numpy(
            np.float64)
    index = pd.Index(member_ids, name="member_id")
    fitted.by_channel_ = (pd.DataFrame(grid, index=index, columns=names) if names
                          else pd.DataFrame(index=index))  # as one machine's, columns too
    fitted.scores_ = grid.sum(axis=1)
    given = {}
    for name in ("authority", "reach_2hop"):
        values = np.empty(n)
        values[positions] = parts[name]
        given[name] = values
    return fitted, given
