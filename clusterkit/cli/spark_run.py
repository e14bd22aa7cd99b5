"""A whole run whose data-wide work runs on Spark: ``clusterkit run --engine spark``.

Spark reads the dataset (a local folder or any Hadoop-compatible URI) and builds the two
things of a run that read every event and follow: the member × feature table
(:func:`~clusterkit.engines.spark.feature_table`) and the member graph of community
detection (:func:`~clusterkit.engines.spark.member_graph`). With the ``rules`` role stage
(and no user labels to calibrate on) it also gives every member a role, partition by
partition (:func:`~clusterkit.engines.spark.roles.rule_roles`); with
``engine.spark_scoring``, the scoring step's parts that read every event or follow
(engagement per member and channel, influence's ``authority`` and ``reach_2hop``:
:mod:`clusterkit.engines.spark.scoring`). A member graph of more than
``engine.spark_collect_pairs`` pairs stays on Spark, where a ``leiden`` community stage
runs as Leiden on a graph of pieces (:mod:`clusterkit.engines.spark.community`), with
the community and graph metrics computed there too. The tables are then
collected to the driver as one :class:`~clusterkit.data.CommunityData`, and the run's other
steps (clustering, Leiden on the collected graph, influence's percentiles, segments,
attribution; roles from another stage) run there, as on one machine, with Spark's table,
graph, roles (and scoring) given to :class:`~clusterkit.pipeline.Pipeline` through its cache
(:func:`~clusterkit.pipeline.features_cache_key`, :func:`~clusterkit.pipeline.graph_cache_key`,
:func:`~clusterkit.pipeline.roles_cache_key`, :func:`~clusterkit.pipeline.scoring_cache_key`).

Assumptions
-----------
- The config's feature builders are the default ones (refused otherwise, before Spark
  starts: :func:`~clusterkit.engines.spark.job.check_builders`), and identity resolution is
  off (it changes who the members are before features; ``clusterkit resolve`` first).
- The driver holds the collected tables (about what ``load_dataset`` holds on one machine)
  and the member graph (16 bytes per connected pair); the run folder is written on the
  driver's disk.
- The feature table equals the single-machine builders' to rounding (1e-9; sums run in
  Spark's order) and the member graph to 1e-12, so roles and communities equal one
  machine's (tested in ``tests/test_engine_spark_run.py``); a value that sits on a
  threshold to within rounding could still differ.
- Roles on Spark need Python with clusterkit on the executors (a pandas function runs
  there; :mod:`clusterkit.engines.spark.roles`).
- Spark's own steps are timed in the manifest under ``engine.spark.timings_s``
  (``read`` is lazy; its work shows in the step that first reads).

Examples
--------
>>> from clusterkit.cli.spark_run import run_on_spark                # doctest: +SKIP
>>> result, data = run_on_spark(RunConfig(), "hdfs://nn/brand", master="yarn")  # doctest: +SKIP
>>> save_run(result, "run", data=data)                               # doctest: +SKIP
"""

from __future__ import annotations

import re
import time
from contextlib import contextmanager

__all__ = ["check_spark_config", "run_on_spark"]


def check_spark_config(config) -> float:
    """The ``graph`` builder's damping, or a one-line ``ConfigError`` for a config a Spark
    run cannot take (other feature builders; identity resolution on; community stage
    parameters out of range)."""
    from clusterkit.engines.spark.job import check_builders
    from clusterkit.errors import ConfigError
    from clusterkit.registry import create_stage

    damping = check_builders([(s.name, s.params) for s in config.features])
    # the community stage's parameters, checked before Spark starts (Spark may run it)
    create_stage("community", config.community.name, config.community.params)._validate_params()
    if config.engine.spark_scoring and config.scoring.name != "engagement":
        raise ConfigError(f"engine.spark_scoring: Spark scores with the engagement stage; "
                          f"the config's scoring stage is {config.scoring.name!r}: set "
                          "engine.spark_scoring to false")
    if config.identity.enabled:
        raise ConfigError("identity.enabled: a run on Spark builds features per account; "
                          "resolve identities first (clusterkit resolve) or use --engine "
                          "default")
    return damping


@contextmanager
def _timed(timings: dict, name: str, driver_memory: str | None = None):
    """Time a Spark step; a JVM failure becomes one line naming the step and the Java
    error (out of memory: a ``ConfigError`` that says to raise ``--driver-memory``)."""
    t0 = time.perf_counter()
    try:
        yield
    except Exception as exc:
        if not type(exc).__module__.startswith(("py4j", "pyspark")):
            raise
        text = str(exc)
        found = re.search(r"(?:java|org|scala)\.[\w.$]*(?:Exception|Error)[^\n]*", text)
        line = found.group(0).strip() if found else text.strip().splitlines()[0]
        if "OutOfMemoryError" in text:
            from clusterkit.errors import ConfigError

            raise ConfigError(f"Spark ran out of memory in its {name} step ({line}); give it "
                              f"more than --driver-memory {driver_memory or '(as set)'}, or "
                              "a cluster") from exc
        raise RuntimeError(f"Spark failed in its {name} step: {line}") from exc
    timings[name] = round(time.perf_counter() - t0, 3)


def _positions(ids, data):
    """Each of Spark's member ids' position in the collected data; a one-line error when
    they are not the data's members, once each."""
    from clusterkit.errors import DataError

    pos = data.member_index(ids)
    if len(pos) != data.n_members or (pos < 0).any():
        raise DataError(f"Spark found {len(pos):,} members and the collected tables "
                        f"{data.n_members:,}: the data changed while it was read; run again")
    return pos


def _aligned_features(table, data):
    """Spark's feature table (``member_id`` column) indexed as the single-machine table."""
    table = table.set_index("member_id")
    pos = _positions(table.index.to_numpy(dtype=object), data)
    out = table.iloc[pos.argsort(kind="stable")].astype("float64")
    out.index = data.member_ids.copy()
    out.index.name = "member_id"
    return out


def _aligned_graph(graph, ids, data):
    """The collected member graph (rows in Spark's member order ``ids``) in the data's."""
    import numpy as np

    pos = data.member_index(ids)
    if np.array_equal(pos, np.arange(len(pos))):
        return graph
    inverse = pos.argsort(kind="stable")
    out = graph[inverse][:, inverse]
    out.sort_indices()
    return out


CHUNK_ROWS = 2_000_000
"""Most rows of one table brought to the driver at a time (Spark assembles each collected
chunk in the driver's JVM: about 100 bytes per event row)."""


def _collected(frame, chunk_rows: int = CHUNK_ROWS, n: int | None = None):
    """A Spark table on the driver as pandas (Arrow strings, as ``load_dataset`` reads
    Parquet), collected in chunks of about ``chunk_rows`` rows by a hash of its id column
    (the first of ``member_id``, ``follower_id`` it has; of the whole row otherwise: 4x
    slower at 11.6 M events). ``n``: its rows, when known (counted otherwise)."""
    import pyarrow as pa
    from pyspark.sql import functions as F

    n = frame.count() if n is None else n
    k = max(1, -(-n // chunk_rows))
    if k == 1:
        return frame.toArrow().to_pandas()
    ids = [c for c in ("member_id", "follower_id") if c in frame.columns][:1] or frame.columns
    bucket = F.pmod(F.xxhash64(*[F.col(f"`{c}`") for c in ids]), F.lit(k))
    chunks = [frame.where(bucket == i).toArrow() for i in range(k)]
    table = pa.concat_tables(chunks)
    del chunks
    return table.to_pandas()


class _GivenOnce(dict):
    """A cache whose values are handed over when read: the run then holds the only
    reference, and lets go of the member graph after its community step."""

    def __getitem__(self, key):
        return self.pop(key)


def _spark_parts(spark, data: str, config, damping: float, timings: dict, say,
                 memory: str | None = None):
    """Spark's steps: ``(CommunityData, feature table, its warnings, member graph or None,
    fitted role stage or None, (fitted community stage, quality) or None)`` (the last when
    the graph stays on Spark); ``say(text)`` names each as it starts."""
    from clusterkit.data.validate import build_dataset
    from clusterkit.engines.spark import feature_table, member_table, read_tables
    from clusterkit.engines.spark.io import table_uris, unread_tables
    from clusterkit.engines.spark.member_graph import collect_pairs, member_pairs
    from clusterkit.features.behaviour import unknown_actions_note

    weights, g = config.engagement_weights(), config.graph
    say(f"Spark: reading {data}")
    with _timed(timings, "read", memory):
        uris = table_uris(spark, data)
        unread = unread_tables(spark, data, uris)
        tables = read_tables(spark, data, columns=config.columns, uris=uris)
    ev, fo, me = (tables.get(k) for k in ("events", "follows", "members"))
    say("Spark: feature table")
    with _timed(timings, "features", memory):
        coded, nodes = member_table(ev, fo, me)
        coded = coded.localCheckpoint(eager=True)  # the table's and the graph's members
        on_spark = feature_table(ev, fo, me, weights, damping=damping, coded=(coded, nodes))
        roler = _spark_roles(config)
        if roler is not None:  # the roles read the table once more, per partition
            on_spark = on_spark.localCheckpoint(eager=True)
        table = on_spark.toPandas()
    roles = None
    if roler is not None:
        say("Spark: roles")
        with _timed(timings, "roles", memory):
            from clusterkit.engines.spark.roles import rule_roles

            frame, found = rule_roles(on_spark, roler, weights)
            if len(table) > CHUNK_ROWS:  # collected in chunks: computed once, not per chunk
                frame = frame.localCheckpoint(eager=True)
            roles = (roler, _collected(frame, n=len(table)), found)
    del on_spark
    scoring = None
    if config.engine.spark_scoring:
        say("Spark: scoring")
        with _timed(timings, "scoring", memory):
            scoring = _spark_scoring(config, coded, ev, fo, weights, len(table))
    say("Spark: member graph")
    with _timed(timings, "graph", memory):
        pairs = member_pairs(coded, ev, fo, follow_weight=g.follow_weight,
                             interaction_weight=g.interaction_weight, hub_damping=g.hub_damping)
        n_pairs = 0 if pairs is None else pairs.count()
        ids = coded.orderBy("pos").select("member_id").toPandas()["member_id"]
        limit = config.engine.spark_collect_pairs
        graph = collect_pairs(pairs, len(ids), limit, n_pairs) if n_pairs <= limit else None
    community = None
    if graph is None:  # too large for the driver: Leiden on a graph of pieces, on Spark
        say(f"Spark: communities ({n_pairs:,} pairs, more than "
            f"engine.spark_collect_pairs={limit:,})")
        with _timed(timings, "community", memory):
            community = _spark_community(config, pairs, len(ids), n_pairs)
    say("Spark: collecting the tables")
    with _timed(timings, "collect", memory):
        frames = {name: _collected(frame) for name, frame in tables.items()}
        dataset = build_dataset(frames, sources=uris)
        del frames
    notes = list(unread)  # and the builder's one warning, from the events on the driver
    if dataset.events is not None:
        counts = dataset.events["action"].value_counts()
        note = unknown_actions_note(counts[counts > 0], weights)  # categories seen
        notes += [f"behaviour: {note}"] if note else []
    if roles is not None:
        from clusterkit.engines.spark.roles import fitted_roles

        roles = fitted_roles(*roles, dataset.member_ids, weights)
    ids = ids.to_numpy(dtype=object)
    if community is not None:
        community = _aligned_community(*community, ids, dataset)
    if scoring is not None:
        from clusterkit.engines.spark.scoring import fitted_scoring
        from clusterkit.registry import create_stage

        scoring = fitted_scoring(create_stage("scoring", config.scoring.name,
                                              config.scoring.params),
                                 scoring, _positions(ids, dataset), dataset.member_ids)
    return (dataset, _aligned_features(table, dataset), notes,
            None if graph is None else _aligned_graph(graph, ids, dataset), roles, community,
            scoring)


def _spark_scoring(config, coded, events, follows, weights, n: int) -> dict:
    """The scoring step's data-wide parts on Spark (:mod:`clusterkit.engines.spark.scoring`),
    with the seed and sketch size the run's influence stage takes; authority's edges come
    to the driver up to ``engine.spark_collect_pairs``, as the member graph's pairs do."""
    from clusterkit.engines.spark.scoring import spark_scoring
    from clusterkit.stages.base import derive_seed
    from clusterkit.stages.scoring.influence import InfluenceScoring

    return spark_scoring(coded, events, follows, weights,
                         random_state=derive_seed(config.seed, "influence"),
                         n_hashes=InfluenceScoring().n_hashes,
                         max_edges=config.engine.spark_collect_pairs, n=n)


def _spark_community(config, pairs, n: int, n_pairs: int):
    """``(stage, labels, quality)``: the config's ``leiden`` stage run on Spark as Leiden on
    a graph of pieces (labels in Spark's member order), and the run's community and graph
    metrics computed there; a one-line error for another stage."""
    import numpy as np

    from clusterkit.engines.spark.community import coarse_leiden, community_sums
    from clusterkit.errors import ConfigError
    from clusterkit.metrics import community_quality_from_sums
    from clusterkit.pipeline import Pipeline
    from clusterkit.stages.cluster import _seed

    spec = config.community
    if spec.name != "leiden":
        raise ConfigError(f"community: the member graph has {n_pairs:,} pairs, more than "
                          f"engine.spark_collect_pairs={config.engine.spark_collect_pairs:,};"
                          f" only the leiden stage runs on Spark (got {spec.name!r}): use "
                          "leiden, or raise the limit (about 16 bytes per pair on the driver)")
    stage = Pipeline(config)._stage("community", spec, "community")  # the run's own seed
    stage._validate_params()
    labels, info = coarse_leiden(pairs, n, objective=stage.objective,
                                 resolution=stage.resolution, n_iterations=stage.n_iterations,
                                 random_state=_seed(stage.random_state),
                                 max_pairs=config.engine.spark_collect_pairs,
                                 limit_name="engine.spark_collect_pairs")
    codes, inner, volume = community_sums(pairs, labels)
    quality = community_quality_from_sums(labels, codes, inner, volume)
    graph = {"n_edges": int(n_pairs), "total_weight": float(volume.sum() / 2),
             "isolated_share": float(np.mean(labels == -2)) if n else 0.0}
    method = {"method": "leiden on a graph of pieces, on Spark (igraph)",
              "pieces": info["pieces"], "piece_pairs": info["pairs"],
              "rounds": info["rounds"], "refine_rounds": info["refine_rounds"]}
    return stage, labels, {"community": {"stage": "leiden", **method, **quality},
                           "graph": graph}


def _aligned_community(stage, labels, quality, ids, data):
    """The fitted stage, with labels in the data's member order, and its quality."""
    import numpy as np

    from clusterkit.stages.cluster import canonical_labels

    out = np.empty(len(labels), dtype=np.int64)
    out[_positions(ids, data)] = labels
    stage.labels_ = canonical_labels(out)
    stage.n_communities_ = quality["community"]["n_communities"]
    stage.modularity_ = quality["community"]["modularity"]
    return stage, quality


def _spark_roles(config):
    """The config's role stage when Spark runs it (``rules``, with no user labels to
    calibrate on), unfitted; None when the driver does."""
    from clusterkit.registry import create_stage

    if config.roles.name != "rules" or config.labels_file:
        return None
    return create_stage("roles", config.roles.name, config.roles.params)


def run_on_spark(config, data: str, *, master: str = "local[2]", driver_memory: str = "2g",
                 spark=None, progress=None, detail=None):
    """Run ``config`` on the dataset at ``data`` with its features and graph built on Spark.

    Parameters
    ----------
    config : clusterkit.config.RunConfig
        Default feature builders, identity off (:func:`check_spark_config`).
    data : str
        Dataset folder, local or any Hadoop-compatible URI.
    master : str, default "local[2]"
        Spark master of the local session started when ``spark`` is not given.
    driver_memory : str, default "2g"
        That session's driver memory (``local[N]`` runs its tasks in the driver).
    spark : pyspark.sql.SparkSession, optional
        A session to use (``spark-submit``'s, a notebook's).
    progress, detail : callable, optional
        As :meth:`clusterkit.pipeline.Pipeline.run`.

    Returns
    -------
    (RunResult, CommunityData)
        The result, whose manifest's ``engine.spark`` names the master, the version, what
        Spark built and its steps' seconds; and the collected data (for ``save_run``).
    """
    import warnings

    from clusterkit.engines.spark import local_session
    from clusterkit.pipeline import (
        Pipeline,
        community_cache_key,
        features_cache_key,
        graph_cache_key,
        roles_cache_key,
        scoring_cache_key,
    )

    damping = check_spark_config(config)
    # PySpark 4 warns on every pandas conversion that pandas 3 is not fully supported; the
    # run converts plain columns only (issue 13)
    warnings.filterwarnings("ignore", message="PySpark does not yet fully support")
    timings: dict = {}
    if detail is not None:
        detail("spark", f"starting Spark ({master})")
    with _timed(timings, "start", driver_memory):
        spark = spark if spark is not None else local_session(master, shuffle_partitions=4,
                                                             driver_memory=driver_memory)
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    dataset, table, notes, graph, roles, community, scoring = _spark_parts(
        spark, data, config, damping, timings,
        (lambda text: detail("spark", text)) if detail is not None else (lambda text: None),
        spark.conf.get("spark.driver.memory", None))
    fingerprint = dataset.fingerprint()
    cache = _GivenOnce({(fingerprint, features_cache_key(config)): (table, notes)})
    if graph is not None:
        cache[(fingerprint, graph_cache_key(config))] = graph
    if community is not None:
        cache[(fingerprint, community_cache_key(config))] = community
    if roles is not None:
        cache[(fingerprint, roles_cache_key(config))] = roles
    if scoring is not None:
        cache[(fingerprint, scoring_cache_key(config))] = scoring
    del table, graph, roles, community, scoring
    result = Pipeline(config).run(dataset, progress=progress, cache=cache, detail=detail)
    result.manifest["engine"]["spark"] = {
        "master": spark.sparkContext.master, "version": spark.version,
        "built": ["features", "member graph", *(["roles"] if "roles" in timings else []),
                  *(["scoring"] if "scoring" in timings else []),
                  *(["communities"] if "community" in timings else [])],
        "timings_s": timings}
    return result, dataset
