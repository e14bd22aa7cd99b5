"""Reading a dataset folder: CSV, CSV.gz, Parquet or JSONL files named after their tables.

Examples
--------
>>> import tempfile, pathlib
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "follows.csv").write_text("follower_id,followee_id\\na,b\\nb,a\\n")
>>> from clusterkit.data import load_dataset
>>> load_dataset(folder)
CommunityData(members=2, follows=2)
"""

from __future__ import annotations

import json
import os
from dataclasses import replace
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from clusterkit.data.read_errors import hint, json_problem, locate
from clusterkit.data.schema import FILE_SUFFIXES, NA_TOKENS, TABLES
from clusterkit.errors import DataError

__all__ = ["find_tables", "load_dataset", "read_table", "unread_files"]


def find_tables(folder) -> dict[str, Path]:
    """Map each table name to its file in ``folder``.

    Raises
    ------
    DataError
        If the folder does not exist, or a table is present in two formats.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise DataError(
            f"data folder {str(folder)!r} does not exist or is not a folder. Pass the folder "
            "holding events.csv and/or follows.csv (and optionally members, identities)."
        )
    found: dict[str, Path] = {}
    for name in TABLES:
        paths = [folder / f"{name}{s}" for s in FILE_SUFFIXES]
        for p in paths:
            if p.is_dir():
                raise DataError(f"{p.name!r} is a folder, not a file: the {name} table must be "
                                "one file. Move the folder away or replace it by the file.",
                                file=p)
        hits = [p for p in paths if p.is_file()]
        if len(hits) > 1:
            raise DataError(
                f"table {name!r} is given twice ({', '.join(p.name for p in hits)}); keep one."
            )
        if hits:
            found[name] = hits[0]
    return found


GENERATED_FILES = frozenset({"truth.csv", "effects.csv"})
"""Files clusterkit's generators write beside the tables (the planted truth): not tables,
and not worth a warning."""

_TABULAR = (".csv", ".tsv", ".txt", ".gz", ".zip", ".parquet", ".pq", ".jsonl", ".ndjson",
            ".json", ".xlsx", ".xls", ".feather", ".arrow")
"""Suffixes of files that may be a table under another name (lower-case)."""


def unread_files(folder, found: dict) -> list[str]:
    """Warnings naming the files of ``folder`` that are not read as tables.

    A file named after a table but for its case or suffix (``Members.csv``, ``events.CSV``,
    ``events.tsv``, ``members.xlsx``) gets a warning of its own that says the name it needs;
    other files that look like tables (``users.csv``) are named together in one. Hidden
    files, folders, files that are not tabular (``README.md``) and the generators' truth
    (:data:`GENERATED_FILES`) are passed over.

    Parameters
    ----------
    folder : str or Path
        The data folder.
    found : dict
        Table name → file, as :func:`find_tables` gives it.

    Returns
    -------
    list of str

    Examples
    --------
    >>> import tempfile, pathlib
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> for name in ("events.csv", "Members.csv", "events.tsv", "users.csv", "README.md"):
    ...     _ = (folder / name).write_text("x")
    >>> for w in unread_files(folder, find_tables(folder)):
    ...     print(w.replace(str(folder), "d"))
    d/Members.csv is not read: table file names are lower-case (members.csv); rename it.
    d/events.tsv is not read: events.csv is the events table read (a table file is .csv, .csv.gz, .parquet or .jsonl).
    d: 1 file(s) not read, not named after a table (members, events, follows, identities as .csv, .csv.gz, .parquet or .jsonl): users.csv. Rename them, or move them out of the data folder.
    """  # noqa: E501 - the doctest output is one line each
    return [note for _, note in _unread(Path(folder), found)]


def _unread(folder: Path, found: dict) -> list[tuple[str | None, str]]:
    """``(table or None, warning)`` of each file :func:`unread_files` warns about."""
    files = [e.name for e in sorted(folder.iterdir(), key=lambda e: e.name)  # a few files
             if e.is_file() and not any(os.path.samefile(e, p) for p in found.values())]
    # samefile: on a case-blind file system Members.csv *is* members.csv
    return unread_notes(str(folder), files, {k: Path(p).name for k, p in found.items()})


def unread_notes(folder: str, files, found: dict) -> list[tuple[str | None, str]]:
    """``(table or None, warning)`` for each of the file names ``files`` in ``folder`` (a
    path or a URI) that is not read as a table, beside the tables ``found`` (table name ->
    file name): what :func:`unread_files` says, for any file system."""
    out, others = [], []
    for name in sorted(files):
        lower = name.lower()
        if name.startswith(".") or lower in GENERATED_FILES or name in found.values():
            continue
        entry = f"{folder.rstrip('/')}/{name}"
        stem, dot, suffix = lower.partition(".")
        if stem not in TABLES:
            if lower.endswith(_TABULAR):
                others.append(name)
            continue
        case_only = dot + suffix in FILE_SUFFIXES
        why = "table file names are lower-case" if case_only else \
            "a table file is .csv, .csv.gz, .parquet or .jsonl"
        if stem in found:  # a second copy beside the table
            out.append((stem, f"{entry} is not read: {found[stem]} is the {stem} table "
                              f"read ({why})."))
        elif case_only:
            out.append((stem, f"{entry} is not read: {why} ({lower}); rename it."))
        else:
            out.append((stem, f"{entry} is not read: {why} ({stem}.csv …); convert or "
                              "rename it."))
    if others:
        out.append((None, f"{folder}: {len(others)} file(s) not read, not named after a "
                          f"table ({', '.join(TABLES)} as .csv, .csv.gz, .parquet or .jsonl): "
                          f"{', '.join(others[:10])}{' …' if len(others) > 10 else ''}. "
                          "Rename them, or move them out of the data folder."))
    return out


def _retype(col: pa.ChunkedArray) -> pa.ChunkedArray:
    """An extra string column holding NA spellings: numbers if it is numbers apart from them.

    The CSV reader no longer takes ``NA`` for missing, so a numeric attribute column with an
    ``NA`` in it arrives as strings; it becomes numeric (the spellings missing) as before.
    Any other string column stays verbatim.
    """
    is_na = pc.is_in(col, value_set=pa.array(sorted(NA_TOKENS), type=pa.string()))
    if not pc.any(is_na).as_py():
        return col
    nulled = pc.if_else(is_na, pa.scalar(None, pa.string()), col)
    for target in (pa.int64(), pa.float64()):
        try:
            return pc.cast(nulled, target)
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            continue
    return col


_MAX_BLOCK = 1 << 30
"""Largest CSV block (bytes) tried: one field may be this long."""


def _read_csv(path: Path, spec) -> pd.DataFrame:
    as_text = spec.id_columns + spec.string_columns + spec.timestamp_columns + spec.numeric_columns
    opts = pacsv.ConvertOptions(
        column_types={c: pa.string() for c in as_text},
        null_values=[""],  # empty is missing; NA, null, N/A … are read verbatim
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
    )
    block = 1 << 20  # pyarrow's default; grown for rows longer than a block (a long bio)
    while True:
        try:
            table = pacsv.read_csv(path, read_options=pacsv.ReadOptions(block_size=block),
                                   convert_options=opts)
            break
        except pa.ArrowInvalid as exc:
            if "straddl" not in str(exc) or block >= _MAX_BLOCK:
                raise
            block = min(block * 16, _MAX_BLOCK)
    known = set(as_text)
    for i, field in enumerate(table.schema):
        if field.name not in known and pa.types.is_string(field.type):
            col = _retype(table.column(i))
            if col is not table.column(i):
                table = table.set_column(i, field.name, col)
    return table.to_pandas()


class _DuplicateKey(Exception):
    pass


def _no_duplicate_keys(pairs):
    row = dict(pairs)
    if len(row) != len(pairs):
        seen = set()
        for key, _ in pairs:
            if key in seen:
                raise _DuplicateKey(key)
            seen.add(key)
    return row


def _read_jsonl(path: Path, id_columns: tuple = ()) -> pd.DataFrame:
    """One JSON object of scalar values per line; anything else is refused, naming the line.

    Integer ids (and whole floats) become their decimal text here: beside a ``null`` a
    column of integers would become float64 and ids above 2^53 would change.
    """
    rows = []
    with path.open("rb") as fh:
        for lineno, raw in enumerate(fh, start=1):
            if not raw.strip():
                continue
            try:
                row = json.loads(raw, object_pairs_hook=_no_duplicate_keys)
            except _DuplicateKey as exc:
                raise DataError(f"line {lineno}: key {exc.args[0]!r} appears twice in one "
                                "object; keep one.", file=path, column=exc.args[0],
                                rows=[lineno]) from None
            except (json.JSONDecodeError, UnicodeDecodeError) as exc:
                raise DataError(f"line {lineno} is not valid JSON: {json_problem(exc, raw)}. "
                                "Write one JSON object per line.", file=path,
                                rows=[lineno]) from None
            if not isinstance(row, dict):
                raise DataError(
                    f"line {lineno} is a JSON {type(row).__name__}, not an object. Write one "
                    'object per line, e.g. {"member_id": "a", ...}.', file=path)
            for key, value in row.items():
                if isinstance(value, dict | list):
                    raise DataError(
                        f"line {lineno}: the value of {key!r} is a JSON "
                        f"{'object' if isinstance(value, dict) else 'list'}; values must be "
                        "plain strings, numbers, true/false or null. Flatten it or write it "
                        "as a string.", file=path, column=key, rows=[lineno])
            for key in id_columns:
                value = row.get(key)
                if isinstance(value, float) and value.is_integer():
                    value = int(value)  # 12.0 and 1e20 as ids: '12', '100000000000000000000'
                if isinstance(value, int) and not isinstance(value, bool):
                    row[key] = str(value)
            rows.append(row)
    return pd.DataFrame.from_records(rows)


def _read_parquet(path: Path, id_columns: tuple) -> pd.DataFrame:
    """Integer id columns as text before pandas (int64 with nulls would become float64)."""
    table = pq.read_table(path)
    cast = [i for i, fld in enumerate(table.schema)
            if fld.name in id_columns and pa.types.is_integer(fld.type)]
    if not cast:
        return table.to_pandas()
    meta = dict(table.schema.metadata or {})
    for i in cast:
        table = table.set_column(i, table.schema[i].name, pc.cast(table.column(i), pa.string()))
    if b"pandas" in meta:  # the pandas dtype recorded for the column (Int64 …) is now text
        pandas_meta = json.loads(meta[b"pandas"])
        names = {table.schema[i].name for i in cast}
        for col in pandas_meta.get("columns", []):
            if col.get("field_name") in names:
                col.update(pandas_type="unicode", numpy_type="object", metadata=None)
        meta[b"pandas"] = json.dumps(pandas_meta).encode()
    return table.replace_schema_metadata(meta).to_pandas()


def read_table(path, name: str, columns: dict | None = None) -> pd.DataFrame:
    """Read one table file; ids and known string columns are read as strings, verbatim.

    ``columns`` maps the file's column names to the contract's (:mod:`~clusterkit.data.columns`):
    mapped columns are read as the columns they stand for, then renamed.

    Only an empty cell (or JSON ``null``) is missing: ``NA``, ``null``, ``N/A``, ``NaN`` are
    ids like any other in every format.

    Raises
    ------
    DataError
        If the file is empty or cannot be parsed, or a JSONL line is not an object of
        scalar values.
    """
    from clusterkit.data.columns import rename_columns, source_spec

    path = Path(path)
    spec = source_spec(TABLES[name], columns or {})
    if path.stat().st_size == 0:
        raise DataError("the file is empty. Add a header and rows, or remove it.", file=path)
    try:
        if path.name.endswith((".csv", ".csv.gz")):
            df = _read_csv(path, spec)
        elif path.suffix == ".parquet":
            df = _read_parquet(path, spec.id_columns)
        else:  # .jsonl
            df = _read_jsonl(path, spec.id_columns)
    except (pa.ArrowInvalid, json.JSONDecodeError, OSError) as exc:
        msg = str(exc).splitlines()[0]
        if "Empty CSV file" in msg:
            raise DataError("the file is empty. Add a header and rows, or remove it.",
                            file=path) from None
        raise DataError(f"cannot be read as {name} table{locate(path, msg)}: {msg}{hint(msg)}",
                        file=path) from None
    return rename_columns(df, columns or {}, path, name)


def load_dataset(folder, *, require_activity: bool = True, columns: dict | None = None):
    """Load and validate a dataset folder into a :class:`~clusterkit.data.CommunityData`.

    Parameters
    ----------
    folder : str or Path
        Holds ``events`` and/or ``follows`` and optionally ``members`` and ``identities``,
        each as ``.csv``, ``.csv.gz``, ``.parquet`` or ``.jsonl``.
    require_activity : bool, default True
        Require ``events`` or ``follows``; identity resolution (``clusterkit resolve``)
        works on a ``members`` table alone and passes False.
    columns : dict, optional
        ``{table: {file column: contract column}}`` for files named otherwise than the
        contract (:mod:`~clusterkit.data.columns`; the run config's ``columns``).

    Returns
    -------
    CommunityData
        Its warnings start with the files of the folder that are not read as tables
        (:func:`unread_files`): ``Members.csv`` or ``events.tsv`` is not a table file.

    Raises
    ------
    DataError
        Naming the file, column, rows and fix for any breach of the data contract.
    """
    from clusterkit.data.columns import check_columns_mapping

    columns = check_columns_mapping(columns)
    paths = find_tables(folder)
    unread = _unread(Path(folder), paths)
    if require_activity and "events" not in paths and "follows" not in paths:
        present = sorted(p.name for p in Path(folder).iterdir())[:10]
        hint = next((f" {note}" for table, note in unread if table in ("events", "follows")),
                    "")
        raise DataError(
            f"no events or follows file in {str(folder)!r} (found: {present or 'nothing'}). "
            "At least one is required: events.csv (member_id, action, timestamp) or "
            "follows.csv (follower_id, followee_id); also .csv.gz, .parquet, .jsonl." + hint
        )
    from clusterkit.data.validate import build_dataset, validate_table
    from clusterkit.provenance import release_freed_memory

    sources = {n: str(p) for n, p in paths.items()}
    tables = {}
    for name, path in paths.items():  # one raw table in memory at a time
        tables[name] = validate_table(read_table(path, name, columns.get(name)), TABLES[name],
                                      file=sources[name])
        release_freed_memory()  # Arrow's pool keeps freed blocks
    data = build_dataset(tables, sources, validated=True, require_activity=require_activity)
    del tables  # the validated tables before build_dataset's copies
    release_freed_memory()
    notes = tuple(note for _, note in unread)
    return replace(data, warnings=notes + data.warnings) if notes else data
