"""The run registry: every ``run`` and ``compare`` recorded in a local DuckDB file.

The file is ``$CLUSTERKIT_HOME/runs.duckdb`` (``CLUSTERKIT_HOME`` defaults to
``~/.clusterkit``). One row per run or compare:

==================== ===========================================================
column               content
==================== ===========================================================
id                   12 hex digits (random, not derived from global state)
kind                 ``run`` or ``compare``
created_at           timestamp, UTC (stored without a zone)
name                 the config's ``name``
config_hash          :func:`clusterkit.config.config_hash` (a compare: of its base
                     config)
data_fingerprint     :meth:`clusterkit.data.CommunityData.fingerprint`
seed                 the config's seed
n_members, n_runs    members in the data; runs of a compare (1 for a run)
modularity,          headline metrics (a compare: means over seeds of its best grid
silhouette, nmi,     point on its first rank metric)
n_segments,
n_communities
metrics              JSON: every metric of a run; a compare's points, best points and
                     rank metrics
output_path          absolute path of the run or compare folder
data_path            the ``--data`` folder, when known
wall_s               wall seconds of the command (load, run, save)
clusterkit_version   package version
==================== ===========================================================

Recording never fails the run that is recorded: if the file cannot be written (a read-only
home, a file locked by another process for more than about 2 s, a corrupt file), a one-line
warning goes to stderr and the run goes on. DuckDB is imported only when the registry is used.

Examples
--------
>>> import os, tempfile
>>> os.environ["CLUSTERKIT_HOME"] = tempfile.mkdtemp()
>>> rid = record({"kind": "run", "name": "demo", "config_hash": "abc", "seed": 1})
>>> list_runs()["name"].tolist()
['demo']
>>> del os.environ["CLUSTERKIT_HOME"]
"""

from __future__ import annotations

import json
import os
import sys
import time
import uuid
from datetime import UTC, date, datetime
from pathlib import Path

__all__ = [
    "COLUMNS",
    "clusterkit_home",
    "list_runs",
    "record",
    "record_compare",
    "record_run",
    "registry_path",
]

COLUMNS: dict[str, str] = {
    "id": "VARCHAR PRIMARY KEY",
    "kind": "VARCHAR",
    "created_at": "TIMESTAMP",
    "name": "VARCHAR",
    "config_hash": "VARCHAR",
    "data_fingerprint": "VARCHAR",
    "seed": "BIGINT",
    "n_members": "BIGINT",
    "n_runs": "BIGINT",
    "modularity": "DOUBLE",
    "silhouette": "DOUBLE",
    "nmi": "DOUBLE",
    "n_segments": "BIGINT",
    "n_communities": "BIGINT",
    "metrics": "JSON",
    "output_path": "VARCHAR",
    "data_path": "VARCHAR",
    "wall_s": "DOUBLE",
    "clusterkit_version": "VARCHAR",
}
"""Registry columns and their DuckDB types."""

_LOCK_TRIES = 10
_LOCK_WAIT_S = 0.2


def clusterkit_home() -> Path:
    """``$CLUSTERKIT_HOME``, or ``~/.clusterkit``."""
    env = os.environ.get("CLUSTERKIT_HOME")
    return Path(env).expanduser() if env else Path.home() / ".clusterkit"


def registry_path(path=None) -> Path:
    """The registry file: ``path`` if given, else ``clusterkit_home() / "runs.duckdb"``."""
    return Path(path) if path is not None else clusterkit_home() / "runs.duckdb"


def _version() -> str | None:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("clusterkit")
    except PackageNotFoundError:
        return None


def _connect(path: Path, read_only: bool = False):
    import duckdb

    from clusterkit.data.sql import connect

    for attempt in range(_LOCK_TRIES):
        try:
            return connect(path, read_only=read_only)
        except duckdb.IOException as exc:  # another process holds the lock
            if "lock" not in str(exc).lower() or attempt == _LOCK_TRIES - 1:
                raise
            time.sleep(_LOCK_WAIT_S)
    raise AssertionError("unreachable")  # pragma: no cover


def _ensure_table(con) -> None:
    cols = ", ".join(f"{k} {v}" for k, v in COLUMNS.items())
    con.execute(f"CREATE TABLE IF NOT EXISTS runs ({cols})")
    have = {
        r[0]
        for r in con.execute(
            "SELECT column_name FROM information_schema.columns WHERE table_name = 'runs'"
        ).fetchall()
    }
    for k, v in COLUMNS.items():  # a file from an older version gains new columns
        if k not in have:
            con.execute(f"ALTER TABLE runs ADD COLUMN {k} {v.replace(' PRIMARY KEY', '')}")


def _clean(value):
    """JSON-able and finite (NaN becomes None)."""
    if isinstance(value, float) and value != value:
        return None
    if hasattr(value, "item") and not isinstance(value, (list, dict, str)):
        return _clean(value.item())
    return value


def record(entry: dict, path=None) -> str | None:
    """Add one row to the registry; return its id, or ``None`` (with a warning) on failure.

    Parameters
    ----------
    entry : dict
        Values by :data:`COLUMNS` name; ``id``, ``created_at`` and ``clusterkit_version`` are
        filled in when missing, ``metrics`` may be a dict. Unknown keys are ignored.
    path : str or Path, optional
        Registry file (default :func:`registry_path`).
    """
    target = registry_path(path)
    row = {k: _clean(entry.get(k)) for k in COLUMNS}
    row["id"] = row["id"] or uuid.uuid4().hex[:12]
    row["created_at"] = row["created_at"] or datetime.now(UTC).replace(tzinfo=None, microsecond=0)
    row["clusterkit_version"] = row["clusterkit_version"] or _version()
    if isinstance(row["metrics"], (dict, list)):
        row["metrics"] = (
            json.dumps(
                _finite(row["metrics"]), sort_keys=True, default=_json_default, allow_nan=False
            )
            if row["metrics"]
            else None
        )
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        con = _connect(target)
        try:
            _ensure_table(con)
            con.execute(
                f"INSERT INTO runs ({', '.join(row)}) VALUES ({', '.join('?' for _ in row)})",
                list(row.values()),
            )
        finally:
            con.close()
    except Exception as exc:  # noqa: BLE001 - the registry must never fail the run
        msg = " ".join(str(exc).split())[:300]
        print(
            f"warning: not recorded in the run registry {str(target)!r}: "
            f"{type(exc).__name__}: {msg}",
            file=sys.stderr,
        )
        return None
    return row["id"]


def _json_default(obj):
    if hasattr(obj, "item"):
        v = obj.item()
        return None if isinstance(v, float) and v != v else v
    if hasattr(obj, "tolist"):
        return obj.tolist()
    return str(obj)


def _finite(d: dict) -> dict:
    """Replace NaN / inf floats (nested) by None so the JSON is strict."""
    if isinstance(d, dict):
        return {k: _finite(v) for k, v in d.items()}
    if isinstance(d, list):
        return [_finite(v) for v in d]
    if isinstance(d, float) and (d != d or d in (float("inf"), float("-inf"))):
        return None
    return d


def _data_path(path) -> str | None:
    """A local ``--data`` folder resolved; a URI (``hdfs://...``, a Spark run's) as given."""
    if path is None:
        return None
    return str(path) if "://" in str(path) else str(Path(path).resolve())


def record_run(
    result, output_path, *, wall_s: float | None = None, data_path=None, path=None
) -> str | None:
    """Record a :class:`~clusterkit.results.RunResult` written to ``output_path``."""
    m, man = result.metrics, result.manifest
    return record(
        {
            "kind": "run",
            "name": man.get("name"),
            "config_hash": man.get("config_hash"),
            "data_fingerprint": man.get("data_fingerprint"),
            "seed": man.get("seed"),
            "n_members": man.get("n_members"),
            "n_runs": 1,
            "modularity": m.get("community", {}).get("modularity"),
            "silhouette": m.get("cluster", {}).get("silhouette"),
            "n_segments": len(result.summary),
            "n_communities": m.get("community", {}).get("n_communities"),
            "metrics": _finite(json.loads(json.dumps(m, default=_json_default))),
            "output_path": str(Path(output_path).resolve()),
            "data_path": _data_path(data_path),
            "wall_s": None if wall_s is None else round(float(wall_s), 3),
        },
        path,
    )


def record_compare(
    result, output_path, *, wall_s: float | None = None, data_path=None, path=None
) -> str | None:
    """Record an :class:`~clusterkit.experiment.ExperimentResult` written to ``output_path``.

    Typed headline columns hold the means over seeds of the best grid point on the first
    rank metric; ``metrics`` holds every point's means and the best point per rank metric.
    """
    s, man = result.summary, result.manifest
    rank = list(result.ranking.metrics.items())
    best = {}
    for metric, direction in rank:
        try:
            row = result.best(metric, higher=direction == "higher")
        except (KeyError, ValueError):
            continue
        best[metric] = {
            "point": int(row["point"]),
            "label": str(row["label"]),
            "mean": float(row[f"{metric}_mean"]),
        }
    head = s[s["point"] == next(iter(best.values()))["point"]].iloc[0] if best else None

    def pick(col):
        if head is None or f"{col}_mean" not in s.columns:
            return None
        return float(head[f"{col}_mean"])

    keep = [
        c
        for c in s.columns
        if c.endswith("_mean") or c in ("point", "label", "community_seed_ari", "cluster_seed_ari")
    ]
    metrics = {
        "rank_metrics": dict(rank),
        "recommended": (man.get("recommendation") or {}).get("label"),
        "best": best,
        "n_points": int(len(s)),
        "points": _finite(json.loads(s[keep].to_json(orient="records"))),
    }
    n_seg, n_comm = pick("n_segments"), pick("n_communities")
    return record(
        {
            "kind": "compare",
            "name": man.get("name"),
            "config_hash": man.get("base_config_hash"),
            "data_fingerprint": man.get("data_fingerprint"),
            "seed": result.config.base.seed,
            "n_members": man.get("n_members"),
            "n_runs": man.get("n_runs"),
            "modularity": pick("modularity"),
            "silhouette": pick("silhouette"),
            "nmi": pick("nmi"),
            "n_segments": None if n_seg is None else round(n_seg),
            "n_communities": None if n_comm is None else round(n_comm),
            "metrics": metrics,
            "output_path": str(Path(output_path).resolve()),
            "data_path": _data_path(data_path),
            "wall_s": None if wall_s is None else round(float(wall_s), 3),
        },
        path,
    )


def _parse_since(since) -> datetime | None:
    from clusterkit.errors import ClusterkitInputError

    if since is None or isinstance(since, datetime):
        return since
    if isinstance(since, date):
        return datetime(since.year, since.month, since.day)
    try:
        value = datetime.fromisoformat(str(since).strip())
    except ValueError:
        raise ClusterkitInputError(
            f"--since {since!r}: expected a date or time such as "
            "2026-03-01 or 2026-03-01T12:00 (UTC)."
        ) from None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value


def list_runs(
    kind: str | None = None,
    name: str | None = None,
    config_hash: str | None = None,
    since=None,
    limit: int | None = 50,
    path=None,
):
    """Recorded runs, newest first, as a DataFrame (empty when nothing was recorded).

    Parameters
    ----------
    kind : {"run", "compare"}, optional
    name : str, optional
        Case-insensitive substring of the name.
    config_hash : str, optional
        Prefix of the config hash.
    since : str, date or datetime, optional
        Only runs created at or after this time (UTC).
    limit : int or None, default 50
    path : str or Path, optional
        Registry file.

    Raises
    ------
    ClusterkitInputError
        Bad ``kind`` or ``since``, or a registry that cannot be read.
    """
    import pandas as pd

    from clusterkit.errors import ClusterkitInputError

    if kind is not None and kind not in ("run", "compare"):
        raise ClusterkitInputError(f"--kind {kind!r}: use run or compare.")
    since_dt = _parse_since(since)
    target = registry_path(path)
    if not target.exists():
        return pd.DataFrame(columns=list(COLUMNS))
    where, params = [], []
    if kind:
        where.append("kind = ?")
        params.append(kind)
    if name:
        where.append("lower(name) LIKE ?")
        params.append(f"%{name.lower()}%")
    if config_hash:
        where.append("config_hash LIKE ?")
        params.append(f"{config_hash}%")
    if since_dt is not None:
        where.append("created_at >= ?")
        params.append(since_dt)
    sql = "SELECT * FROM runs" + (f" WHERE {' AND '.join(where)}" if where else "")
    sql += " ORDER BY created_at DESC, id"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    try:
        con = _connect(target, read_only=True)
        try:
            df = con.execute(sql, params).df()
        finally:
            con.close()
    except Exception as exc:  # noqa: BLE001 - reported as a one-line input error
        msg = " ".join(str(exc).split())[:300]
        raise ClusterkitInputError(f"cannot read the run registry {str(target)!r}: {msg}") from None
    return df
