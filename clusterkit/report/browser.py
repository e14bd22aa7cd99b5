"""Open a report in headless Chromium and check that every figure rendered.

Used by the browser test and the report benchmark, and handy to check a report by hand.
It drives the system's Chromium (Debian's ``chromium`` package, or the path in
``CLUSTERKIT_CHROMIUM``) with the ``playwright`` package, which never downloads a browser
here: it launches the given executable. WebGL (the sampled segment map of a large run)
runs on SwiftShader, Chromium's software renderer, so no GPU is needed.

A figure counts as rendered when its ``plotly-graph-div`` holds plotly's ``main-svg``
layers and, for WebGL traces, a drawn ``canvas``.
"""

from __future__ import annotations

import os
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

__all__ = ["BrowserCheck", "BrowserMissing", "check_report", "find_chromium"]

INSTALL_HINT = (
    "install Debian's Chromium and the playwright package: `apt-get install -y "
    "--no-install-recommends chromium` and `pip install -e '.[dev]'` (as .ci/run does), "
    "or set CLUSTERKIT_CHROMIUM to a Chromium executable"
)
ARGS = ("--no-sandbox", "--disable-dev-shm-usage", "--use-angle=swiftshader",
        "--enable-unsafe-swiftshader", "--disable-gpu-sandbox")

_STATE_JS = """() => {
  const divs = [...document.querySelectorAll('div.plotly-graph-div')];
  const done = divs.filter(d => {
    if (!d.querySelector('svg.main-svg') || !d._fullLayout) return false;
    const gl = (d._fullData || []).some(t => String(t.type).endsWith('gl'));
    return !gl || d.querySelector('canvas') !== null;
  });
  return {figures: divs.length, rendered: done.length,
          ids: done.map(d => d.id), ready: document.readyState};
}"""


class BrowserMissing(RuntimeError):
    """Chromium or the playwright package is not installed."""


@dataclass
class BrowserCheck:
    """What the browser saw: figures found and rendered, errors, and times in seconds."""

    figures: int
    rendered: int
    rendered_ids: list[str]
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    launch_s: float = 0.0
    open_s: float = 0.0
    screenshot: Path | None = None
    probe: object = None

    @property
    def ok(self) -> bool:
        """Every figure rendered and nothing went wrong in the page."""
        return (self.rendered == self.figures and not self.console_errors
                and not self.page_errors)


def find_chromium() -> str | None:
    """The Chromium executable: ``$CLUSTERKIT_CHROMIUM``, else ``chromium`` on the PATH."""
    env = os.environ.get("CLUSTERKIT_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


def check_report(path, *, screenshot=None, timeout_s: float = 60.0, width: int = 1280,
                 height: int = 900, executable: str | None = None, full_page: bool = True,
                 probe: str | None = None) -> BrowserCheck:
    """Open ``path`` (an HTML file) and wait until every plotly figure has rendered.

    Parameters
    ----------
    path : str or Path
        The report, opened as a ``file://`` URL (no server, no network).
    screenshot : str or Path, optional
        Where to save a PNG once rendered: the full page, or with ``full_page=False`` the
        first screen (``width`` × ``height``) only.
    timeout_s : float
        Give up waiting after this long (the result then says how many rendered).
    probe : str, optional
        A JavaScript function (``"() => ..."``) evaluated in the page once rendered, at the
        top of the page; its JSON-able result is the check's ``probe``.

    Returns
    -------
    BrowserCheck
        ``open_s`` is the time from asking the browser to open the page until every figure
        rendered (or the timeout), the browser's start (``launch_s``) excluded.

    Raises
    ------
    BrowserMissing
        When Chromium or the playwright package is missing, saying how to install them.
    """
    try:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        raise BrowserMissing(f"the playwright package is missing ({exc}); {INSTALL_HINT}"
                             ) from None
    exe = executable or find_chromium()
    if exe is None:
        raise BrowserMissing(f"no Chromium executable found; {INSTALL_HINT}")
    url = Path(path).resolve().as_uri()
    console, errors = [], []
    with sync_playwright() as p:
        t0 = time.perf_counter()
        try:
            browser = p.chromium.launch(executable_path=exe, args=list(ARGS), headless=True)
        except PlaywrightError as exc:
            raise BrowserMissing(f"Chromium at {exe} did not start ({str(exc)[:300]}); "
                                 f"{INSTALL_HINT}") from None
        launch_s = time.perf_counter() - t0
        try:
            page = browser.new_page(viewport={"width": width, "height": height})
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            t1 = time.perf_counter()
            page.goto(url, wait_until="load", timeout=timeout_s * 1000)
            try:
                page.wait_for_function(
                    f"() => {{ const s = ({_STATE_JS})(); "
                    "return s.figures > 0 && s.rendered === s.figures; }",
                    polling="raf", timeout=max(1.0, timeout_s - (time.perf_counter() - t1))
                    * 1000)
            except PlaywrightError:  # timed out: the state below says what did not render
                pass
            open_s = time.perf_counter() - t1
            state = page.evaluate(_STATE_JS)
            probed = None if probe is None else page.evaluate(probe)
            shot = None
            if screenshot is not None:
                shot = Path(screenshot)
                shot.parent.mkdir(parents=True, exist_ok=True)
                page.wait_for_timeout(300)  # let plotly's transitions settle
                page.screenshot(path=str(shot), full_page=full_page)
        finally:
            browser.close()
    return BrowserCheck(figures=state["figures"], rendered=state["rendered"],
                        rendered_ids=list(state["ids"]), console_errors=console,
                        page_errors=errors, launch_s=launch_s, open_s=open_s, screenshot=shot,
                        probe=probed)
