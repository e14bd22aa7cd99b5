"""The story's parts, computed once from the run and its data, for :mod:`.html` to lay out.

:func:`story_parts` reads the dataset behind the run when given (:func:`.sources.as_data`)
for handles, names, events and follows, and computes everything the first screens of the
report show: member labels, affinities by segment and the top topic by community
(:func:`.affinity.affinities`), community labels and each segment's main community
(:mod:`.communities`), the segments' top members and suggested uses (:mod:`.cards`), and the
changes against a previous run (:func:`.story.run_changes`). Every table is sorted on the
columns it shows, so the report does not depend on input row order.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from clusterkit.report.figures import html_table, note

__all__ = ["MIN_SUPPORT", "StoryParts", "affinity_html", "affinity_note", "story_parts"]

MIN_SUPPORT = 10
"""Members of a segment who must touch an item for it to count as an affinity."""

_NO_AFFINITY = ("Affinities need the dataset's events and follows (accounts, topics and "
                "channels); re-render with: clusterkit report RUN --data DATASET.")


@dataclass
class StoryParts:
    """What the summary, the cards, the tables and the community figures show."""

    labels: object             # MemberLabels: member_id -> handle, name or id
    affinity: pd.DataFrame     # affinities by segment, with a ``label`` column
    community_labels: pd.Series
    main: pd.DataFrame         # main community per segment
    tops: pd.DataFrame         # top members per segment, with ``label``
    influencers: pd.DataFrame  # top members overall, with ``label``
    uses: pd.DataFrame
    channels: pd.DataFrame     # segment, channel, share of the segment's engagement
    changes: dict | None
    names_note: str | None
    affinity_note: str | None


def _previous(previous):
    if previous is None or hasattr(previous, "segments"):
        return previous
    from clusterkit.results import load_run

    return load_run(previous)


def _channel_shares(chan: pd.DataFrame, k: int = 3) -> pd.DataFrame:
    if chan is None or chan.empty:
        return pd.DataFrame(columns=["segment", "channel", "share"])
    t = chan[["segment", "channel", "total"]].copy()
    t["share"] = t["total"] / t.groupby("segment")["total"].transform("sum")
    t = t.sort_values(["segment", "share", "channel"], ascending=[True, False, True],
                      kind="mergesort")
    return t.groupby("segment", sort=False).head(k)[["segment", "channel", "share"]]


def story_parts(segments: pd.DataFrame, summary: pd.DataFrame, *, data=None, chan=None,
                previous=None, min_support: int = MIN_SUPPORT,
                identifiers: pd.DataFrame | None = None) -> StoryParts:
    """Compute the story's parts (see the module docstring).

    Parameters
    ----------
    segments, summary : pandas.DataFrame
        The run's per-member table and segment summary.
    data : CommunityData, str, Path or pandas.DataFrame, optional
        The run's input, its dataset folder, or a follows table (accounts only).
    chan : pandas.DataFrame, optional
        :func:`~clusterkit.report.channel_figures.channel_table` of the run.
    previous : RunResult or path, optional
        A previous run to compare with.
    min_support : int
        See :data:`MIN_SUPPORT`.
    identifiers : pandas.DataFrame, optional
        The run folder's ``identifiers.parquet``: handles and names when ``data`` is not
        given (:func:`~clusterkit.report.sources.member_labels`).
    """
    from clusterkit.report.affinity import affinities, affinity_items
    from clusterkit.report.cards import suggested_use, top_members
    from clusterkit.report.communities import community_labels, main_communities
    from clusterkit.report.sources import NO_NAMES, NO_TOPICS, MemberLabels, as_data
    from clusterkit.report.story import run_changes

    previous = _previous(previous)
    tables = as_data(data)
    events = None if tables is None else tables.events
    follows = data if isinstance(data, pd.DataFrame) else (
        None if tables is None else tables.follows)
    ids = segments["member_id"].astype(str)
    labels = MemberLabels(tables, identifiers)  # only the members the report names
    seg = segments.assign(member_id=ids.to_numpy(), segment=segments["segment"].astype(str))

    # the items once: segments and communities share the topics (communities read no other)
    held = None if tables is None else affinity_items(tables, events, follows)
    topic_rows = None if held is None else held["rows"].get(1)
    aff = affinities(seg[["member_id"]].assign(group=seg["segment"].to_numpy()), events,
                     follows, min_support=min_support, data=tables, items=held)
    if held is not None:
        held["rows"] = {} if topic_rows is None else {1: topic_rows}
        del topic_rows
    aff["label"] = aff["item"].astype(str)
    acc = aff["kind"] == "account"
    items = aff.loc[acc, "item"].astype(str).to_numpy()
    found = labels.reindex(items).to_numpy()
    aff.loc[acc, "label"] = np.where(pd.isna(found), items, found)  # outsiders: their id
    in_comm = seg[seg["community"].to_numpy() >= 0]
    topics = affinities(in_comm[["member_id"]].assign(group=in_comm["community"].to_numpy()),
                        events, None, min_support=min_support, top=1, kinds=("topic",),
                        data=tables, items=held)
    comm = community_labels(seg, labels, topics)

    tops = top_members(seg, k=5)
    tops["label"] = labels.reindex(tops["member_id"]).to_numpy()
    overall = top_members(seg.assign(_all=0), k=5, by="_all")
    overall["label"] = labels.reindex(overall["member_id"]).to_numpy()
    overall["segment"] = seg.set_index("member_id")["segment"].reindex(
        overall["member_id"]).to_numpy()
    changes = None if previous is None else run_changes(seg, summary, previous)
    no_aff = events is None and follows is None
    return StoryParts(
        labels=labels, affinity=aff, community_labels=comm, main=main_communities(seg, comm),
        tops=tops, influencers=overall, uses=suggested_use(summary),
        channels=_channel_shares(chan), changes=changes,
        names_note=None if tables is not None else NO_NAMES if identifiers is None
        else NO_TOPICS,
        affinity_note=_NO_AFFINITY if no_aff else None)


def affinity_html(parts: StoryParts, min_support: int = MIN_SUPPORT) -> str:
    """The affinity table: what each segment over-indexes on, with counts and lift."""
    aff = parts.affinity
    if parts.affinity_note:
        return note(parts.affinity_note)
    if aff.empty:
        return note(f"No item is touched by {min_support} or more members of a segment "
                    "more often than by the community as a whole.")
    t = pd.DataFrame({
        "segment": aff["group"], "kind": aff["kind"], "item": aff["label"],
        "members in segment": aff["count"].map("{:,}".format),
        "share in segment": aff["share"].map("{:.1%}".format),
        "share in community": aff["community_share"].map("{:.1%}".format),
        "lift": aff["lift"].map("{:.2f}".format)})
    return f'<div class="scroll tall">{html_table(t)}</div>'


def affinity_note(min_support: int = MIN_SUPPORT) -> str:
    """How the affinity table is made, for the section's note."""
    return (f"For each segment, the accounts (acted on or followed), topics and channels "
            f"that at least {min_support} of its members touch, with lift = share in the "
            "segment / share in the community (above 1: over-indexed), up to 5 per kind, "
            "highest lift first.")
