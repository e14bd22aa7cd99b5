"""Audience export: select members of a run by segment and/or role, write one file + sidecar.

Every export writes two files atomically (temporary names in the target folder, renamed at
the end; on any error both are removed and an existing export is left as it was): the export
itself and its provenance sidecar ``<out>.meta.json`` (run folder, config hash, seed, data
fingerprint, versions, filters, format, row counts, hashing rules, the export's SHA-256,
``created_at``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import warnings
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from clusterkit.data.sql import connect
from clusterkit.errors import ClusterkitInputError, DataError
from clusterkit.export.formats import (
    EXTENSIONS,
    FORMATS,
    MEMBER_COLUMNS,
    plan_platform,
    write_copy,
    write_csv_stream,
)
from clusterkit.export.outreach import (
    SORT_KEYS,
    member_sql,
    member_table,
    outreach_columns,
    resolve_names,
    select_sql,
)
from clusterkit.export.pii import PREFIX, mark_contact_ids
from clusterkit.export.rules import PLATFORMS, country_sql, valid_regions
from clusterkit.provenance import versions

__all__ = ["ExportResult", "export_audience"]

KNOWN_ROLES: tuple[str, ...] = ("influencer", "blogger", "fan", "follower")
"""Role names that are always valid filters (DESIGN §3), even when a run has none of a role."""

_VERSIONED = ("clusterkit", "duckdb", "pyarrow", "phonenumbers")


@dataclass(frozen=True)
class ExportResult:
    """What :func:`export_audience` wrote.

    Attributes
    ----------
    path, sidecar : pathlib.Path
        The export and its provenance sidecar.
    format : str
    rows : int
        Rows written (members; for platform formats, members with a usable identifier).
    selected : int
        Members matching the filters.
    without_identifier : int
        Selected members not written because they have no usable identifier (platform formats).
    warnings : tuple of str
    """

    path: Path
    sidecar: Path
    format: str
    rows: int
    selected: int
    without_identifier: int
    warnings: tuple[str, ...]


def _as_list(value) -> list[str]:
    if value is None:
        return []
    return [value] if isinstance(value, str) else [str(v) for v in value]


def _versions() -> dict:
    return versions(_VERSIONED)


def _default_country(con, given: str | None) -> str:
    if given is not None:
        code = given.strip().upper()
        if code not in valid_regions():
            raise ClusterkitInputError(
                f"--default-country {given!r} is not an ISO 3166-1 alpha-2 code (e.g. US, GB).")
        return code
    rows = con.execute(f"SELECT c FROM (SELECT {country_sql('country')} AS c FROM ids WHERE "
                       "member_id IN (SELECT member_id FROM sel)) WHERE c IS NOT NULL GROUP BY c "
                       "ORDER BY count(*) DESC, c LIMIT 1").fetchall()
    return rows[0][0] if rows else "US"


def _make_parents(folder: Path) -> Path | None:
    """Create ``folder`` and its missing parents; the topmost folder created, or None."""
    top = None
    for parent in [folder, *folder.parents]:
        if parent.exists():
            break
        top = parent
    folder.mkdir(parents=True, exist_ok=True)
    return top


def _read_manifest(path: Path) -> dict:
    """The run's manifest.json as a mapping; anything else is a one-line input error."""
    try:
        manifest = json.loads(path.read_bytes().decode("utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise DataError(f"not a readable run manifest ({type(exc).__name__}); re-run the "
                        "pipeline to rewrite the run folder.", file=path) from None
    if not isinstance(manifest, dict):
        raise DataError("not a run manifest (a JSON object is expected); re-run the pipeline "
                        "to rewrite the run folder.", file=path)
    return manifest


def _check_out(out: Path) -> None:
    """Refuse an ``--out`` that is a folder or lies under a file (one line, exit 2)."""
    if out.is_dir():
        raise ClusterkitInputError(f"--out {str(out)!r} is a folder; give a file name.")
    parent = out.absolute().parent
    while not parent.exists() and parent != parent.parent:
        parent = parent.parent
    if not parent.is_dir():
        raise ClusterkitInputError(f"--out {str(out)!r} cannot be created: {str(parent)!r} is "
                                   "a file, not a folder.")


def _default_out(run_dir: Path, label: str, fmt: str) -> Path:
    return Path.cwd() / f"{run_dir.name}-{label}-{fmt}.{EXTENSIONS[fmt]}"


def _sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def export_audience(run_dir, segment=None, role=None, fmt: str = "csv", out=None,
                    include_pii: bool = False, default_country: str | None = None,
                    top: int | None = None, sort: str = "influence") -> ExportResult:
    """Export the members of a run that are in the given segments or have the given roles.

    Parameters
    ----------
    run_dir : path-like
        Run folder written by :func:`clusterkit.save_run` (or ``clusterkit run``).
    segment, role : str or list of str, optional
        Segments (by name or key, any case: ``"Buying Fans"`` and ``"buying-fans"`` are the
        same) and roles (any case); a member is exported if it matches any of them (union).
        With neither, every member is exported.
    fmt : {"csv", "parquet", "json", "meta", "google", "linkedin"}
        ``csv`` / ``parquet`` / ``json`` (an array of records): one row per member with the
        outreach columns of :mod:`clusterkit.export.outreach` (segment and its key, role,
        channels, follower count, influence, engagement; handles, name and raw identifiers
        with ``include_pii``), scores rounded to 4 decimals, counts as integers. ``meta``,
        ``google``, ``linkedin``: the platform's customer-list upload CSV with identifiers
        normalised and SHA-256 hashed by its published rules
        (:mod:`clusterkit.export.rules`, :mod:`clusterkit.export.formats`).
    out : path-like, optional
        Output file; default ``<run name>-<filter>-<fmt>.<ext>`` in the current folder.
    include_pii : bool, default False
        Member tables: add the raw identifiers (email, phone, name …). LinkedIn: write plain
        first and last names. Without it no raw email, phone or name is ever written: a
        ``member_id`` that is itself an email or phone is written as ``sha256:<hex>``, with
        a warning (:mod:`clusterkit.export.pii`).
    default_country : str, optional
        ISO alpha-2 country of phones without a country code; default: the most common
        country among the selected members, else ``"US"``.
    top : int, optional
        Keep only the first ``top`` selected members in the ``sort`` order (every format).
    sort : {"influence", "engagement", "followers", "member_id"}, default "influence"
        Row order of member tables, descending (ties: influence or engagement, then
        ``member_id``); platform files stay in ``member_id`` order.

    Returns
    -------
    ExportResult

    Raises
    ------
    clusterkit.errors.ClusterkitInputError
        Unknown segment, role or format; not a run folder; identifiers needed but missing.

    Examples
    --------
    >>> import json, tempfile, pathlib, pandas as pd
    >>> run = pathlib.Path(tempfile.mkdtemp())
    >>> pd.DataFrame({"member_id": ["a", "b"], "segment": ["fans", "core"],
    ...               "role": ["fan", "influencer"], "engagement_weight": [1.0, 9.0],
    ...               "influence": [0.1, 0.9], "confidence": [0.8, 0.7]}
    ...              ).to_parquet(run / "segments.parquet")
    >>> _ = (run / "manifest.json").write_text(json.dumps({"config_hash": "c0", "seed": 1}))
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "influencers.csv"
    >>> res = export_audience(run, role="influencer", out=out)
    >>> print(res.path.read_text().strip())
    member_id,channels,segment,segment_key,role,followers,reported_followers,influence,engagement_weight,confidence
    b,,core,core,influencer,,,0.9,9.0,0.7
    >>> json.loads(res.sidecar.read_text())["filters"]
    {'all': False, 'roles': ['influencer'], 'segments': []}
    """

    run_dir = Path(run_dir)
    segments_file, manifest_file = run_dir / "segments.parquet", run_dir / "manifest.json"
    if not (manifest_file.is_file() and segments_file.is_file()):
        raise ClusterkitInputError(
            f"{str(run_dir)!r} is not a run folder (needs manifest.json and segments.parquet); "
            "pass the folder written by 'clusterkit run'.")
    if fmt not in FORMATS:
        raise ClusterkitInputError(f"--format {fmt!r}: use one of {', '.join(FORMATS)}.")
    if sort not in SORT_KEYS:
        raise ClusterkitInputError(f"--sort {sort!r}: use one of {', '.join(SORT_KEYS)}.")
    if top is not None and (isinstance(top, bool) or not isinstance(top, int) or top < 1):
        raise ClusterkitInputError(f"--top must be a whole number of 1 or more; got {top!r}.")
    segments, roles = _as_list(segment), _as_list(role)
    manifest = _read_manifest(manifest_file)
    if out is not None:
        _check_out(Path(out))  # before any work

    con = connect()
    con.execute("SET enable_progress_bar = false")
    seg_path = str(segments_file).replace("'", "''")
    have = {r[0] for r in con.execute(f"DESCRIBE SELECT * FROM read_parquet('{seg_path}')"
                                  ).fetchall()}
    cols = ", ".join(c if c in have else f"CAST(NULL AS DOUBLE) AS {c}" for c in MEMBER_COLUMNS)
    con.execute(f"CREATE TEMP TABLE _run AS SELECT {cols} FROM read_parquet('{seg_path}')")
    valid_segments = [r[0] for r in con.execute(
        "SELECT DISTINCT segment FROM _run WHERE segment IS NOT NULL ORDER BY 1").fetchall()]
    present_roles = [r[0] for r in con.execute(
        "SELECT DISTINCT role FROM _run WHERE role IS NOT NULL ORDER BY 1").fetchall()]
    segments = resolve_names("segment", segments, valid_segments, keyed=True)
    roles = resolve_names("role", roles, list(KNOWN_ROLES) + sorted(
        set(present_roles) - set(KNOWN_ROLES)), keyed=False)
    everyone = not segments and not roles

    ids_file = run_dir / "identifiers.parquet"
    needs_ids = fmt in PLATFORMS or include_pii
    if needs_ids and not ids_file.is_file():
        raise DataError(
            "the run folder has no identifiers.parquet, needed for --format "
            f"{fmt}{' with --include-pii' if include_pii else ''}; re-run the pipeline with this "
            "clusterkit version, or build it with clusterkit.export.write_identifiers(run_dir, "
            "load_dataset(data_folder)).", file=ids_file)
    if ids_file.is_file():
        ids_path = str(ids_file).replace("'", "''")
        con.execute("CREATE VIEW ids AS SELECT * EXCLUDE (file_row_number), file_row_number AS "
                    f"_rn FROM read_parquet('{ids_path}', file_row_number = true)")
    member_table(con, run_dir, ids_file.is_file())
    where = "TRUE" if everyone else "list_contains($seg, segment) OR list_contains($role, role)"
    con.execute(select_sql(where, sort, top), {} if everyone else {"seg": segments, "role": roles})
    selected = con.execute("SELECT count(*) FROM sel").fetchall()[0][0]

    label = ("all" if everyone else "+".join(segments + roles)) + (f"-top{top}" if top else "")
    label = "".join(ch if ch.isalnum() or ch in "-_+" else "_" for ch in label)[:80]
    out = Path(out) if out is not None else _default_out(run_dir, label, fmt)
    _check_out(out)
    if out.resolve().parent == run_dir.resolve() and out.exists():
        raise ClusterkitInputError(
            f"--out {str(out)!r} would overwrite a file of the run folder; choose another name.")
    sidecar = out.with_name(out.name + ".meta.json")
    country = _default_country(con, default_country) if fmt in PLATFORMS else None
    made = _make_parents(out.parent)

    notes: list[str] = []
    unusable = 0
    info: dict = {}
    tmp_out = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    tmp_side = sidecar.with_name(f".{sidecar.name}.{os.getpid()}.tmp")
    done = False
    try:
        if fmt in PLATFORMS:
            plan = plan_platform(con, fmt, include_pii, country)
            write_csv_stream(con, plan.sql, plan.headers, tmp_out)
            rows, unusable = plan.rows, plan.unusable
            info = {"default_country": country, "columns": list(plan.headers),
                    "hashing": {"algorithm": "SHA-256, lowercase hex of the UTF-8 normalised "
                                             "value",
                                "rules": [vars(r) | {"column": r.header} for r in plan.rules]}}
            if unusable:
                notes.append(f"{unusable:,} of {selected:,} selected members have no usable "
                             f"identifier for {fmt} and are not in the file (counted in the "
                             "sidecar as rows_without_identifier)")
        else:
            hidden = 0 if include_pii else mark_contact_ids(con, ids_file.is_file())
            write_copy(con, member_sql(include_pii, sort), fmt, tmp_out)
            rows = selected
            info = {"columns": outreach_columns(include_pii), "hashing": None,
                    "pseudonymised_member_ids": hidden}
            if hidden:
                notes.append(f"{hidden:,} member_id(s) are an email address or phone number; "
                             f"written as {PREFIX}<SHA-256 hex of the id> (--include-pii writes "
                             "them as they are)")
        if rows == 0:
            notes.append("the export has no rows")
        meta = {
            "export": out.name, "format": fmt, "include_pii": bool(include_pii),
            "run_folder": str(run_dir.resolve()), "run_name": manifest.get("name"),
            "config_hash": manifest.get("config_hash"), "seed": manifest.get("seed"),
            "data_fingerprint": manifest.get("data_fingerprint"),
            "run_versions": manifest.get("versions"), "versions": _versions(),
            "clusterkit_version": _versions()["clusterkit"],
            "filters": {"segments": segments, "roles": roles, "all": everyone},
            "sort": sort, "top": top,
            "selected_members": int(selected), "rows": int(rows),
            "rows_without_identifier": int(unusable),
            "sha256": _sha256_file(tmp_out), "warnings": notes,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"), **info,
        }
        tmp_side.write_text(json.dumps(meta, indent=2, sort_keys=True, default=str) + "\n")
        os.replace(tmp_out, out)
        os.replace(tmp_side, sidecar)
        done = True
    finally:
        tmp_out.unlink(missing_ok=True)
        tmp_side.unlink(missing_ok=True)
        if not done and made is not None:  # a failed export leaves no new folder behind
            shutil.rmtree(made, ignore_errors=True)
    for note in notes:
        warnings.warn(note, UserWarning, stacklevel=2)
    return ExportResult(path=out, sidecar=sidecar, format=fmt, rows=int(rows),
                        selected=int(selected), without_identifier=int(unusable),
                        warnings=tuple(notes))
