"""Influence on data we did not generate: both blind roles generators.

For every setting of ``experiments/blind/roles_generator.py`` and
``experiments/blind2/roles_generator.py`` (each written from DESIGN §3 by a helper who had
not read the scoring code), the default run's ``influence`` score against the planted
influencers: ROC AUC, and precision among the top k members (k = the number of planted
influencers). Beside it, the baselines a user would otherwise reach for: the
platform-reported follower count, in-degree in the follow graph, PageRank. Also the share
of hollow accounts (bought followers; in ``bot_amplified`` also bought amplification by a
ring of bots) among the top k: influence is amplification by distinct people, so it must
stay low.

Run: ``.venv/bin/python experiments/influence_blind.py [--members 5000] [--seeds 3]
[--seed-offset 0]`` → ``experiments/results/influence_blind.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blind.roles_generator import generate as blind_generate  # noqa: E402
from blind2.roles_generator import SETTINGS as BLIND2  # noqa: E402
from blind2.roles_generator import generate as blind2_generate  # noqa: E402
from roles_stress import BLIND  # noqa: E402  (the first blind generator's stress settings)

SCORES = ("influence", "reported followers", "in-degree", "pagerank")


def _top(score: np.ndarray, k: int) -> np.ndarray:
    """The k highest scores, ties broken by position (members are sorted by id)."""
    order = np.lexsort((np.arange(len(score)), -score))
    top = np.zeros(len(score), dtype=bool)
    top[order[:k]] = True
    return top


def measure(gen: str, setting: str, seed: int, n: int) -> list[dict]:
    t = (blind_generate if gen == "blind" else blind2_generate)(n, setting=setting, seed=seed)
    data = CommunityData.from_frames(**{k: t[k] for k in ("members", "events", "follows")
                                        if len(t[k])})
    state = Pipeline().run(data, until="scoring")
    truth = t["truth"].set_index("member_id").reindex(data.member_ids)
    y = (truth["role"] == "influencer").to_numpy()
    hollow = truth["hollow"].fillna(False).astype(bool).to_numpy()
    X = state.features
    reported = (data.members["followers"].reindex(data.member_ids)
                if data.members is not None and "followers" in data.members else None)
    scores = {"influence": state.influence.table_["influence"].to_numpy(),
              "in-degree": X["followers"].to_numpy(dtype=float),
              "pagerank": X["pagerank"].to_numpy(dtype=float)}
    if reported is not None:
        scores["reported followers"] = pd.to_numeric(reported, errors="coerce").fillna(
            0.0).to_numpy()
    rows = []
    for name, s in scores.items():
        top = _top(s, int(y.sum()))
        rows.append({"generator": gen, "setting": setting, "seed": seed, "score": name,
                     "auc": roc_auc_score(y, s), "precision_at_k": float(y[top].mean()),
                     "hollow_in_top": float(hollow[top].mean())})
    return rows


def report(df: pd.DataFrame) -> str:
    lines = ["# Influence on the blind roles generators", "",
             "Produced by `experiments/influence_blind.py`. Per setting, mean (worst) over "
             "seeds: ROC AUC against the planted influencers; precision among the top k "
             "(k = planted influencers); share of hollow accounts among the top k (worst "
             "= largest).", ""]
    present = [s for s in SCORES if s in set(df["score"])]
    lines += ["| generator | setting | " + " | ".join(f"AUC {s}" for s in present)
              + " | " + " | ".join(f"P@k {s}" for s in present)
              + " | hollow in top k: influence / reported |",
              "|---|---|" + "---|" * (2 * len(present) + 1)]

    def cell(h, col, worst=min):
        return f"{h[col].mean():.3f} ({worst(h[col]):.3f})" if len(h) else "–"

    for (gen, setting), g in df.groupby(["generator", "setting"], sort=False):
        auc = [cell(g[g.score == s], "auc") for s in present]
        pak = [cell(g[g.score == s], "precision_at_k") for s in present]
        hol = [g[g.score == s]["hollow_in_top"].max() for s in ("influence",
                                                                 "reported followers")]
        lines.append(f"| {gen} | {setting} | " + " | ".join(auc) + " | " + " | ".join(pak)
                     + f" | {hol[0]:.1%} / {hol[1]:.1%} |".replace("nan%", "–"))
    for gen, g in [*df.groupby("generator", sort=False), ("**all**", df)]:
        auc = [cell(g[g.score == s], "auc") for s in present]
        pak = [cell(g[g.score == s], "precision_at_k") for s in present]
        lines.append(f"| {gen} | all settings | " + " | ".join(auc) + " | "
                     + " | ".join(pak) + " | |")
    inf = df[df.score == "influence"].set_index(["generator", "setting", "seed"])
    pr = df[df.score == "pagerank"].set_index(["generator", "setting", "seed"])
    below = (inf["auc"] < pr["auc"] - 1e-9)
    lines += ["", f"- `influence` below PageRank's AUC in {int(below.sum())} of {len(inf)} "
              f"cases (largest gap {max(float((pr['auc'] - inf['auc']).max()), 0):.3f}).", ""]
    return "\n".join(lines) + "\n"


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--members", type=int, default=5000)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--seed-offset", type=int, default=0)
    ap.add_argument("--out", type=Path,
                    default=Path(__file__).parent / "results" / "influence_blind.md")
    args = ap.parse_args(argv)
    rows = []
    for gen, settings in (("blind", BLIND), ("blind2", BLIND2)):
        for setting in settings:
            for seed in range(args.seed_offset, args.seed_offset + args.seeds):
                t0 = time.perf_counter()
                rows += measure(gen, setting, seed, args.members)
                r = {x["score"]: x["auc"] for x in rows[-len(SCORES):] if x["seed"] == seed}
                print(f"{gen} {setting} {seed}: " + ", ".join(f"{k} {v:.3f}"
                                                          for k, v in r.items())
                      + f" ({time.perf_counter() - t0:.1f} s)", flush=True)
    args.out.write_text(report(pd.DataFrame(rows)))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
