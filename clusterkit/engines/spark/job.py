"""The feature table as a Spark job: read a dataset folder, build, write Parquet.

``clusterkit features --engine spark`` runs :func:`features_job` in a local session;
``spark-submit`` runs it on a cluster through :mod:`clusterkit.cli.spark_submit` (the
session then comes from ``spark-submit``, with its master, memory and file systems).

Assumptions
-----------
- The feature builders asked for are the default ones (``behaviour``, ``graph``,
  ``interaction``, in that order; ``graph`` may set ``damping``): the ones the Spark engine
  implements (:mod:`~clusterkit.engines.spark.table`). Another list is refused, not
  approximated.
- The output is written beside its final name and renamed into place through the Hadoop
  file system, so a failed job leaves no file under ``out`` (a rename is atomic on HDFS
  and local disks; on object stores it is a copy). An existing ``out`` is refused.
"""

from __future__ import annotations

import uuid

from clusterkit.errors import ConfigError

__all__ = ["SPARK_BUILDERS", "check_builders", "features_job"]

SPARK_BUILDERS: tuple[str, ...] = ("behaviour", "graph", "interaction")
"""The feature builders the Spark engine implements, in the default config's order."""


def check_builders(specs) -> float:
    """The ``graph`` builder's damping, or a one-line :class:`ConfigError` for builders the
    Spark engine does not have.

    ``specs`` is a list of ``(name, params)``, as :func:`clusterkit.features.build_features`
    takes them.
    """
    specs = [(name, dict(params or {})) for name, params in specs]
    names = [name for name, _ in specs]
    if names != list(SPARK_BUILDERS):
        raise ConfigError(f"the Spark engine builds the features {', '.join(SPARK_BUILDERS)} "
                          f"(in that order); the config asks for {', '.join(names) or 'none'}"
                          ": use --engine default, or the default features section")
    extra = sorted(k for name, params in specs for k in params
                   if (name, k) != ("graph", "damping"))
    if extra:
        raise ConfigError(f"the Spark engine takes no feature parameter but graph.damping; "
                          f"the config sets {extra}: use --engine default")
    return float(dict(specs)["graph"].get("damping", 0.85))


def _fs(spark, uri: str):
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()), path


def features_job(spark, data: str, out: str, specs=None, weights=None, columns=None) -> int:
    """Build the feature table of the dataset at ``data`` and write it to ``out`` (Parquet).

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    data : str
        Dataset folder, local or any Hadoop-compatible URI (:func:`read_tables`).
    out : str
        Parquet output (a folder of part files, as Spark writes), local or a URI.
    specs : list of (str, dict), optional
        The feature builders (:func:`check_builders`); default: the three default ones.
    weights : clusterkit.weights.EngagementWeights, optional
        The run's engagement weights (DESIGN §2 defaults when omitted).
    columns : dict, optional
        The config's ``columns`` mapping of file columns to the contract's.

    Returns
    -------
    int
        Members written (one row each: ``member_id`` and the feature columns).
    """
    from clusterkit.engines.spark.io import read_tables
    from clusterkit.engines.spark.table import feature_table

    damping = check_builders(specs if specs is not None else [(n, {}) for n in SPARK_BUILDERS])
    fs, target = _fs(spark, out)
    if fs.exists(target):
        raise ConfigError(f"--out {out!r} exists; remove it or choose another name")
    tables = read_tables(spark, data, columns=columns)
    table = feature_table(tables.get("events"), tables.get("follows"), tables.get("members"),
                          weights, damping=damping).localCheckpoint(eager=True)
    staging = f"{out.rstrip('/')}.tmp-{uuid.uuid4().hex[:8]}"
    try:
        table.write.parquet(staging)
        if not fs.rename(_fs(spark, staging)[1], target):
            raise ConfigError(f"could not move the finished table to {out!r}")
    finally:
        tmp_fs, tmp = _fs(spark, staging)
        if tmp_fs.exists(tmp):
            tmp_fs.delete(tmp, True)
    return int(table.count())
