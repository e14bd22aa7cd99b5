"""Console tables read at 80 columns: cells wrap between words, never inside one."""

import re
from types import SimpleNamespace

import pandas as pd
from rich.console import Console

from clusterkit.cli._shared import print_summary


def _summary(n: int = 8) -> pd.DataFrame:
    names = ["well-connected influencers", "newsletter-reading fans", "prolific bloggers",
             "less highly engaged followers", "comment-heavy fans 2", "quiet followers",
             "buying fans", "event-going superfans"]
    return pd.DataFrame({
        "segment": names[:n], "size": [12_345 * (i + 1) for i in range(n)],
        "share": [1 / n] * n, "role_influencer": [1.0] + [0.0] * (n - 1),
        "role_blogger": [0.0] * n, "role_fan": [0.0] + [0.6] * (n - 1),
        "role_follower": [0.0] + [0.4] * (n - 1), "engagement_share": [1 / n] * n,
        "defining_features": ["act_newsletter_click +2.41; engagement_breadth -0.52; "
                              "amplification +4.41"] * n})


def test_no_word_of_the_summary_is_split_at_80_columns():
    summary = _summary()
    result = SimpleNamespace(summary=summary, segments=pd.DataFrame(index=range(99)))
    console = Console(width=80, record=True, color_system=None)
    print_summary(result, console)
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 80
    words = set(re.findall(r"\S+", " ".join(summary["segment"])))
    words |= set(re.findall(r"\S+", summary["defining_features"][0].replace(";", "")))
    found = set(re.findall(r"[^\s│┃|]+", text.replace(";", "")))
    assert words <= found, sorted(words - found)  # each word whole on one line
