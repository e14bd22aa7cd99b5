"""Experiment configs: the run config plus a sweep block; loading configs and truth files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from pydantic import Field, ValidationError, field_validator

from clusterkit.config import RunConfig, _Strict, validated
from clusterkit.errors import ClusterkitInputError, ConfigError, did_you_mean
from clusterkit.experiment.grid import GridPoint, _expand

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
        if not sweep_raw and not sweep_over:
            raise ConfigError(
                f"{source}: no 'sweep' block, so there is nothing to compare; add one, e.g. "
                "'sweep: {grid: {community.name: [leiden, louvain]}, seeds: 3}' "
                "(see configs/compare_example.yaml), or pass "
                "--set 'sweep.grid.community.name=[leiden, louvain]'."
            )
        sweep_raw = _apply_sweep_overrides(sweep_raw, sweep_over)
        base = validated(raw, base_over, source)
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

    def rank_metrics(self, truth_columns=None) -> dict[str, str]:
        """``{metric: direction}`` to rank on (the sweep's, or the default).

        ``truth_columns``: the columns of the truth the sweep will run with (``()`` for
        none). When given, a rank metric that cannot be measured (``nmi`` without a
        community truth, ``role_macro_f1`` without a role truth, ``community_jaccard``
        without ``sweep.bootstrap``) is a :class:`ConfigError`, raised before any run.
        """
        from clusterkit.experiment.ranking import parse_metrics

        if self.sweep.rank is None:
            has_community = truth_columns is not None and "community" in truth_columns
            return {"nmi": "higher"} if has_community else {"modularity": "higher"}
        known = METRIC_COLUMNS + TIMING_COLUMNS
        for item in self.sweep.rank:
            name = str(item).partition(":")[0].strip()
            if name not in known:
                did = did_you_mean(name, known)
                raise ConfigError(
                    f"sweep.rank: unknown metric {name!r}.{did} Metrics: {', '.join(known)}."
                )
        try:
            metrics = parse_metrics(self.sweep.rank)
        except ValueError as exc:
            raise ConfigError(f"sweep.rank: {exc}") from None
        if truth_columns is not None:
            _check_measurable(metrics, tuple(truth_columns), self.sweep.bootstrap)
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


_NEEDS = {"nmi": "community", "ami": "community", "ari": "community", "role_macro_f1": "role"}


def _check_measurable(metrics: dict, truth_columns: tuple, bootstrap: int) -> None:
    """A rank metric the sweep cannot measure is a one-line ConfigError (before any run)."""
    for name in metrics:
        need = _NEEDS.get(name)
        if need and need not in truth_columns:
            given = (f"the truth has only {', '.join(truth_columns)}" if truth_columns
                     else "no truth is given")
            raise ConfigError(
                f"sweep.rank: {name!r} measures agreement with a ground truth, but {given}; "
                f"pass --truth FILE (CSV: member_id, {need}) or sweep.truth, or rank by a "
                "metric that needs none, e.g. sweep.rank=[modularity]."
            )
        if name == "community_jaccard" and not bootstrap:
            raise ConfigError(
                "sweep.rank: 'community_jaccard' needs bootstrap resamples; set "
                "sweep.bootstrap=20 (or more), or rank by another metric."
            )


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
        did = did_you_mean(key, valid)
        return f"{source}: unknown key 'sweep.{loc}'.{did} Valid keys here: {', '.join(valid)}."
    msg = err["msg"].removeprefix("Value error, ")
    return f"{source}: sweep.{loc}: {msg} (got {err.get('input')!r})."


def load_experiment(path, overrides=()) -> ExperimentConfig:
    """Read an experiment YAML (run-config keys plus ``sweep``) and apply ``--set`` overrides.

    Raises
    ------
    ConfigError
        Unreadable file, unknown key, bad value, unknown stage, unknown grid key.
    """
    from clusterkit.config import read_yaml_mapping

    source = str(path)
    raw = read_yaml_mapping(path, dates=False)  # a run config: a date is no plain value
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


def truth_coverage(truth: pd.DataFrame, member_ids) -> tuple[int, list[str]]:
    """How many of the data's members ``truth`` (:func:`load_truth`) describes, and what
    a user should know about it: members it leaves out, ids that are not members.

    Examples
    --------
    >>> truth = pd.DataFrame({"role": ["fan", "fan", "fan"]}, index=["a", "b", "zz"])
    >>> covered, notes = truth_coverage(truth, ["a", "b", "c", "d"])
    >>> covered
    2
    >>> print(notes[0])
    truth covers 2 of the data's 4 members (50.0 %): metrics against it read only those.
    >>> print(notes[1])
    truth: 1 member_id(s) are not members of the data (e.g. 'zz'): they are not read.
    """
    ids = pd.Index(pd.unique(np.asarray(member_ids, dtype=object).astype(str)))
    known = truth.index.isin(ids)
    covered, notes = int(known.sum()), []
    if 0 < covered < len(ids):
        notes.append(f"truth covers {covered:,} of the data's {len(ids):,} members "
                     f"({100 * covered / len(ids):.1f} %): metrics against it read only those.")
    if 0 < covered and not known.all():
        unknown = truth.index[~known]
        notes.append(f"truth: {len(unknown):,} member_id(s) are not members of the data "
                     f"(e.g. {', '.join(repr(i) for i in sorted(unknown)[:3])}): they are "
                     "not read.")
    return covered, notes
