"""Per-channel diagnosis of the default attribution on the blind journey generator (issue 17).

For one scenario and seed: the truth, the model's share with its bootstrap standard error,
and the shares of model variants given as ``name=key:value,...`` (HazardModel parameters).
Run: ``.venv/bin/python experiments/attribution_diagnose.py arbitrary_ends 0 --persons 20000``.
"""

from __future__ import annotations

import argparse
import pickle
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
from scipy.stats import spearmanr

from clusterkit.attribution import build_journeys
from clusterkit.attribution._arrays import prepare
from clusterkit.attribution.bootstrap import person_weights
from clusterkit.attribution.hazard import HazardModel
from clusterkit.data import CommunityData

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from attribution_blind import _case  # noqa: E402


def arrays_and_truth(n, scenario, seed, cache=Path("/tmp/diag")):
    f = cache / f"{scenario}_{seed}_{n}.pkl"
    if f.exists():
        return pickle.loads(f.read_bytes())
    events, truth = _case(n, scenario, seed)
    journeys = build_journeys(CommunityData.from_frames(events=events), ("purchase",),
                              "channel", None)
    out = (prepare(journeys), truth)
    cache.mkdir(exist_ok=True)
    f.write_bytes(pickle.dumps(out))
    return out


def shares(model, arrays, w=None):
    c = model.fit(arrays, w).credit_(arrays, w)
    return c / c.sum()


def parse(spec):
    name, _, kv = spec.partition("=")
    params = {}
    for item in filter(None, kv.split(",")):
        k, _, v = item.partition(":")
        try:
            params[k] = eval(v)  # noqa: S307  (numbers, tuples, strings in quotes)
        except Exception:
            params[k] = v
    return name, params


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("scenario")
    ap.add_argument("seed", type=int)
    ap.add_argument("--persons", type=int, default=20_000)
    ap.add_argument("--boot", type=int, default=0)
    ap.add_argument("variants", nargs="*")
    a = ap.parse_intermixed_args(argv)
    arrays, truth = arrays_and_truth(a.persons, a.scenario, a.seed)
    names = arrays.touches.astype(str)
    tab = pd.DataFrame({"truth": truth.reindex(names).to_numpy()}, index=names)
    for spec in ["default", *a.variants]:
        name, params = parse(spec)
        t0 = time.time()
        tab[name] = shares(HazardModel(**params), arrays)
        s = tab[name]
        print(f"{name:>14}: TV {0.5 * np.abs(s - tab.truth).sum():.3f} rho "
              f"{spearmanr(s, tab.truth).statistic:.2f} ({time.time() - t0:.0f} s) {params}",
              flush=True)
    if a.boot:
        rng = np.random.default_rng(0)
        reps = [shares(HazardModel(), arrays, person_weights(arrays.person, arrays.n_persons,
                                                             rng)) for _ in range(a.boot)]
        tab["se"] = np.std(reps, axis=0, ddof=1)
    print(tab.round(4).to_string())


if __name__ == "__main__":
    main()
