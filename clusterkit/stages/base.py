"""The stage interfaces, written down as protocols, and a helper base class.

Every stage follows scikit-learn's contract: ``__init__`` only stores keyword parameters,
fitted state ends in ``_``, ``fit`` returns ``self``, ``random_state`` is stored as given.
Inputs per kind:

========== ============================================ ======================================
kind       call                                         fitted output
========== ============================================ ======================================
features   ``build(data, weights=None)``                DataFrame (index member_ids)
transform  ``fit(X)``, ``transform(X)``: feature frame  DataFrame, same index
reduce     ``fit_transform(X)``: float array (n, d)     array (n, k)
cluster    ``fit(X)``, ``fit_predict(X)``: array (n, k) ``labels_`` int64; -1 = noise
community  ``fit(graph)``: symmetric sparse (n, n)      ``labels_`` int64; -2 = isolate
roles      ``fit(features, data=None, weights=None)``   ``roles_``, ``confidence_``,
                                                        ``explanations_``
scoring    ``fit(data, weights=None)``                  ``scores_`` (engagement per member)
========== ============================================ ======================================

``data`` is the :class:`~clusterkit.data.CommunityData`, ``features`` the raw member ×
feature table, ``weights`` the run's :class:`~clusterkit.weights.EngagementWeights` (DESIGN
§2 defaults when None). Every stage of a kind is called the same way, whether or not it
uses every input: the pipeline never inspects a signature. Labels are aligned to the member
index. Special labels are data: :data:`NOISE` (-1) and :data:`ISOLATE` (-2).

Transform, reduce and cluster stages are scikit-learn estimators in full: ``fit(X, y=None)``
(``y`` ignored), ``n_features_in_``, transformers and clusterers (``ClusterMixin``) that pass
``sklearn.utils.estimator_checks.check_estimator`` and sit in a scikit-learn ``Pipeline``
(``tests/test_sklearn_contract.py``; the few checks a stage fails by design are listed there
with their reasons).

Parameters are checked once per call, automatically: a :class:`BaseStage` subclass declares
``_constraints`` and its ``fit`` / ``build`` / ``fit_transform`` / ``transform`` first
validate them (as scikit-learn's ``_fit_context`` does), whatever the subclass's code.
"""

from __future__ import annotations

import functools
from typing import Any, ClassVar, Protocol, Self, runtime_checkable

import numpy as np
from sklearn.base import BaseEstimator

from clusterkit.stages._params import check_params

__all__ = [
    "ISOLATE",
    "NOISE",
    "BaseStage",
    "ClusterStage",
    "CommunityStage",
    "FeatureBuilder",
    "ReduceStage",
    "RoleStage",
    "ScoringStage",
    "Stage",
    "TransformStage",
    "derive_seed",
]

NOISE: int = -1
"""Cluster label of members a density-based stage marks as noise."""
ISOLATE: int = -2
"""Community label of members with no edge in the graph."""


@runtime_checkable
class Stage(Protocol):
    """What every stage has."""

    def get_params(self, deep: bool = True) -> dict[str, Any]: ...

    def set_params(self, **params: Any) -> Self: ...


@runtime_checkable
class FeatureBuilder(Stage, Protocol):
    """Builds a member × feature table: float64, no NaN, index ``data.member_ids``."""

    def build(self, data, weights=None) -> Any: ...


@runtime_checkable
class TransformStage(Stage, Protocol):
    def fit(self, X, y=None) -> Self: ...

    def transform(self, X) -> Any: ...


@runtime_checkable
class ReduceStage(Stage, Protocol):
    def fit_transform(self, X, y=None) -> np.ndarray: ...


@runtime_checkable
class ClusterStage(Stage, Protocol):
    labels_: np.ndarray

    def fit(self, X, y=None) -> Self: ...

    def fit_predict(self, X, y=None) -> np.ndarray: ...


@runtime_checkable
class CommunityStage(Stage, Protocol):
    labels_: np.ndarray

    def fit(self, graph) -> Self: ...


@runtime_checkable
class RoleStage(Stage, Protocol):
    roles_: np.ndarray
    confidence_: np.ndarray
    explanations_: np.ndarray

    def fit(self, features, data=None, weights=None) -> Self: ...


@runtime_checkable
class ScoringStage(Stage, Protocol):
    scores_: np.ndarray

    def fit(self, data, weights=None) -> Self: ...


_CHECKED = ("fit", "build", "fit_transform", "transform")


def _validated(method):
    """Wrap a stage method so that parameters are checked once, before it runs."""

    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if getattr(self, "_in_call", False):  # nested (fit_transform → fit): checked already
            return method(self, *args, **kwargs)
        self._validate_params()
        self._in_call = True
        try:
            return method(self, *args, **kwargs)
        finally:
            self._in_call = False

    wrapper._validates_params = True
    return wrapper


class BaseStage(BaseEstimator):
    """Helper base: parameter introspection and cloning from scikit-learn, plus checks.

    Subclasses declare ``_constraints`` (parameter name → list of accepted
    :class:`~clusterkit.stages._params.Interval`, :class:`~clusterkit.stages._params.Options`,
    types, ``None`` or ``"random_state"``); their ``fit``, ``build``, ``fit_transform`` and
    ``transform`` check them automatically before running.
    """

    _constraints: ClassVar[dict[str, list]] = {}
    stage_kind: ClassVar[str] = ""
    stage_name: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        for name in _CHECKED:
            method = cls.__dict__.get(name)
            if callable(method) and not getattr(method, "_validates_params", False):
                setattr(cls, name, _validated(method))

    def _validate_params(self) -> None:
        check_params(type(self).__name__, self.get_params(deep=False), self._constraints)


def derive_seed(random_state, *keys: str) -> int | None:
    """A child seed for one step, derived from the run seed and the step's name.

    ``None`` stays ``None`` (non-deterministic by request). The same seed and keys always
    give the same child; different keys give independent streams.

    Examples
    --------
    >>> derive_seed(42, "community") == derive_seed(42, "community")
    True
    >>> derive_seed(42, "community") != derive_seed(42, "cluster")
    True
    """
    if random_state is None:
        return None
    import zlib

    entropy = [int(random_state)] + [zlib.crc32(k.encode()) for k in keys]
    return int(np.random.SeedSequence(entropy).generate_state(1)[0] & 0x7FFFFFFF)
