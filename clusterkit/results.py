"""RunResult: what a run produced (outputs only, never the raw input), with provenance.

:mod:`clusterkit.run_folder` writes it to a run folder (DESIGN §5); :func:`load_run` reads
one back.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.errors import ClusterkitInputError

__all__ = ["MATCH_JACCARD", "RUN_FILES", "RunResult", "load_run", "match_segments"]

RUN_FILES = ("segments.csv", "segments.parquet", "segment_summary.csv", "features.parquet",
             "metrics.json", "manifest.json", "report.html")
"""Files of a run folder."""


@dataclass(frozen=True, eq=False)
class RunResult:
    """The outputs of :meth:`clusterkit.pipeline.Pipeline.run`.

    Attributes
    ----------
    segments : pandas.DataFrame
        One row per member, sorted by ``member_id``: ``member_id, segment, role, cluster,
        community, engagement_weight, influence, confidence`` (of the role), ``membership``
        (cluster membership probability), ``outlier``, ``explanation``, ``secondary_role``.
    summary : pandas.DataFrame
        One row per segment.
    features : pandas.DataFrame
        Raw member × feature table (index ``member_id``).
    embedding : numpy.ndarray
        2-D coordinates per member for the segment map.
    metrics : dict
        Quality metrics per stage.
    manifest : dict
        Resolved config, config hash, data fingerprint, seed, versions, timings, warnings.
    engagement_by_channel : pandas.DataFrame
        Member × channel engagement weight.
    influence : pandas.DataFrame
        Influence components, their percentiles, credibility signals and the combined
        score per member (see :mod:`clusterkit.stages.scoring.influence`).
    segment_engagement : pandas.DataFrame
        Engagement weight per segment and channel (total, mean, shares, Gini), see
        :func:`clusterkit.segments.segment_channel_engagement`.
    identity : clusterkit.identity.Resolution or None
        Accounts linked into persons, when the config enabled identity resolution; saved
        as ``identity_links.parquet`` (the evidence of every merge) and ``persons.parquet``.
    attribution : dict
        ``journeys``, ``attribution`` (every model side by side) and ``weights`` frames of
        :func:`clusterkit.attribution.attribution_outputs`; empty without conversions. Saved
        as ``journeys.parquet``, ``attribution.csv`` and ``weights.yaml``.
    """

    segments: pd.DataFrame
    summary: pd.DataFrame
    features: pd.DataFrame
    embedding: np.ndarray
    metrics: dict
    manifest: dict
    engagement_by_channel: pd.DataFrame = field(default_factory=pd.DataFrame)
    influence: pd.DataFrame = field(default_factory=pd.DataFrame)
    segment_engagement: pd.DataFrame = field(default_factory=pd.DataFrame)
    identity: object = field(default=None, repr=False)
    attribution: dict = field(default_factory=dict, repr=False)

    def save(self, out, *, data=None, extras=()) -> Path:
        """Write the run folder's core files atomically and return its path.

        See :func:`clusterkit.run_folder.write_run_folder` (``data`` and ``extras`` are
        passed on); :func:`clusterkit.save_run` also writes the report, the profile index
        and the identifiers.
        """
        from clusterkit.run_folder import write_run_folder

        return write_run_folder(self, out, data=data, extras=extras)


MATCH_JACCARD = 0.5
"""Least member overlap (Jaccard) for a segment to inherit a previous run's segment."""


def match_segments(result: RunResult, previous: RunResult) -> RunResult:
    """``result`` with its segments named after the previous run's segments they continue.

    A new segment and a previous one are matched one to one, maximising their members'
    Jaccard overlap (the Hungarian assignment), and a pair counts when the overlap is at
    least :data:`MATCH_JACCARD`: more members shared than not. A matched segment takes the
    previous name and so its ``segment_key`` (the stable segment id); an unmatched segment
    keeps its own name, numbered when that name is taken by a matched one. Members are
    matched by ``member_id``; the matching goes to the manifest (``segment_matching``).

    Examples
    --------
    >>> import pandas as pd
    >>> def res(names):
    ...     seg = pd.DataFrame({"member_id": list("abcdef"), "segment": names})
    ...     return RunResult(seg, pd.DataFrame({"segment": sorted(set(names))}),
    ...                      pd.DataFrame(), None, {}, {})
    >>> old = res(["fans", "fans", "fans", "followers", "followers", "followers"])
    >>> new = res(["quiet fans", "quiet fans", "quiet fans", "fans", "fans", "fans"])
    >>> match_segments(new, old).segments["segment"].tolist()
    ['fans', 'fans', 'fans', 'followers', 'followers', 'followers']
    """
    from dataclasses import replace

    from scipy.optimize import linear_sum_assignment

    from clusterkit.segments import segment_key

    new, old = result.segments, previous.segments
    a = new["segment"].astype(str).to_numpy()
    b = old.set_index(old["member_id"].astype(str))["segment"].astype(str).reindex(
        new["member_id"].astype(str)).to_numpy()
    names_a, ia = np.unique(a, return_inverse=True)
    names_b = np.unique(old["segment"].astype(str))
    both = pd.notna(b)
    ib = np.searchsorted(names_b, b[both].astype(str))
    shared = np.zeros((len(names_a), len(names_b)))
    np.add.at(shared, (ia[both], ib), 1)
    size_a = np.bincount(ia, minlength=len(names_a))[:, None]
    size_b = old["segment"].astype(str).value_counts().reindex(names_b).to_numpy()[None, :]
    jac = shared / np.maximum(size_a + size_b - shared, 1)
    rows, cols = linear_sum_assignment(-jac)
    keep = jac[rows, cols] >= MATCH_JACCARD
    rename = {names_a[r]: names_b[c] for r, c in zip(rows[keep], cols[keep], strict=True)}
    taken = set(rename.values())
    for name in names_a:  # unmatched: its own name, numbered if a matched segment has it
        if name not in rename:
            final, n = name, 1
            while final in taken:
                n += 1
                final = f"{name} {n}"
            rename[name] = final
            taken.add(final)
    log = [{"segment": rename[names_a[r]], "was": names_a[r], "previous": names_b[c],
            "jaccard": round(float(jac[r, c]), 4), "matched": bool(k)}
           for r, c, k in zip(rows, cols, keep, strict=True)]

    def named(df):
        if "segment" not in df.columns:
            return df
        out = df.assign(segment=df["segment"].astype(str).map(rename).fillna(df["segment"]))
        if "segment_key" in out.columns:
            out["segment_key"] = out["segment"].map(segment_key)
        return out

    manifest = dict(result.manifest, segment_matching={
        "previous": {k: previous.manifest.get(k) for k in ("created_at", "config_hash",
                                                            "data_fingerprint")},
        "min_jaccard": MATCH_JACCARD,
        "pairs": log})
    return replace(result, segments=named(new), summary=named(result.summary),
                   segment_engagement=named(result.segment_engagement), manifest=manifest)


def _check_run_folder(path: Path) -> None:
    if not (path / "manifest.json").is_file() or not (path / "segments.parquet").is_file():
        raise ClusterkitInputError(f"{str(path)!r} is not a run folder (no manifest.json or "
                                   "segments.parquet); give a folder written by clusterkit run.")


def load_run(path, *, segments_only: bool = False) -> RunResult:
    """Read a run folder written by :func:`clusterkit.save_run` or :meth:`RunResult.save`.

    ``segments_only``: read only ``member_id`` and ``segment`` of the segments, and the
    manifest (enough for :func:`match_segments`, fast on a large run).
    """
    path = Path(path)
    _check_run_folder(path)
    if segments_only:
        seg = pd.read_parquet(path / "segments.parquet", columns=["member_id", "segment"])
        return RunResult(seg, pd.DataFrame(), pd.DataFrame(), np.zeros((0, 2)), {},
                         json.loads((path / "manifest.json").read_text()))
    emb = path / "embedding.npy"
    by_channel = path / "engagement_by_channel.parquet"
    influence = path / "influence.parquet"
    seg_eng = path / "segment_engagement.csv"
    attribution = _read_attribution(path)
    return RunResult(
        segments=pd.read_parquet(path / "segments.parquet"),
        summary=pd.read_csv(path / "segment_summary.csv"),
        features=pd.read_parquet(path / "features.parquet"),
        embedding=np.load(emb) if emb.exists() else np.zeros((0, 2)),
        metrics=json.loads((path / "metrics.json").read_text()),
        manifest=json.loads((path / "manifest.json").read_text()),
        engagement_by_channel=pd.read_parquet(by_channel) if by_channel.exists()
        else pd.DataFrame(),
        influence=pd.read_parquet(influence) if influence.exists() else pd.DataFrame(),
        segment_engagement=pd.read_csv(seg_eng) if seg_eng.exists() else pd.DataFrame(),
        attribution=attribution,
    )


def _read_attribution(path: Path) -> dict:
    """``journeys.parquet`` and ``attribution.csv`` back into the in-memory form."""
    out: dict = {}
    if (path / "journeys.parquet").exists():
        out["journeys"] = pd.read_parquet(path / "journeys.parquet")
    if (path / "attribution.csv").exists():
        from clusterkit.attribution import TOUCH_SEP

        att = pd.read_csv(path / "attribution.csv", keep_default_na=False,
                          na_values=[""])
        touch = att["channel"].astype(str)
        if "action" in att.columns:
            touch = att["action"].astype(str) + TOUCH_SEP + touch
        rest = [c for c in att.columns if c not in ("model", "action", "channel")]
        att = att[["model"]].assign(touch=touch.to_numpy()).join(att[rest])
        out["attribution"] = att
    return out
