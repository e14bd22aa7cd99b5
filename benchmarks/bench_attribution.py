"""Attribution on 1,000,000 journeys against ChannelAttribution, on the same paths.

Journeys from :func:`clusterkit.synthetic.journeys.generate_journeys` (seed 0). The
paths ChannelAttribution reads are the same journeys as ``"a > b > c"`` strings, one row
per journey with its conversion and null counts (as a user would feed it), and also
aggregated to distinct paths. Every timing is in a fresh process (peak memory included),
best of ``REPEATS``, data loaded before the clock starts, on one core (``OMP`` and
``OPENBLAS`` threads 1, like ChannelAttribution's default ``ncore=1``):

* clusterkit, every model but the bootstrap (:data:`clusterkit.attribution.DEFAULT_MODELS`:
  5 heuristics, exact Markov of order 1–4, both Shapley variants, the default model);
* clusterkit, exact Markov order 2 alone;
* ChannelAttribution 2.2.5 ``markov_model`` (C++, simulation, default settings) order 1 and
  2 on the per-journey rows, order 2 on distinct paths.

Then exactness: ChannelAttribution's removal effects with many simulations (``nsim_start``
5e7, ``max_step`` 200, its 10 folds: 5e6 walks each) against clusterkit's exact ones,
order 1–3, and the spread of ChannelAttribution's default (1e5 simulations) over 5 seeds.
Finally determinism: two processes generate the journeys and write ``journeys.parquet`` and
``attribution.csv`` (four models, 3 bootstrap replicates) with the same seeds; the files'
SHA-256 must be equal.

ChannelAttribution is GPL-3: a benchmark peer only (``pip install ChannelAttribution
matplotlib``), never imported by clusterkit.

Run: ``.venv/bin/python benchmarks/bench_attribution.py [N]`` (prints markdown and writes
the ``speed`` section of ``experiments/results/attribution.md``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import textwrap
import time
from pathlib import Path

from _util import measure

REPEATS = 3
RESULT = Path(__file__).resolve().parent.parent / "experiments" / "results" / "attribution.md"

MAKE = """
    import duckdb
    from clusterkit.synthetic.journeys import generate_journeys
    sj = generate_journeys({n}, seed=0)
    sj.journeys.to_parquet("{path}/journeys.parquet", index=False)
    con = duckdb.connect()
    j = sj.journeys[["journey_id", "step", "touch", "converted"]]
    con.register("j", j.assign(touch=j["touch"].astype(str)))
    rows = con.sql("SELECT string_agg(touch, ' > ' ORDER BY step) AS path, "
                   "first(converted)::INT AS total_conversions, "
                   "1 - first(converted)::INT AS total_null "
                   "FROM j GROUP BY journey_id ORDER BY journey_id").df()
    rows.to_parquet("{path}/paths_rows.parquet", index=False)
    agg = rows.groupby("path", as_index=False)[["total_conversions", "total_null"]].sum()
    agg.to_parquet("{path}/paths_distinct.parquet", index=False)
    result = dict(rows=len(sj.journeys), distinct_paths=len(agg),
                  conversions=int(rows["total_conversions"].sum()))
"""

OURS = """
    import pandas as pd
    import scipy.sparse.linalg, sklearn.linear_model  # imported before the clock, as CA is
    from clusterkit.attribution import compare_models
    j = pd.read_parquet("{path}/journeys.parquet")
    t = time.perf_counter()
    res = compare_models(j, {models})
    result = dict(secs=time.perf_counter() - t, models=int(res["model"].nunique()))
"""

PEER = """
    import pandas as pd
    from ChannelAttribution import markov_model
    paths = pd.read_parquet("{path}/{table}.parquet")
    t = time.perf_counter()
    res = markov_model(paths, "path", "total_conversions", var_null="total_null",
                       order={order}, verbose=False, flg_pro=False)
    result = dict(secs=time.perf_counter() - t)
"""

EXACT = """
    import numpy as np, pandas as pd
    from ChannelAttribution import markov_model
    from clusterkit.attribution._arrays import prepare
    from clusterkit.attribution.markov import markov_removal
    arrays = prepare(pd.read_parquet("{path}/journeys.parquet"))
    paths = pd.read_parquet("{path}/paths_distinct.parquet")
    out = {{}}
    for order in (1, 2, 3):
        ours = pd.Series(markov_removal(arrays, order).removal_effects, index=arrays.touches)
        t = time.perf_counter()
        ca = markov_model(paths, "path", "total_conversions", var_null="total_null",
                          order=order, nsim_start=5e7, max_step=200, out_more=True,
                          verbose=False, flg_pro=False)
        secs = time.perf_counter() - t
        re = ca["removal_effects"].set_index("channel_name")["removal_effect"].reindex(
            ours.index)
        spread = []
        for seed in range(5):
            d = markov_model(paths, "path", "total_conversions", var_null="total_null",
                             order=order, seed=seed, out_more=True, verbose=False,
                             flg_pro=False)
            spread.append(d["removal_effects"].set_index("channel_name")[
                "removal_effect"].reindex(ours.index))
        spread = pd.concat(spread, axis=1)
        share = lambda s: s / s.sum()
        out[order] = dict(
            max_rel=float((re / ours - 1).abs().max()),
            worst=str((re / ours - 1).abs().idxmax()),
            share_pp=float(100 * (share(re) - share(ours)).abs().max()),
            default_range_rel=float(((spread.max(axis=1) - spread.min(axis=1)) / ours).max()),
            ca_secs=secs, ours=ours.round(5).to_dict(), ca=re.round(5).to_dict())
    result = dict(orders=out)
"""

FILES = """
    import hashlib
    from clusterkit.attribution import compare_models, write_attribution
    from clusterkit.synthetic.journeys import generate_journeys
    j = generate_journeys({n}, seed=0).journeys
    res = compare_models(j, ["first", "markov_2", "shapley_rate", "model"], bootstrap=3,
                         random_state=7)
    paths = write_attribution("{path}/out{k}", dict(journeys=j, attribution=res))
    result = {{k: hashlib.sha256(p.read_bytes()).hexdigest() for k, p in paths.items()}}
"""


def best(code: str) -> dict:
    runs = [measure(textwrap.dedent(code)) for _ in range(REPEATS)]
    top = min(runs, key=lambda r: r["secs"])
    return dict(top, all_secs=[round(r["secs"], 2) for r in runs])


def main(n: int = 1_000_000) -> None:
    from clusterkit.attribution import DEFAULT_MODELS

    t0 = time.perf_counter()
    for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
        os.environ[var] = "1"  # one core for every peer (the children inherit it)
    path = tempfile.mkdtemp(prefix="bench_attribution_")
    made = measure(textwrap.dedent(MAKE.format(n=n, path=path)))
    rows = []
    for label, code in [
        (f"clusterkit, all {len(DEFAULT_MODELS)} models (exact Markov 1-4, no bootstrap)",
         OURS.format(path=path, models=list(DEFAULT_MODELS))),
        ("clusterkit, exact Markov order 2", OURS.format(path=path, models=["markov_2"])),
        ("ChannelAttribution markov order 2, one row per journey",
         PEER.format(path=path, table="paths_rows", order=2)),
        ("ChannelAttribution markov order 1, one row per journey",
         PEER.format(path=path, table="paths_rows", order=1)),
        ("ChannelAttribution markov order 2, distinct paths",
         PEER.format(path=path, table="paths_distinct", order=2)),
    ]:
        r = best(code)
        rows.append((label, r))
        print(label, r, flush=True)
    peer2 = rows[2][1]["secs"]
    exact = measure(textwrap.dedent(EXACT.format(path=path)), timeout=3600)["orders"]
    files = [measure(textwrap.dedent(FILES.format(n=n, path=path, k=k))) for k in (1, 2)]
    for f in files:
        f.pop("peak_mb")
    same = files[0] == files[1]

    lines = [f"{made['rows']:,} journeys' touches ({n:,} journeys, {made['distinct_paths']:,} "
             f"distinct paths, {made['conversions']:,} conversions); best of {REPEATS} runs, "
             "each in a fresh process on one core; shared 2-core machine.", "",
             "| what | seconds (best) | all runs | × ChannelAttribution order 2 | peak MB |",
             "|---|---|---|---|---|"]
    for label, r in rows:
        lines.append(f"| {label} | {r['secs']:.2f} | {r['all_secs']} | "
                     f"{r['secs'] / peer2:.2f} | {r['peak_mb']:.0f} |")
    lines += ["", "Exact removal effects against ChannelAttribution with 5e7 simulations "
              "(max_step 200), and the spread of its default (1e5 simulations) over seeds "
              "0-4:", "",
              "| order | largest relative difference (touch) | largest share difference (pp) "
              "| default-setting spread over seeds (relative) | CA secs at 5e7 |",
              "|---|---|---|---|---|"]
    for order, e in exact.items():
        lines.append(f"| {order} | {100 * e['max_rel']:.2f} % ({e['worst']}) | "
                     f"{e['share_pp']:.3f} | {100 * e['default_range_rel']:.1f} % | "
                     f"{e['ca_secs']:.0f} |")
    lines += ["", f"Same journeys and seed in two processes → identical files: "
              f"{'yes' if same else 'NO'} ({', '.join(sorted(files[0]))}).", "",
              "<details><summary>removal effects</summary>", "", "```",
              json.dumps({o: {"clusterkit": e["ours"], "ChannelAttribution": e["ca"]}
                          for o, e in exact.items()}, indent=1), "```", "</details>"]
    body = "\n".join(lines)
    text = RESULT.read_text() if RESULT.exists() else "# Attribution\n\n"
    start, end = "<!-- speed:start -->", "<!-- speed:end -->"
    block = (f"{start}\n_Made by `benchmarks/bench_attribution.py {n}` in "
             f"{time.perf_counter() - t0:.0f} s._\n\n{body}\n{end}")
    if start in text:
        text = text[: text.index(start)] + block + text[text.index(end) + len(end):]
    else:
        text = text.rstrip() + "\n\n" + block + "\n"
    RESULT.write_text(text)
    print(body)


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:2]))
