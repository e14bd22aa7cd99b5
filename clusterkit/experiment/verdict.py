"""The verdict of a sweep: degenerate grid points, the tie-break, one recommended point.

The ranking (:mod:`clusterkit.experiment.ranking`) orders grid points by their mean rank
over seeds on the rank metrics. A user wants one answer, so this module:

* flags *degenerate* grid points, which are never recommended: a community stage that puts
  every member in one community (in any seed), a cluster stage that finds one cluster, or
  more than :data:`NOISE_LIMIT` of members left as noise (HDBSCAN, outliers). A collapsed
  partition agrees with itself across seeds, so its seed ARI of 1 is not stability;
* breaks ties of the mean rank deterministically, in this order: higher community seed
  ARI (more stable across seeds), lower standard deviation of the first rank metric over
  seeds, then the earlier grid point (wall time is not used: it changes between two
  identical sweeps);
* names the recommended grid point in one line, with its margin over the runner-up on the
  first rank metric, and says in one line each what the Friedman, Nemenyi and
  Wilcoxon-Holm tests answer and whether the winner is significantly better.

Examples
--------
>>> import pandas as pd
>>> runs = pd.DataFrame({"point": [0, 0, 1, 1], "n_communities": [4, 4, 1, 1],
...                      "n_clusters": [3, 3, 3, 3], "noise_share": [0.0, 0.0, 0.0, 0.0]})
>>> summary = pd.DataFrame({"point": [0, 1], "noise_share_mean": [0.0, 0.0]})
>>> degenerate_flags(runs, summary)
['', '1 community']
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

__all__ = ["NOISE_LIMIT", "TIE_BREAK", "Verdict", "decide", "degenerate_flags"]

NOISE_LIMIT = 0.20
"""A grid point leaving more than this share of members as noise is degenerate."""

TIE_BREAK = ("higher community seed ARI, then lower std over seeds of the first rank "
             "metric, then grid order")
"""How equal mean ranks are broken (stated in the output)."""

_TRUTH_METRICS = ("nmi", "ami", "ari", "role_macro_f1")


@dataclass(frozen=True)
class Verdict:
    """What :func:`decide` concluded.

    Attributes
    ----------
    winner : str or None
        Label of the recommended grid point; None when every point is degenerate.
    runner_up : str or None
    order : list of str
        Labels, eligible points in recommended order, then the degenerate ones.
    flags : dict
        Label → why the point is degenerate (only flagged points).
    ties : list of list of str
        Groups of eligible points with the same mean rank (in recommended order).
    significant : bool or None
        Whether the winner is significantly better than the runner-up (Nemenyi, at the
        ranking's alpha); None when it cannot be tested.
    line : str
        The one-line recommendation.
    notes : list of str
        What ranks, ties, the modularity caveat, the tests explained, the flags.
    """

    winner: str | None
    runner_up: str | None
    order: list
    flags: dict
    ties: list
    significant: bool | None
    line: str
    notes: list = field(default_factory=list)

    def to_dict(self) -> dict:
        """Plain data for the manifest."""
        return {"label": self.winner, "runner_up": self.runner_up, "order": self.order,
                "degenerate": self.flags, "ties": self.ties, "significant": self.significant,
                "line": self.line, "notes": self.notes, "tie_break": TIE_BREAK}


def degenerate_flags(runs: pd.DataFrame, summary: pd.DataFrame, points=None) -> list[str]:
    """Per summary row: why the grid point is degenerate, or ``""``.

    ``points``: the :class:`~clusterkit.experiment.GridPoint` list; a point whose cluster
    stage is ``none`` is not flagged for having one cluster (that is what it asks for).
    """
    no_cluster = {gp.point for gp in points or () if gp.config.cluster.name == "none"}
    out = []
    for p, noise in zip(summary["point"], summary["noise_share_mean"], strict=True):
        r = runs[runs["point"] == p]
        n, why = len(r), []
        for col, what, skip in (("n_communities", "community", False),
                                ("n_clusters", "cluster", p in no_cluster)):
            k = int((r[col] <= 1).sum()) if col in r and not skip else 0
            if k:
                why.append(f"1 {what}" + (f" in {k}/{n} seeds" if k < n else ""))
        if np.isfinite(noise) and noise > NOISE_LIMIT:
            why.append(f"{noise:.0%} noise")
        out.append(", ".join(why))
    return out


def _fmt(x, digits=3) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x:.{digits}f}"


def _rank_basis(metrics: dict, truth_columns: tuple, explicit: bool) -> str:
    names = ", ".join(f"{m} ({d} is better)" for m, d in metrics.items())
    if not explicit:
        if any(m in _TRUTH_METRICS for m in metrics):
            return f"ranked by {names}: agreement with the ground truth, the default with a truth"
        return (f"ranked by {names}: no ground truth given (--truth FILE ranks by NMI "
                "against it)")
    text = f"ranked by {names} (sweep.rank)"
    if "community" in truth_columns and not any(m in _TRUTH_METRICS for m in metrics):
        text += "; a truth is given but not ranked on: --set 'sweep.rank=[nmi]' ranks by it"
    return text


def _tie_reason(w: dict, o: dict) -> str:
    """Which tie-break criterion put ``w`` before ``o``."""
    if w["ari"] != o["ari"]:
        return f"community seed ARI {_fmt(w['ari'])} vs {_fmt(o['ari'])}"
    if w["std"] != o["std"]:
        return f"std over seeds {_fmt(w['std'], 4)} vs {_fmt(o['std'], 4)}"
    return "grid order (equal seed ARI and std over seeds)"


def _tests(ranking, metric: str, winner: str, runner: str) -> tuple[list[str], bool | None]:
    f = ranking.friedman.loc[metric]
    k, n = int(f["n_methods"]), int(f["n_blocks"])
    lines = []
    if f["reason"]:
        lines.append(f"Friedman ({metric}): not computed, {f['reason']}.")
    else:
        lines.append(f"Friedman ({metric}): p = {f['p_value']:.3g}: do the {k} grid points "
                     f"differ at all over {n} seeds? Below {ranking.alpha:g} means they do.")
    post = ranking.posthoc
    row = post[(post["metric"] == metric)
               & (((post["method_a"] == winner) & (post["method_b"] == runner))
                  | ((post["method_a"] == runner) & (post["method_b"] == winner)))]
    if n < 2:
        return [f"no test: {n} seed; the tests need at least 2 (sweep.seeds)."], None
    if row.empty or not np.isfinite(row["nemenyi_p"].iloc[0]):
        return lines, None
    r = row.iloc[0]
    ranks = (r["rank_a"], r["rank_b"]) if r["method_a"] == winner else (r["rank_b"], r["rank_a"])
    m = int((post["metric"] == metric).sum())
    floor = min(1.0, m * 2.0 / 2.0**n) if n else 1.0
    lines.append(f"Nemenyi (winner vs runner-up): p = {r['nemenyi_p']:.3g}: are their mean "
                 f"ranks ({ranks[0]:.2f}, {ranks[1]:.2f}) further apart than chance "
                 f"allows? Below {ranking.alpha:g} (a gap of at least {f['cd']:.2f}) means "
                 "they are.")
    lines.append(f"Wilcoxon-Holm (winner vs runner-up): p = {r['wilcoxon_p_holm']:.3g}: is "
                 f"the winner better seed by seed, corrected for {m} pair{'s' * (m != 1)}? "
                 f"With {n} seeds "
                 f"it cannot go below {floor:.3g}"
                 + (", so more seeds are needed for this test." if floor >= ranking.alpha
                    else "."))
    return lines, bool(r["nemenyi_significant"])


def decide(summary: pd.DataFrame, ranking, *, flags: list[str], grid_keys=(),
           truth_columns=(), explicit: bool = False) -> Verdict:
    """Pick the recommended grid point (see the module notes)."""
    metrics = ranking.metrics
    first = next(iter(metrics))
    mr = ranking.mean_ranks["overall"]
    rows = []
    for (_, s), flag in zip(summary.iterrows(), flags, strict=True):
        ari = s.get("community_seed_ari", np.nan)
        rows.append({"label": str(s["label"]), "point": int(s["point"]), "flag": flag,
                     "rank": round(float(mr.get(str(s["label"]), np.nan)), 9),
                     "ari": float(ari) if np.isfinite(ari) else -np.inf,
                     "std": float(np.nan_to_num(s.get(f"{first}_std", np.nan), nan=0.0)),
                     "value": float(s.get(f"{first}_mean", np.nan))})
    rows.sort(key=lambda r: (bool(r["flag"]), np.nan_to_num(r["rank"], nan=np.inf),
                             -r["ari"], r["std"], r["point"]))
    ok = [r for r in rows if not r["flag"]]
    notes = [_rank_basis(metrics, tuple(truth_columns), explicit)]
    if "modularity" in metrics and any(k.endswith(("__resolution", ".resolution"))
                                       for k in grid_keys):
        notes.append("note: modularity is measured at resolution 1.0, so ranking by it "
                     "favours resolution near 1.0; a ground truth (--truth) compares "
                     "resolutions fairly.")
    ties, text = [], []
    for rank in dict.fromkeys(r["rank"] for r in ok):
        group = [r["label"] for r in ok if r["rank"] == rank]
        if len(group) > 1:
            ties.append(group)
            text.append(f"{' = '.join(group)} at {rank:.2f}")
    if ties:
        notes.append(f"ties of the mean rank: {'; '.join(text)}; broken by {TIE_BREAK}.")
    for r in rows:
        if r["flag"]:
            notes.append(f"degenerate, not recommended: {r['label']}: {r['flag']}"
                         + ("; its seed ARI 1 only says the collapse repeats"
                            if "1 community" in r["flag"] and "1 community in" not in r["flag"]
                            else "") + ".")
    if any(r["flag"] for r in rows):
        notes.append(f"degenerate = one community or one cluster in a seed, or more than "
                     f"{NOISE_LIMIT:.0%} of members as noise.")
    if not ok:
        return Verdict(None, None, [r["label"] for r in rows], {r["label"]: r["flag"]
                       for r in rows}, [], None,
                       "no recommendation: every grid point is degenerate (see the flags).",
                       notes)
    w = ok[0]
    line = f"recommended: {w['label']}, mean rank {w['rank']:.2f} on {', '.join(metrics)}"
    runner, significant = None, None
    if len(ok) > 1:
        o = ok[1]
        runner = o["label"]
        line += (f"; {first} {w['value']:.4g} vs {o['value']:.4g} for the runner-up "
                 f"{o['label']} ({w['value'] - o['value']:+.3g})")
        if o["rank"] == w["rank"]:
            line += f"; tied on rank, chosen by {_tie_reason(w, o)}"
        tests, significant = _tests(ranking, first, w["label"], o["label"])
        notes += tests
        if significant is not None:
            notes.append("the winner is " + ("" if significant else "not ")
                         + "significantly better than the runner-up (Nemenyi, "
                         f"alpha {ranking.alpha:g}).")
    else:
        line += (" (the only grid point that is not degenerate)" if len(rows) > 1
                 else " (the only grid point)")
    return Verdict(w["label"], runner, [r["label"] for r in rows],
                   {r["label"]: r["flag"] for r in rows if r["flag"]}, ties, significant,
                   line, notes)
