"""The Splink model of account pairs: input columns, comparisons, blocking rules.

Comparisons are designed to be roughly independent given the person, because a Fellegi-Sunter
model multiplies their Bayes factors:

``name``    the display names (first name + last name in either order, nicknames mapped; first
            names that are nickname variants in the ``nicknames`` list with the same last name
            count as the same name, the last name's frequency standing for the name's), or, when a
            side shows no name, whether its handle or email spells the other's name. Exact
            names are split by how many *people* share the name: the most accounts with the
            name on one channel (a person has at most one account per channel, so their own
            accounts do not make the name look common), and by how common the last name is;
``alias``   handle with handle and handle with an email's local part, *only when neither
            spells a name* and the two accounts do not share the email it comes from. Name,
            handle, email user and handle-vs-email compared separately would count the same
            evidence up to four times;
``digits``  trailing digits of the aliases (a birth year, a lucky number): independent of the
            name, they tell ``alexsmith84`` from ``alexsmith91``;
``email``   exact normalised email; its u is *fixed* at one over the number of distinct
            emails, since the sampled u is inflated for a unique key (the few random pairs
            that share an email are mostly the same person); a shared address that reads
            as a household's (:mod:`~clusterkit.identity.households`) is a level of its
            own that carries no evidence (:data:`HOUSEHOLD`);
``city``, ``bio``  same folded city; shared bio words.

The blocking rules make every pair at a :data:`COVERED` level a candidate (same full name,
same alias core, same email, or an alias equal to one of the other side's name keys), plus
same last name and city. A key carried by more than :data:`MAX_BLOCK` accounts of one channel
makes no candidates (such pairs carry little evidence, and a population where everybody shares
a handful of names would otherwise make billions of pairs); its pairs fall in the
"very common" levels, whose u is sampled.

Examples
--------
>>> s = splink_settings(100)
>>> [c["output_column_name"] for c in s["comparisons"]] == list(COMPARISONS)
True
>>> len(s["blocking_rules_to_generate_predictions"])
11
"""

from __future__ import annotations

__all__ = ["COMPARISONS", "COVERED", "EM_RULES", "HOUSEHOLD", "INPUT_SQL", "MAX_BLOCK", "PRIOR0",
           "STOP", "splink_settings"]

COMPARISONS = ("name", "alias", "digits", "email", "city", "bio")
# EM sessions on informative blocks: a key shared by a few accounts (a common first name as a
# handle would make the block almost all non-matches, and EM drifts)
EM_RULES = ("l.alias_core = r.alias_core AND l.n_core <= 20",
            "l.full_name = r.full_name AND l.n_full <= 20")
MAX_BLOCK = 50
"""A key on more accounts of one channel than this (a common first name as a handle, a very
common full name) generates no candidate pairs."""
COVERED = frozenset({
    ("name", "full name, one person, rare last name"), ("name", "full name, one person"),
    ("name", "full name, rare"),
    ("name", "full name, common"),
    ("name", "handle or email spells the other's name, one person"),
    ("name", "handle or email spells the other's name"),
    ("alias", "same alias, on these two accounts only"), ("alias", "same alias"),
    ("alias", "same alias without digits, one person"), ("alias", "same alias without digits"),
})
"""Levels whose pairs are all candidate pairs (they imply equality on a blocking key)."""
HOUSEHOLD = "same email, a household's"
"""The email level of a shared address that reads as a household's
(:mod:`~clusterkit.identity.households`): it carries no evidence, the names decide."""
PRIOR0 = 1e-4  # the prior Splink is given; replaced by the fixed point after prediction
STOP = ("the", "and", "for", "with", "our", "your", "you", "all", "about", "from", "into",
         "this", "that", "are", "was")
INPUT_SQL = """
WITH base AS (
    SELECT *, list_distinct(list_concat(coalesce(variants, []),
                                        [x FOR x IN [given] IF x IS NOT NULL])) AS firsts,
        count(*) OVER (PARTITION BY full_name, channel) AS full_per_channel,
        count(*) OVER (PARTITION BY alias_core, channel) AS core_per_channel,
        count(*) OVER (PARTITION BY last, channel) AS last_per_channel,
        count(*) OVER (PARTITION BY email, channel) AS email_per_channel,
        count(*) OVER (PARTITION BY last, city, channel) AS last_city_per_channel
    FROM acc
), counted AS (
    -- a person has at most one account per channel, so the most accounts sharing a key on
    -- one channel counts the people who share it (a person's own accounts do not inflate it)
    SELECT *,
        CASE WHEN full_name IS NULL THEN NULL
             ELSE max(full_per_channel) OVER (PARTITION BY full_name) END AS n_full,
        CASE WHEN alias_core IS NULL THEN NULL
             ELSE max(core_per_channel) OVER (PARTITION BY alias_core) END AS n_core,
        CASE WHEN last IS NULL THEN NULL
             ELSE max(last_per_channel) OVER (PARTITION BY last) END AS n_last,
        max(email_per_channel) OVER (PARTITION BY email) AS n_email,
        max(last_city_per_channel) OVER (PARTITION BY last, city) AS n_last_city
    FROM base
)
SELECT member_id, given, first, last, initial, full_name, nicks, alias, alias_core, email, city,
    coalesce(household, FALSE) AS household,
    given || last AS key_given, first || last AS key_first, initial || last AS key_initial,
    alias_core AS spell_core,
    nullif(regexp_extract(alias, '([0-9]{{2,}})$', 1), '') AS digits,
    n_full, n_core, n_last, n_email, n_last_city,
    CASE WHEN alias IS NULL THEN NULL ELSE count(*) OVER (PARTITION BY alias) END AS n_alias,
    CASE WHEN bio IS NULL THEN NULL ELSE list_sort(list_distinct(
        [w FOR w IN string_split(bio, ' ') IF length(w) >= 3 AND NOT list_contains({stop}, w)]
        )) END AS bio,
    list_sort(list_distinct([k FOR k IN [given || last, first || last, initial || last]
        IF k IS NOT NULL])) AS name_keys,
    list_sort(list_distinct([k FOR k IN firsts IF length(k) >= 3])) AS first_keys,
    -- list_concat takes two lists before DuckDB 1.3
    list_sort(list_distinct(list_concat(list_concat(list_concat(
        [v || last FOR v IN firsts IF last IS NOT NULL],
        [last || v FOR v IN firsts IF last IS NOT NULL]), list_concat(
        [v || left(last, 1) FOR v IN firsts IF last IS NOT NULL],
        CASE WHEN last IS NOT NULL AND initial IS NOT NULL THEN [initial || last]
             ELSE [] END)),
        [v FOR v IN firsts IF length(v) >= 3]))) AS name_forms
FROM counted ORDER BY member_id
"""


def _lvl(sql, label, **kw):
    return {"sql_condition": sql, "label_for_charts": label, **kw}


def splink_settings(n_emails: int, seed: int = 0) -> dict:
    """The Splink settings: comparisons and the blocking rules that generate candidate pairs.

    Parameters
    ----------
    n_emails : int
        Number of distinct normalised emails (fixes the u of an exact email match).
    seed : int
        Recorded in the linker id.

    """
    k = MAX_BLOCK
    spells_l = "coalesce(list_contains(name_keys_r, spell_core_l), FALSE)"  # l's alias spells r
    spells_r = "coalesce(list_contains(name_keys_l, spell_core_r), FALSE)"
    spells = f"({spells_l} OR {spells_r})"
    spells_one = (f"(({spells_l} AND coalesce(n_full_r, 1e9) <= 1) OR "
                  f"({spells_r} AND coalesce(n_full_l, 1e9) <= 1))")
    spells_cov = (f"(({spells_l} AND coalesce(n_full_r, 0) <= {k}) OR "
                  f"({spells_r} AND coalesce(n_full_l, 0) <= {k}))")
    spells_first = ("coalesce(list_contains(first_keys_r, spell_core_l) OR "
                    "list_contains(first_keys_l, spell_core_r), FALSE)")
    unnamed = "((first_l IS NULL AND last_l IS NULL) OR (first_r IS NULL AND last_r IS NULL))"
    same_full = "full_name_l = full_name_r"
    nick = ("last_l = last_r AND coalesce(list_contains(nicks_l, given_r) OR "
            "list_contains(nicks_r, given_l), FALSE)")
    name = {"output_column_name": "name", "comparison_levels": [
        _lvl(f"{unnamed} AND NOT {spells} AND NOT {spells_first}", "null", is_null_level=True),
        _lvl(f"({same_full} AND n_full_l <= 1 AND n_last_l <= 3) OR ({nick} AND n_last_l <= 1)",
             "full name, one person, rare last name"),
        _lvl(f"{same_full} AND n_full_l <= 1", "full name, one person"),
        _lvl(f"({same_full} AND n_full_l <= 3) OR ({nick} AND n_last_l <= 3)",
             "full name, rare"),
        _lvl(f"({same_full} AND n_full_l <= {k}) OR ({nick} AND n_last_l <= {k})",
             "full name, common"),
        _lvl(same_full, "full name, very common"),
        _lvl("(first_l = first_r AND jaro_winkler_similarity(last_l, last_r) >= 0.9) OR "
             "(last_l = last_r AND jaro_winkler_similarity(first_l, first_r) >= 0.9)",
             "full name, one typo"),
        _lvl(spells_one, "handle or email spells the other's name, one person"),
        _lvl(spells_cov, "handle or email spells the other's name"),
        _lvl(spells, "handle or email spells the other's name, very common name"),
        _lvl("last_l = last_r AND initial_l = initial_r", "last name and initial"),
        _lvl(f"(first_l = first_r AND (last_l IS NULL OR last_r IS NULL)) OR {spells_first}",
             "first name only"),
        _lvl("ELSE", "different"),
    ]}
    namelike = " OR ".join(f"list_contains(name_forms_{a}, alias_core_{b})"
                           for a, b in ("ll", "rr", "lr", "rl"))
    # an alias derived from an email both accounts share is the email's evidence, not new
    namelike = f"coalesce({namelike}, FALSE) OR coalesce(email_l = email_r, FALSE)"
    alias = {"output_column_name": "alias", "comparison_levels": [
        _lvl(f"alias_l IS NULL OR alias_r IS NULL OR {namelike}", "null or spelling a name",
             is_null_level=True),
        _lvl(f"alias_l = alias_r AND n_alias_l <= 2 AND n_core_l <= {k}",
             "same alias, on these two accounts only"),
        _lvl(f"alias_l = alias_r AND n_core_l <= {k}", "same alias"),
        _lvl("alias_core_l = alias_core_r AND n_core_l <= 1",
             "same alias without digits, one person"),
        _lvl(f"alias_core_l = alias_core_r AND n_core_l <= {k}", "same alias without digits"),
        _lvl("alias_core_l = alias_core_r", "same alias, very common"),
        _lvl("jaro_winkler_similarity(alias_l, alias_r) >= 0.9", "similar alias"),
        _lvl("ELSE", "different"),
    ]}
    email = {"output_column_name": "email", "comparison_levels": [
        _lvl("email_l IS NULL OR email_r IS NULL", "null", is_null_level=True),
        # a household's address (thetaylors@) says one home, not one person: no evidence
        _lvl("email_l = email_r AND (household_l OR household_r)", HOUSEHOLD),
        _lvl("email_l = email_r", "same email", u_probability=1.0 / max(n_emails, 2),
             fix_u_probability=True),
        _lvl("ELSE", "different"),
    ]}
    city = {"output_column_name": "city", "comparison_levels": [
        _lvl("city_l IS NULL OR city_r IS NULL", "null", is_null_level=True),
        _lvl("city_l = city_r", "same city"),
        _lvl("ELSE", "different"),
    ]}
    # the digits of a handle (a birth year, a lucky number) are independent of the name: two
    # namesakes are told apart by alexsmith84 / alexsmith91
    digits = {"output_column_name": "digits", "comparison_levels": [
        _lvl("digits_l IS NULL OR digits_r IS NULL", "null", is_null_level=True),
        _lvl("digits_l = digits_r", "same digits"),
        _lvl("ELSE", "different digits"),
    ]}
    bio = {"output_column_name": "bio", "comparison_levels": [
        _lvl("bio_l IS NULL OR bio_r IS NULL", "null", is_null_level=True),
        _lvl("len(list_intersect(bio_l, bio_r)) >= 2", "two shared words"),
        _lvl("len(list_intersect(bio_l, bio_r)) >= 1", "one shared word"),
        _lvl("ELSE", "different"),
    ]}
    # every pair at a COVERED level is a candidate: equal full name, alias or email, or an
    # alias spelling one of the name keys of the other side
    # (keys shared by more than MAX_BLOCK accounts on one channel make no candidates: they
    # carry little evidence, and would make billions of pairs on a large population)
    keys = ("key_given", "key_first", "key_initial")
    blocking = [f"l.full_name = r.full_name AND l.n_full <= {k}",
                f"l.alias_core = r.alias_core AND l.n_core <= {k}",
                f"l.email = r.email AND l.n_email <= {k}"]
    blocking += [f"l.alias_core = r.{key} AND coalesce(r.n_full, 0) <= {k}" for key in keys]
    blocking += [f"l.{key} = r.alias_core AND coalesce(l.n_full, 0) <= {k}" for key in keys]
    blocking += [f"l.last = r.last AND l.city = r.city AND l.n_last_city <= {k}",
                 f"l.last = r.last AND l.n_last <= {k} AND coalesce(list_contains(l.nicks, "
                 "r.given) OR list_contains(r.nicks, l.given), FALSE)"]
    return {
        "link_type": "dedupe_only",
        "unique_id_column_name": "member_id",
        "comparisons": [name, alias, digits, email, city, bio],
        "blocking_rules_to_generate_predictions": blocking,
        "retain_matching_columns": True,
        "retain_intermediate_calculation_columns": False,
        "max_iterations": 20,
        "em_convergence": 1e-4,
        "linker_uid": f"clusterkit{seed}",
        "probability_two_random_records_match": PRIOR0,
    }
