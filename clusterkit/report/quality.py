"""The quality-metrics panel: the run's ``metrics.json`` as a table a person can read.

One row per metric, grouped by stage (communities, clusters, roles, scoring, graph, then any
other stage, such as a stability check), with the method that produced it, a formatted value
and what the number means. Nested tables (role counts, size distribution) become one row of
``key value`` pairs; deeper structures (k-selection scores, thresholds) stay in the raw JSON,
which the report keeps in a collapsible block.

Examples
--------
>>> m = {"community": {"stage": "leiden", "modularity": 0.41234, "n_communities": 6},
...      "roles": {"counts": {"fan": 3, "follower": 7}}}
>>> quality_table(m)[["stage", "method", "metric", "value"]].to_dict("records")[:2]
[{'stage': 'communities', 'method': 'leiden', 'metric': 'modularity', 'value': '0.412'}, \
{'stage': 'communities', 'method': 'leiden', 'metric': 'communities', 'value': '6'}]
>>> quality_table(m)["value"].iloc[-1]
'fan 3 (30.0%), follower 7 (70.0%)'
"""

from __future__ import annotations

import html
import math
import numbers

import pandas as pd

__all__ = ["quality_html", "quality_table"]

_STAGES = {"community": "communities", "cluster": "clusters", "roles": "roles",
           "scoring": "scoring", "graph": "graph", "stability": "stability"}
"""Known stages, in the order shown, with their display names."""

_KNOWN = {  # metric → (label, what it means)
    "modularity": ("modularity", "ties inside communities beyond chance; > 0.3 is clear "
                                 "structure, higher is better"),
    "coverage": ("coverage", "share of the graph's tie weight inside communities"),
    "mean_conductance": ("mean conductance", "share of a community's ties that leave it; "
                                             "lower is better separated"),
    "n_communities": ("communities", "number of communities (isolated members excluded)"),
    "n_isolates": ("isolated members", "members without any tie, in no community"),
    "largest_sizes": ("largest communities", "member counts of the ten largest"),
    "size_distribution": ("size distribution", "how members spread over communities"),
    "n_clusters": ("clusters", "number of behavioural clusters (segments)"),
    "noise_share": ("noise share", "share of members a density clusterer left unassigned"),
    "silhouette": ("silhouette", "-1..1 on a seeded sample; higher means members sit "
                                 "closer to their own cluster than to the next"),
    "davies_bouldin": ("Davies-Bouldin", "cluster spread over separation; lower is better"),
    "calinski_harabasz": ("Calinski-Harabasz", "between- over within-cluster variance; "
                                               "higher is better"),
    "segments_by": ("segments made within", "clusters are found within each role, or "
                                            "over all members"),
    "counts": ("members per role", "the behavioural role of every member"),
    "thresholds": ("role thresholds", "cut-offs the role rules used (learnt from the data)"),
    "mean_confidence": ("mean role confidence", "0..1, how clearly members fit their role"),
    "engagement_total": ("total engagement weight", "sum of weighted actions of all members"),
    "n_edges": ("member graph ties", "undirected weighted edges between members"),
    "total_weight": ("member graph weight", "follows and interactions, weighted"),
    "stability": ("stability", "agreement between runs with different seeds or "
                               "resamples (1 = identical)"),
    "ari": ("adjusted Rand index", "agreement with a reference labelling (1 = identical)"),
    "nmi": ("NMI", "normalised mutual information with a reference (1 = identical)"),
    "jaccard": ("Jaccard", "overlap of communities across resamples (1 = identical)"),
}


def _num(v) -> str:
    if isinstance(v, bool):
        return "yes" if v else "no"
    if isinstance(v, numbers.Integral):
        return f"{int(v):,}"
    if isinstance(v, numbers.Real):
        v = float(v)
        if not math.isfinite(v):
            return "not computed"
        if v != 0 and (abs(v) >= 1e7 or abs(v) < 1e-3):
            return f"{v:.3g}"
        return f"{v:,.1f}" if abs(v) >= 1000 else f"{v:.3g}" if abs(v) < 1 else f"{v:.4g}"
    return str(v)


def _scalar(v) -> bool:
    return v is None or isinstance(v, str | numbers.Number)


def _value(key: str, v) -> str | None:
    """Formatted value, or None when the structure is too deep for one cell."""
    if _scalar(v):
        return "" if v is None else _num(v)
    if isinstance(v, list | tuple) and all(_scalar(x) for x in v):
        return ", ".join(_num(x) for x in v[:10]) + (" …" if len(v) > 10 else "")
    if isinstance(v, dict) and v and all(_scalar(x) for x in v.values()) and len(v) <= 12:
        if key == "counts" and all(isinstance(x, numbers.Integral) for x in v.values()):
            total = sum(int(x) for x in v.values()) or 1
            return ", ".join(f"{k} {int(x):,} ({int(x) / total:.1%})" for k, x in v.items())
        return ", ".join(f"{k} {_num(x)}" for k, x in v.items())
    return None


def quality_table(metrics: dict) -> pd.DataFrame:
    """The metrics as rows ``stage, method, metric, value, meaning`` (display strings)."""
    rows = []
    stages = [k for k in _STAGES if isinstance(metrics.get(k), dict)]
    stages += sorted(k for k, v in metrics.items() if isinstance(v, dict) and k not in _STAGES)
    for stage in stages:
        block = metrics[stage]
        method = str(block.get("stage", block.get("method", "")))
        for key, v in block.items():
            if key in ("stage", "method"):
                continue
            text = _value(key, v)
            if text is None:
                continue
            label, meaning = _KNOWN.get(key, (key.replace("_", " "), ""))
            rows.append((_STAGES.get(stage, stage.replace("_", " ")), method, label, text,
                         meaning))
    loose = {k: v for k, v in metrics.items() if not isinstance(v, dict)}
    for key, v in sorted(loose.items()):
        text = _value(key, v)
        if text is not None:
            label, meaning = _KNOWN.get(key, (key.replace("_", " "), ""))
            rows.append(("run", "", label, text, meaning))
    return pd.DataFrame(rows, columns=["stage", "method", "metric", "value", "meaning"])


def quality_html(metrics: dict) -> str:
    """The panel: the readable table, then the raw JSON in a collapsible block."""
    from clusterkit.report.figures import pretty_json

    table = quality_table(metrics)
    esc = html.escape
    if table.empty:
        body = '<p class="note">The run recorded no quality metrics.</p>'
    else:
        parts = ['<table class="quality"><thead><tr><th>stage</th><th>method</th>'
                 "<th>metric</th><th>value</th><th>what it means</th></tr></thead><tbody>"]
        last = None

        def cls(value: str) -> str:
            return ' class="num"' if " " not in value else ""

        for row in table.itertuples(index=False):  # one row per metric, a few dozen
            first = row.stage != last
            last = row.stage
            parts.append(
                f"<tr><td>{esc(row.stage) if first else ''}</td>"
                f"<td>{esc(row.method) if first else ''}</td><td>{esc(row.metric)}</td>"
                f"<td{cls(row.value)}>{esc(row.value)}</td><td class=\"note\">"
                f"{esc(row.meaning)}"
                "</td></tr>")
        parts.append("</tbody></table>")
        body = "".join(parts)
    return (f'<div class="scroll">{body}</div>\n<details><summary>All metrics (JSON)</summary>'
            f"<pre>{pretty_json(metrics)}</pre></details>")
