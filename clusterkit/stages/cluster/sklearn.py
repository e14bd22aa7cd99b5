"""Any scikit-learn ``ClusterMixin``: an estimator object, or a class named by import path.

A class named by path is imported only from a trusted package: scikit-learn, hdbscan, the
top-level package of a registered ``clusterkit.stages`` entry point, or a module the user
names in the environment variable :data:`ALLOW_ENV` (``CLUSTERKIT_ALLOW_MODULES``: comma-
separated module names or prefixes, e.g. ``mypkg.clusterers``). Any other path is refused
with one line before anything is imported, so a config cannot run a module's code.
"""

from __future__ import annotations

import importlib
import inspect
import os
import re
from importlib.metadata import entry_points

import numpy as np
from sklearn.base import ClusterMixin, clone

from clusterkit.data.yaml_files import non_plain
from clusterkit.errors import ConfigError
from clusterkit.registry import register
from clusterkit.stages.cluster._common import (
    ClusterBase,
    _check_X,
    _row_order,
    _seed,
    _unpermute,
    canonical_labels,
)

__all__ = ["ALLOW_ENV", "SklearnCluster", "allowed_modules", "estimator_path", "plain_params"]

ALLOW_ENV = "CLUSTERKIT_ALLOW_MODULES"
"""Environment variable naming further modules (comma-separated) an estimator path may use."""

_TRUSTED = ("sklearn", "hdbscan")
_DOTTED = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)+", re.ASCII)

_HOW = ("Give a scikit-learn ClusterMixin object, e.g. Birch(n_clusters=3), or the full "
        "import path of its class, e.g. 'sklearn.cluster.AgglomerativeClustering'.")


@register("cluster", "sklearn")
class SklearnCluster(ClusterBase):
    """Any scikit-learn ``ClusterMixin``: an estimator object or an import path.

    Parameters
    ----------
    estimator : ClusterMixin or str, default "sklearn.cluster.KMeans"
        An unfitted estimator object (``Birch(n_clusters=3)``; it is cloned before fitting,
        never fitted itself), or the import path of its class
        (``"sklearn.cluster.AgglomerativeClustering"``: the form config files use).
    params : dict or None, default None
        Keyword arguments for the estimator (None means none); with an object, they are
        set on its clone and override the object's own values.
    random_state : int or None, default None
        Passed to the estimator only if it has a ``random_state`` parameter that is not
        already set (by ``params``, or by the object when its value is not None); ``None``
        then draws a fresh seed, never numpy's global RNG.

    Attributes
    ----------
    labels_ : ndarray of int64
        Negative labels of the estimator (e.g. DBSCAN noise) are kept.
    n_clusters_ : int
    probabilities_ : ndarray of float or None
        The estimator's ``probabilities_`` if it has one, else None.
    estimator_ : the fitted estimator (a clone of ``estimator`` for an object)
    n_features_in_ : int

    Notes
    -----
    A run's configuration is plain data so that ``manifest.json`` can record it. A
    :class:`~clusterkit.config.RunConfig` given an estimator object therefore stores its
    class path and the parameters that differ from the class defaults (see
    :func:`plain_params`): ``Birch(n_clusters=3)`` is recorded as
    ``{"estimator": "sklearn.cluster.Birch", "params": {"n_clusters": 3}}``, which builds the
    same estimator. An object whose class cannot be imported by path, or whose parameters
    are not plain data (a callable, an array, a nested estimator) is refused there with a
    ``ConfigError``; such a stage can still be fitted directly from Python.

    Examples
    --------
    >>> from sklearn.cluster import Birch
    >>> from sklearn.datasets import make_blobs
    >>> X, _ = make_blobs(200, centers=2, random_state=0)
    >>> SklearnCluster(Birch(n_clusters=2)).fit(X).n_clusters_
    2
    >>> stage = SklearnCluster("sklearn.cluster.AgglomerativeClustering", {"n_clusters": 2})
    >>> stage.fit(X).n_clusters_
    2
    """

    _constraints = {
        "estimator": [str, ClusterMixin],
        "params": [dict, None],
        "random_state": ["random_state"],
    }

    def __init__(self, estimator="sklearn.cluster.KMeans", params=None, random_state=None):
        self.estimator = estimator
        self.params = params
        self.random_state = random_state

    @classmethod
    def check_config(cls, params: dict) -> None:
        """Check an estimator path of a config before any work (import it if allowed).

        Raises
        ------
        ConfigError
            The path is not from an allowed module, cannot be imported, or is not a
            ``ClusterMixin`` class; or ``params`` names a keyword the estimator does not
            take (with the closest one).
        """
        if isinstance(params.get("estimator"), str):
            cls = _resolve(params["estimator"])
            if isinstance(params.get("params"), dict):
                _check_keywords(cls(), params["params"])

    def _make(self):
        """A fresh, unfitted estimator with ``params`` and the seed applied."""
        params = dict(self.params or {})
        if isinstance(self.estimator, str):
            cls = _resolve(self.estimator)
            _check_keywords(cls(), params)
            est = cls(**params)
            seeded = "random_state" in params
        else:
            est = clone(self.estimator)
            _check_keywords(est, params)
            est.set_params(**params)
            seeded = "random_state" in params or est.get_params(deep=False).get(
                "random_state") is not None
        if "random_state" in est.get_params(deep=False) and not seeded:
            est.set_params(random_state=_seed(self.random_state))
        return est

    def fit(self, X, y=None):
        """Fit a fresh estimator on ``X`` (rows in a canonical order); ``y`` is ignored."""
        est = self._make()
        X = _check_X(X, type(self).__name__, stage=self)
        row_order = _row_order(X)
        labels = _unpermute(est.fit_predict(X[row_order]), row_order)
        self.labels_ = canonical_labels(labels)
        self.n_clusters_ = int(self.labels_.max()) + 1 if (self.labels_ >= 0).any() else 0
        proba = getattr(est, "probabilities_", None)
        self.probabilities_ = (None if proba is None
                               else _unpermute(proba, row_order).astype(np.float64))
        self.estimator_ = est
        return self


def allowed_modules() -> tuple[str, ...]:
    """Module names (or prefixes) an estimator path may be imported from.

    scikit-learn, hdbscan, the top-level package of every ``clusterkit.stages`` entry
    point, and the comma-separated names in ``$CLUSTERKIT_ALLOW_MODULES``.

    Examples
    --------
    >>> "sklearn" in allowed_modules()
    True
    """
    names = list(_TRUSTED)
    names += [ep.value.partition(":")[0].split(".")[0].strip()
              for ep in entry_points(group="clusterkit.stages")]
    names += [p.strip() for p in os.environ.get(ALLOW_ENV, "").split(",")]
    return tuple(dict.fromkeys(n for n in names if n))


def _check_path(path: str) -> None:
    """Refuse, before any import, a path outside :func:`allowed_modules`."""
    if not _DOTTED.fullmatch(path):
        raise ConfigError(
            f"Cluster stage 'sklearn': estimator {path!r} is not an import path "
            f"(module.Class). {_HOW}")
    module = path.rpartition(".")[0]
    allowed = allowed_modules()
    if not any(module == a or module.startswith(a + ".") for a in allowed):
        raise ConfigError(
            f"Cluster stage 'sklearn': estimator {path!r} is not from an allowed package "
            f"({', '.join(allowed)}); nothing was imported. To use it, allow its module "
            f"explicitly: {ALLOW_ENV}={module.split('.')[0]}. {_HOW}")


def _resolve(path: str) -> type:
    _check_path(path)
    module, _, attr = path.rpartition(".")
    try:
        cls = getattr(importlib.import_module(module), attr) if module else None
    except (ImportError, AttributeError) as exc:
        raise ConfigError(
            f"Cluster stage 'sklearn' cannot import estimator {path!r} ({exc}). " + _HOW
        ) from exc
    if not (isinstance(cls, type) and issubclass(cls, ClusterMixin)):
        raise ConfigError(
            f"Cluster stage 'sklearn': {path!r} is not a scikit-learn ClusterMixin class. {_HOW}"
        )
    return cls


def _check_keywords(est, params: dict) -> None:
    """Refuse a keyword of ``params`` that ``est`` does not take, naming the closest."""
    import difflib

    known = sorted(est.get_params(deep=False))
    for key in params:
        if key not in known:
            close = difflib.get_close_matches(str(key), known, n=1)
            hint = f"did you mean {close[0]!r}? " if close else ""
            raise ConfigError(
                f"Cluster stage 'sklearn': {type(est).__name__} has no parameter {key!r} "
                f"(cluster.params.params.{key}); {hint}it takes: {', '.join(known)}.")


def estimator_path(cls: type) -> str:
    """The shortest import path of ``cls``: ``Birch`` → ``"sklearn.cluster.Birch"``.

    Examples
    --------
    >>> from sklearn.cluster import Birch
    >>> estimator_path(Birch)
    'sklearn.cluster.Birch'
    """
    parts = cls.__module__.split(".")
    for i in range(1, len(parts) + 1):
        module = ".".join(parts[:i])
        try:
            if getattr(importlib.import_module(module), cls.__qualname__, None) is cls:
                return f"{module}.{cls.__qualname__}"
        except ImportError:
            continue
    raise ConfigError(
        f"Cluster stage 'sklearn': class {cls.__module__}.{cls.__qualname__} cannot be "
        "imported by path, so a run's config cannot record it; define it at module level."
    )


def plain_params(params: dict) -> dict:
    """Stage parameters as plain data: an ``estimator`` object becomes its path and params.

    Only the parameters that differ from the class defaults are kept (as scikit-learn's
    ``repr`` shows them); ``params`` given with the object win. Used by
    :class:`~clusterkit.config.StageSpec`, so a run's config stays serialisable.

    Raises
    ------
    ConfigError
        The class cannot be imported by path, or a parameter is not plain data.

    Examples
    --------
    >>> from sklearn.cluster import Birch
    >>> plain_params({"estimator": Birch(n_clusters=4, threshold=0.3)})
    {'estimator': 'sklearn.cluster.Birch', 'params': {'n_clusters': 4, 'threshold': 0.3}}
    """
    est = params.get("estimator")
    if est is None or isinstance(est, str) or not hasattr(est, "get_params"):
        return params
    cls = type(est)
    defaults = {k: p.default for k, p in inspect.signature(cls).parameters.items()}
    changed = {k: v for k, v in est.get_params(deep=False).items()
               if not _same(v, defaults.get(k, inspect.Parameter.empty))}
    out = {**params, "estimator": estimator_path(cls),
           "params": {**changed, **(params.get("params") or {})}}
    hit = non_plain(out["params"])
    if hit:
        raise ConfigError(
            f"Cluster stage 'sklearn': {cls.__name__} parameter {hit[0]!r} = {hit[1]!r} is "
            "not plain data (str, number, bool, list, dict), so a run's config cannot record "
            "it. Fit SklearnCluster directly from Python, or give plain parameters."
        )
    return out


def _same(value, default) -> bool:
    if value is default:
        return True
    if type(value) is not type(default):
        return False
    try:
        return bool(value == default)
    except (TypeError, ValueError):  # arrays and the like: treat as changed
        return False
