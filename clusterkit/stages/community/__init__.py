"""Community stages: find groups of members tied to each other in the graph.

Input is a symmetric, non-negative weighted ``scipy.sparse`` array ``(n, n)`` over the member
index (the diagonal is ignored). ``fit(graph)`` sets ``labels_`` (int64, aligned to the
members), ``n_communities_`` and ``modularity_`` (weighted modularity of the partition on
the graph without isolates, igraph's; NaN for a graph without edges).

Members with no edge are never dropped: they get :data:`~clusterkit.stages.base.ISOLATE`
(-2). The algorithms run on the other members only. Labels are canonical (size first, ties
by first member; see :func:`~clusterkit.stages.cluster.canonical_labels`).

One algorithm per module, named as the stage; the shared checks and ``fit`` are in ``_graph``:

================= ==================================== ==========================================
name              class                                implementation
================= ==================================== ==========================================
leiden            :class:`LeidenCommunity`             igraph's Leiden, 2 iterations (default)
louvain           :class:`LouvainCommunity`            ``python-louvain`` on networkx (reference)
plm               :class:`PLMCommunity`                NetworKit's Louvain (``engine: large``)
label_propagation :class:`LabelPropagationCommunity`   igraph ``community_label_propagation``
infomap           :class:`InfomapCommunity`            igraph ``community_infomap``
consensus         ``consensus.ConsensusCommunity``     seeded runs of a base stage, combined
leiden_scan       ``leiden_scan.ResolutionScanLeiden`` Leiden over a grid of resolutions
================= ==================================== ==========================================

``consensus`` and ``leiden_scan`` import this package, so they are not imported here; the
registry loads them.
"""

from __future__ import annotations

from clusterkit.stages.community.infomap import InfomapCommunity
from clusterkit.stages.community.label_propagation import LabelPropagationCommunity
from clusterkit.stages.community.leiden import LeidenCommunity
from clusterkit.stages.community.louvain import LouvainCommunity
from clusterkit.stages.community.plm import PLMCommunity

__all__ = [
    "InfomapCommunity",
    "LabelPropagationCommunity",
    "LeidenCommunity",
    "LouvainCommunity",
    "PLMCommunity",
]
