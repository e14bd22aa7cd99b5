"""The run report in a real browser: headless Chromium opens it from a file:// URL.

Needs Debian's ``chromium`` and the ``playwright`` package (the ``dev`` extra); ``.ci/run``
installs both. Without them the test FAILS and says how to install them, unless
``CLUSTERKIT_SKIP_BROWSER=1`` is set (CI never sets it). Screenshots go to
``$CLUSTERKIT_SCREENSHOT_DIR`` when set, else to the test's tmp folder.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from clusterkit.data import CommunityData
from clusterkit.pipeline import Pipeline
from clusterkit.report import segment_figures, write_run_report
from clusterkit.report.html import FIGURES


def _check(path, screenshot, **kwargs):
    from clusterkit.report.browser import BrowserMissing, check_report

    try:
        return check_report(path, screenshot=screenshot, timeout_s=60, **kwargs)
    except BrowserMissing as exc:
        if os.environ.get("CLUSTERKIT_SKIP_BROWSER") == "1":
            pytest.skip(f"browser test skipped (CLUSTERKIT_SKIP_BROWSER=1): {exc}")
        pytest.fail(f"the browser test needs headless Chromium: {exc}", pytrace=False)


def _shot_dir(tmp_path) -> Path:
    folder = os.environ.get("CLUSTERKIT_SCREENSHOT_DIR")
    return Path(folder) if folder else tmp_path


@pytest.fixture(scope="module")
def data(small_synth):
    return CommunityData.from_frames(**small_synth.tables)


@pytest.fixture(scope="module")
def result(data):
    return Pipeline().run(data)


def _assert_rendered(check, expected: int) -> None:
    assert check.figures == expected, check
    missing = sorted(set(FIGURES) - set(check.rendered_ids))
    assert check.rendered == expected, f"not rendered: {missing}"
    assert check.console_errors == [], check.console_errors
    assert check.page_errors == [], check.page_errors
    assert check.screenshot is not None and check.screenshot.stat().st_size > 10_000


def test_report_renders_every_figure_in_chromium(result, data, tmp_path) -> None:
    path = write_run_report(tmp_path / "report.html", result, data=data)
    check = _check(path, _shot_dir(tmp_path) / "report.png")
    _assert_rendered(check, len(FIGURES))
    assert check.rendered_ids == list(FIGURES)
    assert check.screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_webgl_segment_map_renders(result, data, tmp_path, monkeypatch) -> None:
    """The map of a large run is WebGL (Scattergl): it must draw without a GPU too."""
    monkeypatch.setattr(segment_figures, "GL_THRESHOLD", 100)
    path = write_run_report(tmp_path / "report-gl.html", result, data=data, max_points=400)
    text = path.read_text(encoding="utf-8")
    assert '"type":"scattergl"' in text and "showing 400 of 600 members" in text
    check = _check(path, _shot_dir(tmp_path) / "report-webgl.png")
    _assert_rendered(check, len(FIGURES))


_FIRST_SCREEN_JS = """() => {
  const h = window.innerHeight, w = window.innerWidth;
  const inside = el => { const r = el.getBoundingClientRect();
    return r.top >= 0 && r.left >= 0 && r.bottom <= h && r.right <= w && r.height > 0; };
  const summary = document.querySelector('ul.story');
  const cards = [...document.querySelectorAll('div.card')];
  const seen = cards.filter(c => [...c.querySelectorAll('.handle')].some(inside));
  return {scrollY: window.scrollY, title: document.querySelector('h1').textContent,
          summary: summary !== null && inside(summary), cards: cards.length,
          cards_in_view: seen.length,
          handles: seen.flatMap(c => [...c.querySelectorAll('.handle')].filter(inside)
                                      .map(e => e.textContent))};
}"""


def test_first_screen_shows_the_summary_and_cards_with_handles(result, data, tmp_path) -> None:
    """Issue 14: a headless Chromium screenshot of the first screen (1280 x 900) shows the
    executive summary and segment cards naming members by handle."""
    path = write_run_report(tmp_path / "report-story.html", result, data=data)
    shot = _shot_dir(tmp_path) / "report-first-screen.png"
    check = _check(path, shot, width=1280, height=900, full_page=False,
                   probe=_FIRST_SCREEN_JS)
    assert check.ok, check
    seen = check.probe
    assert seen["scrollY"] == 0
    assert seen["title"].startswith("Audience segments: 600 members")
    assert seen["summary"], seen
    assert seen["cards_in_view"] >= 1 and seen["cards"] == len(result.summary), seen
    handles = set(data.members["handle"].dropna().astype(str))
    assert any(h in handles and h.startswith("@") for h in seen["handles"]), seen
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
