"""clusterkit: influencer and community clustering.

The public API (DESIGN §4), imported lazily so that ``import clusterkit`` (and the command
line's ``--help``) stays fast:

=======================  ==================================================================
:func:`load_dataset`     a dataset folder → :class:`CommunityData` (validated, immutable)
:func:`load_config`      a YAML config (+ ``--set`` style overrides) → :class:`RunConfig`
:class:`Pipeline`        ``Pipeline(config).run(data)`` → :class:`RunResult`
:func:`save_run`         a result → its run folder (report, profile index and identifiers
                         included); :func:`load_run` reads one back
:func:`create_stage`     a registered stage by kind and name; :func:`list_stages` lists them
:class:`EngagementWeights`  what each action is worth, on which channel (DESIGN §2)
=======================  ==================================================================

Examples
--------
>>> import clusterkit
>>> from clusterkit.synthetic import generate
>>> data = clusterkit.CommunityData.from_frames(**generate(200, seed=1).tables)
>>> result = clusterkit.Pipeline(clusterkit.RunConfig(seed=7)).run(data)
>>> len(result.segments) == data.n_members
True
"""

from __future__ import annotations

import importlib

__all__ = [
    "CommunityData",
    "EngagementWeights",
    "Pipeline",
    "RunConfig",
    "RunResult",
    "create_stage",
    "list_stages",
    "load_config",
    "load_dataset",
    "load_run",
    "save_run",
]

_LAZY = {
    "CommunityData": "clusterkit.data",
    "load_dataset": "clusterkit.data",
    "EngagementWeights": "clusterkit.weights",
    "Pipeline": "clusterkit.pipeline",
    "RunConfig": "clusterkit.config",
    "load_config": "clusterkit.config",
    "RunResult": "clusterkit.results",
    "load_run": "clusterkit.results",
    "create_stage": "clusterkit.registry",
    "list_stages": "clusterkit.registry",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'clusterkit' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))


def save_run(result, out, *, data=None, report: bool = True, max_points: int = 50_000,
             profile_prebuilt=None):
    """Write a run folder with every artefact of DESIGN §5 and return its path.

    The core files (:func:`clusterkit.run_folder.write_run_folder`), then ``report.html``
    (when ``report``), and, when ``data`` (the input the run was made from) is given, the
    profile index ``profile.duckdb`` and ``identifiers.parquet`` (the raw identifiers that
    exports hash; private). The report's community map also needs ``data``. For a run per
    person (identity resolution on), ``data`` is the input as given, re-keyed per person
    here. Everything is written in one atomic step.

    Parameters
    ----------
    result : RunResult
    out : str or Path
    data : CommunityData, optional
    report : bool, default True
    max_points : int, default 50000
        Members drawn on the report's segment map at most.
    profile_prebuilt : str or Path, optional
        The profile index's tables built from ``data`` before the run
        (:func:`clusterkit.profile.index.prebuild_profile_index`; the CLI's ``run`` does):
        moved into the run folder and completed. For a run per person (built from the
        accounts' data) it is removed and the index built whole.
    """
    from pathlib import Path

    from clusterkit.run_folder import write_run_folder

    if data is not None and result.identity is not None and data.n_members != len(
            result.segments):  # a run per person: its artefacts are keyed by person too
        from clusterkit.identity import to_person_data

        data = to_person_data(data, result.identity)
        if profile_prebuilt is not None:  # built per account: not this data
            Path(profile_prebuilt).unlink(missing_ok=True)
            profile_prebuilt = None
    extras = []  # the longest first: two threads, beside the core files
    if data is not None:
        from clusterkit.profile import write_profile_index

        extras.append(lambda tmp, res, d: write_profile_index(tmp, res, d,
                                                              prebuilt=profile_prebuilt))
    if report:
        from clusterkit.report import write_run_report

        extras.append(lambda tmp, res, d: write_run_report(
            tmp / "report.html", res, data=d, max_points=max_points))
    light = []  # in the thread of the core files, after them
    if data is not None:
        from clusterkit.export import write_identifiers

        light.append(lambda tmp, res, d: write_identifiers(tmp, d))
    return write_run_folder(result, out, data=data, extras=extras, light=light)
