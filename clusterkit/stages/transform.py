"""Transform stages: reshape a member × feature table before reduction and clustering.

Input and output are pandas DataFrames with the member ids as index and float columns; the
index and column names are kept, the input is never modified. The stages are scikit-learn
transformers too: an array in gives an array out (columns named ``x0, x1, ...``), so a stage
sits in a scikit-learn ``Pipeline``.

======= ======================== =====================================================
name    class                    what it does
======= ======================== =====================================================
log1p   :class:`Log1pTransform`  ``sign(x) * log1p(|x|)`` on count-like columns
scale   :class:`ScaleTransform`  robust / standard / min-max scaling per column
none    :class:`NoTransform`     identity (the null-object stage)
======= ======================== =====================================================
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.base import OneToOneFeatureMixin, TransformerMixin
from sklearn.utils.validation import check_is_fitted

from clusterkit.errors import DataError
from clusterkit.registry import register
from clusterkit.stages._params import Options
from clusterkit.stages.base import BaseStage
from clusterkit.stages.cluster._common import _check_X

__all__ = ["Log1pTransform", "NoTransform", "ScaleTransform"]


class _Transform(OneToOneFeatureMixin, TransformerMixin, BaseStage):
    """Base of the transform stages: scikit-learn transformers (``fit(X, y=None)``,
    ``transform``, ``fit_transform``, ``set_output``) that keep a DataFrame a DataFrame.

    ``fit`` records ``n_features_in_`` and, for a DataFrame with string column names,
    ``feature_names_in_``; ``transform`` checks ``X`` against them.
    """

    def _values(self, X, reset: bool) -> np.ndarray:
        """``X`` as a finite float array, checked (``reset=False``) against the fit."""
        owner = type(self).__name__
        if not reset:
            check_is_fitted(self)
        try:
            return _check_X(X, owner, stage=self, reset=reset)
        except DataError as exc:
            fitted = list(getattr(self, "feature_names_in_", []))
            if reset or not isinstance(X, pd.DataFrame) or list(X.columns) == fitted:
                raise
            raise DataError(f"{owner} was fitted on columns {fitted}; got {list(X.columns)}. "
                            f"Transform a table with the same columns. {exc}") from None

    def _names(self, X) -> list:
        """Column names: the DataFrame's, else ``x0, x1, ...`` (``get_feature_names_out``)."""
        if isinstance(X, pd.DataFrame):
            return list(X.columns)
        return [f"x{i}" for i in range(self.n_features_in_)]

    @staticmethod
    def _like(X, values: np.ndarray):
        """``values`` shaped like the input: a DataFrame with its index and columns, or not."""
        if isinstance(X, pd.DataFrame):
            return pd.DataFrame(values, index=X.index, columns=X.columns)
        return values

    def fit_transform(self, X, y=None):
        """Fit to ``X`` and return it transformed; ``y`` is ignored."""
        return self.fit(X).transform(X)


@register("transform", "log1p")
class Log1pTransform(_Transform):
    """Compress heavy tails: ``sign(x) * log1p(|x|)`` on the chosen columns.

    Parameters
    ----------
    columns : list of str or None, default None
        Columns to transform; None means every column whose values are all >= 0 (counts).

    Attributes
    ----------
    columns_ : list of str
        Columns that are transformed.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"likes": [0.0, 9.0, 99.0], "delta": [-1.0, 0.0, 1.0]})
    >>> Log1pTransform().fit_transform(X)["likes"].round(3).tolist()
    [0.0, 2.303, 4.605]
    """

    _constraints = {"columns": [list, None]}

    def __init__(self, columns=None):
        self.columns = columns

    def fit(self, X, y=None):
        """Choose the columns to transform; ``y`` is ignored."""
        values = self._values(X, reset=True)
        names = self._names(X)
        if self.columns is None:
            nonneg = (values >= 0).all(axis=0)
            self.columns_ = [c for c, ok in zip(names, nonneg, strict=True) if ok]
        else:
            missing = sorted(set(self.columns) - set(names), key=str)
            if missing:
                raise DataError(
                    f"{type(self).__name__}: columns {missing} are not in the table; "
                    f"available: {names}."
                )
            self.columns_ = list(self.columns)
        return self

    def transform(self, X):
        """Return a transformed copy of ``X`` (a DataFrame for a DataFrame)."""
        values = self._values(X, reset=False).copy()
        idx = [self._names(X).index(c) for c in self.columns_]
        if idx:  # every column (the usual case): a slice, not three gathered copies
            cols = slice(None) if idx == list(range(values.shape[1])) else idx
            sub = values[:, cols]
            values[:, cols] = np.sign(sub) * np.log1p(np.abs(sub))
        return self._like(X, values)


@register("transform", "scale")
class ScaleTransform(_Transform):
    """Scale every column (scikit-learn scalers), never producing NaN or inf.

    Parameters
    ----------
    method : {"robust", "standard", "minmax"}, default "robust"
        ``RobustScaler`` (median / IQR), ``StandardScaler`` (mean / std) or ``MinMaxScaler``.

    Notes
    -----
    Constant columns become 0 with every method. With ``"robust"``, a column whose
    interquartile range is 0 but whose values vary (typical of mostly-zero count columns)
    would be left unscaled by ``RobustScaler``; such columns fall back to standard scaling
    (mean / std) and are listed in ``fallback_columns_``.

    Attributes
    ----------
    scaler_ : the fitted scikit-learn scaler
    fallback_columns_ : list of str
        Columns standard-scaled instead of robust-scaled.
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2.0, 3.0], "const": [5.0, 5.0, 5.0]})
    >>> ScaleTransform().fit_transform(X)["const"].tolist()
    [0.0, 0.0, 0.0]
    """

    _constraints = {"method": [Options("robust", "standard", "minmax")]}

    def __init__(self, method="robust"):
        self.method = method

    def fit(self, X, y=None):
        """Fit the scaler; ``y`` is ignored."""
        from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

        values = self._values(X, reset=True)
        scaler = {"robust": RobustScaler, "standard": StandardScaler, "minmax": MinMaxScaler}
        self.fallback_columns_ = []
        self.scaler_ = scaler[self.method]().fit(values)
        if self.method == "robust":
            q25, q75 = np.percentile(values, [25, 75], axis=0)
            std = values.std(axis=0)
            fallback = (q75 - q25 == 0) & (std > 0)
            # RobustScaler.transform is (x - center_) / scale_: patch those columns.
            self.scaler_.center_ = np.where(fallback, values.mean(axis=0), self.scaler_.center_)
            self.scaler_.scale_ = np.where(fallback, std, self.scaler_.scale_)
            names = self._names(X)
            self.fallback_columns_ = [c for c, f in zip(names, fallback, strict=True) if f]
        return self

    def transform(self, X):
        """Return a scaled copy of ``X`` (a DataFrame with the same index and columns)."""
        return self._like(X, self.scaler_.transform(self._values(X, reset=False)))


@register("transform", "none")
class NoTransform(_Transform):
    """Identity: returns the table unchanged (use it to skip the transform step).

    Attributes
    ----------
    n_features_in_ : int
    feature_names_in_ : ndarray of str
        Column names, when fitted on a DataFrame.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2.0]})
    >>> NoTransform().fit_transform(X).equals(X)
    True
    """

    def fit(self, X, y=None):
        """Check ``X``; ``y`` is ignored."""
        self._values(X, reset=True)
        return self

    def transform(self, X):
        """Return a DataFrame itself (not a copy; stages never modify their input), an
        array-like as a float array."""
        values = self._values(X, reset=False)
        return X if isinstance(X, pd.DataFrame) else values
