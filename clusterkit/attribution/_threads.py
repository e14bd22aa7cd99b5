"""Independent pieces of one attribution computation, side by side in threads.

Private helper of the default model's fit and credit (:mod:`~clusterkit.attribution.hazard`,
:mod:`~clusterkit.attribution._hazard_terms`, :mod:`~clusterkit.attribution._pairs`). The
pieces are NumPy sorts, searches, gathers and bincounts, which release the GIL for the
sizes where threads pay; results come back in the pieces' order, so the output is the same,
bit for bit, with any number of threads.

Examples
--------
>>> side_by_side(lambda lo, hi: hi - lo, [(0, 3), (3, 10)], jobs=2)
[3, 7]
"""

from __future__ import annotations

from clusterkit.provenance import usable_cores

__all__ = ["side_by_side", "span_jobs"]


def span_jobs(n_rows: int, span: int) -> int:
    """Threads for ``n_rows`` read ``span`` rows at a time: one when a single span holds
    them (small data, or a bootstrap replicate that already runs in a thread of its own),
    else the cores this process may use."""
    return usable_cores() if n_rows > span else 1


def side_by_side(fn, args, jobs: int) -> list:
    """``[fn(*a) for a in args]``, with up to ``jobs`` of them at once in threads."""
    args = list(args)
    if jobs <= 1 or len(args) <= 1:
        return [fn(*a) for a in args]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(min(int(jobs), len(args))) as pool:
        return list(pool.map(lambda a: fn(*a), args))  # in order
