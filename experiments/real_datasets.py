"""Experiment 7(b) of issue 3: every community stage on every real dataset with ground truth.

For each dataset in ``../shared/datasets/`` with a label (see ``experiments/datasets.py``),
every registered community stage (``list_stages("community")``, so stages added later are
picked up by name) runs on ``member_graph(data)`` with seeds ``0 .. S-1``. The table reports
NMI and ARI against the truth (mean ± std over seeds), the modularity of the partition, the
number of communities, the wall time of one fit, and whether the output changes with the
seed. The default pipeline (``Pipeline()``, seed 42) then runs end to end on every dataset,
including those without truth, and its community NMI and role counts are reported.

Scoring conventions: NMI / ARI are computed on the members that have a truth label; members
without an edge (``ISOLATE``, -2) and noise (-1) count as singleton communities. For
ego-facebook the combined graph is scored against the ego network of each node, and, per
ego, the alter network against its overlapping circles (NMI on alters in exactly one
circle; average best-match F1 on alters in at least one circle).

Run::

    .venv/bin/python experiments/real_datasets.py [--root PATH] [--only football,polbooks]
        [--seeds 3] [--out FILE] [--max-fit-seconds 200] [--no-pipeline]

writes ``experiments/results/real_datasets.md`` (the default ``--out``); about 9 minutes on
2 cores for everything. Time guards: a stage whose first fit takes over 60 s gets one seed
only; on graphs of 10,000+ members each fit runs in a forked child that is stopped after
``--max-fit-seconds``. Nothing runs at import.
"""

from __future__ import annotations

import argparse
import itertools
import os
import platform
import sys
import time
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import numpy as np
import scipy.sparse as sp

from clusterkit.graph import member_graph
from clusterkit.metrics import ari, modularity, nmi
from clusterkit.registry import get_stage, list_stages


def _load_readers():
    """experiments/ is not a package: load the sibling ``datasets.py`` by path, under a name
    that cannot clash with an installed ``datasets`` package."""
    import importlib.util

    name = "clusterkit_experiments_datasets"
    if name in sys.modules:
        return sys.modules[name]
    spec = importlib.util.spec_from_file_location(
        name, Path(__file__).resolve().parent / "datasets.py"
    )
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


ds = _load_readers()

DEFAULT_OUT = Path(__file__).resolve().parent / "results" / "real_datasets.md"
SLOW_FIT_S = 60.0
"""A stage whose first fit on a dataset takes longer than this runs only that one seed."""
MAX_FIT_S = 200.0
"""Default ``--max-fit-seconds``: on large graphs a fit running longer is stopped."""
LARGE = 10_000
"""Graphs with at least this many members run each fit in a child process under the limit."""
DEFAULT_STAGE = "leiden"


# --------------------------------------------------------------------------------------------
# scoring helpers


def singletons(labels) -> np.ndarray:
    """Labels with every negative label (isolate, noise) made its own community."""
    lab = np.asarray(labels, dtype=np.int64).copy()
    neg = lab < 0
    if neg.any():
        lab[neg] = lab.max(initial=-1) + 1 + np.arange(int(neg.sum()))
    return lab


def average_f1(cover: list[np.ndarray], labels: np.ndarray, n: int) -> float:
    """Average best-match F1 between an overlapping cover and a partition (Yang & Leskovec).

    ``cover``: member positions of each circle; ``labels``: a partition of ``n`` members.
    Only members in at least one circle are scored (circles are incomplete). The score is
    the mean of (mean over circles of the best F1 with any community) and (mean over
    communities of the best F1 with any circle).
    """
    rows = np.concatenate(cover)
    cols = np.repeat(np.arange(len(cover)), [len(c) for c in cover])
    C = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, len(cover)))
    covered = np.flatnonzero(np.asarray(C.sum(axis=1)).ravel() > 0)
    _, part = np.unique(labels[covered], return_inverse=True)
    P = sp.csr_array((np.ones(len(covered)), (covered, part)), shape=(n, part.max() + 1))
    inter = (C.T @ P).toarray()
    csize = np.asarray(C.sum(axis=0)).ravel()[:, None]
    psize = np.asarray(P.sum(axis=0)).ravel()[None, :]
    f1 = 2 * inter / (csize + psize)
    return float(0.5 * (f1.max(axis=1).mean() + f1.max(axis=0).mean()))


def _stage(name: str, seed: int):
    cls = get_stage("community", name)
    params = {"random_state": seed} if "random_state" in cls._get_param_names() else {}
    return cls(**params), bool(params)


class FitTimeout(Exception):
    """A fit ran past the time limit and was stopped."""


def _fit_child(conn, name, graph, seed):  # pragma: no cover - runs in a forked child
    # GNU OpenMP is not fork-safe: once the parent has run a parallel region (igraph's
    # infomap does), a forked child waits forever on the parent's thread team. One OpenMP
    # thread in the child avoids the team altogether.
    from threadpoolctl import threadpool_limits

    try:
        with threadpool_limits(limits=1, user_api="openmp"):
            result = fit_stage(name, graph, seed)
        conn.send(("ok", result))
    except BaseException as exc:
        conn.send(("error", f"{type(exc).__name__}: {exc}"))
    finally:
        conn.close()


def fit_stage(name: str, graph, seed: int, limit: float | None = None):
    """Fit a community stage; returns (singleton-resolved labels, seconds, seeded?).

    With ``limit`` (seconds) the fit runs in a forked child process that is stopped when it
    runs longer (raises :class:`FitTimeout`): a slow stage cannot hold up the whole table.
    """
    if limit:
        import multiprocessing as mp

        ctx = mp.get_context("fork")
        parent, child = ctx.Pipe(duplex=False)
        proc = ctx.Process(target=_fit_child, args=(child, name, graph, seed), daemon=True)
        proc.start()
        child.close()
        try:
            if not parent.poll(limit):
                raise FitTimeout(f"stopped after {limit:.0f} s")
            status, value = parent.recv()
        finally:
            if proc.is_alive():
                proc.kill()
            proc.join()
            parent.close()
        if status != "ok":
            raise RuntimeError(value)
        return value
    stage, seeded = _stage(name, seed)
    t0 = time.perf_counter()
    stage.fit(graph)
    return singletons(stage.labels_), time.perf_counter() - t0, seeded


def _fmt(values, digits=3) -> str:
    v = np.asarray(values, dtype=float)
    if len(v) == 0 or np.all(np.isnan(v)):
        return "–"
    if len(v) == 1:
        return f"{v[0]:.{digits}f}"
    return f"{np.nanmean(v):.{digits}f} ± {np.nanstd(v):.{digits}f}"


# --------------------------------------------------------------------------------------------
# experiment


def run_stages(graph, truth_idx, truth_y, seeds, stages, log, limit=None):
    """Every stage x seed on one graph. Returns one dict per stage."""
    out = []
    for name in stages:
        rec = {
            "method": name,
            "nmi": [],
            "ari": [],
            "modularity": [],
            "k": [],
            "seconds": [],
            "labels": [],
            "error": None,
            "note": "",
        }
        for i, seed in enumerate(seeds):
            try:
                labels, secs, seeded = fit_stage(name, graph, seed, limit)
            except FitTimeout as exc:
                rec["error"] = f"did not finish: {exc} (--max-fit-seconds)"
                rec["timeout"] = True
                log(f"    {name}: {rec['error']}")
                break
            except Exception as exc:  # a stage under development must not stop the table
                rec["error"] = f"{type(exc).__name__}: {exc}"[:160]
                log(f"    {name}: ERROR {rec['error']}")
                break
            active = np.asarray(graph.sum(axis=1)).ravel() > 0
            rec["nmi"].append(nmi(truth_y, labels[truth_idx]))
            rec["ari"].append(ari(truth_y, labels[truth_idx]))
            rec["modularity"].append(modularity(graph, labels))
            rec["k"].append(len(np.unique(labels[active])))
            rec["seconds"].append(secs)
            rec["labels"].append(labels)
            if not seeded:
                rec["note"] = "no random_state parameter; one run"
                break
            if i == 0 and secs > SLOW_FIT_S and len(seeds) > 1:
                rec["note"] = f"1 seed only (first fit took {secs:.0f} s > {SLOW_FIT_S:.0f} s)"
                break
        labs = rec["labels"]
        if len(labs) > 1:
            pair = [ari(a, b) for a, b in itertools.combinations(labs, 2)]
            rec["seed_ari"] = float(np.mean(pair))
            rec["varies"] = "no (identical)" if min(pair) == 1.0 else f"yes ({np.mean(pair):.2f})"
        else:
            rec["seed_ari"], rec["varies"] = float("nan"), "n/a (1 run)"
        if labs:
            log(
                f"    {name:>18}: NMI {_fmt(rec['nmi'])}  k {np.mean(rec['k']):.0f}  "
                f"{np.mean(rec['seconds']):.2f} s/fit  seeds vary: {rec['varies']}"
            )
        out.append(rec)
    return out


def ego_circles(root, seeds, stages, log):
    """Per ego: alter network vs its circles. Returns {stage: {"nmi1": [...], "f1": [...]}}."""
    res = {s: {"nmi1": [], "f1": [], "seconds": []} for s in stages}
    per_ego = []
    for ego in ds.EGOS:
        data, truth, info = ds.read_ego_facebook(root, ego=ego)
        g = member_graph(data)
        idx = data.member_index(truth.index)
        keep = idx >= 0
        idx, y = idx[keep], truth.to_numpy()[keep]
        cover = [data.member_index(m) for m in info["circles"].values()]
        cover = [c[c >= 0] for c in cover if (c >= 0).any()]
        row = {
            "ego": ego,
            "alters": data.n_members,
            "circles": info["n_circles"],
            "in_one": len(idx),
        }
        for name in stages:
            nm, f1, secs = [], [], []
            for seed in seeds:
                try:
                    labels, s, seeded = fit_stage(name, g, seed)
                except Exception:
                    break
                nm.append(nmi(y, labels[idx]) if len(np.unique(y)) > 1 else float("nan"))
                f1.append(average_f1(cover, labels, data.n_members))
                secs.append(s)
                if not seeded:
                    break
            if nm:
                res[name]["nmi1"].append(np.nanmean(nm))
                res[name]["f1"].append(np.mean(f1))
                res[name]["seconds"].append(np.sum(secs))
                row[name] = np.mean(f1)
        per_ego.append(row)
    log("    per-ego circles done")
    return res, per_ego


def run_pipeline(data, truth):
    """The default pipeline end to end; community NMI / ARI against the truth if any."""
    from clusterkit.pipeline import Pipeline

    t0 = time.perf_counter()
    result = Pipeline().run(data)
    secs = time.perf_counter() - t0
    seg = result.segments.set_index("member_id")
    rec = {
        "seconds": secs,
        "roles": result.metrics["roles"]["counts"],
        "k": result.metrics["community"]["n_communities"],
        "modularity": result.metrics["community"]["modularity"],
        "stage": result.metrics["community"]["stage"],
        "nmi": float("nan"),
        "ari": float("nan"),
        "segments": len(result.summary),
    }
    if truth is not None:
        comm = singletons(seg["community"].to_numpy())
        pos = seg.index.get_indexer(truth.index)
        keep = pos >= 0
        rec["nmi"] = nmi(truth.to_numpy()[keep], comm[pos[keep]])
        rec["ari"] = ari(truth.to_numpy()[keep], comm[pos[keep]])
    return rec


# --------------------------------------------------------------------------------------------
# report


def _versions() -> str:
    out = []
    for pkg in ("igraph", "leidenalg", "python-louvain", "networkx", "scikit-learn"):
        try:
            out.append(f"{pkg} {version(pkg)}")
        except PackageNotFoundError:
            pass
    return ", ".join(out)


NOTES = {
    "football": "12 conferences incl. 5 'Independents' (not a real community); truth "
    "approximate (Evans 2010).",
    "polbooks": "3 leanings; the 13 'neutral' books sit between the two camps.",
    "email-eu-core": "42 departments (1 to 109 people), heavy cross-department mail.",
    "us-senate-twitter-2018": "party (51 R / 47 D / 2 I); follows are directed, "
    "member_graph symmetrises.",
    "congress-twitter": "party D/R from the JSON's partyList (not in the folder README); "
    "edge weights (transmission probabilities) not used.",
    "ego-facebook": "truth = ego network of each node (10 classes; 118 nodes in several ego "
    "networks left out). Circles: see the per-ego table.",
    "enron-perry-wolfe": "department (Legal / Trading / Other): an attribute, not a "
    "community partition; graph from e-mail events (log1p counts).",
    "musae-facebook": "page type (4): an account type, not a community partition.",
    "musae-github": "ML vs web developer (2, 26%/74%): a user type, not a community partition.",
}


def render(results, ego, pipeline, seeds, stages, total_s, skipped, root, limit=None) -> str:
    limit_txt = (
        f"each fit runs in a forked child process (OpenMP single-threaded there, as GNU "
        f"OpenMP is not fork-safe) and is stopped after {limit:.0f} s (*stopped* in the tables)"
        if limit
        else "fits run without a time limit (--max-fit-seconds 0)"
    )
    L = [
        "# Community detection on real datasets (issue 3, experiment 7(b))",
        "",
        f"Produced by `experiments/real_datasets.py` (`--seeds {len(seeds)}`); data from `{root}`.",
        f"Run {datetime.now(UTC).strftime('%Y-%m-%d')} on {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, {_versions()}; total wall time "
        f"{total_s / 60:.1f} min.",
        "",
        'Every registered community stage (`list_stages("community")`: '
        + ", ".join(f"`{s}`" for s in stages)
        + ") with default parameters and "
        f"`random_state` = {', '.join(map(str, seeds))}, on `member_graph(data)` "
        "(follows symmetrised, mutual follows weight 2). NMI (arithmetic normalisation) and "
        "ARI against the truth on the members that have a label, mean ± std over seeds; "
        "members without an edge count as singletons. *Seeds vary*: whether the partitions "
        "differ between seeds (mean pairwise ARI in brackets). Seconds: one fit.",
        "",
        f"Time limits: a stage whose first fit on a dataset takes more than {SLOW_FIT_S:.0f} s "
        f"runs that one seed only (noted in its row). On graphs with at least {LARGE:,} "
        f"members {limit_txt}.",
        "",
    ]
    # summary
    L += [
        "## Summary: NMI (mean over seeds)",
        "",
        "| dataset | nodes | classes | " + " | ".join(stages) + " | default pipeline |",
        "|---|---:|---:|" + "---:|" * (len(stages) + 1),
    ]
    for name, (info, recs) in results.items():
        by = {r["method"]: r for r in recs}
        cells = []
        best = max((np.mean(r["nmi"]) for r in recs if r["nmi"]), default=np.nan)
        for s in stages:
            r = by.get(s)
            if r is None or not r["nmi"]:
                cells.append(
                    "–"
                    if r is None or not r["error"]
                    else "stopped"
                    if r.get("timeout")
                    else "error"
                )
                continue
            v = np.mean(r["nmi"])
            cells.append(f"**{v:.3f}**" if np.isclose(v, best) else f"{v:.3f}")
        p = pipeline.get(name)
        cells.append(f"{p['nmi']:.3f}" if p and not np.isnan(p.get("nmi", np.nan)) else "–")
        L.append(
            f"| {name} | {info['n_nodes']:,} | {info['n_classes']} | " + " | ".join(cells) + " |"
        )
    L += ["", "Bold: the best stage on that dataset.", ""]
    # details
    L += ["## Per dataset", ""]
    for name, (info, recs) in results.items():
        L += [
            f"### {name}",
            "",
            f"{info['n_nodes']:,} nodes; {NOTES.get(name, '')}",
            "",
            "| method | NMI | ARI | modularity | communities | s / fit | seeds vary | note |",
            "|---|---|---|---:|---:|---:|---|---|",
        ]
        for r in recs:
            if not r["nmi"]:
                L.append(f"| {r['method']} | – | – | – | – | – | – | {r['error']} |")
                continue
            L.append(
                f"| {r['method']} | {_fmt(r['nmi'])} | {_fmt(r['ari'])} | "
                f"{np.mean(r['modularity']):.3f} | {np.mean(r['k']):.1f} | "
                f"{np.mean(r['seconds']):.2f} | {r['varies']} | {r['note']} |"
            )
        L.append("")
        extra = info.get("extra")
        if extra:
            L += [extra, ""]
    if ego is not None:
        res, per_ego = ego
        L += [
            "### ego-facebook circles, per ego network",
            "",
            "Each ego's alter network (`<ego>.edges`, ego left out) on its own. Circles "
            "overlap and are incomplete, so two scores: **F1** = average best-match F1 "
            "between circles and communities (Yang & Leskovec), on alters in at least one "
            "circle; **NMI₁** = NMI on alters in exactly one circle (few for some egos). "
            "Mean over the 10 egos of the mean over seeds.",
            "",
            "| method | mean F1 | mean NMI₁ | s (all egos, all seeds) |",
            "|---|---:|---:|---:|",
        ]
        for s in stages:
            r = res[s]
            if r["f1"]:
                L.append(
                    f"| {s} | {np.mean(r['f1']):.3f} | {np.nanmean(r['nmi1']):.3f} | "
                    f"{np.sum(r['seconds']):.1f} |"
                )
        L += [
            "",
            "| ego | alters | circles | alters in one circle | "
            + " | ".join(f"F1 {s}" for s in stages)
            + " |",
            "|---:|---:|---:|---:|" + "---:|" * len(stages),
        ]
        for row in per_ego:
            L.append(
                f"| {row['ego']} | {row['alters']} | {row['circles']} | {row['in_one']} | "
                + " | ".join(f"{row[s]:.3f}" if s in row else "–" for s in stages)
                + " |"
            )
        L.append("")
    # pipeline
    L += [
        "## Default pipeline end to end",
        "",
        "`Pipeline()` (default config, seed 42: community stage "
        f"`{DEFAULT_STAGE}` on the follow + interaction graph) on every dataset, with and "
        "without truth. Roles: influencer / blogger / fan / follower counts.",
        "",
        "| dataset | members | community NMI | ARI | communities | modularity | roles "
        "(I / B / F / Fo) | segments | s |",
        "|---|---:|---:|---:|---:|---:|---|---:|---:|",
    ]
    for name, p in pipeline.items():
        if "error" in p:
            L.append(f"| {name} | {p['members']:,} | | | | | pipeline failed: {p['error']} | | |")
            continue
        roles = p["roles"]
        L.append(
            f"| {name} | {p['members']:,} | "
            + ("–" if np.isnan(p["nmi"]) else f"{p['nmi']:.3f}")
            + " | "
            + ("–" if np.isnan(p["ari"]) else f"{p['ari']:.3f}")
            + f" | {p['k']} | {p['modularity']:.3f} | {roles['influencer']} / "
            f"{roles['blogger']} / {roles['fan']} / {roles['follower']} | {p['segments']} | "
            f"{p['seconds']:.1f} |"
        )
    L.append("")
    if skipped:
        L += ["Skipped: " + "; ".join(f"{k} ({v})" for k, v in skipped.items()), ""]
    L += ["## Commentary", "", *commentary(results, pipeline), ""]
    return "\n".join(L)


def commentary(results, pipeline) -> list[str]:
    """Observations. Numbers are read from this run; statements marked "seed 0" were checked
    by hand on the seed-0 `leiden` partition of this data (crosstabs against the truth)."""
    out = []

    def rec(name, stage):
        recs = results.get(name, (None, []))[1]
        return next((r for r in recs if r["method"] == stage and r["nmi"]), None)

    def m(name, stage):
        r = rec(name, stage)
        return np.mean(r["nmi"]) if r else float("nan")

    def best(name):
        recs = [r for r in results.get(name, (None, []))[1] if r["nmi"]]
        return max(recs, key=lambda r: np.mean(r["nmi"])) if recs else None

    D = DEFAULT_STAGE
    if "football" in results:
        info = results["football"][0]
        out.append(
            f"- **football**: `{D}` reaches NMI {m('football', D):.3f} (must show: >= 0.85; "
            "published Leiden / Louvain values are about 0.89–0.92). "
            f"{info.get('football_note', '')} The GML was read as stored ({info['n_edges']} "
            f"edges, {info['duplicate_edges_dropped']} duplicates dropped): Newman's corrected "
            "613-edge version, so no duplicate-edge quirk applies to this copy (the reader "
            "collapses duplicates of older 615-edge copies)."
        )
    if "polbooks" in results:
        out.append(
            f"- **polbooks** (NMI {m('polbooks', D):.2f} with `{D}`): the liberal and "
            "conservative books each form one large community (seed 0: 39 of 49 "
            "conservative, 38 of 43 liberal books); the 13 neutral books scatter over the "
            "remaining small communities, which is what caps NMI."
        )
    if "us-senate-twitter-2018" in results:
        out.append(
            "- **us-senate-twitter-2018**: the follow graph splits exactly into the two "
            f"caucuses (NMI {m('us-senate-twitter-2018', D):.2f} with `{D}`; seed 0: 51 R | "
            "47 D + 2 I — NMI is below 1 only because the 2 independents are a class of their "
            "own). The graph is dense (5,697 of 9,900 possible follows): infomap and label "
            "propagation return one single community there (NMI 0), while modularity finds "
            "the split against its null model."
        )
    if "congress-twitter" in results:
        out.append(
            f"- **congress-twitter** (NMI {m('congress-twitter', D):.2f} with `{D}`): the "
            "modularity methods find three communities: House Democrats, House Republicans "
            "and the **Senate**, both parties together (seed 0: 203 D + 3 R, 174 R + 2 D, "
            "50 D + 43 R). Chamber beats party in who amplifies whom, which a 2-class party "
            "truth scores as error."
        )
    if "email-eu-core" in results:
        b = best("email-eu-core")
        out.append(
            f"- **email-eu-core** is hard: NMI {m('email-eu-core', D):.2f} with `{D}` "
            f"(about {np.mean(rec('email-eu-core', D)['k']):.0f} communities for 42 "
            "departments of 1 to 109 people, with heavy cross-department mail): modularity at "
            "resolution 1 merges small departments. The best stage here is "
            f"`{b['method']}` ({np.mean(b['nmi']):.2f}, {np.mean(b['k']):.0f} communities): "
            "finer partitions fit the 42 departments better. Label propagation collapses the "
            "dense core into one community (NMI near 0)."
        )
    if "ego-facebook" in results:
        out.append(
            f"- **ego-facebook**: the ten ego networks are recovered well on the combined graph "
            f"(NMI {m('ego-facebook', D):.2f} with `{D}`, about "
            f"{np.mean(rec('ego-facebook', D)['k']):.0f} communities: the large egos split). "
            "Circles inside one ego network are another matter: they overlap, nest and cover "
            "only part of the alters, so a partition matches them only partly (average F1 "
            "about 0.5 for every method, per-ego table)."
        )
    if "musae-facebook" in results or "musae-github" in results:
        out.append(
            f"- **musae-facebook** (NMI {m('musae-facebook', D):.2f}) and **musae-github** "
            f"({m('musae-github', D):.2f}) are low by construction: the labels are account "
            "types (politician / government / company / tvshow; ML vs web developer), not "
            "partitions of the graph. A type spans many communities (country, language, "
            "topic) and a community mixes types; with tens of communities against 2–4 "
            "classes NMI stays well below 1 even for communities that are pure. Type is "
            "better predicted from node features, or with the community as one feature, than "
            "equated with it."
        )
    if "enron-perry-wolfe" in results:
        out.append(
            f"- **enron** department (NMI {m('enron-perry-wolfe', D):.2f}): an attribute, not a "
            "community truth. Seed 0: 14 of 25 Legal and 36 of 60 Trading employees sit in "
            "one community each; 'Other' (a catch-all) spreads over all of them."
        )
    failed = [n for n, p in pipeline.items() if "error" in p]
    if failed:
        out.append(
            "- **Default pipeline failures**: "
            + "; ".join(f"{n}: `{pipeline[n]['error']}`" for n in failed)
            + ". Enron is the only dataset with events but no follows; the failure is in "
            "the pipeline (roles step), not in the reader, and is reported in the issue."
        )
    # generic flags, so that stages added later are described by the data, not by hand
    flags = []
    for name, (info, recs) in results.items():
        n = info["n_nodes"]
        for r in recs:
            if not r["nmi"]:
                continue
            k = np.mean(r["k"])
            if k > 0.1 * n and n >= 1000:
                flags.append(
                    f"`{r['method']}` on {name} returns {k:,.0f} communities for {n:,} nodes "
                    f"(modularity {np.mean(r['modularity']):.2f})"
                )
            if k <= 1.0:
                flags.append(f"`{r['method']}` on {name} returns a single community")
    if flags:
        out.append("- **Flags** (computed): " + "; ".join(flags) + ".")
    varies = {}
    for _, recs in results.values():
        for r in recs:
            if r["nmi"] and r["varies"] != "n/a (1 run)":
                varies.setdefault(r["method"], []).append(r["varies"].startswith("yes"))
    never = sorted(k for k, v in varies.items() if not any(v))
    always = sorted(k for k, v in varies.items() if all(v))
    out.append(
        "- **Seeds**: "
        + (
            "output identical for every seed on every dataset: "
            + ", ".join(f"`{x}`" for x in never)
            + ". "
            if never
            else "every stage's output changes with the seed on at least one dataset. "
        )
        + (
            "Different for every dataset: " + ", ".join(f"`{x}`" for x in always) + ". "
            if always
            else ""
        )
        + "Identical partitions across seeds on a small graph (*seeds vary* = no) mean the "
        "runs reached the same optimum, not that the method ignores its seed."
    )
    return out


# --------------------------------------------------------------------------------------------


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument(
        "--root",
        default=None,
        help=f"datasets folder (default: ${ds.ENV_VAR} or ../shared/datasets)",
    )
    ap.add_argument("--only", default=None, help="comma-separated dataset names")
    ap.add_argument("--seeds", type=int, default=3, help="seeds 0..N-1 (default 3)")
    ap.add_argument("--out", default=str(DEFAULT_OUT), help="markdown file to write")
    ap.add_argument("--no-pipeline", action="store_true", help="skip the default pipeline runs")
    ap.add_argument(
        "--max-fit-seconds",
        type=float,
        default=MAX_FIT_S,
        help=f"on graphs with >= {LARGE:,} members, stop a fit after this long (0: no limit; "
        f"default {MAX_FIT_S:.0f})",
    )
    args = ap.parse_args(argv)

    def log(msg):
        print(msg, flush=True)

    t_start = time.perf_counter()
    root = ds.dataset_root(args.root)
    names = list(ds.DATASETS)
    if args.only:
        wanted = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in wanted if n not in ds.DATASETS]
        if unknown:
            ap.error(f"unknown dataset(s) {unknown}; known: {', '.join(ds.DATASETS)}")
        names = [n for n in names if n in wanted]
    seeds = list(range(args.seeds))
    stages = list_stages("community")
    log(f"root {root}; stages {stages}; seeds {seeds}")

    results, pipeline, skipped, ego = {}, {}, {}, None
    for name in names:
        log(f"== {name}")
        try:
            data, truth, info = ds.load(name, root)
        except ds.DatasetNotFoundError as exc:
            skipped[name] = str(exc)
            log(f"   skipped: {exc}")
            continue
        if truth is not None:
            graph = member_graph(data)
            idx = data.member_index(truth.index)
            keep = idx >= 0
            limit = args.max_fit_seconds if data.n_members >= LARGE else None
            recs = run_stages(
                graph, idx[keep], truth.to_numpy()[keep], seeds, stages, log, limit=limit or None
            )
            if name == "football":
                lab = next(r for r in recs if r["method"] == DEFAULT_STAGE)["labels"]
                indep = truth.to_numpy()[keep] != "Independents"
                vals = [nmi(truth.to_numpy()[keep][indep], x[idx[keep]][indep]) for x in lab]
                info["football_note"] = f"Without the 5 Independents it is {np.mean(vals):.3f}."
                info["extra"] = (
                    f"`{DEFAULT_STAGE}` NMI on the 110 teams outside 'Independents': {_fmt(vals)}."
                )
            results[name] = (info, recs)
            if name == "ego-facebook":
                ego = ego_circles(root, seeds, stages, log)
        if not args.no_pipeline:
            try:
                p = run_pipeline(data, truth)
            except Exception as exc:
                p = {"error": f"{type(exc).__name__}: {exc}"[:160]}
                log(f"   pipeline failed: {p['error']}")
            p["members"] = data.n_members
            pipeline[name] = p
            log(
                f"   pipeline: NMI {p.get('nmi', float('nan')):.3f}, roles {p.get('roles')}, "
                f"{p.get('seconds', 0):.1f} s"
            )
    total = time.perf_counter() - t_start
    text = render(
        results, ego, pipeline, seeds, stages, total, skipped, root, limit=args.max_fit_seconds
    )
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text)
    log(f"wrote {out} in {total / 60:.1f} min")
    if "football" in results:
        v = np.mean(next(r for r in results["football"][1] if r["method"] == DEFAULT_STAGE)["nmi"])
        log(f"football NMI ({DEFAULT_STAGE}): {v:.3f} ({'>=' if v >= 0.85 else '<'} 0.85)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
