"""SIGKILL a ``clusterkit run`` at chosen moments, rerun it, compare with an uninterrupted run.

Used by ``tests/test_sigkill.py`` (a small, fast version marked ``slow``) and by
``benchmarks/sigkill.py`` (20 seeded kills of a 5,000-member run, the table of
``benchmarks/RESULTS.md``). Issue 15: a kill at any moment leaves no folder at ``--out``
(or, killed after the final rename, the complete run folder), the next run removes the
temporary folder a killed save left beside it, and the rerun is identical to an
uninterrupted run.

What "identical" means (:func:`compare_runs`):

- every file of the run folder is byte-identical, except the three below;
- ``manifest.json`` is equal as JSON after dropping :data:`VOLATILE_MANIFEST_KEYS`
  (``created_at``: the wall-clock date; ``timings_s`` and ``peak_memory_mb``: measured
  seconds and MiB, which differ between any two runs);
- ``report.html`` is equal after the same three fields are blanked where the report embeds
  them (the date in its summary line and the manifest it shows);
- ``profile.duckdb`` is compared table by table, row by row (every table, every value): a
  DuckDB file's bytes are not a function of its content (block layout and headers differ
  between two writes of the same rows), so its bytes are not compared.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

VOLATILE_MANIFEST_KEYS = ("created_at", "timings_s", "peak_memory_mb")
"""Manifest keys that hold the date, measured times and memory: dropped before comparing."""

SPECIAL_FILES = ("manifest.json", "report.html", "profile.duckdb")
"""Files not compared byte for byte (see the module docstring)."""

_ISO = re.compile(rb"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.\d+)?\+00:00")
_MEASURED = re.compile(rb"(&quot;|\")(timings_s|peak_memory_mb)\1: \{[^}]*\}")


def clusterkit_cmd() -> list[str]:
    """The ``clusterkit`` command of this interpreter."""
    return [sys.executable, "-m", "clusterkit.cli"]


def run_args(data: Path, out: Path, sets=()) -> list[str]:
    """Arguments of the ``clusterkit run`` under test."""
    args = clusterkit_cmd() + ["run", "--data", str(data), "--out", str(out)]
    for s in sets:
        args += ["--set", s]
    return args


CODE: dict = {"path": None}
"""``{"path": folder}``: run the clusterkit found in that folder (a frozen copy of the code,
so that edits made to the working tree during a long benchmark cannot change the outputs)."""


def run_env(home: Path) -> dict:
    """The environment of the runs: a private run registry under ``home`` (and the frozen
    code of :data:`CODE`, when set, first on ``PYTHONPATH``). Runs start in the folder of
    ``--out``, never in the repository (``python -m`` puts the current folder first on
    ``sys.path``)."""
    env = {**os.environ, "CLUSTERKIT_HOME": str(home), "PYTHONUNBUFFERED": "1"}
    if CODE["path"]:
        env["PYTHONPATH"] = os.pathsep.join(
            [str(CODE["path"])] + [p for p in [os.environ.get("PYTHONPATH")] if p])
    return env


def leftovers(out: Path) -> list[str]:
    """Hidden temporary or replaced folders (``.<out>.*``) beside ``out``."""
    if not out.parent.is_dir():
        return []
    return sorted(p.name for p in out.parent.iterdir() if p.name.startswith(f".{out.name}."))


def timed_run(data: Path, out: Path, home: Path, sets=(), poll_s: float = 0.05) -> dict:
    """Run to completion, noting when the save began (the temporary folder appeared).

    Returns
    -------
    dict
        ``rc``, ``wall_s``, ``save_start_s`` (None if never seen), ``stderr`` tail.
    """
    t0 = time.perf_counter()
    proc = subprocess.Popen(run_args(data, out, sets), env=run_env(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True, cwd=out.parent)
    save_start = None
    while proc.poll() is None:
        if save_start is None and any(n.endswith(".tmp") for n in leftovers(out)):
            save_start = time.perf_counter() - t0
        time.sleep(poll_s)
    err = proc.stderr.read().decode("utf-8", "replace")
    return {"rc": proc.returncode, "wall_s": time.perf_counter() - t0,
            "save_start_s": save_start, "stderr": err[-2000:]}


@dataclass
class KillRecord:
    """What one kill and its rerun showed."""

    at_s: float
    save_from_s: float | None = None
    phase: str = ""
    out_after_kill: str = ""
    temp_after_kill: list = field(default_factory=list)
    temp_modes: list = field(default_factory=list)
    rerun_rc: int | None = None
    rerun_s: float = 0.0
    temp_after_rerun: list = field(default_factory=list)
    differences: list = field(default_factory=list)
    ok: bool = False


def kill_at(data: Path, out: Path, home: Path, at_s: float, sets=(),
            in_save: bool = False) -> KillRecord:
    """Start a run, SIGKILL its process group ``at_s`` seconds in, and record the state.

    With ``in_save``, ``at_s`` counts from the moment the final save began (its temporary
    folder appeared beside ``out``), so the kill lands in the save on a machine of any
    speed. ``out`` is removed first (the previous rerun's folder), so what a kill leaves is
    seen; temporary folders beside it are not touched (the next run must remove them).
    """
    rec = KillRecord(at_s=round(at_s, 2))
    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    proc = subprocess.Popen(run_args(data, out, sets), env=run_env(home),
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True, cwd=out.parent)
    if in_save:
        while proc.poll() is None and not any(n.endswith(".tmp") for n in leftovers(out)):
            time.sleep(0.005)
        rec.save_from_s = round(time.perf_counter() - t0, 2)
    t_end = time.perf_counter() + at_s
    while proc.poll() is None and time.perf_counter() < t_end:
        time.sleep(min(0.005, max(t_end - time.perf_counter(), 0)))
    rec.at_s = round(time.perf_counter() - t0, 2)
    if proc.poll() is None:
        tmp_seen = any(n.endswith(".tmp") for n in leftovers(out))
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
        rec.phase = "save" if tmp_seen else "pipeline"
    else:
        rec.phase = "finished"
    if (out / "manifest.json").is_file():
        rec.out_after_kill = "complete"  # killed after the final rename
        if rec.phase == "save":
            rec.phase = "after rename"
    else:
        rec.out_after_kill = "present" if out.exists() else "absent"
    rec.temp_after_kill = leftovers(out)
    rec.temp_modes = [oct((out.parent / n).stat().st_mode & 0o777) for n in rec.temp_after_kill]
    return rec


def rerun(rec: KillRecord, data: Path, out: Path, home: Path, reference: Path,
          sets=()) -> KillRecord:
    """Rerun uninterrupted after a kill and compare with ``reference``; fills ``rec``."""
    t0 = time.perf_counter()
    proc = subprocess.run(run_args(data, out, sets), env=run_env(home), cwd=out.parent,
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    rec.rerun_s = round(time.perf_counter() - t0, 1)
    rec.rerun_rc = proc.returncode
    rec.temp_after_rerun = leftovers(out)
    if proc.returncode != 0:
        rec.differences = [proc.stderr.decode("utf-8", "replace").strip()[-300:]]
    else:
        rec.differences = compare_runs(reference, out)
        if rec.differences:  # keep the evidence
            keep = out.with_name(f"differs-{rec.at_s}")
            shutil.rmtree(keep, ignore_errors=True)
            shutil.copytree(out, keep)
    rec.ok = (rec.rerun_rc == 0 and not rec.temp_after_rerun and not rec.differences
              and rec.out_after_kill in ("absent", "complete")
              and all(m == "0o700" for m in rec.temp_modes))
    return rec


def _manifest(path: Path) -> dict:
    m = json.loads(path.read_text())
    return {k: v for k, v in m.items() if k not in VOLATILE_MANIFEST_KEYS}


def _report(path: Path) -> bytes:
    text = path.read_bytes()
    return _MEASURED.sub(rb"\1\2\1: {}", _ISO.sub(b"DATE", text))


def _duckdb_tables(path: Path) -> dict:
    import duckdb

    con = duckdb.connect(str(path), read_only=True)
    try:
        names = con.execute("SELECT schema_name, table_name FROM duckdb_tables() "
                            "ORDER BY 1, 2").fetchall()
        return {f"{s}.{t}": con.execute(f'SELECT * FROM "{s}"."{t}"').fetchall()
                for s, t in names}
    finally:
        con.close()


def compare_runs(reference: Path, other: Path) -> list[str]:
    """Names of the files that differ between two run folders (empty: identical).

    See the module docstring for the three files compared by content.
    """
    ref = {p.name for p in reference.iterdir()}
    got = {p.name for p in other.iterdir()}
    diffs = [f"missing {n}" for n in sorted(ref - got)] + [f"extra {n}" for n in
                                                           sorted(got - ref)]
    for name in sorted(ref & got):
        a, b = reference / name, other / name
        if name == "manifest.json":
            same = _manifest(a) == _manifest(b)
        elif name == "report.html":
            ra, rb = _report(a), _report(b)
            same = ra == rb
            if not same:
                k = next((i for i, (x, y) in enumerate(zip(ra, rb, strict=False)) if x != y),
                         min(len(ra), len(rb)))
                name += f" (at byte {k}: {ra[max(k - 60, 0):k + 40]!r} vs " \
                        f"{rb[max(k - 60, 0):k + 40]!r})"
        elif name == "profile.duckdb":
            same = _duckdb_tables(a) == _duckdb_tables(b)
        else:
            same = a.read_bytes() == b.read_bytes()
        if not same:
            diffs.append(name)
    return diffs
