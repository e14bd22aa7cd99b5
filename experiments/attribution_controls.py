"""The negative-control check on journeys we did not generate: does it fire where it should?

Each scenario of the journey generators plants channels with no effect. Declared as
negative controls (``attribution.negative_controls``), the default model's share of each
is checked against :func:`clusterkit.attribution.controls.control_limit`. The check should
stay quiet where the model holds and fire where it does not:

- ``blind`` (``experiments/blind/journeys_generator.py`` via ``attribution_blind.py``): the
  model's assumptions hold; a null channel's share is noise;
- ``blind3`` (``experiments/blind3/journeys_generator.py``): a hidden intent drives both a
  null channel (retargeted display, a frequent newsletter, social) and buying, except in
  ``saturating``, whose null affiliate channel is not tied to intent;
- ``ours``: journeys sampled as windows before a decision (the placebo check's case).

Run: ``.venv/bin/python experiments/attribution_controls.py --persons 10000 30000
--seeds 3 [--csv FILE]``; prints one row per case and a summary (alarms / cases per group).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.attribution import build_journeys, compare_models
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.controls import control_checks
from clusterkit.data import CommunityData

sys.path.insert(0, str(Path(__file__).resolve().parent))
from attribution_design import case  # noqa: E402

CASES = ("ours:-", "blind:arbitrary_ends", "blind:long_window", "blind:many_channels",
         "blind:frequency_misaligned", "blind3:default", "blind3:renewal", "blind3:sale_day",
         "blind3:saturating", "blind3:lagged", "blind3:mixed_population")


def group(generator: str, scenario: str) -> str:
    """Where the check should fire: the model holds, a null tied to intent, or neither."""
    if generator == "blind3":
        return "null not tied to intent" if scenario == "saturating" else "null tied to intent"
    return "model holds" if generator == "blind" else "window-sampled (ours)"


def one(generator: str, scenario: str, seed: int, n: int) -> list[dict]:
    events, truth = case(generator, scenario, seed, n)
    arrays = prepare(build_journeys(CommunityData.from_frames(events=events), ("purchase",),
                                    "channel", None))
    rows = compare_models(arrays, ["model"], random_state=seed)
    zero = [str(c) for c in truth.index[truth.abs() < 1e-9]]
    checks = control_checks(rows, zero, int(arrays.converted.sum()))
    return [{"persons": n, "generator": generator, "scenario": scenario, "seed": seed,
             "group": group(generator, scenario), "channel": c.split(":", 1)[1],
             "conversions": int(arrays.converted.sum()), "share": v, "limit": lim,
             "alarm": not ok}
            for c, v, lim, ok in checks.itertuples(index=False)]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, nargs="+", default=[10000, 30000])
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--cases", default=",".join(CASES))
    ap.add_argument("--csv", type=Path, default=None)
    args = ap.parse_args(argv)
    rows = []
    for n in args.persons:
        for item in args.cases.split(","):
            generator, scenario = item.split(":")
            for seed in range(args.seeds):
                t0 = time.perf_counter()
                got = one(generator, scenario, seed, n)
                rows += got
                print(f"{n} {item} seed {seed}: " + ", ".join(
                    f"{r['channel']} {r['share']:.3f} (limit {r['limit']:.3f})"
                    + (" ALARM" if r["alarm"] else "") for r in got)
                    + f" ({time.perf_counter() - t0:.0f} s)", flush=True)
                if args.csv:
                    pd.DataFrame(rows).to_csv(args.csv, index=False)
    df = pd.DataFrame(rows)
    summary = df.groupby(["group", "persons"]).agg(
        cases=("alarm", "size"), alarms=("alarm", "sum"), share_min=("share", "min"),
        share_max=("share", "max"))
    print(summary.round(3).to_string())
    print(df.groupby("group").agg(cases=("alarm", "size"), alarms=("alarm", "sum"),
                                  share_min=("share", "min"),
                                  share_max=("share", "max")).round(3).to_string())
    print("limits:", np.round(np.unique(df["limit"]), 3).tolist()[:8])


if __name__ == "__main__":
    main()
