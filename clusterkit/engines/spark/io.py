"""A dataset folder read by Spark from any Hadoop-compatible path, typed as DESIGN §2 says.

:func:`read_tables` finds ``members``, ``events``, ``follows`` and ``identities`` under a
folder given as a local path or a URI (``hdfs://``, ``s3a://``, ``abfss://``, ``file://``:
whatever file systems the session's Hadoop configuration knows), each as ``.parquet``,
``.csv.gz``, ``.csv`` or ``.jsonl`` (looked for in that order, as
:func:`clusterkit.data.load_dataset` does), and types the columns the engines read.

Assumptions
-----------
- Ids (``member_id``, ``target_id``, ``follower_id``, ``followee_id``) are strings; a CSV is
  read with every column as text, so ``007`` stays ``007``. Ids and the labels the engines
  read (action, channel, topic, content_id) are trimmed, empty text is missing and actions
  are in lower case, as the loader has them (a ``Share`` is a ``share``, a channel `` web``
  is ``web``); free text (a bio) is left as read.
- ``timestamp`` is ISO-8601 (an offset or ``Z``; none means UTC) or epoch seconds, numeric
  or numeric text, and becomes a Spark TIMESTAMP (the session runs in UTC). A value that is
  neither is an error naming the file, not a silent NULL.
- ``value`` and the members' ``followers`` become doubles, malformed text NULL (which the
  features read as 0, as the single-machine loader's coercion does).
- The rest of the data contract (duplicate members, self-follows, unknown actions) is
  handled where the engines read the tables; this module only finds and types them.

Examples
--------
>>> from clusterkit.engines.spark import local_session, read_tables   # doctest: +SKIP
>>> tables = read_tables(local_session(), "hdfs://namenode/brand/2026-11")  # doctest: +SKIP
>>> sorted(tables)                                                     # doctest: +SKIP
['events', 'follows', 'members']
"""

from __future__ import annotations

from clusterkit.data.schema import FILE_SUFFIXES
from clusterkit.errors import DataError

__all__ = ["TABLE_NAMES", "read_tables", "table_uris", "unread_tables"]

TABLE_NAMES: tuple[str, ...] = ("members", "events", "follows", "identities")
_IDS = ("member_id", "target_id", "follower_id", "followee_id")


def _exists(spark, uri: str) -> bool:
    """Whether ``uri`` exists on its Hadoop file system (local paths included)."""
    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(uri)
    return bool(path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration()).exists(path))


def _read(spark, uri: str):
    if uri.endswith(".parquet"):
        return spark.read.parquet(uri)
    if uri.endswith((".csv", ".csv.gz")):
        return spark.read.csv(uri, header=True, inferSchema=False, mode="FAILFAST")
    return spark.read.json(uri, mode="FAILFAST")  # .jsonl: one object per line


SPACES = "".join(c for c in map(chr, range(0x110000)) if c.isspace())
"""What Python's ``str.strip`` removes (the loader strips ids and labels with it)."""


def _labels(frame, name: str):
    """Ids and the labels the engines read (action, channel, topic, content) as the loader
    has them: trimmed of Python's whitespace, empty text missing, ``action`` in lower case;
    an id stored as a whole float written as an integer (``12.0`` → ``12``)."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import FractionalType, StringType

    from clusterkit.data.schema import TABLES

    spec = TABLES.get(name)
    out = frame
    read = ("action", "channel", "topic", "content_id")  # free text (bio …) stays as it is
    for c in ([*spec.id_columns, *(c for c in spec.string_columns if c in read)]
              if spec is not None else _IDS):
        if c not in out.columns:
            continue
        kind, col = out.schema[c].dataType, F.col(f"`{c}`")
        if isinstance(kind, FractionalType):
            col = F.when(col == F.floor(col), col.cast("long").cast("string")).otherwise(
                col.cast("string"))
        elif not isinstance(kind, StringType):
            col = col.cast("string")
        col = F.nullif(F.trim(col, F.lit(SPACES)), F.lit(""))
        out = out.withColumn(c, F.lower(col) if c == "action" else col)
    return out


def _typed(frame, uri: str, name: str = ""):
    """Ids and labels as the loader has them (:func:`_labels`), ``timestamp`` as
    TIMESTAMP, ``value`` / ``followers`` as doubles."""
    from pyspark.sql import functions as F
    from pyspark.sql.types import NumericType, TimestampType

    out = _labels(frame, name)
    for c in ("value", "followers"):
        if c in out.columns:
            out = out.withColumn(c, F.expr(f"try_cast(`{c}` AS DOUBLE)"))
    if "timestamp" in out.columns:
        kind = out.schema["timestamp"].dataType
        raw = F.col("timestamp")
        if isinstance(kind, NumericType):
            ts = F.timestamp_seconds(raw.cast("double"))
        elif isinstance(kind, TimestampType):
            ts = raw
        else:
            text = F.trim(raw.cast("string"))
            number = F.expr("try_cast(trim(CAST(timestamp AS STRING)) AS DOUBLE)")
            ts = F.when(number.isNotNull(), F.timestamp_seconds(number)).otherwise(
                F.expr("try_cast(trim(CAST(timestamp AS STRING)) AS TIMESTAMP)"))
            bad = out.where(text.isNotNull() & (text != "") & ts.isNull()).select(
                text.alias("t")).limit(1).collect()
            if bad:
                raise DataError(f"column 'timestamp' has a value that is neither ISO-8601 nor "
                                f"epoch seconds, e.g. {bad[0]['t']!r}; write "
                                "'2026-03-01T12:00:00Z' or epoch seconds", file=uri)
        out = out.withColumn("timestamp", ts)
    return out


def _renamed(frame, mapping: dict, uri: str, name: str):
    """``frame`` with the config's mapped columns renamed, checked as the loader checks."""
    if not mapping:
        return frame
    import pandas as pd

    from clusterkit.data.columns import rename_columns

    rename_columns(pd.DataFrame(columns=frame.columns), mapping, uri, name)  # its errors
    return frame.withColumnsRenamed(mapping)


def read_tables(spark, folder: str, columns: dict | None = None,
                uris: dict | None = None) -> dict:
    """The dataset's tables under ``folder`` as typed Spark DataFrames.

    Parameters
    ----------
    spark : pyspark.sql.SparkSession
    folder : str
        A local folder or a Hadoop-compatible URI.
    columns : dict, optional
        ``{table: {file column: contract column}}`` for files named otherwise than the
        contract (the run config's ``columns``; :mod:`clusterkit.data.columns`).
    uris : dict, optional
        The files of :func:`table_uris`, when the caller has already looked them up.

    Returns
    -------
    dict of str to pyspark.sql.DataFrame
        The tables found, by name (``members``, ``events``, ``follows``, ``identities``).

    Raises
    ------
    clusterkit.errors.DataError
        Neither ``events`` nor ``follows`` is found (the message names the folder and the
        file names looked for), a mapped column is missing, or a timestamp cannot be read.
    """
    from clusterkit.data.columns import check_columns_mapping

    mapping = check_columns_mapping(columns)
    return {name: _typed(_renamed(_read(spark, uri), mapping.get(name), uri, name), uri, name)
            for name, uri in (uris or table_uris(spark, folder)).items()}


def table_uris(spark, folder: str) -> dict:
    """The file of each table found under ``folder``, by name (what :func:`read_tables`
    reads; the run manifest's ``sources``). Raises :class:`DataError` as it does."""
    base = str(folder).rstrip("/")
    found = {}
    for name in TABLE_NAMES:
        for suffix in FILE_SUFFIXES:
            uri = f"{base}/{name}{suffix}"
            if _exists(spark, uri):
                found[name] = uri
                break
    if "events" not in found and "follows" not in found:
        raise DataError(f"no events or follows table in {base}: looked for events and "
                        f"follows as {', '.join(FILE_SUFFIXES)}", file=base)
    return found


def unread_tables(spark, folder: str, uris: dict) -> list[str]:
    """Warnings naming the files under ``folder`` that are not read as tables beside
    ``uris`` (:func:`table_uris`): ``Members.csv``, ``events.tsv``, ``users.csv``, as
    :func:`clusterkit.data.loaders.unread_files` says them for a local folder."""
    from clusterkit.data.loaders import unread_notes

    jvm = spark.sparkContext._jvm
    path = jvm.org.apache.hadoop.fs.Path(str(folder).rstrip("/"))
    fs = path.getFileSystem(spark.sparkContext._jsc.hadoopConfiguration())
    files = [st.getPath().getName() for st in fs.listStatus(path)  # a folder's few files
             if st.isFile()]
    found = {name: uri.rsplit("/", 1)[-1] for name, uri in uris.items()}
    return [note for _, note in unread_notes(str(folder), files, found)]
