"""Member profiles: who is this member, in an instant (``clusterkit profile RUN MEMBER``).

A run saved with its input data holds an index (``profile.duckdb``, built by
:func:`write_profile_index`) that makes one lookup a handful of small queries.
:func:`lookup` and :class:`ProfileIndex` read it; :mod:`clusterkit.profile.render` draws a
profile in the terminal.
"""

from clusterkit.profile.index import INDEX_FILE, write_profile_index
from clusterkit.profile.keys import normalise_keys
from clusterkit.profile.lookup import ProfileIndex, lookup

__all__ = ["INDEX_FILE", "ProfileIndex", "lookup", "normalise_keys", "write_profile_index"]
