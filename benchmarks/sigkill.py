"""SIGKILL safety of ``clusterkit run`` (issue 15): 20 seeded kills of a 5,000-member run.

Generates a dataset (``clusterkit generate``), runs ``clusterkit run`` once uninterrupted
(the reference, timing the run and the start of its final save), then for each of ``--kills``
seeded moments starts the run again, SIGKILLs it, checks what is left at ``--out`` and beside
it, reruns it uninterrupted and compares the rerun with the reference
(``tests/sigkill_harness.py`` says what is compared and what is excluded). Prints a markdown
table for ``benchmarks/RESULTS.md``.

    CLUSTERKIT_HOME=/tmp/ckh_fuzz .venv/bin/python benchmarks/sigkill.py --members 5000 \\
        --kills 20 --seed 15 --work /tmp/sigkill

Moments: ``--save-kills`` of them are drawn uniformly over the length of the reference's
final save and counted from the moment the run's temporary folder appears (so they land in
the save however loaded the machine is), the others uniformly over the whole reference run;
each is scaled by the ratio of the last rerun's wall time to the reference's, so a slower or
faster machine still lands in the same phase. The table shows the moment each kill really
happened (seconds from the start).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from sigkill_harness import (  # noqa: E402
    CODE,
    VOLATILE_MANIFEST_KEYS,
    clusterkit_cmd,
    kill_at,
    leftovers,
    rerun,
    run_env,
    timed_run,
)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=5000)
    ap.add_argument("--kills", type=int, default=20)
    ap.add_argument("--save-kills", type=int, default=6)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--work", type=Path, default=Path("/tmp/sigkill"))
    ap.add_argument("--set", dest="sets", action="append", default=[],
                    help="config override passed to every run")
    ap.add_argument("--code", default="HEAD",
                    help="git revision whose clusterkit every run uses (a frozen copy: edits "
                         "to the working tree during the benchmark cannot change outputs); "
                         "'worktree' runs the working tree as it is")
    args = ap.parse_args(argv)

    work = args.work
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    if args.code != "worktree":
        repo = Path(__file__).resolve().parents[1]
        (work / "code").mkdir()
        archive = subprocess.run(["git", "-C", str(repo), "archive", args.code, "clusterkit",
                                  "configs"], check=True, capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(work / "code")], input=archive, check=True)
        CODE["path"] = work / "code"
    data, out, ref, home = work / "data", work / "out", work / "reference", work / "home"
    subprocess.run(clusterkit_cmd() + ["generate", "--out", str(data), "--members",
                                       str(args.members), "--seed", str(args.seed)],
                   check=True, capture_output=True, env=run_env(home), cwd=work)
    where = subprocess.run([sys.executable, "-c", "import clusterkit; print(clusterkit.__file__)"],
                           check=True, capture_output=True, env=run_env(home), cwd=work,
                           text=True).stdout.strip()
    base = timed_run(data, ref, home, args.sets)
    if base["rc"] != 0:
        print(base["stderr"], file=sys.stderr)
        return 1
    wall, save = base["wall_s"], base["save_start_s"] or base["wall_s"] * 0.9
    rng = np.random.default_rng(args.seed)
    plan = [(float(t), False) for t in rng.uniform(0.5, wall, args.kills - args.save_kills)]
    plan += [(float(t), True) for t in rng.uniform(0.0, wall - save, args.save_kills)]
    plan = [plan[i] for i in rng.permutation(len(plan))]
    print(f"reference: {wall:.1f} s, save from {save:.1f} s; {leftovers(ref) or 'no leftovers'}",
          flush=True)

    scale, records = 1.0, []
    t0 = time.perf_counter()
    for i, (at, in_save) in enumerate(plan, 1):
        rec = kill_at(data, out, home, at * scale, args.sets, in_save=in_save)
        rec = rerun(rec, data, out, home, ref, args.sets)
        scale = min(max(rec.rerun_s / wall, 0.5), 2.0) if rec.rerun_rc == 0 else scale
        records.append(rec)
        print(f"{i:>2} kill at {rec.at_s:6.2f} s ({rec.phase}): out {rec.out_after_kill}, "
              f"temp {rec.temp_after_kill} {rec.temp_modes}; rerun rc {rec.rerun_rc} in "
              f"{rec.rerun_s} s, temp after {rec.temp_after_rerun}, diff {rec.differences} "
              f"-> {'ok' if rec.ok else 'FAIL'}", flush=True)

    print(f"\ncode: {args.code} ({where}); --set {' '.join(args.sets) or '(none)'}")
    print(f"\n{args.members:,} members, reference run {wall:.1f} s (save from {save:.1f} s), "
          f"{len(records)} kills in {time.perf_counter() - t0:.0f} s; "
          f"volatile manifest keys dropped: {', '.join(VOLATILE_MANIFEST_KEYS)}\n")
    print("| # | kill at (s) | phase | `--out` after kill | temporary folder after kill (mode) "
          "| rerun | temporary after rerun | rerun vs reference |")
    print("|---|---|---|---|---|---|---|---|")
    for i, r in enumerate(records, 1):
        temp = ", ".join(f"{'.out.PID.*.tmp' if n.endswith('.tmp') else '.out.old-PID'} ({m})"
                         for n, m in zip(r.temp_after_kill, r.temp_modes, strict=True)) or "none"
        phase = r.phase + (f" (began {r.save_from_s:.2f} s)" if r.save_from_s else "")
        print(f"| {i} | {r.at_s:.2f} | {phase} | {r.out_after_kill} | {temp} | "
              f"rc {r.rerun_rc}, {r.rerun_s} s | {', '.join(r.temp_after_rerun) or 'none'} | "
              f"{'identical' if not r.differences else '; '.join(r.differences)} |")
    bad = sum(not r.ok for r in records)
    print(f"\n{len(records) - bad} of {len(records)} kills: ok")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
