"""The campaign's HTML page (``campaign.html``): cards, figures and the counterfactual, offline.

:func:`campaign_sections` returns the ``<section>`` elements (plotly.js inlined once, so
they can stand alone or go into another page); :func:`render_campaign_html` wraps them in
a self-contained page.
"""

from __future__ import annotations

import html

import numpy as np
import pandas as pd

__all__ = ["campaign_sections", "render_campaign_html"]

_SHOWN = {
    "label": "blogger", "role": "role", "cost": "cost", "retweets": "retweets",
    "cascade_size": "cascade size", "cascade_depth": "depth", "max_breadth": "breadth",
    "structural_virality": "virality", "reach": "reach", "new_members": "new",
    "reactivated_members": "reactivated", "attributed_conversions": "attributed conv.",
    "attribution_share": "attribution share", "incremental": "incremental conv. (CI)",
    "adopters": "of which adopters (CI)", "rank": "rank (by lower bound)",
    "prob_best": "chance of being best", "history_matched": "history-matched (CI)",
    "placebo_dates_cell": "placebo: fake dates (CI)",
    "placebo_lookalike_cell": "history check: look-alikes (CI)",
    "cost_per_incremental_conversion": "cost / incremental conv.",
    "placebo_note": "placebo check",
}


def interval_cell(est, lo, hi) -> str:
    """``"12.3 [4.5, 20.1]"``, or an empty string for a missing estimate.

    Examples
    --------
    >>> interval_cell(12.34, 4.5, 20.06)
    '12.3 [4.5, 20.1]'
    """
    return "" if pd.isna(est) else f"{est:.1f} [{lo:.1f}, {hi:.1f}]"


def _contrast_figure(cards: pd.DataFrame):
    import plotly.graph_objects as go
    from plotly.subplots import make_subplots

    names = cards["label"].astype(str).tolist()
    fig = make_subplots(rows=1, cols=2, shared_yaxes=True, horizontal_spacing=0.08,
                        subplot_titles=("retweets (the natural metric)",
                                        "conversions: attributed vs incremental (CI)"))
    fig.add_trace(go.Bar(y=names, x=cards["retweets"], orientation="h", name="retweets",
                         marker_color="#9aa5b1"), 1, 1)
    inc = cards["incremental_conversions"].to_numpy(dtype=float)
    err_hi = cards["incremental_ci_high"].to_numpy(dtype=float) - inc
    err_lo = inc - cards["incremental_ci_low"].to_numpy(dtype=float)
    fig.add_trace(go.Bar(y=names, x=inc, orientation="h", name="incremental",
                         marker_color="#2f80ed",
                         error_x={"type": "data", "array": err_hi, "arrayminus": err_lo}), 1, 2)
    fig.add_trace(go.Scatter(y=names, x=cards["attributed_conversions"], mode="markers",
                             name="attributed (after exposure)",
                             marker={"symbol": "diamond-open", "size": 11,
                                     "color": "#e0683b"}), 1, 2)
    fig.update_yaxes(autorange="reversed")
    fig.update_layout(height=max(260, 60 + 36 * len(names)), barmode="overlay",
                      legend={"orientation": "h", "y": -0.2})
    return fig


def _shape_figure(cards: pd.DataFrame):
    import plotly.graph_objects as go

    reach = cards["reach"].to_numpy(dtype=float)
    size = 10 + 40 * np.sqrt(reach / max(reach.max(), 1))
    fig = go.Figure(go.Scatter(
        x=cards["cascade_size"], y=cards["structural_virality"], mode="markers+text",
        text=cards["label"].astype(str), textposition="top center",
        marker={"size": size, "color": "#2f80ed", "opacity": 0.6},
        customdata=np.column_stack([cards["reach"], cards["cascade_depth"],
                                    cards["retweets"]]),
        hovertemplate="%{text}<br>size %{x}<br>structural virality %{y:.2f}<br>reach "
                      "%{customdata[0]}<br>depth %{customdata[1]}<br>retweets "
                      "%{customdata[2]}<extra></extra>"))
    fig.update_xaxes(title="cascade size (members, blogger included)", type="log")
    fig.update_yaxes(title="structural virality (mean distance)")
    fig.update_layout(height=380)
    return fig


def _counterfactual_figure(cf):
    import plotly.graph_objects as go

    d = cf.daily
    x = d["date"].dt.strftime("%Y-%m-%d")
    fig = go.Figure([
        go.Scatter(x=x, y=d["upper"], mode="lines", line={"width": 0}, showlegend=False,
                   hoverinfo="skip"),
        go.Scatter(x=x, y=d["lower"], mode="lines", line={"width": 0}, fill="tonexty",
                   fillcolor="rgba(47,128,237,0.15)", name="prediction interval"),
        go.Scatter(x=x, y=d["predicted"], mode="lines", name="counterfactual",
                   line={"dash": "dash", "color": "#2f80ed"}),
        go.Scatter(x=x, y=d["actual"], mode="lines+markers", name="actual",
                   line={"color": "#1f2933"}),
    ])
    fig.update_yaxes(title=f"{cf.summary['metric']} per day")
    fig.update_layout(height=340, legend={"orientation": "h", "y": -0.2})
    return fig


def _attribution_figure(table: pd.DataFrame):
    import plotly.graph_objects as go

    from clusterkit.campaign.channel import CHANNEL_PREFIX

    t = table.sort_values("share")
    blog = t["touch"].astype(str).str.startswith(CHANNEL_PREFIX)
    fig = go.Figure(go.Bar(
        y=t["touch"].astype(str), x=t["share"], orientation="h",
        marker_color=np.where(blog, "#2f80ed", "#9aa5b1"),
        hovertemplate="%{y}: %{x:.1%} of conversions<extra></extra>"))
    fig.update_xaxes(title=f"share of the outcome period's conversions ({t['model'].iloc[0]})",
                     tickformat=".0%")
    fig.update_layout(height=max(260, 60 + 24 * len(t)))
    return fig


def _cards_table(cards: pd.DataFrame) -> str:
    df = cards.copy()
    for name, cols in (
            ("incremental", ("incremental_conversions", "incremental_ci_low",
                             "incremental_ci_high")),
            ("adopters", ("adopters_incremental_conversions", "adopters_incremental_ci_low",
                          "adopters_incremental_ci_high")),
            ("history_matched", ("history_matched_conversions", "history_matched_ci_low",
                                 "history_matched_ci_high")),
            ("placebo_dates_cell", ("placebo_dates", "placebo_dates_ci_low",
                                    "placebo_dates_ci_high")),
            ("placebo_lookalike_cell", ("placebo_lookalike", "placebo_lookalike_ci_low",
                                        "placebo_lookalike_ci_high"))):
        if all(c in df.columns for c in cols):
            df[name] = [interval_cell(*v) for v in df[list(cols)].itertuples(index=False)]
    df = df[[c for c in _SHOWN if c in df.columns]].rename(columns=_SHOWN)
    return df.to_html(index=False, escape=True, border=0, na_rep="",
                      float_format=lambda v: f"{v:.4g}")


def _effect_line(s: dict) -> str:
    return (f"{s['metric']}: actual {s['actual']:,.0f}, counterfactual {s['predicted']:,.0f}; "
            f"cumulative effect {s['effect']:+,.0f} ({s['confidence']:.0%} interval "
            f"{s['effect_low']:+,.0f} to {s['effect_high']:+,.0f}) over {s['post_days']} days")


def _shift_words(result) -> str:
    s = result.manifest.get("community_shift", {}).get("conversions")
    if not s:
        return "not measured"
    return (f"unexposed members converted {s['ratio'] - 1:+.1%} against their own baseline, "
            f"interval {s['ci_low'] - 1:+.1%} to {s['ci_high'] - 1:+.1%}")


def campaign_sections(result) -> str:
    """The campaign's HTML sections (plotly.js inlined in the first figure)."""
    from clusterkit.report.figures import figures_to_divs, note, plotly_template, section

    cards = result.cards
    cf = result.counterfactual
    figs = [("campaign-contrast", _contrast_figure(cards)),
            ("campaign-shape", _shape_figure(cards))]
    figs += [(f"campaign-cf-{m}", _counterfactual_figure(c)) for m, c in cf.items()]
    if result.attribution is not None:
        figs.append(("campaign-attribution", _attribution_figure(result.attribution)))
    divs = figures_to_divs(figs, plotly_template(), note("Nothing to show."))
    camp = result.campaign
    spec = camp.spec
    parts = [
        section("Contribution per blogger", '<div class="scroll">' + _cards_table(cards)
                + "</div>",
                note="Incremental conversions: the exposed members' outcome-period "
                     "conversions against their own long-run rate, net of the community's "
                     f"shift ({_shift_words(result)}); the {spec.confidence:.0%} interval "
                     "also spans the history-matched estimate (exposed members against "
                     f"{spec.neighbours} unexposed members with a similar history each). "
                     "Adopters: the members who reshared. Placebos: the same estimator on "
                     "fake campaign dates in the pre-period and on unexposed look-alikes; 0 "
                     "is expected, and the last column says when it is not. Attributed: "
                     f"conversions within {spec.attribution_days:g} days of exposure."),
        section("Retweets against what they brought", divs["campaign-contrast"]),
        section("Cascade shape", divs["campaign-shape"],
                note="Structural virality: mean distance between members of the cascade "
                     "tree (1 to 2 for a broadcast, larger for person-to-person spread). "
                     "Bubble area: members reached."),
    ]
    if result.attribution is not None:
        parts.append(section(
            "The bloggers as channels in the attribution model", divs["campaign-attribution"],
            note="Each member exposed through a blogger's cascade gets a touch on channel "
                 "blogger:<label> at exposure; journeys of the outcome period are credited "
                 "by the attribution model, so bloggers and channels share one scale."))
    for m, c in cf.items():
        parts.append(section(f"Whole community: {m} against the counterfactual",
                             divs[f"campaign-cf-{m}"], note=_effect_line(c.summary)))
    if result.manifest.get("warnings"):
        items = "".join(f"<li>{html.escape(w)}</li>" for w in result.manifest["warnings"])
        parts.append(section("Warnings", f"<ul>{items}</ul>"))
    return "\n".join(parts)


def render_campaign_html(result) -> str:
    """``campaign.html``: a self-contained page of :func:`campaign_sections`."""
    from clusterkit.report.figures import page, summary_line

    camp = result.campaign
    spec = camp.spec
    fmt = "%Y-%m-%d %H:%M"
    head = summary_line([
        f"<b>{len(camp.bloggers)}</b> blogger(s)",
        f"window {spec.window.start:{fmt}} to {spec.window.end:{fmt}} UTC",
        f"pre-period {spec.baseline().start:%Y-%m-%d} to {spec.baseline().end:%Y-%m-%d}",
        f"seed {spec.seed}"])
    return page(f"Campaign: {spec.name}", head, campaign_sections(result))
