"""Shared building blocks of the HTML pages: styles, page shell, template, colours, divs.

Both the run report (:mod:`clusterkit.report.html`) and the comparison page
(:mod:`clusterkit.report.compare`) are assembled from these: one CSS, one plotly layout
template, one palette, one way of turning figures into ``<div>`` s (plotly.js inlined once),
one page shell. Everything is deterministic (fixed div ids, sorted JSON).

Examples
--------
>>> print(section("Hello", "<p>body</p>", note="A note."))
<section><h2>Hello</h2><p class="note">A note.</p>
<p>body</p></section>
>>> segment_colors(["a", "b"])["b"]
'#EF553B'
"""

from __future__ import annotations

import html
import json
import os
import tempfile
from pathlib import Path

__all__ = [
    "CSS",
    "figures_to_divs",
    "html_table",
    "note",
    "page",
    "plotly_template",
    "pretty_json",
    "section",
    "segment_colors",
    "summary_line",
    "write_html",
]

CSS = """
body{font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;
color:#1f2933}
main{max-width:1200px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin:0 0 8px;font-size:1.2em}h3{margin:12px 0 6px;font-size:1em}
section{background:#fff;border-radius:8px;box-shadow:0 1px 3px rgba(0,0,0,.08);padding:16px;
margin:16px 0}
.summary span{display:inline-block;margin-right:24px}.note{color:#52606d;font-size:.9em}
table{border-collapse:collapse;font-size:.85em;width:100%}
th,td{border-bottom:1px solid #e4e7eb;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f0f2f5}.scroll{overflow-x:auto}
td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}
table.quality td:first-child{font-weight:600;white-space:nowrap}
pre{background:#f0f2f5;padding:12px;border-radius:6px;overflow:auto;max-height:480px;
font-size:.8em}
details{margin:8px 0}summary{cursor:pointer;color:#3e4c59;font-weight:600}
.panels{display:grid;grid-template-columns:1fr 1fr;gap:16px}
.panels>div{min-width:0}
"""
"""The one style sheet of every page."""


def segment_colors(names) -> dict[str, str]:
    """A fixed colour per name, in order (plotly's qualitative palettes, then repeated)."""
    from plotly.colors import qualitative as q

    palette = q.Plotly + q.D3 + q.Alphabet
    return {name: palette[i % len(palette)] for i, name in enumerate(names)}


def plotly_template():
    """plotly_white's layout only (the full template repeats ~10 KB in every figure)."""
    import plotly.graph_objects as go
    import plotly.io as pio

    return go.layout.Template(layout=pio.templates["plotly_white"].layout)


def figures_to_divs(figs, template, empty_html: str, bottom: int = 60) -> dict[str, str]:
    """``(div_id, figure)`` pairs → HTML divs, plotly.js inlined in the first one only.

    A ``None`` figure becomes ``empty_html``; a ``str`` is taken as the HTML to show instead
    (a note saying why the figure is left out). Div ids are fixed, so output is deterministic.
    """
    divs, first = {}, True
    for div_id, fig in figs:
        if fig is None or isinstance(fig, str):
            divs[div_id] = empty_html if fig is None else fig
            continue
        fig.update_layout(template=template)
        margin = {"l": 60, "r": 20, "t": 30, "b": bottom}
        margin.update(fig.layout.margin.to_plotly_json())  # a figure's own margins win
        fig.update_layout(margin=margin)
        divs[div_id] = fig.to_html(
            full_html=False,
            include_plotlyjs=first,
            div_id=div_id,
            config={"displaylogo": False, "responsive": True},
        )
        first = False
    return divs


def pretty_json(obj) -> str:
    """Indented, key-sorted JSON, HTML-escaped (NaN kept, unknown types as text)."""
    return html.escape(json.dumps(obj, indent=2, sort_keys=True, default=str, allow_nan=True))


def html_table(df, index: bool = False) -> str:
    """A pandas frame as an escaped HTML table, floats to 4 significant digits."""
    return df.to_html(
        index=index, escape=True, border=0, na_rep="", float_format=lambda v: f"{v:.4g}"
    )


def note(text: str) -> str:
    """A grey explanatory paragraph (text is escaped)."""
    return f'<p class="note">{html.escape(text)}</p>'


def section(title: str, body: str, note: str | None = None) -> str:
    """A card with a heading, an optional note (escaped) and HTML body."""
    head = f'<p class="note">{html.escape(note)}</p>\n' if note else ""
    return f"<section><h2>{html.escape(title)}</h2>{head}{body}</section>"


def summary_line(items) -> str:
    """The line of headline facts under the title; items are HTML snippets."""
    return '<p class="summary">' + "".join(f"<span>{i}</span>" for i in items) + "</p>"


def page(title: str, header: str, body: str) -> str:
    """A complete, self-contained HTML document: title, headline line, then sections."""
    esc = html.escape(title)
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{esc}</title><style>{CSS}</style></head>
<body><main>
<h1>{esc}</h1>
{header}
{body}
</main></body></html>
"""


def write_html(path, text: str) -> Path:
    """Write ``text`` to ``path`` atomically (a temporary file beside it, then renamed)."""
    from clusterkit.errors import ClusterkitInputError

    path = Path(path)
    if path.is_dir():
        raise ClusterkitInputError(f"{str(path)!r} is a folder; give the file to write, e.g. "
                                   f"{str(path / 'report.html')!r}.")
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp makes it private; a report is not
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path
