"""Identity resolution at scale: wall time, peak memory and determinism (default 100,000
accounts).

Each measurement runs in a fresh interpreter (``_util.measure``), so peak RSS is the run's own:
generating the accounts and validating the tables are reported apart from resolution. The
determinism check resolves the same accounts with every table's rows shuffled, and reruns the
unshuffled data, and compares persons and links. Targets (issue 7): <= 60 s and <= 4 GB at
100,000 accounts, identical person ids under shuffles and reruns.

Run: ``.venv/bin/python benchmarks/bench_identity.py [N]`` (prints a markdown table).
"""

from __future__ import annotations

import sys

from _util import measure

_CODE = """
import hashlib
import numpy as np
from clusterkit.data import CommunityData
from clusterkit.synthetic.identity import generate_accounts
from clusterkit.identity import IdentityConfig, resolve_identities
t = time.perf_counter(); sd = generate_accounts({n}, seed=0); t_gen = time.perf_counter() - t
tables = sd.tables
if {shuffle}:
    rng = np.random.default_rng(1)
    tables = {{k: v.iloc[rng.permutation(len(v))].reset_index(drop=True)
              for k, v in tables.items()}}
t = time.perf_counter(); data = CommunityData.from_frames(**tables)
t_load = time.perf_counter() - t
t = time.perf_counter(); res = resolve_identities(data, IdentityConfig(), seed=0)
t_res = time.perf_counter() - t
digest = hashlib.sha256(res.persons.to_csv(index=False).encode()
                        + res.links.to_csv(index=False).encode()).hexdigest()
result = dict(generate=t_gen, validate=t_load, resolve=t_res, steps=res.timings,
              persons=res.n_persons, links=len(res.links), digest=digest,
              candidates=res.model.attrs["candidates"])
"""


def main(n: int = 100_000) -> None:
    runs = {name: measure(_CODE.format(n=n, shuffle=shuffle))
            for name, shuffle in (("rows as generated", False), ("rows shuffled", True),
                                  ("rerun", False))}
    first = runs["rows as generated"]
    print(f"{n:,} accounts → {first['persons']:,} persons, {first['links']:,} links, "
          f"{first['candidates']:,} Splink candidate pairs\n")
    print("| run | generate s | validate s | resolve s | normalise / rules / splink / "
          "cluster s | peak RSS MiB | persons + links digest |")
    print("|---|---|---|---|---|---|---|")
    for name, r in runs.items():
        steps = " / ".join(f"{r['steps'][k]:.2f}" for k in ("normalise", "rules", "splink",
                                                            "cluster"))
        print(f"| {name} | {r['generate']:.2f} | {r['validate']:.2f} | {r['resolve']:.2f} | "
              f"{steps} | {r['peak_mb']:.0f} | {r['digest'][:12]} |")
    same = len({r["digest"] for r in runs.values()}) == 1
    print(f"\nidentical persons and links across shuffle and rerun: {'yes' if same else 'NO'}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000)
