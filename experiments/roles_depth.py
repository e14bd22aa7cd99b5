"""A fan who is mostly passive: a veto on the share of deep reactions (issue 16).

DESIGN §3 calls a follower "connected but mostly passive". On the fourth blind generator's
``whales`` setting the followers called fans react a lot, but their deep reactions are a
tenth of what they do (views and likes the rest), against four tenths for the true fans.
Two vetoes are applied after the rules (without the stage's own depth test,
``fan_depth_ratio=0``), to the members they call fans:

- ``r<c>``: the member's deep reactions over its reactions to content (every event but
  content and follows) are under ``c`` times the median share of the members called fans;
- ``bb<alpha>``: a one-sided beta-binomial test at ``alpha`` of the member's deep count
  against the called fans' pooled share, its overdispersion read by moments.

Reads the feature tables cached by ``experiments/roles_stress.py --cache DIR`` (every
generator, seeds 0-5, 5,000 members). Prints role macro-F1 mean (worst) per generator and
variant, followers called fans at worst, and the cases each variant raised or lowered.

This is how the rules' ``fan_depth_ratio`` (:mod:`clusterkit.stages.roles.depth`) was
first tried, after the rules; the stage reads the median over the members over the fan's
volume threshold instead (``experiments/roles_stress.py`` measures it).

Run: ``.venv/bin/python experiments/roles_depth.py --cache DIR``.
"""

from __future__ import annotations

import argparse
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import betabinom

from clusterkit.metrics import role_macro_f1
from clusterkit.stages.roles.evidence import deep_activity
from clusterkit.stages.roles.rules import RuleRoles


def beta_binomial_low(x, n, called, alpha):
    """Members called fans whose deep count is significantly low against the called fans'."""
    xs, ns = x[called], n[called]
    p = xs.sum() / ns.sum()
    s2 = np.sum(ns * (xs / ns - p) ** 2) / (len(ns) - 1)
    rho = min(0.99, max(1e-6, (s2 / (p * (1 - p)) - 1) / (ns.mean() - 1)))
    a, b = p * (1 / rho - 1), (1 - p) * (1 / rho - 1)
    return called & (betabinom.cdf(x, n, a, b) < alpha)


def variants(X, pred):
    count, _ = deep_activity(X)
    follows = X["act_follow"].to_numpy() if "act_follow" in X else 0.0
    # reactions to content: every event but content and follows (connections, not reactions)
    react = np.maximum(X["n_events"].to_numpy() - X["created"].to_numpy() - follows, count)
    share = count / np.maximum(react, 1)
    called = pred == "fan"
    out = {"rules": pred}
    if called.sum() < 20:
        return out
    med = np.median(share[called])
    for c in (0.25, 0.33):
        out[f"r{c}"] = np.where(called & (share < c * med), "follower", pred)
    for alpha in (0.01, 0.001):
        low = beta_binomial_low(count.round().astype(int), react.round().astype(int), called,
                                alpha)
        out[f"bb{alpha}"] = np.where(low, "follower", pred)
    return out


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", type=Path, required=True)
    a = ap.parse_args(argv)
    warnings.filterwarnings("ignore")
    rows = []
    for key in sorted(a.cache.glob("*_5000")):
        if "graph_only" in key.name:  # no behaviour: scored on influencers only
            continue
        X = pd.read_parquet(key / "X.parquet")
        conv = key / "conv.parquet"
        if conv.exists():
            X["conversers"] = pd.read_parquet(conv)["conversers"].reindex(X.index).to_numpy()
        truth = pd.read_parquet(key / "truth.parquet").reindex(X.index)
        planted = truth["role"].notna().to_numpy()
        true = truth["role"].astype(str).to_numpy()[planted]
        pred = np.asarray(RuleRoles(fan_depth_ratio=0.0).fit(X).roles_, dtype=object)
        for name, p in variants(X, pred).items():
            q = p[planted]
            rows.append({"generator": key.name.split("_")[0], "case": key.name, "variant": name,
                         "f1": role_macro_f1(true, q),
                         "fol_fan": float(np.mean(q[true == "follower"] == "fan"))})
    d = pd.DataFrame(rows)
    f1 = d.pivot_table(index=["generator", "case"], columns="variant", values="f1")
    ff = d.pivot_table(index=["generator", "case"], columns="variant", values="fol_fan")
    f1, ff = (t.apply(lambda col, t=t: col.fillna(t["rules"])) for t in (f1, ff))
    pd.set_option("display.width", 200)
    print(f1.groupby("generator").agg(["mean", "min"]).round(3).to_string())
    print("all: mean", f1.mean().round(4).to_dict())
    print("all: worst", f1.min().round(3).to_dict())
    print("followers called fans, worst:", ff.max().round(3).to_dict())
    for v in f1.columns.drop("rules"):
        diff = f1[v] - f1["rules"]
        print(f"{v}: {int((diff > 1e-9).sum())} cases higher, {int((diff < -1e-9).sum())} "
              f"lower (most {diff.min():.4f}, {diff.idxmin()[1]})")


if __name__ == "__main__":
    main()
