"""Data: the contract (schema), CommunityData, loaders and the synthetic generator."""

from clusterkit.data.dataset import CommunityData
from clusterkit.data.loaders import load_dataset

__all__ = ["CommunityData", "load_dataset"]
