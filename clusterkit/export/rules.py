"""Per-platform normalisation and SHA-256 hashing of identifiers, as DuckDB SQL.

Each ad platform matches an uploaded customer list against its own users by hashing the
*normalised* identifier; a value normalised differently hashes differently and silently fails
to match. The rules below are the ones each platform publishes (sources named per rule in
:data:`RULES`); everything is a SQL expression so that a million rows normalise and hash in
one vectorised DuckDB query (``sha256()`` gives the lowercase hex digest of the UTF-8 bytes).

Published rules implemented
---------------------------
Meta (customer-list custom audiences; Marketing API "Customer File Custom Audiences",
section "Hashing and Normalizing Data", and the Business Help Centre article "How to format a
customer list", id 2082575038703844):

- ``email``: trim leading and trailing whitespace, lowercase; SHA-256.
- ``phone``: digits only, with the country code, no ``+`` and no leading zeros; SHA-256.
- ``fn`` / ``ln``: lowercase, no punctuation, UTF-8 (accents kept); SHA-256.
- ``zip``: lowercase, no whitespace; US zip codes: the first 5 digits only; SHA-256.
- ``country``: lowercase ISO 3166-1 alpha-2 code; SHA-256.

Google Ads Customer Match (Help Centre "Format your customer data file", answer 7659867, and
"About the customer matching process", answer 7474263; Google Ads API guide "Customer Match"
and its ``AddCustomerMatchUserList`` example in google-ads-java / google-ads-python):

- ``Email``: lowercase, all whitespace removed; SHA-256. The guide says removing the periods
  before ``@gmail.com`` / ``@googlemail.com`` is *not* required, so it is not done (nor is
  anything after ``+`` removed: Google publishes no such rule).
- ``Phone``: E.164 with the leading ``+`` and the country code (``+12125650000``); SHA-256.
- ``First Name`` / ``Last Name``: lowercase, leading and trailing whitespace removed; SHA-256.
- ``Country`` and ``Zip``: **not** hashed ("If you upload a hashed data file, don't hash
  Country and Zip data"); Country as the ISO two-letter code.

LinkedIn Matched Audiences (Help "Requirements for contact targeting lists in Campaign
Manager", answer a1489764; Marketing API "DMP Segment Users", id type ``SHA256_EMAIL``):

- ``email``: plain or SHA-256 hex (the help article: unhashed addresses are "locally hashed
  in your browser" before upload). LinkedIn publishes no normalisation rule of its own; this
  module hashes trim + lowercase, the rule Meta and Google publish.
- ``firstname`` / ``lastname``: plain text only (the API's ``firstName`` / ``lastName`` are
  plain strings of at most 35 characters), so they are written only with ``include_pii``;
  ``country``: ISO two-letter code, plain.
- Header names are those of the contact-list CSV template that Campaign Manager offers for
  download (``email, firstname, lastname, jobtitle, employeecompany, country, googleaid``);
  the help article says not to change or remove them. The template itself is not published
  as text, so check a downloaded copy if LinkedIn rejects the file.

Phones are brought to E.164 by one vectorised rule that follows libphonenumber's parsing
(``phonenumbers``, Apache-2.0, supplies the per-country metadata: country calling code,
national (trunk) prefix, international dialling prefix and the national-number pattern):
a number starting with ``+`` or with the country's international prefix (``00``, ``011`` …)
is international (so is one starting with ``00`` that is no valid national number: Meta's
"no leading zeros"); otherwise the trunk prefix is dropped (``020 7183 8750`` in GB becomes
``+442071838750``), a leading country code written without ``+`` is recognised when the rest
is a valid national number, and the national number must match the country's pattern.
The country is the row's own ``country`` when it is a valid ISO code, else the default
country. Extensions (``ext. 12``, ``x12``, ``#12``) are dropped. Numbers that fit no rule are
unusable (``NULL``), counted by the export, never guessed.

Examples
--------
>>> normalize(["  John.Doe@Example.com "], "email", "meta")
['john.doe@example.com']
>>> hash_values(["test@example.com"], "email", "google")[0][:16]
'973dfe463ec85785'
>>> normalize(["020 7183 8750", "+1 (650) 555-1212"], "phone", "google", default_country="GB")
['+442071838750', '+16505551212']
>>> normalize(["020 7183 8750"], "phone", "meta", default_country="GB")
['442071838750']
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from clusterkit.data.sql import connect

__all__ = ["PLATFORMS", "RULES", "Rule", "hash_values", "normalize", "valid_regions"]

PLATFORMS: tuple[str, ...] = ("meta", "google", "linkedin")
"""Ad platforms with an upload format."""

_WS = r"[\s\p{Z}]"
_EMAIL_OK = r"[^@\s]+@[^@\s]+\.[^@\s]+"
_META = ("Meta Marketing API, Customer File Custom Audiences: 'Hashing and Normalizing Data'; "
         "Meta Business Help Centre 2082575038703844 'How to format a customer list'")
_GOOGLE = ("Google Ads Help 7659867 'Format your customer data file' and 7474263; Google Ads "
           "API 'Customer Match' guide and AddCustomerMatchUserList example")
_LINKEDIN = ("LinkedIn Help a1489764 'Requirements for contact targeting lists'; LinkedIn "
             "Marketing API 'DMP Segment Users' (SHA256_EMAIL)")


@dataclass(frozen=True)
class Rule:
    """How one identifier is written for one platform.

    Attributes
    ----------
    field : str
        Identifier in the identifiers table (``email``, ``phone``, ``first_name`` …).
    header : str
        Column header in the platform's upload file.
    normalisation : str
        The published normalisation, in words.
    hashed : bool
        Whether the value is written as its SHA-256 hex digest.
    source : str
        Where the platform publishes the rule.
    """

    field: str
    header: str
    normalisation: str
    hashed: bool
    source: str


RULES: dict[str, tuple[Rule, ...]] = {
    "meta": (
        Rule("email", "email", "trim whitespace, lowercase", True, _META),
        Rule("phone", "phone", "E.164 digits with country code, no '+', no leading zeros",
             True, _META),
        Rule("first_name", "fn", "Unicode NFC, lowercase, punctuation removed, whitespace "
                                 "trimmed and collapsed", True, _META),
        Rule("last_name", "ln", "Unicode NFC, lowercase, punctuation removed, whitespace "
                                "trimmed and collapsed", True, _META),
        Rule("zip", "zip", "lowercase, whitespace removed; US: first 5 digits", True, _META),
        Rule("country", "country", "lowercase ISO 3166-1 alpha-2", True, _META),
    ),
    "google": (
        Rule("email", "Email", "lowercase, all whitespace removed (gmail dots kept: not "
                               "required)", True, _GOOGLE),
        Rule("phone", "Phone", "E.164 with '+' and country code", True, _GOOGLE),
        Rule("first_name", "First Name", "Unicode NFC, lowercase, leading/trailing whitespace "
                                         "removed", True, _GOOGLE),
        Rule("last_name", "Last Name", "Unicode NFC, lowercase, leading/trailing whitespace "
                                       "removed", True, _GOOGLE),
        Rule("country", "Country", "ISO 3166-1 alpha-2, uppercase, not hashed", False, _GOOGLE),
        Rule("zip", "Zip", "trimmed, not hashed", False, _GOOGLE),
    ),
    "linkedin": (
        Rule("email", "email", "trim whitespace, lowercase", True, _LINKEDIN),
        Rule("first_name", "firstname", "plain text, trimmed (only with include_pii)", False,
             _LINKEDIN),
        Rule("last_name", "lastname", "plain text, trimmed (only with include_pii)", False,
             _LINKEDIN),
        Rule("country", "country", "ISO 3166-1 alpha-2, uppercase, not hashed", False,
             _LINKEDIN),
    ),
}
"""Column rules per platform, in file order (see the module docstring for the sources)."""


def _lit(text: str) -> str:
    """A SQL string literal."""
    return "'" + text.replace("'", "''") + "'"


def _trim(expr: str) -> str:
    return f"regexp_replace({expr}, '^{_WS}+|{_WS}+$', '', 'g')"


def _blank_null(expr: str) -> str:
    return f"nullif({expr}, '')"


def email_sql(expr: str, platform: str) -> str:
    """SQL for the normalised email (``NULL`` when blank or not an address)."""
    raw = f"CAST({expr} AS VARCHAR)"
    norm = (f"lower(regexp_replace({raw}, '{_WS}', '', 'g'))" if platform == "google"
            else f"lower({_trim(raw)})")
    return f"(CASE WHEN regexp_full_match({norm}, '{_EMAIL_OK}') THEN {norm} END)"


def name_sql(expr: str, platform: str) -> str:
    """SQL for a normalised first or last name (``NULL`` when blank)."""
    raw = f"nfc_normalize(CAST({expr} AS VARCHAR))"
    if platform == "meta":
        no_punct = f"regexp_replace(lower({raw}), '\\pP', '', 'g')"
        return _blank_null(f"regexp_replace({_trim(no_punct)}, '{_WS}+', ' ', 'g')")
    if platform == "google":
        return _blank_null(f"lower({_trim(raw)})")
    return _blank_null(_trim(raw))


@lru_cache(maxsize=1)
def valid_regions() -> frozenset:
    """ISO 3166-1 alpha-2 codes known to libphonenumber (the countries a phone can be in)."""
    import phonenumbers

    return frozenset(phonenumbers.SUPPORTED_REGIONS)


def country_sql(expr: str) -> str:
    """SQL for the uppercase ISO alpha-2 country code (``NULL`` when not a known code)."""
    code = f"upper(regexp_replace(CAST({expr} AS VARCHAR), '[^A-Za-z]', '', 'g'))"
    known = _lit("|" + "|".join(sorted(valid_regions())) + "|")
    return f"(CASE WHEN length({code}) = 2 AND strpos({known}, {code}) > 0 THEN {code} END)"


def zip_sql(expr: str, country_expr: str, platform: str) -> str:
    """SQL for the postal code: Meta's lowercase / 5-digit-US rule, else trimmed."""
    raw = f"CAST({expr} AS VARCHAR)"
    if platform != "meta":
        return _blank_null(_trim(raw))
    z = f"lower(regexp_replace({raw}, '{_WS}', '', 'g'))"
    us = f"left(split_part({z}, '-', 1), 5)"
    return _blank_null(f"(CASE WHEN {country_expr} = 'US' THEN {us} ELSE {z} END)")


@dataclass(frozen=True)
class _Region:
    code: str
    cc: str
    national_prefix: str
    intl_prefix: str
    pattern: str
    max_len: int


def _region(code: str) -> _Region | None:
    import phonenumbers

    meta = phonenumbers.PhoneMetadata.metadata_for_region(code)
    if meta is None or meta.general_desc is None or not meta.general_desc.national_number_pattern:
        return None
    lengths = meta.general_desc.possible_length or (15,)
    return _Region(code, str(meta.country_code), meta.national_prefix or "",
                   meta.international_prefix or "00",
                   meta.general_desc.national_number_pattern, max(lengths))


def _strip_np(x: str, reg: _Region) -> str:
    if not reg.national_prefix:
        return x
    n = len(reg.national_prefix)
    return (f"(CASE WHEN starts_with({x}, {_lit(reg.national_prefix)}) AND regexp_full_match("
            f"substr({x}, {n + 1}), {_lit(reg.pattern)}) THEN substr({x}, {n + 1}) ELSE {x} END)")


def _intl(x: str) -> str:
    return f"(CASE WHEN regexp_full_match({x}, '[1-9][0-9]{{6,14}}') THEN {x} END)"


def _region_branch(d: str, reg: _Region) -> str:
    ip = f"'^(?:{reg.intl_prefix})'"
    after_ip = f"regexp_replace({d}, {ip}, '')"
    full = _strip_np(d, reg)
    pot = _strip_np(f"substr({d}, {len(reg.cc) + 1})", reg)
    pat = _lit(reg.pattern)
    nat = (f"(CASE WHEN starts_with({d}, {_lit(reg.cc)}) AND ((NOT regexp_full_match({full}, "
           f"{pat}) AND regexp_full_match({pot}, {pat})) OR length({full}) > {reg.max_len}) "
           f"THEN {pot} ELSE {full} END)")
    return (f"(CASE WHEN regexp_matches({d}, {ip}) AND regexp_matches({after_ip}, '^[1-9]') "
            f"THEN {_intl(after_ip)} "
            f"WHEN regexp_full_match({nat}, {pat}) THEN {_lit(reg.cc)} || {nat} "
            f"WHEN regexp_matches({d}, '^00[1-9]') THEN {_intl(f'substr({d}, 3)')} END)")


def phone_prep_sql(expr: str) -> str:
    """SQL for a raw phone value trimmed and without its extension (``ext. 12``, ``x12``)."""
    t = _trim(f"CAST({expr} AS VARCHAR)")
    return f"regexp_replace({t}, '(?i){_WS}*(?:ext\\.?|extension|x|#){_WS}*[0-9]+$', '')"


def digits_sql(expr: str) -> str:
    """SQL for the digits of a value."""
    return f"regexp_replace({expr}, '[^0-9]', '', 'g')"


def phone_sql(t: str, d: str, region: str, regions) -> str:
    """SQL for the E.164 digits (no ``+``) of a phone, ``NULL`` when unusable.

    ``t`` and ``d`` name the columns made by :func:`phone_prep_sql`; ``region`` is a SQL
    expression giving the row's ISO country; ``regions`` the codes it can take.
    """
    branches = []
    for code in sorted(set(regions)):
        reg = _region(code)
        if reg is not None:
            branches.append(f"WHEN {region} = {_lit(code)} THEN {_region_branch(d, reg)}")
    return (f"(CASE WHEN {d} IS NULL OR {d} = '' THEN NULL WHEN starts_with({t}, '+') THEN "
            f"{_intl(d)} {' '.join(branches)} END)")


def _field_sql(field: str, platform: str, value: str, country: str, regions) -> str:
    if field == "email":
        return email_sql(value, platform)
    if field in ("first_name", "last_name"):
        return name_sql(value, platform)
    if field == "country":
        return f"lower({country_sql(value)})" if platform == "meta" else country_sql(value)
    if field == "zip":
        return zip_sql(value, country, platform)
    if field == "phone":
        e164 = phone_sql("_t", "_d", country, regions)
        return e164 if platform == "meta" else f"('+' || {e164})"
    raise ValueError(f"unknown identifier {field!r}; use email, phone, first_name, last_name, "
                     "country or zip.")


def _evaluate(values, field, platform, country, default_country, hashed):
    import pyarrow as pa

    values = list(values)
    if not values:
        return []
    countries = list(country) if country is not None else [None] * len(values)
    table = pa.table({"v": pa.array([None if v is None else str(v) for v in values],
                                    pa.string()),
                      "c": pa.array([None if c is None else str(c) for c in countries],
                                    pa.string())})
    default = default_country.upper()
    regions = valid_regions() & ({default} | {str(c).upper() for c in countries if c})
    expr = _field_sql(field, platform, "v", "_ctry", regions)
    if hashed:
        expr = f"sha256({expr})"
    con = connect()
    con.execute("SET enable_progress_bar = false")
    con.register("_vals", table)
    inner = (f"SELECT v, coalesce({country_sql('c')}, {_lit(default)}) AS _ctry, "
             f"{phone_prep_sql('v')} AS _t FROM _vals")
    sql = f"SELECT {expr} FROM (SELECT *, {digits_sql('_t')} AS _d FROM ({inner}))"
    return [row[0] for row in con.execute(sql).fetchall()]


def normalize(values, field: str, platform: str, country=None, default_country: str = "US"):
    """Normalise raw identifier values by ``platform``'s published rule.

    Parameters
    ----------
    values : sequence of str or None
        Raw values.
    field : {"email", "phone", "first_name", "last_name", "country", "zip"}
        The identifier.
    platform : {"meta", "google", "linkedin"}
        Whose rule to apply.
    country : sequence of str, optional
        Each value's country (ISO alpha-2), for phones and zip codes.
    default_country : str, default "US"
        Country of the values whose ``country`` is missing or not an ISO code.

    Returns
    -------
    list
        Normalised values (``None`` where unusable), before hashing.

    Examples
    --------
    >>> normalize(["Émilie", " O'Neil-Smith "], "first_name", "meta")
    ['émilie', 'oneilsmith']
    """
    return _evaluate(values, field, platform, country, default_country, hashed=False)


def hash_values(values, field: str, platform: str, country=None, default_country: str = "US"):
    """SHA-256 (lowercase hex, DuckDB ``sha256``) of the values as :func:`normalize` gives them.

    Examples
    --------
    >>> hash_values(["  Test@Example.com"], "email", "meta")
    ['973dfe463ec85785f5f95af5ba3906eedb2d931c24e69824a89ea65dba4e813b']
    """
    return _evaluate(values, field, platform, country, default_country, hashed=True)
