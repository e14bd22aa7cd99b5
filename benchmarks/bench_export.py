"""Audience export (``clusterkit export``): every member of a run, in every format.

Each format is exported in a fresh process (:func:`_util.measure`), so wall time and peak
memory are the export's own. The run folder must hold ``identifiers.parquet`` (written by
``clusterkit.save_run`` given the data, and by ``clusterkit run``); for an older run, build
it first with ``clusterkit.export.write_identifiers(RUN, load_dataset(DATA))``.

Peer: hashing with ``hashlib`` in a Python list comprehension, the usual hand-written way,
timed on the same normalised emails against DuckDB's ``sha256()``.

Run: ``.venv/bin/python benchmarks/bench_export.py RUN [--out DIR]`` (prints a markdown table).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from _util import measure

FORMATS = ("meta", "google", "linkedin", "csv", "parquet", "json")


def export(run: str, fmt: str, out: str) -> dict:
    return measure(f"""
        import warnings
        from clusterkit.export import export_audience
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = export_audience({run!r}, fmt={fmt!r}, out={out!r})
        result = dict(wall_s=time.perf_counter() - t, rows=res.rows)
    """)


def hashing_peer(run: str) -> dict:
    return measure(f"""
        import hashlib
        import duckdb
        con = duckdb.connect()
        emails = con.execute(
            "SELECT lower(trim(email)) AS e FROM read_parquet("
            "'{run}/identifiers.parquet') WHERE email IS NOT NULL").to_arrow_table()
        t = time.perf_counter()
        con.execute("SELECT sha256(e) FROM emails").to_arrow_table()
        t_duckdb = time.perf_counter() - t
        values = emails.column("e").to_pylist()
        t = time.perf_counter()
        _ = [hashlib.sha256(v.encode()).hexdigest() for v in values]
        t_hashlib = time.perf_counter() - t
        result = dict(n=len(values), duckdb_s=t_duckdb, hashlib_s=t_hashlib)
    """)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("run")
    ap.add_argument("--out", default=None)
    args = ap.parse_args()
    out = Path(args.out or tempfile.mkdtemp(prefix="ck-export-"))
    out.mkdir(parents=True, exist_ok=True)
    print("| format | wall s (export) | peak MiB | rows written |\n|---|---|---|---|")
    for fmt in FORMATS:
        r = export(args.run, fmt, str(out / f"all.{fmt}"))
        print(f"| {fmt} | {r['wall_s']:.2f} | {r['peak_mb']:,.0f} | {r['rows']:,} |")
    p = hashing_peer(args.run)
    print(f"\nSHA-256 of {p['n']:,} emails: DuckDB sha256() {p['duckdb_s']:.2f} s, hashlib list "
          f"comprehension {p['hashlib_s']:.2f} s (ratio {p['hashlib_s'] / p['duckdb_s']:.2f}).")


if __name__ == "__main__":
    main()
