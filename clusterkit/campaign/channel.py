"""The blogger as a channel in the attribution models, on the same scale as the newsletter.

Every member exposed through a blogger's cascade gets one extra touch on the channel
``blogger:<label>`` at the exposure time (adopters at their reshare, followers when the
first node they follow joined; their own events keep their channels). Journeys are then
built by :func:`clusterkit.attribution.build_journeys` from the touches in
``[window.start - attribution_days, outcome end)`` and the conversions of the outcome
period, with ``attribution_days`` as the lookback, and credited by
:func:`clusterkit.attribution.attribute` (the spec's ``attribution_model``, default the
model-based Shapley credit). A blogger's ``attribution_share`` is the share of the
outcome-period conversions credited to that channel; every other channel's share is in
``attribution.csv``.

Exposed members who did not convert get non-converting journeys, so a blogger who reaches
many members without conversions is credited accordingly by models that use them.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

__all__ = ["CHANNEL_PREFIX", "blogger_channel_attribution", "campaign_touches"]

CHANNEL_PREFIX = "blogger:"


def campaign_touches(data, camp, exposure: pd.DataFrame) -> pd.DataFrame:
    """The events of the attribution slice plus one exposure touch per (blogger, member).

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign
    exposure : pandas.DataFrame
        Coded exposure table (:func:`clusterkit.campaign.exposure.exposure_table`).

    Returns
    -------
    pandas.DataFrame
        ``member_id, action, timestamp, channel`` (``"unknown"`` where the events have
        none) and ``value`` when the events have it: touches in ``[window.start -
        attribution_days, outcome end)``, conversions in ``[window.start, outcome end)``,
        and the exposure touches (action ``"exposure"``).
    """
    ev = data.events
    conv = ev["action"].isin(camp.spec.conversions).to_numpy()
    ts = ev["timestamp"]
    lo = pd.Timestamp(camp.start - camp.attribution_us, unit="us", tz="UTC")
    start = pd.Timestamp(camp.start, unit="us", tz="UTC")
    end = pd.Timestamp(camp.out_end, unit="us", tz="UTC")
    keep = ((ts >= lo) & (ts < end)).to_numpy() & (~conv | (ts >= start).to_numpy())
    cols = ["member_id", "action", "timestamp", "channel"] + (
        ["value"] if "value" in ev.columns else [])
    base = ev.loc[keep, [c for c in cols if c in ev.columns]]
    if "channel" not in base.columns:  # journeys would call every touch "unknown" anyway
        base = base.assign(channel="unknown")
    labels = np.array([f"{CHANNEL_PREFIX}{lab}" for lab in camp.labels], dtype=object)
    ids = data.member_ids.to_numpy(dtype=object)
    touches = pd.DataFrame({
        "member_id": ids[exposure["member"].to_numpy()],
        "action": "exposure",
        "timestamp": pd.to_datetime(exposure["t_exp"].to_numpy(), unit="us", utc=True),
        "channel": labels[exposure["root"].to_numpy()],
    })
    if "value" in cols:
        touches["value"] = np.nan
    ts_type = {"timestamp": "datetime64[us, UTC]"}
    return pd.concat([base[cols].astype(ts_type), touches[cols].astype(ts_type)],
                     ignore_index=True)


def blogger_channel_attribution(data, camp, exposure: pd.DataFrame):
    """Each blogger's share of the outcome period's conversions in an attribution model.

    Parameters
    ----------
    data : CommunityData
    camp : ResolvedCampaign
    exposure : pandas.DataFrame
        Coded exposure table.

    Returns
    -------
    table : pandas.DataFrame or None
        The model's output for every channel (``model, touch, conversions, share, ci_low,
        ci_high``), None when there is nothing to attribute.
    shares : numpy.ndarray
        Share per blogger, in spec order (0 for a blogger the model credits nothing, NaN
        when there is nothing to attribute).
    note : str or None
        Why the shares are empty, if they are.
    """
    from clusterkit.attribution import attribute, build_journeys

    nan = np.full(len(camp.bloggers), np.nan)
    events = campaign_touches(data, camp, exposure)
    if not events["action"].isin(camp.spec.conversions).any():
        return None, nan, "attribution_share left empty: no conversion in the outcome period."
    sliced = data.with_tables(events=events)
    spells = build_journeys(sliced, conversions=tuple(camp.spec.conversions),
                            level="channel", lookback_days=None,
                            end=pd.Timestamp(camp.out_end, unit="us", tz="UTC"))
    days = float(camp.spec.attribution_days)
    params = {}
    if camp.spec.attribution_model == "model":  # a touch acts within attribution_days
        from clusterkit.attribution.hazard import DEFAULT_LAG_EDGES

        params["lag_edges_days"] = [e for e in DEFAULT_LAG_EDGES if e < days] + [days]
    table = attribute(spells, camp.spec.attribution_model, random_state=camp.spec.seed,
                      lookback_days=days, **params)
    share = table.set_index("touch")["share"]
    labels = [f"{CHANNEL_PREFIX}{lab}" for lab in camp.labels]
    return table, share.reindex(labels).fillna(0.0).to_numpy(dtype=float), None
