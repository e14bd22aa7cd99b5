"""Default engagement weights beside weights learned by attribution: weights and segments.

On the synthetic community (:func:`clusterkit.synthetic.community.generate`: fans buy more, and
more with event attendance and newsletter clicks), journeys are built at action × channel
level, the default attribution model credits each action on each channel, and
:func:`clusterkit.attribution.learned_weights` turns the credit per touch into engagement
weights on the default scale (total engagement of all touches unchanged). The same pipeline
then runs twice, with the default weights and with ``weights_file=weights.yaml``.

Shown side by side: the weights that changed most, each segment's size, conversion rate and
share of engagement weight under both, how many members change segment, and how well
engagement weight points at buyers (purchase rate among the 10 % most engaged members,
purchases themselves left out of the score so that the question is not circular).

Run: ``.venv/bin/python experiments/attribution_weights.py [N] [SEED]`` (members, default
20,000; seed 7) → ``experiments/results/attribution.md`` (the section between the
``weights`` markers).
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path

import numpy as np
from _sections import write_section
from sklearn.metrics import adjusted_rand_score

from clusterkit.attribution import AttributionConfig, attribution_outputs, write_weights_yaml
from clusterkit.config import RunConfig
from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline
from clusterkit.stages.scoring.engagement import EngagementScoring
from clusterkit.synthetic.community import generate
from clusterkit.weights import EngagementWeights

RESULT = Path(__file__).parent / "results" / "attribution.md"


def top_decile_purchase_rate(data, buyers: np.ndarray, pairs: dict | None) -> float:
    """Purchase rate of the 10 % most engaged members, purchases scored 0."""
    no_buy = {"purchase": {c: 0.0 for c in data.events["channel"].dropna().unique()}}
    score = EngagementScoring().fit(
        data, weights=EngagementWeights(pairs={**(pairs or {}), **no_buy})).scores_
    top = np.argsort(-score, kind="stable")[: len(score) // 10]
    return float(buyers[top].mean())


def main(n: int = 20_000, seed: int = 7) -> None:
    t0 = time.perf_counter()
    synth = generate(n, seed=seed)
    data = CommunityData.from_frames(**synth.tables)
    cfg = AttributionConfig(level="action", models=["last", "markov_2", "model"], seed=seed)
    out = attribution_outputs(data, cfg)
    w = out["weights"]
    pairs: dict = {}
    for a, c, v in zip(w["action"], w["channel"], w["weight"], strict=True):
        pairs.setdefault(a, {})[c] = v  # one entry per action x channel (a small table)
    folder = Path(tempfile.mkdtemp())
    path = write_weights_yaml(folder / "weights.yaml", pairs)
    runs = {"default": Pipeline(RunConfig(seed=seed)).run(data),
            "learned": Pipeline(RunConfig(seed=seed, weights_file=str(path))).run(data)}
    buyers = np.asarray(data.member_ids.isin(
        data.events.loc[data.events["action"] == "purchase", "member_id"]))

    att = out["attribution"]
    model = att[att["model"] == "model"].set_index("touch")
    w = w[w["channel"] != "*"].assign(touch=w["action"] + "@" + w["channel"])
    w["credit"] = w["touch"].map(model["conversions"])
    w["change"] = w["weight"] - w["default_weight"]
    w = w.reindex(w["change"].abs().sort_values(ascending=False).index)
    lines = [f"### Learned weights: {n:,} synthetic members, seed {seed}", "",
             f"{out['journeys']['journey_id'].nunique():,} journeys, "
             f"{int(out['journeys'].drop_duplicates('journey_id')['converted'].sum()):,} "
             "converting. Weights that moved most (credit: conversions the default model "
             "credits to the touch):", "",
             "| action | channel | default | learned | credited conversions |",
             "|---|---|---|---|---|"]
    for r in w.head(12).itertuples():
        lines.append(f"| {r.action} | {r.channel} | {r.default_weight:g} | {r.weight:g} | "
                     f"{r.credit:.1f} |")
    seg = {k: r.summary.set_index("segment") for k, r in runs.items()}
    names = list(dict.fromkeys(list(seg["default"].index) + list(seg["learned"].index)))
    lines += ["", "Each action also gets an all-channel weight (``*``, the touch-weighted mean "
              "of its channels), which the behaviour features use.", "",
              "Segments side by side (size, conversion rate, share of all engagement weight; "
              "empty: the run has no such segment):", "",
              "| segment | default: size | conv. rate | engagement share | learned: size | "
              "conv. rate | engagement share |", "|---|---|---|---|---|---|---|"]

    def cells(frame, name):
        if name not in frame.index:
            return " |  |  "
        r = frame.loc[name]
        return f"{int(r['size'])} | {r['conversion_rate']:.3f} | {r['engagement_share']:.3f}"

    for s in names:
        lines.append(f"| {s} | {cells(seg['default'], s)} | {cells(seg['learned'], s)} |")
    a = runs["default"].segments.set_index("member_id")
    b = runs["learned"].segments.set_index("member_id").reindex(a.index)
    moved = int((a["segment"] != b["segment"]).sum())
    ari = adjusted_rand_score(a["segment"], b["segment"])
    rate = {k: top_decile_purchase_rate(data, buyers, None if k == "default" else pairs)
            for k in runs}
    rho = np.corrcoef(a["engagement_weight"].rank(), b["engagement_weight"].rank())[0, 1]
    lines += ["", f"Members whose segment changed: {moved:,} of {len(a):,} (ARI between the "
              f"two segmentations {ari:.3f}); rank correlation of engagement weight "
              f"{rho:.3f}. Purchase rate of the 10 % most engaged members (purchases not "
              f"scored): {rate['default']:.3f} with default weights, {rate['learned']:.3f} "
              f"with learned weights (all members: {buyers.mean():.3f}).", ""]
    body = "\n".join(lines)
    write_section(RESULT, "weights", f"Made by `experiments/attribution_weights.py {n} {seed}` in "
                  f"{time.perf_counter() - t0:.0f} s.", body)
    print(body)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:3]))
