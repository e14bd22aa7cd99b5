"""Does influence measured now predict amplification later? Higgs Twitter, July 2012.

Influence components are computed on the first half of the time window (events up to the
midpoint, plus the follower-graph sample); the target is, per member, the number of distinct
members who retweet, mention or reply to them in the second half. Each component, the
combined score and follower count (in-degree in the follower sample) are compared by
Spearman correlation with the target, over every member of the first half and over those
the second half amplifies at least once.

Data: ``../shared/datasets/higgs-twitter`` (or ``--root``); never needed by the tests.
Run: ``.venv/bin/python experiments/higgs_influence.py`` → ``results/higgs_influence.md``.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from clusterkit.data import CommunityData
from clusterkit.features import build_features
from clusterkit.stages.scoring.influence import COMPONENTS, influence_table

ACTIONS = {"RT": "retweet", "MT": "mention", "RE": "reply"}


def load(root: Path):
    folder = root / "higgs-twitter"
    if not folder.is_dir():
        raise SystemExit(f"dataset folder not found: {folder} (pass --root)")
    ev = pd.read_csv(folder / "higgs-activity_time.txt.gz", sep=" ", header=None,
                     names=["member_id", "target_id", "timestamp", "type"], dtype=str)
    ev["action"] = ev["type"].map(ACTIONS)
    ev["channel"] = "twitter"
    ev["ts"] = ev["timestamp"].astype(np.int64)
    lines = (folder / "higgs-social_network.edgelist.truncated").read_text().splitlines()
    pairs = [ln.split() for ln in lines[:-1]]  # the last line is cut off mid-record
    follows = pd.DataFrame(pairs, columns=["follower_id", "followee_id"])
    return ev, follows


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    args = ap.parse_args()
    t0 = time.perf_counter()
    ev, follows = load(args.root)
    mid = (ev["ts"].min() + ev["ts"].max()) / 2
    first, second = ev[ev["ts"] <= mid], ev[ev["ts"] > mid]
    data = CommunityData.from_frames(
        events=first[["member_id", "action", "timestamp", "channel", "target_id"]],
        follows=follows)
    X, _ = build_features(data, [("behaviour", {}), ("graph", {}), ("interaction", {})])
    tab = influence_table(data, X, random_state=0)
    later = second[second["member_id"] != second["target_id"]]
    target = later.groupby("target_id")["member_id"].nunique().reindex(
        data.member_ids).fillna(0).to_numpy()
    followers = X["followers"].to_numpy()
    active = np.zeros(len(target), dtype=bool)
    active[data.member_index(pd.unique(pd.concat([first["member_id"], first["target_id"]])))] = True
    in_sample = np.zeros(len(target), dtype=bool)
    ids = data.member_index(pd.unique(pd.concat([follows["follower_id"],
                                                 follows["followee_id"]])))
    in_sample[ids[ids >= 0]] = True
    subsets = {"all members of the first half": np.ones(len(target), dtype=bool),
               "active in the first half (acted or acted on)": active,
               "active and in the follower sample": active & in_sample,
               "amplified in the second half": target > 0}
    rows = []
    for label, mask in subsets.items():
        for name in ["followers (follower count)", *COMPONENTS, "influence (combined)"]:
            col = followers if name.startswith("followers") else tab[name.split(" ")[0]]
            rho = spearmanr(np.asarray(col)[mask], target[mask]).statistic
            rows.append((label, name, rho, int(mask.sum())))
    secs = time.perf_counter() - t0
    out = ["# Higgs Twitter: influence in the first half vs amplification in the second", "",
           f"First half: {len(first):,} events up to {pd.to_datetime(mid, unit='s')} UTC; "
           f"second half: {len(second):,} events. Follower graph: the truncated sample "
           f"({len(follows):,} edges). Members: {data.n_members:,}. Target: distinct members "
           "who retweet, mention or reply to the member in the second half. "
           f"Produced by `experiments/higgs_influence.py` in {secs:.0f} s.", "",
           "| members | measure | Spearman rho with later distinct amplifiers | n |",
           "|---|---|---|---|"]
    out += [f"| {a} | {b} | {c:.3f} | {d:,} |" for a, b, c, d in rows]
    out += ["", "Reading: members who appear only in the follower sample have no activity in "
            "either half to measure, so over *all* members follower count carries most of the "
            "signal it can; among members active in the first half, amplification by distinct "
            "members and authority predict later amplification far better than follower count, "
            "and the combined score (amplification 0.45, authority 0.30, 2-hop reach 0.15, "
            "reach 0.10) beats follower count in every population, though only narrowly among "
            "members the second half amplifies (selecting on the outcome favours reach there). "
            "Resonance and credibility "
            "are reported for completeness; they are not meant to predict reach."]
    path = Path(__file__).parent / "results" / "higgs_influence.md"
    path.write_text("\n".join(out) + "\n")
    print("\n".join(out))


if __name__ == "__main__":
    main()
