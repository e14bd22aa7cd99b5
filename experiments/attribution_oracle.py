"""The blind generator's own causal model evaluated on the observed spells (issue 17 diagnosis).

The truth of ``experiments/blind/journeys_generator.py`` is a Shapley share over each
person's whole window. The default model can at best recover the same game over the spells
it sees (first touch to the conversion, or to the end of the window). This computes that
game exactly from the generator's internals (true fire probabilities, delay laws, baseline
rates), so that the gap between the truth and the model splits into the estimand's part
(this script: TV 0.012 on frequency_misaligned seed 1, 0.009 on arbitrary_ends seed 0) and
the fit's part.

Run: ``.venv/bin/python experiments/attribution_oracle.py frequency_misaligned 1``.
"""

import sys
from math import factorial
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parent))
import blind.journeys_generator as bg  # noqa: E402


def oracle(scenario: str, seed: int, n: int = 20_000) -> pd.DataFrame:
    """Truth and the generator's own game over the observed spells, by channel."""
    g = bg.generate_journeys(n, scenario=scenario, seed=seed, return_internals=True)
    it = g["internals"]
    names = it["names"]
    n_ch = len(names)
    cfg = bg.scenario_config(scenario)
    pid, chn, t, q0, q1 = it["pid"], it["chn"], it["t"], it["q0"], it["q1"]
    n_p, conv, e = len(it["s"]), it["conv"], it["e"]
    end = np.where(np.isfinite(conv), conv, e)  # the spell ends at the conversion
    keep = t < end[pid]
    first = np.full(n_p, np.inf)
    np.minimum.at(first, pid[keep], t[keep])  # and starts at the first touch
    has = np.isfinite(first)
    cdf = np.zeros(len(t))
    for ci, c in enumerate(cfg["channels"].values()):
        m = (chn == ci) & keep
        cdf[m] = bg._delay_cdf(end[pid[m]] - t[m], *c["delay"])
    key = pid * n_ch + chn
    lmat = np.bincount(key, weights=np.log1p(-q0 * cdf), minlength=n_p * n_ch).reshape(
        n_p, n_ch)
    dsyn = np.bincount(pid, weights=np.log1p(-q1 * cdf) - np.log1p(-q0 * cdf), minlength=n_p)
    log_s0 = -it["lam"] * np.where(has, end - first, 0)
    bits = ((np.arange(1 << n_ch)[:, None] >> np.arange(n_ch)) & 1).astype(float)
    syn_on = bits[:, names.index("search")] * bits[:, names.index("display")]
    ls = log_s0[has, None] + lmat[has] @ bits.T + dsyn[has, None] * syn_on
    v = (-np.expm1(ls)).sum(axis=0)
    sizes = bits.sum(1).astype(int)
    w = np.array([factorial(k) * factorial(n_ch - k - 1) / factorial(n_ch)
                  for k in range(n_ch)])
    phi = []
    for ci in range(n_ch):
        wo = np.flatnonzero(((np.arange(1 << n_ch) >> ci) & 1) == 0)
        phi.append(np.sum(w[sizes[wo]] * (v[wo | (1 << ci)] - v[wo])))
    phi = np.array(phi)
    truth = g["truth"].set_index("channel")["true_share"]
    return pd.DataFrame({"truth": truth.to_numpy(), "oracle_spells": phi / phi.sum()},
                        index=names).sort_index()


if __name__ == "__main__":
    df = oracle(sys.argv[1], int(sys.argv[2]))
    print(df.round(4).to_string())
    print(f"TV oracle vs truth {0.5 * abs(df.truth - df.oracle_spells).sum():.3f}")
