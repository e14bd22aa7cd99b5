"""The community stage against the peers a user would otherwise call, on the same graph.

clusterkit's Leiden stage (igraph + leidenalg on scipy.sparse) against python-louvain and
networkx's Louvain, each timed from the same scipy.sparse member graph (conversion
included, since a user starts from their edge list). Each in its own process for peak memory.

Run: ``.venv/bin/python benchmarks/bench_community.py [N]`` (prints a markdown table).
"""

from __future__ import annotations

import sys
import textwrap

from _util import measure

SETUP = """
    import numpy as np, scipy.sparse as sp
    from clusterkit.data import CommunityData
    from clusterkit.data.synthetic import generate
    from clusterkit.graphs import member_graph
    from clusterkit.metrics import nmi, modularity
    s = generate({n}, seed=0)
    d = CommunityData.from_frames(**s.tables)
    g = member_graph(d)
    truth = s.truth.reindex(d.member_ids)["community"].to_numpy()
    t = time.perf_counter()
"""

PEERS = {
    "clusterkit leiden (igraph + leidenalg)": """
        from clusterkit.registry import create_stage
        labels = create_stage("community", "leiden", {{"random_state": 0}}).fit(g).labels_
    """,
    "clusterkit louvain stage (python-louvain)": """
        from clusterkit.registry import create_stage
        labels = create_stage("community", "louvain", {{"random_state": 0}}).fit(g).labels_
    """,
    "python-louvain best_partition (networkx graph)": """
        import networkx as nx, community as community_louvain
        G = nx.from_scipy_sparse_array(g)
        part = community_louvain.best_partition(G, weight="weight", random_state=0)
        labels = np.array([part[i] for i in range(g.shape[0])])
    """,
    "networkx louvain_communities": """
        import networkx as nx
        G = nx.from_scipy_sparse_array(g)
        comms = nx.community.louvain_communities(G, weight="weight", seed=0)
        labels = np.empty(g.shape[0], dtype=int)
        for i, c in enumerate(comms):
            labels[list(c)] = i
    """,
}


def main(n: int = 100_000) -> None:
    rows = []
    for name, body in PEERS.items():
        tail = """
            secs = time.perf_counter() - t
            result = dict(secs=secs, nmi=nmi(truth, labels), q=modularity(g, labels),
                          edges=int(g.nnz // 2))
        """
        code = "\n".join(textwrap.dedent(part) for part in (SETUP.format(n=n), body.format(),
                                                                 tail))
        rows.append((name, measure(code)))
    base = rows[0][1]["secs"]
    print(f"{n:,} members, {rows[0][1]['edges']:,} weighted undirected edges\n")
    print("| method | wall s | x clusterkit leiden | peak MiB (incl. data) | NMI | modularity |")
    print("|---|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['secs']:.2f} | {r['secs'] / base:.1f} | {r['peak_mb']:.0f} | "
              f"{r['nmi']:.3f} | {r['q']:.3f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
