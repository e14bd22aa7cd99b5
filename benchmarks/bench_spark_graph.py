"""Spark ``local[N]`` graph algorithms beside the single-machine engine, in one run.

The follow graph of :func:`clusterkit.synthetic.generate` (seed 0; ``N_MEMBERS`` members
following about 20 accounts each: about 1 M follows at 50,000 members), written to Parquet
and read by Spark as a user's files would be. For each algorithm the single-machine time
(scipy.sparse / igraph, on the follow matrix already built) and the Spark time
(:mod:`clusterkit.engines.spark.graph`, on the coded edge table, result brought back to
pandas) are measured in the same process, and their ratio printed; then the equality
figures of issue 13 (PageRank max abs difference, components identical, degrees identical).

Label propagation is not the same algorithm on both sides: igraph's is asynchronous and
randomised, Spark's synchronous with a fixed tie rule (see
:func:`clusterkit.engines.spark.graph.label_propagation`); its ratio is indicative only.

Run: ``.venv/bin/python benchmarks/bench_spark_graph.py [N_MEMBERS] [MASTER]``
(defaults 50000 and ``local[2]``; prints markdown).
"""

from __future__ import annotations

import os
import sys
import tempfile
import time
import warnings

import numpy as np
import pandas as pd

warnings.filterwarnings("ignore", message="PySpark does not yet fully support pandas")
warnings.filterwarnings("ignore", message="The copy keyword is deprecated")


def _clock(fn):
    t = time.perf_counter()
    out = fn()
    return out, time.perf_counter() - t


def main(n_members: int = 50_000, master: str = "local[2]") -> None:
    import igraph as ig
    from scipy.sparse.csgraph import connected_components as scipy_components
    from sklearn.metrics import normalized_mutual_info_score as nmi

    from clusterkit.data import CommunityData
    from clusterkit.engines.spark import (
        connected_components,
        degrees,
        edge_table,
        label_propagation,
        local_session,
        pagerank,
    )
    from clusterkit.graph import pagerank as pagerank_1
    from clusterkit.synthetic import generate

    synth, t_gen = _clock(lambda: generate(n_members, seed=0))
    tables = synth.tables
    members, follows = tables["members"][["member_id"]], tables["follows"]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        data, t_load = _clock(lambda: CommunityData.from_frames(members=members,
                                                                follows=follows))
        adj, t_adj = _clock(data.follow_matrix)
    nodes = np.asarray(data.node_ids(), dtype=object)
    rows, one = [], {}

    def _undirected():
        sym = (adj + adj.T).tocoo()
        keep = sym.row < sym.col
        return ig.Graph(n=adj.shape[0], edges=np.column_stack([sym.row[keep], sym.col[keep]]),
                        edge_attrs={"weight": sym.data[keep]})

    one["degrees"] = _clock(lambda: (np.asarray(adj.sum(axis=1)).ravel(),
                                     np.asarray(adj.sum(axis=0)).ravel()))
    one["pagerank"] = _clock(lambda: pagerank_1(adj))
    one["components"] = _clock(lambda: scipy_components(adj, directed=True,
                                                        connection="weak")[1])
    und, t_und = _clock(_undirected)
    lp = _clock(lambda: und.community_label_propagation(weights="weight").membership)
    one["label propagation"] = (lp[0], lp[1] + t_und)

    tmp = tempfile.mkdtemp(prefix="bench_spark_")
    follows[["follower_id", "followee_id"]].to_parquet(os.path.join(tmp, "follows.parquet"))
    members.to_parquet(os.path.join(tmp, "members.parquet"))
    spark, t_start = _clock(lambda: local_session(master, shuffle_partitions=4,
                                                  driver_memory="3g"))
    g, t_code = _clock(lambda: edge_table(spark.read.parquet(os.path.join(tmp, "follows.parquet")),
                                          spark.read.parquet(os.path.join(tmp, "members.parquet"))))
    sp = {}
    sp["degrees"] = _clock(lambda: (degrees(g).toPandas(), None))
    sp["pagerank"] = _clock(lambda: (lambda r: (r.table.toPandas(), r.iterations))(pagerank(g)))
    sp["components"] = _clock(
        lambda: (lambda r: (r.table.toPandas(), r.iterations))(connected_components(g)))
    sp["label propagation"] = _clock(
        lambda: (lambda r: (r.table.toPandas(), r.iterations))(label_propagation(g)))

    print(f"{n_members:,} members, {adj.shape[0]:,} nodes, {adj.nnz:,} follows; "
          f"generate {t_gen:.1f} s, load {t_load:.1f} s + matrix {t_adj:.1f} s; Spark "
          f"{master} start {t_start:.1f} s, read Parquet + code the edge table {t_code:.1f} s\n")
    print("| algorithm | single machine (s) | Spark (s) | iterations | Spark / single |")
    print("|---|---:|---:|---:|---:|")
    for name in ("degrees", "pagerank", "components", "label propagation"):
        (res, iters), t_spark = sp[name]
        t_one = one[name][1]
        rows.append((name, t_one, t_spark, iters))
        print(f"| {name} | {t_one:.2f} | {t_spark:.1f} | {iters if iters else '-'} | "
              f"{t_spark / t_one:,.0f}× |")

    pr = sp["pagerank"][0][0].set_index("id")["pagerank"].reindex(nodes).to_numpy()
    diff = float(np.abs(pr - one["pagerank"][0]).max())
    comp = sp["components"][0][0].set_index("id")["component"].sort_index()
    labels = pd.Series(one["components"][0], index=nodes)
    first = labels.index.to_series().groupby(labels.to_numpy()).transform("min").sort_index()
    deg = sp["degrees"][0][0].set_index("id").reindex(nodes)
    same_deg = bool((deg["out_degree"].to_numpy() == one["degrees"][0][0]).all()
                    and (deg["in_degree"].to_numpy() == one["degrees"][0][1]).all())
    truth = synth.truth["community"]
    lp_spark = sp["label propagation"][0][0].set_index("id")["community"].reindex(truth.index)
    lp_one = pd.Series(one["label propagation"][0], index=nodes).reindex(truth.index)
    print(f"\nPageRank max abs difference {diff:.2e}; components identical: "
          f"{bool((comp.to_numpy() == first.to_numpy()).all())} ({comp.nunique()}); degrees "
          f"identical: {same_deg}; label propagation: Spark {lp_spark.nunique()} communities, "
          f"NMI to the planted ones {nmi(truth, lp_spark):.3f}; igraph {lp_one.nunique()}, "
          f"NMI {nmi(truth, lp_one):.3f}; Spark vs igraph NMI {nmi(lp_one, lp_spark):.3f}")
    spark.stop()


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 50_000,
         sys.argv[2] if len(sys.argv) > 2 else "local[2]")
