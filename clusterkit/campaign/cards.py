"""Contribution cards: what each invited blogger contributed, beyond retweet counts.

:func:`run_campaign` runs the whole analysis (cascades, exposure, downstream outcomes,
matched difference-in-differences, the community counterfactual and, when available, the
blogger as a channel in the attribution models) and returns a :class:`CampaignResult`
whose ``cards`` hold one row per blogger (columns in :data:`CARD_COLUMNS`).
:meth:`CampaignResult.save` writes ``campaign.csv``, ``cascades.csv``,
``campaign_timeseries.csv``, ``campaign.html`` and ``manifest.json`` to a folder.

A whole run takes a second or more (the counterfactual's model fit), so the example shows
only the card's layout; ``tests/test_campaign*.py`` run it on planted data::

    sc = generate_campaign(5000, seed=0)          # clusterkit.synthetic.campaign
    res = run_campaign(sc.spec, CommunityData.from_frames(**sc.tables))
    res.cards.set_index("label")[["retweets", "incremental_conversions"]]

Examples
--------
>>> CARD_COLUMNS[:6]
('blogger', 'label', 'role', 'segment', 'cost', 'retweets')
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import numpy as np
import pandas as pd

from clusterkit.campaign.cascades import Cascades, build_cascades
from clusterkit.campaign.counterfactual import community_counterfactual
from clusterkit.campaign.effects import EFFECT_COLUMNS, effect_columns
from clusterkit.campaign.exposure import downstream, exposure_table
from clusterkit.campaign.match_spec import ResolvedCampaign, resolve_campaign
from clusterkit.campaign.panel import build_panel
from clusterkit.campaign.spec import CampaignSpec, load_campaign
from clusterkit.errors import ConfigError, did_you_mean

__all__ = ["CARD_COLUMNS", "CampaignResult", "run_campaign"]

CARD_COLUMNS = (
    "blogger", "label", "role", "segment", "cost",
    "retweets", "amplifications", "cascade_size", "cascade_depth", "max_breadth",
    "structural_virality", "reach", "engaged", "new_members", "reactivated_members",
    "exposed_conversions", "attributed_conversions", "attributed_value", "attribution_share",
    "incremental_conversions", "incremental_ci_low", "incremental_ci_high",
    "cost_per_incremental_conversion",
    *(c for c in EFFECT_COLUMNS if c not in ("incremental_conversions", "incremental_ci_low",
                                             "incremental_ci_high")),
)
"""Columns of ``campaign.csv``, one row per blogger in spec order (the incrementality,
placebo and community-shift columns are described in :mod:`clusterkit.campaign.effects`)."""


@dataclass(frozen=True, eq=False)
class CampaignResult:
    """Everything :func:`run_campaign` measured.

    Attributes
    ----------
    cards : pandas.DataFrame
        One row per blogger, :data:`CARD_COLUMNS`.
    cascades : Cascades
        Trees and shape per blogger.
    exposure : pandas.DataFrame
        ``blogger, member_id, exposed_at, adopter``: who each blogger reached, and when.
    counterfactual : dict
        Metric (``"conversions"``, ``"engagement"``) → :class:`Counterfactual` of the whole
        community.
    attribution : pandas.DataFrame or None
        The attribution models' output with bloggers as channels (None when unavailable).
    campaign : ResolvedCampaign
    manifest : dict
        Spec, data size, seed, timings, warnings.
    """

    cards: pd.DataFrame
    cascades: Cascades
    exposure: pd.DataFrame
    counterfactual: dict
    campaign: ResolvedCampaign
    manifest: dict
    attribution: pd.DataFrame | None = field(default=None)

    def save(self, out) -> Path:
        """Write the campaign folder atomically and return its path."""
        import json

        from clusterkit.campaign.report import render_campaign_html
        from clusterkit.provenance import atomic_folder

        with atomic_folder(out, kind="campaign") as tmp:
            self.cards.to_csv(tmp / "campaign.csv", index=False, float_format="%.6g")
            self.cascades.nodes.to_csv(tmp / "cascades.csv", index=False)
            series = pd.concat([cf.daily for cf in self.counterfactual.values()],
                               ignore_index=True) if self.counterfactual else pd.DataFrame()
            series.to_csv(tmp / "campaign_timeseries.csv", index=False, float_format="%.6g")
            if self.attribution is not None:
                self.attribution.to_csv(tmp / "attribution.csv", index=False,
                                        float_format="%.6g")
            (tmp / "campaign.html").write_text(render_campaign_html(self), encoding="utf-8")
            (tmp / "manifest.json").write_text(json.dumps(self.manifest, indent=2,
                                                          sort_keys=True, default=str))
        return Path(out)


def _run_columns(run, bloggers) -> tuple[list, list]:
    if run is None or not len(getattr(run, "segments", ())):
        return [None] * len(bloggers), [None] * len(bloggers)
    seg = run.segments.set_index("member_id")
    seg = seg.reindex(pd.Index(bloggers, dtype=object))
    return seg["role"].tolist(), seg["segment"].tolist()


def _attribution_models() -> list[str]:
    from clusterkit.attribution import MODELS

    return list(MODELS)


def run_campaign(spec, data, *, run=None, attribution: bool = True,
                 progress=None, weights=None) -> CampaignResult:
    """Measure a campaign's contribution, blogger by blogger.

    Parameters
    ----------
    spec : CampaignSpec, mapping or path
        The campaign (see :mod:`clusterkit.campaign.spec`).
    data : CommunityData
        The data the run was made from (events needed; follows for reach and parents).
    run : RunResult, optional
        Adds each blogger's role and segment to the cards.
    attribution : bool
        Add each blogger as a channel in the attribution models
        (:mod:`clusterkit.campaign.channel`; skipped when :mod:`clusterkit.attribution` is
        not available).
    progress : callable, optional
        Called with the name of each step as it starts.
    weights : EngagementWeights, optional
        Action weights of the engagement panel and counterfactual. By default those of
        ``run``'s configuration (its ``weights``, ``weights_file``, ``default_weight``), or
        DESIGN §2's without a run.

    Returns
    -------
    CampaignResult

    Raises
    ------
    ConfigError, DataError
        A spec that does not fit the data (one line, naming the key and the fix).
    """
    spec = spec if isinstance(spec, CampaignSpec) else load_campaign(spec)
    from importlib.util import find_spec

    attribution = attribution and find_spec("clusterkit.attribution") is not None
    if attribution and spec.attribution_model not in _attribution_models():
        names = _attribution_models()  # an unknown model fails now, not after heavy steps
        did = did_you_mean(spec.attribution_model, names)
        raise ConfigError(f"attribution_model: unknown model {spec.attribution_model!r}.{did} "
                          f"Available: {', '.join(names)}.")
    marks: list[tuple[str, float]] = []

    def step(name):
        marks.append((name, time.perf_counter()))
        if progress is not None:
            progress(name)

    if weights is None and run is not None and "config" in run.manifest:
        from clusterkit.config import RunConfig
        from clusterkit.weights import EngagementWeights

        weights = EngagementWeights.from_config(RunConfig.model_validate(run.manifest["config"]))
    step("resolve")
    camp = resolve_campaign(spec, data)
    step("cascades")
    cascades = build_cascades(data, camp)
    step("exposure")
    exposure = exposure_table(data, camp, cascades.forest)
    panel = build_panel(data, camp, weights)
    down = downstream(data, camp, exposure, panel)
    step("incrementality")
    did, shift = effect_columns(data, camp, panel, exposure, weights)
    step("counterfactual")
    cf = {m: community_counterfactual(data, camp, m, weights)
          for m in ("conversions", "engagement")}
    attr, shares = None, np.full(len(camp.bloggers), np.nan)
    warnings = list(camp.warnings)
    if attribution:
        step("attribution")
        from clusterkit.campaign.channel import blogger_channel_attribution

        attr, shares, note = blogger_channel_attribution(data, camp, exposure)
        if note:
            warnings.append(note)
    step("cards")
    shape = cascades.shape.reset_index(drop=True)
    role, segment = _run_columns(run, camp.bloggers)
    cards = pd.DataFrame({
        "blogger": list(camp.bloggers), "label": list(camp.labels), "role": role,
        "segment": segment, "cost": camp.costs,
        "retweets": shape["retweets"], "amplifications": shape["amplifications"],
        "cascade_size": shape["size"], "cascade_depth": shape["depth"],
        "max_breadth": shape["max_breadth"],
        "structural_virality": shape["structural_virality"],
        **{c: down[c] for c in ("reach", "engaged", "new_members", "reactivated_members",
                                "exposed_conversions", "attributed_conversions",
                                "attributed_value")},
        "attribution_share": shares,
        **{c: did[c] for c in EFFECT_COLUMNS},
    })
    inc = cards["incremental_conversions"].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        cards["cost_per_incremental_conversion"] = np.where(inc > 0, camp.costs / inc, np.nan)
    cards = cards[list(CARD_COLUMNS)]
    ids = data.member_ids.to_numpy(dtype=object)
    exp = pd.DataFrame({
        "blogger": np.asarray(camp.bloggers, dtype=object)[exposure["root"].to_numpy()],
        "member_id": ids[exposure["member"].to_numpy()],
        "exposed_at": pd.to_datetime(exposure["t_exp"].to_numpy(), unit="us", utc=True),
        "adopter": exposure["adopter"].to_numpy()})
    step("done")
    timings = {a: round(tb - ta, 3) for (a, ta), (_, tb) in zip(marks, marks[1:], strict=False)}
    manifest = {
        "name": spec.name, "spec": spec.model_dump(mode="json"),
        "bloggers": list(camp.bloggers), "n_members": int(data.n_members),
        "n_events": int(len(data.events)), "seed": spec.seed, "timings_s": timings,
        "counterfactual": {m: c.summary for m, c in cf.items()},
        "community_shift": shift,
        "placebo": {str(r["label"]): {k: (r[k] if isinstance(r[k], str) else float(r[k]))
                                      for k in cards.columns if "placebo" in k}
                    for _, r in cards.iterrows()},
        "warnings": warnings, "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if run is not None:
        manifest["run"] = {k: run.manifest.get(k) for k in ("name", "config_hash",
                                                             "data_fingerprint")}
    return CampaignResult(cards=cards, cascades=cascades, exposure=exp, counterfactual=cf,
                          campaign=camp, manifest=manifest, attribution=attr)
