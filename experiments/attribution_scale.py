"""The m-out-of-n bootstrap against the full bootstrap, on data large enough to need it.

For each model, the same replicates count (``--boot``) is run twice on the same spells: every
person per replicate (n-out-of-n), and ``--persons`` persons per replicate with the interval
rescaled (``bootstrap_persons``, :mod:`clusterkit.attribution.bootstrap`). Reported: seconds,
and per touch the ratio of interval widths and the shift of the interval's centre in units of
the full interval's width. Data: our generator (``clusterkit generate``), and the blind
journey generator (``experiments/blind/journeys_generator.py``), whose true shares are known.

Run: ``.venv/bin/python experiments/attribution_scale.py --members 100000``
→ ``experiments/results/attribution_scale.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import pandas as pd

from clusterkit.attribution import attribute, build_journeys
from clusterkit.attribution._arrays import prepare
from clusterkit.data import CommunityData
from clusterkit.synthetic import generate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blind.journeys_generator import generate_journeys as blind_generate  # noqa: E402


def spells_of(source: str, n: int, seed: int):
    if source == "ours":
        tables = generate(n, seed=seed).tables
    else:
        tables = {"events": blind_generate(n, scenario="arbitrary_ends", seed=seed)["events"]}
    data = CommunityData.from_frames(**tables)
    return prepare(build_journeys(data, ["purchase"], "channel", None))


def compare(arrays, model: str, boot: int, persons: int) -> list[dict]:
    t0 = time.perf_counter()
    full = attribute(arrays, model, bootstrap=boot, random_state=3, lookback_days=30.0)
    t1 = time.perf_counter()
    sub = attribute(arrays, model, bootstrap=boot, random_state=3, lookback_days=30.0,
                    bootstrap_persons=persons)
    t2 = time.perf_counter()
    wf = (full["ci_high"] - full["ci_low"]).to_numpy()
    ws = (sub["ci_high"] - sub["ci_low"]).to_numpy()
    shift = ((sub["ci_high"] + sub["ci_low"]) - (full["ci_high"] + full["ci_low"])).to_numpy()
    return [{"model": model, "touch": t, "share": s, "full": f"[{a:.3f}, {b:.3f}]",
             "sub": f"[{c:.3f}, {d:.3f}]", "width_ratio": r, "shift": abs(h) / 2 / w,
             "s_full": t1 - t0, "s_sub": t2 - t1}
            for t, s, a, b, c, d, r, h, w in zip(full["touch"], full["share"], full["ci_low"],
                                                 full["ci_high"], sub["ci_low"], sub["ci_high"],
                                                 ws / wf, shift, wf, strict=True)]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=100_000)
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--boot", type=int, default=40)
    ap.add_argument("--models", default="markov_2,logistic,model")
    ap.add_argument("--sources", default="ours,blind")
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).parent / "results" / "attribution_scale.md")
    args = ap.parse_args(argv)
    rows = []
    for source in args.sources.split(","):
        arrays = spells_of(source, args.members, 0)
        for model in args.models.split(","):
            part = compare(arrays, model, args.boot, args.persons)
            for r in part:
                r["data"] = source
            rows += part
            print(pd.DataFrame(part).drop(columns=["full", "sub"]).round(3).to_string(),
                  flush=True)
    df = pd.DataFrame(rows)
    lines = ["# m-out-of-n bootstrap against the full bootstrap", "",
             f"{args.members:,} members (ours: `clusterkit generate`; blind: "
             f"`arbitrary_ends`), channel level, {args.boot} replicates each, "
             f"{args.persons:,} persons per m-out-of-n replicate. Produced by "
             "`experiments/attribution_scale.py`.", "",
             "| data | model | seconds full | seconds m-out-of-n | width ratio median "
             "(min–max) | centre shift / full width, max |", "|---|---|---|---|---|---|"]
    for (src, model), g in df.groupby(["data", "model"], sort=False):
        lines.append(f"| {src} | {model} | {g['s_full'].iloc[0]:.0f} | {g['s_sub'].iloc[0]:.0f}"
                     f" | {g['width_ratio'].median():.2f} ({g['width_ratio'].min():.2f}–"
                     f"{g['width_ratio'].max():.2f}) | {g['shift'].max():.2f} |")
    cols = ["data", "model", "touch", "share", "full", "sub", "width_ratio", "shift"]
    lines += ["", "Per touch (intervals: full, then m-out-of-n):", "",
              "| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for r in df[cols].itertuples(index=False):
        lines.append(f"| {r.data} | {r.model} | {r.touch} | {r.share:.3f} | {r.full} | "
                     f"{r.sub} | {r.width_ratio:.2f} | {r.shift:.2f} |")
    args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
