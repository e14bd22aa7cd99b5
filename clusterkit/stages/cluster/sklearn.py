"""Any scikit-learn ``ClusterMixin``, named by its import path."""

from __future__ import annotations

import importlib

import numpy as np

from clusterkit.errors import ConfigError
from clusterkit.registry import register
from clusterkit.stages.base import BaseStage
from clusterkit.stages.cluster._common import (
    _check_X,
    _row_order,
    _seed,
    _unpermute,
    canonical_labels,
)


@register("cluster", "sklearn")
class SklearnCluster(BaseStage):
    """Any scikit-learn ``ClusterMixin``, named by its import path.

    Parameters
    ----------
    estimator : str
        Import path of the class, e.g. ``"sklearn.cluster.AgglomerativeClustering"``.
    params : dict or None, default None
        Keyword arguments for the estimator (None means none).
    random_state : int or None, default None
        Passed to the estimator only if it has a ``random_state`` parameter (and ``params``
        does not set one); ``None`` then draws a fresh seed, never numpy's global RNG.

    Attributes
    ----------
    labels_ : ndarray of int64
        Negative labels of the estimator (e.g. DBSCAN noise) are kept.
    n_clusters_ : int
    probabilities_ : ndarray of float or None
        The estimator's ``probabilities_`` if it has one, else None.
    estimator_ : the fitted estimator

    Examples
    --------
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(200, centers=2, random_state=0)
    >>> stage = SklearnCluster("sklearn.cluster.AgglomerativeClustering", {"n_clusters": 2})
    >>> stage.fit(X).n_clusters_
    2
    """

    _constraints = {
        "estimator": [str],
        "params": [dict, None],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator="sklearn.cluster.KMeans", params=None, random_state=None):
        self.estimator = estimator
        self.params = params
        self.random_state = random_state

    def _resolve(self):
        from sklearn.base import ClusterMixin

        how = (
            "Give the full import path of a scikit-learn ClusterMixin class, e.g. "
            "'sklearn.cluster.AgglomerativeClustering'."
        )
        module, _, attr = self.estimator.rpartition(".")
        try:
            cls = getattr(importlib.import_module(module), attr) if module else None
        except (ImportError, AttributeError) as exc:
            raise ConfigError(
                f"Cluster stage 'sklearn' cannot import estimator {self.estimator!r} ({exc}). "
                + how
            ) from exc
        if not (isinstance(cls, type) and issubclass(cls, ClusterMixin)):
            raise ConfigError(
                f"Cluster stage 'sklearn': {self.estimator!r} is not a scikit-learn "
                f"ClusterMixin class. {how}"
            )
        return cls

    def fit(self, X):
        cls = self._resolve()
        X = _check_X(X, type(self).__name__)
        params = dict(self.params or {})
        est = cls(**params)
        if "random_state" in est.get_params(deep=False) and "random_state" not in params:
            est.set_params(random_state=_seed(self.random_state))
        row_order = _row_order(X)
        labels = _unpermute(est.fit_predict(X[row_order]), row_order)
        self.labels_ = canonical_labels(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1 if (self.labels_ >= 0).any() else 0
        proba = getattr(est, "probabilities_", None)
        self.probabilities_ = (None if proba is None
                               else _unpermute(proba, row_order).astype(np.float64))
        self.estimator_ = est
        return self
