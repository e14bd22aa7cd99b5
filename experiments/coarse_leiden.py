"""Leiden on a graph of pieces against Leiden on the whole graph (issue 13).

:func:`clusterkit.engines.coarse_leiden.coarse_leiden` (pieces by synchronous local moving,
then Leiden on the graph of pieces: what the Spark engine runs when the member graph is too
large for the driver) against the default community stage (``leiden``, igraph, 2
iterations) on the same member graph, same ``random_state``: the default (30 rounds of
local moving, 10 of refinement), without refinement, and with 10 rounds of local moving.
References: Leiden on the whole graph with another seed (how much two runs of the same
method agree) and label propagation (igraph's, seeded), the community detection that runs
without collecting the graph at all.

An earlier design, Leiden per part of a label-propagation split and then on the parts'
pieces, lost up to 0.42 NMI on the blind generator at mixing 0.6 and 0.07 modularity on
musae-twitch-de (4 to 64 parts): a part sees too few of a member's edges. Not kept.

Graphs (none of them chosen for this method):

- LFR (``experiments/configs/lfr_sweep.yaml``, 10,000 nodes, setting S) at mu 0.2, 0.4, 0.6;
- our generator, 10,000 members, mixing 0.3 and 0.5;
- the blind generator (``experiments/blind/roles_generator.py``, written without reading our
  methods), settings hub_heavy and default at mixing 0.45 and 0.6, 5,000 members;
- every labelled real graph (ego-facebook left out: overlapping circles), and
  musae-twitch-de (no community label: agreement with the whole-graph result and modularity).

Seeds 0 and 1 (a new graph per seed for LFR and the generators; two random states on the
real graphs). Reported per case: NMI against the labels of the whole-graph Leiden and of each
other run, the NMI between a run and the whole graph's, modularity, and the graph of pieces'
size as a share of the graph's edges (what the driver would hold). Mean and worst over seeds.

Run::

    .venv/bin/python experiments/coarse_leiden.py      # a few minutes on one core

It writes ``experiments/results/coarse_leiden.md`` and ``coarse_leiden.csv``.
"""

from __future__ import annotations

import platform
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp

from clusterkit.data import CommunityData
from clusterkit.engines.coarse_leiden import coarse_leiden
from clusterkit.graph import member_graph
from clusterkit.metrics import modularity, nmi
from clusterkit.registry import create_stage
from clusterkit.synthetic import generate

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from blind.roles_generator import generate as blind_generate  # noqa: E402
from datasets import TRUTH_DATASETS, load  # noqa: E402
from leiden_iterations import _labels, _lfr_params  # noqa: E402
from lfr_sweep import lfr_graph  # noqa: E402

SEEDS = (0, 1)
RUNS = ("default", "no refinement", "10 rounds", "whole graph, other seed",
        "label propagation")
OUT = HERE / "results" / "coarse_leiden.md"
CSV = HERE / "results" / "coarse_leiden.csv"


def cases():
    """Yield (group, case, seed, graph, truth or None)."""
    settings, lfr = _lfr_params(10_000)
    n = lfr.pop("n")
    for mu in (0.2, 0.4, 0.6):
        for s in SEEDS:
            A, truth, _ = lfr_graph(n, mu, seed=1 + s, min_community=settings[0]["min_community"],
                                    max_community=settings[0]["max_community"], **lfr)
            yield "LFR", f"LFR S, mu {mu:.1f}", s, A, truth.astype(str)
    for mixing in (0.3, 0.5):
        for s in SEEDS:
            synth = generate(10_000, mixing=mixing, seed=s)
            data = CommunityData.from_frames(**synth.tables)
            truth = synth.truth["community"].reindex(data.member_ids)
            yield "ours", f"ours, mixing {mixing}", s, member_graph(data), _labels(truth)
    for setting in ("hub_heavy", "default"):
        for mixing in (0.45, 0.6):
            for s in SEEDS:
                t = blind_generate(5000, setting=setting, mixing=mixing, seed=s)
                data = CommunityData.from_frames(
                    **{k: t[k] for k in ("members", "events", "follows") if len(t[k])})
                truth = t["truth"].set_index("member_id")["community"].reindex(data.member_ids)
                yield ("blind", f"blind {setting}, mixing {mixing}", s, member_graph(data),
                       _labels(truth))
    for name in (*[d for d in TRUTH_DATASETS if d != "ego-facebook"], "musae-twitch-de"):
        data, truth, _ = load(name)
        graph = member_graph(data)
        lab = None if truth is None or name == "musae-twitch-de" else _labels(
            truth.reindex(data.member_ids))
        for s in SEEDS:
            yield "real", f"real: {name}", s, graph, lab


def _score(truth, labels):
    if truth is None:
        return np.nan
    known = np.asarray([t is not None for t in truth])
    return nmi(truth[known].astype(str), labels[known])


def _run(graph, how, seed):
    if how == "label propagation":
        import igraph as ig

        from clusterkit.stages.community._graph import _igraph_rng

        A = sp.triu(graph, k=1).tocoo()
        g = ig.Graph(n=graph.shape[0], edges=np.c_[A.row, A.col])
        with _igraph_rng(seed):
            lab = np.asarray(g.community_label_propagation(weights=A.data.tolist()).membership)
        return lab, {"pairs": 0}
    if how == "whole graph, other seed":
        stage = create_stage("community", "leiden", {"random_state": seed + 100})
        return stage.fit(graph).labels_, {"pairs": sp.triu(graph, k=1).nnz}
    kwargs = {"no refinement": {"refine_rounds": 0}, "10 rounds": {"rounds": 10}}.get(how, {})
    return coarse_leiden(graph, random_state=seed, **kwargs)


def measure(log):
    rows = []
    for group, case, seed, graph, truth in cases():
        graph = sp.csr_array(graph)
        edges = sp.triu(graph, k=1).nnz
        t0 = time.perf_counter()
        whole = create_stage("community", "leiden", {"random_state": seed}).fit(graph).labels_
        t_whole = time.perf_counter() - t0
        base = dict(group=group, case=case, seed=seed, n=graph.shape[0], edges=edges)
        rows.append({**base, "run": "whole graph", "nmi": _score(truth, whole), "agree": 1.0,
                     "q": modularity(graph, whole), "held": 1.0, "wall": t_whole})
        for how in RUNS:
            t0 = time.perf_counter()
            lab, info = _run(graph, how, seed)
            rows.append({**base, "run": how, "nmi": _score(truth, lab),
                         "agree": nmi(whole, lab), "q": modularity(graph, lab),
                         "held": info["pairs"] / max(edges, 1),
                         "wall": time.perf_counter() - t0})
        last = rows[-len(RUNS) - 1:]
        log(f"{case:36s} s{seed} " + " | ".join(
            f"{r['run']}: {r['nmi']:.3f} ~{r['agree']:.3f} Q{r['q']:.3f} h{r['held']:.3f}"
            for r in last))
    return pd.DataFrame(rows)


def report(df, total):
    df = df.copy()
    key = pd.MultiIndex.from_frame(df[["case", "seed"]])
    whole = df[df["run"] == "whole graph"].set_index(["case", "seed"])
    df["loss"] = whole["nmi"].reindex(key).to_numpy() - df["nmi"]
    df["dq"] = whole["q"].reindex(key).to_numpy() - df["q"]
    order = list(dict.fromkeys(df["case"]))
    lines = [
        "# Leiden on a graph of pieces against Leiden on the whole graph",
        "",
        f"Produced by `experiments/coarse_leiden.py` (issue 13). Total {total / 60:.1f} min on "
        f"{platform.machine()}, one core. Seeds {', '.join(map(str, SEEDS))}. *NMI*: against "
        "the planted or real labels; *loss*: whole-graph NMI minus the run's (positive = "
        "worse; mean and worst over seeds); *agree*: NMI between the run's communities and the "
        "whole graph's (mean and worst); *ΔQ*: whole-graph modularity minus the run's (mean "
        "and worst); *held*: pairs of the graph of pieces over the graph's edges (what the "
        "driver holds instead of the graph). Label propagation: igraph's, the baseline that "
        "needs no driver at all.",
        "",
        "| case | run | NMI | loss (mean / worst) | agree (mean / worst) | ΔQ (mean / worst) "
        "| held |",
        "|---|---|---|---|---|---|---|",
    ]
    for case in order:
        for run in ("whole graph", *RUNS):
            d = df[(df["case"] == case) & (df["run"] == run)]
            nm = "–" if d["nmi"].isna().all() else f"{d['nmi'].mean():.3f}"
            if run == "whole graph":
                lines.append(f"| {case} | {run} | {nm} | – | – | Q {d['q'].mean():.4f} | 1 |")
                continue
            loss = "–" if d["loss"].isna().all() else \
                f"{d['loss'].mean():+.3f} / {d['loss'].max():+.3f}"
            lines.append(f"| {case} | {run} | {nm} | {loss} | {d['agree'].mean():.3f} / "
                         f"{d['agree'].min():.3f} | {d['dq'].mean():+.4f} / "
                         f"{d['dq'].max():+.4f} | {d['held'].mean():.3f} |")
    lines += ["", "## Over all cases", "",
              "| run | loss mean | loss worst (case) | ΔQ mean | ΔQ worst (case) | held mean |",
              "|---|---|---|---|---|---|"]
    for run in RUNS:
        d = df[df["run"] == run].reset_index(drop=True)
        k, q = d["loss"].idxmax(), d["dq"].idxmax()
        lines.append(f"| {run} | {d['loss'].mean():+.3f} | {d.loc[k, 'loss']:+.3f} "
                     f"({d.loc[k, 'case']}, seed {d.loc[k, 'seed']}) | {d['dq'].mean():+.4f} | "
                     f"{d.loc[q, 'dq']:+.4f} ({d.loc[q, 'case']}) | {d['held'].mean():.3f} |")
    return "\n".join(lines) + "\n"


def main():
    start = time.perf_counter()
    df = measure(lambda m: print(m, flush=True))
    df.to_csv(CSV, index=False)
    OUT.write_text(report(df, time.perf_counter() - start))
    print(OUT.read_text())


if __name__ == "__main__":
    main()
