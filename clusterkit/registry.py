"""The stage registry: built-in stages and plug-ins from the ``clusterkit.stages`` entry points.

Stages register by kind and name with :func:`register`. Third-party packages add stages
through the entry-point group ``clusterkit.stages``: the entry point's name is
``"<kind>.<name>"`` and its value the stage class, e.g. in ``pyproject.toml``::

    [project.entry-points."clusterkit.stages"]
    "community.my_algo" = "mypkg.stages:MyAlgo"

Examples
--------
>>> from clusterkit.registry import get_stage, list_stages
>>> get_stage("community", "leiden").__name__
'LeidenCommunity'
>>> "kmeans" in list_stages("cluster")
True
"""

from __future__ import annotations

import difflib
import importlib
from importlib.metadata import entry_points

from clusterkit.errors import UnknownStageError, did_you_mean

__all__ = ["KINDS", "create_stage", "get_stage", "list_stages", "register"]

KINDS: tuple[str, ...] = (
    "features", "transform", "reduce", "cluster", "community", "roles", "scoring",
)
"""Stage kinds, in pipeline order."""

_BUILTIN_MODULES = (
    "clusterkit.features.behaviour",
    "clusterkit.features.graph",
    "clusterkit.features.interaction",
    "clusterkit.stages.transform",
    "clusterkit.stages.reduce",
    "clusterkit.stages.cluster",
    "clusterkit.stages.community.leiden",
    "clusterkit.stages.community.louvain",
    "clusterkit.stages.community.plm",
    "clusterkit.stages.community.label_propagation",
    "clusterkit.stages.community.infomap",
    "clusterkit.stages.community.consensus",
    "clusterkit.stages.community.leiden_scan",
    "clusterkit.stages.roles.rules",
    "clusterkit.stages.roles.prototypes",
    "clusterkit.stages.roles.rolx",
    "clusterkit.stages.scoring.engagement",
)
_REGISTRY: dict[str, dict[str, type]] = {kind: {} for kind in KINDS}
_loaded = False


def register(kind: str, name: str):
    """Class decorator registering a stage under ``kind`` and ``name``.

    Parameters
    ----------
    kind : str
        One of :data:`KINDS`.
    name : str
        Name used in configs; must be unique within the kind.

    Raises
    ------
    ValueError
        If the kind is unknown or the name is already taken by another class.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown stage kind {kind!r}; kinds are: {', '.join(KINDS)}.")

    def decorator(cls):
        existing = _REGISTRY[kind].get(name)
        if existing is not None and existing is not cls:
            raise ValueError(
                f"{kind} stage {name!r} is registered twice ({existing.__module__}."
                f"{existing.__qualname__} and {cls.__module__}.{cls.__qualname__}); "
                "rename one of them."
            )
        cls.stage_kind = kind
        cls.stage_name = name
        _REGISTRY[kind][name] = cls
        return cls

    return decorator


def _load() -> None:
    global _loaded
    if _loaded:
        return
    _loaded = True
    for module in _BUILTIN_MODULES:
        importlib.import_module(module)
    for ep in entry_points(group="clusterkit.stages"):
        kind, _, name = ep.name.partition(".")
        if kind not in KINDS or not name:
            continue
        if name in _REGISTRY[kind]:
            continue
        _REGISTRY[kind][name] = _EntryPointStub(ep)  # resolved on first use


class _EntryPointStub:
    def __init__(self, ep):
        self.ep = ep


def get_stage(kind: str, name: str) -> type:
    """Return the stage class registered as ``kind`` / ``name``.

    Raises
    ------
    UnknownStageError
        With "did you mean" suggestions and the list of available names.
    """
    _load()
    if kind not in KINDS:
        raise UnknownStageError(
            f"Unknown stage kind {kind!r}.{did_you_mean(kind, KINDS)} Kinds are: "
            f"{', '.join(KINDS)}."
        )
    stages = _REGISTRY[kind]
    if name not in stages:
        hint = difflib.get_close_matches(name, list(stages), n=3, cutoff=0.5)
        did = f" Did you mean {' or '.join(repr(h) for h in hint)}?" if hint else ""
        raise UnknownStageError(
            f"No {kind} stage {name!r}.{did} Available: {', '.join(sorted(stages))}. "
            "Register one with @clusterkit.registry.register(...) or the "
            "'clusterkit.stages' entry point."
        )
    cls = stages[name]
    if isinstance(cls, _EntryPointStub):
        cls = cls.ep.load()
        cls.stage_kind, cls.stage_name = kind, name
        stages[name] = cls
    return cls


def create_stage(kind: str, name: str, params: dict | None = None):
    """Instantiate a registered stage with ``params``.

    Unknown parameter names raise :class:`~clusterkit.errors.ConfigError` listing the valid ones.
    A stage class may define ``check_config(params)`` (a classmethod raising ``ConfigError``)
    for checks a config gets before any work, beyond what ``__init__`` (which only stores
    its parameters) can do.
    """
    from clusterkit.errors import ConfigError

    cls = get_stage(kind, name)
    params = dict(params or {})
    valid = cls._get_param_names() if hasattr(cls, "_get_param_names") else None
    if valid is not None:
        unknown = sorted(set(params) - set(valid))
        if unknown:
            hints = [h for u in unknown for h in difflib.get_close_matches(u, valid, n=1)]
            did = f" Did you mean {', '.join(repr(h) for h in hints)}?" if hints else ""
            raise ConfigError(
                f"Unknown parameter(s) {', '.join(map(repr, unknown))} for {kind} stage "
                f"{name!r}.{did} Valid parameters: {', '.join(valid) or '(none)'}."
            )
    check = getattr(cls, "check_config", None)
    if check is not None:  # what a config can check before any work (stage's own rules)
        check(params)
    return cls(**params)


def list_stages(kind: str | None = None):
    """Registered stage names.

    Parameters
    ----------
    kind : str, optional
        Restrict to one kind.

    Returns
    -------
    list of str or dict
        Sorted names for one kind, or a dict kind → sorted names.
    """
    _load()
    if kind is not None:
        if kind not in KINDS:
            get_stage(kind, "")  # raises with suggestions
        return sorted(_REGISTRY[kind])
    return {k: sorted(v) for k, v in _REGISTRY.items()}
