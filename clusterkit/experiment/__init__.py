"""Experiments: a grid of configurations × seeds over one dataset, compared with statistics.

An experiment config is a run config (every key of :class:`~clusterkit.config.RunConfig`)
plus a ``sweep`` block::

    name: compare-example
    seed: 42
    community: {name: leiden}
    sweep:
      grid:                                # cartesian product, first key varies slowest
        community.name: [leiden, louvain, label_propagation]
        community__resolution: [0.5, 1.0, 2.0]
      seeds: 5                             # or an explicit list, e.g. [1, 2, 3]
      truth: null                          # CSV: member_id + community and/or role
      rank: null                           # default: nmi with a community truth, else
                                           # modularity; or [name or name:higher|lower]
      bootstrap: 0                         # resamples for community Jaccard stability

Grid keys are ``step__param`` or dotted paths, as for ``--set``
(:func:`~clusterkit.config.apply_overrides`).

**Stage parameters the chosen stage does not accept.** When a grid switches a step's stage
(``community.name``) *and* sets one of its parameters (``community__resolution``), a
parameter is applied only to the stages that accept it (label propagation has no
``resolution``); the run table shows it as missing for the others. Grid points that end up
with the same effective configuration run once: the others are listed in
:attr:`ExperimentResult.skipped` with the reason. A key that *no* stage of the sweep accepts
is an error (with "did you mean"). A step whose stage the grid switches starts from that
stage's defaults (plus the grid's parameters), except when the stage is the base config's,
which keeps the base parameters.

**Checked before anything runs.** A config without a ``sweep`` block is refused (with how
to add one), and so is a rank metric the sweep cannot measure (``nmi`` without a truth,
``role_macro_f1`` without a role truth, ``community_jaccard`` without ``bootstrap``).

**Attribution** is skipped in every run unless a grid key sweeps an ``attribution``
setting (or ``run_experiment(..., attribution=True)``): no sweep metric reads it, and it
was 3.9 s of each 5.3 s run on 3,000 members.

**The verdict** (:mod:`clusterkit.experiment.verdict`): degenerate grid points (one
community or one cluster in a seed, more than 20 % noise) are flagged in the summary's
``flag`` column and never recommended; ties of the mean rank are broken by the community
seed ARI, then the spread over seeds, then grid order; one recommended grid point is named
with its margin and whether the tests call it significantly better.

**Seeds.** ``seeds: n`` runs seeds ``[seed, s_1, …, s_{n-1}]``: the config's own seed first
(so the first seed of a grid point reproduces ``clusterkit run`` with the same settings), then
``s_i = derive_seed(seed, "sweep", str(i))``. An explicit list is used as given.

**Per-run memory.** ``peak_mib`` is the largest resident set size sampled every 20 ms from
``/proc/self/statm`` by a background thread during the run, minus the value when the run
started, in MiB: the memory the run added on top of what the process already held. Spikes
shorter than the sampling interval can be missed, memory the allocator keeps after a
previous run is not counted again, and the first run of a sweep also pays for the shared
feature table and graph (see the ``cache`` of :meth:`~clusterkit.pipeline.Pipeline.run`).
NaN where ``/proc`` does not exist. ``wall_s`` is the wall time of the run and its metrics.

Examples
--------
>>> from clusterkit.data import CommunityData
>>> from clusterkit.synthetic.community import generate
>>> from clusterkit.experiment import ExperimentConfig, run_experiment
>>> sd = generate(300, seed=1)
>>> cfg = ExperimentConfig.from_dict({
...     "seed": 3, "sweep": {"grid": {"community.name": ["leiden", "label_propagation"]},
...                          "seeds": 2}})
>>> res = run_experiment(cfg, CommunityData.from_frames(**sd.tables), truth=sd.truth)
>>> res.to_frame()[["label", "seed_index"]].values.tolist()
[['leiden', 0], ['leiden', 1], ['label_propagation', 0], ['label_propagation', 1]]
>>> res.best("nmi")["label"] in ("leiden", "label_propagation")
True
"""

from clusterkit.experiment.grid import GridPoint
from clusterkit.experiment.measure import SIGNIFICANT_DIGITS
from clusterkit.experiment.result import ExperimentResult
from clusterkit.experiment.runner import drop_timing, run_experiment
from clusterkit.experiment.spec import (
    EXPERIMENT_FILES,
    METRIC_COLUMNS,
    TIMING_COLUMNS,
    ExperimentConfig,
    SweepConfig,
    load_experiment,
    load_truth,
)

__all__ = [
    "EXPERIMENT_FILES",
    "METRIC_COLUMNS",
    "SIGNIFICANT_DIGITS",
    "TIMING_COLUMNS",
    "ExperimentConfig",
    "ExperimentResult",
    "GridPoint",
    "SweepConfig",
    "drop_timing",
    "load_experiment",
    "load_truth",
    "run_experiment",
]
