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

__all__ = ["RUN_FILES", "RunResult", "load_run"]

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


def load_run(path) -> RunResult:
    """Read a run folder written by :func:`clusterkit.save_run` or :meth:`RunResult.save`."""
    path = Path(path)
    if not (path / "manifest.json").is_file():
        raise ClusterkitInputError(f"{str(path)!r} is not a run folder (no manifest.json).")
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
