"""The large tier's community stage (issue 13): NetworKit's Louvain against the default Leiden.

``engine: large`` runs the default community stage as ``plm`` (NetworKit ``PLM``, one
thread) instead of ``leiden`` (igraph, 2 iterations). This measures what that costs in
quality, on graphs the method was not written for:

- LFR (settings S and B of ``experiments/configs/lfr_sweep.yaml``, 10,000 nodes) at mu 0.2,
  0.4 and 0.6, and our generator at mixing 0.3 and 0.5, seeds 0-2 (the cases of
  ``experiments/leiden_iterations.py``);
- the blind generator (``experiments/blind/roles_generator.py``, written without reading
  our methods), settings ``hub_heavy`` and ``default`` at mixing 0.45 and 0.6, data seeds
  0-1, 5,000 members;
- every real dataset with a community label (``experiments/datasets.py``), random states
  0-2.

Stages: ``leiden`` (the default), ``plm`` without refinement (NetworKit's default) and
``plm`` with it (``refine``, the stage's default and the large tier's); the same
``random_state``. Reported: NMI against the planted or real labels (mean and worst over
seeds), the NMI difference to Leiden per seed (mean and worst), modularity and ``fit``
seconds.

Run: ``.venv/bin/python experiments/large_tier.py`` (about 5 min on one core)
→ ``experiments/results/large_tier.md``; the 1 M-member run is measured in
``benchmarks/RESULTS.md``.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.graph import member_graph
from clusterkit.metrics import nmi
from clusterkit.registry import create_stage

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from hub_damping import blind_cases as hub_damping_blind_cases  # noqa: E402
from leiden_iterations import SEEDS, _labels, cases  # noqa: E402

METHODS = (("leiden", {}), ("plm", {"refine": False}), ("plm refine", {"refine": True}))
OUT = HERE / "results" / "large_tier.md"


def blind_cases():
    for label, data_seed, data, truth in hub_damping_blind_cases():
        graph = member_graph(data)
        for s in SEEDS:
            yield "blind", label, 10 * data_seed + s, graph, _labels(truth)


def measure():
    rows = []
    every = [*cases(quick=False), *blind_cases()]
    for group, case, seed, graph, truth in every:
        known = np.asarray([t is not None for t in truth])
        for label, params in METHODS:
            stage = create_stage("community", label.split()[0], {**params, "random_state": seed})
            start = time.perf_counter()
            stage.fit(graph)
            wall = time.perf_counter() - start
            rows.append(dict(group=group, case=case, seed=seed, method=label,
                             nmi=nmi(truth[known].astype(str), stage.labels_[known]),
                             modularity=stage.modularity_, k=stage.n_communities_, wall=wall))
        print(case, seed, " ".join(f"{r['method']}: {r['nmi']:.4f}" for r in rows[-3:]),
              flush=True)
    return pd.DataFrame(rows)


def report(df) -> str:
    order = list(dict.fromkeys(df["case"]))
    p = df.pivot_table(index=["case", "seed"], columns="method", values="nmi")
    lines = [
        "# The large tier's community stage: NetworKit's Louvain (`plm`) against Leiden",
        "",
        "Produced by `experiments/large_tier.py` (issue 13). NMI against the planted or real "
        "labels; mean (worst) over seeds; *diff*: NMI of the method minus Leiden's on the same "
        "graph and seed, mean (worst); *s*: total `fit` seconds over the seeds.",
        "",
        "| case | Leiden NMI | plm NMI | plm diff | plm refine NMI | plm refine diff "
        "| Q Leiden / plm refine | s Leiden / plm refine |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for case in order:
        d = df[df["case"] == case]
        g = d.groupby("method")
        pc = p.loc[case]
        diff = {m: pc[m] - pc["leiden"] for m in ("plm", "plm refine")}
        lines.append(
            f"| {case} | {g['nmi'].mean()['leiden']:.4f} ({g['nmi'].min()['leiden']:.4f}) "
            f"| {g['nmi'].mean()['plm']:.4f} ({g['nmi'].min()['plm']:.4f}) "
            f"| {diff['plm'].mean():+.4f} ({diff['plm'].min():+.4f}) "
            f"| {g['nmi'].mean()['plm refine']:.4f} ({g['nmi'].min()['plm refine']:.4f}) "
            f"| {diff['plm refine'].mean():+.4f} ({diff['plm refine'].min():+.4f}) "
            f"| {g['modularity'].mean()['leiden']:.4f} / "
            f"{g['modularity'].mean()['plm refine']:.4f} "
            f"| {g['wall'].sum()['leiden']:.2f} / {g['wall'].sum()['plm refine']:.2f} |")
    for method, label in (("plm refine", "plm with refine (the large tier)"),
                          ("plm", "plm without refine")):
        diff = p[method] - p["leiden"]
        by_case = diff.groupby(level="case").mean()
        lines += [
            "",
            f"**{label}** over all {len(p)} graph-seed pairs: NMI minus Leiden's mean "
            f"{diff.mean():+.4f}, worst single pair {diff.min():+.4f}; worst case mean "
            f"{by_case.min():+.4f} ({by_case.idxmin()}), best {by_case.max():+.4f} "
            f"({by_case.idxmax()}); `fit` {df[df.method == method].wall.sum():.1f} s in all "
            f"(Leiden {df[df.method == 'leiden'].wall.sum():.1f} s).",
        ]
    lines += [
        "",
        "At 1,000,000 members (our generator, 22.7 M edges) the two stages give the same "
        "modularity and NMI; the time and memory of the whole run with each are in "
        "`benchmarks/RESULTS.md` (\"The large tier at 1,000,000 members\").",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    df = measure()
    df.to_csv(OUT.with_suffix(".csv"), index=False)
    text = report(df)
    OUT.write_text(text)
    print(text)
