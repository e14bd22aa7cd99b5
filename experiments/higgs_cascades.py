"""Retweet cascades of the 20 most retweeted accounts around the Higgs announcement (4 July 2012).

Window: 2012-07-04 00:00 to 2012-07-06 00:00 UTC (the announcement burst starts about 04:00
UTC, the CERN seminar at 07:00). The 20 accounts with the most retweets received in the
window are the "bloggers"; their cascades are reconstructed by
:func:`clusterkit.campaign.cascades.build_cascades` with ``target_is="author"`` (a Twitter
retweet names the original author, so a retweeter's parent comes from the follow graph:
the followee who retweeted last before them, else the author) and, for contrast,
``target_is="parent"`` (a retweet of any earlier retweeter's own tweet also continues the
cascade, which over-links on this data). Measures: size, depth, maximum breadth,
structural virality (Goel et al. 2016) and distinct reach (followers of cascade members in
the follower sample, plus the retweeters); Spearman correlation of each with the retweet
count over the 20 accounts.

Data: ``../shared/datasets/higgs-twitter`` (``--root``), read by ``experiments/datasets.py``.
The follower graph is SNAP's file truncated to the full out-lists of its first 5,395 users,
so parents and reach are only seen through that sample (see the comment in the result).

Run: ``.venv/bin/python experiments/higgs_cascades.py`` → ``results/higgs_cascades.md``.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from datasets import read_higgs  # noqa: E402

from clusterkit.campaign import CampaignSpec, ResolvedCampaign  # noqa: E402
from clusterkit.campaign.cascades import build_cascades  # noqa: E402
from clusterkit.campaign.exposure import exposure_table  # noqa: E402

OUT = Path(__file__).resolve().parent / "results" / "higgs_cascades.md"
START, END = pd.Timestamp("2012-07-04", tz="UTC"), pd.Timestamp("2012-07-06", tz="UTC")
MEASURES = ("size", "depth", "max_breadth", "structural_virality", "reach")


def campaign(data, accounts, target_is: str) -> ResolvedCampaign:
    """A cascade-only campaign (no pre-period or conversions: the data have none)."""
    spec = CampaignSpec(bloggers=list(accounts), window={"start": START, "end": END},
                        cascade_actions=["retweet"], target_is=target_is)
    us = int(START.value // 1000), int(END.value // 1000)
    ts = data.events["timestamp"]
    first, last = int(ts.min().value // 1000), int(ts.max().value // 1000)
    return ResolvedCampaign(
        spec=spec, bloggers=tuple(accounts), blogger_codes=data.member_index(accounts),
        labels=tuple(accounts), costs=np.full(len(accounts), np.nan), start=us[0], end=us[1],
        pre_start=first, pre_end=us[0], out_end=us[1], data_start=first, data_end=last)


def with_attention(data):
    """Follows plus "A retweeted, mentioned or replied to B before the window" as A→B."""
    ev = data.events
    before = ev[(ev["timestamp"] < START) & ev["target_id"].notna()
                & (ev["member_id"] != ev["target_id"])]
    extra = pd.DataFrame({"follower_id": before["member_id"].to_numpy(dtype=object),
                          "followee_id": before["target_id"].to_numpy(dtype=object)})
    both = pd.concat([data.follows[["follower_id", "followee_id"]].astype(object), extra],
                     ignore_index=True).drop_duplicates(ignore_index=True)
    return data.with_tables(follows=both), len(both) - len(data.follows)


def measure(data, accounts, target_is: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    camp = campaign(data, accounts, target_is)
    casc = build_cascades(data, camp)
    exp = exposure_table(data, camp, casc.forest)
    shape = casc.shape.copy()
    shape["reach"] = np.bincount(exp["root"], minlength=len(accounts))
    return shape, casc.nodes


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", type=Path,
                    default=Path(__file__).resolve().parents[2] / "shared" / "datasets")
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    t0 = time.perf_counter()
    data, _, info = read_higgs(args.root)
    t_load = time.perf_counter() - t0
    ev = data.events
    win = ev[(ev["timestamp"] >= START) & (ev["timestamp"] < END) & (ev["action"] == "retweet")
             & (ev["member_id"] != ev["target_id"])]
    counts = win.groupby("target_id").size().sort_values(ascending=False, kind="stable")
    accounts = [str(a) for a in counts.index[: args.top]]
    t1 = time.perf_counter()
    shape, nodes = measure(data, accounts, "author")
    t_casc = time.perf_counter() - t1
    alt, _ = measure(data, accounts, "parent")
    attn_data, n_extra = with_attention(data)
    attn, attn_nodes = measure(attn_data, accounts, "author")
    in_sample = set(data.follows["follower_id"].astype(str))
    adopters = nodes[nodes["depth"] > 0]
    known = adopters["member_id"].isin(in_sample).groupby(adopters["blogger"]).mean()
    via = adopters["via"].eq("follow").groupby(adopters["blogger"]).mean()
    shape["retweets_in_window"] = counts.reindex(accounts).to_numpy()
    rho = {m: spearmanr(shape["retweets_in_window"], shape[m]).statistic for m in MEASURES}
    rho_alt = {m: spearmanr(shape["retweets_in_window"], alt[m]).statistic for m in MEASURES}
    rho_attn = {m: spearmanr(shape["retweets_in_window"], attn[m]).statistic
                for m in MEASURES}
    attn_ad = attn_nodes[attn_nodes["depth"] > 0]
    attn_via = attn_ad["via"].eq("follow").groupby(attn_ad["blogger"]).mean()
    rho_rt = spearmanr(shape["retweets_in_window"], shape["retweets"]).statistic
    lines = [
        "# Higgs Twitter: retweet cascades of the 20 most retweeted accounts, 4-5 July 2012",
        "",
        f"Produced by `experiments/higgs_cascades.py`: window {START:%Y-%m-%d %H:%M} to "
        f"{END:%Y-%m-%d %H:%M} UTC, {len(win):,} retweets in it; {info['n_events']:,} "
        f"events and {len(data.follows):,} follow edges (truncated sample) loaded in "
        f"{t_load:.1f} s; the 20 cascades reconstructed and measured in {t_casc:.1f} s.",
        "",
        "Cascades with `target_is=\"author\"` (a retweet names the original author; parents "
        "from the follow sample). Reach: distinct followers of cascade members in the "
        "follower sample, plus the retweeters. *In sample*: share of retweeters whose "
        "out-list is in the follower sample (only they can get a parent other than the "
        "author). *Via follow*: share of retweeters whose parent is another retweeter.",
        "",
        "Columns marked *+attention*: the same, with the follower sample extended by "
        f"{n_extra:,} attention edges (A retweeted, mentioned or replied to B on 1-3 July, "
        "before the window, taken as A following B).",
        "",
        "| rank | account | retweets | size | depth | max breadth | structural virality "
        "| reach | in sample | via follow | depth +attention | virality +attention | reach "
        "+attention | via follow +attention |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for i, acc in enumerate(accounts):
        s, a = shape.loc[acc], attn.loc[acc]
        lines.append(
            f"| {i + 1} | {acc} | {int(s['retweets_in_window']):,} | {int(s['size']):,} | "
            f"{int(s['depth'])} | {int(s['max_breadth']):,} | "
            f"{s['structural_virality']:.3f} | {int(s['reach']):,} | "
            f"{known.get(acc, np.nan):.1%} | {via.get(acc, np.nan):.1%} | "
            f"{int(a['depth'])} | {a['structural_virality']:.3f} | {int(a['reach']):,} | "
            f"{attn_via.get(acc, np.nan):.1%} |")
    lines += [
        "",
        "## Spearman correlation with the retweet count (20 accounts)",
        "",
        "| measure | rho (author mode) | rho (author mode, +attention) | rho (parent mode) |",
        "|---|---|---|---|",
    ]
    for m in MEASURES:
        lines.append(f"| {m} | {rho[m]:.3f} | {rho_attn[m]:.3f} | {rho_alt[m]:.3f} |")
    lines += [
        "",
        f"(The cascade's own retweet count, repeats included, against the ranking count: "
        f"rho {rho_rt:.3f}.) Parent mode (a retweet of any earlier retweeter's tweet "
        "continues the cascade) gives: "
        + ", ".join(f"{a}: size {int(alt.loc[a, 'size']):,}, depth {int(alt.loc[a, 'depth'])}"
                    for a in accounts[:3]) + " for the top three.",
        "",
        "## What differs",
        "",
        _comment(shape, attn, rho, rho_attn, known),
    ]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


def _comment(shape, attn, rho, rho_attn, known) -> str:
    sv = attn["structural_virality"]
    top_sv = sv.idxmax()
    rank_sv = list(shape.index).index(top_sv) + 1
    beaten = int((attn["reach"] < attn.loc[top_sv, "reach"]).sum())
    return (
        f"Size follows retweets almost one for one (rho {rho['size']:.2f}): most retweeters "
        "retweet an account once, so counting retweets and counting distinct people give "
        "nearly the same ranking, and with so few known parents the maximum breadth is "
        "nearly the size. What retweet counts miss is who retweeted and how the content "
        f"travelled. Reach ranks differently (rho {rho['reach']:.2f} with the follower "
        f"sample, {rho_attn['reach']:.2f} once attention edges are added): well-followed "
        "retweeters carry further. Shape departs most: structural virality ranges from "
        f"{sv.min():.2f} (a pure broadcast: everyone retweeted the author directly) to "
        f"{sv.max():.2f}, and with attention edges it no longer tracks retweet volume at all "
        f"(rho {rho_attn['structural_virality']:.2f}; depth {rho_attn['depth']:.2f}). The "
        f"most person-to-person cascade belongs to account {top_sv}, ranked {rank_sv} of "
        f"20 by retweets, whose reach exceeds that of {beaten} of the 20 accounts. Parent "
        "mode (every retweet of an earlier retweeter joins the cascade) inflates sizes "
        "several-fold and scrambles every ranking, which is why `target_is=\"author\"` is "
        "the right reading of Twitter retweets. Caveat: only "
        f"{known.mean():.0%} of retweeters on average have their out-list in the truncated "
        "follower sample, so depth and virality are lower bounds (a retweeter without a "
        "known followee is attached to the author) and reach counts only sampled and "
        "attention followers; with SNAP's full follower graph the same code would place "
        "more retweeters deeper in the trees.")


if __name__ == "__main__":
    main()
