"""`clusterkit demo` at its default 20,000 members: wall time and peak memory (goal <= 60 s).

Run: ``.venv/bin/python benchmarks/bench_demo.py`` (prints a markdown row).
"""

from __future__ import annotations

import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def main() -> None:
    exe = Path(sys.executable).with_name("clusterkit")
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        proc = subprocess.run([str(exe), "demo", "--out", os.path.join(tmp, "demo")],
                              capture_output=True, text=True)
        wall = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    if proc.returncode != 0:
        raise SystemExit(proc.stderr[-2000:])
    quality = [ln for ln in proc.stderr.splitlines() if "macro-F1" in ln]
    print("| step | wall s | peak MiB | note |\n|---|---|---|---|")
    print(f"| clusterkit demo (20,000 members, generate + write + run + report) | {wall:.1f} | "
          f"{peak:.0f} | {quality[0].strip() if quality else ''} |")


if __name__ == "__main__":
    main()
