"""Generated tables kept as integer codes and written in chunks (memory: codes, not strings).

A :class:`LazyTable` holds, per column, a function of a row slice that builds that slice's
values (labels from codes, ISO text from epoch seconds). :class:`Tables` is the mapping a
:class:`~clusterkit.synthetic.community.SyntheticData` exposes: indexing it builds a whole
DataFrame (cached); :func:`write_tables` streams each table to its file chunk by chunk, so
writing a million-member dataset never holds its text columns at once. The bytes written
are those of the whole DataFrame written at once (CSV, JSONL), or the same rows and types
(Parquet, one row group per chunk).

Examples
--------
>>> import numpy as np
>>> t = LazyTable(3, {"x": lambda s: np.arange(3)[s] * 2})
>>> t.frame()["x"].tolist(), [len(c) for c in t.chunks(2)]
([0, 2, 4], [2, 1])
"""

from __future__ import annotations

import gzip
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path

import pandas as pd

__all__ = ["CHUNK_ROWS", "LazyTable", "Tables", "write_tables"]

CHUNK_ROWS = 250_000
"""Rows per chunk when a table is written."""


class LazyTable:
    """``n_rows`` rows whose columns are built on demand: ``columns[name](row_slice)``."""

    def __init__(self, n_rows: int, columns: dict[str, Callable[[slice], object]]):
        self.n_rows, self.columns = int(n_rows), dict(columns)

    def frame(self, rows: slice = slice(None)) -> pd.DataFrame:
        """The rows of ``rows`` as a DataFrame (index from 0)."""
        return pd.DataFrame({name: make(rows) for name, make in self.columns.items()})

    def chunks(self, size: int = CHUNK_ROWS) -> Iterator[pd.DataFrame]:
        """The table in DataFrames of at most ``size`` rows (at least one, maybe empty)."""
        for start in range(0, max(self.n_rows, 1), size):
            yield self.frame(slice(start, min(start + size, self.n_rows)))

    def __len__(self) -> int:
        return self.n_rows


class Tables(Mapping):
    """Table name → DataFrame, built from :class:`LazyTable` values on first access."""

    def __init__(self, tables: dict):
        self.raw, self._built = dict(tables), {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        value = self.raw[name]
        if not isinstance(value, LazyTable):
            return value
        if name not in self._built:
            self._built[name] = value.frame()
        return self._built[name]

    def __iter__(self):
        return iter(self.raw)

    def __len__(self) -> int:
        return len(self.raw)


def _chunks(value, size: int):
    return value.chunks(size) if isinstance(value, LazyTable) else [value]


def _write_parquet(path: Path, chunks) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    writer = schema = None
    try:
        for chunk in chunks:
            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if schema is None:  # a column all missing in the first chunk is text
                schema = pa.schema([pa.field(f.name, pa.string() if pa.types.is_null(f.type)
                                             else f.type) for f in table.schema],
                                   metadata=table.schema.metadata)
                writer = pq.ParquetWriter(path, schema)
            writer.write_table(table.cast(schema))
    finally:
        if writer is not None:
            writer.close()


def write_tables(tables: Mapping, out: Path, format: str, size: int = CHUNK_ROWS) -> None:
    """Write each table of ``tables`` (DataFrames or :class:`LazyTable`) to ``out``."""
    raw = tables.raw if isinstance(tables, Tables) else tables
    for name, value in raw.items():
        path = out / f"{name}.{format}"
        if format == "parquet":
            _write_parquet(path, _chunks(value, size))
            continue
        opener = gzip.open if format == "csv.gz" else open
        with opener(path, "wt", newline="", encoding="utf-8") as fh:
            for i, chunk in enumerate(_chunks(value, size)):
                if format == "jsonl":
                    if len(chunk):
                        chunk.to_json(fh, orient="records", lines=True)
                else:
                    chunk.to_csv(fh, index=False, header=i == 0)
