"""Engagement weights: one :class:`EngagementWeights` object that every consumer receives.

What an action is worth (DESIGN §2 defaults, overridden per action), on which channel
(a multiplier per channel, or an exact action × channel weight), and how fast it fades
(a half-life). A run builds one object from its config (:meth:`EngagementWeights.from_config`)
and hands that same object to the behaviour and interaction features, the role stages,
engagement scoring, influence (authority) and the campaign panel.

A weights file (``weights_file`` in the config, e.g. learned by attribution) is a CSV with
columns ``action, weight`` and optionally ``channel`` (a row with a channel sets the weight
of that action on that channel only), or a YAML / JSON mapping ``action -> weight`` or
``action -> {channel -> weight}`` (with ``"*"`` for every other channel). Weights must be
finite and non-negative.

Examples
--------
>>> w = EngagementWeights(actions={"like": 2})
>>> w.table["like"], w.table["share"], w.action("signup")
(2.0, 5.0, 1.0)
>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "weights.csv"
>>> _ = path.write_text("action,channel,weight\\nshare,,6\\nshare,newsletter,2\\nlike,,0.5\\n")
>>> actions, pairs = load_weights(path)
>>> actions
{'like': 0.5, 'share': 6.0}
>>> pairs
{'share': {'newsletter': 2.0}}
"""

from __future__ import annotations

import json
import math
import numbers
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from clusterkit.errors import ConfigError, DataError

__all__ = ["DEFAULT_ACTION_WEIGHTS", "EngagementWeights", "action_weights",
           "check_component_weights", "check_weights", "load_weights"]

DEFAULT_ACTION_WEIGHTS: MappingProxyType = MappingProxyType({
    "view": 0.1, "newsletter_open": 0.5, "like": 1.0, "follow": 2.0,
    "newsletter_click": 1.5, "reply": 3.0, "comment": 3.0, "mention": 4.0, "share": 5.0,
    "retweet": 5.0, "post": 2.0, "blog_post": 6.0, "video": 6.0, "event_attend": 6.0,
    "purchase": 8.0,
})
"""Default engagement weight of each known action (DESIGN §2)."""


def check_weights(weights, param: str) -> dict:
    if weights is None:
        return {}
    out = {}
    for key, value in weights.items():
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise ConfigError(
                f"{param}[{key!r}] must be a finite number >= 0. Got {value!r} instead."
            )
        out[str(key).strip().lower()] = float(value)
    return out


def check_component_weights(weights, param: str = "influence_weights") -> dict:
    """Weights of the parts of a combined score (the run config's ``influence_weights``).

    Each must be a finite number >= 0 and, when any is given, one at least > 0: the parts
    left out weigh 0, so weights that are all 0 would score every member 0.

    Raises
    ------
    clusterkit.errors.ConfigError
        Naming ``param.key`` (or ``param`` when every weight is 0).

    Examples
    --------
    >>> check_component_weights({"reach": 1, "authority": 0})
    {'reach': 1.0, 'authority': 0.0}
    >>> check_component_weights({"reach": -1})
    Traceback (most recent call last):
    ...
    clusterkit.errors.ConfigError: influence_weights.reach must be a finite number >= 0. Got -1 instead.
    """  # noqa: E501 - the doctest output is one line
    out = {}
    for key, value in (weights or {}).items():  # a handful of components
        ok = isinstance(value, numbers.Real) and not isinstance(value, bool)
        if not ok or not math.isfinite(value) or value < 0:
            raise ConfigError(f"{param}.{key} must be a finite number >= 0. Got {value!r} "
                              "instead.")
        out[str(key)] = float(value)
    if out and max(out.values()) == 0:
        raise ConfigError(f"{param}: every weight is 0, so every member's score would be 0; "
                          f"give one a weight > 0, or leave {param} empty for the defaults.")
    return out


def action_weights(weights: dict | None = None) -> dict[str, float]:
    """Engagement weight per action: the defaults of DESIGN §2 updated by ``weights``.

    Parameters
    ----------
    weights : dict, optional
        Action → weight overrides or additions (keys are lower-cased, like actions).

    Returns
    -------
    dict of str to float

    Raises
    ------
    clusterkit.errors.ConfigError
        If a weight is not a finite number >= 0.

    Examples
    --------
    >>> w = action_weights({"like": 2, "Signup": 3})
    >>> w["like"], w["signup"], w["share"]
    (2.0, 3.0, 5.0)
    """
    merged = {k: float(v) for k, v in DEFAULT_ACTION_WEIGHTS.items()}
    merged.update(check_weights(weights, "weights"))
    return merged


@dataclass(frozen=True)
class EngagementWeights:
    """What each action is worth, on which channel, and how fast it fades.

    Parameters
    ----------
    actions : dict, optional
        Action → weight overrides of :data:`DEFAULT_ACTION_WEIGHTS` (the run config's
        ``weights``, after the weights file's).
    default : float, default 1.0
        Weight of actions outside the known vocabulary and ``actions``.
    channels : dict, optional
        Channel → multiplier (1 when absent).
    pairs : dict, optional
        ``{action: {channel: weight}}``: the weight of an action on one channel, replacing
        action weight × channel multiplier there (engagement scoring; e.g. learned by
        attribution).
    half_life_days : float, optional
        Halve an event's weight every ``half_life_days`` before the reference time.

    Notes
    -----
    The object is immutable and compared by value; ``EngagementWeights()`` is the DESIGN §2
    default. Consumers read :attr:`table` (every known action's weight) and
    :meth:`action`; engagement scoring also reads ``channels``, ``pairs`` and
    ``half_life_days``, the behaviour features ``channels`` and ``half_life_days``.
    """

    actions: dict = field(default_factory=dict)
    default: float = 1.0
    channels: dict = field(default_factory=dict)
    pairs: dict = field(default_factory=dict)
    half_life_days: float | None = None

    def __post_init__(self):
        check_weights(self.actions, "weights")
        check_weights(self.channels, "channel_weights")
        for action, chans in (self.pairs or {}).items():
            check_weights(chans, f"pair_weights[{action!r}]")
        if not (isinstance(self.default, numbers.Real) and math.isfinite(self.default)
                and self.default >= 0):
            raise ConfigError(f"default_weight must be a finite number >= 0. Got "
                              f"{self.default!r} instead.")
        h = self.half_life_days
        if h is not None and not (isinstance(h, numbers.Real) and h > 0):
            raise ConfigError(f"half_life_days must be > 0 or None. Got {h!r} instead.")

    @classmethod
    def from_config(cls, cfg) -> EngagementWeights:
        """The weights of a run config: the weights file first, then the config's own."""
        actions: dict = {}
        pairs: dict = {}
        if cfg.weights_file:
            actions, pairs = load_weights(cfg.weights_file)
        actions.update(cfg.weights)
        for action, chans in cfg.pair_weights.items():
            pairs.setdefault(action, {}).update(chans)
        return cls(actions=actions, default=float(cfg.default_weight),
                   channels=dict(cfg.channel_weights), pairs=pairs,
                   half_life_days=cfg.half_life_days)

    @property
    def table(self) -> dict[str, float]:
        """Weight of every known action: the defaults updated by ``actions``."""
        return action_weights(self.actions)

    def action(self, name: str) -> float:
        """The weight of one action (``default`` when it is unknown)."""
        return self.table.get(str(name).strip().lower(), float(self.default))

    def sql_case(self, column: str = "action") -> str:
        """A SQL ``CASE`` giving each row's action weight (``default`` for unknown ones)."""
        cases = " ".join(f"WHEN '{a.replace(chr(39), chr(39) * 2)}' THEN {w!r}"
                         for a, w in self.table.items())
        return f"CASE {column} {cases} ELSE {float(self.default)!r} END"


def _number(value, where: str, file) -> float:
    try:
        w = float(value)
    except (TypeError, ValueError):
        raise DataError(f"{where}: weight {value!r} is not a number.", file=file) from None
    if not math.isfinite(w) or w < 0:
        raise DataError(f"{where}: weight {value!r} must be finite and >= 0.", file=file)
    return w


def load_weights(path) -> tuple[dict[str, float], dict[str, dict[str, float]]]:
    """Read a weights file.

    Parameters
    ----------
    path : str or Path
        ``.csv``, ``.yaml`` / ``.yml`` or ``.json``.

    Returns
    -------
    actions : dict
        Action → weight (all channels).
    pairs : dict
        Action → {channel → weight} for channel-specific weights.

    Raises
    ------
    DataError
        Missing file, unknown format, missing columns, non-numeric or negative weights.
    """
    import pandas as pd
    import yaml

    path = Path(path)
    if not path.is_file():
        raise DataError(f"weights file {str(path)!r} not found.")
    actions: dict[str, float] = {}
    pairs: dict[str, dict[str, float]] = {}
    suffix = path.suffix.lower()
    if suffix == ".csv":
        df = pd.read_csv(path, dtype=str, keep_default_na=False)
        missing = [c for c in ("action", "weight") if c not in df.columns]
        if missing:
            raise DataError(f"missing required column {missing[0]!r}; a weights CSV needs "
                            "action, weight and optionally channel.", file=path,
                            column=missing[0])
        channel = df["channel"] if "channel" in df.columns else pd.Series("", index=df.index)
        for row, (a, c, w) in enumerate(zip(df["action"], channel, df["weight"],
                                            strict=True), start=1):  # small config table
            a = a.strip().lower()
            if not a:
                raise DataError(f"row {row}: empty action.", file=path, column="action",
                                rows=[row])
            value = _number(w, f"row {row}", path)
            if c.strip() and c.strip() != "*":
                pairs.setdefault(a, {})[c.strip()] = value
            else:
                actions[a] = value
    elif suffix in (".yaml", ".yml", ".json"):
        text = path.read_text()
        try:
            raw = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
        except (json.JSONDecodeError, yaml.YAMLError) as exc:
            raise DataError(f"cannot be parsed: {str(exc).splitlines()[0]}", file=path) from None
        if not isinstance(raw, dict):
            raise DataError("must map action to weight (or to {channel: weight}).", file=path)
        for a, value in raw.items():
            a = str(a).strip().lower()
            if isinstance(value, dict):
                for c, w in value.items():
                    number = _number(w, f"{a}.{c}", path)
                    if str(c) == "*":
                        actions[a] = number
                    else:
                        pairs.setdefault(a, {})[str(c)] = number
            else:
                actions[a] = _number(value, a, path)
    else:
        raise DataError("unknown weights format; use .csv, .yaml, .yml or .json.", file=path)
    return dict(sorted(actions.items())), {a: dict(sorted(c.items()))
                                            for a, c in sorted(pairs.items())}
