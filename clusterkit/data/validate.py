"""Validation of input tables against :data:`clusterkit.data.schema.TABLES`.

Every check raises :class:`~clusterkit.errors.DataError` naming the file, the column, the
first offending rows (1-based data rows, header excluded) and how to fix the problem, or
records a warning when the data can be repaired without loss of meaning (self-follows,
duplicate follows, accounts that are not members).
"""

from __future__ import annotations

from types import MappingProxyType

import numpy as np
import pandas as pd

from clusterkit.data.canonical import canonical_frame, repeated_rows, unique_sorted
from clusterkit.data.plain import refuse_flags, refuse_nested
from clusterkit.data.schema import NA_TOKENS, TABLES, TableSpec
from clusterkit.data.timestamps import arrow_iso, epoch_to_utc
from clusterkit.errors import DataError

__all__ = ["build_dataset", "validate_table"]

_SHOW = 5  # how many offending values / rows an error quotes


def _rows(mask: np.ndarray) -> list[int]:
    return [int(i) + 1 for i in np.flatnonzero(mask)[:_SHOW]]


def _quote(values) -> str:
    return ", ".join(repr(v) for v in list(values)[:_SHOW])


def _as_str(col: pd.Series) -> pd.Series:
    """Ids and labels as stripped strings; missing stays missing; 12.0 from floats → '12'."""
    if pd.api.types.is_float_dtype(col):
        whole = col.dropna().to_numpy()
        if len(whole) and np.all(np.mod(whole, 1) == 0):
            if np.all(np.abs(whole) < 2.0**63):
                col = col.astype("Int64")
            else:  # past int64 (rare): Python ints, exact, never '1e+20'
                col = col.map(lambda v: v if pd.isna(v) else str(int(v)))
    out = col.astype("string").str.strip()
    empty = out == ""
    return out.mask(empty) if empty.any() else out  # no copy of every row when none is empty


def _na_missing(col: pd.Series) -> pd.Series:
    """``NA``, ``null``, ``#N/A`` … as missing: for numeric and timestamp columns only."""
    if pd.api.types.is_numeric_dtype(col) or pd.api.types.is_datetime64_any_dtype(col):
        return col
    is_na = col.isin(NA_TOKENS).to_numpy(dtype=bool)
    return col.mask(is_na) if is_na.any() else col


def _check_columns(df: pd.DataFrame, file) -> pd.DataFrame:
    """Refuse duplicate column names and names equal but for case; drop empty unnamed ones.

    Names are compared stripped and case-folded: DuckDB, which aggregates the tables, does
    not tell ``MEMBER_ID`` from ``member_id``. A column without a name (a trailing comma on
    every CSV line) is dropped when it holds nothing and refused when it holds values.
    """
    names = [str(c).strip() for c in df.columns]
    keep = np.ones(len(names), dtype=bool)
    for i, name in enumerate(names):
        if name == "":
            values = df.iloc[:, i]
            filled = values.notna() & (values.astype("string").str.strip() != "")
            if filled.any():
                raise DataError(
                    f"column {i + 1} has no name in the header but holds values (e.g. row "
                    f"{int(np.flatnonzero(filled.to_numpy(dtype=bool))[0]) + 1}). Give it a "
                    "name in the header, or remove it.", file=file)
            keep[i] = False
    if not keep.all():
        df = df.iloc[:, keep]
        names = [n for n, k in zip(names, keep, strict=True) if k]
    seen: dict[str, int] = {}
    for i, name in enumerate(names):
        key = name.casefold()
        if key in seen:
            first = names[seen[key]]
            where = f"(columns {seen[key] + 1} and {i + 1})"
            what = (f"the column name {name!r} appears twice {where}" if first == name else
                    f"columns {first!r} and {name!r} {where} collide: names are compared "
                    "without case, as DuckDB does")
            raise DataError(f"{what}. Rename or remove one of them.", file=file, column=name)
        seen[key] = i
    df = df.copy(deep=False)
    df.columns = names
    return df


def _parse_timestamps(col: pd.Series, spec: TableSpec, name: str, file,
                      notes: list | None = None) -> pd.Series:
    notes = [] if notes is None else notes
    raw = _na_missing(col)
    refuse_flags(raw, name, file)  # true/false: not epoch seconds 1 and 0
    fast = arrow_iso(raw)
    if fast is not None and not (name in spec.required and raw.isna().any()):
        return fast
    if pd.api.types.is_datetime64_any_dtype(raw):
        ts = pd.to_datetime(raw, utc=True)
    elif pd.api.types.is_numeric_dtype(raw):
        ts = epoch_to_utc(raw, name, file, notes)
    else:
        text = _as_str(raw)
        looks_num = text.str.fullmatch(r"[+-]?\d+(\.\d*)?([eE][+-]?\d+)?")
        is_num = looks_num.fillna(False).to_numpy(dtype=bool)
        ts = pd.Series(pd.NaT, index=raw.index, dtype="datetime64[us, UTC]")
        if is_num.any():
            ts[is_num] = epoch_to_utc(text[is_num], name, file, notes).astype(ts.dtype)
        if (~is_num).any():  # nanoseconds ('...:58.981379846+00:00') are cut to microseconds
            # RFC 3339 allows 't' and 'z' in lower case; ISO-8601 parsing wants them upper
            iso = pd.to_datetime(text[~is_num].str.upper(), format="ISO8601", utc=True,
                                 errors="coerce")
            ts[~is_num] = iso.astype(ts.dtype)
        raw = text
    bad = (ts.isna() & raw.notna()).to_numpy().copy()
    if name in spec.required:
        bad = bad | raw.isna().to_numpy()
    if bad.any():
        values = raw.to_numpy(dtype=object)[bad]
        raise DataError(
            f"column {name!r} has {int(bad.sum())} unparsable timestamp(s) at rows "
            f"{_rows(bad)} (1-based, header excluded), e.g. {_quote(values)}. Use ISO-8601 "
            "('2026-03-01T12:00:00Z') or epoch seconds.",
            file=file, column=name, rows=_rows(bad),
        )
    return ts.astype("datetime64[us, UTC]")


def validate_table(df: pd.DataFrame, spec: TableSpec, file=None) -> pd.DataFrame:
    """Check one table against its spec and return it with canonical dtypes.

    Parameters
    ----------
    df : pandas.DataFrame
        The table as read.
    spec : TableSpec
        Its specification.
    file : str, optional
        Where it came from (named in errors); defaults to the table name.

    Returns
    -------
    pandas.DataFrame
        Ids and strings as ``string`` dtype, timestamps UTC, numeric columns float64;
        extra columns kept as they are. A table with a header and no rows comes back as
        it is, marked ``attrs["no_rows"]``: :func:`build_dataset` reads it as no table.

    Raises
    ------
    DataError
        Missing required column, nested values (lists, structs, maps),
        missing ids, unparsable timestamps, non-numeric values, duplicate ``member_id`` in
        ``members``.
    """
    file = file or spec.name
    df = _check_columns(df, file)  # a shallow copy: columns are replaced, never modified
    refuse_nested(df, file)  # lists, structs, maps: as the JSONL reader does
    missing = [c for c in spec.required if c not in df.columns]
    if missing:
        sep = next((d for d in (";", "\t", "|") if len(df.columns) == 1
                    and d in str(df.columns[0])), None)  # one column: another delimiter
        fix = (f"The header looks delimited by {sep!r}: save the file comma-separated."
               if sep else "Rename or add the column.")
        raise DataError(
            f"missing required column {missing[0]!r}. The {spec.name} table needs columns "
            f"{list(spec.required)}; found {list(df.columns)}. {fix}",
            file=file, column=missing[0],
        )
    if len(df) == 0:  # a header and no rows: no such table (build_dataset says so)
        df.attrs["no_rows"] = True
        return df
    for name in spec.id_columns + spec.string_columns:
        if name in df.columns:
            df[name] = _as_str(df[name])
    for name in spec.required:
        if name in spec.id_columns + spec.string_columns:
            bad = df[name].isna().to_numpy()
            if bad.any():
                raise DataError(
                    f"column {name!r} is empty in {int(bad.sum())} row(s), at rows "
                    f"{_rows(bad)} (1-based, header excluded). Every row needs a {name}.",
                    file=file, column=name, rows=_rows(bad),
                )
    if "action" in df.columns:
        df["action"] = df["action"].str.lower()
    for name in spec.numeric_columns:
        if name in df.columns:
            col = df[name]
            if pd.api.types.is_bool_dtype(col):  # numeric to pandas, not to a user
                raise DataError(
                    f"column {name!r} must be numeric but is a true/false column. Write "
                    "numbers (e.g. 1 and 0, if that is what it means) or leave it out.",
                    file=file, column=name)
            if pd.api.types.is_numeric_dtype(col):
                num, text = col, col
            else:
                text = _na_missing(_as_str(col))
                num = pd.to_numeric(text.to_numpy(dtype=object, na_value=np.nan),
                                    errors="coerce")
                num = pd.Series(num, index=col.index)
            bad = (num.isna() & text.notna()).to_numpy()
            if bad.any():
                values = col.to_numpy(dtype=object)[bad]
                raise DataError(
                    f"column {name!r} must be numeric but has {int(bad.sum())} non-numeric "
                    f"value(s) at rows {_rows(bad)} (1-based, header excluded), e.g. "
                    f"{_quote(values)}. Write plain numbers (e.g. 12.5) or leave the cell empty.",
                    file=file, column=name, rows=_rows(bad),
                )
            num = num.astype("float64")
            for bad, what, fix in (
                (np.isinf(num.to_numpy()), "infinite", "Write finite numbers"),
                ((num < 0).to_numpy() if name in spec.count_columns else None, "negative",
                 "A count is 0 or more: fix the value"),
            ):
                if bad is not None and bad.any():
                    values = col.to_numpy(dtype=object)[bad]
                    raise DataError(
                        f"column {name!r} has {int(bad.sum())} {what} value(s) at rows "
                        f"{_rows(bad)} (1-based, header excluded), e.g. {_quote(values)}. "
                        f"{fix} or leave the cell empty.",
                        file=file, column=name, rows=_rows(bad),
                    )
            df[name] = num
    for name in spec.timestamp_columns:
        if name in df.columns:
            notes: list[str] = []
            df[name] = _parse_timestamps(df[name], spec, name, file, notes)
            if notes:
                df.attrs.setdefault("warnings", []).extend(notes)
    if spec.name == "members":
        dup = df["member_id"].duplicated(keep=False).to_numpy()
        if dup.any():
            ids = pd.unique(df["member_id"].to_numpy(dtype=object)[dup])
            raise DataError(
                f"duplicate member_id: {len(ids)} id(s) appear more than once, e.g. "
                f"{_quote(ids)} at rows {_rows(dup)} (1-based, header excluded). Keep one row "
                "per member_id (merge the duplicates).",
                file=file, column="member_id", rows=_rows(dup),
            )
    return df


def build_dataset(frames: dict, sources: dict, *, validated: bool = False,
                  require_activity: bool = True):
    """Validate tables and build a :class:`~clusterkit.data.CommunityData`.

    Parameters
    ----------
    frames : dict
        Table name → DataFrame, for the tables that are present.
    sources : dict
        Table name → file name, used in errors and recorded on the result.
    validated : bool, default False
        The frames already went through :func:`validate_table` (a loader that validates
        each table as it reads it, so that the raw and the validated copy of one table are
        never all in memory at once).
    require_activity : bool, default True
        Require ``events`` or ``follows`` (a run needs one). Identity resolution works on
        ``members`` (and ``identities``) alone and passes False.
    """
    from clusterkit.data.dataset import CommunityData

    unknown = sorted(set(frames) - set(TABLES))
    if unknown:
        raise DataError(f"unknown table(s) {unknown}; tables are {list(TABLES)}.")
    tables = dict(frames) if validated else {
        name: validate_table(df, TABLES[name], file=sources.get(name, name))
        for name, df in frames.items()
    }
    empty = [name for name, df in tables.items() if df.attrs.get("no_rows")]
    for name in empty:
        del tables[name]
    if require_activity and "events" not in tables and "follows" not in tables:
        raise DataError(
            "no events or follows table" + (f" with rows ({', '.join(empty)}: a header "
                                              "only)" if empty else "")
            + ": at least one of them is required (events.csv with member_id, action, "
            "timestamp; or follows.csv with follower_id, followee_id)."
        )
    if not tables:
        raise DataError("no table at all: give members, events, follows or identities.")
    warnings: list[str] = [
        f"{sources.get(name, name)}: a header and no rows, read as no {name} table."
        for name in empty]
    warnings += [w for df in tables.values() for w in df.attrs.pop("warnings", ())]
    follows = tables.get("follows")
    self_followers = pd.Series([], dtype="string[pyarrow]")
    if follows is not None:
        self_mask = (follows["follower_id"] == follows["followee_id"]).to_numpy(
            dtype=bool, na_value=False)
        if self_mask.any():
            warnings.append(
                f"{sources.get('follows', 'follows')}: dropped {int(self_mask.sum())} "
                f"self-follow(s) (follower_id == followee_id), e.g. rows {_rows(self_mask)}; "
                "their members are kept (a member who only follows themself has no edge)."
            )
            self_followers = follows.loc[self_mask, "follower_id"]
            follows = follows[~self_mask]
        if "channel" in follows.columns:  # a handful of values, as in events below
            follows["channel"] = follows["channel"].astype("category")
        # sorted first, so a duplicate edge sits next to its first copy and the copy kept
        # (the first in sorted order) does not depend on the rows' order
        follows = canonical_frame(follows, ["follower_id", "followee_id"])
        dup = repeated_rows(follows["follower_id"], follows["followee_id"])
        if dup.any():
            warnings.append(
                f"{sources.get('follows', 'follows')}: dropped {int(dup.sum())} duplicate "
                "follow edge(s) (same follower_id and followee_id)."
            )
            follows = follows[~dup].reset_index(drop=True)
        tables["follows"] = follows
    events = tables.get("events")
    if events is not None:
        first = [c for c in TABLES["events"].columns if c in events.columns]
        # a handful of values over millions of rows: category columns (sorted categories,
        # which DuckDB's sort reads as an ENUM in the same order as the text), cheaper to
        # sort, take and hold than text (about 1 GB less at 23 M events)
        for c in ("action", "channel", "topic"):
            if c in events.columns:
                events[c] = events[c].astype("category")
        events = canonical_frame(events, first, codes=True)
        tables["events"] = events

    def ids(name, col) -> pd.Series:
        df = tables.get(name)
        if df is None or col not in df.columns:
            return pd.Series([], dtype="string[pyarrow]")
        return df[col].dropna()

    actors = [ids("events", "member_id"), ids("follows", "follower_id"), self_followers]
    referenced = [ids("events", "target_id"), ids("follows", "followee_id")]
    if "members" in tables:
        member_ids = pd.Index(unique_sorted(ids("members", "member_id"), *actors),
                              dtype=object)
        refs = unique_sorted(*referenced)
        outside = refs[member_ids.get_indexer(refs) < 0]
        if len(outside):
            warnings.append(
                f"{len(outside)} account(s) named in target_id / followee_id are not members "
                f"(kept as outside accounts; they count for the members who act on them), "
                f"e.g. {_quote(outside)}."
            )
    else:
        member_ids = pd.Index(unique_sorted(*actors, *referenced), dtype=object)
        outside = np.array([], dtype=object)
    if "members" in tables:
        attrs = tables["members"].set_index("member_id")
        attrs.index = attrs.index.astype(object)
        members = attrs.reindex(member_ids)
        unlisted = int(members.index.isin(attrs.index).__invert__().sum())
        if unlisted:
            warnings.append(
                f"{unlisted} member(s) act in events or follows but are not listed in the "
                "members table (kept, with empty attributes)."
            )
    else:
        members = pd.DataFrame(index=member_ids)
    members.index.name = "member_id"
    identities = tables.get("identities")
    if identities is not None:
        identities = canonical_frame(identities, list(TABLES["identities"].columns[:3]))
        named = unique_sorted(identities["member_id"].dropna())
        stray = named[member_ids.get_indexer(named) < 0]
        if len(stray):  # identity resolution links members only: say who is left out
            warnings.append(
                f"{sources.get('identities', 'identities')}: {len(stray)} member_id(s) are "
                f"not members (no event, follow or members row), so their rows link "
                f"nothing, e.g. {_quote(stray)}.")
    return CommunityData(
        member_ids=member_ids,
        members=members,
        events=tables.get("events"),
        follows=tables.get("follows"),
        identities=identities,
        outside_ids=pd.Index(outside, dtype=object),
        warnings=tuple(warnings),
        sources=MappingProxyType(dict(sources)),
    )
