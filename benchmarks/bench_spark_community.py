"""Communities of a Spark run: the member graph collected and Leiden on the driver, against
Leiden on a graph of pieces on Spark (what a run does above ``engine.spark_collect_pairs``),
in one run (issue 13).

On one dataset folder and one ``local[N]`` session: the member graph's pairs are built on
Spark once (timed), then

- **collected**: the pairs brought to the driver and the default ``leiden`` stage fitted
  there (igraph, 2 iterations), as a run below the limit does;
- **on Spark**: :func:`clusterkit.engines.spark.community.coarse_leiden` (local moving
  rounds, the graph of pieces collected, Leiden on it, refinement rounds).

Printed as markdown: seconds of each, what the driver receives (pairs of the member graph,
or pairs of the graph of pieces), rounds, modularity on the member graph, NMI against the
planted communities (``truth.csv`` when the folder has one) and between the two.

Run: ``.venv/bin/python benchmarks/bench_spark_community.py DATA [MASTER] [DRIVER_MEMORY]``
(defaults ``local[2]`` and ``4g``), e.g. on ``clusterkit generate --members 100000 --format
parquet --out /tmp/g100k``.
"""

from __future__ import annotations

import sys
import time
import warnings
from pathlib import Path


def main(data: str, master: str = "local[2]", driver_memory: str = "4g") -> None:
    import pandas as pd

    from clusterkit.engines.spark import local_session, read_tables
    from clusterkit.engines.spark.community import coarse_leiden
    from clusterkit.engines.spark.member_graph import collect_pairs, member_pairs
    from clusterkit.engines.spark.table import member_table
    from clusterkit.metrics import modularity, nmi
    from clusterkit.registry import create_stage

    warnings.filterwarnings("ignore", message="PySpark does not yet fully support")
    spark = local_session(master, shuffle_partitions=4, driver_memory=driver_memory)
    spark.conf.set("spark.sql.execution.arrow.pyspark.enabled", "true")
    tables = read_tables(spark, data)
    ev, fo, me = (tables.get(k) for k in ("events", "follows", "members"))
    t0 = time.perf_counter()
    coded, _ = member_table(ev, fo, me)
    coded = coded.localCheckpoint(eager=True)
    pairs = member_pairs(coded, ev, fo)
    n_pairs = pairs.count()
    t_pairs = time.perf_counter() - t0
    ids = coded.orderBy("pos").select("member_id").toPandas()["member_id"]
    n = len(ids)

    t0 = time.perf_counter()
    graph = collect_pairs(pairs, n, m=n_pairs)
    t_collect = time.perf_counter() - t0
    t0 = time.perf_counter()
    whole = create_stage("community", "leiden", {"random_state": 0}).fit(graph).labels_
    t_leiden = time.perf_counter() - t0

    t0 = time.perf_counter()
    coarse, info = coarse_leiden(pairs, n, random_state=0)
    t_coarse = time.perf_counter() - t0

    truth_file = Path(data) / "truth.csv"
    truth = None
    if truth_file.exists():
        t = pd.read_csv(truth_file, dtype={"member_id": str}).set_index("member_id")
        truth = t["community"].reindex(ids.to_numpy()).to_numpy()
    known = None if truth is None else ~pd.isna(truth)

    def vs_truth(labels):
        return "–" if truth is None else f"{nmi(truth[known].astype(str), labels[known]):.4f}"

    q_whole, q_coarse = modularity(graph, whole), modularity(graph, coarse)
    print(f"Data `{data}`: {n:,} members, {n_pairs:,} connected pairs; Spark {spark.version} "
          f"`{master}`, driver {driver_memory}. Pairs built on Spark in {t_pairs:.1f} s.\n")
    print("| communities | seconds | driver receives | modularity | NMI vs planted |")
    print("|---|---|---|---|---|")
    print(f"| collected, `leiden` on the driver | {t_collect + t_leiden:.1f} (collect "
          f"{t_collect:.1f}, fit {t_leiden:.1f}) | {n_pairs:,} pairs | {q_whole:.4f} | "
          f"{vs_truth(whole)} |")
    print(f"| on Spark, graph of pieces | {t_coarse:.1f} ({info['rounds']} + "
          f"{info['refine_rounds']} rounds) | {info['pairs']:,} pairs of {info['pieces']:,} "
          f"pieces | {q_coarse:.4f} | {vs_truth(coarse)} |")
    print(f"\nNMI between the two: {nmi(whole, coarse):.4f}; ratio of seconds "
          f"{t_coarse / (t_collect + t_leiden):.1f}x; moves per round {info['moves']}, "
          f"refinement {info['refine_moves']}.")
    spark.stop()


if __name__ == "__main__":
    main(*sys.argv[1:])
