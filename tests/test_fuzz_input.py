"""Issue 15: hypothesis fuzz of ``clusterkit run`` over the data contract and the config.

Every generated case must end in one of two ways: accepted (exit 0, every member of the
input in ``segments.csv``) or refused (exit 2, one ``error:`` line, nothing at ``--out`` and
no temporary folder beside it). Odd-but-valid families must be accepted and bad families
refused; see ``tests/fuzz_cases.py`` for the families.

Profiles: the default test run uses a small, derandomized profile (deterministic in CI).
``CLUSTERKIT_FUZZ=nightly`` selects the nightly profile (1,000 data cases, 200 config cases,
random seeds), e.g. ``CLUSTERKIT_FUZZ=nightly pytest -m fuzz_nightly``;
``benchmarks/fuzz_input.py`` runs the same cases as a census without stopping at the first
failure.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
import yaml
from fuzz_cases import (
    CONFIG,
    FAST,
    any_case,
    canon,
    classify,
    nightly,
    run_case,
    run_cli,
    write_table,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.fuzz_nightly

_COMMON = dict(deadline=None, database=None, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much,
                                      HealthCheck.function_scoped_fixture])
DATA = settings(max_examples=1000 if nightly() else 30, derandomize=not nightly(), **_COMMON)
CONF = settings(max_examples=200 if nightly() else 10, derandomize=not nightly(), **_COMMON)


@DATA
@given(case=any_case())
def test_fuzz_dataset_accepted_or_refused(case):
    outcome, verdict, tail = run_case(case)
    assert verdict == "ok", (case.family, case.expect, outcome, tail, case.formats)


# config: --set and YAML values --------------------------------------------------------------

def _leaves(node, prefix=""):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, f"{prefix}{k}.")
    elif isinstance(node, list) and node and isinstance(node[0], dict):
        for i, v in enumerate(node):
            yield from _leaves(v, f"{prefix}{i}.")
    else:
        yield prefix[:-1], node


_DEFAULT = yaml.safe_load(Path(CONFIG).read_text())
# a bootstrap or an identity pass of 10^9 rounds is valid but takes hours: kept fixed
_SLOW = {"attribution.bootstrap", "attribution.bootstrap_persons", "identity.u_max_pairs",
         "report.enabled", "weights_file", "labels_file"}
DEFAULTS = {k: v for k, v in _leaves(_DEFAULT) if k not in _SLOW}
KEYS = sorted(DEFAULTS)
UNKNOWN = ["nope", "cluster.nope", "segments.min_sizee", "graph.follow_weight.x",
           "features.9.params.a", "transform.-1.name", "", ".", "a..b", "seed.0"]
SET_VALUES = ["-1", "0", "1", "2", "0.5", "1e9", "-1e9", "abc", "", "true", "null", "nan",
              "inf", "-inf", "[1, 2]", "{a: 1}", "2026-01-01", "'7'", "[", "!!binary aGk=",
              "1e400", "99999999999999999999", "ünï", "auto", "robust"]
YAML_VALUES = [-1, 0, 1, 2, 0.5, 10**9, -(10**9), "abc", "", True, None, float("nan"),
               float("inf"), [1, 2], {"a": 1}, [], {}, "auto", 10**30]


@st.composite
def set_args(draw):
    keys = draw(st.lists(st.sampled_from(KEYS + UNKNOWN), min_size=1, max_size=3))
    args = []
    for key in keys:  # half the values are the key's default (a valid value), as YAML flow
        default = yaml.safe_dump(DEFAULTS.get(key), default_flow_style=True).split("\n...")[0]
        value = draw(st.one_of(st.sampled_from(SET_VALUES), st.just(default.strip())))
        args += ["--set", f"{key}={value}" if draw(st.integers(0, 9)) else key]
    return args


@st.composite
def yaml_text(draw):
    cfg = yaml.safe_load(Path(CONFIG).read_text())
    shape = draw(st.sampled_from(["tweak", "tweak", "tweak", "top"]))
    if shape == "top":
        return draw(st.sampled_from(["", "[1, 2]\n", "7\n", "name: [\n", "~\n", "a: 1\na: 2\n",
                                     "seed: 1\n---\nseed: 2\n", "\ufeffseed: 3\n"]))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from(KEYS + UNKNOWN))
        node, parts = cfg, key.split(".")
        for part in parts[:-1]:
            nxt = node[int(part)] if isinstance(node, list) and part.isdigit() and int(
                part) < len(node) else (node.get(part) if isinstance(node, dict) else None)
            if not isinstance(nxt, dict | list):
                nxt = {}
                if isinstance(node, dict):
                    node[part] = nxt
            node = nxt
        if isinstance(node, dict):
            node[parts[-1]] = draw(st.one_of(st.sampled_from(YAML_VALUES),
                                             st.just(DEFAULTS.get(key))))
    for k in ("bootstrap", "bootstrap_persons"):
        if isinstance(cfg.get("attribution"), dict):
            cfg["attribution"].pop(k, None)
    return yaml.safe_dump(cfg, allow_unicode=True)


def write_conf_data(folder: Path) -> tuple[Path, set[str]]:
    """A small valid dataset for the config fuzz: follows, events, some conversions."""
    folder.mkdir(parents=True)
    ids = [f"m{i}" for i in range(12)]
    write_table(folder / "follows.csv", "csv", [
        {"follower_id": a, "followee_id": b} for a in ids for b in ids[:4] if a != b])
    write_table(folder / "events.csv", "csv", [
        {"member_id": a, "action": act, "timestamp": f"2026-01-{d + h:02d}T10:00:00Z",
         "channel": ch, "target_id": ids[d % 4]}
        for d, a in enumerate(ids, 1) for h, (act, ch) in enumerate(
            [("like", "web"), ("share", "x")] + [("purchase", "web")] * (d % 2))])
    return folder, set(ids)


@pytest.fixture(scope="module")
def conf_data(tmp_path_factory):
    return write_conf_data(tmp_path_factory.mktemp("fuzzconf") / "data")


def config_outcome(conf_data, args: list[str], cfg_path: str) -> tuple[str, str]:
    """Run the config case; (outcome, stderr tail)."""
    folder, members = conf_data
    work = Path(tempfile.mkdtemp(prefix="ckfuzzcfg_"))
    try:
        # the fast settings come last, so that they win over a random value of the same key
        code, out, err = run_cli(["run", cfg_path, "--data", str(folder), "--out",
                                  str(work / "out"), *args, *FAST])
        outcome = classify(code, out, err, work, members)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    return outcome, err[-1500:]


def _check_config_case(conf_data, args: list[str], cfg_path: str):
    outcome, tail = config_outcome(conf_data, args, cfg_path)
    assert outcome in ("accepted", "refused"), (outcome, args, tail)


@CONF
@given(args=set_args())
def test_fuzz_set_values_accepted_or_refused(conf_data, args):
    _check_config_case(conf_data, args, CONFIG)


@CONF
@given(text=yaml_text())
def test_fuzz_yaml_config_accepted_or_refused(conf_data, text):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "cfg.yaml"
        path.write_text(text, encoding="utf-8")
        _check_config_case(conf_data, [], str(path))


def test_expected_members_follow_the_contract():
    """The fuzz's own notion of 'every member': outside accounts only beside a members table."""
    from fuzz_cases import Case

    case = Case("odd_ids", {"follows": [{"follower_id": " a", "followee_id": "b"}]},
                {"follows": "csv"}, "accept")
    assert case.members() == {"a", "b"} and canon(" a") == "a"
    case.tables["members"] = [{"member_id": "c"}]
    assert case.members() == {"a", "c"}


# regressions found by the fuzz ----------------------------------------------------------------

BIG = 2**60 + 1  # not a float64: a null beside it used to turn the column into floats


@pytest.mark.parametrize("fmt", ["jsonl", "parquet"])
def test_integer_ids_beside_a_null_keep_every_digit(tmp_path, fmt):
    import pyarrow as pa
    import pyarrow.parquet as pq

    from clusterkit.data import load_dataset

    rows = {"member_id": [5, 6], "action": ["like", "like"], "timestamp": [1_700_000_000] * 2,
            "target_id": [BIG, None]}
    if fmt == "jsonl":
        write_table(tmp_path / "events.jsonl", "jsonl",
                    [dict(zip(rows, vals, strict=True)) for vals in zip(*rows.values(),
                                                                         strict=True)])
    else:
        pq.write_table(pa.table({**rows, "member_id": pa.array(rows["member_id"], pa.int64()),
                                 "target_id": pa.array(rows["target_id"], pa.int64())}),
                       tmp_path / "events.parquet")
    assert list(load_dataset(tmp_path).member_ids) == [str(BIG), "5", "6"]


def test_a_single_member_is_refused_in_one_clear_line(tmp_path):
    """Found by the fuzz: one member (its followee outside) failed inside PCA's input check."""
    (tmp_path / "w" / "data").mkdir(parents=True)
    (tmp_path / "w" / "data" / "events.csv").write_text(
        "member_id,action,timestamp\n1711,view,2020-01-01T00:00:00Z\n")
    (tmp_path / "w" / "data" / "members.csv").write_text("member_id\n1711\n")
    (tmp_path / "w" / "data" / "follows.csv").write_text("follower_id,followee_id\n1711,824640\n")
    code, out, err = run_cli(["run", CONFIG, "--data", str(tmp_path / "w" / "data"), "--out",
                              str(tmp_path / "w" / "out"), *FAST])
    assert classify(code, out, err, tmp_path / "w", None) == "refused", err
    assert "a run needs at least 2" in err and "PCA" not in err
