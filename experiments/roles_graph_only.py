"""Influencers from a follower graph alone: the in-degree quantile against breaks read from
the data (issue 16).

On graph-only data the ``rules`` stage calls a member an influencer at the 0.98 quantile of
graph in-degree (``graph_quantile``). That is a share of members, which DESIGN §3's rules
otherwise avoid. This script asks whether a break read from the distribution of log(1 +
in-degree) could replace it: Otsu with two and three classes, and the two-normal boundary
(:func:`~clusterkit.stages.roles.evidence.mixture_break`). It scores influencer-vs-rest F1
against the planted roles: the blind generator's ``graph_only`` setting (9 seeds) and our
generator with its events dropped (3 seeds), 5,000 members each, and the real Twitch DE
graph (mutual follows; Twitch's partner flag, 597 of 9,498 streamers, as the influencer
proxy; graph only). For comparison it also scores the naive top 2 % by the members
table's reported followers (on Twitch: by in-degree, as there is no such column).

Run: ``.venv/bin/python experiments/roles_graph_only.py``
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.metrics import f1_score

from clusterkit.data import CommunityData
from clusterkit.features import build_features
from clusterkit.registry import create_stage
from clusterkit.stages.roles.evidence import mixture_break, natural_break
from clusterkit.synthetic import generate

sys.path.insert(0, str(Path(__file__).resolve().parent))
from blind.roles_generator import generate as blind_generate  # noqa: E402
from datasets import read_musae_twitch_de  # noqa: E402

SPECS = [("behaviour", {}), ("graph", {}), ("interaction", {})]


def cases():
    for seed in range(9):
        t = blind_generate(5000, setting="graph_only", seed=seed)
        yield ("blind graph_only", seed, {k: t[k] for k in ("members", "follows")},
               t["truth"].set_index("member_id")["role"])
    for seed in range(3):
        s = generate(5000, seed=100 + seed)
        yield ("ours without events", seed, {"members": s.tables["members"],
                                             "follows": s.tables["follows"]}, s.truth["role"])
    data, partner, _ = read_musae_twitch_de(attributes=False)
    yield ("real: Twitch DE (partner)", 0, data, partner.map({True: "influencer",
                                                              False: "other"}))


def main() -> None:
    rows = []
    for gen, seed, tables, truth in cases():
        data = tables if isinstance(tables, CommunityData) else \
            CommunityData.from_frames(**tables)
        X, _ = build_features(data, SPECS)
        true = truth.reindex(X.index).astype(str).to_numpy() == "influencer"
        fol = X["followers"].to_numpy(float)
        reported = X["reported_followers"].to_numpy(float) if "reported_followers" in X \
            else fol
        log_fol = np.log1p(fol[fol > 0])
        preds = {
            "rules (0.98 quantile of in-degree)":
                np.asarray(create_stage("roles", "rules", {}).fit(X).roles_) == "influencer",
            "Otsu, 2 classes": fol >= np.expm1(natural_break(log_fol, 2)),
            "Otsu, 3 classes": fol >= np.expm1(natural_break(log_fol, 3)),
            "two-normal boundary": fol >= np.expm1(mixture_break(log_fol)),
            "naive: top 2 % reported followers": reported >= np.quantile(reported, 0.98),
        }
        for name, pred in preds.items():
            rows.append({"data": gen, "seed": seed, "method": name,
                         "f1": f1_score(true, pred), "called": int(pred.sum()),
                         "planted": int(true.sum())})
        print(gen, seed, {r["method"]: round(r["f1"], 3) for r in rows[-len(preds):]},
              flush=True)
    df = pd.DataFrame(rows)
    out = df.groupby(["data", "method"], sort=False).agg(
        f1_mean=("f1", "mean"), f1_worst=("f1", "min"), called=("called", "mean"),
        planted=("planted", "mean")).round(3)
    print(out.to_markdown())


if __name__ == "__main__":
    main()
