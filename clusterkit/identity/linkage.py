"""Probabilistic linkage of accounts with Splink (Fellegi-Sunter, DuckDB backend).

The model (comparisons, blocking rules) is in :mod:`clusterkit.identity.model`. Training:

- u by Splink's random sampling, seeded (Splink picks records by hashing their ids with the
  seed, so the sample does not depend on row order);
- m from *labelled pairs* when the identities table declares enough cross-channel links
  (``min_labels``, default 100): a declared link is a pair known to be one person, and is not
  chosen for looking alike, so its comparison levels estimate m without the bias of a
  blocked sample; otherwise m by expectation maximisation on pairs blocked on the alias and
  on the name (each session estimates the comparisons it does not block on);
- then the corrections of :mod:`clusterkit.identity.estimate` (u of levels the blocking covers
  counted from the candidates, sampled u cleaned of matches, the prior by EM over candidates);
- two accounts sharing a full name seen at most once per channel get their name evidence from
  the namesake model (:mod:`clusterkit.identity.namesakes`): the probability that they are one
  person rather than namesakes, estimated from how often the name's popularity stratum shows
  namesakes on one channel, so that the evidence of a shared name weakens as the data grows;
- the weights of each agreement pattern (name level x alias level) are lowered where the
  pattern's same-channel pairs, which are never one person, show more non-matches than the
  model expects (:mod:`clusterkit.identity.controls`).

Match weights of the candidate pairs are recomputed from their comparison vectors with the
corrected parameters; ``Resolution.model`` lists m, sampled u, corrected u and the Bayes factor
of every level.
"""

from __future__ import annotations

import logging
from contextlib import contextmanager

import numpy as np
import pandas as pd

from clusterkit.data.sql import connect
from clusterkit.identity.accounts import account_arrow
from clusterkit.identity.controls import calibrate_to_controls
from clusterkit.identity.estimate import refine
from clusterkit.identity.model import (
    COMPARISONS,
    COVERED,
    EM_RULES,
    HOUSEHOLD,
    INPUT_SQL,
    PRIOR0,
    STOP,
    splink_settings,
)
from clusterkit.identity.namesakes import same_person_probability
from clusterkit.identity.rules import empty_links as _empty_links

__all__ = ["splink_links"]


def _logit2(p: float) -> float:
    return float(np.log2(p / (1.0 - p)))


@contextmanager
def _quiet_splink():
    """Splink logs progress at INFO/WARNING; keep its logger quiet during the call only."""
    logger = logging.getLogger("splink")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        yield
    finally:
        logger.setLevel(level)


def _levels(linker) -> pd.DataFrame:
    """m and sampled u of every non-null level, with its comparison vector value."""
    rows = []
    for comp in linker._settings_obj.comparisons:  # no public accessor for trained values
        for lvl in comp._comparison_levels_excluding_null:
            u_seen = isinstance(lvl._u_probability, float | int)
            m_seen = isinstance(lvl._m_probability, float | int) and (
                lvl._has_estimated_m_values or lvl._fix_m_probability)
            rows.append({"comparison": comp.output_column_name, "level": lvl.label_for_charts,
                         "gamma": lvl.comparison_vector_value, "m": float(lvl.m_probability),
                         "u_sampled": float(lvl.u_probability) if u_seen else 0.0,
                         "fixed_u": bool(lvl._fix_u_probability),
                         "estimated": bool(m_seen and (u_seen or lvl._fix_u_probability))})
    return pd.DataFrame(rows)


def _gamma_sql(linker) -> str:
    """SQL of the comparison vector values (Splink's predict output keeps only weights)."""
    parts = []
    for comp in linker._settings_obj.comparisons:
        cases = [f"WHEN {lvl.sql_condition} THEN {lvl.comparison_vector_value}"
                 for lvl in comp.comparison_levels if lvl.sql_condition.strip() != "ELSE"]
        other = [lvl.comparison_vector_value for lvl in comp.comparison_levels
                 if lvl.sql_condition.strip() == "ELSE"]
        parts.append(f"CASE {' '.join(cases)} ELSE {other[0]} END "
                     f"AS gamma_{comp.output_column_name}")
    return ", ".join(parts)


def splink_links(accounts: pd.DataFrame, config, seed: int = 0, labels=None):
    """Score candidate pairs of accounts with a Splink model trained on the data.

    Parameters
    ----------
    accounts : pandas.DataFrame
        The account table (:func:`clusterkit.identity.accounts.account_table`).
    config : IdentityConfig
        ``threshold`` (pairs below it are dropped), ``u_max_pairs``, ``min_labels``.
    seed : int
        Seed of the u sampling.
    labels : pandas.DataFrame, optional
        Pairs known to be one person (``member_id_l``, ``member_id_r``): the declared links.

    Returns
    -------
    links : pandas.DataFrame
        ``member_id_l < member_id_r``, ``rule`` ("splink"), ``match_weight``,
        ``match_probability``, for pairs at or above the threshold, sorted.
    model : pandas.DataFrame or None
        One row per comparison level: ``comparison``, ``level``, ``m``, ``u_sampled``, ``u``
        (corrected), ``bayes_factor``; ``attrs``: ``prior``, ``m_source``, ``candidates``.
        None (and no links) when m cannot be estimated: no declared links and no pairs of
        accounts sharing an uncommon alias or full name.
    """
    import pyarrow as pa
    from splink import DuckDBAPI, Linker

    n_emails = int(accounts["email"].nunique())
    con = connect()
    con.register("acc", account_arrow(accounts))
    table = con.sql(INPUT_SQL.format(stop=list(STOP))).to_arrow_table()
    con.unregister("acc")
    with _quiet_splink():
        api = DuckDBAPI(con)
        linker = Linker(api.register(table, table_name="ck_accounts"),
                        splink_settings(n_emails, seed), log_level=None)
        linker.training.estimate_u_using_random_sampling(max_pairs=config.u_max_pairs,
                                                         seed=int(seed))
        n_labels = 0 if labels is None else len(labels)
        if n_labels >= config.min_labels:
            con.register("ck_labels", pa.table({
                "member_id_l": labels["member_id_l"].astype(str).to_numpy(),
                "member_id_r": labels["member_id_r"].astype(str).to_numpy()}))
            linker.training.estimate_m_from_pairwise_labels("ck_labels")
            m_source = f"{n_labels} declared links"
        else:
            from splink.internals.exceptions import EMTrainingException

            trained = 0
            for rule in EM_RULES:
                try:
                    linker.training.estimate_parameters_using_expectation_maximisation(rule)
                    trained += 1
                except EMTrainingException:  # the block is empty: nothing to learn from
                    pass
            if trained == 0:
                con.close()
                return _empty_links(), None
            m_source = "expectation maximisation"
        pred = linker.inference.predict(threshold_match_weight=_logit2(PRIOR0) - 1.0,
                                        warning_mode="never")
        out = con.sql(f"SELECT member_id_l, member_id_r, {_gamma_sql(linker)} "
                      f"FROM {pred.physical_name}").df()
        levels = _levels(linker)
    con.close()
    # a household's address carries no evidence (the names decide): model.HOUSEHOLD
    levels.loc[(levels["level"] == HOUSEHOLD).to_numpy(dtype=bool), "estimated"] = False
    n = len(accounts)
    n_pairs = max(n * (n - 1) / 2, 1.0)
    gammas = {c: out[f"gamma_{c}"].to_numpy(dtype=np.int64) for c in COMPARISONS}
    levels["covered"] = [(c, lv) in COVERED for c, lv in zip(levels["comparison"],
                                                             levels["level"], strict=True)]
    pos = pd.Index(accounts["member_id"].astype(str))
    left = pos.get_indexer(out["member_id_l"].astype(str))
    right = pos.get_indexer(out["member_id_r"].astype(str))
    block = (same_person_probability(accounts.reset_index(drop=True), left, right)
             if config.namesakes else None)
    channel = pd.factorize(accounts["channel"].astype(object).to_numpy())[0]
    bf, prior, model = refine(gammas, levels, n_pairs, 1.0 / config.u_max_pairs,
                              block_prob=block)
    model.attrs.update(m_source=m_source, candidates=len(out))
    weight = (bf + _logit2(prior)).round(6)  # rounding absorbs float noise of parallel sums
    if config.controls:
        pattern = (gammas["name"] + 1) * 64 + (gammas["alias"] + 1)
        weight = calibrate_to_controls(weight, np.unique(pattern, return_inverse=True)[1],
                                       left, right, channel).round(6)
    prob = 1.0 / (1.0 + np.exp2(-weight))
    keep = prob >= config.threshold
    a = out["member_id_l"].to_numpy(dtype=str)[keep]
    b = out["member_id_r"].to_numpy(dtype=str)[keep]
    links = pd.DataFrame({
        "member_id_l": pd.array(np.where(a < b, a, b), dtype="string"),
        "member_id_r": pd.array(np.where(a < b, b, a), dtype="string"),
        "rule": pd.array(["splink"] * int(keep.sum()), dtype="string"),
        "match_weight": weight[keep], "match_probability": prob[keep]})
    links = links.sort_values(["member_id_l", "member_id_r"], ignore_index=True)
    return links.drop_duplicates(["member_id_l", "member_id_r"], ignore_index=True), model
