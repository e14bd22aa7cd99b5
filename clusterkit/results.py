"""RunResult: what a run produced, with provenance; saved to and loaded from a run folder.

The run folder (DESIGN §5) is written atomically: everything goes to a temporary folder
beside the target, which is renamed into place at the end, so a failed run leaves nothing
half-written.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.errors import ClusterkitInputError

__all__ = ["RUN_FILES", "RunResult", "atomic_folder", "load_run"]

RUN_FILES = ("segments.csv", "segments.parquet", "segment_summary.csv", "features.parquet",
             "metrics.json", "manifest.json", "report.html")
"""Files of a run folder."""

_FLOAT = "%.6g"


def _json_default(obj):
    if isinstance(obj, np.integer):
        return int(obj)
    if isinstance(obj, np.floating):
        return float(obj)
    if isinstance(obj, np.ndarray):
        return obj.tolist()
    return str(obj)


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
    data : CommunityData or None
        The validated input the run was made from (kept in memory, never written); lets
        :meth:`save` build artefacts that need the raw tables (profile index, report graphs).
        ``None`` for a run read back with :func:`load_run`.
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
    data: object = field(default=None, repr=False)
    identity: object = field(default=None, repr=False)
    attribution: dict = field(default_factory=dict, repr=False)

    def save(self, out, *, report: bool = True, max_points: int = 50_000) -> Path:
        """Write the run folder atomically and return its path.

        An existing folder is replaced only if it is a run folder (holds ``manifest.json``)
        or empty; anything else is refused, so no user folder is ever overwritten.
        """
        with atomic_folder(out, kind="run") as tmp:
            self.segments.to_csv(tmp / "segments.csv", index=False, float_format=_FLOAT)
            self.segments.to_parquet(tmp / "segments.parquet", index=False)
            self.summary.to_csv(tmp / "segment_summary.csv", index=False, float_format=_FLOAT)
            self.features.to_parquet(tmp / "features.parquet")
            if len(self.engagement_by_channel.columns):
                self.engagement_by_channel.to_parquet(tmp / "engagement_by_channel.parquet")
            if len(self.influence.columns):
                self.influence.to_parquet(tmp / "influence.parquet")
            if len(self.segment_engagement):
                self.segment_engagement.to_csv(tmp / "segment_engagement.csv", index=False,
                                               float_format=_FLOAT)
            (tmp / "metrics.json").write_text(
                json.dumps(self.metrics, indent=2, sort_keys=True, default=_json_default))
            (tmp / "manifest.json").write_text(
                json.dumps(self.manifest, indent=2, sort_keys=True, default=_json_default))
            if report:  # with self.data (kept in memory) the report has the community map
                from clusterkit.report import write_run_report

                write_run_report(tmp / "report.html", self, max_points=max_points)
            np.save(tmp / "embedding.npy", self.embedding)
            if self.attribution:
                from clusterkit.attribution import write_attribution

                write_attribution(tmp, self.attribution, header=(
                    "Engagement weights learned by attribution in run "
                    f"{self.manifest.get('config_hash', '')[:12]}; use with "
                    "--set weights_file=<this file>"))
            if self.identity is not None:
                from clusterkit.identity import write_identity_links

                write_identity_links(tmp, self.identity)
            if self.data is not None:  # artefacts that need the raw tables
                from clusterkit.export import write_identifiers
                from clusterkit.profile import write_profile_index

                write_identifiers(tmp, self.data)  # private: exports hash these
                write_profile_index(tmp, self)
        return Path(out)


@contextmanager
def atomic_folder(out, kind: str = "run"):
    """Write a folder atomically: yield a temporary folder beside ``out``, then rename it.

    An existing ``out`` is replaced only if it is empty or holds ``manifest.json`` (a run or
    compare folder); anything else is refused, so no user folder is ever overwritten. On
    any error the temporary folder is removed and ``out`` is left as it was.
    """
    out = Path(out)
    if out.exists() and (
            not out.is_dir() or (any(out.iterdir()) and not (out / "manifest.json").exists())):
        raise ClusterkitInputError(
            f"output {str(out)!r} exists and is not a {kind} folder; choose another --out "
            "or remove it."
        )
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent))
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o777 & ~umask)  # mkdtemp makes it private; an output folder is not
    try:
        yield tmp
        if out.exists():
            old = out.with_name(f".{out.name}.old-{os.getpid()}")
            os.replace(out, old)
            os.replace(tmp, out)
            shutil.rmtree(old, ignore_errors=True)
        else:
            os.replace(tmp, out)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise


def load_run(path) -> RunResult:
    """Read a run folder written by :meth:`RunResult.save`."""
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
