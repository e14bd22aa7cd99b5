"""Role assignment: every member gets exactly one of influencer, blogger, fan, follower.

The ``rules`` stage is transparent: each role has evidence measured against a threshold, and
the explanation quotes both. Thresholds are read from the data's own distribution wherever
the data allows (:func:`~clusterkit.stages.roles.evidence.natural_break`, Otsu's split of a
histogram), never assumed as a share of members:

========== ============================================== =====================================
role       evidence                                       threshold
========== ============================================== =====================================
influencer amplification: distinct members who shared,    the boundary between the two modes
           retweeted, mentioned, replied to or commented, of log(1 + amplifiers) among amplified
           and reach (audience): followers in the follow  content creators (bloggers / those
           graph, or the distinct amplifiers when they    amplified by many: ``mixture_break``),
           are more                                       and ``reach_multiple`` x the median
                                                          follower count, held between
                                                          ``creator_floor`` and
                                                          ``creator_reach`` x the amplified
                                                          creators' median audience
blogger    original content (post, blog_post, video)      ``blogger_min_rate`` per month, and
           per month, and its share of the member's own   ``blogger_min_ratio``; and
           weighted activity; and reach: distinct         ``blogger_reach`` x the median of
           members who acted on the member                members anyone acted on, unless the
                                                          content rate passes the break between
                                                          occasional posters and creators (no
                                                          reach test where reactions do not
                                                          name their authors)
fan        deep reactions (everything but content and     an Otsu split of log(1 + deep
           ``shallow_actions``: views, opens, follows,    reactions per month) over active
           likes) weighted per month, on at least         members who are neither influencers
           ``fan_min_actions`` occasions, spread over     nor bloggers; kinds: not
           kinds as the pool's members spread theirs,     significantly fewer than their
           and a fair part of its reactions to content    number predicts (``fan_breadth_alpha``);
                                                          depth: at least ``fan_depth_ratio`` x
                                                          the median of the members over the
                                                          volume threshold
follower   everyone else: connected, mostly passive
========== ============================================== =====================================

Roles are checked in that order. A fan engages *in depth*, not merely often: a member who
likes a lot on one channel is a busy follower, and so is one whose many comments and shares
are all it does (:mod:`~clusterkit.stages.roles.breadth`), or one whose deep reactions are a
sliver of hundreds of views and likes (:mod:`~clusterkit.stages.roles.depth`). Follower
counts come from the follow graph, not the platform-reported count, and must come with
amplification: bought followers make no one an influencer, and an audience in the follow
graph that hardly ever amplifies (distinct amplifiers under a third of the amplified
creators' median share of their reach) makes no one either
(:mod:`~clusterkit.stages.roles.response`). The distinct amplifying members
are themselves an audience the member demonstrably reached, so reach is the larger of the
two counts: a member amplified by more distinct members than the follow graph (a sample of
the platform) shows as followers is not held back by the sample. Without a follow graph,
amplification alone decides; without interaction data (a follower graph only), in-degree
alone does (the ``graph_quantile`` quantile, at least ``min_followers``). With too few
members for a distribution (fewer than ``min_sample`` amplified, or active, members), the
fixed fallbacks ``min_amplifiers`` and ``fan_min_rate`` are used and the explanation says
so.

A blogger is a *regular* creator *with moderate reach* (DESIGN §3): content posted a
handful of times, answered by a few members as any member is, does not make one
(:mod:`~clusterkit.stages.roles.reach`).

Assumptions, stated: deep reactions are rarer than shallow ones among passive members, so
the deep-reaction rates of fans and followers form two modes. Influencers are amplified by
many more distinct members than the bloggers who also create: among *content creators*
(members who pass the blogger's gate: content rate, content share and reach, before any
calibration) who are amplified at all, log(1 + amplifiers) has two modes, a
large lower one (bloggers) and a small upper one (influencers), each roughly normal. The
break is the minimum-error boundary between normals fitted to the two classes of an Otsu
split of that population (:func:`~clusterkit.stages.roles.evidence.mixture_break`): the
population leaves out the spike of fans and followers amplified by one to a few members,
which made a three-class Otsu split over every amplified member flip between two nearly
equal optima by seed (14-17 or 35-55 amplifiers on the same generator), and the boundary
accounts for the influencers being the smaller class. The reach test keeps out the
occasional posters, whose few items pass the content rate and share: on the sixth blind
generator, where a tenth of the followers post, the break read without it fell between them
and the bloggers (10 amplifiers, against the bloggers' median 14 and the influencers' 81),
calling 183 of 499 bloggers influencers. Where no blogger passes the reach test, the
creators past it are the influencers alone, and every content creator is read instead
(:meth:`RuleRoles.reading_creators`; ``tests/test_follow_cap.py`` plants that case: read
past the gate, the break cut the influencers in two, 37 of 60 found). With fewer than
``min_sample``
amplified creators (no content in the data), the top class of a three-class Otsu split over
every amplified member (a few / some / many) is used instead, and the explanation says
which. ``thresholds_`` records
the thresholds as computed, and ``experiments/roles_stress.py`` measures both assumptions'
failures on data from a generator written without this code. Reach as the larger of
followers and distinct amplifiers assumes amplifiers are members the follow sample may
miss, not bots: a member amplified by many distinct accounts that never follow anyone would
pass on amplification alone, unless none of them talks to it: the amplifiers every gate reads
are those conversation backs (``conversation_min``;
:mod:`~clusterkit.stages.roles.conversation`), and a follow export cut at a fixed number of
followers per account holds the audience gate at the cut (:mod:`~clusterkit.stages.roles.gates`).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np
import pandas as pd

from clusterkit.registry import register
from clusterkit.stages._params import Interval
from clusterkit.stages.base import BaseStage
from clusterkit.stages.roles.breadth import breadth_found, breadth_text, concentrated, deep_kinds
from clusterkit.stages.roles.conversation import (
    backed_amplifiers,
    conversation_found,
    conversation_text,
)
from clusterkit.stages.roles.depth import depth_found, depth_share, depth_text, passive
from clusterkit.stages.roles.evidence import (
    ROLES,
    column,
    confidence,
    deep_activity,
    mixture_break,
    natural_break,
    weighted_activity,
)
from clusterkit.stages.roles.gates import (
    amplifier_threshold,
    follower_threshold,
    influencer_ratio,
)
from clusterkit.stages.roles.reach import (
    OFF,
    answered_share,
    pool_columns,
    reach_text,
    reach_thresholds,
    reached,
    recorded,
)
from clusterkit.stages.roles.response import (
    answer_ratio,
    follow_graph,
    response_found,
    response_text,
)
from clusterkit.stages.roles.text import (
    annotate,
    explanations,
    fmt_text,
    fmt_value,
    influencer_text,
    join_text,
)
from clusterkit.weights import EngagementWeights

__all__ = ["BLOCK_ROWS", "ROLES", "RuleRoles"]

BLOCK_ROWS = 1 << 17  # rows per call of RuleRoles.apply in a fit


@register("roles", "rules")
class RuleRoles(BaseStage):
    """Transparent threshold rules for the four roles.

    Parameters
    ----------
    min_amplifiers : int, default=5
        Fewest distinct amplifying members an influencer needs, whatever the distribution
        (and the whole threshold when fewer than ``min_sample`` members are amplified).
        Otherwise the threshold is the break between amplified content creators' two modes,
        or, with fewer than ``min_sample`` of them, the top class of all amplified members.
    reach_multiple : float, default=15.0
        An influencer's audience (graph in-degree, or the distinct amplifiers when they are
        more) must reach this multiple of the median follower count of members with
        followers, held between ``creator_floor`` and ``creator_reach`` times the typical
        creator's audience.
    creator_reach : float, default=3.0
        An influencer's audience need never exceed this multiple of the median audience
        of the amplified content creators (the typical blogger's audience): where
        every creator has a large audience (a creator economy), ``reach_multiple`` x the
        median member would call only the largest influencers. A creator's audience is
        read as the gate reads it (followers, or distinct amplifiers when more), from at
        least ``min_sample`` amplified creators (:mod:`~clusterkit.stages.roles.gates`);
        0 turns it off.
    creator_floor : float, default=2.0
        An influencer's audience must reach at least this multiple of the typical
        creator's: where most members have almost no followers, ``reach_multiple`` x the
        median member falls below the bloggers themselves. 0 turns it off.
    blogger_min_rate : float, default=0.5
        Original content items per 30 days a blogger needs.
    blogger_min_ratio : float, default=0.3
        Share of the member's own weighted activity that is original content.
    blogger_reach : float, default=3.0
        A blogger's content must reach this multiple of the typical member's audience:
        distinct members who acted on the member (``received_distinct``) against the median
        over members anyone acted on. Content regular enough (at least the break between
        occasional posters and creators) passes without it. 0 turns the test off; it is
        also off when fewer than ``min_sample`` members were acted on, or fewer than half
        of the content creators (reactions that do not name their authors;
        :mod:`~clusterkit.stages.roles.reach`), and ``thresholds_["blogger_how"]`` says
        why.
    fan_min_actions : int, default=2
        Fewest deep reactions a fan needs ("repeatedly").
    fan_min_rate : float, default=3.0
        Weighted deep reactions per 30 days a fan needs when fewer than ``min_sample``
        active members make a distribution (otherwise the Otsu break is used).
    shallow_actions : list of str, default=("view", "newsletter_open", "follow", "like")
        Reactions that do not count as engaging in depth (fans).
    passive_actions : list of str, default=("view", "newsletter_open", "follow")
        Actions that are not active reactions (the content share of bloggers).
    graph_quantile : float, default=0.98
        Graph-only data: in-degree quantile an influencer must reach.
    min_followers : int, default=20
        Graph-only data: fewest followers (in-degree) an influencer needs.
    min_sample : int, default=20
        Fewest members a distribution needs before a threshold is read from it.
    influencer_scale, fan_scale, blogger_scale : float, default=1.0
        Multipliers of the amplifier, deep-reaction and content-rate thresholds as computed;
        set by calibration on a user's labelled members
        (:func:`~clusterkit.stages.roles.calibrate.calibrate_roles`), 1 otherwise.
    conversation_min : float, default=0.5
        A member whose share of amplifiers who mention, reply or comment is significantly
        under this fraction of the typical amplified creator's counts only the amplifiers
        its conversation supports (bought reshares;
        :mod:`~clusterkit.stages.roles.conversation`). 0 turns it off.
    fan_breadth_alpha : float, default=0.01
        A member whose deep reactions fall on significantly fewer kinds than their number
        predicts (one-sided, at this level, against how the pool's members spread theirs)
        is not a fan (:mod:`~clusterkit.stages.roles.breadth`). 0 turns it off.
    fan_depth_ratio : float, default=1/3
        A member whose deep reactions are a smaller part of its reactions to content than
        this fraction of the typical fan's (the median of the members over the fan's volume
        threshold) is mostly passive, not a fan (:mod:`~clusterkit.stages.roles.depth`).
        0 turns it off.
    influencer_response_ratio : float, default=1/3
        A member whose distinct amplifiers are a smaller part of its reach than this
        fraction of the typical amplified creator's (the median) has an audience that does
        not answer (bought followers) and is not an influencer; read only where followers
        come from a follow graph (:mod:`~clusterkit.stages.roles.response`). 0 turns it
        off.

    Attributes
    ----------
    roles_ : ndarray of str
        One role per member.
    confidence_ : ndarray of float
        In (0, 1); 0.5 means "right at the threshold".
    secondary_ : ndarray of str
        The role with the next-strongest evidence.
    explanations_ : pandas array of str
        The evidence and thresholds that decided the role: a pandas ``str`` array, one
        Arrow buffer rather than a Python string per member (at 1,000,000 members 0.86 GB
        as Python strings, held from the roles step to the end of a run).
    thresholds_ : dict
        The thresholds used, in feature units.

    Examples
    --------
    >>> import pandas as pd
    >>> X = pd.DataFrame({"amplifiers": [40, 0, 0, 1], "followers": [500, 20, 10, 5],
    ...                   "act_post": [5, 20, 0, 0],
    ...                   "act_comment": [5, 2, 30, 1], "act_view": [0, 0, 3, 40],
    ...                   "active_days": [10, 20, 15, 9], "tenure_days": [90, 90, 90, 90]})
    >>> roles = RuleRoles().fit(X)  # four members: too few for a distribution, fallbacks
    >>> roles.roles_.tolist()
    ['influencer', 'blogger', 'fan', 'follower']
    >>> print(roles.explanations_[0].replace("; ", ";\\n"))
    influencer: followers in the graph: 500 (threshold 225 = 15 x median);
    distinct amplifying members: 40 (threshold 5: fallback: too few amplified members)
    """

    _constraints = {
        "min_amplifiers": [Interval(int, 1, None)],
        "reach_multiple": [Interval(float, 1, None)],
        "creator_reach": [Interval(float, 0, None)],
        "creator_floor": [Interval(float, 0, None)],
        "blogger_min_rate": [Interval(float, 0, None, closed="neither")],
        "blogger_min_ratio": [Interval(float, 0, 1, closed="both")],
        "blogger_reach": [Interval(float, 0, 1000, closed="both")],
        "fan_min_actions": [Interval(int, 1, None)],
        "fan_min_rate": [Interval(float, 0, None, closed="neither")],
        "shallow_actions": [list, tuple],
        "passive_actions": [list, tuple],
        "graph_quantile": [Interval(float, 0, 1, closed="both")],
        "min_followers": [Interval(int, 1, None)],
        "min_sample": [Interval(int, 3, None)],
        "influencer_scale": [Interval(float, 0, None, closed="neither")],
        "fan_scale": [Interval(float, 0, None, closed="neither")],
        "blogger_scale": [Interval(float, 0, None, closed="neither")],
        "conversation_min": [Interval(float, 0, 1, closed="both")],
        "fan_breadth_alpha": [Interval(float, 0, 1, closed="left")],
        "fan_depth_ratio": [Interval(float, 0, 1, closed="both")],
        "influencer_response_ratio": [Interval(float, 0, 1, closed="both")],
    }
    _calibrated: ClassVar[dict[str, str]] = {"influencer_scale": "influencer",
                                             "fan_scale": "fan", "blogger_scale": "blogger"}

    def __init__(self, *, min_amplifiers=5, reach_multiple=15.0, creator_reach=3.0,
                 creator_floor=2.0, blogger_min_rate=0.5, blogger_min_ratio=0.3,
                 blogger_reach=3.0, fan_min_actions=2, fan_min_rate=3.0,
                 shallow_actions=("view", "newsletter_open", "follow", "like"),
                 passive_actions=("view", "newsletter_open", "follow"), graph_quantile=0.98,
                 min_followers=20, min_sample=20, influencer_scale=1.0, fan_scale=1.0,
                 blogger_scale=1.0, conversation_min=0.5, fan_breadth_alpha=0.01,
                 fan_depth_ratio=1 / 3, influencer_response_ratio=1 / 3):
        self.min_amplifiers = min_amplifiers
        self.reach_multiple = reach_multiple
        self.creator_reach = creator_reach
        self.creator_floor = creator_floor
        self.blogger_min_rate = blogger_min_rate
        self.blogger_min_ratio = blogger_min_ratio
        self.blogger_reach = blogger_reach
        self.fan_min_actions = fan_min_actions
        self.fan_min_rate = fan_min_rate
        self.shallow_actions = shallow_actions
        self.passive_actions = passive_actions
        self.graph_quantile = graph_quantile
        self.min_followers = min_followers
        self.min_sample = min_sample
        self.influencer_scale = influencer_scale
        self.fan_scale = fan_scale
        self.blogger_scale = blogger_scale
        self.conversation_min = conversation_min
        self.fan_breadth_alpha = fan_breadth_alpha
        self.fan_depth_ratio = fan_depth_ratio
        self.influencer_response_ratio = influencer_response_ratio

    def fit(self, features: pd.DataFrame, data=None, weights: EngagementWeights | None = None):
        """Assign roles from the raw (untransformed) feature table.

        Parameters
        ----------
        features : pandas.DataFrame
            The run's raw member × feature table.
        data : CommunityData, optional
            Not used by the rules (the role protocol passes it to every role stage).
        weights : EngagementWeights, optional
            The run's engagement weights, for weighted activity (defaults when omitted).

        Notes
        -----
        The fit is three steps: the thresholds of bloggers, then of influencers (among the
        members who pass the blogger's gate: :meth:`creators`), from the whole table's
        amplifiers, followers, audiences and content rates (:meth:`influencer_pool`,
        :meth:`blogger_found`, :meth:`influencer_found`), the
        fan threshold from the rest's deep reactions (:meth:`fan_pool`,
        :meth:`fan_found`), then every member against them (:meth:`apply`). Only the
        ``found`` steps read more than one member, so an engine can run the others on any
        slices of rows (Spark: :func:`clusterkit.engines.spark.roles.rule_roles`).
        """
        self.weights_ = weights if weights is not None else EngagementWeights()
        months = self.months(features)
        pool = self.influencer_pool(features, months)
        blogger = self.blogger_found(pool["received"].to_numpy(),
                                     pool["content_rate"].to_numpy(), self.answered(pool))
        amp = pool["amplifiers"].to_numpy()
        creators = self.reading_creators(amp, pool["creator"].to_numpy(bool),
                                         self.creators(pool, blogger))
        found = {"months": months, "influencer": self.influencer_found(
            amp, pool["followers"].to_numpy(), creators, pool["followers"].to_numpy(),
            pool["conversers"].to_numpy(), follow_graph(features)), "blogger": blogger}
        found["fan"] = self.fan_found(self.fan_pool(features, found),
                                      self.breadth_pool(features, found))
        found["fan"]["depth"] = self.depth_found(self.depth_pool(features, found))
        return self._apply_in_blocks(features, found)

    def _apply_in_blocks(self, X: pd.DataFrame, found: dict):
        """:meth:`apply` over blocks of ``BLOCK_ROWS`` rows, in order: the same attributes
        as one call over every row (it reads each member alone), with the temporaries of
        the explanations' text those of one block (at 1,000,000 members the fit's peak
        over the features fell from +2.10 to +0.36 GB, and its time from 9.9 to 5.3 s)."""
        if len(X) <= BLOCK_ROWS:
            return self.apply(X, found)
        parts = [vars(self.apply(X.iloc[at:at + BLOCK_ROWS], found)).copy()
                 for at in range(0, len(X), BLOCK_ROWS)]
        for name in ("roles_", "secondary_", "confidence_"):
            setattr(self, name, np.concatenate([p[name] for p in parts]))
        text = [p["explanations_"] for p in parts]
        self.explanations_ = type(text[0])._concat_same_type(text)  # chunks, not copied
        return self

    @staticmethod
    def months(features: pd.DataFrame) -> float:
        """The data's span in months of 30 days (the longest tenure), at least 1."""
        return max(float(column(features, "tenure_days").max(initial=0.0)) / 30.0, 1.0)

    def _weights(self) -> EngagementWeights:
        if not hasattr(self, "weights_"):
            self.weights_ = EngagementWeights()
        return self.weights_

    def _content(self, X: pd.DataFrame, months: float):
        """Per member: content items per month, and content's share of own weighted activity."""
        created, content_w, active_w = weighted_activity(X, self._weights(), self.passive_actions)
        total_w = content_w + active_w
        ratio = np.divide(content_w, total_w, out=np.zeros(len(X)), where=total_w > 0)
        return created / months, ratio

    def influencer_pool(self, X: pd.DataFrame, months: float) -> pd.DataFrame:
        """Per member of ``X`` (any slice of rows): ``amplifiers``, ``conversers``,
        ``followers`` and ``creator`` (content passes ``blogger_min_rate`` and
        ``blogger_min_ratio``), what :meth:`influencer_found` reads over every member."""
        blog_rate, ratio = self._content(X, months)
        return pd.DataFrame({
            "amplifiers": column(X, "amplifiers"), "conversers": column(X, "conversers"),
            "followers": column(X, "followers"),
            "creator": (ratio >= self.blogger_min_ratio) & (blog_rate >= self.blogger_min_rate),
            **pool_columns(X, blog_rate)}, index=X.index)

    def blogger_found(self, received, rates, answered: float = 1.0) -> dict:
        """The blogger's reach thresholds read from every member's ``received_distinct``
        and content rate (any slice of rows, or only the positive values), and the share
        of content creators anyone acted on
        (:func:`~clusterkit.stages.roles.reach.reach_thresholds`)."""
        return reach_thresholds(received, rates, self.blogger_reach, self.min_sample,
                                answered)

    @staticmethod
    def creators(pool: pd.DataFrame, blogger: dict) -> np.ndarray:
        """Which members of an :meth:`influencer_pool` (any slice of rows) pass the
        blogger's gate: content rate and share (``creator``) and the reach test read by
        :meth:`blogger_found` (``blogger``). The influencer's thresholds are read among
        them: the bloggers and influencers by content, without the occasional posters."""
        return pool["creator"].to_numpy(bool) & reached(
            pool["received"].to_numpy(), pool["content_rate"].to_numpy(), blogger)

    def reading_creators(self, amp, creators, gated) -> np.ndarray:
        """The creators the influencer's thresholds are read among: those past the
        blogger's gate (``gated``, :meth:`creators`) when they hold a lower mode of their
        own, at least ``min_sample`` of them amplified by fewer members than the break read
        among every content creator (``creators``: content rate and share only);
        otherwise every content creator. Where no blogger passes the gate's reach test,
        the creators past it are the influencers alone, one mode that a break would cut in
        two, and the creators without reach are the lower mode. ``amp``, ``creators`` and
        ``gated`` are aligned (every member, or the amplified members as counts per
        value); reads their distribution only."""
        amp = np.asarray(amp, np.float64)
        creators, gated = np.asarray(creators, bool), np.asarray(gated, bool)
        every = np.log1p(amp[creators & (amp > 0)])
        if len(every) < self.min_sample or len(np.unique(every)) < 2:
            return creators
        below = np.log1p(amp[gated & (amp > 0)]) < mixture_break(every)
        return gated if int(below.sum()) >= self.min_sample else creators

    @staticmethod
    def answered(pool: pd.DataFrame) -> float:
        """Share of the content creators of an :meth:`influencer_pool` that anyone acted on
        (1 without creators)."""
        return answered_share(pool["creator"].to_numpy(), pool["received"].to_numpy())

    def influencer_found(self, amp, followers, creators, audience, talk=None,
                         graph: bool = True) -> dict:
        """The influencer thresholds read from every member's evidence.

        ``amp``, ``creators``, ``audience`` (followers) and ``talk`` (conversers) go
        together (one entry per member, or per amplified member: only amplified members
        are read); ``followers`` may be every member's, or only the positive counts. Reads
        the distribution only, not the order. The amplifiers read are those conversation
        backs (:mod:`~clusterkit.stages.roles.conversation`; ``talk`` None: all).
        ``graph``: the followers come from a follow graph
        (:func:`~clusterkit.stages.roles.response.follow_graph`), which the response test
        needs (:mod:`~clusterkit.stages.roles.response`).
        """
        amp, followers = np.asarray(amp, np.float64), np.asarray(followers, np.float64)
        talked = {} if talk is None else conversation_found(
            amp, talk, creators, self.conversation_min, self.min_amplifiers, self.min_sample)
        if talked:
            amp = backed_amplifiers(amp, talk, talked)
        found = {**self._influencer_found(amp, followers, creators, audience),
                 "graph": bool(graph)}
        response = response_found(amp, audience, creators, self.min_sample) \
            if found["mode"] == "both" and graph and self.influencer_response_ratio > 0 else {}
        if response:
            found["response"] = response
        return {**found, "conversation": talked} if talked else found

    def _influencer_found(self, amp, followers, creators, audience) -> dict:
        """:meth:`influencer_found` on amplifiers as conversation backs them."""
        has_amp, has_fol = bool(np.any(amp > 0)), bool(np.any(followers > 0))
        if has_amp and has_fol:
            creators = np.asarray(creators, bool)
            t_amp, how = amplifier_threshold(
                amp, creators, self.min_amplifiers, self.min_sample, self.influencer_scale)
            reach = np.maximum(np.asarray(audience, np.float64), amp)  # as the test reads
            t_fol, fol_how = follower_threshold(
                followers, reach[creators & (amp > 0)], self.reach_multiple,
                self.creator_reach, self.min_sample, self.creator_floor)
            return {"mode": "both", "followers": t_fol, "followers_how": fol_how,
                    "amplifiers": t_amp, "how": how}
        if has_amp:
            t_amp, how = amplifier_threshold(amp, np.asarray(creators, bool),
                                             self.min_amplifiers, self.min_sample,
                                             self.influencer_scale)
            return {"mode": "amplifiers", "amplifiers": t_amp, "how": how}
        if not has_fol:
            return {"mode": "none"}
        q = float(np.quantile(followers[followers > 0], self.graph_quantile))
        return {"mode": "graph", "followers": max(float(self.min_followers), q)}

    def _in_fan_pool(self, X: pd.DataFrame, found: dict) -> np.ndarray:
        """Whether each member of ``X`` is active and neither influencer nor blogger."""
        blog_rate, ratio = self._content(X, found["months"])
        taken = (self._influencer_ratio(self._amplifiers(X, found["influencer"]),
                                        column(X, "followers"), found["influencer"])[1]
                 >= 1.0) | (
            (ratio >= self.blogger_min_ratio) & self._reached(X, found, blog_rate)
            & (blog_rate >= self.blogger_min_rate * self.blogger_scale))
        return ~taken & (column(X, "n_events") > 0)

    def fan_pool(self, X: pd.DataFrame, found: dict) -> np.ndarray:
        """Weighted deep reactions per month of the members of ``X`` (any slice of rows) who
        are active and neither influencers nor bloggers: what :meth:`fan_found` reads."""
        _, weight = deep_activity(X, self._weights(), self.shallow_actions)
        return (weight / found["months"])[self._in_fan_pool(X, found)]

    def breadth_pool(self, X: pd.DataFrame, found: dict) -> tuple[list, np.ndarray]:
        """The deep kinds of ``X`` and the counts per kind of the members :meth:`fan_pool`
        reads (any slice of rows): what :meth:`fan_found` reads for the breadth test."""
        return deep_kinds(X, self.shallow_actions, rows=self._in_fan_pool(X, found))

    def depth_pool(self, X: pd.DataFrame, found: dict) -> np.ndarray:
        """The depths (:func:`~clusterkit.stages.roles.depth.depth_share`) of the members of
        ``X`` (any slice of rows) in :meth:`fan_pool` over the fan's volume threshold
        (``found["fan"]``): what :meth:`depth_found` reads."""
        count, weight = deep_activity(X, self._weights(), self.shallow_actions)
        over = (self._in_fan_pool(X, found) & (count >= self.fan_min_actions)
                & (weight / found["months"] >= found["fan"]["rate"]))
        return depth_share(X.loc[over], self.shallow_actions, count[over])

    def depth_found(self, shares) -> dict:
        """The depth test's reference read from :meth:`depth_pool` over every member (its
        distribution only, not its order); empty when the test is off."""
        return depth_found(shares, self.min_sample) if self.fan_depth_ratio > 0 else {}

    def fan_found(self, pool, kinds=None) -> dict:
        """The fan threshold read from :meth:`fan_pool` over every member (its distribution
        only, not its order), and the breadth test's reading of the pool's kinds
        (:meth:`breadth_pool`, ``(names, counts)``; none: off)."""
        pool = np.asarray(pool, np.float64)
        if len(pool) >= self.min_sample and len(np.unique(pool)) >= 2:
            t_fan = float(np.expm1(natural_break(np.log1p(pool), classes=2)))
            how = "break between the active members' two modes"
        else:
            t_fan, how = float(self.fan_min_rate), "fallback: too few active members"
        breadth = {} if kinds is None or self.fan_breadth_alpha <= 0 else \
            breadth_found(kinds[1], self.min_sample)
        return {"rate": max(t_fan * self.fan_scale, 1e-9), "how": how,
                **({"breadth": {**breadth, "names": list(kinds[0])}} if breadth else {})}

    def apply(self, features: pd.DataFrame, found: dict):
        """Every member of ``features`` (any slice of rows) against the thresholds ``found``
        (as :meth:`fit` reads them from the whole table): sets the fitted attributes for
        these rows, the same as the whole table's fit gives them."""
        X = features
        n = len(X)
        months = found["months"]
        followers = column(X, "followers")
        blog_rate, ratio_created = self._content(X, months)
        *influencer, held = self._influencer(X, followers, found["influencer"])
        evidence = {"influencer": tuple(influencer)}
        t_blog = self.blogger_min_rate * self.blogger_scale
        blog_gate = ((ratio_created >= self.blogger_min_ratio)
                     & self._reached(X, found, blog_rate))
        evidence["blogger"] = (
            np.where(blog_gate, blog_rate / t_blog,
                     np.minimum(blog_rate / t_blog, 0.99)),
            join_text("content items per month: ", fmt_text(blog_rate),
                      f" (threshold {fmt_value(t_blog)}); ",
                      fmt_text(np.round(ratio_created * 100)),
                      f"% of own weighted activity is content (threshold "
                      f"{self.blogger_min_ratio:.0%})",
                      *reach_text(column(X, "received_distinct"),
                                  found.get("blogger", OFF), self.blogger_reach)))
        evidence["fan"] = self._fan(X, months, found["fan"])

        scores = np.column_stack([evidence[r][0] for r in ROLES[:3]])  # (n, 3)
        qualifies = scores >= 1.0
        first = np.where(qualifies.any(axis=1), qualifies.argmax(axis=1), 3)
        roles = np.asarray(ROLES, dtype=object)[first]

        best_other = np.full(n, 0.0)
        secondary = np.full(n, "follower", dtype=object)
        for j, role in enumerate(ROLES[:3]):
            s = np.where(first == j, -np.inf, scores[:, j])
            better = s > best_other
            best_other = np.where(better, s, best_other)
            secondary = np.where(better & (s >= 0.5), role, secondary)
        # a follower's secondary role is the role it comes nearest to; with no evidence for
        # any role at all it stays "follower" (nothing suggests anything else)
        nearest = np.asarray(ROLES, dtype=object)[scores.argmax(axis=1)]
        secondary = np.where((roles == "follower") & (secondary == "follower")
                             & (scores.max(axis=1) > 0), nearest, secondary)
        own = np.where(first < 3, scores[np.arange(n), np.minimum(first, 2)], np.nan)
        conf = np.where(first < 3, confidence(own), 1.0 - confidence(best_other))
        self.roles_ = roles
        self.secondary_ = secondary.astype(object)
        self.confidence_ = np.clip(conf, 0.0, 1.0)
        self.thresholds_ = self.recorded_thresholds(found)
        self.explanations_ = self._explain(roles, evidence, held)
        return self

    @staticmethod
    def _reached(X: pd.DataFrame, found: dict, rate: np.ndarray) -> np.ndarray:
        """Whether each member passes the blogger's reach test (``found``)."""
        return reached(column(X, "received_distinct"), rate, found.get("blogger", OFF))

    def recorded_thresholds(self, found: dict) -> dict:
        """``thresholds_`` as :meth:`apply` records them from ``found``, in feature units."""
        inf = found["influencer"]
        return {
            **{f"influencer_{k}": inf[k] for k in ("followers", "amplifiers") if k in inf},
            **({"influencer_followers_how": inf["followers_how"]}
               if "followers_how" in inf else {}),
            **({"influencer_response_median": inf["response"]["median"],
                "influencer_response_ratio": self.influencer_response_ratio}
               if inf.get("response") else {}),
            **({"influencer_conversation_share": inf["conversation"]["typical"],
                "influencer_conversation_how": inf["conversation"]["how"]}
               if inf.get("conversation") else {}),
            "blogger_rate": self.blogger_min_rate * self.blogger_scale,
            "blogger_ratio": self.blogger_min_ratio,
            **(recorded(found["blogger"]) if "blogger" in found else {}),
            "fan_rate": found["fan"]["rate"], "fan_actions": self.fan_min_actions,
            **({"fan_breadth_kinds": found["fan"]["breadth"]["names"],
                "fan_breadth_mix": [float(v) for v in found["fan"]["breadth"]["mix"]],
                "fan_breadth_rho": found["fan"]["breadth"]["rho"]}
               if found["fan"].get("breadth") else {}),
            **({"fan_depth_median": found["fan"]["depth"]["median"],
                "fan_depth_ratio": self.fan_depth_ratio} if found["fan"].get("depth") else {}),
            "months": found["months"],
        }

    @staticmethod
    def _amplifiers(X: pd.DataFrame, found: dict) -> np.ndarray:
        """Each member's distinct amplifiers as far as conversation backs them."""
        return backed_amplifiers(column(X, "amplifiers"), column(X, "conversers"),
                                 found.get("conversation", {}))

    def _influencer_ratio(self, amp, followers, found: dict):
        """Influencer evidence as a ratio to the audience and amplifier gates ``found`` (1 =
        at them), and the same with the response as a third gate
        (:mod:`~clusterkit.stages.roles.response`; off: the same)."""
        gates = influencer_ratio(amp, followers, found)
        return gates, np.minimum(gates, answer_ratio(amp, followers, found.get("response", {}),
                                                     self.influencer_response_ratio))

    def _influencer(self, X: pd.DataFrame, followers: np.ndarray, found: dict):
        """Influencer evidence (ratio to threshold, 1 = at it), its explanation, and which
        members passed the gates but not the response test."""
        amp = self._amplifiers(X, found)
        gates, ratio = self._influencer_ratio(amp, followers, found)
        text = join_text(influencer_text(amp, followers, found), conversation_text(
            column(X, "amplifiers"), column(X, "conversers"), amp,
            found.get("conversation", {})))
        held = (gates >= 1.0) & (ratio < 1.0)
        return ratio, response_text(text, held, amp, followers, found.get("response", {}),
                                    self.influencer_response_ratio), held

    def _fan(self, X, months, found):
        """Fan evidence: weighted deep reactions per month against the data's break, on
        enough occasions, over enough kinds (:mod:`~clusterkit.stages.roles.breadth`)."""
        count, weight = deep_activity(X, self._weights(), self.shallow_actions)
        rate, t_fan = weight / months, found["rate"]
        breadth, depth = found.get("breadth", {}), found.get("depth", {})
        volume = (rate >= t_fan) & (count >= self.fan_min_actions)  # tested: fans by volume
        kinds = deep_kinds(X, (), breadth.get("names", []), rows=volume)[1]
        flagged = concentrated(kinds, breadth, self.fan_breadth_alpha)
        narrow = volume.copy()
        narrow[volume] = flagged
        shares = depth_share(X, self.shallow_actions, count)
        shallow = volume & ~narrow & passive(shares, depth, self.fan_depth_ratio)
        gate = (count >= self.fan_min_actions) & ~narrow & ~shallow
        text = breadth_text(
            join_text("weighted deep reactions per month: ", fmt_text(rate),
                      f" (threshold {fmt_value(t_fan)}: {found['how']}) in ", fmt_text(count),
                      f" deep reactions (at least {self.fan_min_actions})"),
            narrow, np.count_nonzero(kinds[flagged], axis=1), breadth)
        return (np.where(gate, rate / t_fan, np.minimum(rate / t_fan, 0.99)),
                depth_text(text, shallow, shares, depth, self.fan_depth_ratio))

    def _explain(self, roles, evidence, held=None):
        """Each member's explanation (:func:`~clusterkit.stages.roles.text.explanations`).
        A member that passed the influencer's gates but whose audience does not answer
        (``held``) is explained as such: a blogger or fan also gets its influencer
        evidence, which says so, and a follower is not "below every threshold"."""
        text = explanations(roles, {role: evidence[role][1] for role in ROLES[:3]}, ROLES)
        held = np.asarray(held if held is not None else np.zeros(len(roles)), bool)
        if not held.any():
            return text
        import pyarrow as pa
        import pyarrow.compute as pc

        arrow = pa.array(text, type=pa.large_string())
        other, quiet = held & np.isin(roles, ROLES[1:3]), pa.array(held & (roles == ROLES[3]))
        arrow = annotate(arrow, other, "; influencer evidence: ",
                         evidence["influencer"][1].filter(pa.array(other)))
        if quiet.true_count:
            arrow = pc.replace_with_mask(arrow, quiet, pc.replace_substring(
                pc.filter(arrow, quiet), "below every threshold", "past the influencer's "
                "gates but not its response test, below every other threshold",
                max_replacements=1))
        return pd.array(arrow, dtype="str")
