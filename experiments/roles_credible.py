"""Amplifiers whom anyone acts on: a probe against hollow accounts called influencers (issue 16).

Bought amplification comes from accounts no one else engages with, so a member's
amplifiers were replaced by those whom at least one other member acts on (computed from
the raw events), and the rules re-run on the otherwise cached feature table:

- ``all``: every member's amplifiers replaced;
- ``test``: only where that share is significantly (binomial, 1 %) under half the typical
  share of members amplified by five or more.

Reads the feature tables of ``experiments/roles_stress.py --cache DIR`` (with the
``conversers`` column) and regenerates each case's events. Prints role macro-F1, hollow
accounts called influencers and influencer recall per variant.

Run: ``.venv/bin/python experiments/roles_credible.py --cache DIR [--generators ...]
[--seeds 1] [--seed-offset 0]``. Result (seed 0, every setting with behaviour): no gain,
``experiments/results/roles_stress.md``.
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import binom

from clusterkit.metrics import role_macro_f1
from clusterkit.stages.roles.rules import RuleRoles

sys.path.insert(0, str(Path(__file__).resolve().parent))
import roles_stress  # noqa: E402

AMPLIFYING = ["share", "retweet", "mention", "reply", "comment"]


def credible(events, index) -> np.ndarray:
    """Distinct amplifiers of each member (``index``) whom some other member acts on."""
    if events is None or "target_id" not in events or not len(events):
        return np.zeros(len(index))
    e = events[events["target_id"].notna()][["member_id", "target_id", "action"]].astype(str)
    e = e[(e["member_id"] != e["target_id"]) & e["target_id"].isin(index)]
    acted = set(e["target_id"].unique())
    a = e[e["action"].isin(AMPLIFYING) & e["member_id"].isin(acted)]
    return a.groupby("target_id")["member_id"].nunique().reindex(index).fillna(0.0).to_numpy()


def variants(X, cred):
    amp = X["amplifiers"].to_numpy()
    c = np.minimum(cred, amp)
    big = amp >= 5
    typical = np.median(c[big] / amp[big]) if big.sum() >= 20 else 1.0
    flag = big & (binom.cdf(c, amp.astype(int), min(1.0, 0.5 * typical)) < 0.01)
    out = {"base": X}
    for name, rows in (("all", np.ones(len(X), bool)), ("test", flag)):
        T = X.copy()
        T.loc[rows, "amplifiers"] = c[rows]
        if "conversers" in T:
            T["conversers"] = np.minimum(T["conversers"], T["amplifiers"])
        out[name] = T
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, required=True)
    ap.add_argument("--generators", default=",".join(roles_stress.GENERATORS))
    ap.add_argument("--seeds", type=int, default=1)
    ap.add_argument("--seed-offset", type=int, default=0)
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows = []
    for gen, setting, seed, tables, truth in roles_stress.cases(
            5000, a.seeds, a.seed_offset, tuple(a.generators.split(","))):
        if setting == "graph_only":
            continue
        key = a.cache / f"{gen}_{setting}_{seed}_5000".replace(" ", "").replace(":", "")
        X = pd.read_parquet(key / "X.parquet")
        tr = truth.reindex(X.index)
        planted = tr["role"].notna().to_numpy()
        true = tr["role"].astype(str).to_numpy()[planted]
        hollow = tr["hollow"].fillna(False).astype(bool).to_numpy()[planted]
        for name, T in variants(X, credible(tables.get("events"), X.index)).items():
            q = np.asarray(RuleRoles().fit(T).roles_, dtype=object)[planted]
            rows.append({"generator": gen, "case": f"{setting}_{seed}", "variant": name,
                         "f1": role_macro_f1(true, q),
                         "hollow_inf": float(np.mean(q[hollow] == "influencer"))
                         if hollow.any() else np.nan})
    d = pd.DataFrame(rows)
    f1 = d.pivot_table(index=["generator", "case"], columns="variant", values="f1")
    hol = d.pivot_table(index=["generator", "case"], columns="variant", values="hollow_inf")
    print(f1.groupby("generator").agg(["mean", "min"]).round(3).to_string())
    print("mean", f1.mean().round(4).to_dict(), "worst", f1.min().round(3).to_dict())
    print("hollow called influencers, worst", hol.max().round(3).to_dict())
    for v in ("all", "test"):
        diff = f1[v] - f1["base"]
        print(f"{v}: {int((diff > 1e-9).sum())} higher, {int((diff < -1e-9).sum())} lower, "
              f"most {diff.min():.4f} ({diff.idxmin()[1]})")


if __name__ == "__main__":
    main()
