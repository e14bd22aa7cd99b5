"""Learned engagement weights: what each action on each channel adds to conversion, per touch.

Attribution says how many conversions each touch type (``action@channel``) adds; divided by
how often it is touched, that is its value *per touch*. :func:`learned_weights` puts these
values on the default engagement scale (DESIGN §2: view 0.1 … purchase 8) so that scoring
can use them in place of the defaults:

1. ``value_t = max(conversions_t, 0) / touches_t`` for every touch type with at least
   ``min_touches`` touches (rarer ones keep their default weight);
2. ``learned_t = value_t * sum(touches * default) / sum(touches * value)``: the learned
   weights are rescaled so that the total engagement of all those touches is unchanged;
   only how it is distributed over actions and channels changes;
3. capped at ``cap`` (default: the largest default weight of the conversion actions,
   ``purchase`` 8), blended as ``(1 - strength) * default + strength * learned``.

Direction: a touch type that adds more conversions per touch than the average touch gets a
weight above the default-scale average, one that adds nothing gets 0; members who act on the
channels and actions that drive conversion gain engagement weight, the others lose it.

With channel-level attribution every action on a channel is scaled by the same factor,
``value_c / mean value``, from its default weight (then capped and blended).

The result maps ``action -> {channel -> weight}`` (channel-specific pair weights) and is
written by :func:`write_weights_yaml` in the format :func:`clusterkit.weights.load_weights`
reads: ``clusterkit run --set weights_file=weights.yaml`` scores with it.

Examples
--------
>>> import pandas as pd
>>> att = pd.DataFrame({"model": "model", "touch": ["view@web", "like@x"],
...                     "conversions": [0.0, 40.0]})
>>> touches = pd.Series({"view@web": 100, "like@x": 100})
>>> learned_weights(att, touches, min_touches=1, every_channel=False)
{'like': {'x': 1.1}, 'view': {'web': 0.0}}
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.attribution._arrays import JourneyArrays
from clusterkit.attribution.journeys import TOUCH_SEP
from clusterkit.errors import ConfigError, DataError
from clusterkit.weights import action_weights

__all__ = ["learned_weights", "weights_table", "write_weights_yaml"]


def _touch_counts(journeys) -> pd.Series:
    if isinstance(journeys, pd.Series):
        return journeys.astype(np.float64)
    if isinstance(journeys, pd.DataFrame) and "touch" in journeys.columns:
        return journeys["touch"].astype(str).value_counts().astype(np.float64)
    if isinstance(journeys, JourneyArrays):  # touch names without a touch left out
        n = np.bincount(journeys.codes, minlength=journeys.n_touches).astype(np.float64)
        return pd.Series(n, index=journeys.touches.astype(str))[n > 0]
    raise DataError("learned_weights needs the journeys frame (or touch counts) the "
                    "attribution was made from.")


def learned_weights(attribution: pd.DataFrame, journeys, *, model: str = "model",
                    min_touches: int = 30, strength: float = 1.0, cap: float | None = None,
                    conversions=("purchase",), defaults: dict | None = None,
                    default_weight: float = 1.0,
                    every_channel: bool = True) -> dict[str, dict[str, float]]:
    """Action × channel engagement weights learned from an attribution.

    Parameters
    ----------
    attribution : pandas.DataFrame
        From :func:`~clusterkit.attribution.attribute` or ``compare_models`` (rows of
        ``model`` are used).
    journeys : pandas.DataFrame, pandas.Series or JourneyArrays
        The action-level journeys (``touch`` = ``action@channel``), or touches counted per
        touch type: the touches the attribution read. For the default model, which reads
        whole spells, journeys cut to a lookback window would miss the touches outside
        every window that it credits (an error).
    model : str
        Which model's rows to use.
    min_touches : int
        Touch types touched fewer times keep their default weight.
    strength : float in [0, 1]
        1: fully learned; 0: the defaults.
    cap : float, optional
        Largest weight; default the largest default weight of ``conversions``.
    conversions : sequence of str
        Conversion actions (for the default cap).
    defaults : dict, optional
        Default action weights (DESIGN §2 otherwise, see
        :func:`clusterkit.weights.action_weights`).
    default_weight : float
        Default of actions outside the known vocabulary.
    every_channel : bool, default True
        Also give each action a weight for every channel (key ``"*"``): the touch-weighted
        mean of its channels' weights. Scoring uses it on channels the journeys did not
        see, and the behaviour features (which take action weights only) use it.

    Returns
    -------
    dict
        ``{action: {channel: weight}}``, sorted, ``"*"`` first.

    Raises
    ------
    ConfigError
        Bad ``strength`` / ``min_touches``, no rows for ``model``, or touches that are
        neither ``action@channel`` nor channels of the journeys.
    """
    if not 0 <= strength <= 1:
        raise ConfigError(f"The 'strength' parameter of learned_weights must be in [0, 1]. "
                          f"Got {strength!r} instead.")
    if min_touches < 1:
        raise ConfigError(f"The 'min_touches' parameter of learned_weights must be >= 1. Got "
                          f"{min_touches!r} instead.")
    rows = attribution[attribution["model"] == model]
    if rows.empty:
        raise ConfigError(f"no rows of model {model!r} in the attribution; models there: "
                          f"{sorted(attribution['model'].unique())}.")
    table = action_weights(defaults)
    counts = _touch_counts(journeys)
    names = counts.index.astype(str)
    if not names.str.contains(TOUCH_SEP, regex=False).all():
        raise ConfigError("learned weights need action-level journeys (touch "
                          "'action@channel'): build them with level='action'.")
    split = names.str.split(TOUCH_SEP, n=1)
    pairs = pd.DataFrame({"touch": names, "action": split.str[0], "channel": split.str[1],
                          "touches": counts.to_numpy()})
    pairs["default"] = pairs["action"].map(table).astype("float64").fillna(default_weight)
    credit = rows.set_index("touch")["conversions"].astype(np.float64)
    action_level = credit.index.str.contains(TOUCH_SEP, regex=False).all()
    key = pairs["touch"] if action_level else pairs["channel"]
    credited = credit[credit.fillna(0.0) != 0].index  # touches the model gave credit to
    unknown = sorted(set(credited) - set(key))
    if unknown:
        raise ConfigError(f"attribution touch {unknown[0]!r} is not in the journeys; give the "
                          "journeys the attribution was made from.")
    if action_level:
        per = credit.clip(lower=0) / counts.reindex(credit.index)
        reliable = pairs["touches"] >= min_touches
        value = pairs["touch"].map(per).fillna(0.0).to_numpy()
    else:  # one factor per channel, from the channel's touches
        chan_n = pairs.groupby("channel")["touches"].sum()
        per = credit.clip(lower=0) / chan_n.reindex(credit.index)
        reliable = pairs["channel"].map(chan_n) >= min_touches
        factor = per / np.average(per, weights=chan_n.reindex(per.index))
        value = (pairs["channel"].map(factor).fillna(1.0) * pairs["default"]).to_numpy()
    rel = reliable.to_numpy() & bool(credit.notna().any())  # nothing credited: defaults
    n = pairs["touches"].to_numpy()
    d = pairs["default"].to_numpy()
    scale = (n[rel] * d[rel]).sum() / max((n[rel] * value[rel]).sum(), 1e-300)
    cap = max(table.get(c, default_weight) for c in conversions) if cap is None else cap
    learned = np.where(rel, np.minimum(value * scale, cap), d)
    weight = np.round((1 - strength) * d + strength * learned, 4)
    out: dict[str, dict[str, float]] = {}
    for a, c, w in sorted(zip(pairs["action"], pairs["channel"], weight, strict=True)):
        out.setdefault(a, {})[c] = float(w)  # one entry per touch type (a small table)
    if every_channel:
        mean = pd.Series(weight * n).groupby(pairs["action"].to_numpy()).sum() / \
            pd.Series(n).groupby(pairs["action"].to_numpy()).sum()
        for a, w in mean.items():
            out[a] = {"*": round(float(w), 4), **out[a]}
    return out


def weights_table(weights: dict, defaults: dict | None = None,
                  default_weight: float = 1.0) -> pd.DataFrame:
    """``{action: {channel: weight}}`` as a frame ``action, channel, default_weight, weight``.

    Examples
    --------
    >>> weights_table({"like": {"x": 2.0}}).to_dict("records")
    [{'action': 'like', 'channel': 'x', 'default_weight': 1.0, 'weight': 2.0}]
    """
    table = action_weights(defaults)
    rows = [(a, c, float(table.get(a, default_weight)), float(w))
            for a, chans in sorted(weights.items()) for c, w in sorted(chans.items())]
    return pd.DataFrame(rows, columns=["action", "channel", "default_weight", "weight"])


def write_weights_yaml(path, weights: dict, *, header: str | None = None) -> Path:
    """Write ``{action: {channel: weight}}`` as YAML for ``weights_file`` / ``load_weights``.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> from clusterkit.weights import load_weights
    >>> p = write_weights_yaml(pathlib.Path(tempfile.mkdtemp()) / "w.yaml", {"like": {"x": 2}})
    >>> load_weights(p)
    ({}, {'like': {'x': 2.0}})
    """
    import yaml

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    clean = {str(a): {str(c): float(w) for c, w in sorted(ch.items())}
             for a, ch in sorted(weights.items())}
    lines = ["# engagement weights per action and channel (clusterkit.weights.load_weights)"]
    lines += [f"# {h}" for h in (header or "").splitlines() if h.strip()]
    text = "\n".join(lines) + "\n" + yaml.safe_dump(clean, sort_keys=True,
                                                    default_flow_style=False)
    path.write_text(text)
    return path
