"""Grid expansion: sweep keys and values into the grid points that run, and those skipped."""

from __future__ import annotations

import difflib
import itertools
import json
from dataclasses import dataclass
from typing import Any

import pandas as pd

from clusterkit.config import RunConfig, config_hash
from clusterkit.errors import ConfigError

_STAGE_STEPS = ("reduce", "cluster", "community", "roles", "scoring")


@dataclass(frozen=True)
class GridPoint:
    """One configuration of the sweep.

    Attributes
    ----------
    point : int
        Position among the grid points that run (0-based).
    label : str
        Short readable name (``"leiden, resolution=0.5"``).
    params : dict
        Grid key → value applied (``None`` when the stage does not accept the parameter).
    config : RunConfig
        The effective configuration (with the base seed).
    note : str
        Which grid values were not applied, and why.
    """

    point: int
    label: str
    params: dict
    config: RunConfig
    note: str = ""


def _stage_param_names(kind: str, name: str) -> list[str]:
    from clusterkit.registry import get_stage

    cls = get_stage(kind, name)
    return list(cls._get_param_names()) if hasattr(cls, "_get_param_names") else []


def _short(key: str, value) -> str:
    step, _, leaf = key.partition(".")
    text = value if isinstance(value, str) else json.dumps(value)
    if leaf == "name" and step in _STAGE_STEPS:
        return str(text)
    if "__" in key:
        return f"{key.split('__', 1)[1]}={text}"
    if leaf.startswith("params."):
        return f"{leaf[len('params.') :]}={text}"
    return f"{key}={text}"


def _expand(base: RunConfig, grid: dict) -> tuple[list[GridPoint], pd.DataFrame]:
    from clusterkit.config import apply_overrides
    from clusterkit.registry import create_stage

    keys = list(grid)
    norm = {k: k.strip().replace("__", ".params.", 1).split(".") for k in keys}
    name_keys = {
        p[0]: k for k, p in norm.items() if len(p) == 2 and p[1] == "name" and p[0] in _STAGE_STEPS
    }
    param_keys = {
        k: (p[0], p[2])
        for k, p in norm.items()
        if len(p) == 3 and p[1] == "params" and p[0] in _STAGE_STEPS
    }
    for key in keys:  # check keys once, with their first value
        p = norm[key]
        if p[0] == "seed":
            raise ConfigError(
                f"sweep.grid key {key!r}: seeds are swept with sweep.seeds, not the grid."
            )
        if key in param_keys:
            step, param = param_keys[key]
            if param == "random_state":
                raise ConfigError(f"sweep.grid key {key!r}: seeds are swept with sweep.seeds.")
            names = grid[name_keys[step]] if step in name_keys else [getattr(base, step).name]
            accepted: set[str] = set()
            for name in names:
                try:
                    accepted |= set(_stage_param_names(step, str(name)))
                except ConfigError as exc:
                    raise ConfigError(
                        f"sweep.grid key {name_keys.get(step, key)!r}: {exc}"
                    ) from None
            if param not in accepted:
                hint = difflib.get_close_matches(param, sorted(accepted), n=1)
                did = f" Did you mean {step}__{hint[0]}?" if hint else ""
                raise ConfigError(
                    f"sweep.grid key {key!r}: no {step} stage of this sweep "
                    f"({', '.join(map(str, names))}) has a parameter {param!r}.{did} "
                    f"Parameters: {', '.join(sorted(accepted)) or '(none)'}."
                )
        elif key not in name_keys.values():
            try:
                apply_overrides(base, [f"{key}={json.dumps(grid[key][0])}"])
            except ConfigError as exc:
                msg = (
                    str(exc)
                    .removeprefix("--set: ")
                    .removeprefix(f"--set {key}={json.dumps(grid[key][0])!r}: ")
                )
                raise ConfigError(f"sweep.grid key {key!r}: {msg}") from None

    points: list[GridPoint] = []
    skipped: list[dict] = []
    seen: dict[str, int] = {}
    combos = list(itertools.product(*(grid[k] for k in keys))) if keys else [()]
    for combo in combos:
        values = dict(zip(keys, combo, strict=True))
        applied: dict[str, Any] = {}
        dropped: list[str] = []
        overrides: list[str] = []
        stage_params: dict[str, dict] = {}
        accepts: dict[str, set] = {}
        for step, key in name_keys.items():
            name = str(values[key])
            current = getattr(base, step)
            params = dict(current.params) if name == current.name else {}
            accepted = accepts[step] = set(_stage_param_names(step, name))
            for pkey, (pstep, param) in param_keys.items():
                if pstep != step:
                    continue
                if param in accepted:
                    params[param] = values[pkey]
                else:
                    dropped.append(f"{name} has no parameter {param!r}")
            stage_params[step] = params
            applied[key] = name
            overrides.append(f"{step}={json.dumps({'name': name, 'params': params})}")
        for key in keys:
            if key in name_keys.values():
                continue
            if key in param_keys:
                step, param = param_keys[key]
                if step in stage_params:  # set above, with the stage's name
                    applied[key] = values[key] if param in accepts[step] else None
                    continue
            applied[key] = values[key]
            overrides.append(f"{key}={json.dumps(values[key])}")
        try:
            cfg = apply_overrides(base, overrides) if overrides else base
            for step in _STAGE_STEPS:
                spec = getattr(cfg, step)
                stage = create_stage(step, spec.name, spec.params)
                if hasattr(stage, "_validate_params"):
                    stage._validate_params()
        except ConfigError as exc:
            point = ", ".join(f"{k}={v!r}" for k, v in values.items())
            raise ConfigError(f"sweep grid point {{{point}}}: {exc}") from None
        label = ", ".join(_short(k, v) for k, v in applied.items() if v is not None) or "base"
        note = "; ".join(dict.fromkeys(dropped))
        h = config_hash(cfg)
        if h in seen:
            first = points[seen[h]]
            skipped.append(
                {
                    **{k: values[k] for k in keys},
                    "reason": f"same effective configuration as point {first.point} "
                    f"({first.label})" + (f": {note}" if note else ""),
                }
            )
            continue
        seen[h] = len(points)
        points.append(
            GridPoint(point=len(points), label=label, params=applied, config=cfg, note=note)
        )
    labels = [p.label for p in points]
    if len(set(labels)) < len(labels):  # short labels collide: use full key=value labels
        points = [
            GridPoint(
                p.point,
                ", ".join(f"{k}={v}" for k, v in p.params.items() if v is not None) or "base",
                p.params,
                p.config,
                p.note,
            )
            for p in points
        ]
    return points, pd.DataFrame(skipped, columns=[*keys, "reason"])
