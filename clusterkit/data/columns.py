"""Column mapping: read files whose columns are named otherwise than the data contract.

A mapping gives, per table, ``{column in the file: column of the contract}``; in a run
config it is the ``columns`` key::

    columns:
      members: {user_id: member_id, screen_name: handle}
      events: {user_id: member_id, type: action, created: timestamp}

Mapped columns are read and checked exactly as if the file had used the contract's names
(ids as verbatim strings, timestamps parsed …), and errors name the contract's column. A
mapped column missing from the file, or a file holding both a column and the column it is
mapped to, is an error naming the file.

Examples
--------
>>> import tempfile, pathlib
>>> from clusterkit.data import load_dataset
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> _ = (folder / "follows.csv").write_text("src,dst\\n007,1\\n1,007\\n")
>>> data = load_dataset(folder, columns={"follows": {"src": "follower_id", "dst": "followee_id"}})
>>> data.member_ids.tolist()
['007', '1']
"""

from __future__ import annotations

import difflib
from dataclasses import fields, replace

from clusterkit.data.schema import TABLES, TableSpec
from clusterkit.errors import ConfigError, DataError

__all__ = ["check_columns_mapping", "columns_of", "rename_columns", "source_spec"]


def _hint(word: str, valid) -> str:
    close = difflib.get_close_matches(word, list(valid), n=1)
    return f" Did you mean {close[0]!r}?" if close else ""


def check_columns_mapping(columns) -> dict[str, dict[str, str]]:
    """Check a mapping ``{table: {file column: contract column}}``; return it as plain dicts.

    Raises
    ------
    ConfigError
        An unknown table or contract column (with the closest name), a name that is not a
        non-empty string, or two file columns mapped to one contract column.
    """
    if not columns:
        return {}
    if not isinstance(columns, dict):
        raise ConfigError("columns: expected a mapping of table -> {file column: contract "
                          f"column}}, e.g. {{events: {{user_id: member_id}}}}. Got {columns!r}.")
    out: dict[str, dict[str, str]] = {}
    for table, mapping in columns.items():
        if table not in TABLES:
            raise ConfigError(f"columns: unknown table {table!r}.{_hint(str(table), TABLES)} "
                              f"Tables: {', '.join(TABLES)}.")
        if not isinstance(mapping, dict):
            raise ConfigError(f"columns.{table}: expected {{file column: contract column}}, "
                              f"e.g. {{user_id: member_id}}. Got {mapping!r}.")
        valid = TABLES[table].columns
        seen: dict[str, str] = {}
        for src, dst in mapping.items():
            if not isinstance(src, str) or not src or not isinstance(dst, str) or not dst:
                raise ConfigError(f"columns.{table}: {src!r}: {dst!r}: both names must be "
                                  "non-empty text.")
            if dst not in valid:
                raise ConfigError(f"columns.{table}.{src}: {dst!r} is not a column of the "
                                  f"{table} table.{_hint(dst, valid)} Its columns: "
                                  f"{', '.join(valid)}.")
            if dst in seen:
                raise ConfigError(f"columns.{table}: {seen[dst]!r} and {src!r} are both "
                                  f"mapped to {dst!r}; map one column to each.")
            seen[dst] = src
        out[table] = {str(k): str(v) for k, v in mapping.items()}
    return out


def source_spec(spec: TableSpec, mapping: dict[str, str]) -> TableSpec:
    """``spec`` with each mapped contract column named as in the file (for the readers)."""
    if not mapping:
        return spec
    back = {dst: src for src, dst in mapping.items()}
    names = {f.name: tuple(back.get(c, c) for c in getattr(spec, f.name))
             for f in fields(spec) if isinstance(getattr(spec, f.name), tuple)}
    return replace(spec, **names)


def rename_columns(df, mapping: dict[str, str], file, table: str):
    """The table read from ``file`` with its mapped columns renamed to the contract's names.

    Raises
    ------
    DataError
        A mapped column is not in the file, or the file also holds its contract column.
    """
    if not mapping:
        return df
    present = [str(c) for c in df.columns]
    for src, dst in mapping.items():
        if src not in present:
            raise DataError(f"column {src!r} (mapped to {dst!r} by columns.{table} in the "
                            f"config) is not in the file; found {present[:20]}."
                            f"{_hint(src, present)} Fix the mapping or the file.", file=file)
        if dst in present and dst not in mapping:
            raise DataError(f"the file has both {src!r} and {dst!r}, and columns.{table} maps "
                            f"{src!r} to {dst!r}. Drop one of them, or map {dst!r} elsewhere.",
                            file=file, column=dst)
    return df.rename(columns=mapping)


def columns_of(manifest) -> dict:
    """The column mapping a run was made with, from its manifest (``{}`` if none)."""
    config = (manifest or {}).get("config")
    return (config.get("columns") or {}) if isinstance(config, dict) else {}
