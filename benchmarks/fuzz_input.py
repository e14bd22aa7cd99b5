"""Bad-input fuzz census (issue 15): outcome class x family over generated cases.

Runs the cases of ``tests/test_fuzz_input.py`` (data families from ``tests/fuzz_cases.py``,
plus ``--set`` and YAML config values) through ``clusterkit run`` in-process, never stopping
at a failure, and prints a markdown table of outcome x family for ``benchmarks/RESULTS.md``.

    CLUSTERKIT_HOME=/tmp/ckh .venv/bin/python benchmarks/fuzz_input.py \\
        --data-cases 1000 --config-cases 200 --seed 15 --budget-s 1500 --log /tmp/fuzz.jsonl

``--budget-s`` stops generating new cases once the wall time is spent (the table says how
many ran). Each case: outcome ``accepted`` / ``refused`` / ``crash`` / ``members_lost`` /
``messy_error`` / ``partial_output``; ``valid_refused`` and ``garbage_accepted`` count
accepted/refused cases whose family expected the other class.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fuzz_cases import CONFIG, any_case, run_case  # noqa: E402
from hypothesis import HealthCheck, Phase, given, seed, settings  # noqa: E402
from test_fuzz_input import config_outcome, set_args, write_conf_data, yaml_text  # noqa: E402

COLS = ["accepted", "refused", "crash", "members_lost", "messy_error", "partial_output",
        "valid_refused", "garbage_accepted"]


def _settings(n: int):
    return settings(max_examples=max(n, 1), deadline=None, database=None, phases=[Phase.generate],
                    suppress_health_check=list(HealthCheck))


def census(n_data: int, n_config: int, seed_: int, budget_s: float, log) -> list[dict]:
    records: list[dict] = []
    t_end = time.perf_counter() + budget_s

    def record(family, expect, outcome, verdict, tail, detail):
        rec = dict(family=family, expect=expect, outcome=outcome, verdict=verdict,
                   tail=tail, detail=detail)
        records.append(rec)
        if log:
            log.write(json.dumps(rec, default=str, ensure_ascii=False) + "\n")
            log.flush()

    @seed(seed_)
    @_settings(n_data)
    @given(case=any_case())
    def data(case):
        if time.perf_counter() > t_end:
            return
        try:
            outcome, verdict, tail = run_case(case)
        except Exception as exc:  # noqa: BLE001 - the harness itself failed: still counted
            outcome, verdict, tail = "crash", "crash", f"harness: {exc!r}"
        detail = {"formats": case.formats, "mutate": case.mutate, "tables": case.tables}
        record(case.family, case.expect, outcome, verdict, tail,
               detail if verdict != "ok" else None)

    with tempfile.TemporaryDirectory() as tmp:
        conf = write_conf_data(Path(tmp) / "data")

        @seed(seed_)
        @_settings(n_config // 2)
        @given(args=set_args())
        def sets(args):
            if time.perf_counter() > t_end:
                return
            outcome, tail = config_outcome(conf, args, CONFIG)
            ok = outcome in ("accepted", "refused")
            record("config_set", "either", outcome, "ok" if ok else outcome,
                   tail.strip().splitlines()[-1][:300] if tail.strip() else "",
                   None if ok else args)

        @seed(seed_)
        @_settings(n_config - n_config // 2)
        @given(text=yaml_text())
        def yamls(text):
            if time.perf_counter() > t_end:
                return
            path = Path(tmp) / "cfg.yaml"
            path.write_text(text, encoding="utf-8")
            outcome, tail = config_outcome(conf, [], str(path))
            ok = outcome in ("accepted", "refused")
            record("config_yaml", "either", outcome, "ok" if ok else outcome,
                   tail.strip().splitlines()[-1][:300] if tail.strip() else "",
                   None if ok else text)

        if n_config // 2:
            sets()
        if n_config - n_config // 2:
            yamls()
    if n_data:
        data()
    return records


def table(records: list[dict]) -> str:
    counts: dict = collections.defaultdict(collections.Counter)
    for r in records:
        counts[r["family"]][r["outcome"]] += 1
        if r["verdict"] in ("valid_refused", "garbage_accepted"):
            counts[r["family"]][r["verdict"]] += 1
    lines = ["| family | expected | cases | " + " | ".join(COLS) + " |",
             "|---|---|---:|" + "---:|" * len(COLS)]
    expect = {r["family"]: r["expect"] for r in records}
    total: collections.Counter = collections.Counter()
    for fam in sorted(counts):
        c = counts[fam]
        n = sum(c[k] for k in COLS[:6])
        total.update(c)
        total["cases"] += n
        lines.append(f"| {fam} | {expect[fam]} | {n} | " + " | ".join(str(c[k]) for k in COLS)
                     + " |")
    lines.append(f"| **all** | | **{total['cases']}** | "
                 + " | ".join(f"**{total[k]}**" for k in COLS) + " |")
    return "\n".join(lines)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data-cases", type=int, default=1000)
    ap.add_argument("--config-cases", type=int, default=200)
    ap.add_argument("--seed", type=int, default=15)
    ap.add_argument("--budget-s", type=float, default=1500.0)
    ap.add_argument("--log", type=Path, default=None, help="one JSON line per case")
    a = ap.parse_args()
    t0 = time.perf_counter()
    with (a.log.open("w", encoding="utf-8") if a.log else open("/dev/null", "w")) as log:
        records = census(a.data_cases, a.config_cases, a.seed, a.budget_s, log)
    print(f"{len(records)} cases in {time.perf_counter() - t0:.0f} s (seed {a.seed})\n")
    print(table(records))
    bad = collections.Counter((r["family"], r["verdict"], r["tail"][:160])
                              for r in records if r["verdict"] != "ok")
    if bad:
        print("\nnot ok (family, class, last line of stderr): count")
        for (fam, verdict, tail), n in bad.most_common():
            print(f"- {fam} / {verdict}: {tail} ({n})")


if __name__ == "__main__":
    main()
