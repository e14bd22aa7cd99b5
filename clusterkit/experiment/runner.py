"""run_experiment: every grid point x seed, in order or over worker processes, then statistics."""

from __future__ import annotations

import os
import time
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from clusterkit.config import config_hash
from clusterkit.errors import ClusterkitInputError, ConfigError
from clusterkit.experiment.measure import (
    _data_state,
    _one_run,
    _param_column,
    _round_sig,
    _worker_init,
    _worker_run,
)
from clusterkit.experiment.result import ExperimentResult
from clusterkit.experiment.spec import (
    METRIC_COLUMNS,
    TIMING_COLUMNS,
    ExperimentConfig,
    load_truth,
    truth_coverage,
)
from clusterkit.provenance import versions as package_versions


def run_experiment(
    cfg: ExperimentConfig, data, truth=None, progress=None, n_jobs: int = 1,
    attribution: bool | None = None,
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
    attribution : bool, optional
        Run the attribution step in every run. Default: only when a grid key sweeps an
        ``attribution`` setting. No metric of a sweep reads attribution, and it was most
        of the time of a run (3.9 s of 5.3 s on 3,000 members), so by default it is
        skipped; the config hashes are those of the configs as given.

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
    ConfigError
        A rank metric the sweep cannot measure (``nmi`` without a truth …), before any run.
    """
    from clusterkit.experiment.ranking import rank_methods
    from clusterkit.experiment.verdict import decide, degenerate_flags
    from clusterkit.metrics import pairwise_ari

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
    truth_cover, truth_notes = None, []
    if truth_df is not None:
        truth_cover, truth_notes = truth_coverage(truth_df, member_ids)
        if truth_cover == 0:
            raise ClusterkitInputError(
                "truth: no member_id in common with the data; check that it describes this dataset."
            )
    points, skipped = cfg.points()
    seeds = cfg.seed_list()
    rank = cfg.rank_metrics(tuple(truth_df.columns) if truth_df is not None else ())
    if attribution is None:
        attribution = any(k.strip().startswith("attribution") for k in cfg.sweep.grid)
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
                by_point[point].config, seed, data, truth_df, cache, cfg.sweep.bootstrap,
                attribution,
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
            initargs=(_data_state(data), truth_df, cfg.sweep.bootstrap, attribution),
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
    summary["flag"] = degenerate_flags(runs, summary, points)
    ranking = rank_methods(runs, rank, method_cols="label", block_cols="seed_index")
    verdict = decide(summary, ranking, flags=summary["flag"].tolist(),
                     grid_keys=list(cfg.sweep.grid), explicit=cfg.sweep.rank is not None,
                     truth_columns=tuple(truth_df.columns) if truth_df is not None else ())
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
        "recommendation": verdict.to_dict(),
        "attribution": "on" if attribution else "off: no grid key sweeps it and no compare "
        "metric reads it",
        "truth": None
        if truth_df is None
        else {
            "source": str(truth) if not isinstance(truth, pd.DataFrame) else "DataFrame",
            "columns": list(truth_df.columns),
            "members_covered": truth_cover,
            "warnings": truth_notes,
        },
        "versions": package_versions(),
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
        verdict=verdict,
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
