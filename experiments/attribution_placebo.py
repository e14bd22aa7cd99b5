"""The placebo check of the default attribution model, where it holds and where it does not.

:func:`clusterkit.attribution.checks.placebo_share` on the four blind journey generators
(``experiments/blind/journeys_generator.py``, where the model's assumptions hold) and on our
own window-sampled generator (:mod:`clusterkit.synthetic.journeys`, where they do not), two
seeds each: the share of the credit that a placebo touch, as frequent as the most frequent
real touch and placed at random while the person is at risk, receives.

Run: ``.venv/bin/python experiments/attribution_placebo.py [--persons 20000] [--seeds 2]``
→ ``experiments/results/attribution_placebo.md``; ``--model-params '{"baseline_bins":
"coarse"}'`` checks the model with other parameters, ``--seed-offset 2`` other seeds.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from clusterkit.attribution import build_journeys
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.checks import PLACEBO_LIMIT, placebo_share
from clusterkit.data import CommunityData
from clusterkit.synthetic.journeys import generate_journeys as ours

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from blind.journeys_generator import generate_journeys  # noqa: E402

CASES = ("arbitrary_ends", "long_window", "many_channels", "frequency_misaligned", "ours")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--seeds", type=int, default=2)
    ap.add_argument("--seed-offset", type=int, default=0)
    ap.add_argument("--model-params", type=json.loads, default={})
    ap.add_argument("--out", type=Path, default=HERE / "results" / "attribution_placebo.md")
    args = ap.parse_args(argv)
    seeds = range(args.seed_offset, args.seed_offset + args.seeds)
    lines = ["# Placebo check of the default attribution model", "",
             f"{args.persons:,} persons, seeds {seeds[0]}-{seeds[-1]}; produced by "
             "`experiments/attribution_placebo.py`"
             + (f" --model-params '{json.dumps(args.model_params)}'" if args.model_params
                else "") + ". Share of the default model's credit "
             "that a placebo touch receives (limit of the check: "
             f"{PLACEBO_LIMIT:.0%}).", "", "| generator | seed | placebo share | check |",
             "|---|---|---|---|"]
    for case in CASES:
        for seed in seeds:
            ev = (ours(args.persons, seed=seed).events() if case == "ours" else
                  generate_journeys(args.persons, scenario=case, seed=seed)["events"])
            spells = build_journeys(CommunityData.from_frames(events=ev), ("purchase",),
                                    "channel", None)
            share = placebo_share(prepare(spells), seed=seed, **args.model_params)
            ok = "passes" if share <= PLACEBO_LIMIT else "fails"
            lines.append(f"| {case} | {seed} | {share:.1%} | {ok} |")
            print(lines[-1], flush=True)
    lines.append("")
    args.out.write_text("\n".join(lines))


if __name__ == "__main__":
    main()
