"""The influence components, one function each (combined in :mod:`.influence`).

Every function takes the run's data (and, where it needs them, the raw feature table or the
engagement weights) and returns one value per member, aligned to ``data.member_ids``.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import scipy.sparse as sp

from clusterkit.data.timestamps import days_before_latest
from clusterkit.graph import interaction_matrix, pagerank
from clusterkit.graph.pagerank import entry_blocks
from clusterkit.weights import EngagementWeights

__all__ = [
    "SKETCH_STEP",
    "authority",
    "credibility_signals",
    "declared_attributes",
    "percentile_rank",
    "resonance",
    "sketch_base",
    "sketch_estimate",
    "sketch_key",
    "sketch_total",
    "sketch_uniforms",
    "two_hop_reach",
]


def percentile_rank(x: np.ndarray) -> np.ndarray:
    """Percentile rank in (0, 1] of positive values; zero or less stays 0 (no evidence).

    Examples
    --------
    >>> percentile_rank(np.array([0.0, 5.0, 1.0, 5.0])).tolist()
    [0.0, 0.8333333333333334, 0.3333333333333333, 0.8333333333333334]
    """
    x = np.asarray(x, dtype=np.float64)
    out = np.zeros(len(x))
    pos = x > 0
    if pos.any():
        out[pos] = pd.Series(x[pos]).rank(method="average", pct=True).to_numpy()
    return out


COLUMN_MIN_SPAN = 1 << 22
"""Entries of the sparse matrix gathered at once by :func:`_column_min` (32 MB of floats);
bounds its memory per thread whatever the graph's size."""

COLUMN_MIN_THREADS = 4
"""Threads of :func:`_column_min` at most (fewer where fewer cores are usable)."""


def _column_min(csc: sp.csc_array, values: np.ndarray) -> np.ndarray:
    """Per column, the minimum of ``values`` over the column's row indices (inf if empty).

    ``values`` has one row per row of ``csc`` and any number of columns (hashes); each
    column of ``values`` is reduced on its own, over blocks of whole columns of about
    :data:`COLUMN_MIN_SPAN` entries (a gather and one ``minimum.reduceat`` per block), so
    the largest intermediate is a block's floats, not ``nnz x columns``. The blocks run on
    up to :data:`COLUMN_MIN_THREADS` threads (NumPy lets go of the GIL in both calls), each
    writing its own part of the output. A minimum does not depend on the order it is taken
    in: the result is exact, the same for any span and thread count.
    """
    from concurrent.futures import ThreadPoolExecutor

    from clusterkit.provenance import usable_cores

    flat = values.reshape(len(values), -1)
    out = np.full((flat.shape[1], csc.shape[1]), np.inf, dtype=values.dtype)
    if csc.nnz:
        columns = np.ascontiguousarray(flat.T)
        ptr = csc.indptr
        blocks = entry_blocks(ptr, COLUMN_MIN_SPAN)

        def block(task):  # one hash, one block of columns [lo, hi)
            c, (lo, hi) = task
            part = ptr[lo: hi + 1]
            full = np.flatnonzero(part[1:] > part[:-1])
            if len(full):
                gathered = np.take(columns[c], csc.indices[part[0]: part[-1]])
                out[c, lo + full] = np.minimum.reduceat(gathered, part[full] - part[0])

        tasks = [(c, b) for c in range(len(columns)) for b in blocks]
        threads = max(1, min(COLUMN_MIN_THREADS, usable_cores(), len(tasks)))
        with ThreadPoolExecutor(threads) as pool:  # one pass per hash, never per member
            for _ in pool.map(block, tasks):
                pass
    return np.ascontiguousarray(out.T).reshape((csc.shape[1],) + values.shape[1:])


SKETCH_STEP = np.uint64(0x9E3779B97F4A7C15)
"""The golden-ratio increment of SplitMix64 between one hash of an id and the next."""


def sketch_key(random_state: int | None) -> str:
    """The 16-character key of :func:`sketch_base` that a seed gives (a fresh one for
    None)."""
    seed = int(np.random.default_rng(random_state).integers(0, 2**63))
    return f"{seed:016x}"


def sketch_base(ids, key: str) -> np.ndarray:
    """Each id's text hashed once: SipHash-2-4 keyed by ``key`` (pandas' ``hash_array``),
    one ``uint64`` per id, the seed of its :func:`sketch_uniforms`."""
    return pd.util.hash_array(np.asarray(ids, dtype=object), hash_key=key,
                              categorize=False).astype(np.uint64, copy=False)


def sketch_uniforms(base: np.ndarray, start: int, k: int) -> np.ndarray:
    """Uniform values in (0, 1), ``k`` per id: hashes ``start .. start + k - 1``.

    ``base`` is :func:`sketch_base`'s. Each value is a function of the id, the key and the
    hash's number only: the same on one machine and on every Spark partition, whatever the
    other ids, their order or how they are split. Hash ``j`` is SplitMix64's output for
    the base plus ``j + 1`` golden steps, its top 53 bits as a double.

    Examples
    --------
    >>> a = sketch_uniforms(sketch_base(["x", "y"], sketch_key(0)), 0, 3)
    >>> b = sketch_uniforms(sketch_base(["y"], sketch_key(0)), 1, 2)
    >>> bool((a[1, 1:] == b[0]).all()) and a.shape == (2, 3)
    True
    """
    j = np.arange(int(start) + 1, int(start) + int(k) + 1, dtype=np.uint64)
    x = np.empty((len(base), len(j)), dtype=np.uint64)
    with np.errstate(over="ignore"):  # uint64 arithmetic wraps, as SplitMix64 means it to
        np.add(base[:, None], j[None, :] * SKETCH_STEP, out=x)  # in place: 3 passes fewer
        x ^= x >> np.uint64(30)
        x *= np.uint64(0xBF58476D1CE4E5B9)
        x ^= x >> np.uint64(27)
        x *= np.uint64(0x94D049BB133111EB)
        x ^= x >> np.uint64(31)
    x >>= np.uint64(11)
    out = x.astype(np.float64)
    out += 0.5
    out *= 2.0 ** -53
    return out


def sketch_total(both: np.ndarray) -> np.ndarray:
    """Per row, the sum of one chunk's finite two-hop minima (an empty sketch adds 0)."""
    return np.where(np.isfinite(both), both, 0.0).sum(axis=1)


def sketch_estimate(total: np.ndarray, has: np.ndarray, n_hashes: int) -> np.ndarray:
    """Cohen's estimate ``(k - 1) / total - 1``, at least 1, where ``has`` (followers);
    0 elsewhere."""
    est = np.zeros(len(total))
    est[has] = np.maximum((n_hashes - 1) / np.maximum(total[has], 1e-12) - 1.0, 1.0)
    return est


def two_hop_reach(data, n_hashes: int = 64, random_state: int | None = 0,
                  chunk: int = 16) -> np.ndarray:
    """Estimated number of distinct accounts within two follow hops of each member.

    Each member gets ``n_hashes`` independent uniform values (:func:`sketch_uniforms`: a
    function of its id and the seed, so a member's estimate does not move when members it
    never reaches are added, and Spark computes the same values partition by partition);
    the minimum over a member's followers and followers-of-followers is propagated with two
    sparse column-minimum passes, and the count is estimated as ``(k - 1) / sum(minima) -
    1`` (the minimum of ``n`` uniforms has mean ``1 / (n + 1)``; Cohen 1997), about
    1/sqrt(k-2) relative error (12.7 % for k = 64). Members without followers get 0.

    Parameters
    ----------
    data : CommunityData
    n_hashes : int, default=64
    random_state : int or None, default=0
    chunk : int, default=16
        Hashes drawn at once (``members x chunk`` floats; the column minima then take one
        hash at a time, ``follows`` floats).

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> f = pd.DataFrame({"follower_id": ["b", "c", "d", "e"], "followee_id": ["a", "a", "b", "b"]})
    >>> est = two_hop_reach(CommunityData.from_frames(follows=f), n_hashes=256)
    >>> round(float(est[0]))  # a is followed by b, c and, two hops away, d and e
    4
    """
    n = data.n_members
    a = data.follow_matrix(copy=False).tocsc()  # A[i, j] = 1: i follows j (column: followers)
    if a.nnz == 0:
        return np.zeros(n)
    base = sketch_base(data.member_ids, sketch_key(random_state))  # followers are members
    total = np.zeros(a.shape[1])
    for done in range(0, n_hashes, chunk):
        h = sketch_uniforms(base, done, min(chunk, n_hashes - done))
        m1 = _column_min(a, h)  # min over followers
        m2 = _column_min(a, m1)  # min over followers of followers
        total += sketch_total(np.minimum(m1, m2))
    return sketch_estimate(total, np.diff(a.indptr) > 0, n_hashes)[:n]


def resonance(features: pd.DataFrame) -> np.ndarray:
    """Engagement received per own content item, percentile within follower tiers.

    Tiers are powers of two of graph followers (0, 1, 2-3, 4-7, …), so a small account whose
    few posts draw much engagement scores as high as a large one. Members who received no
    engagement get 0.
    """
    def col(name):
        if name in features.columns:
            return features[name].to_numpy(dtype=np.float64)
        return np.zeros(len(features))

    per_item = col("received_weight") / (1.0 + col("created"))
    tier = np.floor(np.log2(1.0 + col("followers"))).astype(np.int64)
    out = np.zeros(len(features))
    pos = per_item > 0
    if pos.any():
        ranks = pd.Series(per_item[pos]).groupby(tier[pos]).rank(method="average", pct=True)
        out[pos] = ranks.to_numpy()
    return out


def authority(data, damping: float = 0.85, weights: EngagementWeights | None = None
              ) -> np.ndarray:
    """PageRank on the weighted interaction graph (member → member acted on).

    Edge weights are the summed action weights of ``weights`` (DESIGN §2 defaults when
    omitted). Without interactions between members, PageRank on the follow graph (follower
    → followee). Scaled by the number of members, so the mean is about 1; 0 without either.
    """
    m = interaction_matrix(data, weighted=True, weights=weights)
    if m.nnz == 0:
        if data.follows is None or len(data.follows) == 0:
            return np.zeros(data.n_members)
        n = data.n_members  # no interactions: who follows whom is the evidence left
        m = sp.csr_array(data.follow_matrix()[:n, :n], dtype=np.float64)
        if m.nnz == 0:
            return np.zeros(n)
    return pagerank(m, damping=damping) * data.n_members


def credibility_signals(features: pd.DataFrame) -> pd.DataFrame:
    """Credibility signals in [0, 1] and a ``suspicious_followers`` flag.

    ================== =======================================================================
    signal             meaning
    ================== =======================================================================
    ``authenticity``   graph followers / platform-reported followers (1 when none reported)
    ``amplifier_mix``  distinct amplifiers / amplifying events received (many different
                       people, not the same few accounts over and over); 0 if none
    ``conversation``   distinct amplifiers who mentioned, replied or commented / distinct
                       amplifiers (reshares nobody talks about look bought); 0 if none.
                       Shown, not in the mean (the influence score does not read it; the
                       roles do: :mod:`clusterkit.stages.roles.conversation`)
    ``consistency``    active days / tenure days
    ``tenure``         tenure relative to the longest in the data
    ``suspicious_followers`` reported followers at least 5x the graph's and above the 90th
                       percentile of reported counts (bought followers)
    ``credibility``    mean of authenticity, amplifier_mix, consistency and tenure
    ================== =======================================================================
    """
    def col(name, default=0.0):
        if name in features.columns:
            return features[name].to_numpy(dtype=np.float64)
        return np.full(len(features), default)

    followers = col("followers")
    reported = col("reported_followers")
    has_reported = "reported_followers" in features.columns
    authenticity = np.where(reported > 0, np.minimum(followers / np.maximum(reported, 1), 1.0),
                            1.0)
    amp_events = col("amplification") * (1.0 + col("created"))
    amp = col("amplifiers")
    amplifier_mix = np.divide(amp, amp_events, out=np.zeros(len(amp)), where=amp_events > 0)
    conversation = np.divide(col("conversers"), amp, out=np.zeros(len(amp)), where=amp > 0)
    tenure = col("tenure_days")
    consistency = np.divide(col("active_days"), np.maximum(tenure, 1.0))
    tenure_rel = tenure / tenure.max() if tenure.max() > 0 else np.zeros(len(tenure))
    signals = pd.DataFrame({
        "authenticity": authenticity,
        "amplifier_mix": np.clip(amplifier_mix, 0.0, 1.0),
        "consistency": np.clip(consistency, 0.0, 1.0),
        "tenure": tenure_rel,
        "conversation": np.clip(conversation, 0.0, 1.0),
    }, index=features.index)
    q90 = np.quantile(reported[reported > 0], 0.9) if (reported > 0).any() else np.inf
    signals["suspicious_followers"] = has_reported & (reported >= 5 * np.maximum(
        followers, 1)) & (reported >= q90)
    signals["credibility"] = signals[["authenticity", "amplifier_mix", "consistency",
                                      "tenure"]].mean(axis=1)
    return signals


def declared_attributes(data) -> dict[str, np.ndarray]:
    """``views``, ``platform_followers`` and ``account_age`` from the members table.

    Numeric where the column exists and parses (non-numbers count as missing), zeros
    otherwise; ``account_age`` is days from ``created_at`` to the latest ``created_at``.
    """
    n = data.n_members
    out = {name: np.zeros(n) for name in ("views", "platform_followers", "account_age")}
    members = data.members
    if members is None or not len(members):
        return out
    members = members.reindex(data.member_ids)
    for name, column in (("views", "views"), ("platform_followers", "followers")):
        if column in members.columns:
            values = pd.to_numeric(members[column], errors="coerce").to_numpy(dtype=np.float64)
            out[name] = np.where(np.isfinite(values) & (values > 0), values, 0.0)
    if "created_at" in members.columns:
        age = days_before_latest(members["created_at"])
        out["account_age"] = np.where(np.isfinite(age), age, 0.0)
    return out
