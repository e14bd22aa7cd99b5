"""The report of a large run: render time, file size, and Chromium's time to draw every figure.

Goal (issue 5): a 1,000,000-member report, segment map sampled to 50,000 members, opens in
Chromium with every figure rendered in <= 10 s.

Run: ``.venv/bin/python benchmarks/bench_report.py RUN [--data DIR] [--out FILE]
[--repeat 3] [--screenshot PNG]`` (prints a markdown table). ``RUN`` is a run folder;
``--data`` its dataset folder, for the community map (as ``clusterkit report RUN --data``).
Rendering runs in a fresh process (load the run folder, read the follows, write the HTML);
each browser measurement starts a fresh headless Chromium (``clusterkit.report.browser``).
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
from pathlib import Path

from _util import measure


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run", type=Path)
    ap.add_argument("--data", type=Path, default=None)
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--max-points", type=int, default=50_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--screenshot", type=Path, default=None)
    args = ap.parse_args()
    tmp = tempfile.TemporaryDirectory()
    out = (args.out or Path(tmp.name) / "report.html").resolve()
    data = None if args.data is None else str(args.data.resolve())

    render = measure(f"""
        from clusterkit.report import write_run_report
        from clusterkit.results import load_run
        t = time.perf_counter(); r = load_run({str(args.run.resolve())!r})
        t_load = time.perf_counter() - t
        t = time.perf_counter()
        path = write_run_report({str(out)!r}, r, data={data!r}, max_points={args.max_points})
        result = dict(load=t_load, render=time.perf_counter() - t, members=len(r.segments),
                      size=path.stat().st_size)
    """)
    opens = []
    for i in range(args.repeat):
        shot = args.screenshot if (args.screenshot and i == args.repeat - 1) else None
        opens.append(measure(f"""
            from clusterkit.report.browser import check_report
            c = check_report({str(out)!r}, screenshot={None if shot is None else str(shot)!r},
                             timeout_s=120)
            kids = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
            result = dict(figures=c.figures, rendered=c.rendered, launch=c.launch_s,
                          open=c.open_s, console=c.console_errors, errors=c.page_errors,
                          browser_mb=kids)
        """))
    times = [o["open"] for o in opens]
    last = opens[-1]
    print(f"{render['members']:,} members, map sampled to {args.max_points:,}; community map "
          f"{'from ' + str(args.data) if data else 'left out (no --data)'}\n")
    print("| step | wall s | peak MiB | note |\n|---|---|---|---|")
    print(f"| load the run folder (`load_run`) | {render['load']:.2f} | | |")
    print(f"| render + write report.html | {render['render']:.2f} | {render['peak_mb']:.0f} | "
          f"{render['size'] / 2**20:.1f} MiB file |")
    print(f"| Chromium start (headless) | {statistics.median(o['launch'] for o in opens):.2f}"
          f" | | median of {len(opens)} |")
    print("| Chromium open until every figure rendered (peak: largest browser process) | "
          f"{statistics.median(times):.2f} | "
          f"{statistics.median(o['browser_mb'] for o in opens):.0f} | median of "
          f"{len(opens)} (min {min(times):.2f}, max {max(times):.2f}); "
          f"{last['rendered']}/{last['figures']} figures, {len(last['console'])} console "
          f"errors, {len(last['errors'])} page errors |")
    if last["console"] or last["errors"]:
        print(json.dumps({"console": last["console"], "errors": last["errors"]})[:2000])
    tmp.cleanup()


if __name__ == "__main__":
    main()
