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
    "distinct_palette",
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
.story{margin:4px 0;padding-left:20px}.story li{margin:3px 0}
.cards{display:grid;grid-template-columns:repeat(auto-fill,minmax(260px,1fr));gap:12px}
.card{border:1px solid #e4e7eb;border-top:4px solid #9aa5b1;border-radius:6px;
padding:8px 10px;font-size:.82em;min-width:0;overflow-wrap:anywhere}
.card h3{margin:0 0 2px}.card p{margin:3px 0}.card .size{color:#52606d;margin-top:0}
.kv>span:first-child{display:inline-block;min-width:80px;color:#52606d}
.chip{display:inline-block;background:#f0f2f5;border-radius:10px;padding:0 6px;margin:1px 0}
.use{display:inline-block;border-radius:4px;padding:0 6px;color:#fff;font-weight:600}
.use-invite{background:#7048e8}.use-activate{background:#d9480f}
.use-nurture{background:#2b8a3e}.use-exclude{background:#868e96}.none{color:#9aa5b1}
.tall{max-height:480px;overflow:auto}
"""
"""The one style sheet of every page."""


_PALETTES = ("Plotly", "D3", "G10", "T10", "Dark24", "Alphabet", "Light24")


def _hex(color: str) -> str:
    """``#rrggbb`` (upper case) of a ``#rrggbb`` or ``rgb(r, g, b)`` colour."""
    if color.startswith("#"):
        return color.upper()
    r, g, b = (int(float(v)) for v in color[color.index("(") + 1:color.index(")")].split(","))
    return f"#{r:02X}{g:02X}{b:02X}"


def distinct_palette(n: int | None = None) -> list[str]:
    """Distinct colours: plotly's qualitative palettes one after another, repeats removed.

    ``Plotly, D3, G10, T10, Dark24, Alphabet, Light24`` give well over 100 colours, none twice
    (compared as upper-case hex), starting with plotly's default ten. With ``n`` the first
    ``n``; beyond the palette's length colours cycle (no figure here draws that many series).

    Examples
    --------
    >>> p = distinct_palette(13)
    >>> len(set(p)) == 13, p[0]
    (True, '#636EFA')
    """
    from plotly.colors import qualitative as q

    out = list(dict.fromkeys(_hex(c) for name in _PALETTES for c in getattr(q, name)))
    return out if n is None else [out[i % len(out)] for i in range(n)]


def segment_colors(names) -> dict[str, str]:
    """A fixed colour per name, in order, from :func:`distinct_palette` (no colour twice)."""
    names = list(names)
    return dict(zip(names, distinct_palette(len(names)), strict=True))


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
