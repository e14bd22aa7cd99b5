"""Identity resolution: accounts → persons, with the evidence of every merge.

A person may have several accounts (twitter, instagram, newsletter, shop …). This package
links them: deterministic rules (the identities table, normalised emails and phones), then
probabilistic linkage with Splink (names, handles, emails, city, bio), then a best-first
clustering that never gives a person two accounts on one channel.

===============================  =======================================================
:func:`resolve_identities`       data, :class:`IdentityConfig`, seed → :class:`Resolution`
:class:`Resolution`              ``persons`` (member → person), ``links`` (evidence),
                                 ``rejected``, ``model`` (Splink's m and u)
:func:`to_person_data`           the dataset re-keyed per person (features, roles and
                                 segments then work per person)
:func:`write_identity_links`     ``identity_links.parquet`` and ``persons.parquet``
===============================  =======================================================

Examples
--------
>>> from clusterkit.data import CommunityData
>>> from clusterkit.synthetic.identity import generate_accounts
>>> from clusterkit.identity import IdentityConfig, resolve_identities, to_person_data
>>> sd = generate_accounts(300, seed=2)
>>> data = CommunityData.from_frames(**sd.tables)
>>> res = resolve_identities(data, IdentityConfig(threshold=0.9), seed=0)
>>> per_person = to_person_data(data, res)
>>> per_person.n_members == res.n_persons
True
"""

from clusterkit.identity.config import IdentityConfig
from clusterkit.identity.link import Resolution, resolve_identities, write_identity_links
from clusterkit.identity.persons import to_person_data

__all__ = [
    "IdentityConfig",
    "Resolution",
    "resolve_identities",
    "to_person_data",
    "write_identity_links",
]
