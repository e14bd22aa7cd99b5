"""One run of a sweep and what is measured on it: quality metrics, wall time, peak memory."""

from __future__ import annotations

import json
import time

import numpy as np
import pandas as pd

from clusterkit.config import RunConfig, config_hash
from clusterkit.pipeline import graph_cache_key
from clusterkit.provenance import PeakMemory


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

    from clusterkit.graph import member_graph
    from clusterkit.metrics import bootstrap_jaccard
    from clusterkit.stages.base import derive_seed

    g = pipeline.config.graph
    key = (data.fingerprint(), graph_cache_key(pipeline.config))
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


_WORKER: dict = {}


def _one_run(config: RunConfig, seed: int, data, truth_df, cache, bootstrap: int,
             attribution: bool = True):
    """One pipeline run with its metrics: (metrics, wall s, peak MiB, community labels,
    cluster labels, config hash).

    ``attribution=False`` skips the attribution step: no metric of a sweep reads it, so
    a sweep that does not vary it need not pay for it. The config hash is the one of the
    config as given (what ``clusterkit run`` with these settings records).
    """
    from clusterkit.pipeline import Pipeline

    run_cfg = config.model_copy(update={"seed": int(seed)})
    exec_cfg = run_cfg
    if not attribution and run_cfg.attribution.enabled:
        off = run_cfg.attribution.model_copy(update={"enabled": False})
        exec_cfg = run_cfg.model_copy(update={"attribution": off})
    pipe = Pipeline(exec_cfg)
    t0 = time.perf_counter()
    with PeakMemory() as mem:
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


def _worker_init(state, truth_df, bootstrap, attribution=True):
    from types import MappingProxyType

    from threadpoolctl import threadpool_limits

    cls, fields = state
    data = cls(**{**fields, "sources": MappingProxyType(fields["sources"])})

    # one BLAS / OpenMP thread per worker: the workers already use the cores
    _WORKER.update(
        data=data, truth=truth_df, bootstrap=bootstrap, attribution=attribution, cache={},
        limits=threadpool_limits(limits=1),
    )


def _worker_run(config: RunConfig, seed: int):
    w = _WORKER
    return _one_run(config, seed, w["data"], w["truth"], w["cache"], w["bootstrap"],
                    w["attribution"])
