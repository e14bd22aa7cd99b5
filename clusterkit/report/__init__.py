"""Offline HTML pages: the run report and the experiment comparison page.

Kept light: the rendering modules (pandas, numpy, and plotly inside their functions) are
imported only when a function below is first used. Shared building blocks live in
:mod:`clusterkit.report.figures`.

==================== ==============================================================
function             what it writes
==================== ==============================================================
``write_run_report`` a run's ``report.html`` from a :class:`~clusterkit.results.RunResult`
``write_report``     the same from the run's tables given one by one
``render_*``         the HTML as a string instead of a file
==================== ==============================================================
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from clusterkit.report.html import (
        render_report,
        render_run_report,
        write_report,
        write_run_report,
    )

__all__ = ["render_report", "render_run_report", "write_report", "write_run_report"]


def __getattr__(name: str):
    if name in __all__:
        from clusterkit.report import html

        return getattr(html, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
