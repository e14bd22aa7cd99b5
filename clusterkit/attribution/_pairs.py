"""Pairs of touch types in a spell: which touches prime which, and the entries of the
modelled pairs (the synergy terms of :class:`~clusterkit.attribution.hazard.HazardModel`).

Private helpers of :mod:`clusterkit.attribution._hazard_terms`. At 1,000,000 members a
spell's primed rows number ~38 M, so the functions below work ``PAIR_SPAN_ROWS`` entries at
a time where a temporary over all of them (300 MB per int64 column) would set the step's
peak; the results are the same as in one pass, to the last bit. Where the process may use
two cores or more, spans of ``PAIR_SPAN_ROWS / cores`` run side by side in threads
(:func:`~clusterkit.provenance.side_by_side`): the same temporaries at once, in less time (at
1,000,000 members the primers 5.2 → 3.1 s, the entries 4.3 → 2.0 s).
"""

from __future__ import annotations

import numpy as np

from clusterkit.provenance import side_by_side, usable_cores

__all__ = ["PAIR_SPAN_ROWS", "pair_entries", "pair_support", "primers", "span_jobs"]

PAIR_SPAN_ROWS = 8_000_000
"""Entries read at once by the builders here, and by the terms' events at conversions and
pair sums (:class:`~clusterkit.attribution._hazard_terms.Terms`); the rest wait their span."""


def span_jobs(n_rows: int, span: int) -> int:
    """Threads for ``n_rows`` read ``span`` rows at a time: one when a single span holds
    them (small data, or a bootstrap replicate that already runs in a thread of its own),
    else the cores this process may use."""
    return usable_cores() if n_rows > span else 1


def primers(arrays):
    """Every (earlier touch type ``a``, touch row of ``b != a``) with ``a`` first touched
    before the row in the same spell, in the order of ``a``'s offset in the spell's touch
    set, then of the row (one piece per offset and span of rows)."""
    jp, t, _, _ = arrays.pairs
    first_age = np.zeros(len(jp))  # the first touch of (spell, touch): its largest age
    k = arrays.n_touches
    pair = np.searchsorted(jp * k + t, arrays.journey * k + arrays.codes)
    np.maximum.at(first_age, pair, arrays.age_days)
    size = np.diff(arrays.set_start)[arrays.journey]
    # int32 touch codes, and int32 rows below 2**31 rows: at 1,000,000 members there are
    # ~38 M (primer, row) entries, 600 MB as int64
    itype = np.int32 if len(arrays.codes) < 2**31 else np.int64

    n = len(arrays.codes)
    jobs = span_jobs(n, PAIR_SPAN_ROWS)
    span = max(PAIR_SPAN_ROWS // jobs, 1)

    def piece(m, lo):  # the m-th touch of each spell's touch set primes rows lo, lo + span…
        rows = lo + np.flatnonzero(size[lo:lo + span] > m)
        q = arrays.set_start[arrays.journey[rows]] + m
        ok = (t[q] != arrays.codes[rows]) & (first_age[q] > arrays.age_days[rows])
        return t[q][ok].astype(np.int32, copy=False), rows[ok].astype(itype)

    found = side_by_side(piece, [(m, lo) for m in range(int(size.max(initial=0)) - 1)
                                 for lo in range(0, n, span)], jobs)
    if not found:
        return np.zeros(0, dtype=np.int32), np.zeros(0, dtype=itype)
    return tuple(np.concatenate(col) for col in zip(*found, strict=True))


def pair_support(arrays, kind, a, row, min_spells, span=PAIR_SPAN_ROWS):
    """Ordered pairs (kind, a, b) where b follows a in at least ``min_spells`` spells, as
    sorted ids ``(kind * K + a) * K + b``."""
    k = arrays.n_touches
    key = np.empty(len(row), np.int64)  # (spell, pair), filled span by span (see pair_entries)
    for lo in range(0, len(row), span):
        jr, pid = _pair_ids(arrays, kind, a, row, slice(lo, lo + span))
        key[lo:lo + span] = jr * (2 * k * k) + pid
    key.sort()  # np.unique without its copy: one count per spell
    uniq = key[np.r_[True, key[1:] != key[:-1]]] if len(key) else key
    del key
    ids, n = np.unique(uniq % (2 * k * k), return_counts=True)
    return ids[n >= min_spells]


def pair_entries(arrays, kind, pairs_kept, a, row, span=PAIR_SPAN_ROWS):
    """The primed rows ``(a, row)`` whose ordered pair is among ``pairs_kept`` (sorted
    ids, :func:`pair_support`): ``(index of the pair in pairs_kept, spell, touch a, touch b,
    age)`` of each, in the order of ``row``.

    Built ``span`` entries at a time, in two passes (which entries are kept, then their
    values), so that no temporary spans every primed row: at 1,000,000 members there are
    ~38 M of them, and one int64 temporary over them is 300 MB.
    """
    last = len(pairs_kept) - 1
    jobs = span_jobs(len(row), span)  # spans of span / jobs side by side: the same memory
    span = max(span // jobs, 1)
    spans = [(slice(lo, lo + span),) for lo in range(0, len(row), span)]

    def kept(sl):
        pid = _pair_ids(arrays, kind, a, row, sl)[1]
        at = np.searchsorted(pairs_kept, pid)
        return (at < len(pairs_kept)) & (pairs_kept[np.minimum(at, last)] == pid), at

    counts = side_by_side(lambda sl: int(kept(sl)[0].sum()), spans, jobs)
    out = tuple(np.empty(sum(counts), dt) for dt in (
        np.int32, arrays.journey.dtype, a.dtype, arrays.codes.dtype, arrays.age_days.dtype))

    def fill(sl, lo, m):  # each span into its own slice of the output
        ok, at = kept(sl)
        r, put = row[sl][ok], slice(lo, lo + m)
        out[0][put], out[1][put], out[2][put] = at[ok], arrays.journey[r], a[sl][ok]
        out[3][put], out[4][put] = arrays.codes[r], arrays.age_days[r]

    starts = np.cumsum([0, *counts[:-1]]).tolist()
    side_by_side(fill, [(*sl, lo, m) for sl, lo, m in zip(spans, starts, counts, strict=True)],
                 jobs)
    return out


def _pair_ids(arrays, kind, a, row, sl):
    """``(spell, pair id (kind * K + a) * K + b)`` of the primed rows ``row[sl]``."""
    r = row[sl]
    jr = arrays.journey[r]
    return jr, (kind[jr] * arrays.n_touches + a[sl]) * arrays.n_touches + arrays.codes[r]
