"""Campaign analysis on a 1,000,000-member run with 20 bloggers: goal <= 60 s.

Picks 20 bloggers among the members with the most distinct amplifiers (every 20th of the
top 400, so that cascades range from very large to moderate), writes a campaign spec
(window 1-8 May 2026, the 56-day pre-period, 14-day attribution), then, in a fresh process:
reads the columns the campaign uses (events without ``topic``, follows without ``channel``
and ``since``, members' ``handle`` and ``created_at``; no identities: bloggers are given
by member id) and builds the :class:`~clusterkit.data.CommunityData` directly, without
``from_frames``' validation: the generator's tables are valid, and validating 1,000,000
members and 23 million events is the loader's cost (63 s and 13.4 GB peak RSS with these
columns, measured apart), not the campaign's. It then reads the run's roles and segments
and times :func:`clusterkit.campaign.run_campaign` step by step and
``CampaignResult.save``. Peak RSS of that process is reported (goal: under 8 GB).

Run: ``.venv/bin/python benchmarks/bench_campaign.py [--data DIR] [--run RUN] [--out DIR]``
(defaults: /work/bench1m/data, /work/bench1m/run, /work/scratch/campaign/bench1m).

Measured (2 shared cores, other jobs running; 20 bloggers with cascades of 24 to 2,238
members, 208,471 blogger x exposed pairs): ``run_campaign`` 35.4 s (resolve 0.2,
cascades 1.3, exposure 3.7, incrementality 7.8, counterfactual 1.9, attribution 20.2,
cards 0.3), save 0.2 s, loading the columns 9.7 s, peak RSS 5.8 GiB.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path

import yaml
from _util import measure

WINDOW = {"start": "2026-05-01", "end": "2026-05-08"}


def pick_bloggers(data: Path, n: int = 20, top: int = 400) -> list[str]:
    import duckdb

    con = duckdb.connect()
    con.execute("SET threads=2")
    df = con.execute(
        "SELECT target_id, count(DISTINCT member_id) AS amplifiers FROM read_parquet(?) "
        "WHERE action IN ('share', 'retweet', 'mention', 'reply') AND target_id IS NOT NULL "
        "AND member_id <> target_id AND target_id LIKE 'm%' GROUP BY 1 "
        "ORDER BY amplifiers DESC, target_id LIMIT ?", [str(data / "events.parquet"), top]).df()
    step = max(1, len(df) // n)
    return df["target_id"].iloc[::step].head(n).tolist()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=Path("/work/bench1m/data"))
    ap.add_argument("--run", type=Path, default=Path("/work/bench1m/run"))
    ap.add_argument("--out", type=Path, default=Path("/work/scratch/campaign/bench1m"))
    args = ap.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    bloggers = pick_bloggers(args.data)
    spec = {"name": "bench-1m", "bloggers": [{"member": b, "cost": 500.0} for b in bloggers],
            "window": WINDOW, "attribution_days": 14, "conversions": ["purchase"], "seed": 0}
    spec_path = args.out / "campaign.yaml"
    spec_path.write_text(yaml.safe_dump(spec, sort_keys=False))
    res = measure(f"""
        import json, resource
        from pathlib import Path
        from types import SimpleNamespace
        import pandas as pd
        from clusterkit.campaign import load_campaign, run_campaign
        from clusterkit.data import CommunityData
        data_dir, run_dir = Path({str(args.data)!r}), Path({str(args.run)!r})
        t = time.perf_counter()
        ev = pd.read_parquet(data_dir / "events.parquet", columns=[
            "member_id", "action", "timestamp", "channel", "target_id", "content_id", "value"])
        ev["timestamp"] = pd.to_datetime(ev["timestamp"], utc=True, format="ISO8601").astype(
            "datetime64[us, UTC]")
        fo = pd.read_parquet(data_dir / "follows.parquet", columns=["follower_id",
                                                                    "followee_id"])
        me = pd.read_parquet(data_dir / "members.parquet",
                             columns=["member_id", "handle", "created_at"])
        me["created_at"] = pd.to_datetime(me["created_at"], utc=True,
                                          format="ISO8601").astype("datetime64[us, UTC]")
        me = me.set_index("member_id").sort_index()
        ids = pd.Index(me.index.to_numpy(dtype=object), dtype=object, name="member_id")
        me.index = ids
        outside = pd.Index(sorted(set(fo["followee_id"].unique()) - set(ids)), dtype=object)
        data = CommunityData(member_ids=ids, members=me, events=ev, follows=fo,
                             outside_ids=outside)
        t_load = time.perf_counter() - t
        rss_loaded = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        run = SimpleNamespace(
            manifest=json.loads((run_dir / "manifest.json").read_text()),
            segments=pd.read_parquet(run_dir / "segments.parquet",
                                     columns=["member_id", "role", "segment"]))
        spec = load_campaign({str(spec_path)!r})
        t = time.perf_counter()
        out = run_campaign(spec, data, run=run)
        t_campaign = time.perf_counter() - t
        t = time.perf_counter()
        out.save({str(args.out / "result")!r})
        t_save = time.perf_counter() - t
        cards = out.cards
        result = dict(load=t_load, campaign=t_campaign, save=t_save,
                      peak_loaded_mb=rss_loaded, members=data.n_members,
                      events=len(data.events), follows=len(data.follows),
                      steps=out.manifest["timings_s"], exposed_pairs=len(out.exposure),
                      cascade_nodes=len(out.cascades.nodes),
                      reach_total=int(cards["reach"].sum()),
                      max_cascade=int(cards["cascade_size"].max()),
                      min_cascade=int(cards["cascade_size"].min()),
                      warnings=out.manifest["warnings"])
    """, timeout=3600)
    (args.out / "bench.json").write_text(json.dumps(res, indent=2))
    print("| measure | value |\n|---|---|")
    print(f"| members / events / follows | {res['members']:,} / {res['events']:,} / "
          f"{res['follows']:,} |")
    print(f"| bloggers | {len(bloggers)} (cascades of {res['min_cascade']:,} to "
          f"{res['max_cascade']:,} members; {res['exposed_pairs']:,} blogger x exposed pairs) |")
    print(f"| load (columns used, not validated) | {res['load']:.1f} s |")
    print(f"| **run_campaign (goal <= 60 s)** | **{res['campaign']:.1f} s** |")
    for k, v in res["steps"].items():
        print(f"| - {k} | {v:.1f} s |")
    print(f"| save (csv, html) | {res['save']:.1f} s |")
    print(f"| peak RSS after load / overall | {res['peak_loaded_mb']:,.0f} / "
          f"{res['peak_mb']:,.0f} MiB |")


if __name__ == "__main__":
    main()
