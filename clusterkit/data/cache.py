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

    def __call__(self, key, make):
        if self.store is None:
            return make()
        if self.fingerprint is None:
            self.fingerprint = self.data.fingerprint()
        full = (self.fingerprint, key)
        if full not in self.store:
            self.store[full] = make()
        return self.store[full]
