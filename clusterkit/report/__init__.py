"""Offline HTML report.

Kept light: the rendering module (pandas, numpy, and plotly inside its functions) is imported
only when ``render_report`` or ``write_report`` is first used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clusterkit.report.html import render_report, write_report

__all__ = ["render_report", "write_report"]


def __getattr__(name: str):
    if name in __all__:
        from clusterkit.report import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
