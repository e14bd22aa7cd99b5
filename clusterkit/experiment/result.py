"""ExperimentResult: the tables of a sweep, the best point, and the compare folder."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from clusterkit.config import RunConfig
from clusterkit.experiment.spec import _FLOAT, ExperimentConfig


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
        pairwise ARI across seeds), ``flag`` (why the point is degenerate, else empty).
    ranking : clusterkit.experiment.ranking.Ranking
        Grid points ranked per seed (block) on the rank metrics.
    skipped : pandas.DataFrame
        Grid combinations not run, with the reason.
    stability : pandas.DataFrame
        Pairwise ARI across seeds: ``point, label, kind, seed_a, seed_b, ari``.
    labels : pandas.DataFrame
        ``member_id`` and, per run ``i``, ``community.i`` and ``cluster.i``.
    manifest : dict
    verdict : clusterkit.experiment.verdict.Verdict or None
        The recommended grid point, degenerate flags, ties and the tests explained.
    """

    config: ExperimentConfig
    runs: pd.DataFrame
    summary: pd.DataFrame
    ranking: Any
    skipped: pd.DataFrame
    stability: pd.DataFrame
    labels: pd.DataFrame
    manifest: dict = field(default_factory=dict)
    verdict: Any = None

    def to_frame(self) -> pd.DataFrame:
        """The tidy run table (a copy)."""
        return self.runs.copy()

    def best(self, metric: str, higher: bool | None = None) -> pd.Series:
        """The summary row of the grid point with the best mean ``metric`` over seeds.

        ``higher`` defaults to the metric's known direction
        (:data:`clusterkit.experiment.ranking.METRIC_DIRECTIONS`). Ties go to the earlier point.
        """
        from clusterkit.experiment.ranking import parse_metrics

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
        from clusterkit.provenance import atomic_folder
        from clusterkit.report.compare import write_comparison

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
