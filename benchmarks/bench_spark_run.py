"""A whole run on Spark ``local[N]`` beside the single-machine run, in one run (issue 13).

Runs ``clusterkit run --data DATA --no-report`` and then the same with ``--engine spark``
as subprocesses on the same dataset folder, one after the other, and prints markdown: wall
time and peak memory of each (the resident memory of the whole process tree, the Spark JVM
included, sampled every 0.2 s from ``/proc``), each step's seconds from the manifests
(Spark's own steps under ``engine.spark``), their ratios, and whether the two run folders'
``segments.csv`` are byte-identical. "Load, save and the rest" is the wall time less the
steps on the main thread (attribution, when it runs beside them, is not subtracted).

Run: ``.venv/bin/python benchmarks/bench_spark_run.py DATA [MASTER] [DRIVER_MEMORY]``
(defaults ``local[2]`` and ``4g``), e.g. on ``clusterkit generate --members 450000
--format parquet --out /tmp/g450k`` (10 M events, 9 M follows).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path


def _tree_rss_kib(root: int) -> int:
    """Resident KiB of ``root`` and all its descendants (from ``/proc``)."""
    parents: dict[int, int] = {}
    rss: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{entry}/statm") as f:
                pages = int(f.read().split()[1])
        except OSError:
            continue
        parents[int(entry)] = int(fields[1])
        rss[int(entry)] = pages * os.sysconf("SC_PAGE_SIZE") // 1024
    tree, frontier = {root}, [root]
    while frontier:
        kids = [p for p, pp in parents.items() if pp in frontier and p not in tree]
        tree.update(kids)
        frontier = kids
    return sum(rss.get(p, 0) for p in tree)


def _measured(cmd: list[str]) -> tuple[float, float]:
    """``(wall s, peak tree RSS GiB)`` of a command; raises if it fails."""
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    peak = [0]

    def sample():
        while proc.poll() is None:
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    _, err = proc.communicate()
    wall = time.perf_counter() - t0
    sampler.join()
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({proc.returncode}): {err[-2000:]}")
    return wall, peak[0] / 2**20


def main(data: str, master: str = "local[2]", driver_memory: str = "4g") -> None:
    from clusterkit.pipeline import STEPS

    exe = str(Path(sys.executable).with_name("clusterkit"))
    tmp = Path(tempfile.mkdtemp(prefix="bench_spark_run_"))
    runs = {}
    try:
        for engine in ("default", "spark"):
            out = tmp / engine
            extra = ["--engine", "spark", "--master", master, "--driver-memory",
                     driver_memory] if engine == "spark" else []
            wall, peak = _measured([exe, "run", "--data", data, "--out", str(out),
                                    "--no-report", *extra])
            print(f"{engine}: {wall:.1f} s, {peak:.2f} GiB", file=sys.stderr, flush=True)
            manifest = json.loads((out / "manifest.json").read_text())
            runs[engine] = {"wall": wall, "peak": peak, "manifest": manifest,
                            "segments": (out / "segments.csv").read_bytes()}
        one, sp = runs["default"], runs["spark"]
        m = one["manifest"]
        print(f"{m['n_members']:,} members, {m['n_events']:,} events, {m['n_follows']:,} "
              f"follows; Spark {master}, driver memory {driver_memory}\n")
        print("| step | one machine, s | Spark run, s | ratio |")
        print("|---|---|---|---|")
        spark_steps = sp["manifest"]["engine"]["spark"]["timings_s"]
        ran = ("start", "read", "features", "roles", "graph", "collect")  # in this order
        for name in sorted(spark_steps, key=lambda k: (ran.index(k) if k in ran else 99, k)):
            print(f"| Spark: {name} | | {spark_steps[name]:.1f} | |")
        steps = one["manifest"]["timings_s"]
        for name in ("attribution", *[s for s in STEPS if s != "attribution"]):
            if name in steps:
                secs, other = steps[name], sp["manifest"]["timings_s"].get(name, float("nan"))
                print(f"| {name} | {secs:.1f} | {other:.1f} | {other / max(secs, 1e-9):.2f} |")
        # the steps on the main thread: attribution beside them overlaps them
        rest = [r["wall"] - sum(v for k, v in r["manifest"]["timings_s"].items()
                                if k != "attribution"
                                or not r["manifest"]["engine"].get("attribution_beside"))
                for r in (one, sp)]
        rest[1] -= sum(spark_steps.values())
        print(f"| load, save and the rest | {rest[0]:.1f} | {rest[1]:.1f} | "
              f"{rest[1] / rest[0]:.2f} |")
        print(f"| **whole run (wall)** | **{one['wall']:.1f}** | **{sp['wall']:.1f}** | "
              f"**{sp['wall'] / one['wall']:.2f}** |")
        print(f"| peak RSS, process tree (GiB) | {one['peak']:.2f} | {sp['peak']:.2f} | "
              f"{sp['peak'] / one['peak']:.2f} |")
        same = one["segments"] == sp["segments"]
        print(f"\nsegments.csv byte-identical: {same}")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main(*sys.argv[1:])
