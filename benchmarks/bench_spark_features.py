"""The default feature table on Spark ``local[N]`` beside the DuckDB builders, in one run.

The data of :func:`clusterkit.synthetic.generate` (seed 0, ``N_MEMBERS`` members), written
to Parquet and read back on both sides as a user's files would be: the single machine by
:func:`clusterkit.data.load_dataset` then :func:`clusterkit.features.build_features` with
the default builders, Spark by :func:`clusterkit.engines.spark.feature_table` on
the tables of :func:`~clusterkit.engines.spark.read_tables` (the result brought back to
pandas). Prints the times, their ratio
and the largest absolute difference over every column (issue 13: equal to 1e-9).

Run: ``.venv/bin/python benchmarks/bench_spark_features.py [N_MEMBERS] [MASTER]``
(defaults 20000 and ``local[2]``; prints markdown).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
warnings.filterwarnings("ignore", message="The copy keyword is deprecated")


def _clock(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(n_members: int = 20_000, master: str = "local[2]") -> None:
    from clusterkit.config import RunConfig
    from clusterkit.data import load_dataset
    from clusterkit.engines.spark import feature_table, local_session, read_tables
    from clusterkit.features import build_features
    from clusterkit.synthetic import generate

    tables = generate(n_members, seed=0).tables
    tmp = tempfile.mkdtemp(prefix="bench_spark_features_")
    for name in ("members", "events", "follows"):
        tables[name].to_parquet(os.path.join(tmp, f"{name}.parquet"))
    specs = [(s.name, s.params) for s in RunConfig().features]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data, t_load = _clock(lambda: load_dataset(tmp))
    (want, _), t_one = _clock(lambda: build_features(data, specs))
    spark, t_start = _clock(lambda: local_session(master, shuffle_partitions=4,
                                                  driver_memory="3g"))

    def on_spark():
        read = read_tables(spark, tmp)
        return feature_table(read.get("events"), read.get("follows"), read.get("members")
                             ).toPandas().set_index("member_id")

    got, t_spark = _clock(on_spark)
    gap = float((got.loc[want.index, list(want.columns)] - want).abs().to_numpy().max())
    print(f"{n_members:,} members, {len(data.events):,} events, {len(data.follows):,} "
          f"follows; {want.shape[1]} columns; Spark {master} start {t_start:.1f} s\n")
    print("| step | single machine (s) | Spark (s) | Spark / single |")
    print("|---|---:|---:|---:|")
    print(f"| read + feature table | {t_load + t_one:.1f} (load {t_load:.1f}, features "
          f"{t_one:.1f}) | {t_spark:.1f} | {t_spark / (t_load + t_one):.1f}× |")
    print(f"\nLargest absolute difference over every column: {gap:.2e} "
          f"(same columns in the same order: {list(got.columns) == list(want.columns)})")
    spark.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 20_000,
         sys.argv[2] if len(sys.argv) > 2 else "local[2]")
