"""Why the default attribution model fails on our own journey generator, and what fixes it.

Issue 17: the conversion-hazard model (:mod:`clusterkit.attribution.hazard`) gets TV 0.43
from the truth on :mod:`clusterkit.synthetic.journeys` (display 0.29 against 0.04). Parts,
each printing its table (20,000 persons; the blind scenarios come from
``experiments/blind/journeys_generator.py``):

* ``mechanism``: the fitted baseline and lag profiles, the hazard a channel adds over a spell
  by its number of touches, and the data's conversion rate by the same count (ours and
  frequency_misaligned, seed 0);
* ``placement``: the same journeys with the non-converters' windows ending at random times,
  or every window ending at the data's end (is it where the windows are?);
* ``variants``: the model with other settings on ours (window start known, censoring at the
  end, presence only, one lag bin, finer or quantile baseline bins);
* ``bins``: coarse against quantile baseline bins (and BIC's choice) on every scenario and
  seed, with and without ``decay="auto"`` and ``touch_alpha=0.05``;
* ``select``: choosing between the hazard model and ``logistic`` by person-level
  cross-validated log-likelihood of "converted in the spell";
* ``timing``: fit and bootstrap replicate, coarse against ``"auto"`` baseline bins;
* ``large``: BIC's choice at 100,000 persons (many_channels and long_window, seed 0).

Run: ``.venv/bin/python experiments/attribution_ours.py PART [--seeds 0,1,2,3]
[--scenarios ours,arbitrary_ends,...]``; the results are in
``experiments/results/attribution_blind.md``.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.special import expit, expm1

import clusterkit.attribution._hazard_terms as terms_mod
from clusterkit.attribution import build_journeys, compare_models
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.hazard import HazardModel
from clusterkit.attribution.model import ConversionModel, _journey_pairs
from clusterkit.data import CommunityData

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from attribution_blind import SCENARIOS, _case  # noqa: E402

N = 20_000


def md(df: pd.DataFrame, index: bool = True) -> str:
    """A markdown table (no ``tabulate`` needed)."""
    d = df.reset_index() if index else df
    cells = [[f"{v:.3f}" if isinstance(v, float) else str(v) for v in r]
             for r in d.itertuples(index=False)]
    head = [str(c) for c in d.columns]
    return "\n".join(["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
                     + ["| " + " | ".join(r) + " |" for r in cells])


def spells(events) -> object:
    """Whole spells as the default model reads them."""
    return prepare(build_journeys(CommunityData.from_frames(events=events), ("purchase",),
                                  "channel", None))


def tv_of(model, arrays, truth) -> tuple[float, pd.Series]:
    credit = model.credit_(arrays)
    share = pd.Series(credit / credit.sum(), index=arrays.touches.astype(str))
    share = share.reindex(truth.index).fillna(0.0)
    return 0.5 * float(np.abs(share - truth).sum()), share


def mechanism(args) -> None:
    for scenario in ("ours", "frequency_misaligned"):
        events, truth = _case(N, scenario, 0)
        a = spells(events)
        m = HazardModel(baseline_bins="coarse").fit(a)
        names = a.touches.astype(str)
        print(f"\n{scenario} 0: baseline per day (bins {m.base_edges_[:-1].tolist()}):",
              np.round(m.h0_[0] * 1000, 3), "x 1e-3; the baseline's conversions: "
              f"{m.baseline_conversions(a) / a.converted.sum():.1%}")
        edges = m.lag_edges_days
        print(md(pd.DataFrame(m.beta_[0] * 1000, index=pd.Index(names, name="touch"), columns=[
            f"{edges[i]:g}-{edges[i + 1]:g}" for i in range(len(edges) - 1)]).round(2)))
        sp, terms = m._spells_and_terms(a)
        solo, _, _ = terms.parts(sp, m._theta)
        jp, t, count, _ = sp.pairs
        df = pd.DataFrame({"touch": names[t], "touches": np.minimum(count, 6), "H": solo,
                           "conv": a.converted[jp]})
        print("\nhazard added over the spell (x 1e-3), by the channel's touches (6: 6+)")
        print(md((df.groupby(["touch", "touches"])["H"].mean().unstack() * 1000).round(1)))
        print("\nconversion rate of the spells, by the channel's touches")
        print(md(df.groupby(["touch", "touches"])["conv"].mean().unstack().round(3)))
        if scenario == "ours":
            b0 = 1.0 / (1.0 + np.exp(3.2))
            print(f"truth: the baseline's conversions {N * b0 / a.converted.sum():.1%}")


def placement(args) -> None:
    from clusterkit.synthetic.journeys import generate_journeys

    rows = []
    for seed in args.seeds:
        sj = generate_journeys(N, seed=seed)
        truth, ev = sj.truth["true_share"], sj.events()
        buyers = ev.loc[ev["action"] == "purchase"].set_index("member_id")["timestamp"]
        conv = ev["member_id"].isin(buyers.index)
        rng = np.random.default_rng(100 + seed)
        persons = ev["member_id"].unique()
        shift = pd.Series(rng.integers(0, 150 * 86400, len(persons)), index=persons)
        anywhere = ev.copy()  # non-converters' windows end anywhere in days 30-180
        anywhere.loc[~conv, "timestamp"] -= pd.to_timedelta(
            shift[ev.loc[~conv, "member_id"]].to_numpy(), unit="s")
        at_end = ev.copy()  # every window ends at the data's end
        at_end.loc[conv, "timestamp"] += (ev["timestamp"].max() - buyers[
            ev.loc[conv, "member_id"]]).to_numpy()
        for name, e in (("as generated", ev), ("non-converters end anywhere", anywhere),
                        ("every window ends at the data's end", at_end)):
            res = compare_models(spells(e), ["model", "logistic", "last"], random_state=seed,
                                 lookback_days=30.0, params={"model": args.params})
            for model, sub in res.groupby("model"):
                s = sub.set_index("touch")["share"].reindex(truth.index).fillna(0.0)
                rows.append({"windows": name, "seed": seed, "model": model,
                             "tv": 0.5 * float(np.abs(s - truth).sum())})
            print(rows[-3:], flush=True)
    print(md(pd.DataFrame(rows).pivot_table(index=["windows", "seed"], columns="model",
                                            values="tv", sort=False).round(3)))


def _with_start(events, journeys) -> pd.DataFrame:
    """The events with a touch ``zz_start`` at each window's start (30 days before its end)."""
    first = journeys.drop_duplicates("journey_id")
    start = pd.DataFrame({"member_id": first["person_id"].astype(str).to_numpy(),
                          "action": "view", "channel": "zz_start", "value": np.nan,
                          "timestamp": (first["journey_end"] - pd.Timedelta(days=30)
                                        + pd.Timedelta(seconds=1)).to_numpy()})
    start["timestamp"] = pd.to_datetime(start["timestamp"], utc=True).astype(
        "datetime64[us, UTC]")
    return pd.concat([events, start], ignore_index=True)


def variants(args) -> None:
    from clusterkit.synthetic.journeys import generate_journeys

    fixed = {"0,1,3,7,14,30,60,120": [0, 1, 3, 7, 14, 30, 60, 120],
             "0,1,3,7,14,21,30,60,120": [0, 1, 3, 7, 14, 21, 30, 60, 120]}
    for seed in args.seeds:
        sj = generate_journeys(N, seed=seed)
        truth = sj.truth["true_share"]
        a = spells(sj.events())
        started = spells(_with_start(sj.events(), sj.journeys))
        rows = []
        cases = [("coarse baseline (the old default)", a, {"baseline_bins": "coarse"}),
                 ("window start known (a touch at it)", started, {"baseline_bins": "coarse"}),
                 ("window start known, censored at the end", started,
                  {"baseline_bins": "coarse", "censor": "end"}),
                 ("presence only (decay 0.05)", a, {"baseline_bins": "coarse", "decay": 0.05}),
                 ("one lag bin (0-30 days)", a, {"baseline_bins": "coarse",
                                                 "lag_edges_days": (0.0, 30.0)}),
                 ("decay auto + touch_alpha 0.05", a, {"baseline_bins": "coarse",
                                                       "decay": "auto", "touch_alpha": 0.05})]
        cases += [(f"baseline bins {k}", a, {"baseline_bins": "coarse", "_edges": v})
                  for k, v in fixed.items()]
        cases += [("baseline bins 16 quantiles", a, {"baseline_bins": 16}),
                  ("baseline_bins auto (BIC; the new default)", a, {})]
        for name, arr, kw in cases:
            kw = dict(kw)
            edges = kw.pop("_edges", None)
            saved = terms_mod.BASE_EDGES
            if edges is not None:
                terms_mod.BASE_EDGES = np.r_[np.asarray(edges, float), np.inf]
            try:
                m = HazardModel(**kw).fit(arr)
                tv, share = tv_of(m, arr, truth)
                base = m.baseline_conversions(arr) / arr.converted.sum()
            finally:
                terms_mod.BASE_EDGES = saved
            rows.append({"variant": name, "TV": tv, "display": share["display"],
                         "video (zero)": share["video"], "baseline's conversions": base})
        print(f"\nours, seed {seed} (truth: display {truth['display']:.3f}, the baseline's "
              "conversions 55 %)")
        print(md(pd.DataFrame(rows).set_index("variant").round(3)))


def bins(args) -> None:
    from scipy.stats import chi2

    rows = []
    for scenario in args.scenarios:
        for seed in args.seeds:
            events, truth = _case(N, scenario, seed)
            a = spells(events)
            row = {"scenario": scenario, "seed": seed}
            for name, kw in (("coarse", {"baseline_bins": "coarse"}),
                             ("q16", {"baseline_bins": 16}), ("auto", {}),
                             ("coarse+test", {"baseline_bins": "coarse", "decay": "auto",
                                              "touch_alpha": 0.05}),
                             ("q16+test", {"baseline_bins": 16, "decay": "auto",
                                           "touch_alpha": 0.05})):
                m = HazardModel(**kw).fit(a)
                row[name] = tv_of(m, a, truth)[0]
                if name == "q16":
                    kinds = 2 if (a.prior[a.converted] > 0).any() else 1
                    dof = (len(m.base_edges_) - 5) * kinds  # the extra baseline bins
                if name == "auto":
                    row["LR"] = m.baseline_lr_
                    row["dof"] = dof
                    row["BIC bar"] = dof * np.log(a.converted.sum())
                    row["fine kept"] = len(m.base_edges_) > 5
                    row["p (chi2)"] = chi2.sf(m.baseline_lr_, dof)
            rows.append(row)
            print({k: (round(v, 3) if isinstance(v, float) else v) for k, v in row.items()},
                  flush=True)
    print(md(pd.DataFrame(rows).round(3), index=False))


def _p_hazard(m, a):
    sp, terms = m._spells_and_terms(a)
    ev, _ = terms.events(np.ones(a.n_journeys, bool))
    solo, duo, base = terms.parts(sp, m._theta)
    big_h = base + np.bincount(sp.pairs[0], weights=solo, minlength=a.n_journeys)
    if len(duo[3]):
        big_h += np.bincount(duo[0], weights=duo[3], minlength=a.n_journeys)
    return -expm1(-big_h), np.c_[np.log(np.maximum(ev @ m._theta, 1e-12)),
                                 np.log(np.maximum(big_h, 1e-12))]


def _p_logistic(m, a, lookback=30.0):
    keep = a.age_days < lookback
    kept = np.unique(a.journey[keep])
    w = a._keep_rows(keep)
    j, t, count, age = w.pairs
    parts = (m.coef_[t, 0] + m.coef_[t, 1] * np.log(count)
             + m.coef_[t, 2] * np.exp2(-age / m.half_life_days))
    logit = m.intercept_ + np.bincount(j, weights=parts, minlength=w.n_journeys)
    if m.interaction_.any():
        pj, pid = _journey_pairs(w)
        k = w.n_touches
        logit += np.bincount(pj, weights=m.interaction_[pid // k, pid % k],
                             minlength=w.n_journeys)
    out = np.full(a.n_journeys, expit(m.intercept_))
    out[kept] = expit(logit)
    return out


def _ll(p, y) -> float:
    p = np.clip(p, 1e-12, 1 - 1e-12)
    return float(np.sum(np.where(y, np.log(p), np.log1p(-p))))


def select(args) -> None:
    from sklearn.linear_model import LogisticRegression

    rows = []
    for scenario in args.scenarios:
        for seed in args.seeds:
            events, _ = _case(N, scenario, seed)
            a = spells(events)
            fold = np.random.default_rng(seed).integers(0, 2, a.n_persons)[a.person]
            out = dict.fromkeys(("hazard raw", "hazard recalibrated", "logistic raw",
                                 "logistic recalibrated"), 0.0)
            for k in (0, 1):  # two person-level folds
                train, test = a.subset(np.flatnonzero(fold != k)), a.subset(
                    np.flatnonzero(fold == k))
                mh = HazardModel(baseline_bins="coarse").fit(train)
                ml = ConversionModel().fit(train.window(30.0))
                (ph, xh), (_, xh_tr) = _p_hazard(mh, test), _p_hazard(mh, train)
                pl, pl_tr = _p_logistic(ml, test), _p_logistic(ml, train)
                out["hazard raw"] += _ll(ph, test.converted)
                out["logistic raw"] += _ll(pl, test.converted)
                for name, x_tr, x_te in (("hazard", xh_tr, xh), ("logistic",
                                         np.log(pl_tr)[:, None], np.log(pl)[:, None])):
                    cal = LogisticRegression(C=1e6).fit(x_tr, train.converted)
                    out[f"{name} recalibrated"] += _ll(cal.predict_proba(x_te)[:, 1],
                                                       test.converted)
            const = _ll(np.full(a.n_journeys, a.converted.mean()), a.converted)
            rows.append({"scenario": scenario, "seed": seed, "constant": const / a.n_journeys,
                         **{k: v / a.n_journeys for k, v in out.items()}})
            print(rows[-1], flush=True)
    print(md(pd.DataFrame(rows).round(4), index=False))


def timing(args) -> None:
    import time

    from clusterkit.attribution import attribute

    for scenario in ("frequency_misaligned", "ours"):
        a = spells(_case(N, scenario, 1)[0])
        for b in ("coarse", "auto"):
            t0 = time.perf_counter()
            attribute(a, baseline_bins=b)
            t1 = time.perf_counter()
            attribute(a, baseline_bins=b, bootstrap=5)
            t2 = time.perf_counter()
            print(f"{scenario} 1, baseline_bins={b}: fit + credit {t1 - t0:.1f} s, per "
                  f"bootstrap replicate {(t2 - t1 - (t1 - t0)) / 5:.1f} s", flush=True)


def large(args) -> None:
    for scenario in ("many_channels", "long_window"):
        events, truth = _case(100_000, scenario, 0)
        a = spells(events)
        out = []
        for b in ("coarse", 16, "auto"):
            m = HazardModel(baseline_bins=b).fit(a)
            out.append(f"{b}: TV {tv_of(m, a, truth)[0]:.3f}")
        print(f"{scenario} 0, 100,000 persons: " + "; ".join(out) + f"; LR "
              f"{m.baseline_lr_:.1f}, finer bins kept: {len(m.base_edges_) > 5}", flush=True)


def main(argv=None) -> None:
    import json

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("part", choices=["mechanism", "placement", "variants", "bins", "select",
                                    "timing", "large"])
    ap.add_argument("--seeds", default="0,1")
    ap.add_argument("--scenarios", default=",".join(SCENARIOS))
    ap.add_argument("--params", type=json.loads, default={},
                    help="parameters of the default model (placement)")
    args = ap.parse_args(argv)
    args.seeds = [int(s) for s in args.seeds.split(",")]
    args.scenarios = args.scenarios.split(",")
    globals()[args.part](args)


if __name__ == "__main__":
    main()
