"""The community stage against the peers a user would otherwise call, on the same graph.

clusterkit's Leiden stage (igraph + leidenalg on scipy.sparse) against igraph's Leiden
called directly, python-louvain, networkx's Louvain and networkit's PLM on one thread (and
clusterkit's ``plm`` stage, the large tier's), each timed from the same scipy.sparse member
graph (conversion included, since a user starts from their edge list; imports are not
timed). Each in its own process for peak memory.

Run: ``.venv/bin/python benchmarks/bench_community.py [N]`` (prints a markdown table).
"""

from __future__ import annotations

import sys
import textwrap

from _util import measure

SETUP = """
    import numpy as np, scipy.sparse as sp
    from clusterkit.metrics import nmi, modularity
    import clusterkit.registry, igraph, networkx, community  # imports are not timed
    try:
        import networkit
    except ImportError:
        pass
    g = sp.csr_array(sp.load_npz("{path}/graph.npz"))
    truth = np.load("{path}/truth.npy")
    t = time.perf_counter()
"""

MAKE = """
    import numpy as np, scipy.sparse as sp
    from clusterkit.data import CommunityData
    from clusterkit.synthetic.community import generate
    from clusterkit.graph import member_graph
    s = generate({n}, seed=0)
    d = CommunityData.from_frames(**s.tables)
    sp.save_npz("{path}/graph.npz", sp.csr_matrix(member_graph(d)))
    np.save("{path}/truth.npy", s.truth.reindex(d.member_ids)["community"].to_numpy())
    result = dict()
"""

PEERS = {
    "clusterkit leiden (engine igraph, default)": """
        from clusterkit.registry import create_stage
        labels = create_stage("community", "leiden", {{"random_state": 0}}).fit(g).labels_
    """,
    "igraph community_leiden, called directly (modularity, its defaults)": """
        import igraph as ig
        upper = sp.triu(g, k=1).tocoo()
        G = ig.Graph(n=g.shape[0], edges=np.column_stack([upper.row, upper.col]).tolist(),
                     edge_attrs={{"weight": upper.data}})
        ig.set_random_number_generator(__import__("random").Random(0))
        labels = np.array(G.community_leiden(objective_function="modularity",
                                             weights="weight").membership)
    """,
    "clusterkit plm (engine: large; NetworKit's Louvain, one thread)": """
        from clusterkit.registry import create_stage
        labels = create_stage("community", "plm", {{"random_state": 0}}).fit(g).labels_
    """,
    "networkit PLM called directly (Louvain, refined, one thread)": """
        import networkit as nk
        nk.engineering.setNumberOfThreads(1)
        upper = sp.triu(g, k=1).tocoo()
        G = nk.GraphFromCoo((upper.data, (upper.row, upper.col)), n=g.shape[0],
                            weighted=True, directed=False)
        labels = np.array(nk.community.detectCommunities(
            G, algo=nk.community.PLM(G, refine=True), inspect=False).getVector())
    """,
    "clusterkit leiden (engine leidenalg)": """
        from clusterkit.registry import create_stage
        params = {{"random_state": 0, "engine": "leidenalg"}}
        labels = create_stage("community", "leiden", params).fit(g).labels_
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
    import tempfile

    rows = []
    tmp = tempfile.mkdtemp()
    measure(textwrap.dedent(MAKE.format(n=n, path=tmp)))
    base_mb = measure(textwrap.dedent(SETUP.format(path=tmp)) + "\nresult = dict()\n")
    for name, body in PEERS.items():
        tail = """
            secs = time.perf_counter() - t
            result = dict(secs=secs, nmi=nmi(truth, labels), q=modularity(g, labels),
                          edges=int(g.nnz // 2))
        """
        code = "\n".join(textwrap.dedent(part) for part in (SETUP.format(path=tmp),
                                                                 body.format(), tail))
        rows.append((name, measure(code)))
    base = rows[0][1]["secs"]
    print(f"{n:,} members, {rows[0][1]['edges']:,} weighted undirected edges (the default "
          f"member graph of the synthetic data); loading the graph alone peaks at "
          f"{base_mb['peak_mb']:.0f} MiB\n")
    print("| method | wall s | x clusterkit leiden | peak MiB | NMI | modularity |")
    print("|---|---|---|---|---|---|")
    for name, r in rows:
        print(f"| {name} | {r['secs']:.2f} | {r['secs'] / base:.1f} | {r['peak_mb']:.0f} | "
              f"{r['nmi']:.3f} | {r['q']:.3f} |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
