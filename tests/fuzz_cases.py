"""Issue 15: generated datasets and configs for the bad-input fuzz, and the outcome classifier.

Shared by ``tests/test_fuzz_input.py`` (hypothesis, fast and nightly profiles) and
``benchmarks/fuzz_input.py`` (the census table of ``benchmarks/RESULTS.md``).

A *case* is a dataset folder written in csv / csv.gz / jsonl / parquet from a random family:
odd-but-valid families must be accepted (exit 0, every member in ``segments.csv``), bad
families must be refused (exit 2, one ``error:`` line, nothing at ``--out``), and a case that
ends any other way is a crash, a messy error or partial output.
"""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from hypothesis import strategies as st

from clusterkit.cli.app import main

ROOT = Path(__file__).resolve().parents[1]
CONFIG = str(ROOT / "configs" / "default.yaml")
FAST = ["--set", "attribution.bootstrap=0", "--set", "report.enabled=false"]
FORMATS = ["csv", "csv.gz", "jsonl", "parquet"]
SUFFIX = {"csv": ".csv", "csv.gz": ".csv.gz", "jsonl": ".jsonl", "parquet": ".parquet"}
ODD_IDS = ["NA", "N/A", "n/a", "null", "NULL", "NaN", "-nan", "#N/A", "None", "nan", "0",
           "007", "1e5", "-1", "true", "ünïcødé", "用户", "😀", "a b", "a,b", 'q"uote',
           "x" * 300, str(2**64 + 1), str(2**63), "TRUE", "'", "\\", "a;b"]
ACTIONS = ["view", "like", "follow", "reply", "comment", "mention", "share", "retweet",
           "post", "blog_post", "video", "event_attend", "purchase", "LIKE", "custom_act"]
VALID_FAMILIES = ["odd_ids", "timestamps", "degenerate", "numeric_ids", "odd_columns",
                  "extreme_times"]
ODD_COLUMNS = ['we"ird', "it's", "level_0", "index", "ünï col", "  padded  ", "1", "__row",
               "member", "NULL", "a.b", "select", "x" * 200]
EXTREME_TIMES = ["9999-12-31T23:59:59Z", "1970-01-01T00:00:00Z", "1900-01-01T00:00:00Z",
                 "2026-02-28T23:59:59.999999Z", "2000-01-01"]
BAD_FAMILIES = ["missing_column", "negative_count", "inf_value", "non_scalar_json",
                "non_object_line", "colliding_columns", "directory_table", "corrupt_file",
                "bad_timestamp", "empty_id", "duplicate_member", "non_numeric", "two_formats"]
T0, T1 = 1_577_836_800, 1_798_675_200  # 2020-01-01 .. 2027-01-01, epoch seconds
UNIT_SCALE = {"s": 1, "ms": 10**3, "us": 10**6, "ns": 10**9}

_char = st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp"))
ids_text = st.one_of(st.sampled_from(ODD_IDS), st.text(_char, min_size=1, max_size=12))


@dataclass
class Case:
    """One generated dataset: tables as row dicts, their formats, and the expected outcome."""

    family: str
    tables: dict  # name -> list of row dicts
    formats: dict  # name -> format
    expect: str  # "accept" or "refuse"
    json_ints: bool = False  # digit-string ids written as JSON numbers in jsonl tables
    mutate: dict = field(default_factory=dict)  # raw tweaks applied after writing

    def members(self) -> set[str]:
        """Ids that must appear in segments.csv (DESIGN §2; see validate.build_dataset)."""
        t = self.tables
        got = {r["member_id"] for r in t.get("members", [])}
        got |= {r["member_id"] for r in t.get("events", [])}
        got |= {r["follower_id"] for r in t.get("follows", [])}
        if "members" not in t:
            got |= {r["followee_id"] for r in t.get("follows", [])}
            got |= {r.get("target_id") for r in t.get("events", [])} - {None}
        return {canon(i) for i in got}


def canon(v) -> str:
    return str(v).strip()


def _timestamp(draw, unit: str):
    sec = draw(st.integers(T0, T1))
    if unit == "iso":
        return pd.Timestamp(sec, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%SZ")
    if unit == "iso_offset":
        return pd.Timestamp(sec, unit="s", tz="UTC").strftime("%Y-%m-%dT%H:%M:%S+02:00")
    if unit == "date":
        return pd.Timestamp(sec, unit="s", tz="UTC").strftime("%Y-%m-%d")
    return sec * UNIT_SCALE[unit]


@st.composite
def valid_case(draw, family: str | None = None) -> Case:
    """An odd-but-valid dataset of 2-30 members."""
    family = family or draw(st.sampled_from(VALID_FAMILIES))
    if family == "degenerate":
        n = draw(st.integers(2, 3))
    else:
        n = draw(st.integers(2, 30))
    if family == "numeric_ids":
        pool = [str(v) for v in draw(st.lists(st.integers(0, 2**66), min_size=n, max_size=n,
                                              unique=True))]
    else:
        pool = draw(st.lists(ids_text, min_size=n, max_size=n, unique_by=canon))
    pick = st.sampled_from(pool)
    outside = st.sampled_from(["brand", "NA", "outsider_ü", "null"])
    unit = draw(st.sampled_from(["iso", "iso_offset", "date", "s", "ms", "us", "ns"]))
    channels = draw(st.lists(st.sampled_from(["web", "x", "NA", "email", "ig"]), min_size=1,
                             max_size=1 if family == "degenerate" else 3, unique=True))
    tables: dict = {}
    if draw(st.booleans()) or family == "degenerate":
        pairs = draw(st.lists(st.tuples(pick, pick), min_size=0, max_size=3 * n))
        if family == "degenerate" and draw(st.booleans()):
            pairs += [(p, p) for p in pool]  # members seen only in self-follows
        if pairs:
            tables["follows"] = [{"follower_id": a, "followee_id": b} for a, b in pairs]
    with_events = family in ("timestamps", "numeric_ids", "extreme_times") or draw(
        st.booleans())
    if with_events or "follows" not in tables:
        actions = ACTIONS if draw(st.booleans()) else [a for a in ACTIONS if a != "purchase"]
        rows = []
        for _ in range(draw(st.integers(1, 4 * n))):
            row = {"member_id": draw(pick), "action": draw(st.sampled_from(actions)),
                   "timestamp": _timestamp(draw, unit), "channel": draw(st.sampled_from(channels))}
            if draw(st.booleans()):
                row["target_id"] = draw(st.one_of(pick, outside, st.none()))
                row["value"] = draw(st.one_of(st.none(), st.floats(0, 1e6)))
            rows.append(row)
        tables["events"] = rows
    if draw(st.booleans()):
        listed = draw(st.lists(pick, min_size=1, max_size=n, unique=True))
        tables["members"] = [{
            "member_id": m, "name": draw(st.one_of(st.none(), ids_text)),
            "followers": draw(st.one_of(st.none(), st.integers(0, 10**9))),
            "following": draw(st.integers(0, 5000)),
            "bio": draw(st.sampled_from(["", "NA", "x" * 5000, "multi, comma \"quoted\""])),
            "kind": draw(st.sampled_from(["person", "brand", "media"])),
        } for m in listed]
    if family == "extreme_times":
        for r in tables["events"]:
            r["timestamp"] = draw(st.sampled_from(EXTREME_TIMES))
    if family == "odd_columns":
        for name in draw(st.lists(st.sampled_from(sorted(tables)), min_size=1, unique=True)):
            col = draw(st.sampled_from(ODD_COLUMNS))
            for r in tables[name]:
                r[col] = draw(st.one_of(st.none(), st.sampled_from(["v", "NA", "1", "2.5"])))
    case = Case(family, tables, {}, "accept")
    if len(case.members()) < 2:  # a run needs two members (one is refused, see the report)
        tables.setdefault("follows", []).extend([
            {"follower_id": pool[0], "followee_id": pool[1]},
            {"follower_id": pool[1], "followee_id": pool[0]}])
    fmt = st.sampled_from(FORMATS)
    one = draw(fmt)
    formats = {t: (one if draw(st.booleans()) else draw(fmt)) for t in tables}
    json_ints = family == "numeric_ids" and "jsonl" in formats.values()
    return Case(family, tables, formats, "accept", json_ints=json_ints)


@st.composite
def bad_case(draw, family: str | None = None) -> Case:
    """A valid dataset with one breach of the contract."""
    family = family or draw(st.sampled_from(BAD_FAMILIES))
    case = draw(valid_case("odd_ids"))
    case.family, case.expect = family, "refuse"
    t = case.tables
    name = draw(st.sampled_from(sorted(t)))
    rows = t[name]
    i = draw(st.integers(0, len(rows) - 1)) if rows else 0
    if family in ("negative_count", "non_numeric", "duplicate_member") and "members" not in t:
        t["members"] = [{"member_id": rows[0].get("member_id", rows[0].get("follower_id"))}]
        case.formats["members"] = draw(st.sampled_from(FORMATS))
    if family in ("inf_value", "bad_timestamp") and "events" not in t:
        t["events"] = [{"member_id": "a", "action": "like", "timestamp": "2026-01-01T00:00:00Z"}]
        case.formats["events"] = draw(st.sampled_from(FORMATS))
    if family in ("non_scalar_json", "non_object_line"):
        case.formats[name] = "jsonl"
    if name == "follows" and not rows:
        rows.append({"follower_id": "a", "followee_id": "b"})
    if family == "missing_column":
        req = {"members": ["member_id"], "events": ["member_id", "action", "timestamp"],
               "follows": ["follower_id", "followee_id"]}[name]
        col = draw(st.sampled_from(req))
        for r in rows:
            r[col + "_x"] = r.pop(col, None)
    elif family == "negative_count":
        r = draw(st.sampled_from(t["members"]))
        r[draw(st.sampled_from(["followers", "following"]))] = -draw(st.sampled_from([1, 5, 1e12]))
    elif family == "inf_value":
        r = draw(st.sampled_from(t["events"]))
        r["value"] = draw(st.sampled_from([float("inf"), float("-inf")]))
    elif family == "non_scalar_json":
        r = rows[i] if rows else {}
        r[draw(st.sampled_from(["member_id", "extra", "channel"]) if name != "follows" else
               st.sampled_from(["follower_id", "extra"]))] = draw(
            st.sampled_from([{"id": "x"}, ["a", "b"], [], {}]))
    elif family == "non_object_line":
        case.mutate["line"] = draw(st.sampled_from(["[1, 2]", '"a"', "3", "null", "{bad"]))
        case.mutate["table"] = name
    elif family == "colliding_columns":
        col = draw(st.sampled_from(sorted(rows[0])))
        other = draw(st.sampled_from([col.upper(), col.title(), " " + col.upper()]))
        for r in rows:
            r[other] = "v"
    elif family == "directory_table":
        case.mutate["dir"] = (draw(st.sampled_from(["members", "events", "follows"])),
                              draw(st.sampled_from(FORMATS)))
    elif family == "corrupt_file":
        how = draw(st.sampled_from(["empty", "random", "truncated", "header_only",
                                    "binary_junk"]))
        case.mutate["corrupt"] = (name, how, draw(st.binary(min_size=1, max_size=64)))
        if how == "truncated" and case.formats[name] in ("csv", "jsonl"):
            case.expect = "either"  # a cut at a line end is a shorter, valid table
    elif family == "bad_timestamp":
        r = draw(st.sampled_from(t["events"]))
        r["timestamp"] = draw(st.sampled_from(["yesterday", "2026-13-45", "12:00", "0x1F", "∞"]))
    elif family == "empty_id":
        col = {"members": "member_id", "events": "member_id",
               "follows": draw(st.sampled_from(["follower_id", "followee_id"]))}[name]
        rows[i][col] = draw(st.sampled_from([None, "", "   "]))
    elif family == "duplicate_member":
        t["members"].append(dict(t["members"][0]))
    elif family == "non_numeric":
        t["members"][0]["followers"] = draw(st.sampled_from(["many", "1,000", "12k", "--"]))
    elif family == "two_formats":
        others = [f for f in FORMATS if SUFFIX[f] != SUFFIX[case.formats[name]]]
        case.mutate["twice"] = (name, draw(st.sampled_from(others)))
    return case


def any_case():
    return st.one_of(valid_case(), bad_case())


# writing ------------------------------------------------------------------------------------

def _jsonable(v, json_ints: bool):
    if json_ints and isinstance(v, str) and v.isdigit():
        return int(v)
    return v


def write_table(path: Path, fmt: str, rows: list, json_ints: bool = False) -> None:
    if fmt == "jsonl":
        lines = [json.dumps({k: _jsonable(v, json_ints) for k, v in r.items()},
                            ensure_ascii=False) for r in rows]
        path.write_text("".join(ln + "\n" for ln in lines), encoding="utf-8")
        return
    df = pd.DataFrame.from_records(rows)
    for c in df.columns:  # mixed columns (an id beside a number): as text, like a real export
        if df[c].map(type).nunique() > 1 and df[c].map(lambda v: isinstance(v, str)).any():
            df[c] = df[c].map(lambda v: v if isinstance(v, str) else None if pd.isna(v)
                              else str(v))
    if fmt == "parquet":
        df.to_parquet(path, index=False)
    else:
        text = df.to_csv(index=False)
        path.write_bytes(gzip.compress(text.encode()) if fmt == "csv.gz" else text.encode())


def write_case(case: Case, folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, rows in case.tables.items():
        fmt = case.formats[name]
        write_table(folder / f"{name}{SUFFIX[fmt]}", fmt, rows, case.json_ints)
    m = case.mutate
    if "line" in m:
        path = folder / f"{m['table']}.jsonl"
        path.write_text(path.read_text(encoding="utf-8") + m["line"] + "\n", encoding="utf-8")
    if "dir" in m:
        name, fmt = m["dir"]
        for old in folder.glob(f"{name}.*"):
            old.unlink()
        (folder / f"{name}{SUFFIX[fmt]}").mkdir()
        (folder / f"{name}{SUFFIX[fmt]}" / "part-0.csv").write_text("member_id\na\n")
    if "corrupt" in m:
        name, how, junk = m["corrupt"]
        path = folder / f"{name}{SUFFIX[case.formats[name]]}"
        data = path.read_bytes()
        path.write_bytes({"empty": b"", "random": junk, "truncated": data[: len(data) // 2],
                          "header_only": b"member_id,follower_id,followee_id,action\n",
                          "binary_junk": b"\x00\xff\xfe" + junk}[how])
    if "twice" in m:
        name, fmt = m["twice"]
        write_table(folder / f"{name}{SUFFIX[fmt]}", fmt, case.tables[name])


# running and classifying ----------------------------------------------------------------------

def run_cli(args: list[str]) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(args)
    return code, out.getvalue(), err.getvalue()


def classify(code: int, out: str, err: str, work: Path, expected: set[str] | None) -> str:
    """accepted / members_lost / refused / messy_error / partial_output / crash."""
    if code == 0:
        seg = work / "out" / "segments.csv"
        if not seg.is_file():
            return "partial_output"
        got = set(pd.read_csv(seg, dtype=str, keep_default_na=False)["member_id"])
        return "accepted" if expected is None or got == expected else "members_lost"
    if code != 2 or "Traceback" in err + out or "internal error" in err + out:
        return "crash"
    left = sorted(p.name for p in work.iterdir() if p.name != "data")
    if left:
        return "partial_output"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if len(lines) != 1 or not lines[0].startswith("error: ") or out.strip():
        return "messy_error"
    return "refused"


def verdict(expect: str, outcome: str) -> str:
    """The census class: ok, or what went wrong."""
    if outcome in ("accepted", "refused"):
        if expect == "accept" and outcome == "refused":
            return "valid_refused"
        if expect == "refuse" and outcome == "accepted":
            return "garbage_accepted"
        return "ok"
    return outcome


def run_case(case: Case, extra: list[str] | None = None) -> tuple[str, str, str]:
    """Write, run and classify one case; returns (outcome, verdict, last stderr line)."""
    work = Path(tempfile.mkdtemp(prefix="ckfuzz_"))
    try:
        write_case(case, work / "data")
        code, out, err = run_cli(["run", CONFIG, "--data", str(work / "data"), "--out",
                                  str(work / "out"), *FAST, *(extra or [])])
        expected = case.members() if case.expect == "accept" else None
        outcome = classify(code, out, err, work, expected)
        tail = (err.strip().splitlines() or [""])[-1][:300]
        return outcome, verdict(case.expect, outcome), tail
    finally:
        shutil.rmtree(work, ignore_errors=True)


def nightly() -> bool:
    return os.environ.get("CLUSTERKIT_FUZZ", "fast") == "nightly"
