"""Accounts → persons: deterministic rules, Splink linkage, constrained clustering.

:func:`resolve_identities` is the entry point; :class:`Resolution` holds the persons, the
evidence of every merge and the trained model. :func:`write_identity_links` writes
``identity_links.parquet`` and ``persons.parquet``.

Examples
--------
>>> from clusterkit.data import CommunityData
>>> from clusterkit.synthetic.identity import generate_accounts
>>> from clusterkit.identity import IdentityConfig, resolve_identities
>>> sd = generate_accounts(300, seed=4)
>>> res = resolve_identities(CommunityData.from_frames(**sd.tables), IdentityConfig(), seed=0)
>>> res.n_persons < 300 and set(res.persons.columns) == {"member_id", "person_id"}
True
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.data.sql import connect
from clusterkit.identity.accounts import account_table
from clusterkit.identity.clusters import constrained_clusters, person_ids
from clusterkit.identity.config import IdentityConfig
from clusterkit.identity.rules import check_identities, empty_links, rule_links

__all__ = ["Resolution", "resolve_identities", "write_identity_links"]

_LINK_ORDER = ["member_id_l", "member_id_r", "rule", "match_weight", "match_probability"]


@dataclass(frozen=True)
class Resolution:
    """Persons found among the accounts, with the evidence of every merge.

    Attributes
    ----------
    persons : pandas.DataFrame
        ``member_id, person_id`` for every member, sorted by ``member_id``. ``person_id`` is
        the smallest member id of the person's accounts: a member alone is its own person.
    links : pandas.DataFrame
        The links inside persons: ``member_id_l < member_id_r``, ``rule`` (``email``,
        ``phone``, ``declared_handle``, ``handle`` or ``splink``), ``match_weight`` (log2 odds;
        missing for a rule link Splink did not score), ``match_probability`` (1 for rule
        links) and ``merged`` (True for the link that joined two groups of accounts; the
        others corroborate). Every person with k accounts has exactly k - 1 merged links.
    rejected : pandas.DataFrame
        Links (rules, or Splink at or above the threshold) between accounts that stayed in
        different persons, with ``reason``: ``channel`` (the merge would give a person two
        accounts on one channel) or ``size`` (more than ``max_accounts``).
    model : pandas.DataFrame or None
        The Splink parameters (see :func:`clusterkit.identity.linkage.splink_links`); None
        when Splink did not run.
    config : IdentityConfig
    seed : int
    warnings : tuple of str
    timings : dict
        Seconds per step.
    """

    persons: pd.DataFrame
    links: pd.DataFrame
    rejected: pd.DataFrame
    model: pd.DataFrame | None
    config: IdentityConfig
    seed: int
    warnings: tuple[str, ...] = ()
    timings: dict = field(default_factory=dict)

    @property
    def n_persons(self) -> int:
        """Number of persons."""
        return int(self.persons["person_id"].nunique())

    def clusters(self) -> pd.DataFrame:
        """One row per person with several accounts: ``person_id``, ``n_accounts``,
        ``member_ids`` (``;``-joined, sorted), largest first, then by ``person_id``."""

        con = connect()
        try:
            con.register("p", self.persons)
            return con.sql("SELECT person_id, count(*) AS n_accounts, "
                           "string_agg(member_id, ';' ORDER BY member_id) AS member_ids "
                           "FROM p GROUP BY person_id HAVING count(*) > 1 "
                           "ORDER BY n_accounts DESC, person_id").df()
        finally:
            con.close()

    def summary(self) -> dict:
        """Counts for a report: members, persons, merged accounts, links by rule."""
        return {
            "members": int(len(self.persons)),
            "persons": self.n_persons,
            "persons_with_several_accounts": int(len(self.clusters())),
            "links_by_rule": {str(k): int(v) for k, v in
                              self.links["rule"].value_counts().sort_index().items()},
            "rejected": int(len(self.rejected)),
            "prior": None if self.model is None else self.model.attrs.get("prior"),
        }


def _has_fields(accounts: pd.DataFrame) -> np.ndarray:
    cols = ["first", "last", "alias", "email"]
    return accounts[cols].notna().any(axis=1).to_numpy()


def _combine(rules: pd.DataFrame, scored: pd.DataFrame) -> pd.DataFrame:
    """One row per pair: the rule (if any) with Splink's score (if any)."""
    key = ["member_id_l", "member_id_r"]
    if len(scored) == 0:
        return rules
    merged = rules.merge(scored[key + ["match_weight", "match_probability"]], on=key,
                         how="left", suffixes=("", "_s"))
    merged["match_weight"] = merged["match_weight_s"]
    rules = merged.drop(columns=["match_weight_s", "match_probability_s"])
    only = scored.merge(rules[key], on=key, how="left", indicator=True)
    only = only[only["_merge"] == "left_only"].drop(columns="_merge")
    out = pd.concat([rules, only[_LINK_ORDER]], ignore_index=True)
    return out.sort_values(key, ignore_index=True)


def resolve_identities(data, config: IdentityConfig | None = None, seed: int = 0) -> Resolution:
    """Link the accounts of ``data`` into persons.

    Steps: normalise the identity fields (:mod:`~clusterkit.identity.accounts`); link by
    rules (:mod:`~clusterkit.identity.rules`); score candidate pairs with Splink
    (:mod:`~clusterkit.identity.linkage`) when ``config.probabilistic``; merge best first
    under the channel and size constraints (:mod:`~clusterkit.identity.clusters`).

    Parameters
    ----------
    data : CommunityData
    config : IdentityConfig, optional
        Default ``IdentityConfig()``.
    seed : int, default 0
        Seed of Splink's u sampling. The result is a function of the data (in any row
        order), the config and the seed.

    Returns
    -------
    Resolution

    Raises
    ------
    clusterkit.errors.DataError
        If the identities table lacks ``member_id``, ``channel`` or ``handle``.
    clusterkit.errors.ConfigError
        If ``config`` is not an IdentityConfig.
    """
    from clusterkit.errors import ConfigError

    config = IdentityConfig() if config is None else config
    if not isinstance(config, IdentityConfig):
        raise ConfigError(f"config must be an IdentityConfig, got {type(config).__name__}. "
                          "Build one with IdentityConfig(threshold=0.9, ...).")
    check_identities(data.identities, file=data.sources.get("identities", "identities"))
    timings, warnings = {}, []
    t = time.perf_counter()
    accounts = account_table(data, config)
    timings["normalise"] = time.perf_counter() - t
    t = time.perf_counter()
    rules, notes = rule_links(accounts, data.identities, config)
    warnings += notes
    timings["rules"] = time.perf_counter() - t
    t = time.perf_counter()
    scored, model = empty_links(), None
    usable = int(_has_fields(accounts).sum())
    if config.probabilistic and usable >= config.min_accounts:
        from clusterkit.identity.linkage import splink_links

        labels = rules[rules["rule"] == "declared_handle"]
        scored, model = splink_links(accounts, config, seed=seed, labels=labels)
        if model is None:
            warnings.append("no declared links and no accounts sharing an uncommon alias or "
                            "full name: Splink's m cannot be estimated, rules only.")
    elif config.probabilistic:
        warnings.append(f"only {usable} account(s) have a name, handle or email (fewer than "
                        f"min_accounts={config.min_accounts}): probabilistic linkage skipped, "
                        "rules only.")
    timings["splink"] = time.perf_counter() - t
    t = time.perf_counter()
    links = _combine(rules, scored)
    ids = data.member_ids
    left, right = ids.get_indexer(links["member_id_l"]), ids.get_indexer(links["member_id_r"])
    is_rule = (links["rule"] != "splink").to_numpy()
    score = np.where(is_rule, np.inf, links["match_weight"].to_numpy(dtype=np.float64))
    channel = accounts["channel"].to_numpy(dtype=object)
    labels, merged = constrained_clusters(
        len(ids), left, right, score, channel=channel,
        one_per_channel=config.one_account_per_channel, max_size=config.max_accounts,
        return_edges=True)
    persons = pd.DataFrame({"member_id": pd.array(ids.to_numpy(dtype=object), dtype="string"),
                            "person_id": pd.array(person_ids(ids, labels), dtype="string")})
    inside = labels[left] == labels[right]
    evidence = links[inside].assign(merged=merged[inside]).reset_index(drop=True)
    rejected = links[~inside].reset_index(drop=True)
    rejected["reason"] = _reasons(rejected, persons, accounts, config)
    timings["cluster"] = time.perf_counter() - t
    return Resolution(persons=persons, links=evidence, rejected=rejected, model=model,
                      config=config, seed=int(seed), warnings=tuple(warnings), timings=timings)


def _reasons(rejected, persons, accounts, config) -> pd.Series:
    """Why a link between two final persons was refused: shared channel or size."""
    if len(rejected) == 0:
        return pd.Series([], dtype="string")
    pid = pd.Series(persons["person_id"].to_numpy(dtype=object),
                    index=persons["member_id"].to_numpy(dtype=object))
    pl = pid.reindex(rejected["member_id_l"].to_numpy(dtype=object)).to_numpy()
    pr = pid.reindex(rejected["member_id_r"].to_numpy(dtype=object)).to_numpy()
    chan = pd.DataFrame({"person_id": persons["person_id"].to_numpy(dtype=object),
                         "channel": accounts["channel"].to_numpy(dtype=object)}).dropna()
    chan = chan.drop_duplicates()
    pairs = pd.DataFrame({"a": pl, "b": pr, "row": np.arange(len(pl))})
    shared = pairs.merge(chan, left_on="a", right_on="person_id").merge(
        chan, left_on=["b", "channel"], right_on=["person_id", "channel"])
    conflict = np.zeros(len(pl), dtype=bool)
    conflict[shared["row"].to_numpy()] = True
    reason = np.where(conflict & config.one_account_per_channel, "channel", "size")
    return pd.Series(reason, dtype="string")


def write_identity_links(folder, resolution: Resolution) -> dict:
    """Write ``identity_links.parquet`` (the evidence) and ``persons.parquet`` to ``folder``.

    Returns
    -------
    dict
        ``{"identity_links": path, "persons": path}``.

    Examples
    --------
    >>> import tempfile
    >>> from clusterkit.data import CommunityData
    >>> from clusterkit.synthetic.identity import generate_accounts
    >>> sd = generate_accounts(200, seed=1)
    >>> res = resolve_identities(CommunityData.from_frames(**sd.tables), seed=0)
    >>> paths = write_identity_links(tempfile.mkdtemp(), res)
    >>> sorted(p.name for p in paths.values())
    ['identity_links.parquet', 'persons.parquet']
    """
    out = Path(folder)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"identity_links": out / "identity_links.parquet",
             "persons": out / "persons.parquet"}
    resolution.links.to_parquet(paths["identity_links"], index=False)
    resolution.persons.to_parquet(paths["persons"], index=False)
    return paths
