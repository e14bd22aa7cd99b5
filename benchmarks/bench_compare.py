"""``clusterkit compare`` end to end: 3 community stages x 3 parameter values x 5 seeds.

Goal (issue 3): at most 5 minutes on 2 cores for 20,000 members. The synthetic data is
generated and written once (not timed); then the installed CLI runs in a fresh process:
load and validate the folder, 45 pipeline runs (features and graph built once per worker),
metrics against the planted truth, ranking, the tables and ``comparison.html``. The registry
goes to a temporary ``CLUSTERKIT_HOME``.

Grid: ``community.name`` in leiden, louvain (python-louvain, the reference, ~10x slower than
Leiden) and label_propagation, x ``graph.interaction_weight`` in 0, 1, 2 (how much
reply / share / mention edges count next to follows). Every stage accepts that parameter, so
all 3 x 3 x 5 = 45 runs are distinct; a ``community__resolution`` grid would collapse label
propagation (no resolution) to one point (35 runs; ``--grid resolution``).

Run: ``.venv/bin/python benchmarks/bench_compare.py [N] [--jobs J] [--grid weight|resolution]``
(from the repository root or ``benchmarks/``); prints a markdown table.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from _util import measure  # noqa: E402

GRIDS = {
    "weight": {
        "community.name": ["leiden", "louvain", "label_propagation"],
        "graph.interaction_weight": [0.0, 1.0, 2.0],
    },
    "resolution": {
        "community.name": ["leiden", "louvain", "label_propagation"],
        "community__resolution": [0.5, 1.0, 2.0],
    },
}

RUN = """
    import os, resource
    os.environ["CLUSTERKIT_HOME"] = "{home}"
    from clusterkit.cli.app import main
    code = main(["compare", "{config}", "--data", "{data}", "--out", "{out}",
                 "--truth", "{data}/truth.csv", "--jobs", "{jobs}"])
    assert code == 0, code
    wall = time.perf_counter() - __t0
    own = resource.getrusage(resource.RUSAGE_SELF)
    kid = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = own.ru_utime + own.ru_stime + kid.ru_utime + kid.ru_stime
    result = dict(wall_s=round(wall, 1), cpu_s=round(cpu, 1),
                  children_peak_mb=round(kid.ru_maxrss / 1024, 1))
"""


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("members", nargs="?", type=int, default=20_000)
    ap.add_argument("--jobs", type=int, default=2)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--grid", choices=sorted(GRIDS), default="weight")
    args = ap.parse_args(argv)

    import pandas as pd
    import yaml

    from clusterkit.synthetic.community import generate

    tmp = Path(tempfile.mkdtemp(prefix="bench-compare-"))
    data = generate(args.members, seed=0).write(tmp / "data")
    config = tmp / "compare.yaml"
    config.write_text(
        yaml.safe_dump(
            {
                "name": f"bench-compare-{args.grid}",
                "seed": 42,
                "sweep": {
                    "grid": GRIDS[args.grid],
                    "seeds": args.seeds,
                    "rank": ["nmi", "modularity"],
                },
            },
            sort_keys=False,
        )
    )
    out = tmp / "out"
    res = measure(
        textwrap.dedent(RUN).format(
            home=tmp / "home", config=config, data=data, out=out, jobs=args.jobs
        ),
        timeout=3600,
    )
    runs = pd.read_csv(out / "runs.csv")
    summary = pd.read_csv(out / "summary.csv")
    n = len(runs)
    peak = max(res["peak_mb"], res["children_peak_mb"])
    print(f"\n{args.members:,} members, grid {args.grid}, {args.seeds} seeds, --jobs {args.jobs}\n")
    print("| compare | wall s | runs | s/run | CPU s | peak MiB (one process) | goal |")
    print("|---|---|---|---|---|---|---|")
    print(
        f"| {len(summary)} grid points x {args.seeds} seeds, --jobs {args.jobs} | "
        f"{res['wall_s']} | {n} | {res['wall_s'] / n:.2f} | {res['cpu_s']} | {peak:.0f} | "
        "<= 300 s |"
    )
    cols = [
        "label",
        "nmi_mean",
        "nmi_std",
        "modularity_mean",
        "n_communities_mean",
        "community_seed_ari",
        "wall_s_mean",
        "peak_mib_mean",
    ]
    print()
    print(summary[cols].to_markdown(index=False, floatfmt=".3f"))
    print(
        "\nmean in-run wall s per stage:",
        json.dumps(runs.groupby("community.name")["wall_s"].mean().round(2).to_dict()),
    )


if __name__ == "__main__":
    main()
