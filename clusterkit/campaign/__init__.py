"""Campaigns: what an invited blogger or an event really contributed, beyond retweet counts.

A campaign (:mod:`~clusterkit.campaign.spec`, checked against the data by
:mod:`~clusterkit.campaign.match_spec`) names invited bloggers, a window and a pre-period.
For each blogger the package reconstructs the reshare cascades
(:mod:`~clusterkit.campaign.cascades`: size, depth, breadth, structural virality), the
members reached, new and reactivated (:mod:`~clusterkit.campaign.exposure`), the
conversions that followed, the incremental conversions against matched unexposed members
(:mod:`~clusterkit.campaign.incrementality`), the blogger's share in the attribution
models (:mod:`~clusterkit.campaign.channel`) and, for the whole community, a
counterfactual daily series (:mod:`~clusterkit.campaign.counterfactual`).
:func:`run_campaign` puts it all on one contribution card per blogger
(:mod:`~clusterkit.campaign.cards`).

Examples
--------
>>> from clusterkit.campaign import load_campaign
>>> load_campaign({"bloggers": ["m1"], "window": {"start": "2026-05-01",
...                "end": "2026-05-08"}}).name
'campaign'
"""

from clusterkit.campaign.cards import CARD_COLUMNS, CampaignResult, run_campaign
from clusterkit.campaign.match_spec import ResolvedCampaign, resolve_campaign
from clusterkit.campaign.spec import CampaignSpec, load_campaign

__all__ = ["CARD_COLUMNS", "CampaignResult", "CampaignSpec", "ResolvedCampaign",
           "load_campaign", "resolve_campaign", "run_campaign"]
