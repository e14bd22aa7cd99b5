"""Identity resolution on a generator written blind to the linkage code (issue 17, part 3).

``experiments/blind/identity_generator.py`` was written from DESIGN §8 alone, by someone who
had not read :mod:`clusterkit.identity`; it plants persons with nicknames, surname-first
names, namesakes and households in its own way (scenarios ``default``, ``nicknames_heavy``,
``households``, ``sparse``). Our own generator (:func:`clusterkit.synthetic.identity.
generate_accounts`) is measured next to it.

For each generator, scenario, size (10,000 and 100,000 accounts) and seed: pairwise precision,
recall and F1 over true same-person pairs, for

- *email-or-handle rules*: same normalised email or same handle on any channel, joined by
  connected components (the rules-only baseline of the issue);
- *default rules*: email, phone and declared handles with the household decision and the
  constrained clustering (``IdentityConfig(probabilistic=False)``);
- *full method*: ``IdentityConfig()`` (rules + Splink + constrained clustering), Splink
  seed 0, with its wall time.

The threshold is checked, not tuned per generator: the full method is run once with Splink
links down to probability 0.5 and re-clustered at each threshold of :data:`SWEEP` (exactly as
:func:`~clusterkit.identity.resolve_identities` clusters), and the worst case over every
generator, scenario, size and seed is reported per threshold.

Run: ``.venv/bin/python experiments/identity_blind.py [--sizes 10000 100000] [--seeds 3]``
→ ``experiments/results/identity_blind.md`` (per-run rows in ``identity_blind.csv``).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from clusterkit.data import CommunityData
from clusterkit.identity import IdentityConfig, resolve_identities
from clusterkit.identity.accounts import account_table
from clusterkit.identity.clusters import constrained_clusters
from clusterkit.identity.rules import rule_links
from clusterkit.synthetic.identity import generate_accounts

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
OUT = HERE / "results" / "identity_blind.md"
SCENARIOS = ("default", "nicknames_heavy", "households", "sparse")
BLIND9 = ("default", "families", "global", "thin")
"""Scenarios of ``experiments/blind9/identity_generator.py``: a second generator written
blind, after the household reading of emails was built (never used to design it)."""
SWEEP = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
NOTES = """## Notes

- The email-or-handle baseline goes through `rule_links`, so it includes the household
  decision (a shared email between accounts showing different, non-nickname first names and
  different handles links nothing); it is joined by connected components.
- *Full method* now includes two corrections (on by default, `identity.namesakes` and
  `identity.controls`); *without namesakes and controls* is the method before them, run on
  the same data in the same process:
  - the namesake model (`clusterkit/identity/namesakes.py`): the name evidence of two
    accounts sharing a full name (seen at most once per channel) is the probability that they
    are one person, from a Poisson model of the persons carrying the name whose scale per
    popularity stratum is fitted on the same-channel namesakes (two accounts with one name on
    one channel are two people). On the candidate pairs of blind `default` it is calibrated at
    10,000 accounts (mean 0.955 predicted, 0.959 true) and errs low at 100,000 (0.663
    predicted, 0.831 true), the side its docstring states;
  - same-channel controls (`clusterkit/identity/controls.py`): per agreement pattern (name
    level x alias level), the pairs on one channel are never one person, so they bound the
    non-matches the pattern holds across channels; a pattern whose model weights expect fewer
    is lowered by one constant. It catches the correlated comparisons Fellegi-Sunter
    multiplies as if independent: at 100,000 accounts, "first name only" with "same handle
    without its digits" scored above 0.9 while 22 % of those pairs were one person.
- Household addresses (`clusterkit/identity/households.py`, on in every method): an email
  whose local part reads as a household's (`thetaylors@`, `smithfamily@`, `walczak.home@`,
  `danielandmaria@`, `thompsons2016@`, read with the data's own first and last names) is
  not a personal key: the rules link through it only accounts with compatible names, and
  the probabilistic model gives the shared address no evidence. Before it, a newsletter
  account without a name on a family address was merged with the shop account of whoever
  else used it (the section at the end gives the figures).
- Status against the issue's target. At 10,000 accounts every run of the blind generator
  meets both (precision 0.959-0.981, recall gain +0.142 in the worst run). At 100,000
  accounts precision is 0.931-0.959 and the recall gain +0.016-+0.066: the target is not
  met there.
- Why the gain is out of reach at 100,000 on this generator: `experiments/identity_ceiling.py`
  trains a supervised classifier on the truth over the same candidate pairs; at pair
  precision 0.95 it reaches a pair recall only 0.08 above the rules on blind `default`, and
  less on `sparse` (see `experiments/results/identity_ceiling.md`). Cross-channel pairs sharing a
  full name seen at most once per channel are 83 % one person at 100,000 accounts (96 % at
  10,000): without other evidence no weighting links them at precision 0.95. More evidence per pair (or more candidate pairs: 30 % of true pairs
  are not candidates) is what would move recall, not a threshold.
"""
BASE = "email-or-handle rules"
FULL = "full method"
BEFORE = "without namesakes and controls"


def pairwise(pred: pd.Series, truth: pd.Series) -> dict:
    """Pairwise precision / recall / F1 of a clustering against the true persons."""
    df = pd.DataFrame({"p": pred.to_numpy(), "t": truth.reindex(pred.index).to_numpy()})

    def pairs(sizes):
        return float((sizes * (sizes - 1) // 2).sum())

    tp, pp = pairs(df.groupby(["p", "t"]).size()), pairs(df.groupby("p").size())
    tt = pairs(df.groupby("t").size())
    p, r = tp / max(pp, 1), tp / max(tt, 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-12)}


def components(ids: pd.Index, links: pd.DataFrame) -> pd.Series:
    a, b = ids.get_indexer(links["member_id_l"]), ids.get_indexer(links["member_id_r"])
    g = sp.coo_array((np.ones(len(a)), (a, b)), shape=(len(ids), len(ids)))
    return pd.Series(connected_components(g, directed=False)[1], index=ids)


def dataset(generator: str, scenario: str, n: int, seed: int):
    """(CommunityData, truth person_id by member_id) from one generator."""
    if generator == "ours":
        sd = generate_accounts(n, seed=seed)
        return CommunityData.from_frames(**sd.tables), sd.truth["person_id"]
    if generator == "blind9":
        from blind9.identity_generator import generate_identity
    else:
        from blind.identity_generator import generate_identity

    g = generate_identity(n, scenario, seed)
    members = g["members"].copy()
    members["member_id"] = members["member_id"].astype(str)
    events = pd.DataFrame({"member_id": members["member_id"], "action": "view",
                           "timestamp": 0})
    tables = {"members": members, "events": events}
    if g.get("identities") is not None:
        tables["identities"] = g["identities"]
    truth = g["truth"].assign(member_id=lambda t: t["member_id"].astype(str))
    return CommunityData.from_frames(**tables), truth.set_index("member_id")["person_id"]


def recluster(data, res, accounts, threshold: float) -> pd.Series:
    """The persons ``resolve_identities`` gives at ``threshold``, from links scored once."""
    every = pd.concat([res.links, res.rejected], ignore_index=True)
    keep = (every["rule"] != "splink") | (every["match_probability"] >= threshold)
    every = every[keep.to_numpy(dtype=bool)]
    ids = data.member_ids
    left, right = ids.get_indexer(every["member_id_l"]), ids.get_indexer(every["member_id_r"])
    score = np.where((every["rule"] != "splink").to_numpy(dtype=bool), np.inf,
                     every["match_weight"].to_numpy(dtype=np.float64))
    labels = constrained_clusters(len(ids), left, right, score,
                                  channel=accounts["channel"].to_numpy(dtype=object),
                                  max_size=res.config.max_accounts)
    return pd.Series(labels, index=ids)


def run_one(generator: str, scenario: str, n: int, seed: int) -> list[dict]:
    data, truth = dataset(generator, scenario, n, seed)
    accounts = account_table(data, IdentityConfig())
    key = {"generator": generator, "scenario": scenario, "n": n, "seed": seed}
    rows = []
    t = time.perf_counter()
    links, _ = rule_links(accounts, data.identities, IdentityConfig(rules=("email", "handle")))
    rows.append({**key, "method": BASE, "threshold": np.nan, "time": time.perf_counter() - t,
                 **pairwise(components(data.member_ids, links), truth)})
    t = time.perf_counter()
    res = resolve_identities(data, IdentityConfig(probabilistic=False), seed=0)
    rows.append({**key, "method": "default rules", "threshold": np.nan,
                 "time": time.perf_counter() - t,
                 **pairwise(res.persons.set_index("member_id")["person_id"], truth)})
    t = time.perf_counter()
    res = resolve_identities(data, IdentityConfig(), seed=0)
    default = IdentityConfig().threshold
    rows.append({**key, "method": FULL, "threshold": default, "time": time.perf_counter() - t,
                 **pairwise(res.persons.set_index("member_id")["person_id"], truth)})
    t = time.perf_counter()
    res = resolve_identities(data, IdentityConfig(namesakes=False, controls=False), seed=0)
    rows.append({**key, "method": BEFORE, "threshold": default,
                 "time": time.perf_counter() - t,
                 **pairwise(res.persons.set_index("member_id")["person_id"], truth)})
    low = resolve_identities(data, IdentityConfig(threshold=min(SWEEP)), seed=0)
    for thr in SWEEP:
        rows.append({**key, "method": "sweep", "threshold": thr, "time": np.nan,
                     **pairwise(recluster(data, low, accounts, thr), truth)})
    return rows


def _fmt(x, digits=3):
    return "" if pd.isna(x) else f"{x:.{digits}f}"


def report(df: pd.DataFrame) -> str:
    base = df[df.method == BASE].set_index(["generator", "scenario", "n", "seed"])["recall"]
    df = df.assign(gain=df["recall"].to_numpy() - base.reindex(
        pd.MultiIndex.from_frame(df[["generator", "scenario", "n", "seed"]])).to_numpy())
    seeds = sorted(df["seed"].unique())
    lines = ["# Identity resolution on a blind generator (issue 17, part 3)", "",
             "Produced by `experiments/identity_blind.py`. Generators: `blind` is "
             "`experiments/blind/identity_generator.py` (written from DESIGN §8 without reading "
             "the linkage code; scenarios as named), `ours` is "
             "`clusterkit.synthetic.identity.generate_accounts`. Seeds "
             f"{', '.join(map(str, seeds))}. Pairwise precision / recall / F1 over true "
             "same-person pairs; *gain* is the method's recall minus the email-or-handle "
             "rules' recall on the same data. Time: wall seconds of the method (one process, "
             "2 shared cores). Full method = `IdentityConfig()` (threshold "
             f"{IdentityConfig().threshold}).", "",
             "Target (issue 17): precision ≥ 0.95 and gain ≥ 0.10 at 10k and 100k accounts.",
             "", "## Per scenario: mean (worst over seeds)", "",
             "| generator | scenario | accounts | method | precision | recall | gain | F1 "
             "| time (s) |", "|---|---|---|---|---|---|---|---|---|"]
    main = df[df.method != "sweep"]
    for (g, s, n, m), sub in main.groupby(["generator", "scenario", "n", "method"], sort=True):
        gain = "" if m == BASE else f"{sub.gain.mean():+.3f} ({sub.gain.min():+.3f})"
        lines.append(f"| {g} | {s} | {n:,} | {m} | {sub.precision.mean():.3f} "
                     f"({sub.precision.min():.3f}) | {sub.recall.mean():.3f} "
                     f"({sub.recall.min():.3f}) | {gain} | {sub.f1.mean():.3f} | "
                     f"{sub.time.mean():.1f} |")
    full = main[main.method.isin([FULL, BEFORE])]
    lines += ["", "## Worst case of the full method (and without the namesake model and the "
              "same-channel controls)", "",
              "| generator | accounts | method | runs | precision mean | precision worst "
              "| gain mean | gain worst | met |", "|---|---|---|---|---|---|---|---|---|"]
    for (g, n, m), sub in full.groupby(["generator", "n", "method"], sort=True):
        met = (sub.precision >= 0.95) & (sub.gain >= 0.10)
        lines.append(f"| {g} | {n:,} | {m} | {len(sub)} | {sub.precision.mean():.3f} | "
                     f"{sub.precision.min():.3f} | {sub.gain.mean():+.3f} | "
                     f"{sub.gain.min():+.3f} | {int(met.sum())} of {len(sub)} |")
    sw = df[df.method == "sweep"]
    lines += ["", "## Threshold check: worst case over every generator, scenario, size and seed",
              "", "| threshold | precision worst | gain worst | F1 mean | runs meeting both |",
              "|---|---|---|---|---|"]
    for thr, sub in sw.groupby("threshold", sort=True):
        met = (sub.precision >= 0.95) & (sub.gain >= 0.10)
        lines.append(f"| {thr} | {sub.precision.min():.3f} | {sub.gain.min():+.3f} | "
                     f"{sub.f1.mean():.3f} | {int(met.sum())} of {len(sub)} |")
    return "\n".join(lines + ["", NOTES])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    ap.add_argument("--seeds", type=int, default=3, help="seeds at 10k (100k: one fewer)")
    ap.add_argument("--generators", nargs="+", default=["blind", "ours"])
    ap.add_argument("--scenarios", nargs="+", default=list(SCENARIOS))
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    rows = []
    for n in args.sizes:
        n_seeds = args.seeds if n <= 10_000 else max(args.seeds - 1, 1)
        for gen in args.generators:
            scenarios = {"blind": args.scenarios, "blind9": BLIND9}.get(gen, ["-"])
            for scen in scenarios:
                for seed in range(n_seeds):
                    t = time.perf_counter()
                    rows += run_one(gen, scen, n, seed)
                    r = rows[-2 - len(SWEEP)]
                    print(f"{gen} {scen} n={n} seed={seed}: precision {r['precision']:.3f} "
                          f"recall {r['recall']:.3f} ({time.perf_counter() - t:.0f}s)",
                          flush=True)
    df = pd.DataFrame(rows)
    df.to_csv(args.out.with_suffix(".csv"), index=False)
    text = report(df)
    args.out.write_text(text)
    print(text)


if __name__ == "__main__":
    main()
