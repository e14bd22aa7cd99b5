"""Leiden on Spark for a member graph too large for the driver.

:func:`coarse_leiden` runs the three steps of :mod:`clusterkit.engines.coarse_leiden` with
the graph on Spark: local moving as DataFrame rounds (joins and aggregates; a Python loop
over *rounds*, never over members or edges), the graph of pieces collected and Leiden on it
on the driver, then the refinement rounds on Spark again. The driver holds the graph of
pieces and a few integers per member, never the member graph.

Assumptions
-----------
- The input is :func:`~clusterkit.engines.spark.member_graph.member_pairs`: each connected
  pair once, ``i < j``, positive weight, member positions as ids.
- Every round's state is checkpointed (``localCheckpoint``), which cuts its lineage.
- The arithmetic is written as :func:`clusterkit.engines.coarse_leiden.local_moving` writes
  it, term for term, so the communities are the one-machine reference's; sums run in
  Spark's order, so with non-integer weights a near tie can break the other way
  (``tests/test_engine_spark_community.py`` checks equality on integer weights).
- What local moving costs against Leiden on the whole graph is in
  ``experiments/results/coarse_leiden.md``.

Examples
--------
>>> from clusterkit.engines.spark.member_graph import member_pairs        # doctest: +SKIP
>>> pairs = member_pairs(coded, events, follows)                          # doctest: +SKIP
>>> labels, info = coarse_leiden(pairs, n_members, random_state=0)        # doctest: +SKIP
"""

from __future__ import annotations

from clusterkit.engines.coarse_leiden import REFINE_ROUNDS, ROUNDS
from clusterkit.errors import ConfigError

__all__ = ["coarse_leiden", "community_sums"]

_P = 2_147_483_647


def _tie(c, v, r: int):
    """:func:`clusterkit.engines.coarse_leiden.tie_key` as a Spark column."""
    from pyspark.sql import functions as F

    return F.pmod(F.pmod(c, F.lit(1_000_003)) * 7_919 + F.pmod(v, F.lit(1_000_033)) * 104_729
                  + F.lit(int(r) * 15_485_863), F.lit(_P))


def _active(v, r: int):
    """:func:`clusterkit.engines.coarse_leiden.active` as a Spark column."""
    from pyspark.sql import functions as F

    h = F.pmod(F.pmod(F.pmod(v, F.lit(_P)) * 48_271 + F.lit(int(r) * 16_807), F.lit(_P))
               * 69_621, F.lit(_P))
    return F.pmod(h, F.lit(2)) == 0


def _fresh(frame):
    """The same (checkpointed) rows as a new DataFrame that carries no size estimate.

    A checkpoint keeps the size estimate of the plan it cut, and Spark estimates a join
    as the product of its inputs' sizes: a round joins the state with itself, so the
    estimate would square every round and its exact big-integer arithmetic run the driver
    out of memory within about 20 rounds. Rebuilt from its rows, the state is estimated
    afresh (at ``spark.sql.defaultSizeInBytes``) every round. (Through the JVM session;
    under Spark Connect, which has none, the frame is returned as it is.)
    """
    from pyspark.sql import DataFrame

    session = frame.sparkSession
    if not hasattr(session, "_jsparkSession"):  # Spark Connect: no JVM objects at hand
        return frame
    return DataFrame(session._jsparkSession.createDataFrame(frame._jdf.rdd(),
                                                            frame._jdf.schema()), session)


def _round(und, state, gamma: float, r: int):
    """One round of local moving: the new state ``(vid, label, k)`` and the moves made."""
    from pyspark.sql import functions as F

    labels = state.select(F.col("vid").alias("dst"), F.col("label").alias("c"))
    s = und.join(labels, "dst").groupBy("src", "c").agg(F.sum("w").alias("s"))
    tot = state.groupBy(F.col("label").alias("c")).agg(F.sum("k").alias("tot"))
    me = state.select(F.col("vid").alias("src"), F.col("label").alias("L"), "k")
    cand = s.join(tot, "c").join(me, "src")
    own = F.col("c") == F.col("L")
    value = F.col("s") - F.lit(gamma) * F.col("k") * (
        F.col("tot") - F.when(own, F.col("k")).otherwise(F.lit(0.0)))
    cand = cand.select("src", "c", own.alias("own"), value.alias("v"))
    best = cand.groupBy("src").agg(
        F.min(F.struct((-F.col("v")).alias("nv"), _tie(F.col("c"), F.col("src"), r).alias("t"),
                       F.col("c").alias("c"))).alias("b"),
        F.max(F.when(F.col("own"), F.col("v"))).alias("stay_own"))
    # staying with no edge into one's own community: -gamma k (K_own - k)
    alone = (state.join(tot.withColumnRenamed("c", "label"), "label")
             .select("vid", (F.lit(-gamma) * F.col("k") * (F.col("tot") - F.col("k")))
                     .alias("stay_alone")))
    nxt = (state.join(best.withColumnRenamed("src", "vid"), "vid", "left").join(alone, "vid")
           .withColumn("stay", F.coalesce("stay_own", "stay_alone"))
           .withColumn("move", F.coalesce((-F.col("b.nv") > F.col("stay"))
                                          & (F.col("b.c") != F.col("label"))
                                          & _active(F.col("vid"), r), F.lit(False))))
    nxt = nxt.select("vid", F.when(F.col("move"), F.col("b.c")).otherwise(F.col("label"))
                     .alias("label"), "k", "move").localCheckpoint(eager=True)
    moved = nxt.where("move").count()
    return _fresh(nxt.select("vid", "label", "k")), moved


def coarse_leiden(pairs, n: int, *, objective: str = "modularity", resolution: float = 1.0,
                  n_iterations: int = 2, random_state: int = 0, rounds: int = ROUNDS,
                  refine_rounds: int = REFINE_ROUNDS, max_pairs: int | None = None,
                  limit_name: str = "max_pairs"):
    """Communities of the ``n`` members of a Spark member graph.

    Parameters
    ----------
    pairs : pyspark.sql.DataFrame or None
        ``(i, j, w)``, each connected pair once (:func:`member_pairs`); None: no edge.
    n : int
        Members (positions ``0 .. n - 1``).
    objective, resolution, n_iterations, random_state, rounds, refine_rounds
        As :func:`clusterkit.engines.coarse_leiden.coarse_leiden`.
    max_pairs : int, optional
        Most pairs of the graph of pieces collected to the driver (a one-line error above,
        naming the setting ``limit_name``).
    limit_name : str, default "max_pairs"

    Returns
    -------
    (labels, info)
        Canonical labels of the ``n`` members (-2 without an edge), and ``pieces``,
        ``pairs``, ``rounds`` and ``refine_rounds`` as the reference returns them, plus
        the members moved in each round of steps 1 and 3 (``moves``, ``refine_moves``).
    """
    import numpy as np
    import pyarrow as pa
    from pyspark.sql import functions as F

    from clusterkit.engines.coarse_leiden import named_communities
    from clusterkit.stages.base import ISOLATE
    from clusterkit.stages.cluster import canonical_labels

    if objective not in ("modularity", "cpm"):
        raise ConfigError(f"objective must be 'modularity' or 'cpm', got {objective!r}")
    labels = np.full(int(n), ISOLATE, dtype=np.int64)
    if pairs is None:
        return labels, {"pieces": 0, "pairs": 0, "rounds": 0, "refine_rounds": 0,
                        "moves": [], "refine_moves": []}
    und = (pairs.select(F.col("i").alias("src"), F.col("j").alias("dst"), "w")
           .unionByName(pairs.select(F.col("j").alias("src"), F.col("i").alias("dst"), "w"))
           .localCheckpoint(eager=True))
    if objective == "modularity":
        k = und.groupBy(F.col("src").alias("vid")).agg(F.sum("w").alias("k"))
    else:
        k = und.select(F.col("src").alias("vid")).distinct().withColumn("k", F.lit(1.0))
    state = _fresh(k.select("vid", F.col("vid").alias("label"), "k").localCheckpoint(eager=True))
    total = state.agg(F.sum("k").alias("t")).first()["t"] or 0.0
    if total <= 0:  # no pair at all: every member is alone
        return labels, {"pieces": 0, "pairs": 0, "rounds": 0, "refine_rounds": 0,
                        "moves": [], "refine_moves": []}
    gamma = float(resolution) / total if objective == "modularity" else float(resolution)
    state, r, moves = _moving(und, state, gamma, rounds)
    pieces, com, m = _coarse(pairs, state, gamma, n_iterations, random_state, max_pairs,
                             limit_name)
    member = state.select("vid", "label").orderBy("vid").toArrow()
    vid = member["vid"].to_numpy().astype(np.int64)  # ascending
    start = named_communities(
        com[np.searchsorted(pieces, member["label"].to_numpy().astype(np.int64))], vid, n)
    refine_run, refine_moves = 0, []
    if refine_rounds > 0:
        begin = pairs.sparkSession.createDataFrame(  # through Arrow, typed
            pa.table({"vid": pa.array(vid), "label": pa.array(start[vid])}))
        state = _fresh(begin.join(state.select("vid", "k"), "vid")
                       .select("vid", "label", "k").localCheckpoint(eager=True))
        state, refine_run, refine_moves = _moving(und, state, gamma, refine_rounds)
        member = state.select("vid", "label").toArrow()
        vid = member["vid"].to_numpy().astype(np.int64)
        start[vid] = member["label"].to_numpy().astype(np.int64)
    labels[vid] = start[vid]
    info = {"pieces": int(len(pieces)), "pairs": int(m), "rounds": int(r),
            "refine_rounds": int(refine_run), "moves": moves, "refine_moves": refine_moves}
    return canonical_labels(labels), info


def _moving(und, state, gamma: float, rounds: int):
    """Rounds of local moving until one moves no one: ``(state, rounds run, moves)``."""
    moves, r = [], 0
    for r in range(1, int(rounds) + 1):  # rounds, not members
        state, moved = _round(und, state, gamma, r)
        moves.append(int(moved))
        if not moved:
            break
    return state, r, moves


def _coarse(pairs, state, gamma: float, n_iterations: int, random_state: int,
            max_pairs: int | None, limit_name: str):
    """Step 2: the graph of pieces collected, and Leiden on it: ``(pieces, community of
    each piece, pairs of pieces)``."""
    import numpy as np
    from pyspark.sql import functions as F

    from clusterkit.engines.coarse_leiden import coarse_communities

    piece = state.select(F.col("vid").alias("i"), F.col("label").alias("pi"))
    cross = (pairs.join(piece, "i")
             .join(piece.select(F.col("i").alias("j"), F.col("pi").alias("pj")), "j")
             .where(F.col("pi") != F.col("pj"))
             .groupBy(F.least("pi", "pj").alias("a"), F.greatest("pi", "pj").alias("b"))
             .agg(F.sum("w").alias("w")).localCheckpoint(eager=True))
    m = cross.count()
    if max_pairs is not None and m > max_pairs:
        raise ConfigError(f"the graph of pieces has {m:,} pairs, more than {limit_name}="
                          f"{max_pairs:,} to collect to the driver; raise it (about 16 "
                          "bytes per pair)")
    c = cross.toArrow()
    weights = (state.groupBy("label").agg(F.sum("k").alias("k")).orderBy("label").toArrow())
    pieces = weights["label"].to_numpy().astype(np.int64)
    com = coarse_communities(c["a"].to_numpy().astype(np.int64),
                             c["b"].to_numpy().astype(np.int64),
                             c["w"].to_numpy().astype(np.float64), pieces,
                             weights["k"].to_numpy().astype(np.float64), gamma,
                             n_iterations, random_state)
    return pieces, com, int(m)


def community_sums(pairs, labels):
    """Each community's inner weight and volume, on Spark (for
    :func:`clusterkit.metrics.community_quality_from_sums`).

    Parameters
    ----------
    pairs : pyspark.sql.DataFrame
        ``(i, j, w)``, each connected pair once.
    labels : ndarray
        Community of each member position (-2: no edge).

    Returns
    -------
    (codes, inner, volume) : ndarrays, one row per community with an edge, codes ascending.
    """
    import numpy as np
    import pyarrow as pa
    from pyspark.sql import functions as F

    labels = np.asarray(labels, dtype=np.int64)
    keep = np.flatnonzero(labels >= 0).astype(np.int64)
    lab = pairs.sparkSession.createDataFrame(  # through Arrow, typed
        pa.table({"i": pa.array(keep), "c": pa.array(labels[keep])}))
    e = (pairs.join(lab, "i")
         .join(lab.select(F.col("i").alias("j"), F.col("c").alias("cj")), "j"))
    inner = (e.where(F.col("c") == F.col("cj")).groupBy("c").agg(F.sum("w").alias("inner")))
    ends = e.select("c", "w").unionByName(e.select(F.col("cj").alias("c"), "w"))
    sums = (ends.groupBy("c").agg(F.sum("w").alias("volume")).join(inner, "c", "left")
            .orderBy("c").toPandas())
    return (sums["c"].to_numpy(np.int64), sums["inner"].fillna(0.0).to_numpy(np.float64),
            sums["volume"].to_numpy(np.float64))
