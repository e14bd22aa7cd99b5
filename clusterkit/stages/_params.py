"""Parameter constraints declared as data, checked at ``fit`` time.

Examples
--------
>>> from clusterkit.stages._params import Interval, Options, check_params
>>> try:
...     check_params("KMeansCluster", {"n_clusters": 0},
...                  {"n_clusters": [Interval(int, 1, None)]})
... except ValueError as exc:
...     print(exc)
The 'n_clusters' parameter of KMeansCluster must be an int in the range [1, inf). Got 0 instead.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass

from clusterkit.errors import ConfigError

__all__ = ["Interval", "Options", "check_params"]


@dataclass(frozen=True)
class Interval:
    """A numeric range; ``type`` is ``int`` or ``float`` (ints are accepted as floats)."""

    type: type
    low: float | None
    high: float | None
    closed: str = "left"  # "left", "right", "both", "neither"

    def accepts(self, value) -> bool:
        if isinstance(value, bool):
            return False
        kind = numbers.Integral if self.type is int else numbers.Real
        if not isinstance(value, kind):
            return False
        lo_ok = self.low is None or (
            value >= self.low if self.closed in ("left", "both") else value > self.low
        )
        hi_ok = self.high is None or (
            value <= self.high if self.closed in ("right", "both") else value < self.high
        )
        return lo_ok and hi_ok

    def __str__(self) -> str:
        left = "[" if self.closed in ("left", "both") and self.low is not None else "("
        right = "]" if self.closed in ("right", "both") and self.high is not None else ")"
        lo = "-inf" if self.low is None else self.low
        hi = "inf" if self.high is None else self.high
        name = "an int" if self.type is int else "a float"
        return f"{name} in the range {left}{lo}, {hi}{right}"


@dataclass(frozen=True)
class Options:
    """One of a fixed set of values."""

    values: frozenset

    def __init__(self, *values):
        object.__setattr__(self, "values", frozenset(values))

    def accepts(self, value) -> bool:
        try:
            return value in self.values
        except TypeError:
            return False

    def __str__(self) -> str:
        return "one of {" + ", ".join(repr(v) for v in sorted(self.values, key=str)) + "}"


def _describe(c) -> str:
    if c is None:
        return "None"
    if c is dict:
        return "a dict"
    if c is str:
        return "a str"
    if c is bool:
        return "a bool"
    if c is list:
        return "a list"
    if c == "random_state":
        return "an int or None"
    if isinstance(c, type):
        return f"a {c.__name__}"
    return str(c)


def _accepts(c, value) -> bool:
    if c is None:
        return value is None
    if c == "random_state":
        return value is None or (isinstance(value, numbers.Integral) and not isinstance(
            value, bool) and value >= 0)
    if isinstance(c, type):
        return isinstance(value, c) and not (c is not bool and isinstance(value, bool))
    return c.accepts(value)


def check_params(owner: str, params: dict, constraints: dict) -> None:
    """Raise :class:`ConfigError` for the first parameter that breaks its constraints."""
    for name, options in constraints.items():
        if name not in params:
            continue
        value = params[name]
        if any(_accepts(c, value) for c in options):
            continue
        descr = [_describe(c) for c in options]
        text = descr[0] if len(descr) == 1 else ", ".join(descr[:-1]) + " or " + descr[-1]
        raise ConfigError(
            f"The {name!r} parameter of {owner} must be {text}. Got {value!r} instead."
        )
