"""Write the run folder of DESIGN §5 from a :class:`~clusterkit.results.RunResult`.

The folder is written atomically (:func:`~clusterkit.provenance.atomic_folder`): everything
goes to a temporary folder beside the target, renamed into place at the end, so a failed
run leaves nothing half-written. The core files come from the result alone; artefacts built
by later layers (the report, the profile index, the identifiers that exports hash) are
passed in as ``extras``, each a callable ``extra(folder, result, data)`` run inside the
same atomic write. :func:`clusterkit.save_run` passes the standard ones.

Examples
--------
>>> import tempfile
>>> from clusterkit.data import CommunityData
>>> from clusterkit.pipeline import Pipeline
>>> from clusterkit.synthetic import generate
>>> result = Pipeline().run(CommunityData.from_frames(**generate(200, seed=1).tables))
>>> folder = write_run_folder(result, tempfile.mkdtemp() + "/run")
>>> sorted(p.name for p in folder.iterdir())[:4]
['attribution.csv', 'embedding.npy', 'engagement_by_channel.parquet', 'features.parquet']
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from clusterkit.provenance import (
    atomic_folder,
    available_memory,
    json_default,
    release_freed_memory,
    resident_bytes,
)

__all__ = ["EXTRAS_MEMORY", "FLOAT_FORMAT", "write_run_folder"]

FLOAT_FORMAT = "%.6g"
"""How floats are written to the run folder's CSV files."""

EXTRAS_MEMORY = 1.0
"""The extras run two at a time only when the memory still available is at least this
multiple of what the process holds; otherwise one after the other (beside the core files
either way). At 1,000,000 members the profile index and the report added 2.15 and 1.88 GB,
and running at the same time they set the run's peak (``benchmarks/RESULTS.md``). One at a
time, the save takes longer by the shorter extra's time."""


def write_run_folder(result, out, *, data=None, extras=(), light=()) -> Path:
    """Write ``result`` to the run folder ``out``, atomically, and return its path.

    Parameters
    ----------
    result : RunResult
    out : str or Path
        An existing folder is replaced only if it is a run folder (holds
        ``manifest.json``) or empty; anything else is refused, so no user folder is ever
        overwritten.
    data : CommunityData, optional
        The input the run was made from, for ``extras`` that need the raw tables.
    extras : iterable of callables
        ``extra(folder, result, data)`` writes further files into the temporary folder.
        They run in a second thread beside the core files, two at a time when the memory
        available allows it (:data:`EXTRAS_MEMORY`). One at a time, the first runs alone
        and the core files are written beside the rest: at 1,000,000 members the first,
        the profile index, is partly DuckDB on two threads, and the core files (mostly
        ``segments.csv``) slowed it by more than they slow the report.
    light : iterable of callables
        Extras small in memory (same signature), written in this thread after the core
        files, beside the extras still running: at 1,000,000 members the identifiers
        (3 s) no longer wait for the report.
    """
    from concurrent.futures import ThreadPoolExecutor

    release_freed_memory()  # what the run freed, before the writers' own peaks
    at_once = _extras_at_once()
    with atomic_folder(out, kind="run") as tmp, ThreadPoolExecutor(at_once) as pool:
        # each extra writes only its own files and reads nothing written here
        pending = [pool.submit(extra, tmp, result, data) for extra in extras]
        try:
            if at_once == 1 and len(pending) > 1:  # the first (longest) has both cores
                pending[0].result()  # to itself; the core files go beside the others
            _write_core(tmp, result)
            for extra in light:
                extra(tmp, result, data)
            for job in pending:  # in order: the first failure is raised, after every job ends
                job.result()
        except BaseException:  # an extra not started yet is not started at all
            pool.shutdown(wait=True, cancel_futures=True)
            raise
    return Path(out)


def _extras_at_once() -> int:
    """2 when the memory available allows two extras at once (:data:`EXTRAS_MEMORY`), else 1
    (also when the memory cannot be read)."""
    free, held = available_memory(), resident_bytes()
    if free is None or held is None:
        return 1
    return 2 if free >= EXTRAS_MEMORY * held else 1


def _write_core(tmp: Path, result) -> None:
    """The files that come from the result alone."""
    result.segments.to_csv(tmp / "segments.csv", index=False, float_format=FLOAT_FORMAT)
    result.segments.to_parquet(tmp / "segments.parquet", index=False)
    result.summary.to_csv(tmp / "segment_summary.csv", index=False,
                          float_format=FLOAT_FORMAT)
    result.features.to_parquet(tmp / "features.parquet")
    if len(result.engagement_by_channel.columns):
        result.engagement_by_channel.to_parquet(tmp / "engagement_by_channel.parquet")
    if len(result.influence.columns):
        result.influence.to_parquet(tmp / "influence.parquet")
    if len(result.segment_engagement):
        result.segment_engagement.to_csv(tmp / "segment_engagement.csv", index=False,
                                         float_format=FLOAT_FORMAT)
    for name, payload in (("metrics.json", result.metrics),
                          ("manifest.json", result.manifest)):
        (tmp / name).write_text(json.dumps(payload, indent=2, sort_keys=True,
                                           default=json_default))
    np.save(tmp / "embedding.npy", result.embedding)
    if result.attribution:
        from clusterkit.attribution import write_attribution

        write_attribution(tmp, result.attribution, header=(
            "Engagement weights learned by attribution in run "
            f"{result.manifest.get('config_hash', '')[:12]}; use with "
            "--set weights_file=<this file>"))
    if result.identity is not None:
        from clusterkit.identity import write_identity_links

        write_identity_links(tmp, result.identity)
