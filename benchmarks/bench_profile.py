"""Profile index and lookups (``clusterkit profile``): goal p99 <= 100 ms per lookup after the
first, on a 1,000,000-member run.

Builds the index of an existing run folder with :func:`clusterkit.profile.write_profile_index`
from ``load_run`` + ``load_dataset`` (the run may predate the index), writing it to ``--out``
(not into the run folder), then, in a fresh process, times the first lookup and ``--lookups``
random members (seeded) by member_id and by handle through one open ``ProfileIndex``; last,
three whole ``clusterkit profile OUT MEMBER --json`` commands (interpreter start included).

Run: ``.venv/bin/python benchmarks/bench_profile.py [--data DIR] [--run RUN] [--out DIR]``
(defaults: the 1,000,000-member data and run under /work/bench1m; prints markdown tables).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
from pathlib import Path

from _util import measure


def build(data: str, run: str, out: str) -> dict:
    return measure(f"""
        import resource
        from clusterkit.data import load_dataset
        from clusterkit.profile import write_profile_index
        from clusterkit.results import load_run
        t = time.perf_counter(); result = load_run({run!r}); t_run = time.perf_counter() - t
        t = time.perf_counter(); data = load_dataset({data!r})
        t_data = time.perf_counter() - t
        rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        steps = {{}}
        t = time.perf_counter(); path = write_profile_index({out!r}, result, data,
                                                            timings=steps)
        t_build = time.perf_counter() - t
        result = dict(load_run=t_run, load_dataset=t_data, build=t_build,
                      peak_loaded_mb=rss_loaded, size_mb=path.stat().st_size / 2**20,
                      members=data.n_members, events=len(data.events), steps=steps)
    """, timeout=3600)


def lookups(out: str, n: int, seed: int) -> dict:
    return measure(f"""
        import duckdb
        import numpy as np
        con = duckdb.connect({out!r} + "/profile.duckdb", read_only=True)
        members = con.execute("SELECT member_id, attr_handle AS handle FROM profile_members "
                              "ORDER BY pos").df()
        con.close()
        rng = np.random.default_rng({seed})
        by_id = members["member_id"].to_numpy()[rng.choice(len(members), {n} + 1,
                                                           replace=False)]
        has = members[members["handle"].notna()]
        pick = rng.choice(len(has), {n}, replace=False)
        handles = has["handle"].to_numpy()[pick]
        expect = has["member_id"].to_numpy()[pick]

        t = time.perf_counter()
        from clusterkit.profile import ProfileIndex
        index = ProfileIndex({out!r})
        t_open = time.perf_counter() - t
        t = time.perf_counter(); index.get(by_id[0]); t_first = time.perf_counter() - t

        def timed(keys):
            lat, got = [], []
            for k in keys:
                t = time.perf_counter()
                got.append(index.get(k)["member_id"])
                lat.append(time.perf_counter() - t)
            return np.asarray(lat) * 1000, got

        lat_id, got_id = timed(by_id[1:])
        lat_h, got_h = timed(handles)

        def stats(lat):
            return dict(p50=float(np.percentile(lat, 50)), p99=float(np.percentile(lat, 99)),
                        max=float(lat.max()), mean=float(lat.mean()))

        result = dict(open_ms=t_open * 1000, first_ms=t_first * 1000,
                      member_id=stats(lat_id), handle=stats(lat_h),
                      wrong_id=int(sum(a != b for a, b in zip(got_id, by_id[1:]))),
                      wrong_handle=int(sum(a != b for a, b in zip(got_h, expect))),
                      sample_member=str(by_id[0]))
    """)


def cli(out: str, member: str, repeat: int = 3) -> float:
    exe = Path(sys.executable).with_name("clusterkit")
    walls = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        proc = subprocess.run([str(exe), "profile", out, member, "--json"], capture_output=True,
                              text=True)
        walls.append(time.perf_counter() - t0)
        if proc.returncode != 0:
            raise SystemExit(proc.stderr[-2000:])
    return statistics.median(walls)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", default="/work/bench1m/data")
    ap.add_argument("--run", default="/work/bench1m/run")
    ap.add_argument("--out", default="/work/scratch/profile/bench1m")
    ap.add_argument("--lookups", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    b = build(args.data, args.run, args.out)
    print(f"{b['members']:,} members, {b['events']:,} events\n")
    print("| step | wall s | peak RSS MiB | note |\n|---|---|---|---|")
    print(f"| load_run | {b['load_run']:.1f} | | |")
    print(f"| load_dataset | {b['load_dataset']:.1f} | {b['peak_loaded_mb']:.0f} | |")
    print(f"| write_profile_index | {b['build']:.1f} | {b['peak_mb']:.0f} | "
          f"profile.duckdb {b['size_mb']:.0f} MiB; "
          + ", ".join(f"{k} {v:.1f} s" for k, v in b["steps"].items()) + " |")
    r = lookups(args.out, args.lookups, args.seed)
    print(f"\nopen ProfileIndex (import included) {r['open_ms']:.0f} ms; first lookup "
          f"{r['first_ms']:.1f} ms; wrong answers: {r['wrong_id']} by id, "
          f"{r['wrong_handle']} by handle; lookup process peak {r['peak_mb']:.0f} MiB\n")
    print(f"| {args.lookups:,} lookups by | p50 ms | p99 ms | max ms | mean ms |\n"
          "|---|---|---|---|---|")
    for key in ("member_id", "handle"):
        s = r[key]
        print(f"| {key} | {s['p50']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | {s['mean']:.1f} |")
    print(f"\n`clusterkit profile OUT {r['sample_member']} --json`, whole command (median of 3): "
          f"{cli(args.out, r['sample_member']):.2f} s")


if __name__ == "__main__":
    main()
