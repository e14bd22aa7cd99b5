"""Issue 15: no export format carries a raw email or phone without ``--include-pii``.

Every export file and its sidecar are scanned byte by byte for every raw email and phone of
the input (as written, lowercased, and as bare digits / E.164 for phones); a parquet export
is also read and every cell scanned (its pages are zstd-compressed, so its bytes alone
prove nothing), and a gzip file is decompressed first. Member ids that are themselves
emails or phones are written as ``sha256:<hex>`` with a warning (clusterkit/export/pii.py).
"""

from __future__ import annotations

import gzip
import hashlib
import re

import pandas as pd
import pyarrow.parquet as pq
import pytest

from clusterkit import save_run
from clusterkit.cli.app import main
from clusterkit.config import RunConfig
from clusterkit.data import CommunityData
from clusterkit.export import FORMATS, export_audience
from clusterkit.pipeline import Pipeline
from clusterkit.synthetic.community import generate

ID_AS_CONTACT = {  # member id in the generated data -> the id it gets here
    0: "Ann.Lee@Example.com", 1: "+44 20 7946 0958", 2: "(415) 555-0100", 3: "4155550123",
    4: "zoë@exämple.org",
}
PHONES = ["+1 415 555 0199", "020 7946 0000", "(212) 555-0142", "4155550123"]


def _needles(data_tables) -> set[bytes]:
    m = data_tables["members"]
    emails = set(m["email"].dropna()) | set(data_tables["identities"]["email"].dropna())
    emails |= {v for v in ID_AS_CONTACT.values() if "@" in v}
    phones = set(m["phone"].dropna()) | {v for v in ID_AS_CONTACT.values() if "@" not in v}
    out = set()
    for e in emails:
        out |= {e.encode(), e.strip().lower().encode()}
    for p in phones:
        digits = re.sub(r"\D", "", p)
        out |= {p.encode(), digits.encode(), ("+" + digits).encode()}
    return out


@pytest.fixture(scope="module")
def pii_run(tmp_path_factory):
    tables = {k: v.copy() for k, v in generate(200, seed=1).tables.items()}
    ids = sorted(tables["members"]["member_id"])
    rename = {ids[i]: new for i, new in ID_AS_CONTACT.items()}
    for name, cols in (("members", ["member_id"]), ("events", ["member_id", "target_id"]),
                       ("follows", ["follower_id", "followee_id"]),
                       ("identities", ["member_id"])):
        for c in cols:
            if c in tables[name]:
                tables[name][c] = tables[name][c].replace(rename)
    members = tables["members"]
    members["phone"] = [PHONES[i % len(PHONES)] if i % 3 == 0 else None
                        for i in range(len(members))]
    members.loc[members["member_id"] == "4155550123", "phone"] = "(415) 555-0123"
    data = CommunityData.from_frames(**tables)
    cfg = RunConfig.model_validate({"attribution": {"bootstrap": 0},
                                    "report": {"enabled": False}})
    run = tmp_path_factory.mktemp("pii") / "run"
    save_run(Pipeline(cfg).run(data), run, data=data, report=False)
    return run, _needles(tables)


def _scan(path) -> bytes:
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        raw += "\n".join(str(v) for col in table.columns for v in col.to_pylist()).encode()
    return raw


@pytest.mark.parametrize("fmt", FORMATS)
def test_no_export_carries_a_raw_email_or_phone_without_include_pii(pii_run, tmp_path, fmt):
    run, needles = pii_run
    out = tmp_path / f"all.{'parquet' if fmt == 'parquet' else fmt}"
    with pytest.warns(UserWarning) if fmt in ("csv", "parquet", "json") else _no_op():
        res = export_audience(run, fmt=fmt, out=out)
    for path in (res.path, res.sidecar):
        body = _scan(path)
        leaked = sorted(n for n in needles if n in body)
        assert not leaked, (fmt, path.name, leaked[:5])


def test_member_ids_that_are_emails_or_phones_are_hashed_and_counted(pii_run, tmp_path):
    run, _ = pii_run
    res = export_audience(run, fmt="csv", out=tmp_path / "a.csv", sort="member_id")
    written = set(pd.read_csv(res.path, dtype=str, keep_default_na=False)["member_id"])
    for raw in ID_AS_CONTACT.values():
        assert "sha256:" + hashlib.sha256(raw.encode()).hexdigest() in written
    assert sum(w.startswith("sha256:") for w in written) == len(ID_AS_CONTACT)
    assert any(w.startswith("m") for w in written)  # ordinary ids are kept
    assert any("member_id(s) are an email address or phone number" in w for w in res.warnings)
    import json

    assert json.loads(res.sidecar.read_text())["pseudonymised_member_ids"] == len(ID_AS_CONTACT)


def test_include_pii_writes_them_and_the_scanner_sees_them(pii_run, tmp_path):
    run, needles = pii_run
    res = export_audience(run, fmt="csv", out=tmp_path / "p.csv", include_pii=True)
    body = _scan(res.path)
    assert b"Ann.Lee@Example.com" in body and b"+44 20 7946 0958" in body
    assert sum(n in body for n in needles) > 10


def test_cli_prints_the_pseudonymisation_warning(pii_run, tmp_path, capsys):
    run, _ = pii_run
    assert main(["export", str(run), "--all", "--out", str(tmp_path / "c.json"),
                 "--format", "json"]) == 0
    assert "warning: 5 member_id(s) are an email address or phone number" in \
        " ".join(capsys.readouterr().err.split())


class _no_op:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_a_refused_export_leaves_no_folder_it_made(pii_run, tmp_path, capsys):
    """Fuzz seed 17: a bad --default-country with a deep --out left the new folders behind."""
    from clusterkit.cli.app import main

    run, _ = pii_run
    out = tmp_path / "a" / "b" / "c" / "out.csv"
    code = main(["export", str(run), "--all", "--format", "meta", "--out", str(out),
                 "--default-country", "USA"])
    err = capsys.readouterr().err
    assert code == 2 and "ISO 3166-1" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "a").exists()
