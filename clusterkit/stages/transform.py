"""Transform stages: reshape a member × feature table before reduction and clustering.

Input and output are pandas DataFrames with the member ids as index and float columns; the
index and column names are kept, the input is never modified.

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

from clusterkit.errors import DataError
from clusterkit.registry import register
from clusterkit.stages._params import Options
from clusterkit.stages.base import BaseStage

__all__ = ["Log1pTransform", "NoTransform", "ScaleTransform"]


def _check_frame(X, owner: str) -> pd.DataFrame:
    if not isinstance(X, pd.DataFrame):
        raise DataError(
            f"{owner} needs a pandas DataFrame (index = member ids); got {type(X).__name__}."
        )
    return X


def _numeric(X: pd.DataFrame, columns, owner: str) -> np.ndarray:
    try:
        values = X[list(columns)].to_numpy(dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise DataError(f"{owner} needs numeric columns: {exc}") from exc
    if not np.isfinite(values).all():
        raise DataError(f"{owner} got NaN or infinite values; impute or drop them first.")
    return values


class _Transform(BaseStage):
    def _check_columns(self, X) -> pd.DataFrame:
        X = _check_frame(X, type(self).__name__)
        if list(X.columns) != self.feature_names_in_:
            raise DataError(
                f"{type(self).__name__} was fitted on columns {self.feature_names_in_}; "
                f"got {list(X.columns)}. Transform a table with the same columns."
            )
        return X

    def fit_transform(self, X) -> pd.DataFrame:
        """Fit to ``X`` and return it transformed."""
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
    feature_names_in_ : list of str

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

    def fit(self, X):
        X = _check_frame(X, type(self).__name__)
        self.feature_names_in_ = list(X.columns)
        if self.columns is None:
            values = _numeric(X, X.columns, type(self).__name__)
            nonneg = (values >= 0).all(axis=0)
            self.columns_ = [c for c, ok in zip(X.columns, nonneg, strict=True) if ok]
        else:
            missing = sorted(set(self.columns) - set(X.columns))
            if missing:
                raise DataError(
                    f"{type(self).__name__}: columns {missing} are not in the table; "
                    f"available: {list(X.columns)}."
                )
            self.columns_ = list(self.columns)
        return self

    def transform(self, X) -> pd.DataFrame:
        """Return a transformed copy of ``X``."""
        X = self._check_columns(X)
        out = X.copy()
        if self.columns_:
            values = _numeric(X, self.columns_, type(self).__name__)
            out[self.columns_] = np.sign(values) * np.log1p(np.abs(values))
        return out


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
    scaler_ : the fitted scikit-learn scaler (None for a table without columns)
    fallback_columns_ : list of str
        Columns standard-scaled instead of robust-scaled.
    feature_names_in_ : list of str

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

    def fit(self, X):
        from sklearn.preprocessing import MinMaxScaler, RobustScaler, StandardScaler

        X = _check_frame(X, type(self).__name__)
        self.feature_names_in_ = list(X.columns)
        values = _numeric(X, X.columns, type(self).__name__)
        scaler = {"robust": RobustScaler, "standard": StandardScaler, "minmax": MinMaxScaler}
        self.fallback_columns_ = []
        if values.shape[1] == 0:  # nothing to scale; transform returns the empty table
            self.scaler_ = None
            return self
        self.scaler_ = scaler[self.method]().fit(values)
        if self.method == "robust":
            q25, q75 = np.percentile(values, [25, 75], axis=0)
            std = values.std(axis=0)
            fallback = (q75 - q25 == 0) & (std > 0)
            # RobustScaler.transform is (x - center_) / scale_: patch those columns.
            self.scaler_.center_ = np.where(fallback, values.mean(axis=0), self.scaler_.center_)
            self.scaler_.scale_ = np.where(fallback, std, self.scaler_.scale_)
            self.fallback_columns_ = [c for c, f in zip(X.columns, fallback, strict=True) if f]
        return self

    def transform(self, X) -> pd.DataFrame:
        """Return a scaled copy of ``X`` (same index and columns)."""
        X = self._check_columns(X)
        values = _numeric(X, X.columns, type(self).__name__)
        scaled = values if self.scaler_ is None else self.scaler_.transform(values)
        return pd.DataFrame(scaled, index=X.index, columns=X.columns)


@register("transform", "none")
class NoTransform(_Transform):
    """Identity: returns the table unchanged (use it to skip the transform step).

    Attributes
    ----------
    feature_names_in_ : list of str

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"a": [1.0, 2.0]})
    >>> NoTransform().fit_transform(X).equals(X)
    True
    """

    def fit(self, X):
        self.feature_names_in_ = list(_check_frame(X, type(self).__name__).columns)
        return self

    def transform(self, X) -> pd.DataFrame:
        """Return ``X`` itself (not a copy; stages never modify their input)."""
        return self._check_columns(X)
