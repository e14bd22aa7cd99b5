"""Issue 15: the bad-input fuzz against ``profile``, ``export``, ``compare``, ``campaign`` and
``resolve``: generated arguments, run folders and spec files, and the outcome classifier.

Shared by ``tests/test_fuzz_commands.py`` (hypothesis, fast and nightly profiles) and
``benchmarks/fuzz_commands.py`` (the census of ``benchmarks/RESULTS.md``).

A case is one command line over a fresh work folder holding a copy of a valid small run
folder (``run``), its dataset (``data``), and whatever the case broke or wrote: a run folder
with a file missing, truncated, replaced by garbage, non-UTF-8 text or a folder; odd member
ids (``NA``, unicode, very long); bad options; spec YAML that is a date, a list, ``!!binary``,
non-UTF-8 bytes, a folder, or holds windows from 0001 to 9999. Outcomes:

- ``ok``: exit 0, and nothing temporary (``.*.tmp``, ``.*.old-*``) left anywhere;
- ``refused``: exit 2, exactly one ``error: ...`` line on stderr, nothing on stdout, no
  traceback, and no new file or folder anywhere in the work folder;
- ``usage``: exit 2 from the command-line parser itself printed as click's usage box (e.g. a
  negative ``--events``): counted apart; none since the CLI prints parser errors in one line;
- ``crash``: exit 1 ("internal error") or any traceback; ``messy_error``: exit 2 with more
  than one line; ``partial_output``: a refused case left something behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from fuzz_cases import ODD_IDS, run_cli
from hypothesis import strategies as st

COMMANDS = ("profile", "export", "compare", "campaign", "resolve")
RUN_FILES = ("manifest.json", "segments.parquet", "segments.csv", "features.parquet",
             "profile.duckdb", "identifiers.parquet", "metrics.json", "influence.parquet",
             "journeys.parquet")
BREAKS = ("missing", "truncate", "garbage", "empty", "folder", "non_utf8")
RUN_KINDS = ("valid",) * 8 + ("absent", "file", "empty_dir", "data_dir", "broken", "broken")
FAST_SETS = ["--set", "attribution.bootstrap=0", "--set", "report.enabled=false"]
_char = st.characters(blacklist_categories=("Cs", "Cc"))
odd_text = st.one_of(st.sampled_from(ODD_IDS + ["", " ", "@", "#", "..", "/", "-x"]),
                     st.text(_char, min_size=1, max_size=20))


def maybe(valid, odd=odd_text):
    """``valid`` 6 times in 7, else ``odd`` (so that most cases get past the first check)."""
    return st.sampled_from([0] * 6 + [1]).flatmap(lambda i: odd if i else valid)


def break_file(path: Path, how: str) -> None:
    """Damage one file of a run folder in the way ``how`` names."""
    raw = path.read_bytes() if path.is_file() else b""
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)
    if how == "truncate":
        path.write_bytes(raw[: len(raw) // 2])
    elif how == "garbage":
        path.write_bytes(bytes(range(256)) * 8)
    elif how == "empty":
        path.write_bytes(b"")
    elif how == "folder":
        path.mkdir()
        (path / "x").write_text("x")
    elif how == "non_utf8":
        path.write_bytes(b"\xff\xfe\xfa not utf-8 \xc3\x28")


@st.composite
def run_arg(draw) -> dict:
    """How the RUN argument is given: a valid copy, or one of the bad kinds."""
    kind = draw(st.sampled_from(RUN_KINDS))
    plan = {"kind": kind}
    if kind == "broken":
        plan["file"] = draw(st.sampled_from(RUN_FILES))
        plan["how"] = draw(st.sampled_from(BREAKS))
    return plan


def make_run(plan: dict, base: dict, work: Path) -> Path:
    """Build the RUN argument of ``plan`` inside ``work``."""
    kind = plan["kind"]
    run = work / "run"
    if kind in ("valid", "broken"):
        shutil.copytree(base["run"], run)
        if kind == "broken":
            break_file(run / plan["file"], plan["how"])
        return run
    if kind == "file":
        run.write_text("not a run folder\n")
        return run
    if kind == "empty_dir":
        run.mkdir()
        return run
    if kind == "data_dir":
        return work / "data"
    return work / "absent"


@st.composite
def out_arg(draw, suffixes=("",)) -> str:
    """An ``--out`` inside the work folder: new, a folder, under a file, an existing file."""
    kind = draw(st.sampled_from(["new", "new", "new", "folder", "under_file", "existing_file",
                                 "deep", "odd_name"]))
    suffix = draw(st.sampled_from(suffixes))
    return {"new": f"{{work}}/out{suffix}", "folder": "{work}/adir",
            "under_file": "{work}/afile/out" + suffix, "existing_file": "{work}/afile",
            "deep": "{work}/a/b/c/out" + suffix, "odd_name": "{work}/ünï 😀" + suffix}[kind]


# the five commands ------------------------------------------------------------------------------

@st.composite
def profile_case(draw) -> dict:
    member = draw(maybe(st.sampled_from(["{member}", "{handle}", "{email}", "{name}"])))
    args = ["profile", "{run}", member]
    if draw(st.booleans()):
        args.append("--json")
    if draw(st.booleans()):
        args += ["--events", str(draw(st.sampled_from([0, 1, 5, 10**9, -1])))]
    if draw(st.booleans()):
        args += ["--topic", draw(maybe(st.sampled_from(["{topic}", "#{topic}"])))]
    if draw(st.integers(0, 4)) == 0:
        args += ["--data", draw(st.sampled_from(["{data}", "{work}/absent", "{run}"]))]
    return {"args": args, "run": draw(run_arg())}


@st.composite
def export_case(draw) -> dict:
    args = ["export", "{run}"]
    pick = draw(st.sampled_from(["all", "segment", "role", "both"] * 3 + ["none", "all_and_role"]))
    if pick in ("all", "all_and_role"):
        args.append("--all")
    if pick in ("segment", "both"):
        args += ["--segment", draw(maybe(st.just("{segment}")))]
    if pick in ("role", "both", "all_and_role"):
        args += ["--role", draw(maybe(st.sampled_from(["fan", "FAN", "influencer"])))]
    fmt = draw(maybe(st.sampled_from(["csv", "parquet", "json", "meta", "google", "linkedin"])))
    args += ["--format", fmt]
    args += ["--out", draw(out_arg((".csv", ".parquet", ".json", "")))]
    if draw(st.booleans()):
        args.append("--include-pii")
    if draw(st.booleans()):
        args += ["--top", str(draw(st.sampled_from([1, 3, 10**12, 1, 3, 0, -2])))]
    if draw(st.booleans()):
        args += ["--sort", draw(maybe(st.sampled_from(["influence", "engagement", "followers",
                                                        "member_id"])))]
    if draw(st.booleans()):
        args += ["--default-country", draw(maybe(st.sampled_from(["US", "gb", "ZZ", "USA"])))]
    return {"args": args, "run": draw(run_arg())}


SPEC_BREAKS = ("date_value", "non_utf8", "folder", "empty", "list", "binary", "scalar",
               "absent", "unknown_key", "huge_window", "window_backwards", "bad_date",
               "odd_blogger", "tab_indent", "bom", "null_bytes")


def spec_text(kind: str, good: dict, breakage: str | None, draw_text: str) -> bytes | None:
    """The bytes of a compare or campaign spec: ``good`` broken by ``breakage`` (None: as is,
    the returned None means "make it a folder" or "leave it absent")."""
    import yaml

    doc = dict(good)
    if breakage in ("folder", "absent"):
        return None
    if breakage == "non_utf8":
        return yaml.safe_dump(doc).encode() + b"\n# \xff\xfe\xc3\x28\n"
    if breakage == "empty":
        return b""
    if breakage == "list":
        return b"- a\n- b\n"
    if breakage == "scalar":
        return b"2026-05-01\n"
    if breakage == "binary":
        return b"name: !!binary aGVsbG8=\n" + yaml.safe_dump(
            {k: v for k, v in doc.items() if k != "name"}).encode()
    if breakage == "bom":
        return b"\xef\xbb\xbf" + yaml.safe_dump(doc).encode()
    if breakage == "null_bytes":
        return yaml.safe_dump(doc).encode().replace(b"\n", b"\n\x00", 1)
    if breakage == "tab_indent":
        return yaml.safe_dump(doc, default_flow_style=False).encode().replace(b"  ", b"\t")
    if breakage == "date_value":
        doc["name"] = "DATE"
        return yaml.safe_dump(doc).encode().replace(b"DATE", b"2026-01-01")
    if breakage == "unknown_key":
        doc["nope"] = 1
    if kind == "campaign":
        if breakage == "huge_window":
            doc["window"] = {"start": "0001-01-01", "end": "9999-12-31"}
        elif breakage == "window_backwards":
            doc["window"] = {"start": "2026-05-08", "end": "2026-05-01"}
        elif breakage == "bad_date":
            doc["window"] = {"start": draw_text, "end": "2026-02-30"}
        elif breakage == "odd_blogger":
            doc["bloggers"] = [draw_text]
    elif breakage in ("huge_window", "window_backwards", "bad_date", "odd_blogger"):
        doc["sweep"] = {**doc["sweep"], "seeds": {"huge_window": 10**12, "window_backwards": -1,
                                                  "bad_date": draw_text,
                                                  "odd_blogger": [draw_text]}[breakage]}
    return yaml.safe_dump(doc, allow_unicode=True).encode()


@st.composite
def campaign_case(draw) -> dict:
    src = draw(st.sampled_from(["run", "run", "data"]))
    breakage = draw(st.one_of(st.none(), st.none(), st.sampled_from(SPEC_BREAKS)))
    args = ["campaign", "{run}" if src == "run" else "{data}", "{work}/spec.yaml"]
    if draw(st.booleans()):
        args += ["--out", draw(out_arg())]
    if src == "data":
        args += FAST_SETS
    return {"args": args, "run": draw(run_arg()) if src == "run" else {"kind": "valid"},
            "spec": ("campaign", breakage, draw(odd_text))}


@st.composite
def compare_case(draw) -> dict:
    breakage = draw(st.one_of(st.none(), st.none(), st.sampled_from(SPEC_BREAKS)))
    data = draw(st.sampled_from(["{data}", "{data}", "{data}", "{work}/absent", "{run}",
                                 "{work}/afile"]))
    args = ["compare", "{work}/spec.yaml", "--data", data, "--out", draw(out_arg())]
    if draw(st.integers(0, 3)) == 0:
        args += ["--set", draw(st.sampled_from(["sweep.seeds=0", "sweep.seeds=abc",
                                                "sweep.rank=nope", "seed=-1", "nope=1"]))]
    return {"args": args, "run": {"kind": "valid"}, "spec": ("compare", breakage,
                                                             draw(odd_text))}


@st.composite
def resolve_case(draw) -> dict:
    data = draw(st.sampled_from(["{data}", "{data}", "{work}/absent", "{run}", "{work}/afile",
                                 "{work}/adir"]))
    args = ["resolve", "--data", data]
    if draw(st.booleans()):
        args += ["--threshold", draw(st.sampled_from(["0", "1", "0.5", "-1", "2", "nan",
                                                      "inf"]))]
    if draw(st.booleans()):
        args += ["--out", draw(out_arg((".parquet", ".csv", ".txt", "")))]
    if draw(st.booleans()):
        args += ["--show", str(draw(st.sampled_from([0, 1, 10**6])))]
    if draw(st.integers(0, 3)):
        args.append("--rules-only")
    return {"args": args, "run": {"kind": "valid"}}


STRATEGIES = {"profile": profile_case, "export": export_case, "compare": compare_case,
              "campaign": campaign_case, "resolve": resolve_case}


# running and classifying ----------------------------------------------------------------------

def _tree(work: Path) -> set[str]:
    return {str(p.relative_to(work)) for p in work.rglob("*")}


def family(case: dict) -> str:
    """A short name of what the case breaks (for the census)."""
    run = case["run"]
    parts = [run["kind"] if run["kind"] != "broken" else f"{run['file']}:{run['how']}"]
    if "spec" in case:
        parts.append(f"spec:{case['spec'][1] or 'valid'}")
    return " ".join(parts)


def run_command_case(case: dict, base: dict) -> tuple[str, str]:
    """Set up, run and classify one case; returns (outcome, last stderr line)."""
    work = Path(tempfile.mkdtemp(prefix="ckfuzzcmd_"))
    try:
        shutil.copytree(base["data"], work / "data")
        (work / "afile").write_text("a file\n")
        (work / "adir").mkdir()
        (work / "adir" / "keep.txt").write_text("a user's file\n")
        run = make_run(case["run"], base, work)
        if "spec" in case:
            kind, breakage, text = case["spec"]
            body = spec_text(kind, base[f"{kind}_spec"], breakage, text)
            if breakage == "folder":
                (work / "spec.yaml").mkdir()
            elif body is not None:
                (work / "spec.yaml").write_bytes(body)
        subs = {"{work}": str(work), "{run}": str(run), "{data}": str(work / "data"),
                **{f"{{{k}}}": v for k, v in base["values"].items()}}
        args = []
        for a in case["args"]:
            for k, v in subs.items():
                a = a.replace(k, v)
            args.append(a)
        before = _tree(work)
        cwd = os.getcwd()
        os.chdir(work)  # a default --out lands in the work folder, never in the repository
        try:
            code, out, err = run_cli(args)
        finally:
            os.chdir(cwd)
        new = _tree(work) - before
        return classify(code, out, err, new), (err.strip().splitlines() or [""])[-1][:300]
    finally:
        shutil.rmtree(work, ignore_errors=True)


def classify(code: int, out: str, err: str, new: set[str]) -> str:
    """ok / refused / usage / crash / messy_error / partial_output."""
    temp = [n for n in new if Path(n).name.startswith(".") and (
        n.endswith(".tmp") or ".old-" in n or n.endswith(".body"))]
    if "Traceback" in out + err or code not in (0, 2):
        return "crash"
    if code == 0:
        return "partial_output" if temp else "ok"
    if "Usage:" in err and not err.lstrip().startswith("error: "):
        return "usage"
    if new:
        return "partial_output"
    lines = [ln for ln in err.splitlines() if ln.strip()]
    if len(lines) != 1 or not lines[0].startswith("error: ") or out.strip():
        return "messy_error"
    return "refused"


def make_base(folder: Path) -> dict:
    """A valid dataset (150 members, with emails and a phone column), its run folder, the
    values placeholders stand for, and a valid campaign and compare spec."""
    import pandas as pd

    from clusterkit.synthetic.community import generate

    synth = generate(150, seed=2)
    data = synth.write(folder / "data")
    members = pd.read_csv(data / "members.csv", dtype=str, keep_default_na=False)
    members["phone"] = [f"+1 415 555 {i:04d}" if i % 4 == 0 else "" for i in range(len(members))]
    members.to_csv(data / "members.csv", index=False)
    run = folder / "run"
    code, _, err = run_cli(["run", "--data", str(data), "--out", str(run), *FAST_SETS])
    assert code == 0, err
    seg = pd.read_csv(run / "segments.csv", dtype=str, keep_default_na=False)
    events = pd.read_csv(data / "events.csv", dtype=str, keep_default_na=False)
    first = members.iloc[0]
    bloggers = list(events.loc[events["action"] == "blog_post", "member_id"].unique()[:2])
    campaign = {"name": "fuzz", "bloggers": bloggers,
                "window": {"start": "2026-04-01", "end": "2026-04-08"}}
    compare = {"name": "fuzz-compare", "community": {"name": "leiden"},
               "attribution": {"bootstrap": 0}, "report": {"enabled": False},
               "sweep": {"grid": {"community__resolution": [1.0]}, "seeds": 1}}
    topic = events["topic"].replace("", None).dropna()
    values = {"member": first["member_id"], "handle": first["handle"],
              "email": first["email"] or "x@y.z", "name": first["name"],
              "segment": seg["segment"].iloc[0],
              "topic": (topic.iloc[0] if len(topic) else "x").lstrip("#")}
    return {"data": data, "run": run, "values": values, "campaign_spec": campaign,
            "compare_spec": compare}
