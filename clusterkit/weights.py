"""Engagement weights read from a file, so that learned weights (attribution) can be used.

A weights file is a CSV with columns ``action, weight`` and optionally ``channel`` (a row with a
channel sets the weight of that action on that channel only), or a YAML / JSON mapping
``action -> weight`` or ``action -> {channel -> weight}`` (with ``"*"`` for every other
channel). Weights must be finite and non-negative.

Examples
--------
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
from pathlib import Path

from clusterkit.errors import DataError

__all__ = ["load_weights"]


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
