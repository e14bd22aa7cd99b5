"""The ``spark-submit`` entry of the feature table job (not a ``clusterkit`` command).

``spark-submit`` runs a Python file; this one builds the member × feature table of a dataset
folder on the session ``spark-submit`` made (its master, memory, file systems) and writes it
as Parquet::

    spark-submit --master yarn "$(python -c 'import clusterkit.cli.spark_submit as j;
    print(j.__file__)')" --data hdfs://nn/brand/2026-11 --out hdfs://nn/brand/features.parquet

``--config`` takes a run config (its ``features`` and engagement weights). The job itself is
:func:`clusterkit.engines.spark.job.features_job`. With ``--run``, a whole run instead
(:func:`clusterkit.cli.spark_run.run_on_spark`: features, member graph and rule roles on
the cluster, the other steps on the driver), whose run folder ``--out`` is written on the
driver's disk.
"""

from __future__ import annotations

import os
import sys

__all__ = ["main"]

if __name__ == "__main__":  # run as a file: its folder is first on sys.path, and it holds
    # profile.py, which would shadow the standard library's (cProfile, which pyspark imports)
    _here = os.path.dirname(os.path.abspath(__file__))
    sys.path[:] = [p for p in sys.path if os.path.abspath(p or os.curdir) != _here]


def main(argv=None) -> int:
    """``spark-submit spark_submit.py --data URI --out URI [--config FILE] [--run]``."""
    import argparse

    from pyspark.sql import SparkSession

    from clusterkit.config import load_config
    from clusterkit.engines.spark.job import features_job
    from clusterkit.engines.spark.session import DETERMINISTIC_SQL_CONF

    ap = argparse.ArgumentParser(description="The member x feature table on Spark.")
    ap.add_argument("--data", required=True, help="dataset folder (any Hadoop path)")
    ap.add_argument("--out", required=True, help="Parquet output (must not exist)")
    ap.add_argument("--config", default=None, help="run config YAML (default: built-in)")
    ap.add_argument("--run", action="store_true",
                    help="a whole run; --out is then a run folder on the driver's disk")
    args = ap.parse_args(argv)
    cfg = load_config(args.config)
    if args.run:  # refused before the session: a config a Spark run cannot take, a bad --out
        from clusterkit.cli.spark_run import check_spark_config
        from clusterkit.provenance import check_output

        check_spark_config(cfg)
        check_output(args.out, "run")
    spark = SparkSession.builder.appName("clusterkit features").getOrCreate()
    for key, value in DETERMINISTIC_SQL_CONF.items():
        spark.conf.set(key, value)
    if args.run:
        import clusterkit
        from clusterkit.cli.spark_run import run_on_spark

        result, data = run_on_spark(cfg, args.data, spark=spark)
        path = clusterkit.save_run(result, args.out, data=data, report=cfg.report.enabled,
                        max_points=cfg.report.max_points)
        print(f"{len(result.segments):,} members, {len(result.summary)} segments -> {path}")
        return 0
    n = features_job(spark, args.data, args.out, [(s.name, s.params) for s in cfg.features],
                     cfg.engagement_weights(), columns=cfg.columns)
    print(f"{n:,} members -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
