"""LFR sweep (issue 3, experiment 7a): community stages against planted LFR communities.

LFR benchmark graphs (Lancichinetti, Fortunato & Radicchi 2008) with 10,000 nodes are generated
with NetworKit's ``LFRGenerator`` for mixing parameters mu = 0.1 ... 0.7, in two community-size
settings; every community stage named in the config runs once (one seed per cell) and is
scored against the planted communities (NMI, ARI). The realised mixing (share of edges whose
ends lie in different planted communities) is reported beside the requested mu.

A second section shows the consensus stage's reproducibility on the generator's data
(20,000 members, mixing 0.5): pairwise ARI between random states, beside single-seed Leiden,
and the resolution scan there.

Run::

    pip install "clusterkit[experiments]"        # networkit
    .venv/bin/python experiments/lfr_sweep.py    # about 10 minutes on 2 cores

It writes ``experiments/results/lfr_sweep.md``. ``--quick`` runs a 2,000-node version in a
minute (for checking the script; it does not overwrite the results unless ``--out`` says so).
Nothing is read from ``../shared``: every graph is generated.
"""

from __future__ import annotations

import argparse
import platform
import time
from itertools import combinations
from pathlib import Path

import numpy as np
import scipy.sparse as sp
import yaml

from clusterkit.metrics import ari, nmi
from clusterkit.registry import create_stage

HERE = Path(__file__).parent
CONFIG = HERE / "configs" / "lfr_sweep.yaml"
OUT = HERE / "results" / "lfr_sweep.md"


def lfr_graph(
    n,
    mu,
    *,
    average_degree,
    max_degree,
    degree_exponent,
    community_size_exponent,
    min_community,
    max_community,
    seed,
):
    """An LFR graph as a symmetric scipy CSR (unit weights), its planted labels, realised mu."""
    import networkit as nk

    nk.engineering.setNumberOfThreads(1)  # deterministic generation
    nk.setSeed(int(seed), False)
    gen = nk.generators.LFRGenerator(int(n))
    gen.generatePowerlawDegreeSequence(
        int(average_degree), int(max_degree), -float(degree_exponent)
    )
    gen.generatePowerlawCommunitySizeSequence(
        int(min_community), int(max_community), -float(community_size_exponent)
    )
    gen.setMu(float(mu))
    gen.run()
    truth = np.asarray(gen.getPartition().getVector(), dtype=np.int64)
    A = sp.csr_array(nk.algebraic.adjacencyMatrix(gen.getGraph()), dtype=np.float64)
    A.setdiag(0)
    A.eliminate_zeros()
    A.data[:] = 1.0
    A = sp.csr_array(A.maximum(A.T))
    upper = sp.triu(A, k=1).tocoo()
    realised = float(np.mean(truth[upper.row] != truth[upper.col]))
    return A, truth, realised


def run_stage(name, params, graph, random_state):
    stage = create_stage("community", name, {**params, "random_state": random_state})
    start = time.perf_counter()
    stage.fit(graph)
    return stage, time.perf_counter() - start


def sweep(cfg, log):
    rows = []
    lfr = cfg["lfr"]
    for setting in cfg["settings"]:
        for mu in cfg["mu"]:
            A, truth, realised = lfr_graph(
                lfr["n"],
                mu,
                seed=cfg["seed"],
                min_community=setting["min_community"],
                max_community=setting["max_community"],
                **{k: v for k, v in lfr.items() if k != "n"},
            )
            planted = len(np.unique(truth))
            for method in cfg["methods"]:
                stage, wall = run_stage(
                    method["stage"], method.get("params") or {}, A, cfg["stage_seed"]
                )
                label = method["label"]
                if method["stage"] == "leiden_scan":
                    label += f" [res. {stage.resolution_:.3g}]"
                row = dict(
                    setting=setting["name"],
                    mu=mu,
                    realised=realised,
                    planted=planted,
                    method=method["label"],
                    label=label,
                    nmi=nmi(truth, stage.labels_),
                    ari=ari(truth, stage.labels_),
                    k=stage.n_communities_,
                    wall=wall,
                )
                rows.append(row)
                log(
                    f"{setting['name']} mu={mu:.1f} ({realised:.3f}) {label:45s} "
                    f"NMI {row['nmi']:.4f} ARI {row['ari']:.4f} k {row['k']:4d} {wall:6.1f}s"
                )
    return rows


def consensus_check(cfg, log):
    from clusterkit.data import CommunityData
    from clusterkit.graph import member_graph
    from clusterkit.synthetic.community import generate

    cc = cfg["consensus_check"]
    synth = generate(cc["n_members"], mixing=cc["mixing"], seed=cc["data_seed"])
    graph = member_graph(CommunityData.from_frames(**synth.tables))
    truth = synth.truth["community"].to_numpy()
    upper = sp.triu(graph, k=1).tocoo()
    across = truth[upper.row] != truth[upper.col]
    realised = float(upper.data[across].sum() / upper.data.sum())
    out = {
        "n": graph.shape[0],
        "edges": upper.nnz,
        "realised": realised,
        "planted": len(np.unique(truth)),
        "stages": {},
    }
    for label, name, params in [
        ("leiden (single seed)", "leiden", {}),
        ("consensus (leiden, 10 runs)", "consensus", {}),
        ("leiden_scan (modularity)", "leiden_scan", {}),
        ("leiden_scan (cpm)", "leiden_scan", {"objective": "cpm"}),
    ]:
        states = cc["random_states"] if name in ("leiden", "consensus") else cc["random_states"][:1]
        labels, walls, extra = [], [], ""
        for rs in states:
            stage, wall = run_stage(name, params, graph, rs)
            labels.append(stage.labels_)
            walls.append(wall)
            if name == "leiden_scan":
                extra = f"resolution {stage.resolution_:.3g}"
            if name == "consensus":
                extra = f"rounds {stage.rounds_}, converged {stage.converged_}"
        pairs = [ari(a, b) for a, b in combinations(labels, 2)]
        out["stages"][label] = dict(
            pairs=pairs,
            nmi=[nmi(truth, lab) for lab in labels],
            k=[int(lab.max()) + 1 for lab in labels],
            wall=float(np.mean(walls)),
            extra=extra,
        )
        log(
            f"generator: {label:30s} pairwise ARI {np.round(pairs, 5).tolist()} "
            f"NMI {np.mean(out['stages'][label]['nmi']):.4f} {np.mean(walls):.1f}s {extra}"
        )
    return out


def _fmt_table(rows):
    lines = [
        "| mu requested | mu realised | planted | method | NMI | ARI | communities | wall s |",
        "|---:|---:|---:|---|---:|---:|---:|---:|",
    ]
    for r in rows:
        lines.append(
            f"| {r['mu']:.1f} | {r['realised']:.3f} | {r['planted']} | {r['label']} | "
            f"{r['nmi']:.4f} | {r['ari']:.4f} | {r['k']} | {r['wall']:.2f} |"
        )
    return lines


def _pivot(rows, methods, mus):
    head = "| method | " + " | ".join(f"mu {m:.1f}" for m in mus) + " | mean |"
    lines = [head, "|---|" + "---:|" * (len(mus) + 1)]
    for m in methods:
        vals = [next(r["nmi"] for r in rows if r["method"] == m and r["mu"] == mu) for mu in mus]
        lines.append(
            f"| {m} | " + " | ".join(f"{v:.3f}" for v in vals) + f" | {np.mean(vals):.3f} |"
        )
    return lines


def report(cfg, rows, check, total, quick):
    import igraph
    import networkit

    lfr = cfg["lfr"]
    methods = [m["label"] for m in cfg["methods"]]
    mus = cfg["mu"]
    lines = [
        "# LFR sweep: community stages against planted LFR communities",
        "",
        "Produced by `experiments/lfr_sweep.py` with `experiments/configs/lfr_sweep.yaml`"
        + (" (**--quick**: a small check run, not the reference results)" if quick else "")
        + f". Total wall time {total / 60:.1f} min on {platform.machine()}, "
        f"networkit {networkit.__version__}, igraph {igraph.__version__}.",
        "",
        f"LFR graphs (NetworKit `LFRGenerator`, seed {cfg['seed']}, the same for every mu): "
        f"n = {lfr['n']}, average degree {lfr['average_degree']}, maximum degree "
        f"{lfr['max_degree']}, degree exponent {lfr['degree_exponent']}, community-size exponent "
        f"{lfr['community_size_exponent']}. *mu realised* is the share of edges whose ends lie in "
        "different planted communities. Every stage runs once with `random_state = "
        f"{cfg['stage_seed']}` (one seed per cell); *wall s* is the stage's `fit` alone, on one "
        "core (igraph is single-threaded). Louvain is python-louvain (pure Python, slow); it is "
        "run in every cell because at this size it takes seconds.",
        "",
    ]
    for setting in cfg["settings"]:
        sub = [r for r in rows if r["setting"] == setting["name"]]
        lines += [
            f"## Setting {setting['name']}: community sizes {setting['min_community']}"
            f"-{setting['max_community']}",
            "",
            "NMI by method and requested mu:",
            "",
        ]
        lines += _pivot(sub, methods, mus)
        lines += ["", "<details><summary>Full table</summary>", ""]
        lines += _fmt_table(sub)
        lines += ["", "</details>", ""]

    lines += _summary(cfg, rows)
    if check is not None:
        lines += _check_section(cfg, check)
    return "\n".join(lines) + "\n"


def _summary(cfg, rows):
    mus = cfg["mu"]
    mean = {}
    for r in rows:
        mean.setdefault(r["method"], []).append(r["nmi"])
    at = {(r["setting"], r["method"]): r for r in rows if abs(r["mu"] - 0.3) < 1e-9}
    scan_m, leid = "leiden_scan (modularity)", "leiden (modularity)"
    cons = next((m["label"] for m in cfg["methods"] if m["stage"] == "consensus"), None)
    parts = []
    for setting in cfg["settings"]:
        key = setting["name"]
        if (key, scan_m) in at and (key, leid) in at:
            a, b = at[(key, leid)], at[(key, scan_m)]
            parts.append(
                f"setting {key} (realised mu {a['realised']:.3f}): modularity-Leiden "
                f"NMI {a['nmi']:.3f} with {a['k']} communities for {a['planted']} "
                f"planted, the resolution scan {b['nmi']:.3f} with {b['k']}"
            )
    ranking = sorted(mean.items(), key=lambda kv: -np.mean(kv[1]))
    settings = ", ".join(s["name"] for s in cfg["settings"])
    lines = [
        "## What it shows",
        "",
        (
            "At mu = 0.3, " + "; ".join(parts) + ". Modularity at resolution 1 merges LFR's small "
            "communities (the resolution limit), the more so the smaller they are; the scan, which "
            "picks the resolution at which seeded runs agree (the middle of the longest stability "
            "plateau), recovers the planted partition with either objective. "
            f"Mean NMI over mu {mus[0]:.1f}-{mus[-1]:.1f} (settings {settings}): "
            + ", ".join(f"{m} {np.mean(v):.3f}" for m, v in ranking)
            + "."
        ),
        "",
    ]
    if cons is not None:
        pairs = [
            (
                r["nmi"],
                next(
                    q["nmi"]
                    for q in rows
                    if q["method"] == leid and q["setting"] == r["setting"] and q["mu"] == r["mu"]
                ),
            )
            for r in rows
            if r["method"] == cons
        ]
        better = sum(c > single for c, single in pairs)
        lines += [
            f"The consensus of Leiden runs beats a single Leiden run in {better} of {len(pairs)} "
            "cells: merges that differ between runs are undone. It keeps modularity's scale, "
            "though, so it stays below the scan; give it the scan's resolution "
            "(`base_params={'resolution': ...}`) to get both. Louvain shares modularity's "
            "limit. A fixed CPM resolution (a density threshold in units of edge weight) works "
            "while the planted communities are denser than it and degrades at high mixing; it "
            "does not transfer between graphs, while the scan's CPM grid is relative to the "
            "edge density. Infomap and label propagation have no resolution limit.",
            "",
        ]
    failures = [r for r in rows if r["nmi"] < 0.5]
    if failures:
        lines += [
            "Failures (NMI < 0.5): "
            + "; ".join(
                f"{r['method']} at mu {r['mu']:.1f}, setting {r['setting']}: NMI {r['nmi']:.3f} "
                f"with {r['k']} communities"
                for r in failures
            )
            + ". Label propagation can flood the whole graph with one label when most edges "
            "cross communities.",
            "",
        ]
    return lines


def _check_section(cfg, check):
    cc = cfg["consensus_check"]
    lines = [
        "## Consensus reproducibility on the generator's data",
        "",
        f"`generate({cc['n_members']}, mixing={cc['mixing']}, seed={cc['data_seed']})` → "
        f"`member_graph`: {check['n']} members, {check['edges']} edges, {check['planted']} planted "
        f"communities, realised mixing {check['realised']:.3f} (share of edge weight across "
        "planted communities). Seed-to-seed ARI is over all pairs of random states "
        f"{cc['random_states']}.",
        "",
        "| stage | seed-to-seed ARI (mean) | (min) | NMI to planted | communities | wall s "
        "| notes |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for label, s in check["stages"].items():
        mean = f"{np.mean(s['pairs']):.5f}" if s["pairs"] else "-"
        low = f"{np.min(s['pairs']):.5f}" if s["pairs"] else "-"
        lines.append(
            f"| {label} | {mean} | {low} | {np.mean(s['nmi']):.4f} | "
            f"{int(np.median(s['k']))} | {s['wall']:.1f} | {s['extra']} |"
        )
    single = check["stages"].get("leiden (single seed)")
    cons = check["stages"].get("consensus (leiden, 10 runs)")
    if single and cons and cons["pairs"]:
        lines += [
            "",
            f"Seed-to-seed ARI of the consensus stage: mean {np.mean(cons['pairs']):.5f}, "
            f"min {np.min(cons['pairs']):.5f} (target >= 0.99); single-seed Leiden: mean "
            f"{np.mean(single['pairs']):.5f}, min {np.min(single['pairs']):.5f}.",
        ]
    lines += [
        "",
        "The resolution-scan rows ran with the first random state only (no "
        "seed-to-seed figure). On this graph (hubs, many weakly tied followers) the planted "
        "scale is close to modularity's own, so the modularity scan stays near "
        "resolution 1; CPM treats every member alike (node weight 1) and leaves weakly "
        "tied members alone, so it fits such graphs worse than modularity.",
        "",
    ]
    return lines


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--config", type=Path, default=CONFIG)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument(
        "--quick",
        action="store_true",
        help="2,000 nodes, mu 0.3 and 0.6, setting S only, small generator check",
    )
    parser.add_argument("--no-consensus-check", action="store_true")
    args = parser.parse_args(argv)
    cfg = yaml.safe_load(args.config.read_text())
    if args.quick:
        cfg["lfr"]["n"] = 2000
        cfg["mu"] = [0.3, 0.6]
        cfg["settings"] = cfg["settings"][:1]
        cfg["consensus_check"].update(n_members=2000, random_states=[0, 1, 2])
    out = args.out or (OUT if not args.quick else None)
    start = time.perf_counter()
    rows = sweep(cfg, print)
    check = None if args.no_consensus_check else consensus_check(cfg, print)
    text = report(cfg, rows, check, time.perf_counter() - start, args.quick)
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text)
        print(f"wrote {out}")
    else:
        print(text)


if __name__ == "__main__":
    main()
