"""Do two versions of clusterkit write the same run folders? A check for refactors.

Runs the command-line interface (the one interface that is stable across module moves) on
three generator settings with three configurations, and records the SHA-256 of every output
file that must not change when code only moves: ``segments.csv``, ``segment_summary.csv``,
``features.parquet``, ``attribution.csv``, ``influence.parquet``, plus ``metrics.json``,
``segment_engagement.csv``, ``journeys.parquet`` and ``weights.yaml``.

Usage, from the repository root with the package installed::

    python experiments/same_outputs.py --write before.json   # on the old commit
    python experiments/same_outputs.py --check before.json   # on the new one; exit 1 on a change

Settings:

- ``demo``: ``clusterkit demo``'s data (20,000 members, seed 42), default configuration;
- ``mixed``: 4,000 members at mixing 0.5, seed 7; GMM clusters, prototype roles, Louvain
  communities, hub damping 0.5, a 30-day engagement half-life, nearest-outlier reassignment;
- ``persons``: 3,000 members at mixing 0.2, seed 3; identity resolution on, RolX roles,
  HDBSCAN clusters, label-propagation communities, one clustering of all members.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

FILES = ("segments.csv", "segment_summary.csv", "features.parquet", "attribution.csv",
         "influence.parquet", "metrics.json", "segment_engagement.csv", "journeys.parquet",
         "weights.yaml")

SETTINGS = {
    "demo": (["--members", "20000", "--seed", "42"], []),
    "mixed": (["--members", "4000", "--mixing", "0.5", "--seed", "7"],
              ["cluster.name=gmm", "cluster.params={}", "roles.name=prototypes",
               "community.name=louvain", "graph.hub_damping=0.5", "half_life_days=30",
               "segments.outliers=nearest"]),
    "persons": (["--members", "3000", "--mixing", "0.2", "--seed", "3"],
                ["identity.enabled=true", "roles.name=rolx", "cluster.name=hdbscan",
                 "cluster.params={}", "community.name=label_propagation", "segments.by=none"]),
}


def _cli() -> list[str]:
    exe = Path(sys.executable).with_name("clusterkit")
    return [str(exe)] if exe.exists() else [sys.executable, "-m", "clusterkit.cli"]


def digests(root: Path) -> dict:
    """Run every setting under ``root`` and return ``{setting: {file: sha256 or None}}``."""
    env = {**os.environ, "CLUSTERKIT_HOME": str(root / "home")}
    out = {}
    for name, (gen, overrides) in SETTINGS.items():
        data, run = root / name / "data", root / name / "run"
        subprocess.run([*_cli(), "generate", "--out", str(data), *gen], check=True, env=env,
                       stdout=subprocess.DEVNULL)
        sets = [x for o in overrides for x in ("--set", o)]
        subprocess.run([*_cli(), "run", "--data", str(data), "--out", str(run), "--no-report",
                        *sets], check=True, env=env, stdout=subprocess.DEVNULL)
        out[name] = {f: (hashlib.sha256((run / f).read_bytes()).hexdigest()
                         if (run / f).exists() else None) for f in FILES}
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="record the digests to this JSON file")
    group.add_argument("--check", type=Path, help="compare against digests in this file")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        now = digests(Path(tmp))
    if args.write:
        args.write.write_text(json.dumps(now, indent=2, sort_keys=True) + "\n")
        print(f"wrote {args.write}")
        return 0
    before = json.loads(args.check.read_text())
    changed = [f"{s}/{f}" for s in before for f in before[s]
               if before[s][f] != now.get(s, {}).get(f)]
    for s in now:
        for f in now[s]:
            print(f"{'CHANGED' if f'{s}/{f}' in changed else 'same   '} {s}/{f}")
    print(f"{len(changed)} of {sum(map(len, before.values()))} files differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
