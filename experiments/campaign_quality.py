"""Campaign incrementality against planted effects, over seeds (issue 8's must-show).

For each seed, :func:`clusterkit.synthetic.campaign.generate_campaign` plants two
bloggers on a 20,000-member community: **A**, retweeted a lot by members who had already
purchased, with no effect, and **B**, with fewer retweets, whose exposed members convert
because of B (the planted incremental conversions). The same cascades are also generated
without B's effect (the no-effect setting). :func:`clusterkit.campaign.run_campaign` then
estimates each blogger's incremental conversions (the own-trend estimate; its 95 % interval
spans the own-trend and the history-matched intervals, see :mod:`clusterkit.campaign.effects`),
the placebos and the community's counterfactual.

Checks: B's estimate within ±20 % of the planted effect and its interval covering it;
intervals covering 0 where nothing was planted; the ranking by incremental conversions
against the ranking by retweets.

Run: ``.venv/bin/python experiments/campaign_quality.py`` → ``results/campaign.md``
(about 5 minutes on 2 cores; ``--seeds`` and ``--members`` to change).
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import pandas as pd

from clusterkit.campaign import load_campaign, resolve_campaign, run_campaign
from clusterkit.campaign.counterfactual import community_counterfactual
from clusterkit.data import CommunityData
from clusterkit.synthetic.campaign import generate_campaign

OUT = Path(__file__).resolve().parent / "results" / "campaign.md"


def one(seed: int, members: int, effect: bool) -> dict:
    sc = generate_campaign(members, seed=seed, effect=effect)
    data = CommunityData.from_frames(**sc.tables)
    t0 = time.perf_counter()
    res = run_campaign(load_campaign(sc.spec), data, attribution=False)
    secs = time.perf_counter() - t0
    c = res.cards.set_index("label")
    cf = res.manifest["counterfactual"]["conversions"]
    trend = load_campaign(sc.spec | {"counterfactual_level": "local linear trend"})
    cf2 = community_counterfactual(data, resolve_campaign(trend, data)).summary
    row = {"seed": seed, "effect": effect, "campaign_s": secs,
           "cf_effect": cf["effect"], "cf_low": cf["effect_low"], "cf_high": cf["effect_high"],
           "cf2_low": cf2["effect_low"], "cf2_high": cf2["effect_high"]}
    for lab in ("A", "B"):
        row |= {f"{lab}_planted": int(sc.effects.loc[lab, "planted_incremental_conversions"]),
                f"{lab}_retweets": int(c.loc[lab, "retweets"]),
                f"{lab}_reach": int(c.loc[lab, "reach"]),
                f"{lab}_new": int(c.loc[lab, "new_members"]),
                f"{lab}_attributed": int(c.loc[lab, "attributed_conversions"]),
                f"{lab}_est": float(c.loc[lab, "incremental_conversions"]),
                f"{lab}_lo": float(c.loc[lab, "incremental_ci_low"]),
                f"{lab}_hi": float(c.loc[lab, "incremental_ci_high"]),
                f"{lab}_sv": float(c.loc[lab, "structural_virality"]),
                f"{lab}_own_lo": float(c.loc[lab, "own_trend_ci_low"]),
                f"{lab}_own_hi": float(c.loc[lab, "own_trend_ci_high"]),
                f"{lab}_old": float(c.loc[lab, "history_matched_conversions"]),
                f"{lab}_old_lo": float(c.loc[lab, "history_matched_ci_low"]),
                f"{lab}_old_hi": float(c.loc[lab, "history_matched_ci_high"]),
                f"{lab}_pd": float(c.loc[lab, "placebo_dates"]),
                f"{lab}_pl": float(c.loc[lab, "placebo_lookalike"]),
                f"{lab}_rank": int(c.loc[lab, "rank"]),
                f"{lab}_fail": "PLACEBO FAILS" in c.loc[lab, "placebo_note"],
                f"{lab}_flag": "HISTORY CHECK" in c.loc[lab, "placebo_note"]}
    return row


def covers(df, lab, value=None, kind=""):
    v = df[f"{lab}_planted"] if value is None else value
    return (df[f"{lab}_{kind}lo"] <= v) & (v <= df[f"{lab}_{kind}hi"])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", type=int, default=20)
    ap.add_argument("--members", type=int, default=20_000)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.perf_counter()
    rows = []
    for seed in range(args.seeds):
        for effect in (True, False):
            rows.append(one(seed, args.members, effect))
            r = rows[-1]
            print(f"seed {seed} effect={effect}: A {r['A_est']:.1f} [{r['A_lo']:.1f}, "
                  f"{r['A_hi']:.1f}], B {r['B_est']:.1f} [{r['B_lo']:.1f}, {r['B_hi']:.1f}] "
                  f"planted {r['B_planted']}", flush=True)
    df = pd.DataFrame(rows)
    eff, null = df[df["effect"]], df[~df["effect"]]
    n = len(eff)
    within = ((eff["B_est"] - eff["B_planted"]).abs() <= 0.2 * eff["B_planted"]).sum()
    rt_order = (eff["A_retweets"] > eff["B_retweets"]).sum()
    flip_point = (eff["B_est"] > eff["A_est"]).sum()
    flip_sig = (eff["B_lo"] > eff["A_hi"]).sum()
    flip_rank = (eff["B_rank"] < eff["A_rank"]).sum()
    null_flip_sig = ((null["B_lo"] > null["A_hi"]) | (null["A_lo"] > null["B_hi"])).sum()
    null_flip_point = (null["B_est"] > null["A_est"]).sum()
    cf_cover = ((eff["cf_low"] <= eff["B_planted"]) & (eff["B_planted"] <= eff["cf_high"])).sum()
    cf_null = ((null["cf_low"] <= 0) & (0 <= null["cf_high"])).sum()
    cf2_cover = ((eff["cf2_low"] <= eff["B_planted"]) & (eff["B_planted"] <= eff["cf2_high"])
                 ).sum()
    cf2_null = ((null["cf2_low"] <= 0) & (0 <= null["cf2_high"])).sum()
    err = (eff["B_est"] / eff["B_planted"] - 1) * 100
    secs = time.perf_counter() - t0
    lines = [
        "# Campaign incrementality against planted effects",
        "",
        f"Produced by `experiments/campaign_quality.py` in {secs / 60:.1f} min: {n} seeds x "
        f"{{effect, no effect}} of `generate_campaign({args.members:,})` (A: "
        f"{eff['A_retweets'].mean():.0f} retweets on average from members who had already "
        f"purchased, no effect; B: {eff['B_retweets'].mean():.0f} retweets, "
        f"{eff['B_planted'].mean():.0f} planted incremental conversions on average). Default "
        "campaign settings: 5 matched controls per exposed member, 1,000 bootstrap "
        "replicates, 95 % intervals. Campaign analysis alone: "
        f"{df['campaign_s'].mean():.1f} s per run on average.",
        "",
        "## Must-show checks",
        "",
        "| check | result | goal |",
        "|---|---|---|",
        f"| B: estimate within ±20 % of the planted effect | {within} / {n} | >= 18 |",
        f"| B: 95 % interval covers the planted effect | {covers(eff, 'B').sum()} / {n} "
        "| >= 18 |",
        f"| A (nothing planted): interval covers 0 | {covers(eff, 'A', 0).sum()} / {n} "
        "| >= 18 |",
        f"| no-effect setting, A: interval covers 0 | {covers(null, 'A', 0).sum()} / {n} "
        "| >= 18 |",
        f"| no-effect setting, B: interval covers 0 | {covers(null, 'B', 0).sum()} / {n} "
        "| >= 18 |",
        f"| A ranks above B by retweets | {rt_order} / {n} | all |",
        f"| B ranks above A by incremental conversions (estimate) | {flip_point} / {n} | "
        "all |",
        f"| ... by the card's rank (lower bound of its interval) | {flip_rank} / {n} | "
        "all |",
        f"| ... and significantly (B's interval above A's) | {flip_sig} / {n} | all |",
        f"| no-effect setting: significant difference between A and B | {null_flip_sig} / {n}"
        " | <= 2 |",
        f"| community counterfactual (local level): effect interval covers B's planted "
        f"total | {cf_cover} / {n} | (context) |",
        f"| no-effect setting: community effect interval (local level) covers 0 | "
        f"{cf_null} / {n} | (context) |",
        f"| the same with a local linear trend: covers B's planted total | {cf2_cover} / {n}"
        " | (context) |",
        f"| the same with a local linear trend: no-effect setting covers 0 | {cf2_null} / "
        f"{n} | (context) |",
        "",
        "## The card's two estimators and its placebos",
        "",
        "| check | card interval | own-trend interval alone | history-matched (the old "
        "estimator) |",
        "|---|---|---|---|",
        f"| B covers planted | {covers(eff, 'B').sum()} / {n} | "
        f"{covers(eff, 'B', kind='own_').sum()} / {n} | {covers(eff, 'B', kind='old_').sum()}"
        f" / {n} |",
        f"| A covers 0 | {covers(eff, 'A', 0).sum()} / {n} | "
        f"{covers(eff, 'A', 0, 'own_').sum()} / {n} | {covers(eff, 'A', 0, 'old_').sum()} / "
        f"{n} |",
        f"| no-effect setting, B covers 0 | {covers(null, 'B', 0).sum()} / {n} | "
        f"{covers(null, 'B', 0, 'own_').sum()} / {n} | "
        f"{covers(null, 'B', 0, 'old_').sum()} / {n} |",
        f"| A point estimate: mean (worst) | {eff['A_est'].mean():+.1f} "
        f"({eff['A_est'][eff['A_est'].abs().idxmax()]:+.1f}) | same | "
        f"{eff['A_old'].mean():+.1f} ({eff['A_old'][eff['A_old'].abs().idxmax()]:+.1f}) |",
        f"| B error: mean (worst) | {(eff['B_est'] - eff['B_planted']).mean():+.1f} "
        f"({(eff['B_est'] - eff['B_planted']).abs().max():.1f}) | same | "
        f"{(eff['B_old'] - eff['B_planted']).mean():+.1f} "
        f"({(eff['B_old'] - eff['B_planted']).abs().max():.1f}) |",
        "",
        "Placebos (0 expected; mean, largest in absolute value, cards whose note says "
        "PLACEBO FAILS (fake dates) / HISTORY CHECK (look-alikes); both need the placebo's "
        "interval to exclude 0 and its size to reach the estimate's standard error): "
        f"A fake dates {eff['A_pd'].mean():+.1f} ({eff['A_pd'].abs().max():.1f}), "
        f"look-alikes {eff['A_pl'].mean():+.1f} ({eff['A_pl'].abs().max():.1f}), "
        f"{int(eff['A_fail'].sum())} / {n} / {int(eff['A_flag'].sum())} / {n}; "
        f"B fake dates {eff['B_pd'].mean():+.1f} "
        f"({eff['B_pd'].abs().max():.1f}), look-alikes {eff['B_pl'].mean():+.1f} "
        f"({eff['B_pl'].abs().max():.1f}), {int(eff['B_fail'].sum())} / {n} / "
        f"{int(eff['B_flag'].sum())} / {n}.",
        "",
        "A's retweeters were chosen *for having bought before* and this generator gives each "
        "buyer a small budget of purchases (1 + Poisson(0.4)), so they buy less afterwards "
        "than their own past rate says: the own-trend point estimate is biased downwards for "
        "A here, the history-matched one is not, and the card's interval, which spans both, "
        "covers 0. The look-alike placebo shows the same thing on unexposed members with "
        "that history and the card says so in words (a HISTORY CHECK: a sensitivity to "
        "selection on history, not a failure of the fake-dates kind). On the blind "
        "generator the roles are "
        "reversed (`results/campaign_blind.md`).",
        "",
        f"B's relative error: mean {err.mean():+.1f} %, median {err.median():+.1f} %, "
        f"largest {err.abs().max():.1f} % in absolute value. In the no-effect setting the "
        f"point estimates put B above A in {null_flip_point} of {n} seeds (A's point estimate "
        "is biased downwards here, see above); no ordering there is significant beyond the "
        "expected 5 % rate.",
        "",
        "Naive attribution (conversions of exposed members within 14 days of exposure) "
        f"credits A with {eff['A_attributed'].mean():.0f} conversions on average and B with "
        f"{eff['B_attributed'].mean():.0f}: A's retweeters were buying anyway (A's incremental "
        f"estimate averages {eff['A_est'].mean():+.1f}, the history-matched one "
        f"{eff['A_old'].mean():+.1f}).",
        "",
        "The community counterfactual is a whole-community check, not a per-blogger one: "
        "its interval is several times wider than the blogger-level ones (it carries every "
        "member's daily noise). The synthetic community's purchase rate drifts upwards as "
        "members join, which a local level (CausalImpact's default) does not extrapolate; "
        "a local linear trend (`counterfactual_level: local linear trend` in the spec) "
        "widens the interval and restores coverage.",
        "",
        "## Per seed (effect setting)",
        "",
        "| seed | A retweets | A attributed | A incremental [95 % CI] | B retweets | B attributed "
        "| B planted | B incremental [95 % CI] | community effect [95 % CI] |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for r in eff.itertuples(index=False):
        lines.append(
            f"| {r.seed} | {r.A_retweets} | {r.A_attributed} | {r.A_est:.1f} [{r.A_lo:.1f}, "
            f"{r.A_hi:.1f}] | {r.B_retweets} | {r.B_attributed} | {r.B_planted} | "
            f"{r.B_est:.1f} [{r.B_lo:.1f}, {r.B_hi:.1f}] | {r.cf_effect:.0f} "
            f"[{r.cf_low:.0f}, {r.cf_high:.0f}] |")
    lines += ["", "## Per seed (no-effect setting)", "",
              "| seed | A incremental [95 % CI] | B incremental [95 % CI] | community effect "
              "[95 % CI] |", "|---|---|---|---|"]
    for r in null.itertuples(index=False):
        lines.append(f"| {r.seed} | {r.A_est:.1f} [{r.A_lo:.1f}, {r.A_hi:.1f}] | "
                     f"{r.B_est:.1f} [{r.B_lo:.1f}, {r.B_hi:.1f}] | {r.cf_effect:.0f} "
                     f"[{r.cf_low:.0f}, {r.cf_high:.0f}] |")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
