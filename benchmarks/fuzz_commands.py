"""Bad-input fuzz census of ``profile``, ``export``, ``compare``, ``campaign`` and ``resolve``
(issue 15): outcome x command over generated cases.

Runs the cases of ``tests/test_fuzz_commands.py`` (strategies in ``tests/fuzz_commands.py``)
in-process, never stopping at a failure, and prints a markdown table for
``benchmarks/RESULTS.md``:

    CLUSTERKIT_HOME=/tmp/ckh_fuzz .venv/bin/python benchmarks/fuzz_commands.py \\
        --cases 200 --seed 15 --budget-s 1800 --log /tmp/fuzz_commands.jsonl

``--cases`` is per command; ``--budget-s`` stops generating new cases once the wall time is
spent (the table says how many ran).
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz_commands import COMMANDS, STRATEGIES, family, make_base, run_command_case  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402

COLS = ["ok", "refused", "usage", "crash", "messy_error", "partial_output"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cases", type=int, default=200, help="cases per command")
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--budget-s", type=float, default=1800.0)
    ap.add_argument("--commands", default=",".join(COMMANDS))
    ap.add_argument("--log", type=Path)
    args = ap.parse_args(argv)
    commands = args.commands.split(",")
    base = make_base(Path(tempfile.mkdtemp(prefix="ckfuzzcmd_base_")))
    log = open(args.log, "w") if args.log else None
    counts: dict = collections.defaultdict(collections.Counter)
    t0 = time.perf_counter()
    per_budget = args.budget_s / len(commands)
    state: dict = {}
    for command in commands:
        state.update(command=command, t_end=time.perf_counter() + per_budget)

        @seed(args.seed)
        @settings(max_examples=args.cases, deadline=None, database=None,
                  phases=[Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=STRATEGIES[command]())
        def one(case):
            command = state["command"]
            if time.perf_counter() > state["t_end"]:
                return
            try:
                outcome, tail = run_command_case(case, base)
            except Exception as exc:  # noqa: BLE001 - a harness failure is a crash too
                outcome, tail = "crash", f"harness: {type(exc).__name__}: {exc}"
            counts[command][outcome] += 1
            if log:
                log.write(json.dumps({"command": command, "family": family(case),
                                      "outcome": outcome, "tail": tail, "case": case},
                                     default=str, ensure_ascii=False) + "\n")
                log.flush()

        one()
        print(command, dict(counts[command]), f"{time.perf_counter() - t0:.0f} s",
              file=sys.stderr, flush=True)
    total = collections.Counter()
    print(f"\n{sum(sum(c.values()) for c in counts.values()):,} cases, seed {args.seed}, "
          f"{time.perf_counter() - t0:.0f} s\n")
    print("| command | cases | " + " | ".join(COLS) + " |")
    print("|---|---|" + "---|" * len(COLS))
    for command in commands:
        c = counts[command]
        total.update(c)
        print(f"| {command} | {sum(c.values())} | " + " | ".join(str(c[k]) for k in COLS)
              + " |")
    print(f"| **all** | {sum(total.values())} | " + " | ".join(str(total[k]) for k in COLS)
          + " |")
    return 0 if not (total["crash"] + total["messy_error"] + total["partial_output"]) else 1


if __name__ == "__main__":
    sys.exit(main())
