"""Cluster stages: group members whose feature vectors are alike.

Input is a float array ``(n, k)`` aligned to the member index. ``fit`` sets ``labels_``
(int64, :data:`~clusterkit.stages.base.NOISE` = -1 for density-based noise), ``n_clusters_``
and ``probabilities_`` (a confidence in [0, 1] per member, ``None`` where an algorithm gives
none). Labels are canonical (see :func:`canonical_labels`), so they never depend on an
algorithm's internal numbering.

========= ======================= ===================================================
name      class                   ``probabilities_``
========= ======================= ===================================================
kmeans    :class:`KMeansCluster`  1 - d1/d2 (nearest / second centroid)
gmm       :class:`GMMCluster`     posterior of the assigned component
hdbscan   :class:`HDBSCANCluster` HDBSCAN membership strength
none      :class:`NoCluster`      1 (one cluster of everyone: segments are the roles)
sklearn   :class:`SklearnCluster` any ``ClusterMixin``; its own, if it has one
========= ======================= ===================================================
"""

from clusterkit.stages.cluster._common import ClusterBase, _check_X, _seed, canonical_labels
from clusterkit.stages.cluster.gmm import GMMCluster
from clusterkit.stages.cluster.hdbscan import HDBSCANCluster
from clusterkit.stages.cluster.kmeans import KMeansCluster
from clusterkit.stages.cluster.none import NoCluster
from clusterkit.stages.cluster.sklearn import SklearnCluster

__all__ = [
    "ClusterBase",
    "GMMCluster",
    "HDBSCANCluster",
    "KMeansCluster",
    "NoCluster",
    "SklearnCluster",
    "_check_X",
    "_seed",
    "canonical_labels",
]
