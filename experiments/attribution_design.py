"""Which conversion process made the journeys? A test, and the model it would choose.

Two designs make journeys (issue 17):

- *event in time*: a touch raises the rate of converting for a while; a conversion ends
  the journey, a person who does not convert is followed to the data's end (or any other
  time). The default model (a conversion hazard over whole spells) is built for this.
- *decision at a fixed time*: touches fall in a window before a decision (a renewal, a
  sale day) taken with a probability that depends on the touches; converting and other
  journeys are windowed alike. The ``logistic`` model (conversion on presence,
  repetition and recency in the window) is built for this.

The test: the two-sample Kolmogorov-Smirnov statistic between the spans (first touch to
the journey's end) of converting and other journeys. Where a conversion ends the journey,
converters' spans are shorter; where a decision is taken at a fixed time, they are alike.
For each case the script reports the statistic and the error (total variation against the
true shares, Spearman, the zero-effect channel's share) of the default model, a candidate
hazard (``--candidate`` parameters), ``logistic`` and the naive last touch, so a rule that
picks by the statistic can be scored on every generator: ours, the blind journeys
generator and the second one (``experiments/blind3``, written blind to the models).

Run: ``.venv/bin/python experiments/attribution_design.py --persons 50000 --seeds 2
[--cases blind3:default,ours:0,...] [--candidate JSON] [--csv FILE]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import ks_2samp, spearmanr

from clusterkit.attribution import build_journeys, compare_models
from clusterkit.attribution._arrays import prepare
from clusterkit.data import CommunityData

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

CANDIDATE = {"decay": "auto", "touch_alpha": 0.05}


def spans(arrays) -> tuple[np.ndarray, np.ndarray]:
    """Days from the first touch to the journey's end, of converting and other journeys."""
    span = arrays.per_journey(np.maximum, arrays.age_days, 0.0)
    return span[arrays.converted], span[~arrays.converted]


def design_statistic(arrays) -> float:
    """Kolmogorov-Smirnov distance between converting and other journeys' spans."""
    conv, other = spans(arrays)
    return float(ks_2samp(conv, other).statistic) if len(conv) and len(other) else 0.0


def case(generator: str, scenario: str, seed: int, n: int):
    """(events, true shares) of one case: ours and the first blind generator as
    ``attribution_blind.py`` makes them, or the second blind generator."""
    if generator != "blind3":
        from attribution_blind import _case

        return _case(n, "ours" if generator == "ours" else scenario, seed)
    from blind3.journeys_generator import generate_journeys

    g = generate_journeys(n, scenario=scenario, seed=seed)
    return g["events"], g["truth"].set_index("channel")["true_share"]


def one(generator: str, scenario: str, seed: int, n: int, candidate: dict) -> list[dict]:
    events, truth = case(generator, scenario, seed, n)
    journeys = build_journeys(CommunityData.from_frames(events=events), ("purchase",),
                              "channel", None)
    arrays = prepare(journeys)
    stat = design_statistic(arrays)
    conv, other = spans(arrays)
    rows = []
    fits = {"default": ("model", {}), "candidate": ("model", candidate),
            "logistic": ("logistic", {}), "last touch": ("last", {})}
    zero = truth.index[truth.abs() < 1e-9]
    for label, (name, params) in fits.items():
        res = compare_models(arrays, [name], random_state=seed, lookback_days=30.0,
                             params={name: params})
        s = res.set_index("touch")["share"].reindex(truth.index).fillna(0.0)
        rows.append({"generator": generator, "scenario": scenario, "seed": seed,
                     "fit": label, "ks": stat,
                     "median_ratio": float(np.median(conv) / max(np.median(other), 1e-9)),
                     "tv": 0.5 * float(np.abs(s - truth).sum()),
                     "rho": float(spearmanr(s, truth).statistic),
                     "zero_share": float(s[zero].sum()) if len(zero) else np.nan})
    return rows


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=50000)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--seed-offset", type=int, default=0)
    ap.add_argument("--cases", default="ours:-,blind:arbitrary_ends,blind:long_window,"
                    "blind:many_channels,blind:frequency_misaligned")
    ap.add_argument("--candidate", default=json.dumps(CANDIDATE))
    ap.add_argument("--csv", type=Path, default=None)
    args = ap.parse_args(argv)
    rows = []
    for item in args.cases.split(","):
        generator, scenario = item.split(":")
        for seed in range(args.seed_offset, args.seed_offset + args.seeds):
            t0 = time.perf_counter()
            got = one(generator, scenario, seed, args.persons, json.loads(args.candidate))
            rows += got
            print(f"{generator}:{scenario} seed {seed} ks {got[0]['ks']:.3f}: " + ", ".join(
                f"{r['fit']} tv {r['tv']:.3f} rho {r['rho']:.2f}" for r in got)
                + f" ({time.perf_counter() - t0:.0f} s)", flush=True)
            if args.csv:
                pd.DataFrame(rows).to_csv(args.csv, index=False)
    df = pd.DataFrame(rows)
    print(df.pivot_table(index=["generator", "scenario", "seed", "ks"], columns="fit",
                         values=["tv", "rho"]).round(3).to_string())


if __name__ == "__main__":
    main()
