"""Audience exports: member tables and ad-platform customer lists, with provenance sidecars.

- :func:`export_audience` — select members of a run by segment and/or role and write csv,
  parquet, json, or the upload file of Meta, Google Ads Customer Match or LinkedIn Matched
  Audiences (identifiers normalised and SHA-256 hashed by each platform's published rules).
- :func:`write_identifiers` — the run folder's ``identifiers.parquet`` (raw identifiers, kept
  in the private run folder; :func:`clusterkit.save_run` calls it).
- :func:`normalize`, :func:`hash_values`, :data:`RULES` — the per-platform rules, usable on
  their own.

CLI: ``clusterkit export RUN (--segment NAME | --role ROLE | --all) [--top N] [--sort KEY]
--format FMT``; member tables are laid out by :mod:`clusterkit.export.outreach`.
"""

from clusterkit.export.audience import ExportResult, export_audience
from clusterkit.export.formats import FORMATS
from clusterkit.export.identifiers import identifiers_frame, write_identifiers
from clusterkit.export.rules import PLATFORMS, RULES, hash_values, normalize

__all__ = ["FORMATS", "PLATFORMS", "RULES", "ExportResult", "export_audience", "hash_values",
           "identifiers_frame", "normalize", "write_identifiers"]
