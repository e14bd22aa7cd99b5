"""Audience exports: platform normalisation vectors, filters, PII safety, sidecar, CLI, scale.

Published vectors are hard-coded where a platform publishes them; every other expected hash is
computed here independently with hashlib, and every expected E.164 phone with libphonenumber.
"""

import contextlib
import hashlib
import json
import unicodedata
import warnings
from datetime import datetime

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow.parquet as pq
import pytest

from clusterkit import save_run
from clusterkit.cli.app import main
from clusterkit.data import CommunityData
from clusterkit.errors import ClusterkitInputError
from clusterkit.export import (
    RULES,
    export_audience,
    hash_values,
    identifiers_frame,
    normalize,
    write_identifiers,
)

TEST_SHA = "973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b"  # test@example.com


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- published normalisation vectors
@pytest.mark.parametrize("platform", ["meta", "google", "linkedin"])
def test_email_vectors(platform):
    raw = ["test@example.com", "  Test@Example.COM ", "  John.Doe@Example.com ", "not-an-email",
           None]
    assert hash_values(raw[:2], "email", platform) == [TEST_SHA, TEST_SHA]
    assert normalize(raw[2:], "email", platform) == ["john.doe@example.com", None, None]
    assert hash_values(raw[2:3], "email", platform) == [sha("john.doe@example.com")]


def test_google_email_keeps_gmail_dots_and_plus():
    # Google: removing dots before @gmail.com is "not required" and no '+' rule is published.
    got = normalize(["John.Doe+ads@Gmail.com", " a b@x.com"], "email", "google")
    assert got == ["john.doe+ads@gmail.com", "ab@x.com"]  # Google removes all whitespace
    assert normalize([" a b@x.com"], "email", "meta") == [None]  # Meta only trims the ends


def test_meta_phone_vectors():
    # Meta's help-centre examples: "1-234-567-8910", "12345678910", "+44 844 412 4653" ->
    # digits with country code, no '+', no leading zeros.
    raw = ["1-234-567-8910", "12345678910", "+44 844 412 4653", "+1 (650) 555-1212",
           "0044 20 7183 8750"]
    expected = ["12345678910", "12345678910", "448444124653", "16505551212", "442071838750"]
    assert normalize(raw, "phone", "meta", default_country="US") == expected
    assert hash_values(raw[:1], "phone", "meta") == [sha("12345678910")]


def test_google_phone_vectors():
    # Google Ads API guide: E.164 "+12125650000", "+442070313000"; its Customer Match example
    # turns "+1 800 5550101" into "+18005550101".
    got = normalize(["+1 800 5550101", "(212) 565-0000", "020 7031 3000"], "phone", "google",
                    country=[None, "US", "GB"], default_country="US")
    assert got == ["+18005550101", "+12125650000", "+442070313000"]
    assert hash_values(["+1 800 5550101"], "phone", "google") == [sha("+18005550101")]


REGIONS = ["US", "CA", "GB", "DE", "FR", "IT", "ES", "NL", "AU", "IN", "JP", "BR", "MX", "ZA"]


def test_phone_e164_agrees_with_libphonenumber():
    rows = []
    for region in REGIONS:
        for kind in (phonenumbers.PhoneNumberType.FIXED_LINE, phonenumbers.PhoneNumberType.MOBILE):
            number = phonenumbers.example_number_for_type(region, kind)
            e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
            intl, nat = (phonenumbers.format_number(number, f) for f in (
                phonenumbers.PhoneNumberFormat.INTERNATIONAL,
                phonenumbers.PhoneNumberFormat.NATIONAL))
            for text in (e164, e164[1:], intl, nat, nat + " ext. 12"):
                oracle = phonenumbers.parse(text, region)
                rows.append((text, region, phonenumbers.format_number(
                    oracle, phonenumbers.PhoneNumberFormat.E164)))
    text, country, expected = zip(*rows, strict=True)
    got = normalize(text, "phone", "google", country=country, default_country="US")
    assert list(got) == list(expected)
    meta = normalize(text, "phone", "meta", country=country, default_country="US")
    assert list(meta) == [e[1:] for e in expected]


def test_phone_country_default_and_unusable():
    got = normalize(["020 7183 8750", "020 7183 8750", "6505551212", "123", "", "abc", "+0123456"],
                    "phone", "google", country=["GB", None, None, None, None, None, None],
                    default_country="US")
    assert got == ["+442071838750", None, "+16505551212", None, None, None, None]
    # the same national number with a German default is a German number
    assert normalize(["030 1234567"], "phone", "google", default_country="DE") == ["+49301234567"]


def test_name_country_zip_rules():
    nfd = unicodedata.normalize("NFD", "Émilie")
    assert normalize(["Émilie", nfd, " O'Neil-Smith ", "Mary  Ann", "."], "first_name",
                     "meta") == ["émilie", "émilie", "oneilsmith", "mary ann", None]
    assert normalize([" O'Neil-Smith ", "ALEX"], "last_name", "google") == ["o'neil-smith", "alex"]
    assert hash_values(["Alex"], "first_name", "google") == [sha("alex")]
    assert normalize(["us", " GB ", "United States"], "country", "meta") == ["us", "gb", None]
    assert normalize(["us"], "country", "google") == ["US"]
    assert normalize(["94016-1234", "WC2H 8LG"], "zip", "meta", country=["US", "GB"]) == [
        "94016", "wc2h8lg"]
    assert normalize([" 94045 "], "zip", "google") == ["94045"]


def test_rules_name_their_sources():
    for platform, rules in RULES.items():
        assert rules and all(r.source and r.normalisation for r in rules), platform
    assert {r.header for r in RULES["google"]} == {"Email", "Phone", "First Name", "Last Name",
                                                   "Country", "Zip"}
    assert not any(r.hashed for r in RULES["google"] if r.field in ("country", "zip"))


# ---------------------------------------------------------------------- planted run fixture
N = 240
SEGMENTS = np.array(["core fans", "quiet followers", "bloggers", "stars"])
ROLES = np.array(["fan", "follower", "blogger", "influencer"])


def _tables(seed=0):
    rng = np.random.default_rng(seed)
    ids = np.array([f"m{i:04d}" for i in range(N)])
    first = np.array(["Ann", "Émilie", "Bob", "José", "Li"])[np.arange(N) % 5]
    names_only = np.arange(N) % 12 == 5        # name and country only: usable for Meta only
    has_email = (np.arange(N) % 4 != 3) & ~names_only   # every 4th: no email of its own
    has_phone = np.arange(N) % 3 == 0
    nothing = np.arange(N) % 12 == 11          # no email, phone, name or identity: unusable
    email = np.where(has_email, [f"  {f}.User{i}@Example.COM " for i, f in enumerate(first)],
                     None)
    country = np.array(["US", "GB", "DE"])[(np.arange(N) // 3) % 3]
    local = {"US": "(650) 555-{:04d}", "GB": "020 7183 {:04d}", "DE": "030 123{:04d}"}
    phone = np.array([local[c].format(1000 + i) if has_phone[i] and not nothing[i] else None
                      for i, c in enumerate(country)], dtype=object)
    members = pd.DataFrame({
        "member_id": ids, "name": [f"{f} Smith{i}" for i, f in enumerate(first)],
        "email": email, "phone": phone, "country": country,
        "kind": np.where(np.arange(N) % 50 == 7, "brand", "person")})
    members.loc[nothing, ["email", "phone", "name"]] = None
    # identities: a newsletter address (handle = email) for members without their own email
    who = np.flatnonzero(~has_email & ~nothing & ~names_only)
    identities = pd.DataFrame({"member_id": ids[who], "channel": "newsletter",
                               "handle": [f"NL{i}@mail.test" for i in who]})
    twitter = pd.DataFrame({"member_id": ids[::5], "channel": "twitter",
                            "handle": [f"@h{i}" for i in range(0, N, 5)]})
    identities = pd.concat([identities, twitter])
    follows = pd.DataFrame({"follower_id": ids, "followee_id": np.roll(ids, 1)})
    segs = pd.DataFrame({"member_id": ids, "segment": SEGMENTS[np.arange(N) % 4],
                         "role": ROLES[(np.arange(N) // 4) % 4],
                         "engagement_weight": rng.gamma(2.0, 5.0, N), "influence": rng.random(N),
                         "confidence": rng.random(N)})
    return dict(members=members, identities=identities, follows=follows), segs, (nothing,
                                                                                 names_only)


def _make_run(folder, tables, segs):
    data = CommunityData.from_frames(**tables)
    folder.mkdir(parents=True, exist_ok=True)
    segs.to_parquet(folder / "segments.parquet", index=False)
    (folder / "manifest.json").write_text(json.dumps({
        "name": "planted", "config_hash": "cafe1234", "seed": 7,
        "data_fingerprint": data.fingerprint(), "versions": {"clusterkit": "0.1.0"}}))
    write_identifiers(folder, data)
    return folder


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    tables, segs, (nothing, names_only) = _tables()
    run = _make_run(tmp_path_factory.mktemp("export") / "run", tables, segs)
    return run, tables, segs, (nothing, names_only)


def test_identifiers_table(planted):
    run, tables, _, _ = planted
    ids = pd.read_parquet(run / "identifiers.parquet")
    assert len(ids) == N + len(tables["identities"])
    nl = ids[ids["channel"] == "newsletter"]
    assert (nl["email"] == nl["handle"]).all()        # a newsletter handle is an email
    brand = ids[ids["member_id"] == "m0007"].iloc[0]
    assert pd.isna(brand["first_name"])                # a brand's name is not split
    ann = ids[(ids["member_id"] == "m0000") & (ids["source"] == "members")].iloc[0]
    assert (ann["first_name"], ann["last_name"], ann["country"]) == ("Ann", "Smith0", "US")


def test_identifiers_row_order_invariant(planted):
    _, tables, _, _ = planted
    rng = np.random.default_rng(3)
    shuffled = {k: v.iloc[rng.permutation(len(v))] for k, v in tables.items()}
    a = identifiers_frame(CommunityData.from_frames(**tables))
    b = identifiers_frame(CommunityData.from_frames(**shuffled))
    pd.testing.assert_frame_equal(a, b)


@pytest.mark.parametrize("segment,role", [(["stars"], None), (None, ["fan", "blogger"]),
                                          (["core fans"], ["influencer"]), (None, None)])
def test_filter_selects_exactly(planted, tmp_path, segment, role):
    run, _, segs, _ = planted
    res = export_audience(run, segment=segment, role=role, fmt="csv", out=tmp_path / "a.csv")
    got = pd.read_csv(res.path)
    mask = np.zeros(N, bool) if (segment or role) else np.ones(N, bool)
    mask |= segs["segment"].isin(segment or []) | segs["role"].isin(role or [])
    assert list(got.columns) == ["member_id", "channels", "segment", "segment_key", "role",
                                 "followers", "reported_followers", "influence",
                                 "engagement_weight", "confidence"]
    # the outreach order: influence (as written, 4 decimals) descending, ties by id
    expected = segs.loc[mask].assign(i=lambda d: d["influence"].round(4),
                                     e=lambda d: d["engagement_weight"].round(4))
    expected = expected.sort_values(["i", "e", "member_id"], ascending=[False, False, True])
    assert list(got["member_id"]) == list(expected["member_id"])
    np.testing.assert_allclose(got["engagement_weight"],
                               segs.set_index("member_id").loc[got["member_id"],
                                                               "engagement_weight"], atol=5e-5)
    assert res.rows == res.selected == mask.sum()


def test_platform_files(planted, tmp_path):
    run, tables, segs, (nothing, names_only) = planted
    members = tables["members"].set_index("member_id")
    unusable = {"meta": int(nothing.sum()), "google": int((nothing | names_only).sum()),
                "linkedin": int((nothing | names_only).sum())}
    outs = {}
    for fmt in ("meta", "google", "linkedin"):
        with pytest.warns(UserWarning, match="no usable identifier"):
            res = export_audience(run, fmt=fmt, out=tmp_path / f"{fmt}.csv")
        assert (res.selected, res.without_identifier) == (N, unusable[fmt])
        meta = json.loads(res.sidecar.read_text())
        assert meta["rows_without_identifier"] == unusable[fmt]
        assert meta["rows"] == N - unusable[fmt]
        outs[fmt] = res.path.read_text().splitlines()
        assert len(outs[fmt]) == 1 + N - unusable[fmt]
    assert outs["meta"][0] == "email,phone,fn,ln,country"     # no zip column in the data
    assert outs["google"][0] == "Email,Phone"                 # no zip: no address block
    assert outs["linkedin"][0] == "email,firstname,lastname,jobtitle,employeecompany,country," \
                                  "googleaid"
    # the first member's row, computed independently (hashlib, libphonenumber)
    row = members.loc["m0000"]
    e = row["email"].strip().lower()
    phone = phonenumbers.format_number(phonenumbers.parse(row["phone"], row["country"]),
                                       phonenumbers.PhoneNumberFormat.E164)
    assert outs["meta"][1].split(",") == [sha(e), sha(phone[1:]), sha("ann"), sha("smith0"),
                                          sha("us")]
    assert outs["google"][1].split(",") == [sha(e), sha(phone)]
    assert outs["linkedin"][1].split(",") == [sha(e), "", "", "", "", "US", ""]
    # a German member (national number, own country) and a newsletter-only email
    lines = dict(zip(sorted(set(members.index) - set(members.index[nothing | names_only])),
                     outs["google"][1:], strict=True))

    def e164(member):
        row = members.loc[member]
        return phonenumbers.format_number(phonenumbers.parse(row["phone"], row["country"]),
                                          phonenumbers.PhoneNumberFormat.E164)

    assert e164("m0006").startswith("+49") and e164("m0003").startswith("+44")
    assert lines["m0006"] == f"{sha('émilie.user6@example.com')},{sha(e164('m0006'))}"
    assert lines["m0003"] == f"{sha('nl3@mail.test')},{sha(e164('m0003'))}"


def test_member_with_two_emails_gets_two_columns(tmp_path):
    tables, segs, _ = _tables()
    extra = pd.DataFrame({"member_id": ["m0000"], "channel": ["shop"],
                          "handle": ["Other@Shop.test"]})
    tables["identities"] = pd.concat([tables["identities"], extra])
    run = _make_run(tmp_path / "run", tables, segs)
    res = export_audience(run, segment="core fans", fmt="google", out=tmp_path / "g.csv")
    lines = res.path.read_text().splitlines()
    assert lines[0] == "Email,Email,Phone"
    assert lines[1].split(",")[:2] == [sha("ann.user0@example.com"), sha("other@shop.test")]


def test_google_address_block_and_no_identifier_error(tmp_path):
    tables, segs, (nothing, names_only) = _tables()
    tables["members"]["zip"] = [f"{94000 + i} " for i in range(N)]
    run = _make_run(tmp_path / "run", tables, segs)
    with pytest.warns(UserWarning, match="no usable identifier"):
        res = export_audience(run, fmt="google", out=tmp_path / "g.csv")
    lines = res.path.read_text().splitlines()
    assert lines[0] == "Email,Phone,First Name,Last Name,Country,Zip"
    assert res.without_identifier == nothing.sum()          # names + zip now match on Google
    first = lines[1].split(",")
    assert first[2:] == [sha("ann"), sha("smith0"), "US", "94000"]  # Country, Zip plain
    # a selection whose members have nothing a platform can match is an input error
    bare = {"members": pd.DataFrame({"member_id": ["a", "b"]}),
            "follows": pd.DataFrame({"follower_id": ["a"], "followee_id": ["b"]})}
    bare_run = _make_run(tmp_path / "bare", bare, segs.head(2).assign(member_id=["a", "b"]))
    with pytest.raises(ClusterkitInputError, match="none of the selected members"):
        export_audience(bare_run, fmt="meta", out=tmp_path / "m.csv")
    assert not (tmp_path / "m.csv").exists()


def _raw_strings(tables):
    m = tables["members"]
    out = set()
    for col in ("email", "phone"):
        for v in m[col].dropna():
            out |= {v, v.strip(), v.strip().lower()}
    out |= set(tables["identities"]["handle"][tables["identities"]["channel"] == "newsletter"])
    return {s for s in out if len(s) > 5}


@pytest.mark.parametrize("fmt", ["csv", "parquet", "json", "meta", "google", "linkedin"])
def test_no_raw_pii_without_flag(planted, tmp_path, fmt):
    run, tables, _, _ = planted
    with pytest.warns(UserWarning) if fmt in ("meta", "google", "linkedin") else _nowarn():
        res = export_audience(run, fmt=fmt, out=tmp_path / f"x.{fmt}")
    raw = {s.lower().encode() for s in _raw_strings(tables)} | {
        s.encode() for s in _raw_strings(tables)}
    for path in (res.path, res.sidecar):
        blob = path.read_bytes()
        if path.suffix == ".parquet":  # compressed pages: scan the decoded values too
            blob += pq.read_table(path).to_pandas().to_csv().encode()
        low = blob.lower()
        assert not [s for s in raw if s.lower() in low], path


def test_raw_pii_only_with_flag(planted, tmp_path):
    run, tables, _, _ = planted
    res = export_audience(run, role="fan", fmt="csv", out=tmp_path / "p.csv", include_pii=True)
    assert b"Ann.User0@Example.COM" in res.path.read_bytes()  # the byte scan above can see
    got = pd.read_csv(res.path)
    assert {"email", "phone", "first_name", "country"} <= set(got.columns)
    ann = got.set_index("member_id").loc["m0000"]
    assert ann["email"] == "Ann.User0@Example.COM" and ann["country"] == "US"
    assert json.loads(res.sidecar.read_text())["include_pii"] is True


@contextlib.contextmanager
def _nowarn():
    """Member tables never warn (every selected member is written)."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        yield


def test_sidecar_provenance(planted, tmp_path):
    run, tables, _, _ = planted
    with pytest.warns(UserWarning):
        res = export_audience(run, segment=["stars", "bloggers"], role="fan", fmt="meta",
                              out=tmp_path / "m.csv", default_country="gb")
    meta = json.loads(res.sidecar.read_text())
    assert res.sidecar.name == "m.csv.meta.json"
    assert meta["run_folder"] == str(run.resolve())
    assert (meta["config_hash"], meta["seed"]) == ("cafe1234", 7)
    assert meta["data_fingerprint"] == CommunityData.from_frames(**tables).fingerprint()
    assert meta["versions"]["clusterkit"] == meta["clusterkit_version"]
    assert {"duckdb", "pyarrow", "phonenumbers", "python"} <= set(meta["versions"])
    assert meta["filters"] == {"segments": ["stars", "bloggers"], "roles": ["fan"], "all": False}
    assert meta["format"] == "meta" and meta["default_country"] == "GB"
    assert meta["rows"] == res.rows and meta["selected_members"] == res.selected
    assert meta["sha256"] == hashlib.sha256(res.path.read_bytes()).hexdigest()
    rules = {r["column"]: r for r in meta["hashing"]["rules"]}
    assert rules["email"]["hashed"] and "Meta" in rules["email"]["source"]
    assert datetime.fromisoformat(meta["created_at"]).tzinfo is not None


def test_export_row_order_invariant(planted, tmp_path):
    run, tables, segs, _ = planted
    rng = np.random.default_rng(9)
    shuffled = {k: v.iloc[rng.permutation(len(v))] for k, v in tables.items()}
    run2 = _make_run(tmp_path / "run2", shuffled, segs.iloc[rng.permutation(N)])
    for fmt in ("meta", "csv"):
        with pytest.warns(UserWarning) if fmt == "meta" else _nowarn():
            a = export_audience(run, fmt=fmt, out=tmp_path / f"a.{fmt}")
            b = export_audience(run2, fmt=fmt, out=tmp_path / f"b.{fmt}")
        assert a.path.read_bytes() == b.path.read_bytes()


def test_atomic_write_leaves_nothing_on_error(planted, tmp_path, monkeypatch):
    run, _, _, _ = planted
    out = tmp_path / "keep.csv"
    export_audience(run, role="fan", out=out)
    before = out.read_bytes(), (tmp_path / "keep.csv.meta.json").read_bytes()
    import clusterkit.export.audience as audience

    def boom(con, sql, fmt, path):
        path.write_text("half")
        raise RuntimeError("disk full")

    monkeypatch.setattr(audience, "write_copy", boom)
    with pytest.raises(RuntimeError):
        export_audience(run, role="blogger", out=out)
    assert (out.read_bytes(), (tmp_path / "keep.csv.meta.json").read_bytes()) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keep.csv", "keep.csv.meta.json"]


def test_errors_name_the_fix(planted, tmp_path):
    run, _, _, _ = planted
    with pytest.raises(ClusterkitInputError, match="valid segments: 'bloggers', 'core fans'"):
        export_audience(run, segment="nope")
    no_ids = tmp_path / "noids"
    no_ids.mkdir()
    for name in ("segments.parquet", "manifest.json"):
        (no_ids / name).write_bytes((run / name).read_bytes())
    with pytest.raises(ClusterkitInputError, match="write_identifiers"):
        export_audience(no_ids, fmt="google", out=tmp_path / "g.csv")


def test_cli_exit_codes(planted, tmp_path, capsys):
    run, _, _, _ = planted
    cases = [(["--segment", "nope"], "valid segments: 'bloggers', 'core fans', 'quiet followers', "
                                     "'stars'"),
             (["--role", "king"], "valid roles: 'influencer', 'blogger', 'fan', 'follower'"),
             ([], "--segment NAME, --role ROLE"),
             (["--all", "--role", "fan"], "--all"),
             (["--all", "--format", "xlsx"], "use one of csv, parquet, json, meta, google"),
             (["--all", "--format", "meta", "--default-country", "ZZ"], "ISO 3166-1")]
    for args, message in cases:
        capsys.readouterr()
        assert main(["export", str(run), *args, "--out", str(tmp_path / "o.csv")]) == 2, args
        err = capsys.readouterr().err.strip()
        assert err.startswith("error:") and "\n" not in err and message in err, (args, err)
    assert main(["export", str(tmp_path / "missing"), "--all"]) == 2
    code = main(["export", str(run), "--segment", "stars", "--role", "fan", "--format", "google",
                 "--out", str(tmp_path / "g.csv")])
    err = capsys.readouterr().err
    assert code == 0 and "warning:" in err and "no usable identifier" in err
    assert (tmp_path / "g.csv.meta.json").is_file()


@pytest.mark.filterwarnings("ignore:.*no usable identifier")
def test_run_folder_has_identifiers(small_synth, tmp_path):
    from clusterkit.config import RunConfig
    from clusterkit.pipeline import Pipeline

    data = CommunityData.from_frames(**small_synth.tables)
    run = Pipeline(RunConfig(attribution={"enabled": False})).run(data)
    out = save_run(run, tmp_path / "run", data=data, report=False)
    ids = pd.read_parquet(out / "identifiers.parquet")
    assert (out / "identifiers.parquet").stat().st_mode & 0o777 == 0o600  # raw emails: owner only
    assert set(ids["member_id"]) == set(data.member_ids)
    assert len(ids) == data.n_members + len(data.identities)
    res = export_audience(out, role="influencer", fmt="linkedin", out=tmp_path / "li.csv")
    assert res.rows + res.without_identifier == res.selected > 0
