"""Helpers shared by several ``clusterkit`` commands.

Notes
-----
Only light imports at module level: rich is imported inside each helper, so that importing
a command module (and ``clusterkit --help``) stays fast.
"""

from __future__ import annotations


def stderr_console():
    """A rich console on stderr, for status lines, progress bars and notes."""
    from rich.console import Console

    return Console(stderr=True)


def run_with_progress(pipeline, data, console, run=None):
    """Run ``pipeline`` on ``data`` with a progress bar over the pipeline steps.

    ``run(progress=, detail=)``, when given, is called instead of ``pipeline.run(data, ...)``
    and what it returns is returned (the Spark run, whose steps are the pipeline's after
    Spark's).

    Beside the bar, where a long step is: its feature builder, attribution model or
    bootstrap replicate (:func:`~clusterkit.provenance.step_detail`).
    """
    from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

    from clusterkit.pipeline import STEPS

    with Progress(TextColumn("[bold]{task.description:<10}"), BarColumn(),
                  TextColumn("{task.completed}/{task.total}"), TimeElapsedColumn(),
                  TextColumn("{task.fields[detail]}", markup=False),
                  console=console, transient=False) as bar:
        task = bar.add_task("starting", total=len(STEPS), detail="")
        seen: list[str] = []

        def progress(name):
            if seen:
                bar.advance(task)
            seen.append(name)
            bar.update(task, description=name, detail="")

        def detail(name, text):
            bar.update(task, detail=text)

        try:
            if run is None:
                result = pipeline.run(data, progress=progress, detail=detail)
            else:
                result = run(progress=progress, detail=detail)
        except BaseException:
            bar.live.transient = True  # a failed run leaves its one error line, no bar
            raise
        bar.update(task, completed=len(STEPS), description="done", detail="")
    return result


def print_summary(result, console, limit: int = 20) -> None:
    """Print the segment summary of a run result as a table (the ``limit`` first rows).

    Cells wrap between words, never inside one (:func:`whole_words`), so the table reads at
    80 columns: size and share share a column, headers are short, and defining features are
    listed one per line.
    """
    from rich.table import Table

    s = result.summary
    table = Table(title=f"{len(s)} segments, {len(result.segments):,} members (size, share; "
                  "eng.: share of engagement)", pad_edge=False)
    for col in ("segment", "size", "role mix", "eng.", "defining features"):
        table.add_column(col)
    for row in s.head(limit).itertuples(index=False):
        mix = "\n".join(f"{r} {getattr(row, f'role_{r}'):.0%}" for r in
                        ("influencer", "blogger", "fan", "follower")
                        if getattr(row, f"role_{r}") >= 0.05)
        features = "\n".join(str(row.defining_features).split("; "))
        table.add_row(row.segment, f"{row.size:,}\n{row.share:.1%}", mix,
                      f"{row.engagement_share:.1%}", features)
    console.print(whole_words(table, console.width))


def whole_words(table, width: int | None = None):
    """Give each column of a rich ``table`` the width of its longest word, so that cells
    wrap between words and no word is split (rich folds a word only when it is wider than
    its column). With ``width`` (the console's), a table wider than that gets fixed column
    widths: each column its longest word plus a share of the room left, in proportion to
    what its longest line needs beyond that (rich's own shrinking can crop the last
    column). Returns the table."""
    mins, ideals = [], []
    for col in table.columns:
        texts = [str(col.header), *map(str, col._cells)]
        mins.append(max((len(w) for t in texts for w in t.split()), default=1))
        ideals.append(max((len(ln) for t in texts for ln in t.splitlines()), default=1))
        col.min_width = max(col.min_width or 0, mins[-1])
    n = len(mins)
    overhead = 2 * n - (0 if table.pad_edge else 2) + (n - 1) + (2 if table.show_edge else 0)
    free = (width or 0) - overhead - sum(mins)
    need = [i - m for i, m in zip(ideals, mins, strict=True)]
    if width and sum(ideals) + overhead > width and free >= 0:
        share = [free * d // max(sum(need), 1) for d in need]
        for col, m, extra in zip(table.columns, mins, share, strict=True):
            col.width = m + extra
    return table


def fmt_cell(value, digits: int = 3) -> str:
    """A table cell: ``""`` for None / NaN / NA, floats to ``digits`` decimals."""
    if value is None:
        return ""
    try:
        if value != value:  # NaN
            return ""
    except TypeError:  # pandas.NA
        return ""
    if isinstance(value, float):
        return f"{value:.{digits}f}"
    return str(value)
