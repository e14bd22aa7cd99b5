"""HDBSCAN (the ``hdbscan`` package): density-based clusters with explicit noise."""

from __future__ import annotations

import numpy as np

from clusterkit.registry import register
from clusterkit.stages._params import Interval, Options
from clusterkit.stages.cluster._common import (
    ClusterBase,
    _check_X,
    _row_order,
    _unpermute,
    canonical_labels,
)


@register("cluster", "hdbscan")
class HDBSCANCluster(ClusterBase):
    """HDBSCAN (the ``hdbscan`` package): density clusters, with noise labelled -1.

    Parameters
    ----------
    min_cluster_size : int, default 25
    min_samples : int or None, default None
        None means ``min_cluster_size``.
    cluster_selection_method : {"eom", "leaf"}, default "eom"
    metric : str, default "euclidean"

    Attributes
    ----------
    labels_ : ndarray of int64
        -1 (:data:`~clusterkit.stages.base.NOISE`) for noise.
    n_clusters_ : int
    probabilities_ : ndarray of float
        Membership strength; 0 for noise.
    outlier_scores_ : ndarray of float
        GLOSH outlier scores.

    References
    ----------
    Campello, Moulavi, Sander (2013). Density-based clustering based on hierarchical density
    estimates. PAKDD.

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(300, centers=3, cluster_std=0.5, random_state=0)
    >>> HDBSCANCluster(min_cluster_size=20).fit(X).n_clusters_
    3
    """

    _constraints = {
        "min_cluster_size": [Interval(int, 2, None)],
        "min_samples": [Interval(int, 1, None), None],
        "cluster_selection_method": [Options("eom", "leaf")],
        "metric": [str],
    }

    def __init__(
        self,
        min_cluster_size=25,
        min_samples=None,
        cluster_selection_method="eom",
        metric="euclidean",
    ):
        self.min_cluster_size = min_cluster_size
        self.min_samples = min_samples
        self.cluster_selection_method = cluster_selection_method
        self.metric = metric

    def fit(self, X, y=None):
        import hdbscan

        X = _check_X(X, type(self).__name__, min_rows=2, stage=self)
        row_order = _row_order(X)
        X = X[row_order]
        model = hdbscan.HDBSCAN(
            min_cluster_size=self.min_cluster_size,
            min_samples=self.min_samples,
            cluster_selection_method=self.cluster_selection_method,
            metric=self.metric,
        ).fit(X)
        self.labels_ = canonical_labels(_unpermute(model.labels_, row_order))
        self.n_clusters_ = int(self.labels_.max()) + 1 if len(self.labels_) else 0
        self.probabilities_ = _unpermute(model.probabilities_, row_order).astype(np.float64)
        self.outlier_scores_ = _unpermute(model.outlier_scores_, row_order).astype(np.float64)
        return self
