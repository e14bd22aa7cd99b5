"""igraph graphs from NumPy edge arrays, without a Python object per edge.

The python-igraph wheel in use (1.0, ``_igraph.abi3.so``) is built on Python's limited C
API, so ``igraph.Graph(n, edges=array)`` turns the array into a nested Python list before
igraph sees it: at 200,000 members (4.5 M edges) that took as long as the Leiden run it fed
and about 650 MB above the graph itself. :func:`igraph_from_edges` writes the edges as text
with Arrow's CSV writer (C++) into a private temporary folder and lets igraph's C reader
(``Graph.Read_Edgelist``) build the graph: the same graph, edge for edge and in the same
order, about 4x faster and with about 100 MB above the graph (measured in one run, same
data, on the shared 2-core machine). Where no temporary file can be written it falls back
to the array constructor.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

__all__ = ["igraph_from_edges"]


def igraph_from_edges(n: int, rows, cols, *, directed: bool = False):
    """An igraph ``Graph`` with ``n`` vertices and the edges ``(rows[i], cols[i])``, in order.

    Parameters
    ----------
    n : int
        Number of vertices (isolated ones included).
    rows, cols : array-like of int, shape (m,)
        Edge ends, vertex ids in ``[0, n)``; edge ``i`` of the graph is
        ``(rows[i], cols[i])``.
    directed : bool, default False

    Returns
    -------
    igraph.Graph
        Equal, edge ids included, to ``igraph.Graph(n=n, edges=list(zip(rows, cols)),
        directed=directed)``.

    Examples
    --------
    >>> g = igraph_from_edges(4, [0, 1], [1, 2])
    >>> g.vcount(), g.get_edgelist()
    (4, [(0, 1), (1, 2)])
    """
    import igraph as ig

    rows = np.asarray(rows, dtype=np.int64).ravel()
    cols = np.asarray(cols, dtype=np.int64).ravel()
    if len(rows) == 0:
        return ig.Graph(n=int(n), directed=directed)
    try:
        g = _read_edgelist(rows, cols, directed)
    except OSError:  # no writable temporary folder: the array path
        return ig.Graph(n=int(n), edges=np.column_stack([rows, cols]), directed=directed)
    if g.vcount() < n:  # the reader stops at the largest id that has an edge
        g.add_vertices(int(n) - g.vcount())
    return g


def _read_edgelist(rows: np.ndarray, cols: np.ndarray, directed: bool):
    """Write ``rows cols`` lines with Arrow, read them with igraph's C reader."""
    import igraph as ig
    import pyarrow as pa
    import pyarrow.csv as pcsv

    with tempfile.TemporaryDirectory(prefix="clusterkit-edges-") as tmp:
        path = os.path.join(tmp, "edges.txt")
        pcsv.write_csv(pa.table({"a": rows, "b": cols}), path,
                       pcsv.WriteOptions(include_header=False, delimiter=" ",
                                         quoting_style="none"))
        return ig.Graph.Read_Edgelist(path, directed=directed)
