"""The faster paths of issue 13 give the same numbers as the ones they replace.

Follow ids looked up in Arrow (not pandas' ``get_indexer``), the cached follow matrix,
per-hash column minima of the 2-hop sketch, coreness by peeling in scipy.sparse, and
silhouettes that share one pass over the distances: each is compared, bit for bit, with the
straightforward computation.
"""

from __future__ import annotations

import importlib

import igraph as ig
import numpy as np
import pandas as pd
import pytest
import scipy.sparse as sp
from sklearn.metrics import silhouette_score

from clusterkit.data import CommunityData
from clusterkit.features.graph import coreness
from clusterkit.stages.cluster._silhouette import silhouette_scores
from clusterkit.stages.cluster.kmeans import KMeansCluster
from clusterkit.stages.scoring.components import _column_min
from clusterkit.synthetic import generate


@pytest.fixture(scope="module")
def data():
    return CommunityData.from_frames(**generate(600, seed=3).tables)


def test_member_index_equals_get_indexer(data):
    ev = data.events["target_id"]
    cases = [ev, ev.to_numpy(dtype=object), pd.Index(ev.astype(object)), list(ev.head(40)),
             ["nobody", None, np.nan, data.member_ids[5]], np.array([1, 2], dtype=object), [],
             pd.Series([data.member_ids[0]], dtype="string[python]"), data.member_ids]
    for ids in cases:
        expected = data.member_ids.get_indexer(pd.Index(ids, dtype=object))
        assert np.array_equal(data.member_index(ids), expected)


def test_follow_matrix_is_cached_and_a_copy(data):
    nodes = data.node_ids()
    src = nodes.get_indexer(data.follows["follower_id"].to_numpy(dtype=object))
    dst = nodes.get_indexer(data.follows["followee_id"].to_numpy(dtype=object))
    ref = sp.csr_array((np.ones(len(src)), (src, dst)), shape=(len(nodes), len(nodes)))
    ref.sum_duplicates()
    ref.data[:] = 1.0
    a = data.follow_matrix()
    assert (a != ref).nnz == 0 and a.dtype == ref.dtype and a.shape == ref.shape
    a.data[:] = 7.0  # a caller may change its copy
    b = data.follow_matrix()
    assert b.max() == 1.0 and b is not a


def test_the_held_follow_matrix_is_read_only_and_the_member_graph_leaves_it_alone(data):
    from clusterkit.graph import member_graph

    held = data.follow_matrix(copy=False)
    assert (held != data.follow_matrix()).nnz == 0
    with pytest.raises(ValueError, match="read-only"):
        held.data[:] = 7.0
    before = data.follow_matrix()
    for damping in (0.0, 1.0):  # damping scales a copy in place, never the held matrix
        g = member_graph(data, hub_damping=damping)
        assert g.nnz and (g != g.T).nnz == 0
    assert (data.follow_matrix() != before).nnz == 0
    n = data.n_members
    ref = before[:n, :n] + before[:n, :n].T  # follows alone, by hand
    ref.setdiag(0)
    ref.eliminate_zeros()
    assert abs(member_graph(data, interaction_weight=0.0) - ref).max() == 0


@pytest.mark.parametrize(("span", "threads"), [(1 << 22, 4), (1, 1), (7, 3), (40, 2)])
def test_column_min_equals_reference(monkeypatch, span, threads):
    """Any block span (one entry, a few columns, one block) and thread count: the same."""
    from clusterkit.stages.scoring import components

    monkeypatch.setattr(components, "COLUMN_MIN_SPAN", span)
    monkeypatch.setattr(components, "COLUMN_MIN_THREADS", threads)
    monkeypatch.setattr("clusterkit.provenance.usable_cores", lambda: 8)
    rng = np.random.default_rng(0)
    csc = sp.random_array((300, 200), density=0.03, random_state=1, format="csc")
    csc = sp.hstack([csc, sp.csc_array((300, 3))], format="csc")  # empty last columns
    values = rng.random((300, 5))
    got = _column_min(csc, values)
    ref = np.full((203, 5), np.inf)
    for j in range(203):  # the reference, column by column
        rows = csc.indices[csc.indptr[j]:csc.indptr[j + 1]]
        if len(rows):
            ref[j] = values[rows].min(axis=0)
    assert np.isinf(ref[-3:]).all() and np.isfinite(ref).any()
    assert np.array_equal(got, ref)
    assert np.array_equal(_column_min(csc, values[:, 0]), ref[:, 0])


def _igraph_coreness(adj):
    coo = sp.coo_array(adj)
    g = ig.Graph(n=adj.shape[0], edges=np.column_stack([coo.row, coo.col]).tolist(),
                 directed=True)
    return np.asarray(g.as_undirected(mode="collapse").coreness(mode="all"))


def test_coreness_equals_igraph(data):
    adj = data.follow_matrix()
    assert np.array_equal(coreness(adj), _igraph_coreness(adj))
    rng = np.random.default_rng(5)
    for trial in range(30):
        n = int(rng.integers(1, 300))
        a = sp.random_array((n, n), density=float(rng.uniform(0.001, 0.2)), random_state=trial,
                            format="csr")
        if trial % 3 == 0:
            a = a + a.T  # many mutual follows
        a = sp.csr_array(a)
        a.setdiag(0)
        a.eliminate_zeros()
        assert np.array_equal(coreness(a), _igraph_coreness(a))
    loops = sp.csr_array(np.array([[1.0, 1, 0], [0, 0, 1], [1, 0, 0]]))
    assert np.array_equal(coreness(loops), _igraph_coreness(loops))


def test_silhouette_scores_bit_identical():
    rng = np.random.default_rng(4)
    X = rng.normal(size=(700, 4))
    labelings = [rng.integers(0, k, 700) for k in (2, 3, 7)]
    labelings.append(np.r_[np.zeros(699, int), 1])  # a singleton cluster
    assert silhouette_scores(X, labelings) == [silhouette_score(X, y) for y in labelings]
    assert silhouette_scores(X, []) == []


def test_kmeans_k_scores_equal_sklearn_silhouettes():
    from sklearn.cluster import KMeans
    from sklearn.datasets import make_blobs

    X, _ = make_blobs(400, centers=4, random_state=0)
    km = KMeansCluster(k_max=6, sample_size=150, random_state=3).fit(X)
    Xs = X[np.lexsort(X.T[::-1])]
    sample = np.sort(np.random.default_rng(3).choice(400, size=150, replace=False))
    for k, score in km.k_scores_.items():
        labels = KMeans(k, n_init=4, random_state=3).fit(Xs).labels_[sample]
        assert score == silhouette_score(Xs[sample], labels)


def test_event_codes_are_member_positions(data):
    actor, target = data.event_codes()
    ev = data.events
    assert np.array_equal(actor, data.member_ids.get_indexer(ev["member_id"].astype(object)))
    assert np.array_equal(target, data.member_ids.get_indexer(ev["target_id"].astype(object)))
    assert not actor.flags.writeable and data.event_codes()[0] is actor


def test_channel_keys_equal_the_sql_expression():
    from clusterkit.data.sql import sql
    from clusterkit.features.behaviour import _KEY_SQL, _channel_keys

    channel = pd.Series(["Twitter", None, "blog-Post", "Twitter", "Ünï Côde", "", None, "x y"],
                        dtype="string[pyarrow]")
    expected = sql(f"SELECT coalesce({_KEY_SQL.format('lower(channel)')}, 'unknown') AS k "
                   "FROM t ORDER BY i",
                   t=pd.DataFrame({"i": range(len(channel)), "channel": channel}))["k"]
    got = _channel_keys(channel)
    assert got.tolist() == expected.tolist() and got.index.equals(channel.index)


def test_remembered_modularity_is_what_igraph_computes():
    from clusterkit import metrics
    from clusterkit.stages.community.label_propagation import LabelPropagationCommunity
    from clusterkit.stages.community.leiden import LeidenCommunity

    rng = np.random.default_rng(0)
    for trial in range(40):
        n, m = int(rng.integers(5, 1500)), int(rng.integers(1, 6000))
        w = rng.random(m) * float(rng.choice([1.0, 7.3, 1e-3])) + (trial % 2)
        a = sp.coo_array((w, (rng.integers(0, n, m), rng.integers(0, n, m))), shape=(n, n))
        a = sp.csr_array(a + a.T)
        a.setdiag(0)
        a.eliminate_zeros()  # isolates are common: they must not change the value
        stage = (LeidenCommunity if trial % 2 else LabelPropagationCommunity)(random_state=trial)
        stage.fit(a)
        assert metrics.modularity(a, stage.labels_) == stage.modularity_  # remembered
        metrics._KNOWN_MODULARITY.clear()
        assert metrics.modularity(a, stage.labels_) == stage.modularity_  # igraph again
    other = stage.labels_.copy()
    other[0] = other.max() + 1
    stage.fit(a)
    assert metrics.modularity(a, other) != stage.modularity_  # other labels: computed


def test_igraph_from_edges_equals_the_constructor(monkeypatch):
    from clusterkit.graph import igraph_build
    from clusterkit.graph.igraph_build import igraph_from_edges

    rng = np.random.default_rng(2)
    for directed in (False, True):
        for n, m in ((1, 0), (5, 1), (300, 2000), (50, 3)):
            rows, cols = rng.integers(0, n, m), rng.integers(0, n, m)
            ref = ig.Graph(n=n, edges=list(zip(rows.tolist(), cols.tolist(), strict=True)),
                           directed=directed)
            got = igraph_from_edges(n, rows, cols, directed=directed)
            assert got.vcount() == ref.vcount() and got.is_directed() == directed
            assert got.get_edgelist() == ref.get_edgelist()

    def no_tmp(*args, **kwargs):
        raise OSError("read-only file system")

    monkeypatch.setattr(igraph_build, "_read_edgelist", no_tmp)
    assert igraph_from_edges(4, [0, 3], [1, 2]).get_edgelist() == [(0, 1), (2, 3)]


@pytest.mark.parametrize("name", ["leiden", "plm"])
def test_the_community_graph_hook_takes_over_the_edge_arrays(name, monkeypatch):
    # the stage's _graph empties the list it is handed, so that the caller holds no edge
    # array while the library builds its graph; plm lets the rows go before NetworKit's
    import weakref

    from clusterkit.registry import create_stage
    from clusterkit.stages.community._graph import _Community

    stage = create_stage("community", name, {"random_state": 0})
    cls = type(stage)
    seen = {}
    original = cls._graph

    def spy(self, m, edges):
        seen["refs"] = [weakref.ref(x) for x in edges]
        g = original(self, m, edges)
        seen["left"] = list(edges)
        seen["rows_alive"] = seen["refs"][0]() is not None
        return g

    monkeypatch.setattr(cls, "_graph", spy)
    A = sp.random_array((60, 60), density=0.1, format="csr", random_state=0)
    A = sp.csr_array(A + A.T)
    stage.fit(A)
    assert issubclass(cls, _Community) and seen["left"] == []
    assert not seen["rows_alive"]
    assert stage.labels_.shape == (60,)


@pytest.mark.parametrize("threads", [2, 3])
def test_pagerank_same_bits_on_threads(monkeypatch, threads):
    """Row blocks on threads: the same PageRank to the last bit, personalised or not."""
    module = importlib.import_module("clusterkit.graph.pagerank")
    adj = sp.random_array((400, 400), density=0.02, random_state=3, format="csr")
    adj = sp.csr_array(adj.multiply(adj.sum(axis=1)[:, None] > 0.3))  # some dangling rows
    reset = np.random.default_rng(0).random((400, 3))
    monkeypatch.setattr(module, "PAGERANK_THREADS", 1)
    one = module.pagerank(adj), module.pagerank(adj, reset=reset)
    monkeypatch.setattr(module, "PAGERANK_THREADS", threads)
    monkeypatch.setattr(module._RowBlocks, "min_entries", 1)
    monkeypatch.setattr("clusterkit.provenance.usable_cores", lambda: 8)
    assert len(module._RowBlocks(sp.csr_array(adj)).blocks) == threads
    many = module.pagerank(adj), module.pagerank(adj, reset=reset)
    assert (adj.sum(axis=1) == 0).any()
    for a, b in zip(one, many, strict=True):
        assert np.array_equal(a, b)


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_canonical_order_equals_duckdb_sort(seed):
    """Integer codes and DuckDB on the ties only: the rows DuckDB's sort of every column
    gives (text bytewise with unicode and case, categories in their own order, times with
    NaT, nulls last, floats and mixed objects after the coded columns)."""
    from clusterkit.data.order import canonical_order, duckdb_order

    rng = np.random.default_rng(seed)
    n = 3000
    words = np.array(["a", "B", "b", "é", "Z", "ab", "a b", "ß", "日本", "NA", "10", "9"])

    def pick(values, null=0.1):
        out = rng.choice(values, n).astype(object)
        out[rng.random(n) < null] = None
        return out

    ts = pd.to_datetime(rng.integers(0, 5, n) * 86_400, unit="s", utc=True)
    df = pd.DataFrame({
        "member": pd.array(pick(words[:4], 0.0), dtype="string"),
        "cat": pd.Categorical(pick(["z", "a", "m"]), categories=["z", "a", "m"]),
        "ts": ts.where(rng.random(n) > 0.05),
        "text": pd.array(pick(words), dtype="string"),
        "count": rng.integers(-3, 3, n),
        "value": np.where(rng.random(n) < 0.1, np.nan, rng.integers(0, 3, n) / 2),
        "mixed": pick([1, "x", 2.5]),
        "none": pd.array([None] * n, dtype="string"),
    })
    for cols in (list(df.columns), ["member", "cat", "ts", "text", "count"], ["none", "cat"],
                 ["value", "member", "text"], ["member", "value", "cat", "mixed"]):
        want = df[cols].take(duckdb_order(df, cols)).reset_index(drop=True)
        got = df[cols].take(canonical_order(df, cols)).reset_index(drop=True)
        pd.testing.assert_frame_equal(got, want)
