"""Identity resolution against planted persons, at 10,000 and 100,000 accounts.

Accounts from :func:`clusterkit.synthetic.identity.generate_accounts` (namesakes drawn
from heavy-tailed name frequencies, nicknames, typos, missing fields, unrelated handles,
households sharing an email), seeds 0, 1, 2. Pairwise precision, recall and F1 of:

- *email-or-handle rules*: same normalised email or same handle on any channel, joined by
  connected components (the baseline the issue names);
- *every rule*: the same plus declared handles and phones;
- *default rules*: email, phone, declared handles, with the household veto and the
  constrained clustering (``IdentityConfig(probabilistic=False)``);
- *full method*: default rules + Splink + constrained clustering (``IdentityConfig()``);
  m from the declared links; and the same with m by EM (``min_labels`` out of reach), as
  when a dataset declares no links;
- *full links, connected components*: the full method's links (kept and refused) joined by
  plain connected components, to show what the constrained clustering prevents; and the same
  two clusterings with Splink links down to probability 0.5, where chaining shows.

The recall ceiling counts the true pairs that are connected, inside their person, by accounts
sharing a usable key (email, phone, declared handle, alias, alias without digits, full name,
or an alias that spells the other's name). Then a threshold sweep (seed 0) and a determinism
check (rows shuffled, same persons and links).

Run: ``.venv/bin/python experiments/identity_quality.py`` → ``experiments/results/identity.md``.
"""

from __future__ import annotations

import time
from pathlib import Path

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from clusterkit.data import CommunityData
from clusterkit.identity import IdentityConfig, resolve_identities
from clusterkit.identity.accounts import account_table
from clusterkit.identity.rules import rule_links
from clusterkit.synthetic.identity import generate_accounts, true_pairs

SIZES = (10_000, 100_000)
SEEDS = (0, 1, 2)
SWEEP = (0.5, 0.8, 0.9, 0.95, 0.99)
OUT = Path(__file__).parent / "results" / "identity.md"
NOTES = """## Notes

- Baselines are joined by connected components, as a rules-only tool would; precision of the
  email-or-handle rules falls from 0.93 to 0.70 with size because namesakes share handles
  across platforms. The default rules (no same-handle rule, household veto, at most one
  account per channel) stay above 0.99 at both sizes.
- The full method's precision is stable with size because the prior is re-estimated for each
  dataset (expected matches over all pairs, about 1 / n) and names are weighed by how many
  people carry them; its recall falls with size because a common name on two accounts is
  weaker evidence among 100,000 accounts than among 10,000, as it should be.
- The recall ceiling is a property of the generator (how often a person's accounts share any
  key), the same at both sizes; the rest of the gap to it is pairs whose only shared key is a
  name that other people also carry.
- m comes from the declared links (identities table) at both sizes (701 and 7,205 labelled
  pairs for seed 0); u from Splink's seeded sample of 2,000,000 pairs, corrected as described
  in `clusterkit.identity.estimate`.
"""


def pairwise(pred: pd.Series, truth: pd.Series) -> dict:
    df = pd.DataFrame({"p": pred.to_numpy(), "t": truth.reindex(pred.index).to_numpy()})

    def pairs(sizes):
        return float((sizes * (sizes - 1) // 2).sum())

    tp, pp = pairs(df.groupby(["p", "t"]).size()), pairs(df.groupby("p").size())
    tt = pairs(df.groupby("t").size())
    p, r = tp / max(pp, 1), tp / max(tt, 1)
    return {"precision": p, "recall": r, "f1": 2 * p * r / max(p + r, 1e-12), "pairs": pp}


def components(ids: pd.Index, links: pd.DataFrame) -> pd.Series:
    a, b = ids.get_indexer(links["member_id_l"]), ids.get_indexer(links["member_id_r"])
    g = sp.coo_array((np.ones(len(a)), (a, b)), shape=(len(ids), len(ids)))
    return pd.Series(connected_components(g, directed=False)[1], index=ids)


def ceiling(data, truth: pd.Series, accounts: pd.DataFrame) -> float:
    """Share of true pairs joined inside their person by accounts sharing a usable key."""
    acc = accounts.set_index("member_id")
    forms = [acc["given"] + acc["last"], acc["first"] + acc["last"],
             acc["initial"] + acc["last"]]
    keys = [("e", acc["email"]), ("p", acc["phone"]), ("a", acc["alias"]),
            ("n", acc["alias_core"]), ("f", acc["full_name"])] + [("n", f) for f in forms]
    rows = pd.concat([pd.DataFrame({"member_id": s.index.to_numpy(dtype=object),
                                    "key": (k + ":" + s.astype("string")).to_numpy()})
                      for k, s in keys]).dropna().drop_duplicates()
    rows["person"] = truth.reindex(rows["member_id"]).to_numpy()
    pairs = rows.merge(rows, on=["person", "key"])
    pairs = pairs[pairs["member_id_x"] < pairs["member_id_y"]]
    declared, _ = rule_links(accounts, data.identities, IdentityConfig(rules=(
        "declared_handle",)))
    edges = pd.concat([pairs.rename(columns={"member_id_x": "member_id_l",
                                             "member_id_y": "member_id_r"}),
                       declared], ignore_index=True)
    same = (truth.reindex(edges["member_id_l"]).to_numpy()
            == truth.reindex(edges["member_id_r"]).to_numpy())
    comp = components(data.member_ids, edges[same])
    joined = pd.DataFrame({"c": comp.to_numpy(), "t": truth.reindex(comp.index).to_numpy()})
    sizes = joined.groupby(["c", "t"]).size()
    return float((sizes * (sizes - 1) // 2).sum()) / len(true_pairs(truth.to_frame()))


def run_one(n: int, seed: int) -> tuple[list[dict], float]:
    sd = generate_accounts(n, seed=seed)
    data = CommunityData.from_frames(**sd.tables)
    truth = sd.truth["person_id"]
    accounts = account_table(data, IdentityConfig())
    rows = []

    def add(method, pred, secs):
        rows.append({"n": n, "seed": seed, "method": method, "time": secs,
                     **pairwise(pred, truth)})

    for name, rules in (("email-or-handle rules", ("email", "handle")),
                        ("every rule (+ declared, phone)",
                         ("email", "phone", "declared_handle", "handle"))):
        t = time.perf_counter()
        links, _ = rule_links(accounts, data.identities, IdentityConfig(rules=rules))
        add(name, components(data.member_ids, links), time.perf_counter() - t)
    for name, cfg in (("default rules, constrained", IdentityConfig(probabilistic=False)),
                      ("full method, m by EM (labels ignored)",
                       IdentityConfig(min_labels=10**9)),
                      ("full method (rules + Splink)", IdentityConfig())):
        t = time.perf_counter()
        res = resolve_identities(data, cfg, seed=0)
        add(name, res.persons.set_index("member_id")["person_id"], time.perf_counter() - t)
    every = pd.concat([res.links, res.rejected], ignore_index=True)
    add("full links, connected components", components(data.member_ids, every), float("nan"))
    low = resolve_identities(data, IdentityConfig(threshold=0.5), seed=0)
    add("links >= 0.5, constrained", low.persons.set_index("member_id")["person_id"],
        float("nan"))
    every = pd.concat([low.links, low.rejected], ignore_index=True)
    add("links >= 0.5, connected components", components(data.member_ids, every),
        float("nan"))
    return rows, ceiling(data, truth, accounts)


def sweep(n: int) -> list[dict]:
    sd = generate_accounts(n, seed=0)
    data = CommunityData.from_frames(**sd.tables)
    out = []
    for thr in SWEEP:
        res = resolve_identities(data, IdentityConfig(threshold=thr), seed=0)
        out.append({"n": n, "threshold": thr, **pairwise(
            res.persons.set_index("member_id")["person_id"], sd.truth["person_id"])})
    return out


def determinism(n: int) -> bool:
    sd = generate_accounts(n, seed=7)
    rng = np.random.default_rng(11)
    shuffled = {k: v.iloc[rng.permutation(len(v))].reset_index(drop=True)
                for k, v in sd.tables.items()}
    a = resolve_identities(CommunityData.from_frames(**sd.tables), seed=0)
    b = resolve_identities(CommunityData.from_frames(**shuffled), seed=0)
    c = resolve_identities(CommunityData.from_frames(**sd.tables), seed=0)
    return a.persons.equals(b.persons) and a.links.equals(b.links) and \
        a.persons.equals(c.persons) and a.links.equals(c.links)


def main() -> None:
    rows, ceilings = [], {}
    for n in SIZES:
        for seed in SEEDS:
            r, c = run_one(n, seed)
            rows += r
            ceilings[(n, seed)] = c
            print(n, seed, "done", flush=True)
    df = pd.DataFrame(rows)
    agg = df.groupby(["n", "method"], sort=False).agg(
        precision=("precision", "mean"), precision_sd=("precision", "std"),
        recall=("recall", "mean"), recall_sd=("recall", "std"), f1=("f1", "mean"),
        time=("time", "mean")).reset_index()
    sw = pd.DataFrame(sweep(SIZES[0]) + sweep(SIZES[1]))
    same = {n: determinism(n) for n in SIZES}
    lines = ["# Identity resolution against planted persons", "",
             "Produced by `experiments/identity_quality.py`: `generate_accounts(n, seed)` with "
             f"seeds {', '.join(map(str, SEEDS))} (namesakes, nicknames, typos, missing fields, "
             "unrelated handles, households sharing an email). Pairwise precision / recall / "
             "F1 over all pairs of accounts; mean ± standard deviation over the seeds; time "
             "is the method's wall time in seconds (one process, this machine, 2 shared "
             "cores). Default `IdentityConfig()` (threshold 0.9), Splink seed 0.", "",
             "| accounts | method | precision | recall | F1 | time (s) |",
             "|---|---|---|---|---|---|"]
    for r in agg.itertuples():
        t = "" if np.isnan(r.time) else f"{r.time:.1f}"
        lines.append(f"| {r.n:,} | {r.method} | {r.precision:.4f} ± {r.precision_sd:.4f} | "
                     f"{r.recall:.4f} ± {r.recall_sd:.4f} | {r.f1:.4f} | {t} |")
    lines += ["", "## Checks", ""]
    for n in SIZES:
        base = agg[(agg.n == n) & (agg.method == "email-or-handle rules")].iloc[0]
        strong = agg[(agg.n == n) & (agg.method == "every rule (+ declared, phone)")].iloc[0]
        full = agg[(agg.n == n) & (agg.method == "full method (rules + Splink)")].iloc[0]
        ceil_seeds = [v for (k, _), v in ceilings.items() if k == n]
        ceil = np.mean(ceil_seeds)
        per_seed = df[(df.n == n) & (df.method == "full method (rules + Splink)")]
        lines.append(
            f"- {n:,} accounts: precision {full.precision:.4f} (per seed "
            f"{', '.join(f'{p:.4f}' for p in per_seed['precision'])}); recall "
            f"{full.recall:.4f} = email-or-handle rules {base.recall:.4f} "
            f"**+{full.recall - base.recall:.3f}** (every rule {strong.recall:.4f}: "
            f"+{full.recall - strong.recall:.3f}); recall ceiling {ceil:.4f} (per seed "
            f"{', '.join(f'{c:.4f}' for c in ceil_seeds)}; true pairs not joined by any "
            f"usable key: {1 - ceil:.4f}); identical persons and links under a "
            f"row shuffle and a rerun: {'yes' if same[n] else 'NO'}.")
    lines += ["", "## Threshold sweep (seed 0, full method)", "",
              "| accounts | threshold | precision | recall | F1 |", "|---|---|---|---|---|"]
    for r in sw.itertuples():
        lines.append(f"| {r.n:,} | {r.threshold} | {r.precision:.4f} | {r.recall:.4f} | "
                     f"{r.f1:.4f} |")
    lines += ["", NOTES]
    OUT.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
