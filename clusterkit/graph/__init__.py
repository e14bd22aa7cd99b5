"""The member graph, built in one place: follows and interactions as ``scipy.sparse``.

=============================  ==========================================================
:func:`member_graph`           the symmetric weighted graph community detection runs on
:func:`interaction_matrix`     member → member events aimed at another member
:func:`pagerank`               deterministic PageRank by power iteration
=============================  ==========================================================

Feature builders, role and scoring stages and experiments all take their graphs from here.
"""

from clusterkit.graph.interaction import EDGES_SQL, edge_tables, interaction_matrix
from clusterkit.graph.member import member_graph
from clusterkit.graph.pagerank import pagerank

__all__ = ["EDGES_SQL", "edge_tables", "interaction_matrix", "member_graph", "pagerank"]
