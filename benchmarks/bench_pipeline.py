"""Per-step time and peak memory of the default pipeline (default: 100,000 members).

Run: ``.venv/bin/python benchmarks/bench_pipeline.py [N]`` (prints markdown tables).
"""

from __future__ import annotations

import sys

from _util import measure


def main(n: int = 100_000) -> None:
    res = measure(f"""
        from clusterkit.data import CommunityData
        from clusterkit.synthetic.community import generate
        from clusterkit.metrics import nmi, role_macro_f1
        from clusterkit.pipeline import Pipeline
        t = time.perf_counter(); s = generate({n}, seed=0); t_gen = time.perf_counter() - t
        t = time.perf_counter(); d = CommunityData.from_frames(**s.tables)
        t_load = time.perf_counter() - t
        r = Pipeline().run(d)
        truth = s.truth.reindex(r.segments["member_id"])
        result = dict(generate=t_gen, validate=t_load, timings=r.manifest["timings_s"],
                      memory=r.manifest["peak_memory_mb"], events=len(d.events),
                      follows=len(d.follows),
                      f1=role_macro_f1(truth["role"], r.segments["role"]),
                      nmi=nmi(truth["community"], r.segments["community"]))
    """)
    print(f"{n:,} members, {res['events']:,} events, {res['follows']:,} follows; "
          f"role macro-F1 {res['f1']:.3f}, community NMI {res['nmi']:.3f}\n")
    print("| step | wall s | peak RSS so far, MiB |\n|---|---|---|")
    print(f"| generate (not part of a run) | {res['generate']:.2f} | |")
    print(f"| validate (CommunityData.from_frames) | {res['validate']:.2f} | |")
    for step, secs in res["timings"].items():
        print(f"| {step} | {secs:.2f} | {res['memory'][step]:.0f} |")
    total = res["validate"] + sum(res["timings"].values())
    print(f"| **total run (validate + steps)** | **{total:.2f}** | **{res['peak_mb']:.0f}** |")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
