"""A sweep's cache of what runs on the same data share, keyed by the data fingerprint."""

from __future__ import annotations

__all__ = ["FingerprintCache"]


class FingerprintCache:
    """Values made once per ``(data fingerprint, key)`` in a shared ``store``.

    The fingerprint is computed once, when first needed; with ``store=None`` nothing is
    kept and every call makes its value.

    Examples
    --------
    >>> import pandas as pd
    >>> from clusterkit.data import CommunityData
    >>> data = CommunityData.from_frames(follows=pd.DataFrame(
    ...     {"follower_id": ["a"], "followee_id": ["b"]}))
    >>> store = {}
    >>> FingerprintCache(store, data)("k", lambda: 1), FingerprintCache(store, data)("k", lambda: 2)
    (1, 1)
    """

    def __init__(self, store: dict | None, data):
        self.store, self.data, self.fingerprint = store, data, None

    def given(self, key):
        """The value the store holds for ``key``, or None; nothing is made or stored (for
        values only a caller can give, as the Spark run gives the roles it computed)."""
        if self.store is None:
            return None
        full = self._full(key)
        return self.store[full] if full in self.store else None

    def _full(self, key):
        if self.fingerprint is None:
            self.fingerprint = self.data.fingerprint()
        return (self.fingerprint, key)

    def __call__(self, key, make):
        if self.store is None:
            return make()
        full = self._full(key)
        if full not in self.store:
            self.store[full] = make()
        return self.store[full]
