"""No clustering: every member in one cluster (the null-object cluster stage)."""

from __future__ import annotations

import numpy as np

from clusterkit.registry import register
from clusterkit.stages.cluster._common import ClusterBase, _check_X


@register("cluster", "none")
class NoCluster(ClusterBase):
    """One cluster of all members: use it to skip clustering.

    The pipeline clusters within each role (``segments.by="role"``), so with this stage the
    segments are the roles themselves (with ``segments.by="none"``, one segment of everyone).
    The stage has no parameters.

    Attributes
    ----------
    labels_ : ndarray of int64
        All 0.
    n_clusters_ : int
        Always 1.
    probabilities_ : ndarray of float
        All 1: every member belongs to the one cluster for certain.

    See Also
    --------
    KMeansCluster

    Examples
    --------
    >>> import numpy as np
    >>> stage = NoCluster().fit(np.random.default_rng(0).normal(size=(5, 2)))
    >>> stage.labels_.tolist(), stage.n_clusters_
    ([0, 0, 0, 0, 0], 1)
    """

    def fit(self, X, y=None):
        """Check ``X`` (a 2-D finite float array) and put every row in cluster 0."""
        n = _check_X(X, type(self).__name__, stage=self).shape[0]
        self.labels_ = np.zeros(n, dtype=np.int64)
        self.n_clusters_ = 1
        self.probabilities_ = np.ones(n, dtype=np.float64)
        return self
