"""Experiments: a grid of configurations × seeds over one dataset, compared with statistics.

An experiment config is a run config (every key of :class:`~clusterkit.config.RunConfig`)
plus a ``sweep`` block::

    name: compare-example
    seed: 42
    community: {name: leiden}
    sweep:
      grid:                                # cartesian product, first key varies slowest
        community.name: [leiden, louvain, label_propagation]
        community__resolution: [0.5, 1.0, 2.0]
      seeds: 5                             # or an explicit list, e.g. [1, 2, 3]
      truth: null                          # CSV: member_id + community and/or role
      rank: [nmi]                          # metrics to rank on (name or name:higher|lower)
      bootstrap: 0                         # resamples for community Jaccard stability

Grid keys are ``step__param`` or dotted paths, as for ``--set``
(:func:`~clusterkit.config.apply_overrides`).

**Stage parameters the chosen stage does not accept.** When a grid switches a step's stage
(``community.name``) *and* sets one of its parameters (``community__resolution``), a
parameter is applied only to the stages that accept it (label propagation has no
``resolution``); the run table shows it as missing for the others. Grid points that end up
with the same effective configuration run once: the others are listed in
:attr:`ExperimentResult.skipped` with the reason. A key that *no* stage of the sweep accepts
is an error (with "did you mean"). A step whose stage the grid switches starts from that
stage's defaults (plus the grid's parameters), except when the stage is the base config's,
which keeps the base parameters.

**Seeds.** ``seeds: n`` runs seeds ``[seed, s_1, …, s_{n-1}]``: the config's own seed first
(so the first seed of a grid point reproduces ``clusterkit run`` with the same settings), then
``s_i = derive_seed(seed, "sweep", str(i))``. An explicit list is used as given.

**Per-run memory.** ``peak_mib`` is the largest resident set size sampled every 20 ms from
``/proc/self/statm`` by a background thread during the run, minus the value when the run
started, in MiB: the memory the run added on top of what the process already held. Spikes
shorter than the sampling interval can be missed, memory the allocator keeps after a
previous run is not counted again, and the first run of a sweep also pays for the shared
feature table and graph (see the ``cache`` of :meth:`~clusterkit.pipeline.Pipeline.run`).
NaN where ``/proc`` does not exist. ``wall_s`` is the wall time of the run and its metrics.

Examples
--------
>>> from clusterkit.data import CommunityData
>>> from clusterkit.data.synthetic import generate
>>> from clusterkit.experiment import ExperimentConfig, run_experiment
>>> sd = generate(300, seed=1)
>>> cfg = ExperimentConfig.from_dict({
...     "seed": 3, "sweep": {"grid": {"community.name": ["leiden", "label_propagation"]},
...                          "seeds": 2}})
>>> res = run_experiment(cfg, CommunityData.from_frames(**sd.tables), truth=sd.truth)
>>> res.to_frame()[["label", "seed_index"]].values.tolist()
[['leiden', 0], ['leiden', 1], ['label_propagation', 0], ['label_propagation', 1]]
>>> res.best("nmi")["label"] in ("leiden", "label_propagation")
True
"""

from __future__ import annotations

import difflib
import itertools
import json
import os
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator

from clusterkit.config import RunConfig, _apply, _format_validation, _Strict, config_hash
from clusterkit.errors import ClusterkitInputError, ConfigError

__all__ = [
    "EXPERIMENT_FILES",
    "METRIC_COLUMNS",
    "SIGNIFICANT_DIGITS",
    "TIMING_COLUMNS",
    "ExperimentConfig",
    "ExperimentResult",
    "GridPoint",
    "SweepConfig",
    "drop_timing",
    "load_experiment",
    "load_truth",
    "run_experiment",
]

_STAGE_STEPS = ("reduce", "cluster", "community", "roles", "scoring")
TIMING_COLUMNS = ("wall_s", "peak_mib")
"""Per-run columns that vary between identical runs; everything else is deterministic."""

METRIC_COLUMNS = (
    "n_segments",
    "n_clusters",
    "noise_share",
    "silhouette",
    "davies_bouldin",
    "calinski_harabasz",
    "n_communities",
    "n_isolates",
    "modularity",
    "coverage",
    "mean_conductance",
    "community_largest_share",
    "community_median_size",
    "community_size_gini",
    "engagement_gini",
    "engagement_hhi",
    "engagement_top_share",
    "community_jaccard",
    "nmi",
    "ami",
    "ari",
    "role_macro_f1",
)
"""Metric columns of the run table (external ones only with a truth, ``community_jaccard``
only with ``sweep.bootstrap > 0``)."""

EXPERIMENT_FILES = (
    "runs.parquet",
    "runs.csv",
    "summary.csv",
    "ranking.csv",
    "friedman.csv",
    "posthoc.csv",
    "stability.csv",
    "skipped.csv",
    "labels.parquet",
    "comparison.html",
    "manifest.json",
)
"""Files of a compare folder."""

_FLOAT = "%.10g"


class SweepConfig(_Strict):
    """The ``sweep`` block of an experiment config.

    Attributes
    ----------
    grid : dict
        ``step__param`` or dotted key → list of values; the runs are the cartesian product.
        Empty: one grid point, the base config.
    seeds : int or list of int
        Number of seeds derived from the config's ``seed``, or the seeds themselves.
    truth : str or None
        CSV with ``member_id`` and ``community`` and/or ``role`` columns: adds NMI, AMI, ARI
        (communities) and role macro-F1. A relative path is read from the config's folder.
    rank : list of str or None
        Metrics to rank grid points on (``name`` or ``name:higher|lower``). Default ``nmi``
        with a community truth, else ``modularity``.
    bootstrap : int
        Resamples (80 % of members, without replacement) for the community Jaccard
        stability of every run (:func:`clusterkit.metrics.bootstrap_jaccard`); 0 = off.
    """

    grid: dict[str, list[Any]] = Field(default_factory=dict)
    seeds: int | list[int] = 1
    truth: str | None = None
    rank: list[str] | None = None
    bootstrap: int = Field(0, ge=0)

    @field_validator("seeds")
    @classmethod
    def _check_seeds(cls, v):
        if isinstance(v, int):
            if v < 1:
                raise ValueError("seeds must be at least 1")
        else:
            if not v:
                raise ValueError("the list of seeds is empty")
            if any(s < 0 for s in v) or len(set(v)) != len(v):
                raise ValueError("seeds must be distinct non-negative integers")
        return v

    @field_validator("grid")
    @classmethod
    def _check_grid(cls, v):
        for key, values in v.items():
            if not values:
                raise ValueError(f"grid key {key!r} has an empty list of values; give at least one")
        return v


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


class ExperimentConfig(_Strict):
    """A run config plus a sweep. Build with :func:`load_experiment` or :meth:`from_dict`.

    Attributes
    ----------
    base : RunConfig
    sweep : SweepConfig
    """

    base: RunConfig = Field(default_factory=RunConfig)
    sweep: SweepConfig = Field(default_factory=SweepConfig)

    @classmethod
    def from_dict(
        cls, raw: dict, overrides=(), source: str = "experiment config", root: Path | None = None
    ) -> ExperimentConfig:
        """Validate a mapping of run-config keys plus ``sweep``; apply ``--set`` overrides.

        Overrides starting with ``sweep.`` change the sweep (``sweep.seeds=3``,
        ``sweep.grid.community__resolution=[0.5, 1]``); the others the base config.

        Raises
        ------
        ConfigError
            Unknown key (with "did you mean"), bad value, unknown stage or grid key.
        """
        raw = json.loads(json.dumps(raw))
        sweep_raw = raw.pop("sweep", None) or {}
        if not isinstance(sweep_raw, dict):
            raise ConfigError(
                f"{source}: 'sweep' must be a mapping (grid, seeds, truth, rank, bootstrap)."
            )
        base_over, sweep_over = [], []
        for item in overrides:
            (sweep_over if item.strip().startswith("sweep.") else base_over).append(item)
        sweep_raw = _apply_sweep_overrides(sweep_raw, sweep_over)
        raw = _apply(raw, base_over)
        try:
            base = RunConfig.model_validate(raw)
        except ValidationError as exc:
            raise ConfigError(_format_validation(exc, source)) from None
        base.check_stages()
        try:
            sweep = SweepConfig.model_validate(sweep_raw)
        except ValidationError as exc:
            raise ConfigError(_format_sweep_error(exc, source)) from None
        if sweep.truth and root is not None and not Path(sweep.truth).is_absolute():
            sweep = sweep.model_copy(update={"truth": str(Path(root) / sweep.truth)})
        cfg = cls(base=base, sweep=sweep)
        cfg.points()  # every grid key and value is checked before anything runs
        cfg.rank_metrics(truth_columns=("community", "role"))
        return cfg

    def seed_list(self) -> list[int]:
        """The seeds every grid point runs with (see the module notes)."""
        from clusterkit.stages.base import derive_seed

        s = self.sweep.seeds
        if isinstance(s, list):
            return [int(x) for x in s]
        base = self.base.seed
        return [base] + [derive_seed(base, "sweep", str(i)) for i in range(1, s)]

    def rank_metrics(self, truth_columns=()) -> dict[str, str]:
        """``{metric: direction}`` to rank on (the sweep's, or the default)."""
        from clusterkit.ranking import parse_metrics

        if self.sweep.rank is None:
            return {"nmi": "higher"} if "community" in truth_columns else {"modularity": "higher"}
        known = METRIC_COLUMNS + TIMING_COLUMNS
        for item in self.sweep.rank:
            name = str(item).partition(":")[0].strip()
            if name not in known:
                hint = difflib.get_close_matches(name, known, n=1)
                did = f" Did you mean {hint[0]!r}?" if hint else ""
                raise ConfigError(
                    f"sweep.rank: unknown metric {name!r}.{did} Metrics: {', '.join(known)}."
                )
        try:
            metrics = parse_metrics(self.sweep.rank)
        except ValueError as exc:
            raise ConfigError(f"sweep.rank: {exc}") from None
        return metrics

    def points(self) -> tuple[list[GridPoint], pd.DataFrame]:
        """Expand the grid: the points that run, and the combinations skipped (with reasons).

        Raises
        ------
        ConfigError
            Unknown grid key (with "did you mean"), unknown stage name, or a value a stage
            rejects.
        """
        return _expand(self.base, self.sweep.grid)

    def resolved(self) -> dict:
        """The experiment as plain JSON-able data (base config with defaults, and sweep)."""
        return {**self.base.resolved(), "sweep": self.sweep.model_dump(mode="json")}


def _apply_sweep_overrides(sweep: dict, overrides) -> dict:
    import yaml

    sweep = json.loads(json.dumps(sweep))
    for item in overrides:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep:
            raise ConfigError(f"--set {item!r}: expected key=value, e.g. sweep.seeds=3.")
        try:
            value = yaml.safe_load(text)
        except yaml.YAMLError:
            value = text
        rest = key[len("sweep.") :]
        if rest.startswith("grid."):
            sweep.setdefault("grid", {})
            sweep["grid"][rest[len("grid.") :]] = value
        else:
            sweep[rest] = value
    return sweep


def _format_sweep_error(exc: ValidationError, source: str) -> str:
    err = exc.errors()[0]
    loc = ".".join(str(p) for p in err["loc"])
    if err["type"] == "extra_forbidden":
        key = str(err["loc"][-1])
        valid = list(SweepConfig.model_fields)
        hint = difflib.get_close_matches(key, valid, n=1)
        did = f" Did you mean {hint[0]!r}?" if hint else ""
        return f"{source}: unknown key 'sweep.{loc}'.{did} Valid keys here: {', '.join(valid)}."
    msg = err["msg"].removeprefix("Value error, ")
    return f"{source}: sweep.{loc}: {msg} (got {err.get('input')!r})."


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


def load_experiment(path, overrides=()) -> ExperimentConfig:
    """Read an experiment YAML (run-config keys plus ``sweep``) and apply ``--set`` overrides.

    Raises
    ------
    ConfigError
        Unreadable file, unknown key, bad value, unknown stage, unknown grid key.
    """
    from clusterkit.config import read_yaml_mapping

    source = str(path)
    raw = read_yaml_mapping(path)
    return ExperimentConfig.from_dict(raw, overrides, source=source, root=Path(path).parent)


def load_truth(path_or_frame) -> pd.DataFrame:
    """Ground truth indexed by ``member_id`` (str) with ``community`` and/or ``role``.

    Accepts a CSV path or a DataFrame (``member_id`` as index or column).

    Raises
    ------
    ClusterkitInputError
        Missing file, no ``member_id``, neither ``community`` nor ``role``, duplicate ids.
    """
    if isinstance(path_or_frame, pd.DataFrame):
        df = path_or_frame.copy()
        name = "truth"
        if "member_id" not in df.columns:
            df = df.reset_index()
            if "member_id" not in df.columns:
                df = df.rename(columns={df.columns[0]: "member_id"})
    else:
        name = str(path_or_frame)
        try:
            df = pd.read_csv(path_or_frame, dtype={"member_id": str})
        except FileNotFoundError:
            raise ClusterkitInputError(f"truth file {name!r} not found.") from None
        except (
            pd.errors.ParserError,
            pd.errors.EmptyDataError,
            UnicodeDecodeError,
            IsADirectoryError,
        ) as exc:
            raise ClusterkitInputError(
                f"truth file {name!r} cannot be read as CSV: "
                f"{str(exc).splitlines()[0] if str(exc) else exc}"
            ) from None
        if "member_id" not in df.columns:
            raise ClusterkitInputError(
                f"truth file {name!r} has no 'member_id' column; it has {list(df.columns)}."
            )
    cols = [c for c in ("community", "role") if c in df.columns]
    if not cols:
        raise ClusterkitInputError(
            f"{name}: needs a 'community' and/or 'role' column next to "
            f"'member_id'; it has {list(df.columns)}."
        )
    df["member_id"] = df["member_id"].astype(str)
    dup = df["member_id"].duplicated()
    if dup.any():
        raise ClusterkitInputError(
            f"{name}: duplicate member_id {df['member_id'][dup].iloc[0]!r}; give each member once."
        )
    return df.set_index("member_id")[cols]


class _RSSSampler:
    """Peak resident memory (MiB) added during a ``with`` block, sampled every 20 ms."""

    def __init__(self, interval: float = 0.02):
        self.interval = interval
        self.peak_mib = float("nan")

    @staticmethod
    def _rss() -> int | None:
        try:
            with open("/proc/self/statm", "rb") as fh:
                return int(fh.read().split()[1])
        except (OSError, ValueError, IndexError):
            return None

    def _loop(self):
        while not self._stop.wait(self.interval):
            rss = self._rss()
            if rss is not None and rss > self._max:
                self._max = rss

    def __enter__(self):
        self._start = self._rss()
        self._max = self._start or 0
        self._stop = threading.Event()
        if self._start is not None:
            self._thread = threading.Thread(target=self._loop, daemon=True)
            self._thread.start()
        return self

    def __exit__(self, *exc):
        if self._start is None:
            return False
        self._stop.set()
        self._thread.join()
        end = self._rss()
        peak = max(self._max, end or 0)
        page = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
        self.peak_mib = round((peak - self._start) * page / 2**20, 1)
        return False


def _num(d: dict, key: str) -> float:
    v = d.get(key)
    return float(v) if isinstance(v, (int, float)) and v is not None else float("nan")


def _run_metrics(result, truth: pd.DataFrame | None) -> dict:
    from clusterkit.metrics import (
        ami,
        ari,
        concentration,
        engagement_share,
        nmi,
        role_macro_f1,
        size_distribution,
    )

    seg = result.segments
    mc, mm = result.metrics["cluster"], result.metrics["community"]
    sizes = size_distribution(seg["community"].to_numpy())
    conc = concentration(engagement_share(seg)["engagement_total"].to_numpy())
    row = {
        "n_segments": int(seg["segment"].nunique()),
        "n_clusters": int(mc.get("n_clusters", 0)),
        "noise_share": _num(mc, "noise_share"),
        "silhouette": _num(mc, "silhouette"),
        "davies_bouldin": _num(mc, "davies_bouldin"),
        "calinski_harabasz": _num(mc, "calinski_harabasz"),
        "n_communities": int(mm.get("n_communities", 0)),
        "n_isolates": int(mm.get("n_isolates", 0)),
        "modularity": _num(mm, "modularity"),
        "coverage": _num(mm, "coverage"),
        "mean_conductance": _num(mm, "mean_conductance"),
        "community_largest_share": sizes["largest_share"],
        "community_median_size": sizes["median"],
        "community_size_gini": sizes["gini"],
        "engagement_gini": conc["gini"],
        "engagement_hhi": conc["hhi"],
        "engagement_top_share": conc["top_share"],
    }
    if truth is not None:
        t = truth.reindex(seg["member_id"].astype(str).to_numpy())
        if "community" in t.columns:
            known = t["community"].notna().to_numpy()
            true = t["community"].astype(str).to_numpy()[known]
            pred = seg["community"].to_numpy()[known]
            row.update(nmi=nmi(true, pred), ami=ami(true, pred), ari=ari(true, pred))
        if "role" in t.columns:
            known = t["role"].notna().to_numpy()
            row["role_macro_f1"] = role_macro_f1(
                t["role"].astype(str).to_numpy()[known], seg["role"].to_numpy()[known]
            )
    return row


def _community_jaccard(pipeline, data, cache, n_boot: int, seed: int) -> float:
    from sklearn.base import clone

    from clusterkit.graphs import member_graph
    from clusterkit.metrics import bootstrap_jaccard
    from clusterkit.stages.base import derive_seed

    g = pipeline.config.graph
    key = (data.fingerprint(), json.dumps(["graph", g.model_dump()], sort_keys=True))
    graph = cache.get(key) if cache is not None else None
    if graph is None:
        graph = member_graph(
            data,
            follow_weight=g.follow_weight,
            interaction_weight=g.interaction_weight,
            hub_damping=g.hub_damping,
        )
    stage = pipeline.stages_["community"]
    table = bootstrap_jaccard(
        lambda sub: clone(stage).fit(sub).labels_,
        graph,
        labels=stage.labels_,
        n_boot=n_boot,
        method="subsample",
        fraction=0.8,
        random_state=derive_seed(seed, "bootstrap"),
    )
    return float(table["jaccard_mean"].mean()) if len(table) else float("nan")


SIGNIFICANT_DIGITS = 10
"""Metrics are rounded to this many significant digits (see :func:`run_experiment`)."""


def _round_sig(values, digits: int = SIGNIFICANT_DIGITS) -> np.ndarray:
    """Round to ``digits`` significant digits (NaN, inf and 0 unchanged)."""
    x = np.asarray(values, dtype=np.float64)
    ok = np.isfinite(x) & (x != 0)
    mag = np.floor(np.log10(np.abs(np.where(ok, x, 1.0))))
    scale = 10.0 ** (digits - 1 - mag)
    return np.where(ok, np.round(x * scale) / scale, x)


def _param_column(values: list) -> list:
    kinds = {type(v) for v in values if v is not None}
    if kinds <= {int, float} or kinds <= {str} or kinds <= {bool}:
        return values
    return [None if v is None else json.dumps(v) for v in values]


def _versions() -> dict:
    from clusterkit.pipeline import _versions as versions

    return versions()


_WORKER: dict = {}


def _one_run(config: RunConfig, seed: int, data, truth_df, cache, bootstrap: int):
    """One pipeline run with its metrics: (metrics, wall s, peak MiB, community labels,
    cluster labels, config hash)."""
    from clusterkit.pipeline import Pipeline

    run_cfg = config.model_copy(update={"seed": int(seed)})
    pipe = Pipeline(run_cfg)
    t0 = time.perf_counter()
    with _RSSSampler() as mem:
        result = pipe.run(data, cache=cache)
        metrics = _run_metrics(result, truth_df)
        if bootstrap:
            metrics["community_jaccard"] = _community_jaccard(
                pipe, data, cache, bootstrap, int(seed)
            )
    wall = time.perf_counter() - t0
    return (
        metrics,
        wall,
        mem.peak_mib,
        result.segments["community"].to_numpy(dtype=np.int64),
        result.segments["cluster"].to_numpy(dtype=np.int64),
        config_hash(run_cfg),
    )


def _data_state(data) -> tuple:
    """``CommunityData`` as picklable parts (its ``sources`` is a read-only mapping)."""
    import dataclasses

    fields = {f.name: getattr(data, f.name) for f in dataclasses.fields(data)}
    fields["sources"] = dict(fields.get("sources") or {})
    return type(data), fields


def _worker_init(state, truth_df, bootstrap):
    from types import MappingProxyType

    from threadpoolctl import threadpool_limits

    cls, fields = state
    data = cls(**{**fields, "sources": MappingProxyType(fields["sources"])})

    # one BLAS / OpenMP thread per worker: the workers already use the cores
    _WORKER.update(
        data=data, truth=truth_df, bootstrap=bootstrap, cache={}, limits=threadpool_limits(limits=1)
    )


def _worker_run(config: RunConfig, seed: int):
    w = _WORKER
    return _one_run(config, seed, w["data"], w["truth"], w["cache"], w["bootstrap"])


def run_experiment(
    cfg: ExperimentConfig, data, truth=None, progress=None, n_jobs: int = 1
) -> ExperimentResult:
    """Run every grid point with every seed on ``data``; collect metrics and rank.

    Parameters
    ----------
    cfg : ExperimentConfig
    data : CommunityData
    truth : pandas.DataFrame, str or Path, optional
        Ground truth (see :func:`load_truth`); defaults to ``cfg.sweep.truth``.
    progress : callable, optional
        ``progress(done, total, label)``: called before each run (``done`` runs finished;
        with ``n_jobs > 1`` after each run instead) and once at the end with
        ``done == total``.
    n_jobs : int, default 1
        Worker processes. Runs are independent and seeded, so the tables are the same for
        any ``n_jobs`` (timings and memory aside); each worker builds its own feature table
        and graph once. ``-1``: one per CPU.

    Returns
    -------
    ExperimentResult

    Notes
    -----
    Determinism: the same config on the same data gives identical tables (timing and memory
    columns aside). Multithreaded BLAS can change the last bits of floating-point results
    between two identical runs (measured: silhouette differing by 4e-16), so the metric
    columns and pairwise ARIs are rounded to :data:`SIGNIFICANT_DIGITS` significant digits.

    Raises
    ------
    ClusterkitInputError
        Bad truth (no member in common with the data) or configuration.
    """
    from clusterkit.metrics import pairwise_ari
    from clusterkit.ranking import rank_methods

    if n_jobs == -1:
        n_jobs = os.cpu_count() or 1
    if not isinstance(n_jobs, int) or n_jobs < 1:
        raise ConfigError(
            f"The 'n_jobs' parameter of run_experiment must be an int >= 1 or "
            f"-1. Got {n_jobs!r} instead."
        )

    t_start = time.perf_counter()
    started = datetime.now(UTC).isoformat(timespec="seconds")
    if truth is None and cfg.sweep.truth:
        truth = cfg.sweep.truth
    truth_df = load_truth(truth) if truth is not None else None
    member_ids = data.member_ids.to_numpy(dtype=object).astype(str)
    truth_cover = None
    if truth_df is not None:
        truth_cover = int(truth_df.index.isin(member_ids).sum())
        if truth_cover == 0:
            raise ClusterkitInputError(
                "truth: no member_id in common with the data; check that it describes this dataset."
            )
    points, skipped = cfg.points()
    seeds = cfg.seed_list()
    rank = cfg.rank_metrics(tuple(truth_df.columns) if truth_df is not None else ())
    total = len(points) * len(seeds)
    specs = [(gp.point, si, int(seed)) for gp in points for si, seed in enumerate(seeds)]
    by_point = {gp.point: gp for gp in points}
    outputs: list = [None] * total

    def label(spec):
        return f"{by_point[spec[0]].label} · seed {spec[2]}"

    if n_jobs == 1 or total <= 1:
        cache: dict = {}
        for i, (point, _, seed) in enumerate(specs):
            if progress is not None:
                progress(i, total, label(specs[i]))
            outputs[i] = _one_run(
                by_point[point].config, seed, data, truth_df, cache, cfg.sweep.bootstrap
            )
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        # spawn: a fresh interpreter per worker (no forked DuckDB, Arrow or OpenMP state);
        # each worker keeps its own feature / graph cache across the runs it gets.
        ctx = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(
            max_workers=min(n_jobs, total),
            mp_context=ctx,
            initializer=_worker_init,
            initargs=(_data_state(data), truth_df, cfg.sweep.bootstrap),
        ) as pool:
            futures = {
                pool.submit(_worker_run, by_point[p].config, seed): i
                for i, (p, _, seed) in enumerate(specs)
            }
            done = 0
            if progress is not None:
                progress(0, total, "starting workers")
            for fut in as_completed(futures):
                i = futures[fut]
                outputs[i] = fut.result()
                done += 1
                if progress is not None:
                    progress(done, total, label(specs[i]))
    if progress is not None:
        progress(total, total, "done")
    rows, comm_labels, clus_labels = [], [], []
    for i, (point, si, seed) in enumerate(specs):
        gp = by_point[point]
        metrics, wall, peak, comm, clus, chash = outputs[i]
        rows.append(
            {
                "run": i,
                "point": point,
                "label": gp.label,
                **{f"param:{k}": v for k, v in gp.params.items()},
                "seed_index": si,
                "seed": seed,
                "config_hash": chash,
                **metrics,
                "note": gp.note,
                "wall_s": round(wall, 3),
                "peak_mib": peak,
            }
        )
        comm_labels.append(comm)
        clus_labels.append(clus)

    runs = pd.DataFrame(rows)
    runs.columns = [c.removeprefix("param:") for c in runs.columns]
    for key in cfg.sweep.grid:
        runs[key] = _param_column(runs[key].tolist())
    metric_cols = [c for c in METRIC_COLUMNS if c in runs.columns]
    for col in metric_cols:  # last-bit noise of threaded BLAS must not change the tables
        if runs[col].dtype.kind == "f":
            runs[col] = _round_sig(runs[col].to_numpy())
    runs = runs[
        [
            "run",
            "point",
            "label",
            *cfg.sweep.grid,
            "seed_index",
            "seed",
            "config_hash",
            *metric_cols,
            "note",
            *TIMING_COLUMNS,
        ]
    ]

    stab_rows = []
    for gp in points:
        idx = runs.index[runs["point"] == gp.point].to_numpy()
        for kind, labs in (("community", comm_labels), ("cluster", clus_labels)):
            if len(idx) < 2:
                continue
            _, mat = pairwise_ari([labs[i] for i in idx], return_matrix=True)
            a, b = np.triu_indices(len(idx), k=1)
            stab_rows += [
                {
                    "point": gp.point,
                    "label": gp.label,
                    "kind": kind,
                    "seed_a": int(runs.at[idx[i], "seed"]),
                    "seed_b": int(runs.at[idx[j], "seed"]),
                    "ari": float(_round_sig(mat[i, j])),
                }
                for i, j in zip(a, b, strict=True)
            ]
    stability = pd.DataFrame(
        stab_rows, columns=["point", "label", "kind", "seed_a", "seed_b", "ari"]
    )
    summary = _summarise(runs, points, list(cfg.sweep.grid), metric_cols, stability)
    ranking = rank_methods(runs, rank, method_cols="label", block_cols="seed_index")
    labels = pd.DataFrame({"member_id": member_ids})
    for i in range(len(rows)):
        labels[f"community.{i}"] = comm_labels[i].astype(np.int32)
        labels[f"cluster.{i}"] = clus_labels[i].astype(np.int32)
    manifest = {
        "kind": "compare",
        "name": cfg.base.name,
        "experiment": cfg.resolved(),
        "base_config_hash": config_hash(cfg.base),
        "data_fingerprint": data.fingerprint(),
        "n_members": int(data.n_members),
        "seeds": seeds,
        "n_points": len(points),
        "n_runs": total,
        "points": [
            {
                "point": p.point,
                "label": p.label,
                "params": p.params,
                "config_hash": config_hash(p.config),
                "note": p.note,
            }
            for p in points
        ],
        "skipped": skipped.to_dict(orient="records"),
        "rank_metrics": rank,
        "truth": None
        if truth_df is None
        else {
            "source": str(truth) if not isinstance(truth, pd.DataFrame) else "DataFrame",
            "columns": list(truth_df.columns),
            "members_covered": truth_cover,
        },
        "versions": _versions(),
        "created_at": started,
        "wall_s": round(time.perf_counter() - t_start, 3),
    }
    return ExperimentResult(
        config=cfg,
        runs=runs,
        summary=summary,
        ranking=ranking,
        skipped=skipped,
        stability=stability,
        labels=labels,
        manifest=manifest,
    )


def _summarise(runs, points, keys, metric_cols, stability) -> pd.DataFrame:
    g = runs.groupby("point", sort=True)
    out = pd.DataFrame({"point": [p.point for p in points], "label": [p.label for p in points]})
    first = g.first()
    for key in keys:
        out[key] = first[key].reindex(out["point"]).to_numpy()
    out["n_runs"] = g.size().reindex(out["point"]).to_numpy()
    for col in [*metric_cols, *TIMING_COLUMNS]:
        vals = runs[col].astype(np.float64)
        mean = vals.groupby(runs["point"]).mean().reindex(out["point"]).to_numpy()
        std = vals.groupby(runs["point"]).std(ddof=1).reindex(out["point"]).to_numpy()
        out[f"{col}_mean"] = mean
        out[f"{col}_std"] = std
    for kind in ("community", "cluster"):
        s = stability[stability["kind"] == kind].groupby("point")["ari"].mean()
        out[f"{kind}_seed_ari"] = s.reindex(out["point"]).to_numpy()
    out["note"] = [p.note for p in points]
    return out


def drop_timing(df: pd.DataFrame) -> pd.DataFrame:
    """``df`` without the timing and memory columns (``wall_s``, ``peak_mib`` and their
    ``_mean`` / ``_std``): what must be identical when the same experiment runs twice."""
    return df.drop(
        columns=[
            c for c in df.columns if any(c == t or c.startswith(f"{t}_") for t in TIMING_COLUMNS)
        ]
    )


@dataclass(frozen=True, eq=False)
class ExperimentResult:
    """What :func:`run_experiment` produced.

    Attributes
    ----------
    config : ExperimentConfig
    runs : pandas.DataFrame
        One row per run: ``run, point, label``, one column per grid key (value applied; empty
        where the stage does not take it), ``seed_index, seed, config_hash``, the metrics of
        :data:`METRIC_COLUMNS`, ``note``, ``wall_s``, ``peak_mib``.
    summary : pandas.DataFrame
        One row per grid point: ``<metric>_mean`` and ``<metric>_std`` over seeds (sample
        std, NaN with one seed), ``community_seed_ari`` and ``cluster_seed_ari`` (mean
        pairwise ARI across seeds).
    ranking : clusterkit.ranking.Ranking
        Grid points ranked per seed (block) on the rank metrics.
    skipped : pandas.DataFrame
        Grid combinations not run, with the reason.
    stability : pandas.DataFrame
        Pairwise ARI across seeds: ``point, label, kind, seed_a, seed_b, ari``.
    labels : pandas.DataFrame
        ``member_id`` and, per run ``i``, ``community.i`` and ``cluster.i``.
    manifest : dict
    """

    config: ExperimentConfig
    runs: pd.DataFrame
    summary: pd.DataFrame
    ranking: Any
    skipped: pd.DataFrame
    stability: pd.DataFrame
    labels: pd.DataFrame
    manifest: dict = field(default_factory=dict)

    def to_frame(self) -> pd.DataFrame:
        """The tidy run table (a copy)."""
        return self.runs.copy()

    def best(self, metric: str, higher: bool | None = None) -> pd.Series:
        """The summary row of the grid point with the best mean ``metric`` over seeds.

        ``higher`` defaults to the metric's known direction
        (:data:`clusterkit.ranking.METRIC_DIRECTIONS`). Ties go to the earlier point.
        """
        from clusterkit.ranking import parse_metrics

        col = f"{metric}_mean"
        if col not in self.summary.columns:
            raise KeyError(
                f"no metric {metric!r} in this experiment; metrics: "
                f"{[c[:-5] for c in self.summary.columns if c.endswith('_mean')]}"
            )
        if higher is None:
            higher = parse_metrics([metric])[metric] == "higher"
        vals = self.summary[col].to_numpy(dtype=np.float64)
        if np.isnan(vals).all():
            raise ValueError(f"metric {metric!r} is NaN for every grid point.")
        i = int(np.nanargmax(vals) if higher else np.nanargmin(vals))
        return self.summary.iloc[i]

    def config_for(self, point: int) -> RunConfig:
        """The effective run configuration of a grid point (with the base seed)."""
        points, _ = self.config.points()
        return points[point].config

    def save(self, out) -> Path:
        """Write the compare folder atomically (temporary folder, then rename).

        Files: :data:`EXPERIMENT_FILES`. An existing folder is replaced only when it is a
        compare or run folder (holds ``manifest.json``) or empty.
        """
        from clusterkit.report.compare import write_comparison
        from clusterkit.results import atomic_folder

        out = Path(out)
        with atomic_folder(out, kind="compare") as tmp:
            self.runs.to_parquet(tmp / "runs.parquet", index=False)
            self.runs.to_csv(tmp / "runs.csv", index=False, float_format=_FLOAT)
            self.summary.to_csv(tmp / "summary.csv", index=False, float_format=_FLOAT)
            self.ranking.mean_ranks.reset_index().to_csv(
                tmp / "ranking.csv", index=False, float_format=_FLOAT
            )
            self.ranking.posthoc.to_csv(tmp / "posthoc.csv", index=False, float_format=_FLOAT)
            self.ranking.friedman.reset_index().to_csv(
                tmp / "friedman.csv", index=False, float_format=_FLOAT
            )
            self.stability.to_csv(tmp / "stability.csv", index=False, float_format=_FLOAT)
            self.skipped.to_csv(tmp / "skipped.csv", index=False)
            self.labels.to_parquet(tmp / "labels.parquet", index=False)
            write_comparison(tmp / "comparison.html", self)
            (tmp / "manifest.json").write_text(
                json.dumps(self.manifest, indent=2, sort_keys=True, default=str)
            )
        return out
